"""Every test gets its own ledger in a temporary directory; none touches the user's data."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from doanfield.cli.main import app
from doanfield.engine import open_ledger

TODAY = "2025-06-30"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("DOANFIELD_DB", raising=False)
    monkeypatch.delenv("DOANFIELD_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass
class Cli:
    """Runs doanfield against one ledger (a file, or a database URL), as a user would type it."""

    db: Path | str
    runner: CliRunner

    def __call__(self, *args: str, today: str = TODAY, lang: str | None = None) -> Result:
        head = ["--db", str(self.db), "--today", today]
        if lang:
            head += ["--lang", lang]
        result = self.runner.invoke(app, [*head, *args])
        return Result(result.exit_code, result.stdout, result.stderr)

    def ok(self, *args: str, **options: Any) -> Result:
        result = self(*args, **options)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def dump(self) -> str:
        ledger = open_ledger(self.db)
        try:
            return ledger.dump()
        finally:
            ledger.engine.dispose()


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "ledger.db", CliRunner())


@pytest.fixture
def province(cli: Cli) -> Cli:
    """A small ledger: a province, two districts, a commune and four cadres."""
    cli.ok("unit", "add", "TD", "--name", "Tỉnh Đoàn Gia Lai", "--level", "province")
    cli.ok(
        "unit",
        "add",
        "HD-PT",
        "--name",
        "Huyện Đoàn Phú Thiện",
        "--level",
        "district",
        "--parent",
        "TD",
    )
    cli.ok(
        "unit",
        "add",
        "HD-DC",
        "--name",
        "Huyện Đoàn Đức Cơ",
        "--level",
        "district",
        "--parent",
        "TD",
    )
    cli.ok(
        "unit",
        "add",
        "X-PT1",
        "--name",
        "Đoàn xã Ia Sol",
        "--level",
        "commune",
        "--parent",
        "HD-PT",
    )
    cli.ok(
        "cadre",
        "add",
        "GL04",
        "--name",
        "Nguyễn Thành Hưng",
        "--unit",
        "TD",
        "--category",
        "provincial_staff",
        "--birth",
        "14/05/1992",
    )
    cli.ok(
        "cadre",
        "add",
        "GL01",
        "--name",
        "Rơ Mah Tuấn",
        "--unit",
        "TD",
        "--category",
        "provincial_leader",
        "--birth",
        "11/03/1984",
    )
    cli.ok(
        "cadre",
        "add",
        "PT01",
        "--name",
        "Trần Văn An",
        "--unit",
        "HD-PT",
        "--category",
        "district_key",
        "--birth",
        "04/04/1990",
    )
    cli.ok(
        "cadre",
        "add",
        "DC01",
        "--name",
        "Lê Thị Ánh",
        "--unit",
        "HD-DC",
        "--birth",
        "09/09/1988",
        "--active-from",
        "01/07/2024",
    )
    return cli


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def examples() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent / "examples"
