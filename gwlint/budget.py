"""Budgets on what a run reports: findings per rule and file, and the length of quoted values.

A pull request can add a file that makes one rule fire 300,000 times (a mapping that repeats one
key), or a 49 MB name that every message quoting it repeats. Reports stay readable and bounded:

* at most MAX_FINDINGS_PER_FILE findings of one rule in one file (the first ones, by position);
  the rest become one summary finding of the same rule, "... and 299,900 more", at the first
  omitted position, with the highest severity among them (so the exit code does not change);
* reporters cut every value (message, hint, name, path) to MAX_VALUE characters (`shorten`,
  `bounded`), saying how much was cut; a JSON finding says `"truncated": true`, a SARIF result
  `properties.truncated`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwlint.findings import Finding, Location, Severity

MAX_FINDINGS_PER_FILE = 100  # findings of one rule in one file
MAX_VALUE = 2_000  # characters of one value in a report: a message, a hint, a name, a path
_CUT = " [... {n:,} more characters]"
# The hint of every summary finding, compared by identity: a summary made early (the loader caps
# its own issues while it reads a file) is not counted again by `limit_findings`.
SUMMARY_HINT = "fix the findings listed first; the rest are often the same mistake repeated"


def summary_message(code: str, more: int, limit: int = MAX_FINDINGS_PER_FILE) -> str:
    """The message of a finding that stands for `more` findings of rule `code` in a file."""
    return (f"... and {more:,} more {code} finding{'s' if more != 1 else ''} in this file, "
            f"not listed (a report shows at most {limit:,} per rule and file)")


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """`text` cut to about `limit` characters, saying how many were cut."""
    if len(text) <= limit:
        return text
    keep = max(limit - 40, 0)
    return text[:keep] + _CUT.format(n=len(text) - keep)


def bounded(value: Any, limit: int = MAX_VALUE) -> tuple[Any, bool]:
    """A JSON-like value (dicts, lists, strings) with every string cut to about `limit`
    characters, and whether anything was cut. Values within the limit are returned as they are."""
    if isinstance(value, str):
        return (value, False) if len(value) <= limit else (shorten(value, limit), True)
    if isinstance(value, dict):
        cut = False
        out = {}
        for k, v in value.items():
            v, c = bounded(v, limit)
            out[k] = v
            cut = cut or c
        return (out, True) if cut else (value, False)
    if isinstance(value, list):
        items = [bounded(v, limit) for v in value]
        if any(c for _, c in items):
            return [v for v, _ in items], True
        return value, False
    return value, False


def limit_findings(findings: list[Finding], severity_of: Callable[[Finding], Severity],
                   limit: int = MAX_FINDINGS_PER_FILE) -> list[Finding]:
    """The first `limit` findings of each rule in each file (in the order given, which is by
    position), plus one summary finding per (rule, file) for the rest. `limit` <= 0: no limit."""
    if limit <= 0 or len(findings) <= limit:
        return findings
    counts: dict[tuple[str, str], int] = {}
    omitted: dict[tuple[str, str], list[Finding]] = {}  # first omitted finding, then the worst
    out: list[Finding] = []
    for f in findings:
        if f.hint is SUMMARY_HINT:  # already a summary
            out.append(f)
            continue
        key = (f.rule, f.location.file if f.location else "")
        n = counts.get(key, 0) + 1
        counts[key] = n
        if n <= limit:
            out.append(f)
            continue
        seen = omitted.get(key)
        if seen is None:
            omitted[key] = [f, f]
            out.append(f)  # replaced by its summary below, keeping the order
        elif severity_of(f) > severity_of(seen[1]):
            seen[1] = f
    if not omitted:
        return findings
    first_omitted = {id(first): (key, worst) for key, (first, worst) in omitted.items()}
    for i, f in enumerate(out):
        entry = first_omitted.get(id(f))
        if entry is not None:
            key, worst = entry
            out[i] = _summary(f, counts[key] - limit, limit, severity_of(worst))
    return out


def _summary(first: Finding, more: int, limit: int, severity: Severity) -> Finding:
    """One finding that stands for `more` omitted findings of a rule in a file, where the first
    of them is."""
    loc = first.location
    line = loc.line if loc else first.line
    column = loc.column if loc else first.column
    summary = Finding(summary_message(first.rule, more, limit), rule=first.rule,
                      severity=severity, source=first.source, hint=SUMMARY_HINT, line=line,
                      column=column, end_line=line, end_column=column)
    if loc is not None:
        summary.location = Location(loc.file, loc.line, loc.column, loc.line, loc.column)
    return summary
