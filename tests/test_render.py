"""The compliance report's JSON written by a template is the json module's text, for any rows."""

from __future__ import annotations

import json
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from doanfield import render, rules
from doanfield.compliance import Compliance, ComplianceRow

# Any text a ledger could hold, and the awkward kinds on purpose: quotes, backslashes, control
# characters, Vietnamese, characters beyond the BMP.
texts = st.one_of(
    st.text(),
    st.sampled_from(['"', "\\", "\n\t\x00\x1f\x7f", "Nguyễn Thị Ánh", "𝔸 😀", "\u2028"]),
)
counts = st.integers(min_value=0, max_value=10_000)


@st.composite
def rows(draw: st.DrawFn) -> ComplianceRow:
    return ComplianceRow(
        cadre=draw(texts),
        name=draw(texts),
        unit=draw(texts),
        category=draw(texts),
        field_days=draw(counts),
        required_days=draw(counts),
        field_ok=draw(st.booleans()),
        weeks_met=draw(counts),
        weeks_total=draw(counts),
        training_required=draw(st.booleans()),
        training_status=draw(texts),
        report_pending=draw(st.booleans()),
        days_by_level=draw(st.dictionaries(texts, counts, max_size=3)),
        trip_reports_overdue=draw(counts),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(rows(), max_size=7), st.booleans(), st.integers(min_value=1, max_value=3))
def test_the_template_writes_what_json_dumps_writes(
    found: list[ComplianceRow], moved: bool, a_piece: int
) -> None:
    policy = rules.Policy(min_days_by_host_level=(("commune", 5),) if moved else ())
    report = Compliance(2024, date(2024, 6, 30), policy, found)
    text = "".join(render.compliance_json(report, rows_a_piece=a_piece))  # and a rest
    assert text == render.json_text(report.to_json())
    assert json.loads(text)["rows"] == [
        {k: v for k, v in vars(r).items() if k != "short_at"} for r in found
    ]
