"""Trips carry their travel order and the report after them; a policy value may be set for a unit.

* trip: `travel_order` (the order or decision it went under, '' when none), `report_date` and
  `report` (the report after the trip, none until filed). The covering index of whole-year
  reports also covers the host unit, which reports now count days by (host levels).
* policy_setting: `unit_id` (none: the ledger-wide value). One value per key, year and unit;
  one ledger-wide value per key and year.

Existing trips get no order and no report; existing settings stay ledger-wide. Nothing here can
fail on a ledger the earlier revisions accepted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTERs on the trip table: a national ledger's million trips are not copied.
    op.add_column("trip", sa.Column("travel_order", sa.String(), nullable=False, server_default=""))
    op.add_column("trip", sa.Column("report_date", sa.Date(), nullable=True))
    op.add_column("trip", sa.Column("report", sa.String(), nullable=True))
    op.drop_index("ix_trip_cadre_start_end", table_name="trip")
    op.create_index("ix_trip_cadre_start_end_unit", "trip", ["cadre_id", "start", "end", "unit_id"])
    with op.batch_alter_table("policy_setting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_policy_setting_unit_id_unit", "unit", ["unit_id"], ["id"], ondelete="RESTRICT"
        )
        batch_op.drop_constraint("uq_policy_setting_key_year", type_="unique")
        batch_op.create_unique_constraint(
            "uq_policy_setting_key_year_unit", ["key", "from_year", "unit_id"]
        )
    # NULLs are distinct in a unique constraint: the ledger-wide values need their own index.
    op.create_index(
        "uq_policy_setting_ledger_wide",
        "policy_setting",
        ["key", "from_year"],
        unique=True,
        sqlite_where=sa.text("unit_id IS NULL"),
        postgresql_where=sa.text("unit_id IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_policy_setting_ledger_wide", table_name="policy_setting")
    op.execute("DELETE FROM policy_setting WHERE unit_id IS NOT NULL")
    with op.batch_alter_table("policy_setting", schema=None) as batch_op:
        batch_op.drop_constraint("uq_policy_setting_key_year_unit", type_="unique")
        batch_op.create_unique_constraint("uq_policy_setting_key_year", ["key", "from_year"])
        batch_op.drop_constraint("fk_policy_setting_unit_id_unit", type_="foreignkey")
        batch_op.drop_column("unit_id")
    op.drop_index("ix_trip_cadre_start_end_unit", table_name="trip")
    op.create_index("ix_trip_cadre_start_end", "trip", ["cadre_id", "start", "end"])
    with op.batch_alter_table("trip", schema=None) as batch_op:
        batch_op.drop_column("report")
        batch_op.drop_column("report_date")
        batch_op.drop_column("travel_order")
