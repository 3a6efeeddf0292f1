"""What every format shares: the JSON shape of a finding and safe rendering of untrusted text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gwlint import __version__
from gwlint.budget import bounded, plain
from gwlint.findings import Finding, Predicted, json_pointer
from gwlint.gitops.summary import summary_dict as layout_summary

if TYPE_CHECKING:
    from gwlint.report import Report

# Version of the JSON report's shape (README, "JSON output"). 2: `predicts` is a list of
# conditions, each with the object whose status holds it (1: one {type, status, reason} or null).
FORMAT_VERSION = 2

# The control and invisible characters `escapes.sanitize` shows but the C0 controls, which JSON
# escapes itself: written raw, they would reach whoever views a JSON or SARIF report (`cat`, a CI
# log, an editor). As JSON escapes (`\u202e`) they are still the data: the parsed report holds
# the very same values.
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
                       "\ufff9-\ufffb\ud800-\udfff]")


# _JSON_RAW's characters in UTF-8 (surrogates as "surrogatepass" writes them), searched in the
# bytes of a text that are not ASCII: no match there, none in the text.
_JSON_RAW_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe1\xa0\x8e"
                            rb"|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xaf]"
                            rb"|\xef\xbb\xbf|\xef\xbf[\xb9-\xbb]|\xed[\xa0-\xbf]")
_ASCII_BUT_DEL = bytes(range(0x7F))


def json_text(text: str, data: bytes | None = None) -> str:
    """A serialised JSON document with the control and invisible characters its strings hold
    written as JSON escapes (only strings can hold them). `data`: the text's UTF-8 bytes, if at
    hand: a report is megabytes, and searching its few non-ASCII bytes is 10x cheaper than
    searching the text (a UTF-8 sequence cannot start inside another character)."""
    if text.isascii():
        if "\x7f" not in text:
            return text
    elif data is not None and not _JSON_RAW_UTF8.search(data.translate(None, _ASCII_BUT_DEL)):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_text(encoded: str | bytes) -> str:
    """The text of a JSON or SARIF report from `fastjson.encode` (bytes are decoded here, once
    the caller has freed the value they were written from), through `json_text`."""
    if isinstance(encoded, str):
        return json_text(encoded)
    return json_text(encoded.decode("utf-8"), encoded)


def finding_dict(report: Report, f: Finding) -> dict[str, Any]:
    """The public JSON contract of one finding (see README, "JSON output")."""
    return finding_entry(report, f)[0]


def finding_entry(report: Report, f: Finding) -> tuple[dict[str, Any], bool]:
    """`finding_dict`, and whether it is `budget.plain` (no value cut, no float: the JSON writer
    need not look again)."""
    out = _finding_fields(report, f)
    if plain(out):
        out["truncated"] = False
        return out, True
    out, cut = bounded(out)  # a 49 MB name is not copied into every finding that quotes it
    out["truncated"] = cut
    return out, False


def _finding_fields(report: Report, f: Finding) -> dict[str, Any]:
    rule = report.rules[f.rule]
    loc = f.location
    assert loc is not None
    res = f.resource
    out: dict[str, Any] = {
        "rule": f.rule,
        "name": rule.name,
        "category": rule.category,
        "severity": str(report.severity_of(f)),
        "message": f.message,
        "hint": f.hint,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "path": (json_pointer(tuple(res.origin.prefix) + tuple(f.path)) if res
                 else json_pointer(f.path)),
        "resource": None if res is None else {
            "apiVersion": res.api_version, "kind": res.kind, "namespace": res.namespace,
            "name": res.name},
        "parent": f.parent,
        "listener": f.listener,
        "overlays": list(f.overlays),
        "predicts": [p.as_dict() for p in predicted(f)],
        "related": [
            {"file": r.location.file, "line": r.location.line, "column": r.location.column,
             "message": r.message}
            for r in f.related if r.location is not None],
    }
    return out


def summary_dict(report: Report) -> dict[str, Any]:
    return {"files": report.files, "documents": report.documents, "resources": report.resources,
            "skipped_documents": report.skipped_documents, "findings": report.counts(),
            **layout_summary(report.layout)}


def header_dict(report: Report) -> dict[str, Any]:
    return {"gwlint": __version__, "format_version": FORMAT_VERSION,
            "gateway_api": report.version.as_dict()}


def predicted(f: Finding) -> list[Predicted]:
    """The conditions a finding implies (none for findings made outside a rule's check)."""
    return f.predicts if isinstance(f.predicts, list) else []


def _object_text(p: Predicted) -> str:
    return f"{p.kind} {p.namespace + '/' if p.namespace else ''}{p.name}"


def _parent_text(parent: dict[str, Any]) -> str:
    text = f"{parent.get('kind')} "
    if parent.get("namespace"):
        text += f"{parent['namespace']}/"
    text += str(parent.get("name"))
    if parent.get("sectionName"):
        text += f"#{parent['sectionName']}"
    if parent.get("port") is not None:
        text += f":{parent['port']}"
    return text


def predicts_text(f: Finding) -> str:
    """Every condition of a finding on one line: "Accepted=False NotAllowedByListeners;
    Programmed=False Invalid (listener 'https'); ..." - where it is written is named when it is
    not the finding's own object, a listener, or one of several route parents; a likely outcome
    says so."""
    items = predicted(f)
    res = f.resource
    own = (res.kind, res.namespace, res.name) if res is not None else None
    parents = {_parent_text(p.parent) for p in items if p.parent}
    parts = []
    for p in items:
        notes = []
        if (p.kind, p.namespace, p.name) != own:
            notes.append(_object_text(p))
        if p.listener is not None:
            notes.append(f"listener '{p.listener}'")
        if p.parent and len(parents) > 1:
            notes.append(f"parent {_parent_text(p.parent)}")
        if p.likely:
            notes.append("likely")
        text = f"{p.type}={p.status} {p.reason}"
        parts.append(f"{text} ({', '.join(notes)})" if notes else text)
    return "; ".join(parts)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
