"""The finished result of a run: located, suppressed, sorted findings and the run's counts.

Reporters (`gwlint.reporters`) render a `Report`; they never lint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gwlint.findings import Finding, Severity
from gwlint.registry import Rule
from gwlint.versions import VersionChoice


@dataclass
class Report:
    findings: list[Finding]
    rules: dict[str, Rule]
    severity: dict[str, Severity]
    version: VersionChoice
    files: int = 0
    documents: int = 0
    resources: int = 0
    skipped_documents: int = 0
    layout: Any = None  # gwlint.gitops.layout.Layout: scopes, builds, skipped documents by tool

    def severity_of(self, finding: Finding) -> Severity:
        return (finding.severity or self.severity.get(finding.rule)
                or self.rules[finding.rule].severity)

    def counts(self) -> dict[str, int]:
        """Findings by severity, those a summary finding stands for included."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            if f.omitted is None:
                counts[str(self.severity_of(f))] += 1
                continue
            for severity, n in f.omitted.items():
                counts[str(severity or self.severity_of(Finding("", rule=f.rule)))] += n
        return counts
