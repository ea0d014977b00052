"""Levels written in Vietnamese become their codes: a unit at level 'xã' is at level commune.

Before the vocabulary, `unit add --level xã` made a level of its own that reports counted apart
from `commune`, and a plan's quota for 'tỉnh' counted nobody. Units take the code of the level
their word names; a plan's quota too, unless the plan already has a quota for that code (then
the word is left as it was). Nothing else changes, and nothing here can fail.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The known levels' words as the vocabulary had them at this revision (frozen: a migration must
# do tomorrow what it did today).
LEVEL_WORDS = {
    "central": ("trung ương", "cấp trung ương", "Trung ương Đoàn"),
    "province": ("tỉnh", "thành phố", "tỉnh/thành phố", "cấp tỉnh", "Tỉnh Đoàn", "Thành Đoàn"),
    "district": (
        "huyện",
        "quận",
        "thị xã",
        "cấp huyện",
        "thành phố thuộc tỉnh",
        "Huyện Đoàn",
        "Quận Đoàn",
        "Thị Đoàn",
    ),
    "commune": (
        "xã",
        "phường",
        "thị trấn",
        "đặc khu",
        "cấp xã",
        "Đoàn xã",
        "Đoàn phường",
        "Đoàn thị trấn",
    ),
    "branch": ("chi đoàn", "cấp chi đoàn"),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in bare.lower() if c.isalnum())


CODES = {_fold(w): code for code, words in LEVEL_WORDS.items() for w in (code, *words)}


def upgrade() -> None:
    conn = op.get_bind()
    for (level,) in conn.execute(sa.text("SELECT DISTINCT level FROM unit")).all():
        code = CODES.get(_fold(level))
        if code is not None and code != level:
            conn.execute(
                sa.text("UPDATE unit SET level = :code WHERE level = :level"),
                {"code": code, "level": level},
            )
    quotas = conn.execute(sa.text("SELECT id, plan_id, level FROM plan_quota ORDER BY id")).all()
    taken = {(plan_id, level) for _, plan_id, level in quotas}
    for ident, plan_id, level in quotas:
        code = CODES.get(_fold(level))
        if code is None or code == level or (plan_id, code) in taken:
            continue
        conn.execute(
            sa.text("UPDATE plan_quota SET level = :code WHERE id = :id"),
            {"code": code, "id": ident},
        )
        taken.discard((plan_id, level))
        taken.add((plan_id, code))


def downgrade() -> None:
    """The words are not kept: a level stays its code."""
