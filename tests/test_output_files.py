"""Files doanfield writes (every --output, template, db backup, the pre-upgrade backup) go
through one opener (outfile.py): never over the ledger, never into a device, a pipe or a folder,
never half a file, an existing file only with --force; --db refuses what is no regular file."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from doanfield import engine
from doanfield.outfile import TEMP_SUFFIX
from tests.conftest import Cli, run_doanfield

pytestmark = pytest.mark.sqlite_only  # about files beside a SQLite ledger


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))


@pytest.fixture
def ledger(province: Cli) -> Cli:
    province.ok("trip", "add", "--cadre", "GL04", "--date", "1/3/2024", "--place", "Ia Sol")
    return province


# ------------------------------------------------------------------ the ledger is never a target

WRITERS = [
    ["export", "units", "--output"],
    ["export", "trips", "--format", "xlsx", "--output"],
    ["unit", "list", "--output"],
    ["report", "compliance", "--year", "2024", "--output"],
    ["log", "--output"],
    ["template", "trips", "--output"],
    ["db", "backup"],
]


@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: " ".join(w[:2]))
@pytest.mark.parametrize("name", ["", "-wal", "-shm", "-journal", ".before-0003-20240101.bak"])
def test_no_writer_replaces_the_ledger_or_its_files(
    ledger: Cli, writer: list[str], name: str
) -> None:
    """`export units --output x.db` destroyed the ledger (issue 13, 1); --force changes nothing."""
    path = Path(f"{ledger.db}{name}")
    before = _bytes(ledger.db)
    existed = path.exists()
    for force in ([], ["--force"]):
        result = ledger(*writer, str(path), *force)
        assert result.exit_code == 1, result.stdout
        assert "is the ledger or one of its own files" in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _bytes(ledger.db) == before
    assert path.exists() == existed
    assert _leftovers(ledger.db.parent) == []


def test_a_link_or_a_roundabout_path_to_the_ledger_is_refused(ledger: Cli, tmp_path: Path) -> None:
    before = _bytes(ledger.db)
    (tmp_path / "sub").mkdir()
    (tmp_path / "alias.db").symlink_to(ledger.db)
    (tmp_path / "folder-link").symlink_to(tmp_path)
    os.link(ledger.db, tmp_path / "hard.db")
    for path in (
        tmp_path / "alias.db",
        tmp_path / "folder-link" / ledger.db.name,
        tmp_path / "sub" / ".." / ledger.db.name,
        tmp_path / "hard.db",
    ):
        result = ledger("export", "units", "--output", str(path), "--force")
        assert result.exit_code == 1 and "is the ledger" in result.stderr, path
    assert _bytes(ledger.db) == before
    assert (tmp_path / "alias.db").is_symlink()


def test_another_ledger_or_a_backup_is_never_written_over(ledger: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "so-2024.db"
    ledger.ok("db", "backup", str(backup))
    kept = _bytes(backup)
    result = ledger("export", "trips", "--output", str(backup), "--force")
    assert result.exit_code == 1
    assert "is a doanfield ledger (or a backup of one)" in result.stderr
    assert _bytes(backup) == kept
    # A backup may replace an older backup, but only when told to.
    again = ledger("db", "backup", str(backup))
    assert again.exit_code == 1 and "give --force to replace it" in again.stderr
    ledger.ok("trip", "add", "--cadre", "GL01", "--date", "2/3/2024")
    ledger.ok("db", "backup", str(backup), "--force")
    newer = Cli(backup, ledger.runner)
    assert len(newer.ok("trip", "list", "--format", "json").json()) == 2


# ------------------------------------------------------------------ devices, pipes, folders


@contextmanager
def _fifo(path: Path) -> Iterator[int]:
    """A FIFO with its reading end open (non-blocking), so that a wrong open could not hang."""
    os.mkfifo(path, 0o644)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        yield reader
    finally:
        os.close(reader)


def _char_device(path: Path) -> bool:
    """A stand-in for /dev/null at a temporary path (a character device 1,3), when allowed."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, OSError):
        return False
    os.chmod(path, 0o666)
    return True


def test_an_output_that_is_no_regular_file_is_refused_untouched(
    ledger: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "a folder.csv"
    folder.mkdir()
    result = ledger("export", "units", "--output", str(folder), "--force")
    assert result.exit_code == 1 and "is a folder, not a file" in result.stderr
    with _fifo(tmp_path / "pipe.csv") as reader:
        result = ledger("export", "units", "--output", str(tmp_path / "pipe.csv"), "--force")
        assert result.exit_code == 1 and "is a pipe (FIFO), not a file" in result.stderr
        assert os.read(reader, 1) == b""  # nothing was sent, no writer holds it open
    assert stat.S_ISFIFO((tmp_path / "pipe.csv").stat().st_mode)
    device = tmp_path / "null"
    if _char_device(device):
        result = ledger("db", "backup", str(device), "--force")
        assert result.exit_code == 1 and "is a device, not a file" in result.stderr
        assert _mode(device) == 0o666 and stat.S_ISCHR(device.stat().st_mode)
    assert _leftovers(tmp_path) == []


def test_db_that_is_no_regular_file_is_refused_before_anything_touches_it(tmp_path: Path) -> None:
    """`--db /dev/null` as root chmod-ed /dev/null (issue 11); a FIFO blocked forever."""
    runner = CliRunner()
    with _fifo(tmp_path / "pipe.db") as reader:
        before = _mode(tmp_path / "pipe.db")
        result = Cli(tmp_path / "pipe.db", runner)("trip", "list")
        assert result.exit_code == 1
        assert result.stderr == (
            f"doanfield: error: '{tmp_path / 'pipe.db'}' is a pipe (FIFO), not a ledger file; "
            "--db takes a ledger's file or a database URL\n"
        )
        assert _mode(tmp_path / "pipe.db") == before
        assert os.read(reader, 1) == b""
    result = Cli(tmp_path, runner)("trip", "list")
    assert result.exit_code == 1 and "is a folder, not a ledger file" in result.stderr
    device = tmp_path / "null"
    if _char_device(device):
        result = Cli(device, runner)("trip", "list")
        assert result.exit_code == 1 and "is a device, not a ledger file" in result.stderr
        assert _mode(device) == 0o666
    made = sorted(p.name for p in tmp_path.iterdir() if p.name != "home")  # home: conftest
    assert made == sorted(["pipe.db", *(["null"] if device.exists() else [])])


def test_only_files_doanfield_creates_get_their_mode_set(tmp_path: Path) -> None:
    given = tmp_path / "given.db"
    given.touch(0o644)
    os.chmod(given, 0o644)
    cli = Cli(given, CliRunner())
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn", "--level", "province")
    # The empty file given was replaced by a new private ledger (a file doanfield made).
    assert _mode(given) == 0o600
    made = tmp_path / "new.db"
    Cli(made, cli.runner).ok("unit", "list")
    assert _mode(made) == 0o600


# ------------------------------------------------------------------ existing files, --force


def test_an_existing_file_is_replaced_only_with_force(ledger: Cli, tmp_path: Path) -> None:
    out = tmp_path / "don-vi.csv"
    out.write_text("keep me\n")
    os.chmod(out, 0o644)
    result = ledger("export", "units", "--output", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"doanfield: error: '{out}' already exists; give --force to replace it, or choose a new "
        "file\n"
    )
    assert out.read_text() == "keep me\n"
    ledger.ok("export", "units", "--output", str(out), "--force")
    # 4 units of the province fixture, the header, a BOM for Excel.
    written = out.read_text(encoding="utf-8-sig").splitlines()
    assert written[0].startswith("code,name,level") and len(written) == 5
    assert _mode(out) == 0o600
    vi = ledger("export", "units", "--output", str(out), lang="vi")
    assert vi.stderr == (
        f"doanfield: lỗi: '{out}' đã có; thêm --force để ghi đè, hoặc chọn một tệp mới\n"
    )


def test_a_symlinked_output_is_replaced_not_followed(ledger: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("someone else's file\n")
    link = tmp_path / "out.csv"
    link.symlink_to(elsewhere)
    ledger.ok("export", "units", "--output", str(link), "--force")
    assert not link.is_symlink() and link.read_text(encoding="utf-8-sig").startswith("code,")
    assert elsewhere.read_text() == "someone else's file\n"


def test_new_output_files_are_private_and_whole(ledger: Cli, tmp_path: Path) -> None:
    for args, name in [
        (["export", "trips"], "trips.csv"),
        (["report", "summary", "--year", "2024"], "tong-hop.xlsx"),
        (["cadre", "show", "GL04"], "GL04.json"),
        (["template", "trips"], "mau.csv"),
        (["log"], "log.txt"),
    ]:
        written = ledger.ok(*args, "--output", str(tmp_path / name))
        assert _mode(tmp_path / name) == 0o600, name
        assert written.stdout == f"wrote {tmp_path / name}\n", name  # the clerk is told
    assert (tmp_path / "tong-hop.xlsx").read_bytes().startswith(b"PK\x03\x04")
    assert ledger.ok("template", "trips").stdout.startswith("cadre,")
    assert (tmp_path / "mau.csv").read_text(encoding="utf-8-sig").startswith("cadre,")
    assert _leftovers(tmp_path) == []
    again = ledger("--lang", "vi", "log", "--output", str(tmp_path / "log.txt"), "--force")
    assert again.stdout == f"đã ghi {tmp_path / 'log.txt'}\n"


# ------------------------------------------------------------------ the format from the name


def test_the_format_comes_from_the_file_name(ledger: Cli, tmp_path: Path) -> None:
    """`export trips --output t.xlsx` wrote CSV into t.xlsx (last session's report)."""
    ledger.ok("export", "trips", "--output", str(tmp_path / "t.xlsx"))
    assert (tmp_path / "t.xlsx").read_bytes().startswith(b"PK\x03\x04")
    ledger.ok("trip", "list", "--output", str(tmp_path / "t.json"))
    assert (tmp_path / "t.json").read_text().startswith("[{")
    ledger.ok("report", "compliance", "--year", "2024", "--output", str(tmp_path / "r.csv"))
    assert (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("cadre,name")
    ledger.ok("trip", "list", "--output", str(tmp_path / "t.txt"))  # a table, as on the screen
    assert "GL04" in (tmp_path / "t.txt").read_text()
    # The same format given twice is fine.
    ledger.ok("export", "trips", "--format", "json", "--output", str(tmp_path / "again.json"))


def test_a_format_that_contradicts_the_file_name_is_a_usage_error(
    ledger: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "t.json"
    result = ledger("export", "trips", "--format", "csv", "--output", str(out))
    assert result.exit_code == 2
    assert result.stderr == (
        f"doanfield: error: --format csv contradicts the file name '{out}' (a .json file); "
        "give one or the other\n"
    )
    result = ledger("cadre", "show", "GL04", "--output", str(tmp_path / "GL04.csv"))
    assert result.exit_code == 2
    assert "does not write csv" in result.stderr and "it writes table, json, xlsx" in result.stderr
    result = ledger("report", "summary", "--year", "2024", "--format", "table", "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists() and not (tmp_path / "GL04.csv").exists()


# ------------------------------------------------------------------ killed, or a full disk


KILL_BEFORE_RENAME = """
import os, signal
import doanfield.outfile as outfile
def killed(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
outfile._publish = killed
"""


def test_a_backup_killed_half_way_leaves_no_file_that_looks_like_one(
    ledger: Cli, tmp_path: Path
) -> None:
    """Killed after the copy was written and before it got its name: the worst moment."""
    target = tmp_path / "so.db"
    killed = run_doanfield(
        ["--db", str(ledger.db), "db", "backup", str(target)], KILL_BEFORE_RENAME
    )
    assert killed.returncode == -signal.SIGKILL
    assert not target.exists()
    (leftover,) = _leftovers(tmp_path)
    assert leftover.startswith(".so.db.")
    # db check names what was left beside the ledger (the same folder here).
    result = ledger("db", "check")
    assert result.exit_code == 1
    assert f"'{tmp_path / leftover}' is left over from a write that did not finish" in result.stderr
    os.unlink(tmp_path / leftover)
    ledger.ok("db", "check")


def test_a_full_disk_leaves_no_file_and_says_so_in_one_line(ledger: Cli, tmp_path: Path) -> None:
    """`export … --output` on a full disk left a 0-byte file and a traceback (issue 13, 9)."""
    for number in range(2, 300):  # enough trips for more than 16 KiB of CSV
        day = f"{1 + number % 28}/{1 + number // 28}/2023"
        ledger.ok("trip", "add", "--cadre", "GL01", "--date", day, "--place", "x" * 60)
    # Reading the ledger writes nothing in rollback-journal mode (in WAL mode SQLite writes
    # its -shm file, which the file size limit would stop too).
    conn = sqlite3.connect(ledger.db)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    db = ["--db", str(ledger.db)]
    for args, name in [
        (["export", "trips", "--output"], "trips.csv"),
        (["export", "trips", "--output"], "trips.xlsx"),
        (["db", "backup"], "so.db"),
    ]:
        result = run_doanfield([*db, *args, str(tmp_path / name)], limit=16384)
        assert result.returncode == 1, (name, result.stderr)
        # SQLite says "I/O error" when the file size limit stops it, "full" for a full disk.
        shown = f"'{tmp_path / name}'"
        assert result.stderr in (
            f"doanfield: error: no space left to write {shown} (the disk is full); "
            "nothing was written; free some space and try again\n",
            f"doanfield: error: the disk refused to write {shown} (an I/O error: is it full, "
            "or failing?); nothing was written\n",
        )
        assert not (tmp_path / name).exists()
    new = tmp_path / "new.db"
    result = run_doanfield(["--db", str(new), "unit", "list"], limit=16384)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert not new.exists()
    assert _leftovers(tmp_path) == []


def test_the_pre_upgrade_backup_is_whole_and_checked(tmp_path: Path) -> None:
    old = tmp_path / "cũ.db"
    os.close(os.open(old, os.O_CREAT | os.O_WRONLY, 0o600))
    engine._create_ledger_file(old)
    first = engine.create_engine(engine.to_url(old))
    engine._migrate(first, "0003")
    first.dispose()
    Cli(old, CliRunner()).ok("unit", "list")
    (backup,) = tmp_path.glob("cũ.db.before-0003-*.bak")
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        conn.close()
    assert _leftovers(tmp_path) == []


def test_db_copy_into_a_new_file_is_whole_or_nothing(ledger: Cli, tmp_path: Path) -> None:
    """A failed db copy into a new SQLite file left an empty ledger file (issue 11)."""
    copy = tmp_path / "copy.db"
    before = _bytes(ledger.db)
    for name in ("-wal", "-shm", "-journal"):  # SQLite's own files of the ledger
        result = ledger("db", "copy", f"{ledger.db}{name}")
        assert result.exit_code == 1 and "own file" in result.stderr, result.stderr
    assert _bytes(ledger.db) == before and not Path(f"{ledger.db}-journal").exists()
    conn = sqlite3.connect(ledger.db)
    conn.execute("PRAGMA journal_mode=DELETE")  # reading it then writes nothing (see below)
    conn.close()
    failed = run_doanfield(["--db", str(ledger.db), "db", "copy", str(copy)], limit=65536)
    assert failed.returncode == 1 and failed.stderr.count("\n") == 1, failed.stderr
    assert not copy.exists() and _leftovers(tmp_path) == []
    ledger.ok("db", "copy", str(copy))
    assert _mode(copy) == 0o600 and _leftovers(tmp_path) == []
    copied = Cli(copy, ledger.runner)
    assert copied.ok("trip", "list", "--format", "json").json()[0]["place"] == "Ia Sol"
