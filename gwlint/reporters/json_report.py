"""`--format json`: the stable machine-readable contract documented in the README."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwlint import fastjson
from gwlint.reporters.common import finding_dict, header_dict, json_text, summary_dict

if TYPE_CHECKING:
    from gwlint.report import Report


def render(report: Report, **_: object) -> str:
    doc = header_dict(report)
    doc["summary"] = summary_dict(report)
    doc["findings"] = [finding_dict(report, f) for f in report.findings]
    text = fastjson.dumps(doc)  # json.dumps(doc, indent=2, ensure_ascii=False)
    return json_text(text) + "\n"  # invisible characters as JSON escapes
