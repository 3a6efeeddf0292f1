"""Budgets on what a run reports: findings per rule and file, and the length of quoted values.

A pull request can add a file that makes one rule fire 300,000 times (a mapping that repeats one
key), or a 49 MB name that every message quoting it repeats. Reports stay readable and bounded:

* at most MAX_FINDINGS_PER_FILE findings of one rule in one file (the first ones, by position);
  the rest become one summary finding of the same rule, "... and 299,900 more", at the first
  omitted position, with the highest severity among them (so the exit code does not change);
* while the rules run, at most `checked_limit` findings of one rule in one file are kept, located
  and checked against suppressions (`FindingsCap`): past that the rest are only counted, and the
  summary says so. Locating 300,000 findings only to list 100 cost 8 s and 1.2 GB;
* reporters cut every value (message, hint, name, path) to MAX_VALUE characters (`shorten`,
  `bounded`), saying how much was cut; a JSON finding says `"truncated": true`, a SARIF result
  `properties.truncated`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gwlint.findings import Finding, Location, Severity

MAX_FINDINGS_PER_FILE = 100  # findings of one rule in one file
MAX_VALUE = 2_000  # characters of one value in a report: a message, a hint, a name, a path
# Findings of one rule in one file kept while the rules run: a hundred times what a report lists
# (at least 10,000), so that suppressions can remove most of them and the report still lists its
# share; the rest are counted, not kept.
CHECKED_PER_LISTED = 100
MIN_CHECKED = 10_000
_CUT = " [... {n:,} more characters]"
# The hint of every summary finding, compared by identity: a summary made early (the loader caps
# its own issues while it reads a file) is not counted again by `limit_findings`.
SUMMARY_HINT = "fix the findings listed first; the rest are often the same mistake repeated"


def summary_message(code: str, more: int, limit: int = MAX_FINDINGS_PER_FILE,
                    unchecked: int = 0, checked: int = 0) -> str:
    """The message of a finding that stands for `more` findings of rule `code` in a file, of
    which `unchecked` came after the first `checked` (counted, not checked against
    suppressions)."""
    message = (f"... and {more:,} more {code} finding{'s' if more != 1 else ''} in this file, "
               f"not listed (a report shows at most {limit:,} per rule and file")
    if unchecked:
        message += (f"; {unchecked:,} of them came after the first {checked:,} and were counted, "
                    "not checked against suppression comments")
    return message + ")"


def checked_limit(limit: int) -> int:
    """Findings of one rule in one file kept, located and checked against suppressions while
    the rules run, for a report that lists `limit` of them (0: every one)."""
    return 0 if limit <= 0 else max(CHECKED_PER_LISTED * limit, MIN_CHECKED)


# findings by their own severity (None: their rule's configured one), as Finding.omitted
Tally = dict[Severity | None, int]


@dataclass(slots=True)
class Unchecked:
    """The findings of one rule in one file past `checked_limit`, counted instead of kept.
    `first` (the first of them) stays, and is located and suppressed like any finding: it stands
    for the others, which are never located."""

    first: Finding
    tally: Tally = field(default_factory=dict)  # those it stands for, itself included

    def add(self, f: Finding) -> None:
        self.tally[f.severity] = self.tally.get(f.severity, 0) + 1


class FindingsCap:
    """The findings budget while the rules run (one per run; `limit`: findings a report lists
    per rule and file, 0 for all): what a rule finds past `checked_limit(limit)` in one file is
    counted in an `Unchecked`, and `limit_findings` folds the count into its summary."""

    def __init__(self, limit: int) -> None:
        self.checked = checked_limit(limit)
        self.unchecked: dict[int, Unchecked] = {}  # by id() of its first finding

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of one rule's check that are kept (consumed one by one, so what is
        only counted is never held)."""
        if self.checked <= 0:
            return list(findings)
        counts: dict[tuple[str, int], int] = {}
        records: dict[tuple[str, int], Unchecked] = {}
        kept: list[Finding] = []
        for f in findings:
            src = f.resource.origin.source if f.resource is not None else f.source
            key = (f.rule, id(src))
            n = counts[key] = counts.get(key, 0) + 1
            if n <= self.checked:
                kept.append(f)
                continue
            record = records.get(key)
            if record is None:
                record = records[key] = Unchecked(f)
                kept.append(f)
            record.add(f)
        for record in records.values():
            self.unchecked[id(record.first)] = record
        return kept


def shorten(text: str, limit: int = MAX_VALUE) -> str:
    """`text` cut to about `limit` characters, saying how many were cut."""
    if len(text) <= limit:
        return text
    keep = max(limit - 40, 0)
    return text[:keep] + _CUT.format(n=len(text) - keep)


def plain(value: dict[str, Any] | list[Any], limit: int = MAX_VALUE) -> bool:
    """Whether a JSON-like value holds only dicts, lists, strings of at most `limit` characters,
    integers, booleans and None, of exactly those types: then `bounded` returns it as it is, and
    it holds no float (see gwlint.fastjson). One flat walk: a report's findings are nearly always
    so, and the generic walks of both cost ~15 us per finding. False sends the caller to them."""
    todo: list[Any] = [value]
    pop, push = todo.pop, todo.append
    while todo:
        node = pop()
        for item in (node.values() if node.__class__ is dict else node):
            kind = item.__class__
            if kind is str:
                if len(item) > limit:
                    return False
            elif kind is dict or kind is list:
                push(item)
            elif kind is not int and kind is not bool and item is not None:
                return False  # a float, a tuple, a subclass: the generic walks decide
    return True


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
                   limit: int = MAX_FINDINGS_PER_FILE,
                   cap: FindingsCap | None = None) -> list[Finding]:
    """The first `limit` findings of each rule in each file (in the order given, which is by
    position), plus one summary finding per (rule, file) for the rest, counting them by severity
    (`Finding.omitted`). `limit` <= 0: no limit. `cap`: the run's FindingsCap; the first finding
    of each of its counts is replaced by the summary of its rule and file, which counts them all."""
    unchecked = cap.unchecked if cap is not None else {}
    if limit <= 0 or (len(findings) <= limit and not unchecked):
        return findings
    counts: dict[tuple[str, str], int] = {}
    extra: dict[tuple[str, str], int] = {}  # findings counted by the cap, not kept
    omitted: dict[tuple[str, str], tuple[Finding, Tally]] = {}  # the first one left out, all
    out: list[Finding] = []
    for f in findings:
        if f.hint is SUMMARY_HINT:  # already a summary
            out.append(f)
            continue
        key = (f.rule, f.location.file if f.location else "")
        record = unchecked.get(id(f))
        if record is None:
            n = counts[key] = counts.get(key, 0) + 1
            if n <= limit:
                out.append(f)
                continue
        seen = omitted.get(key)
        if seen is None:
            seen = omitted[key] = (f, {})
            out.append(f)  # replaced by its summary below, keeping the order
        tally = seen[1]
        if record is None:
            tally[f.severity] = tally.get(f.severity, 0) + 1
        else:
            extra[key] = extra.get(key, 0) + sum(record.tally.values())
            for severity, n in record.tally.items():
                tally[severity] = tally.get(severity, 0) + n
    if not omitted:
        return findings
    first_omitted = {id(first): (key, tally) for key, (first, tally) in omitted.items()}
    checked = cap.checked if cap is not None else 0
    for i, f in enumerate(out):
        entry = first_omitted.get(id(f))
        if entry is not None:
            key, tally = entry
            worst = max(severity_of(Finding("", rule=f.rule, severity=s)) for s in tally)
            out[i] = _summary(f, tally, limit, worst, extra.get(key, 0), checked)
    return out


def _summary(first: Finding, tally: Tally, limit: int, severity: Severity, unchecked: int = 0,
             checked: int = 0) -> Finding:
    """One finding that stands for the omitted findings of a rule in a file (`tally`, by
    severity; `unchecked` of them counted by the FindingsCap), where the first of them is."""
    loc = first.location
    line = loc.line if loc else first.line
    column = loc.column if loc else first.column
    more = sum(tally.values())
    summary = Finding(summary_message(first.rule, more, limit, unchecked, checked),
                      rule=first.rule, severity=severity, source=first.source, hint=SUMMARY_HINT,
                      line=line, column=column, end_line=line, end_column=column, omitted=tally)
    if loc is not None:
        summary.location = Location(loc.file, loc.line, loc.column, loc.line, loc.column)
    return summary
