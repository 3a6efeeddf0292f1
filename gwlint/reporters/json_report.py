"""`--format json`: the stable machine-readable contract documented in the README."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwlint import fastjson
from gwlint.budget import plain
from gwlint.reporters.common import finding_entry, header_dict, report_text, summary_dict

if TYPE_CHECKING:
    from gwlint.report import Report


# Findings encoded at a time. At 44,000 findings the whole list's dicts, its UTF-8 and its text
# were alive at once: the run's peak memory. A piece's text takes two bytes a character as soon
# as one character of it is beyond Latin-1 (an em dash in a message), one byte otherwise: small
# pieces keep most of them narrow until they are joined.
CHUNK = 200


def render(report: Report, **_: object) -> str:
    doc = header_dict(report)
    doc["summary"] = summary_dict(report)
    text = _in_chunks(report, doc)
    if text is not None:
        return text
    entries = [finding_entry(report, f) for f in report.findings]
    checked = all(ok for _, ok in entries) and plain(doc)  # no float anywhere: see budget.plain
    doc["findings"] = [entry for entry, _ in entries]
    # json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    encoded = fastjson.encode(doc, plain=checked, newline=True)
    doc.clear()  # the findings' dicts go before the text is decoded (peak memory)
    entries.clear()
    return report_text(encoded)  # invisible characters as JSON escapes


def _in_chunks(report: Report, doc: dict[str, Any]) -> str | None:
    """The report as `render` writes it, encoded CHUNK findings at a time; None when a finding
    is not `plain` (a value to cut, a float) or orjson is missing: `render` then writes the
    whole document at once."""
    if not report.findings or not plain(doc):
        return None
    head = fastjson.encode(doc)  # b'{\n  "gwlint": ...\n  }\n}': the findings come last
    if not isinstance(head, bytes):
        return None
    pieces = [report_text(head[:-2]), ',\n  "findings": [\n']
    findings = report.findings
    for start in range(0, len(findings), CHUNK):
        entries = [finding_entry(report, f) for f in findings[start:start + CHUNK]]
        if not all(ok for _, ok in entries):
            return None
        data = fastjson.list_items([entry for entry, _ in entries], depth=2)
        if data is None:
            return None
        if start:
            pieces.append(",\n")
        pieces.append(report_text(data))
    pieces.append("\n  ]\n}\n")
    return "".join(pieces)
