"""Which ledgers this version reads as they are, and where the clerk's ledger lives by default.

Light (no SQLAlchemy): engine.py opens ledgers with it, and so does the column-wise report.
"""

from __future__ import annotations

from pathlib import Path

# The newest migration, and every one this version knows (a newer ledger is refused).
SCHEMA_REVISION = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")


def default_ledger_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("doanfield", appauthor=False) / "doanfield.db"
