"""The README's command examples run, in order, against the examples ledger: they cannot drift."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent


def readme_commands(name: str = "commands") -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- {name} -->\n```sh\n(.*?)```", text, re.S)
    assert block, f"README.md lost its <!-- {name} --> block"
    return [
        shlex.split(line)[1:]
        for line in block.group(1).splitlines()
        if line.startswith("doanfield ")
    ]


def test_readme_examples_run(cli: Cli) -> None:
    for kind in ("units", "cadres", "plans", "assignments", "absences"):
        cli.ok("import", kind, str(ROOT / "examples" / f"{kind}.csv"))
    for path in sorted((ROOT / "examples").glob("trips*.csv")):
        cli.ok("import", "trips", str(path))
    commands = readme_commands()
    assert len(commands) > 25
    for args in commands:
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == ""


def test_readme_reorganisation_runs(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Recording the 2025 reorganisation", in a folder holding examples/, on a day after 2025
    (its reports cover the whole year)."""
    for kind in ("units", "cadres", "plans", "assignments", "absences"):
        cli.ok("import", kind, str(ROOT / "examples" / f"{kind}.csv"))
    for path in sorted((ROOT / "examples").glob("trips*.csv")):
        cli.ok("import", "trips", str(path))
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(folder)
    commands = readme_commands("reorganisation")
    assert len(commands) > 20
    outputs = {}
    for args in commands:
        result = cli(*args, today="2026-03-01")
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == ""
        outputs[" ".join(args)] = result.stdout
    assert outputs["import moves examples/reform-2025/moves.csv"].strip() == (
        "moves.csv: 20 added, 0 updated, 1 skipped as already recorded"  # PT01's, moved above
    )
    report = cli.ok(
        "report", "compliance", "--year", "2025", "--unit", "GL", "--format", "json",
        today="2026-03-01",
    ).json()  # fmt: skip
    assert report["totals"]["cadres"] == 34 + 14  # both provinces' cadres


def test_every_command_is_in_the_readme() -> None:
    from typer.main import get_command

    from doanfield.cli.main import app

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    group = get_command(app)
    missing = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subs = getattr(command, "commands", None)
        for path in [f"{name} {sub}" for sub in subs] if subs else [name]:
            if path not in text:
                missing.append(path)
    assert missing == []
