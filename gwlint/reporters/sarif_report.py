"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).

* `tool.driver` lists every registered rule (id, name, short/full description, help as text and
  Markdown from `gwlint.ruledocs.render_rule` — the same text as `gwlint explain` and `rules/` —,
  helpUri, default level, tags with the category).
* Each result has ruleId/ruleIndex, level (error, warning, note), the message (with hint), one
  physical location relative to `%SRCROOT%` (the repository root: Git's top level, else the
  current directory; forward slashes, percent-encoded, so code scanning matches the files from
  whatever directory gwlint ran in; files outside it as absolute file URIs) with a
  start/end line and column region (columns are Unicode code points; endColumn is exclusive, as
  SARIF wants), the related locations, and `partialFingerprints`.
* Fingerprints must not change when unrelated lines move (GitHub would close and reopen the
  alert): they hash the rule, the file (relative to the repository root), the object's
  identity (scope, group, kind, namespace,
  name) and the JSON path of the offending field, never a line number. Findings without an
  object (parse errors) hash the text of their line instead. A counter separates equal hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from gwlint import __version__, fastjson
from gwlint.budget import bounded, plain
from gwlint.escapes import sanitize
from gwlint.findings import Severity, json_pointer
from gwlint.registry import Rule, all_rules
from gwlint.reporters.paths import repo_path, repo_root
from gwlint.reporters.common import predicted, report_text
from gwlint.ruledocs import help_uri, render_rule

if TYPE_CHECKING:
    from gwlint.report import Report
    from gwlint.findings import Finding, Location

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/gwlint/gwlint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "gwlint/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning",
                    Severity.INFO: "recommendation"}


def _why(rule: Rule) -> str:
    """The one-paragraph explanation of the rule (the docstring's second paragraph)."""
    title, _, body = rule.doc.partition("\n")
    paragraphs = [p.strip() for p in body.strip().split("\n\n") if p.strip()]
    why = next((p for p in paragraphs if not p.startswith(("Bad:", "Fixed:", "```"))), "")
    text = " ".join(line.strip() for line in why.splitlines())
    return f"{title.strip()} {text}".strip() if text else title.strip() or rule.summary


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    doc = render_rule(rule)
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _why(rule)},
        "help": {"text": doc, "markdown": doc},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": not rule.opt_in},
        "properties": {
            "tags": ["gateway-api", "kubernetes", rule.category],
            "category": rule.category,
            "precision": "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            **({"predicts": rule.predicts.as_dict()} if rule.predicts else {}),
        },
    }


def artifact_location(file: str) -> dict[str, Any]:
    """Files in the repository relative to %SRCROOT% (forward slashes, percent-encoded); files
    outside it as absolute file URIs; names that are no file here (`<stdin>`, Helm template
    names) as they are shown, relative to %SRCROOT%."""
    rel = repo_path(file)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    if os.path.lexists(file) or os.path.isabs(file):
        return {"uri": Path(os.path.abspath(file)).as_uri()}
    return {"uri": quote(file.replace(os.sep, "/"), safe="/"), "uriBaseId": SRCROOT}


def region(loc: Location) -> dict[str, int]:
    end_line = max(loc.end_line, loc.line)
    end_column = loc.end_column
    if end_line == loc.line and end_column < loc.column:
        end_column = loc.column
    return {"startLine": loc.line, "startColumn": max(loc.column, 1), "endLine": end_line,
            "endColumn": max(end_column, 1)}


def physical(loc: Location) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": artifact_location(loc.file),
                                 "region": region(loc)}}


class _Fingerprints:
    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._lines: dict[int, list[str]] = {}

    def _line_text(self, f: Finding) -> str:
        src = f.source
        if src is None or not f.line:
            return ""
        lines = self._lines.get(id(src))
        if lines is None:
            lines = self._lines[id(src)] = src.text.split("\n")
        return lines[f.line - 1].strip() if 0 < f.line <= len(lines) else ""

    def of(self, f: Finding) -> str:
        loc = f.location
        assert loc is not None
        parts = [f.rule, repo_path(loc.file) or loc.file]
        res = f.resource
        if res is not None:
            parts += [res.scope, res.group, res.kind, res.namespace or "", res.name,
                      json_pointer(tuple(res.origin.prefix) + tuple(f.path)),
                      json.dumps(f.parent, sort_keys=True) if f.parent else "",
                      f.listener or ""]
        else:
            parts += [self._line_text(f), json_pointer(tuple(f.path))]
        digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
        n = self._counts.get(digest, 0) + 1
        self._counts[digest] = n
        return f"{digest}:{n}"


def result(report: Report, f: Finding, index: dict[str, int],
           fingerprints: _Fingerprints) -> dict[str, Any]:
    loc = f.location
    assert loc is not None
    # GitHub renders the message: manifest text in it is escaped as in the text report (bidi
    # overrides would reorder it); the raw values are in the properties
    text = sanitize(f.message)
    if f.hint:
        text += f"\nhint: {sanitize(f.hint)}"
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": LEVELS[report.severity_of(f)],
        "message": {"text": text},
        "locations": [physical(loc)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprints.of(f)},
    }
    related = []
    for i, r in enumerate(f.related):
        if r.location is None:
            continue
        item = physical(r.location)
        item["id"] = i
        item["message"] = {"text": sanitize(r.message)}
        related.append(item)
    if related:
        out["relatedLocations"] = related
    props: dict[str, Any] = {}
    res = f.resource
    if res is not None:
        props["resource"] = {"apiVersion": res.api_version, "kind": res.kind,
                             "namespace": res.namespace, "name": res.name}
        props["path"] = json_pointer(tuple(res.origin.prefix) + tuple(f.path))
    if predicted(f):
        props["predicts"] = [p.as_dict() for p in predicted(f)]
    if f.parent:
        props["parent"] = f.parent
    if f.listener:
        props["listener"] = f.listener
    if f.overlays:
        props["overlays"] = list(f.overlays)
    if props:
        out["properties"] = props
    if plain(out):  # nothing to cut (the generic walk below costs ~10 us per result)
        return out
    out, cut = bounded(out)  # a 49 MB name is not copied into every result that quotes it
    if cut:
        out.setdefault("properties", {})["truncated"] = True
    return out


def render(report: Report, **_: object) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    for code, rule in report.rules.items():  # a rule registered after all_rules() was cached
        if code not in index:
            index[code] = len(rules)
            rules.append(rule)
    fingerprints = _Fingerprints()
    run = {
        "tool": {"driver": {
            "name": "gwlint",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(r) for r in rules],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": Path(repo_root()).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "newlineSequences": ["\r\n", "\n", "\r"],  # lines as gwlint counts them (gwlint.lines)
        "results": [result(report, f, index, fingerprints) for f in report.findings],
        "properties": {"gatewayApi": report.version.as_dict()},
    }
    doc = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    encoded = fastjson.encode(doc, newline=True)  # json.dumps(doc, indent=2, ...) + "\n"
    doc.clear()  # the results' dicts go before the text is decoded (peak memory)
    run.clear()
    return report_text(encoded)  # invisible characters as JSON escapes
