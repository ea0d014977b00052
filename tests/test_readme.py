"""The README's command examples run, in order, against the examples ledger: they cannot drift."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- commands -->\n```sh\n(.*?)```", text, re.S)
    assert block, "README.md lost its <!-- commands --> block"
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
