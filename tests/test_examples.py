"""examples/ reproduces the article: loaded the way `make demo` loads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Cli, Ledgers

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PLAN = "152-KH/TĐTN-TCKT"


@pytest.fixture(scope="module")
def gia_lai(ledgers: Ledgers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    cli = ledgers.new(tmp_path_factory.mktemp("gialai"))
    for kind in ("units", "cadres", "plans", "assignments", "absences"):
        cli.ok("import", kind, str(EXAMPLES / f"{kind}.csv"))
    for path in sorted(EXAMPLES.glob("trips*.csv")):
        cli.ok("import", "trips", str(path))
    yield cli
    ledgers.discard(cli)


def test_2023_in_figures_as_the_article_says(gia_lai: Cli) -> None:
    summary = gia_lai.ok("report", "summary", "--year", "2023", "--format", "json").json()
    assert summary["cadres_in_field"] == 19
    assert 1250 <= summary["field_days"] <= 1299  # "almost 1,300 field days"
    assert summary["trips_by_kind"]["thematic"] == 38
    table = gia_lai.ok("report", "summary", "--year", "2023").stdout
    assert "In 2023, 19 cadres had 1,287 field days and 38 thematic trips." in table
    vi = gia_lai.ok("report", "summary", "--year", "2023", lang="vi").stdout
    assert "Năm 2023, 19 cán bộ đi cơ sở 1.287 ngày, 38 đợt theo chuyên đề." in vi


def test_nguyen_thanh_hung_seconded_to_phu_thien(gia_lai: Cli) -> None:
    cadres = {c["name"]: c for c in gia_lai.ok("cadre", "list", "--format", "json").json()}
    hung = cadres["Nguyễn Thành Hưng"]
    assignments = gia_lai.ok("assignment", "list", "--format", "json").json()
    (stint,) = [a for a in assignments if a["cadre"] == hung["code"]]
    assert (stint["start"], stint["end"], stint["host"]) == ("2024-02-19", "2024-05-18", "HD-PT")
    assert stint["role"].startswith("Phó Bí thư Huyện Đoàn") and stint["plan"] == PLAN
    units = {u["code"]: u for u in gia_lai.ok("unit", "list", "--format", "json").json()}
    assert units["HD-PT"]["name"] == "Huyện Đoàn Phú Thiện"
    assert units["HD-DC"]["name"] == "Huyện Đoàn Đức Cơ"
    report = gia_lai.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    row = next(r for r in report["rows"] if r["cadre"] == hung["code"])
    assert row["training_status"] == "done"
    sheet = gia_lai.ok("cadre", "show", hung["code"], "--year", "2024").stdout
    assert "Phó Bí thư Huyện Đoàn Phú Thiện" in sheet
    assert f"all: doanfield trip list --cadre {hung['code']}" in sheet  # one screen
    assert sheet.count("\n") < 60


def test_plan_152_partly_carried_out(gia_lai: Cli) -> None:
    plan = gia_lai.ok("report", "plan", PLAN, "--format", "json").json()
    quotas = {q["level"]: q for q in plan["quotas"]}
    assert quotas["province"]["target"] == 7 and quotas["district"]["target"] == 13
    assert quotas["district"]["max_age"] == 35
    for quota in quotas.values():
        assert 0 < quota["assigned"] < quota["target"]
    assert plan["violations"], "the examples include one cadre over the age limit"


def test_a_district_secretary_away_at_a_political_theory_course(gia_lai: Cli) -> None:
    absences = gia_lai.ok("absence", "list", "--year", "2024", "--format", "json").json()
    cadres = {c["code"]: c for c in gia_lai.ok("cadre", "list", "--format", "json").json()}
    studying = [a for a in absences if a["reason"].startswith("study")]
    assert studying and cadres[studying[0]["cadre"]]["position"] == "Bí thư Huyện Đoàn"
    report = gia_lai.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    row = next(r for r in report["rows"] if r["cadre"] == studying[0]["cadre"])
    assert row["required_days"] < 60


def test_2024_compliance_has_gaps_to_show(gia_lai: Cli) -> None:
    report = gia_lai.ok("report", "compliance", "--year", "2024", "--format", "json").json()
    totals = report["totals"]
    assert 0 < totals["field_ok"] < totals["cadres"]
    assert gia_lai("report", "compliance", "--year", "2024", "--fail-on-gap").exit_code == 1


def test_examples_reimport_adds_nothing(gia_lai: Cli) -> None:
    again = gia_lai.ok("import", "trips", str(EXAMPLES / "trips-2023.csv"))
    assert " 0 added" in again.stdout
