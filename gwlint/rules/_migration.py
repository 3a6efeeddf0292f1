"""Shared by the migration rules (GW6xx): parity results and Ingress input problems as findings.

Every GW6xx rule reads the same computation (`gwlint.migration`, cached in `ctx.cache` for the
run): a repository without Ingresses pays one index lookup per rule. A finding keeps the rule's
configured severity when the result's severity is the rule's default, and carries its own
otherwise (a secondary scheme, an annotation-table severity, an info-level input problem).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related, Severity
from gwlint.migration.results import input_rule
from gwlint.refs import INGRESS_GROUPS

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.migration import Problem, Result


def has_ingresses(ctx: Context) -> bool:
    if not any(ctx.of_kind("Ingress", group) for group in INGRESS_GROUPS):
        return False  # no Ingress at all: the Ingress model is not even imported
    # imported here to keep start-up fast: a run without Ingresses needs no Ingress model
    from gwlint.migration import read_ingresses

    return bool(read_ingresses(ctx).ingresses)


def _severity(default: str, severity: str) -> Severity | None:
    """None (the rule's configured severity) when the result has the rule's default."""
    return None if severity == default else Severity.parse(severity)


def parity_findings(ctx: Context, default: str, codes: Iterable[str]) -> Iterator[Finding]:
    """The parity results with one of `codes` (problems, or for GW612 a confirmation the rule
    reports), as findings at the Ingress field (`default`: the rule's default severity)."""
    if not has_ingresses(ctx):
        return
    # imported here to keep start-up fast: only a run with Ingresses checks their parity
    from gwlint.migration import check_parity

    wanted = frozenset(codes)
    for r in check_parity(ctx).results:
        if r.code in wanted:
            yield result_finding(default, r)


def result_finding(default: str, r: Result) -> Finding:
    return Finding(r.message, resource=r.resource, path=r.path, hint=r.hint,
                   severity=_severity(default, r.severity),
                   related=[Related(x.message, x.resource, x.path) for x in r.related])


def problem_findings(ctx: Context, default: str, rule: str) -> Iterator[Finding]:
    """The Ingress input problems rule `rule` reports (`results.input_rule`)."""
    if not has_ingresses(ctx):
        return
    from gwlint.migration import read_ingresses  # imported here: see has_ingresses

    for p in read_ingresses(ctx).problems:
        if input_rule(p.code) == rule:
            yield problem_finding(default, p)


def problem_finding(default: str, p: Problem) -> Finding:
    return Finding(p.message, resource=p.resource, path=p.path, hint=p.hint,
                   severity=_severity(default, p.severity))
