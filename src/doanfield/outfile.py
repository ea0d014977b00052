"""The one way doanfield writes a file that a person named: every `--output`, `template
--output`, `db backup`, `db copy` into a new SQLite file, and the backup kept before an upgrade.

* Never over the ledger: not the ledger file, not its `-wal`, `-shm` or `-journal`, not a backup
  kept before an upgrade (`LEDGER.before-….bak`) — whatever path, symlink or hard link names
  them — and not any other file that is a doanfield ledger (a `db backup`), even with --force.
* Never into a folder, a pipe (FIFO), a device or a socket: refused before it is opened, so a
  FIFO never blocks and a device is never written or chmod-ed.
* Never half a file: everything is written to a temporary file in the same folder, named
  `.NAME.….doanfield-tmp` (mode 0600), flushed to the disk, and only then renamed to NAME. A
  failure, a full disk or Ctrl-C removes the temporary file; a killed process can only leave
  that temporary name behind, which `db check` reports — never a partial or empty NAME.
* An existing NAME is replaced only with `--force`.

Standard library only: the CLI imports it at start-up.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from doanfield.domain import DoanfieldError
from doanfield.messages import Msg, os_reason

TEMP_SUFFIX = ".doanfield-tmp"
COMPANIONS = ("", "-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"
# "Doan" in a SQLite header marks a doanfield ledger (engine.APPLICATION_ID).
APPLICATION_ID = 0x446F616E
NO_SPACE = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


class OutputRefused(DoanfieldError):
    """A file doanfield will not write (the ledger, a device, an existing file without --force)."""


class OutputFailed(DoanfieldError):
    """Writing the file failed (a full disk…); nothing was left under its name."""


def may_write(path: Path) -> bool:
    """Does the file system let this process (its effective user) write `path`?"""
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def ledger_writable(path: Path) -> bool:
    """Can this process write the ledger (its file, and its folder for the journal files)?"""
    return may_write(path) and may_write(path.parent)


def is_ledger_file(path: Path) -> bool:
    """A regular file whose SQLite header carries doanfield's mark: a ledger or its backup."""
    try:
        with path.open("rb") as handle:
            header = handle.read(72)
    except OSError:
        return False
    return (
        header.startswith(SQLITE_HEADER) and int.from_bytes(header[68:72], "big") == APPLICATION_ID
    )


def file_kind(mode: int) -> Msg | None:
    """What a path that is not a regular file is, for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return Msg.KIND_FOLDER
    if stat.S_ISFIFO(mode):
        return Msg.KIND_PIPE
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Msg.KIND_DEVICE
    if stat.S_ISSOCK(mode):
        return Msg.KIND_SOCKET
    return Msg.KIND_OTHER


def failure(path: Path, error: OSError) -> OutputFailed:
    """One line for a write that failed: the disk is full, or the system's reason."""
    if error.errno in NO_SPACE:
        return OutputFailed(Msg.OUTPUT_NO_SPACE, path=str(path))
    return OutputFailed(Msg.OUTPUT_FAILED, path=str(path), reason=os_reason(error))


@dataclass(frozen=True)
class Output:
    """A file to write, the --force given with it, and the ledger it must never replace."""

    path: Path
    force: bool = False
    ledger: Path | None = None
    # A backup may replace (with --force) an older backup, which is a ledger file itself.
    over_backups: bool = False
    # Told the file's name once it is written whole (the shell says so to the clerk).
    written: Callable[[Path], None] | None = field(default=None, compare=False)

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower().lstrip(".")

    def check(self) -> None:
        """Refuse now what would be refused at the end (before a long report is computed)."""
        check_target(self.path, self.force, self.ledger, self.over_backups)

    @contextmanager
    def file(self) -> Iterator[Path]:
        """A temporary path to write; renamed to the output's name when the block succeeds."""
        with new_file(self.path, self.force, self.ledger, self.over_backups) as temporary:
            yield temporary
        if self.written is not None:
            self.written(self.path)

    @contextmanager
    def open(self, encoding: str = "utf-8", newline: str | None = "") -> Iterator[IO[str]]:
        """A text handle on the temporary file (see `file`)."""
        with self.file() as temporary, temporary.open("w", encoding=encoding, newline=newline) as h:
            yield h

    @contextmanager
    def open_binary(self) -> Iterator[IO[bytes]]:
        with self.file() as temporary, temporary.open("wb") as handle:
            yield handle


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _guarded(path: Path, ledger: Path | None) -> bool:
    """Is `path` (whatever names it: a symlink, `..`, a hard link) the ledger or its own file?"""
    if ledger is None:
        return False
    real = Path(os.path.realpath(path))
    home = Path(os.path.realpath(ledger))
    if real.parent == home.parent and (
        real.name in {home.name + c for c in COMPANIONS}
        or (real.name.startswith(home.name + ".before-") and real.name.endswith(".bak"))
    ):
        return True
    try:
        here = os.stat(path)
    except OSError:
        return False
    for companion in COMPANIONS:
        try:
            if _same(here, os.stat(str(ledger) + companion)):
                return True
        except OSError:
            continue
    return False


def check_target(
    path: Path, force: bool, ledger: Path | None = None, over_backups: bool = False
) -> None:
    """Refuse a target that must not be written: see the module's docstring."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputRefused(Msg.FOLDER_MISSING, path=str(folder))
    if _guarded(path, ledger):
        raise OutputRefused(Msg.OUTPUT_IS_LEDGER, path=str(path), ledger=str(ledger))
    try:
        found = os.stat(path)  # through a symlink: what a write would reach
    except FileNotFoundError:
        found = None
    except OSError as error:
        raise OutputRefused(Msg.OUTPUT_FAILED, path=str(path), reason=os_reason(error)) from None
    if found is not None:
        kind = file_kind(found.st_mode)
        if kind is not None:
            raise OutputRefused(Msg.OUTPUT_NOT_REGULAR, path=str(path), kind=kind)
        if not over_backups and is_ledger_file(path):
            raise OutputRefused(Msg.OUTPUT_IS_A_LEDGER, path=str(path))
    if os.path.lexists(path) and not force:
        raise OutputRefused(Msg.FILE_EXISTS_FORCE, path=str(path))


def leftovers(folder: Path) -> list[Path]:
    """Temporary files of writes that never finished (a killed process), in `folder`."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX))
    except OSError:
        return []


def _publish(temporary: Path, path: Path, force: bool) -> None:
    """Give the finished temporary file its name; without --force never over a file that
    appeared meanwhile (a hard link fails when the name exists)."""
    if force:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise OutputRefused(Msg.FILE_EXISTS_FORCE, path=str(path)) from None
    except OSError:  # no hard links here (a FAT32 USB stick): check, then rename
        if os.path.lexists(path):
            raise OutputRefused(Msg.FILE_EXISTS_FORCE, path=str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def new_file(
    path: Path, force: bool = False, ledger: Path | None = None, over_backups: bool = False
) -> Iterator[Path]:
    """A new private temporary file beside `path`, for the block to fill; on success it is
    synced and renamed to `path`, on any failure removed (an OSError becomes one line)."""
    check_target(path, force, ledger, over_backups)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise failure(path, error) from None
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        check_target(path, force, ledger, over_backups)  # nothing changed there meanwhile
        _publish(temporary, path, force)
    except OSError as error:
        _discard(temporary)
        raise failure(path, error) from None
    except BaseException:
        _discard(temporary)
        raise


def _discard(temporary: Path) -> None:
    for companion in COMPANIONS:
        with suppress(OSError):
            os.unlink(str(temporary) + companion)
