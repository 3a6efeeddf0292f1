"""What the layout rules (GW8xx) share: the Kustomize builds' problems as findings, located at
the kustomization entry (or patch) that causes them, with the roots where they occur."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Severity

if TYPE_CHECKING:
    from gwlint.context import Context

_PARSE_RULES = ("GW001", "GW003", "GW004")  # an unreadable file is reported once, by these


def problem_findings(ctx: Context, codes: frozenset[str]) -> Iterator[Finding]:
    """Findings for the build problems with these codes (`gwlint.gitops.kustomize.model`)."""
    layout = ctx.layout
    if layout is None or not layout.problems:
        return
    reported = {(i.source.path, i.message) for i in ctx.load_issues if i.code in _PARSE_RULES}
    for problem, roots in layout.problems:
        if problem.code not in codes or (problem.file, problem.message) in reported:
            continue
        severity = Severity.parse(problem.severity)
        yield Finding(problem.message, hint=problem.hint, source=layout.source(problem.file),
                      doc_index=problem.doc_index, path=problem.path,
                      severity=severity, overlays=list(roots))
