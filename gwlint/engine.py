"""The pipeline: discover -> load -> context -> rules -> locate -> suppress -> report.

`lint(LintConfig(...))` is the library API; `LintConfig` and `Report` are re-exported here for it.
"""

from __future__ import annotations

import gc

from gwlint import loader, progress
from gwlint.budget import FindingsCap, limit_findings
from gwlint.config import LintConfig
from gwlint.context import Context, Options
from gwlint.findings import Finding
from gwlint.gitops.overlays import merge_overlays
from gwlint.load import Loaded, load
from gwlint.locate import locate
from gwlint.registry import rule_settings, select_rules
from gwlint.reporters import paths as report_paths
from gwlint.report import Report
from gwlint.source import display_path, forget_display_paths
from gwlint.suppress import apply_suppressions

__all__ = ["LintConfig", "Report", "build_context", "lint"]


def lint(config: LintConfig) -> Report:
    """Run the whole pipeline once and return the located, sorted findings.

    The cyclic garbage collector stays off for the run: everything built lives until the report
    is written, and collections over millions of parsed nodes cost seconds, not bytes.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _lint(config)
    finally:
        loader.end_run()
        forget_display_paths()  # per-run caches end with the run (a long-lived caller)
        report_paths.forget()
        if enabled:
            gc.enable()


def _lint(config: LintConfig) -> Report:
    loader.start_run(config.max_findings_per_file)  # one alias budget for the whole run
    progress.phase("finding files")
    loaded = load(config)
    choice = loaded.choice
    progress.phase("building the reference graph")
    ctx = _context(config, loaded)
    rules = select_rules(config.select, config.ignore, config.extend_select)
    progress.phase("running rules", len(rules))
    findings: list[Finding] = []
    cap = FindingsCap(config.max_findings_per_file)  # past it, findings are counted, not kept
    for rule in rules:
        findings.extend(rule.run(ctx, cap.keep))
        progress.advance()
    ctx.release()
    progress.phase(f"locating {len(findings):,} findings")
    locate(findings)
    findings = apply_suppressions(findings, loaded.sources, config, ctx, rules)
    findings = merge_overlays(findings)
    if config.report_files is not None:
        wanted = {display_path(p) for p in config.report_files}
        findings = [f for f in findings if f.location and f.location.file in wanted]
    findings.sort(key=lambda f: (f.location.file, f.location.line, f.location.column, f.rule)
                  if f.location else ("", 0, 0, f.rule))
    report = Report(findings, {r.code: r for r in rules}, dict(config.severity), choice,
                    files=loaded.files, documents=loaded.documents,
                    resources=len(loaded.resources), skipped_documents=loaded.skipped,
                    layout=loaded.layout)
    report.findings = limit_findings(report.findings, report.severity_of,
                                     config.max_findings_per_file, cap)
    return report


def build_context(config: LintConfig) -> Context:
    """Load the inputs and build the rules' Context (reference graph, indexes) without linting:
    what `gwlint graph` draws."""
    return _context(config, load(config))


def _context(config: LintConfig, loaded: Loaded) -> Context:
    choice = loaded.choice
    options = Options(choice.version, choice.channel, config.default_namespace,
                      config.assume_exists, config.gateway_classes, config.rule_options,
                      implementation=config.implementation, gateway_api_source=choice.source,
                      settings=rule_settings(config.rule_options))
    return Context(loaded.resources, options, loaded.issues, loaded.violations, loaded.layout)
