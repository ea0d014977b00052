"""Units and cadres over time (SPEC §6): units' lives and successors, parents and postings
from a date on.

Units get `active_from` / `active_to`; `unit_successor` names whom a closed unit became. A unit's
parent moves to `unit_parent` (from a date on; the link a unit had becomes its first, open at
its start) and a cadre's unit, category and position to `posting` (the cadre's current values
become their first posting, open at its start). The old columns go: the new tables are the
only record of "parent on a day" and "posting on a day", so nothing can disagree with them.
Every existing unit is alive from the beginning and still alive.

SQLite rebuilds `unit` and `cadre` to drop columns; doanfield runs migrations with foreign keys
off for that (SQLite's documented procedure) and checks them before committing (engine.py).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_parent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_unit_parent_unit_id_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["unit.id"],
            name=op.f("fk_unit_parent_parent_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_parent")),
        sa.UniqueConstraint("unit_id", "start", name="uq_unit_parent_unit_start"),
    )
    with op.batch_alter_table("unit_parent", schema=None) as batch_op:
        batch_op.create_index("ix_unit_parent_parent", ["parent_id"], unique=False)
        batch_op.create_index(
            "uq_unit_parent_first",
            ["unit_id"],
            unique=True,
            sqlite_where=sa.text("start IS NULL"),
            postgresql_where=sa.text("start IS NULL"),
        )
    op.create_table(
        "unit_successor",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_unit_successor_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["unit.id"],
            name=op.f("fk_unit_successor_successor_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("unit_id", "successor_id", name=op.f("pk_unit_successor")),
    )
    op.create_table(
        "posting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cadre_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("position", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cadre_id"], ["cadre.id"], name=op.f("fk_posting_cadre_id_cadre"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_posting_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posting")),
        sa.UniqueConstraint("cadre_id", "start", name="uq_posting_cadre_start"),
    )
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.create_index("ix_posting_unit", ["unit_id"], unique=False)
        batch_op.create_index(
            "uq_posting_first",
            ["cadre_id"],
            unique=True,
            sqlite_where=sa.text("start IS NULL"),
            postgresql_where=sa.text("start IS NULL"),
        )

    op.execute(
        "INSERT INTO unit_parent (unit_id, parent_id, start) "
        "SELECT id, parent_id, NULL FROM unit WHERE parent_id IS NOT NULL ORDER BY id"
    )
    op.execute(
        "INSERT INTO posting (cadre_id, unit_id, category, position, start) "
        "SELECT id, unit_id, category, position, NULL FROM cadre ORDER BY id"
    )

    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("active_to", sa.Date(), nullable=True))
        batch_op.drop_constraint("fk_unit_parent_id_unit", type_="foreignkey")
        batch_op.drop_column("parent_id")
        batch_op.create_check_constraint(
            "active_dates", "active_to IS NULL OR active_from IS NULL OR active_to >= active_from"
        )
    with op.batch_alter_table("cadre", schema=None) as batch_op:
        batch_op.drop_index("ix_cadre_unit")
        batch_op.drop_constraint("fk_cadre_unit_id_unit", type_="foreignkey")
        batch_op.drop_column("unit_id")
        batch_op.drop_column("category")
        batch_op.drop_column("position")


def downgrade() -> None:
    """Not undone: a ledger is restored from the backup doanfield took before upgrading."""
    raise NotImplementedError("restore the backup taken before the upgrade to 0006")
