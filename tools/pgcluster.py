"""A throwaway PostgreSQL cluster for the tests and the benchmark.

`initdb` and `pg_ctl` build and start a cluster in a new temporary folder that listens only on a
unix socket inside that folder (no TCP port, nothing another program on the machine can reach by
accident); `stop()` ends it and removes the folder. PostgreSQL refuses to run as root, so under
root the server runs as an unprivileged user (DOANFIELD_PG_USER, else the `postgres` user that
the distribution's package creates) through `runuser` or `setpriv`.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
# Durability is pointless for a cluster thrown away after the run; these make it quick.
FAST_SETTINGS = {
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
}


class ClusterUnavailable(Exception):
    """The server programs are missing or the cluster would not start; says why."""


def _has_programs(folder: Path) -> bool:
    return all((folder / name).is_file() for name in SERVER_PROGRAMS)


def _version_key(path: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path)) or (0,)


def find_server_programs() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres, newest version first; None if absent.

    Debian and Ubuntu keep them off PATH under /usr/lib/postgresql/VERSION/bin, Red Hat under
    /usr/pgsql-VERSION/bin; DOANFIELD_PG_BIN names a folder explicitly.
    """
    named = os.environ.get("DOANFIELD_PG_BIN")
    if named:
        return Path(named) if _has_programs(Path(named)) else None
    candidates: list[Path] = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(os.path.realpath(on_path)).parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            candidates.append(Path(done.stdout.strip()))
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin"):
        candidates += [Path(p) for p in sorted(glob.glob(pattern), key=_version_key, reverse=True)]
    return next((folder for folder in candidates if _has_programs(folder)), None)


def _server_user() -> str | None:
    """Who runs the server: None for the current user, else an unprivileged account."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("DOANFIELD_PG_USER", "postgres")
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise ClusterUnavailable(
            f"PostgreSQL will not run as root and there is no user '{name}' to run it as "
            "(set DOANFIELD_PG_USER)"
        ) from None
    return name


def _as_user(user: str | None, command: list[str]) -> list[str]:
    if user is None:
        return command
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *command]
    if shutil.which("setpriv"):
        entry = pwd.getpwnam(user)
        return [
            "setpriv",
            f"--reuid={entry.pw_uid}",
            f"--regid={entry.pw_gid}",
            "--init-groups",
            *command,
        ]
    raise ClusterUnavailable("running PostgreSQL as another user needs runuser or setpriv")


@dataclass
class Cluster:
    folder: Path
    bindir: Path
    user: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    def _run(self, *command: str) -> None:
        done = subprocess.run(
            _as_user(self.user, list(command)),
            capture_output=True,
            text=True,
            cwd=self.folder,
        )
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise ClusterUnavailable(f"{Path(command[0]).name} failed: {' / '.join(tail)}")

    def start(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data),
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",
        )
        settings = {**FAST_SETTINGS, "unix_socket_directories": f"'{self.folder}'"}
        options = " ".join(f"-c {key}={value}" for key, value in settings.items())
        self._run(
            str(self.bindir / "pg_ctl"),
            "start",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--options",
            options,
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_user(
                    self.user,
                    [
                        str(self.bindir / "pg_ctl"),
                        "stop",
                        "--pgdata",
                        str(self.data),
                        "-m",
                        "immediate",
                    ],
                ),
                capture_output=True,
                cwd=self.folder,
            )
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str, driver: str = "postgresql+psycopg") -> str:
        """A SQLAlchemy URL reaching `database` through the cluster's private socket."""
        return f"{driver}://{SUPERUSER}@/{database}?host={self.folder}"

    def connect_args(self, database: str = "postgres") -> dict[str, str]:
        """Keyword arguments for psycopg.connect and the psql environment."""
        return {"host": str(self.folder), "user": SUPERUSER, "dbname": database}


PREFIX = "doanfield-pg-"
OWNER = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned(bindir: Path, user: str | None) -> None:
    """Stop and remove the clusters of earlier runs that were killed before they could."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            owner = int((folder / OWNER).read_text())
        except (OSError, ValueError):
            continue
        if not _alive(owner):
            Cluster(folder, bindir, user).stop()


def start_cluster() -> Cluster:
    """A running throwaway cluster; raises ClusterUnavailable saying why not."""
    bindir = find_server_programs()
    if bindir is None:
        raise ClusterUnavailable(
            "PostgreSQL's server programs (initdb, pg_ctl) were not found; install them "
            "(Debian: apt-get install postgresql) or set DOANFIELD_PG_BIN"
        )
    user = _server_user()
    remove_abandoned(bindir, user)
    # A short path: a unix socket's path must stay under about 100 bytes.
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / OWNER).write_text(str(os.getpid()))
    try:
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = Cluster(folder, bindir, user)
        cluster.start()
    except BaseException:
        Cluster(folder, bindir, user).stop()
        raise
    return cluster


if __name__ == "__main__":
    # `python3 tools/pgcluster.py`: where the server programs are (exit 1 when nowhere).
    import sys

    found = find_server_programs()
    print(found or "PostgreSQL's server programs were not found")
    sys.exit(0 if found else 1)
