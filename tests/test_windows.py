"""What a Vietnamese Windows laptop does to output: a cp1258 code page, output redirected."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def doanfield(db: Path, *args: str, stdout: int | None = subprocess.PIPE) -> Any:
    # PYTHONIOENCODING stands in for the console code page of Vietnamese Windows (cp1258),
    # which has no precomposed ễ, ấ or ộ.
    env = {**os.environ, "PYTHONIOENCODING": "cp1258", "DOANFIELD_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "doanfield", "--today", "2025-06-30", *args],
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )


def test_piped_output_is_utf8_whatever_the_code_page(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    assert (
        doanfield(db, "unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "tỉnh").returncode == 0
    )
    added = doanfield(db, "cadre", "add", "GL04", "--name", "Nguyễn Thành Hưng", "--unit", "TD")
    assert added.returncode == 0 and added.stdout == b"cadre GL04 added\n"
    # cadre list --format csv > x.csv
    out = tmp_path / "x.csv"
    with out.open("wb") as handle:
        listed = doanfield(db, "cadre", "list", "--format", "csv", stdout=handle.fileno())
    assert listed.returncode == 0, listed.stderr
    written = out.read_bytes()
    assert not written.startswith(b"\xef\xbb\xbf")  # the BOM is for files doanfield writes
    assert "GL04,Nguyễn Thành Hưng,TD" in written.decode("utf-8")
    table = doanfield(db, "--lang", "vi", "cadre", "list")
    assert "Nguyễn Thành Hưng" in table.stdout.decode("utf-8")
    refused = doanfield(db, "--lang", "vi", "trip", "add", "--cadre", "GL4", "--date", "1/3/2024")
    assert refused.returncode == 1
    assert refused.stderr.decode("utf-8") == (
        "doanfield: lỗi: không có cán bộ nào mã 'GL4' (có phải GL04 không?)\n"
    )


def test_a_csv_for_excel_is_written_with_output(tmp_path: Path) -> None:
    """README: a redirect is for scripts (no BOM); `--output` writes what Excel reads right."""
    db = tmp_path / "ledger.db"
    doanfield(db, "unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "tỉnh")
    doanfield(db, "cadre", "add", "GL04", "--name", "Nguyễn Thành Hưng", "--unit", "TD")
    out = tmp_path / "can-bo.csv"
    listed = doanfield(db, "cadre", "list", "--format", "csv", "--output", str(out))
    assert listed.returncode == 0, listed.stderr
    written = out.read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert "GL04,Nguyễn Thành Hưng,TD" in written.decode("utf-8-sig")
