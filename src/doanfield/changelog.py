"""The change log's tamper evidence: entries chained by hash, and the triggers that guard it.

Each entry holds the hash of the entry before it (`prev_hash`) and its own hash (`entry_hash`,
SHA-256 over its time, who, command, record before and after, and `prev_hash`). Rewriting,
removing or inserting an entry breaks the chain from that entry on, and `db check` names the
first broken one. The database itself refuses updates, deletes, REPLACE-style rewrites, entries
that do not carry the last entry's hash and entries dated before the last one (migrations
0003 and 0004 install the triggers; `db check` verifies that they are still there and enabled).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from doanfield.messages import Message, Msg

GENESIS = "0" * 64
APPEND_ONLY = "the change log is append-only"
BACK_DATED = "a change log entry may not be dated before the entry before it"
UNCHAINED = "a change log entry must carry the hash of the entry before it"
# The triggers that must exist (and, on PostgreSQL, be enabled) on change_log.
TRIGGERS = {
    "sqlite": ("change_log_no_update", "change_log_no_delete", "change_log_insert_checks"),
    "postgresql": ("change_log_append_only", "change_log_insert_checks"),
}
# Writers serialise on this PostgreSQL advisory lock ("Doan" in ASCII), as on SQLite's write lock.
WRITE_LOCK_KEY = 0x446F616E


def utc_text(at: datetime) -> str:
    """The entry's time as hashed: UTC, to the microsecond (a naive time is taken as UTC)."""
    if at.utcoffset() is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    at: datetime,
    os_user: str,
    command: str,
    entity: str,
    key: str,
    action: str,
    before: str | None,
    after: str | None,
    prev_hash: str,
) -> str:
    fields = [utc_text(at), os_user, command, entity, key, action, before, after, prev_hash]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def entry_time(now: datetime, last: datetime | None) -> datetime:
    """Now, or the last entry's time if the clock went back: the log's times never decrease."""
    if last is not None and last.utcoffset() is None:
        last = last.replace(tzinfo=UTC)
    return max(now, last) if last is not None else now


Entry = tuple[int, datetime, str, str, str, str, str, str | None, str | None, str, str]


def first_break(entries: Iterable[Entry]) -> Message | None:
    """The first entry (in id order) whose hash, link or time is wrong; None when all hold."""
    prev_hash, prev_at, prev_id = GENESIS, None, None
    for ident, at, os_user, command, entity, key, action, before, after, prev, own in entries:
        if prev != prev_hash:
            after_what = Msg.LOG_ENTRY_AFTER(id=prev_id) if prev_id is not None else Msg.LOG_START()
            return Msg.LOG_ENTRY_UNLINKED(id=ident, after=after_what)
        if entry_hash(at, os_user, command, entity, key, action, before, after, prev) != own:
            return Msg.LOG_ENTRY_CHANGED(id=ident)
        if prev_at is not None and utc_text(at) < utc_text(prev_at):
            return Msg.LOG_ENTRY_BACK_DATED(id=ident, before=prev_id)
        prev_hash, prev_at, prev_id = own, at, ident
    return None


def missing_triggers(conn: Connection) -> list[str]:
    """The change log's guards that are absent (or disabled) in this database."""
    dialect = conn.dialect.name
    expected = TRIGGERS.get(dialect, ())
    if dialect == "sqlite":
        present = {
            name
            for (name,) in conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": "change_log"},
            )
        }
    elif dialect == "postgresql":
        present = {
            name
            for (name,) in conn.execute(
                text(
                    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'change_log'::regclass "
                    "AND NOT tgisinternal AND tgenabled <> 'D'"
                )
            )
        }
    else:
        return []
    return [name for name in expected if name not in present]


def install_insert_checks(conn: Connection) -> None:
    """The BEFORE INSERT guard: no REPLACE over an entry, no back-dating, no broken link."""
    last = "(SELECT {column} FROM change_log ORDER BY id DESC LIMIT 1)"
    if conn.dialect.name == "sqlite":
        conn.execute(
            text(
                "CREATE TRIGGER change_log_insert_checks BEFORE INSERT ON change_log BEGIN "
                f"SELECT RAISE(ABORT, '{APPEND_ONLY}') "
                "WHERE EXISTS (SELECT 1 FROM change_log WHERE id = NEW.id); "
                f"SELECT RAISE(ABORT, '{BACK_DATED}') WHERE NEW.at < {last.format(column='at')}; "
                f"SELECT RAISE(ABORT, '{UNCHAINED}') WHERE NEW.prev_hash IS NOT "
                f"COALESCE({last.format(column='entry_hash')}, '{GENESIS}'); "
                "END"
            )
        )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE FUNCTION change_log_insert_checks() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "DECLARE last_at timestamptz; last_hash text; BEGIN "
                # Direct writers queue behind doanfield's own, so the chain cannot fork.
                f"PERFORM pg_advisory_xact_lock({WRITE_LOCK_KEY}); "
                "IF EXISTS (SELECT 1 FROM change_log WHERE id = NEW.id) THEN "
                f"RAISE EXCEPTION '{APPEND_ONLY}'; END IF; "
                "SELECT at, entry_hash INTO last_at, last_hash FROM change_log "
                "ORDER BY id DESC LIMIT 1; "
                f"IF NEW.at < last_at THEN RAISE EXCEPTION '{BACK_DATED}'; END IF; "
                f"IF NEW.prev_hash IS DISTINCT FROM COALESCE(last_hash, '{GENESIS}') THEN "
                f"RAISE EXCEPTION '{UNCHAINED}'; END IF; "
                "RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER change_log_insert_checks BEFORE INSERT ON change_log "
                "FOR EACH ROW EXECUTE FUNCTION change_log_insert_checks()"
            )
        )


def drop_insert_checks(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER change_log_insert_checks"))
    elif conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER change_log_insert_checks ON change_log"))
        conn.execute(text("DROP FUNCTION change_log_insert_checks()"))


def problems(conn: Connection) -> list[Message]:
    """`db check`'s findings about the change log: missing guards, the first broken entry."""
    found = [Msg.LOG_GUARD_MISSING(name=name) for name in missing_triggers(conn)]
    from doanfield.models import ChangeLog

    c = ChangeLog.__table__.c  # type: ignore[attr-defined]
    rows = conn.execute(
        select(
            c.id,
            c.at,
            c.os_user,
            c.command,
            c.entity,
            c.key,
            c.action,
            c.before,
            c.after,
            c.prev_hash,
            c.entry_hash,
        )
        .order_by(c.id)
        .execution_options(yield_per=10_000)
    )
    broken = first_break(tuple(row) for row in rows)
    if broken:
        found.append(broken)
    return found
