"""`--format json`: the stable machine-readable contract documented in the README."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwlint import fastjson
from gwlint.budget import plain
from gwlint.reporters.common import finding_entry, header_dict, report_text, summary_dict

if TYPE_CHECKING:
    from gwlint.report import Report


def render(report: Report, **_: object) -> str:
    doc = header_dict(report)
    doc["summary"] = summary_dict(report)
    entries = [finding_entry(report, f) for f in report.findings]
    checked = all(ok for _, ok in entries) and plain(doc)  # no float anywhere: see budget.plain
    doc["findings"] = [entry for entry, _ in entries]
    # json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    encoded = fastjson.encode(doc, plain=checked, newline=True)
    doc.clear()  # the findings' dicts go before the text is decoded (peak memory)
    entries.clear()
    return report_text(encoded)  # invisible characters as JSON escapes
