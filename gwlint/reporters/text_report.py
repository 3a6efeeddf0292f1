"""`--format text`: one line per finding, a hint line, and a closing summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from gwlint.escapes import sanitize
from gwlint.findings import Severity
from gwlint.gitops.summary import (in_overlays, scope_lines, skipped_files, skipped_text,
                                   summary_counts)
from gwlint.reporters.common import plural, predicts_text

if TYPE_CHECKING:
    from gwlint.report import Report

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def render(report: Report, *, color: bool = False, statistics: bool = False,
           quiet: bool = False, verbose: bool = False) -> str:
    def style(text: str, **kw: Any) -> str:  # click.style's keywords (fg, bold, dim...)
        return click.style(text, **kw) if color else text

    lines: list[str] = []
    for f in report.findings:
        loc = f.location
        assert loc is not None
        sev = report.severity_of(f)
        rule = report.rules[f.rule]
        where = style(f"{sanitize(loc.file)}:{loc.line}:{loc.column}:", bold=True)
        lines.append(f"{where} {style(f.rule, fg=_COLORS[sev], bold=True)} "
                     f"{style(f'{sev!s:<7}', fg=_COLORS[sev])} "
                     f"{sanitize(f.message + in_overlays(f.overlays))}  "
                     f"{style('[' + rule.name + ']', dim=True)}")
        if f.hint and not quiet:
            lines.append(f"    {style('hint:', fg='cyan')} {sanitize(f.hint)}")
        if f.predicts and not quiet:
            lines.append(f"    {style('predicts:', fg='cyan')} {sanitize(predicts_text(f))}")
        if not quiet:
            for r in f.related:
                if r.location:
                    lines.append(f"    {style('see:', dim=True)} {sanitize(r.location.file)}:"
                                 f"{r.location.line}:{r.location.column}: {sanitize(r.message)}")
    if statistics:
        lines.extend(_statistics(report))
    if verbose:
        lines.extend(_verbose(report))
    if not quiet or report.findings:
        lines.append(_summary(report, style))
    return "\n".join(lines) + "\n"


def _statistics(report: Report) -> list[str]:
    counts = Counter(f.rule for f in report.findings)
    out = ["", "Statistics:"]
    for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"{n:>6}  {code}  {report.rules[code].name}")
    return out + [""]


def _verbose(report: Report) -> list[str]:
    """The scopes and the documents skipped, by tool (--verbose)."""
    out = ["", "Scopes:"] + [f"    {sanitize(line)}" for line in scope_lines(report.layout)]
    out += ["", sanitize(skipped_text(report.layout, report.skipped_documents))]
    return out + [f"    {sanitize(line)}" for line in skipped_files(report.layout)] + [""]


def _summary(report: Report, style: Callable[..., str]) -> str:
    c = report.counts()
    where = (f"in {plural(report.files, 'file')} ({plural(report.resources, 'resource')}"
             f"{summary_counts(report.layout)}), "
             f"Gateway API {report.version.version} {report.version.channel}")
    if report.version.source == "detected":
        where += f" (detected from {sanitize(str(report.version.detected_from))})"
    if not report.findings:
        return style("No problems found ", fg="green", bold=True) + where
    parts = [plural(c["error"], "error"), plural(c["warning"], "warning"),
             plural(c["info"], "info")]
    return style(", ".join(parts), bold=True) + " " + where
