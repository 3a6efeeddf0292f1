"""Suppressions: inline `# gwlint: ignore[...]` comments, annotations and per-file ignores."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.engine import LintConfig
    from gwlint.findings import Finding
    from gwlint.source import SourceFile


def apply_suppressions(findings: list["Finding"], sources: list["SourceFile"],
                       config: "LintConfig", ctx: "Context") -> list["Finding"]:
    """The findings that no suppression removes (placeholder: suppressions not implemented yet)."""
    return findings
