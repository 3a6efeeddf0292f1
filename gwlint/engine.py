"""The pipeline: discover -> parse -> resources -> schema+CEL -> graph -> rules -> located findings."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gwlint import discover
from gwlint.context import Context, Options
from gwlint.findings import Finding, Severity
from gwlint.loader import LoadIssue, parse_source
from gwlint.model import Resource
from gwlint.registry import Rule, select_rules
from gwlint.resources import Extraction, extract
from gwlint.source import SourceFile
from gwlint.locate import locate
from gwlint.suppress import apply_suppressions
from gwlint.versions import VersionChoice, choose_version, detect


@dataclass
class LintConfig:
    """Resolved settings for one run (from the CLI and configuration files)."""

    paths: list[str] = field(default_factory=lambda: ["."])
    stdin_text: str | None = None
    stdin_filename: str = "<stdin>"
    exclude: list[str] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    gateway_api_version: str | None = None
    channel: str | None = None
    default_namespace: str = "default"
    assume_exists: list[str] = field(default_factory=list)
    gateway_classes: list[str] = field(default_factory=list)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    max_file_size: int = discover.DEFAULT_MAX_FILE_SIZE
    jobs: int | None = None  # worker processes; None: automatic (2 for large inputs)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    report_files: list[str] | None = None  # only report on these files (pre-commit staged files)


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

    def severity_of(self, finding: Finding) -> Severity:
        return finding.severity or self.severity.get(finding.rule) or self.rules[finding.rule].severity

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[str(self.severity_of(f))] += 1
        return counts


def _stdin_bytes(text: str) -> bytes:
    """The bytes of stdin again: the CLI decoded them with surrogateescape; API callers may pass
    any str, lone surrogates included (those become invalid UTF-8, reported as such)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def read_inputs(config: LintConfig,
                files: list[tuple[str, str]] | None = None) -> tuple[list[SourceFile], list[LoadIssue]]:
    """Read every input once; unreadable inputs become issues (they still count as files)."""
    sources: list[SourceFile] = []
    issues: list[LoadIssue] = []
    if files is None:
        if config.stdin_text is not None:
            data = _stdin_bytes(config.stdin_text)
            src, issue = discover.decode(SourceFile(config.stdin_filename, is_stdin=True),
                                         data[:config.max_file_size])
            if len(data) > config.max_file_size:
                issue = LoadIssue("GW004", src, 1, 1, f"standard input is larger than the limit "
                                  f"of {config.max_file_size:,} bytes; not linted",
                                  hint="raise it with --max-file-size")
            (issues.append(issue) if issue else sources.append(src))
        files = discover.candidate_files(config.paths, config.exclude)
    for path, shown in files:
        src, issue = discover.read_source(path, shown, config.max_file_size)
        (issues.append(issue) if issue else sources.append(src))
    return sources, issues


def parse_inputs(sources: list[SourceFile], config: LintConfig) -> tuple[Extraction, int, list[LoadIssue]]:
    """Parse everything with the cyclic GC off: it made building the trees 3.7x slower.

    (No `gc.freeze()`: in a long-lived process, such as a test or fuzz harness calling `lint`
    repeatedly, frozen objects are never collected. The command line keeps the collector off
    for the whole process instead, see runner.run.)
    """
    out = Extraction()
    issues: list[LoadIssue] = []
    documents = 0
    enabled = gc.isenabled()
    gc.disable()
    try:
        for src in sources:
            parsed = parse_source(src)
            src.pack()
            issues.extend(parsed.issues)
            documents += len(parsed.documents)
            scope = discover.scope_of(src.path, config.scopes)
            for doc in parsed.documents:
                extract(doc, config.default_namespace, scope, out)
    finally:
        if enabled:
            gc.enable()
    return out, documents, issues


def validate(resources: list[Resource], choice: VersionChoice) -> list[tuple[Resource, Any]]:
    """Schema + CEL validation; applies CRD defaults in place (rules see defaulted objects)."""
    from gwlint.schema import SchemaSet

    schemas = SchemaSet(choice.version, choice.channel)
    violations = []
    for res in resources:
        if res.virtual or not schemas.handles(res.api_version, res.kind):
            continue
        found, defaulted = schemas.process(res.api_version, res.kind, res.body)
        res.defaulted = defaulted
        violations.extend((res, v) for v in found)
    return violations


@dataclass
class Loaded:
    """Everything before the graph: sources, resources (validated, defaulted) and issues."""

    sources: list[SourceFile]
    resources: list[Resource]
    issues: list[LoadIssue]
    violations: list[tuple[Resource, Any]]
    choice: VersionChoice
    files: int
    documents: int
    skipped: int


def load(config: LintConfig) -> Loaded:
    """Read, parse and validate all inputs: in two processes for large inputs, else here."""
    from gwlint import parallel

    files = discover.candidate_files(config.paths, config.exclude)
    jobs = parallel.jobs_for(len(files), config.jobs) if config.stdin_text is None else 1
    if jobs > 1:
        return parallel.load(config, files, jobs)
    sources, issues = read_inputs(config, files if config.stdin_text is None else None)
    read_failures = len(issues)
    extraction, documents, parse_issues = parse_inputs(sources, config)
    issues += parse_issues + extraction.issues
    choice = choose_version(config.gateway_api_version, config.channel,
                            detect(extraction.resources))
    violations = validate(extraction.resources, choice)
    return Loaded(sources, extraction.resources, issues, violations, choice,
                  len(sources) + read_failures, documents, extraction.skipped)


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
        if enabled:
            gc.enable()


def _lint(config: LintConfig) -> Report:
    loaded = load(config)
    choice = loaded.choice
    options = Options(choice.version, choice.channel, config.default_namespace,
                      config.assume_exists, config.gateway_classes, config.rule_options)
    ctx = Context(loaded.resources, options, loaded.issues, loaded.violations)
    rules = select_rules(config.select, config.ignore, config.extend_select)
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule.run(ctx))
    ctx.release()
    locate(findings)
    findings = apply_suppressions(findings, loaded.sources, config, ctx)
    if config.report_files is not None:
        wanted = {discover.display_path(p) for p in config.report_files}
        findings = [f for f in findings if f.location and f.location.file in wanted]
    findings.sort(key=lambda f: (f.location.file, f.location.line, f.location.column, f.rule)
                  if f.location else ("", 0, 0, f.rule))
    return Report(findings, {r.code: r for r in rules}, dict(config.severity), choice,
                  files=loaded.files, documents=loaded.documents, resources=len(loaded.resources),
                  skipped_documents=loaded.skipped)


def build_context(config: LintConfig) -> Context:
    """Load the inputs and build the rules' Context (reference graph, indexes) without linting:
    what `gwlint graph` draws."""
    loaded = load(config)
    choice = loaded.choice
    options = Options(choice.version, choice.channel, config.default_namespace,
                      config.assume_exists, config.gateway_classes, config.rule_options)
    return Context(loaded.resources, options, loaded.issues, loaded.violations)
