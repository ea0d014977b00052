"""Every command's --help: in both languages, ending with examples that parse."""

from __future__ import annotations

import shlex
from typing import Any

import pytest

from doanfield.cli.helptext import EXAMPLES, HELP_VI, vietnamese_help
from tests.conftest import Cli


def commands() -> list[tuple[str, Any]]:
    """(path, command) for doanfield and every command below it."""
    from typer.main import get_command

    from doanfield.cli.main import app

    found: list[tuple[str, Any]] = []

    def walk(command: Any, path: str) -> None:
        found.append((path, command))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(get_command(app), "")
    return found


def test_every_command_and_option_has_its_vietnamese() -> None:
    missing = []
    for path, command in commands():
        if not vietnamese_help(path):
            missing.append(f"{path or 'doanfield'}: the command")
        for param in command.params:
            shown = getattr(param, "help", None) and not getattr(param, "hidden", False)
            if shown and not vietnamese_help(path, param):
                missing.append(f"{path or 'doanfield'}: {param.opts or param.name}")
    assert missing == []
    stale = sorted(set(HELP_VI) - {path for path, _ in commands()})
    assert stale == []  # no Vietnamese for a command that is gone


def resolve(args: list[str]) -> tuple[str, Any]:
    """Parse a command line as doanfield would, without running it; return the command path."""
    from typer.main import get_command

    from doanfield.cli.main import app

    command = get_command(app)
    ctx = command.make_context("doanfield", list(args))
    path = []
    while hasattr(command, "commands"):
        name, command, rest = command.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        path.append(name)
        ctx = command.make_context(name, rest, parent=ctx)
    return " ".join(path), ctx


def test_every_command_ends_with_examples_that_parse() -> None:
    without = [path or "doanfield" for path, _ in commands() if not EXAMPLES.get(path)]
    assert without == []
    for path, examples in EXAMPLES.items():
        for example in examples:
            words = shlex.split(example)
            assert words[0] == "doanfield"
            named, _ = resolve(words[1:])
            assert named == path or path in ("", *{p.split()[0] for p in EXAMPLES if p}), example


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_help_shows_the_examples(cli: Cli, lang: str) -> None:
    shown = cli.ok("trip", "add", "--help", lang=lang).stdout
    heading = {"en": "Examples:", "vi": "Ví dụ:"}[lang]
    assert heading in shown
    assert "    doanfield trip add --cadre GL04 --date 19/02/2024 --kind thematic" in shown
    if lang == "vi":
        assert shown.startswith("Cách dùng: doanfield trip add [TÙY CHỌN]")
        # What to type, named in Vietnamese; the words of --kind before its codes.
        assert "--cadre MÃ " in shown and "--date NGÀY " in shown and "--place VĂN_BẢN " in shown
        flat = " ".join(shown.split())  # as the help wraps, whatever the width
        assert "--kind LOẠI Hình thức: theo chuyên đề; kiểm tra, giám sát;" in flat
        assert "Tùy chọn:" in shown and "Cán bộ đi cơ sở.  [bắt buộc]" in shown
        assert "Ngày dạng 19/02/2024 hoặc 2024-02-19." in flat
        assert "Hiện hướng dẫn này rồi thoát." in shown


def test_the_language_of_help_may_come_from_the_environment(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOANFIELD_LANG", "vi")
    shown = cli.ok("report", "--help").stdout
    assert "Kết quả thực hiện, tổng hợp năm, tuần 4+1, tiến độ kế hoạch." in shown
    assert "Lệnh:" in shown


def test_usage_lines_and_placeholders_in_vietnamese(cli: Cli) -> None:
    root = cli.ok("--help", lang="vi").stdout
    assert root.startswith("Cách dùng: doanfield [TÙY CHỌN] LỆNH [THAM SỐ]...")
    assert "--db TỆP_HOẶC_URL" in root
    log = cli.ok("log", "--help", lang="vi").stdout
    assert "--limit <số nguyên>" in log and "int range" not in log
    imported = cli.ok("import", "--help", lang="vi").stdout
    assert imported.startswith("Cách dùng: doanfield import [TÙY CHỌN] {LOẠI} {TỆP}")
    assert "TỆP <tệp>" in imported
    cadre = " ".join(cli.ok("cadre", "add", "--help", lang="vi").stdout.split())
    assert "--category ĐỐI_TƯỢNG Đối tượng: lãnh đạo Tỉnh Đoàn; cán bộ chuyên trách" in cadre
    # Choices are typed as they are, and English help keeps its own words.
    assert "<table|csv|json|xlsx>" in cli.ok("report", "compliance", "--help", lang="vi").stdout
    assert cli.ok("trip", "add", "--help").stdout.startswith("Usage: doanfield trip add [OPTIONS]")
