"""Rule modules: one module per rule, registered with `gwlint.registry.rule`.

Adding a rule is one module here plus its test fixtures; the registry discovers it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding

if TYPE_CHECKING:
    from gwlint.context import Context


def issue_findings(ctx: Context, code: str) -> Iterator[Finding]:
    """Findings for the load-time issues of one code (parse-stage rules report these)."""
    for issue in ctx.load_issues:
        if issue.code == code:
            yield issue.finding()


def violation_findings(ctx: Context, *codes: str) -> Iterator[Finding]:
    """Findings for the schema/CEL violations with the given `Violation.code`s."""
    for res, v in ctx.violations:
        if v.code in codes:
            yield Finding(v.message, resource=res, path=tuple(v.path), hint=v.hint)
