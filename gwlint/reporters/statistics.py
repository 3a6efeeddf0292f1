"""`--statistics`: only the number of findings per rule, as ruff's `--statistics` prints them,
most frequent first: a JSON list with `--format json`, else text with the closing counts."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

import click

from gwlint.reporters.common import plural

if TYPE_CHECKING:
    from gwlint.report import Report


def counts(report: Report) -> list[tuple[str, int]]:
    """(rule code, findings) pairs, the most frequent first (those a summary finding stands
    for included)."""
    by_rule: Counter[str] = Counter()
    for f in report.findings:
        by_rule[f.rule] += sum(f.omitted.values()) if f.omitted else 1
    return sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    rows = counts(report)
    if fmt == "json":
        return json.dumps([{"code": code, "name": report.rules[code].name, "count": n}
                           for code, n in rows], indent=2) + "\n"
    lines = [f"{n:>6}  {code}  {report.rules[code].name}" for code, n in rows]
    c = report.counts()
    total = ", ".join(plural(c[level], level) for level in ("error", "warning", "info"))
    line = f"{total} in {plural(report.files, 'file')} ({plural(report.resources, 'resource')})"
    lines.append(click.style(line, bold=True) if color else line)
    return "\n".join(lines) + "\n"
