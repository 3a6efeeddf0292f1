"""The load stage: read, parse and validate every input, before any graph or rule.

discover -> **load** (read, parse, extract resources, choose the release, schema + CEL with CRD
defaults) -> context -> rules -> suppress -> report. Large inputs are shared with a forked worker
(`gwlint.parallel` runs the processes; the stages it runs in each are the functions here).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

from gwlint import discover, parallel
from gwlint.config import LintConfig
from gwlint.loader import LoadIssue, parse_source
from gwlint.model import Resource
from gwlint.parallel import Share
from gwlint.resources import Extraction, extract
from gwlint.source import SourceFile
from gwlint.versions import VersionChoice, choose_version, detect


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


def _stdin_bytes(text: str) -> bytes:
    """The bytes of stdin again: the CLI decoded them with surrogateescape; API callers may pass
    any str, lone surrogates included (those become invalid UTF-8, reported as such)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def read_inputs(config: LintConfig,
                files: list[tuple[str, str]] | None = None
                ) -> tuple[list[SourceFile], list[LoadIssue]]:
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


def parse_inputs(sources: list[SourceFile],
                 config: LintConfig) -> tuple[Extraction, int, list[LoadIssue]]:
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
    # imported here to keep start-up fast: the schema layer (jsonschema-rs, CEL) costs tens of
    # milliseconds that `gwlint --help`, `gwlint rules` and configuration errors never need
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


def parse_share(config: LintConfig, files: list[tuple[str, str]]) -> Share:
    """One process's part of the files, read and parsed (validated later, by `validate_share`,
    once the release is chosen from every process's CRDs)."""
    sources, issues = read_inputs(config, files)
    read_failures = len(issues)
    extraction, documents, parse_issues = parse_inputs(sources, config)
    return Share(sources, extraction.resources, issues + parse_issues + extraction.issues,
                 len(sources) + read_failures, documents, extraction.skipped)


def validate_share(share: Share, choice: VersionChoice) -> Share:
    share.violations = validate(share.resources, choice)
    return share


def load(config: LintConfig) -> Loaded:
    """Read, parse and validate all inputs: in two processes for large inputs, else here."""
    files = discover.candidate_files(config.paths, config.exclude)
    jobs = parallel.jobs_for(len(files), config.jobs) if config.stdin_text is None else 1
    if jobs > 1:
        shares, choice = parallel.run(config, files, jobs, parse_share, validate_share)
        return _merge(files, shares, choice)
    sources, issues = read_inputs(config, files if config.stdin_text is None else None)
    read_failures = len(issues)
    extraction, documents, parse_issues = parse_inputs(sources, config)
    issues += parse_issues + extraction.issues
    choice = choose_version(config.gateway_api_version, config.channel,
                            detect(extraction.resources))
    violations = validate(extraction.resources, choice)
    return Loaded(sources, extraction.resources, issues, violations, choice,
                  len(sources) + read_failures, documents, extraction.skipped)


def _merge(files: list[tuple[str, str]], results: list[Share], choice: VersionChoice) -> Loaded:
    """One Loaded in input order, whatever the share a file went to."""
    order = {shown: i for i, (_, shown) in enumerate(files)}
    sources = sorted((s for r in results for s in r.sources), key=lambda s: order.get(s.path, 0))
    resources = sorted((x for r in results for x in r.resources),
                       key=lambda x: (order.get(x.origin.source.path, 0), x.origin.doc_index,
                                      x.origin.prefix))
    return Loaded(sources, resources, [i for r in results for i in r.issues],
                  [v for r in results for v in r.violations or []], choice,
                  sum(r.files for r in results), sum(r.documents for r in results),
                  sum(r.skipped for r in results))
