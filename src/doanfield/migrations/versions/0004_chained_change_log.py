"""The change log becomes tamper-evident: a hash chain, and no REPLACE or back-dating.

Each entry gets `prev_hash` and `entry_hash` (doanfield.changelog), computed here for the entries
already there; a BEFORE INSERT trigger refuses REPLACE-style rewrites, back-dated entries and
entries that do not carry the last entry's hash. On PostgreSQL `at` becomes a timestamp with
time zone: a plain timestamp kept the server's local time of each write, not the moment.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel import UTCDateTime

from doanfield import changelog

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER change_log_no_{event} BEFORE {EVENT} ON change_log "
    f"BEGIN SELECT RAISE(ABORT, '{changelog.APPEND_ONLY}'); END"
)


def _update_guards(enable: bool) -> None:
    """0003's guards against UPDATE and DELETE, lifted while the chain is written."""
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        state = "ENABLE" if enable else "DISABLE"
        op.execute(f"ALTER TABLE change_log {state} TRIGGER change_log_append_only")
    elif conn.dialect.name == "sqlite":
        for event in ("update", "delete"):
            if enable:
                op.execute(APPEND_ONLY_SQLITE.format(event=event, EVENT=event.upper()))
            else:
                op.execute(f"DROP TRIGGER change_log_no_{event}")


def upgrade() -> None:
    conn = op.get_bind()
    _update_guards(enable=False)
    if conn.dialect.name == "postgresql":
        # The stored local times are read in the session's time zone, as they were written.
        op.execute("ALTER TABLE change_log ALTER COLUMN at TYPE timestamptz")
    for column in ("prev_hash", "entry_hash"):
        op.add_column(
            "change_log", sa.Column(column, sa.String(), nullable=False, server_default="")
        )
    log = sa.table(
        "change_log",
        *(sa.column(name, sa.String()) for name in ("os_user", "command", "entity", "key")),
        *(sa.column(name, sa.String()) for name in ("action", "before", "after")),
        *(sa.column(name, sa.String()) for name in ("prev_hash", "entry_hash")),
        sa.column("id", sa.Integer()),
        sa.column("at", UTCDateTime()),
    )
    rows = conn.execute(
        sa.select(
            log.c.id,
            log.c.at,
            log.c.os_user,
            log.c.command,
            log.c.entity,
            log.c.key,
            log.c.action,
            log.c.before,
            log.c.after,
        ).order_by(log.c.id)
    ).all()
    prev, chained = changelog.GENESIS, []
    for ident, at, os_user, command, entity, key, action, before, after in rows:
        own = changelog.entry_hash(at, os_user, command, entity, key, action, before, after, prev)
        chained.append({"ident": ident, "prev": prev, "own": own})
        prev = own
    if chained:
        conn.execute(
            log.update()
            .where(log.c.id == sa.bindparam("ident"))
            .values(prev_hash=sa.bindparam("prev"), entry_hash=sa.bindparam("own")),
            chained,
        )
    _update_guards(enable=True)
    changelog.install_insert_checks(conn)


def downgrade() -> None:
    conn = op.get_bind()
    changelog.drop_insert_checks(conn)
    _update_guards(enable=False)
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
    if conn.dialect.name == "postgresql":
        op.execute("ALTER TABLE change_log ALTER COLUMN at TYPE timestamp")
    _update_guards(enable=True)
