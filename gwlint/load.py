"""The load stage: read, parse and validate every input, before any graph or rule.

discover -> **load** (read, parse, extract resources, choose the release, schema + CEL with CRD
defaults) -> context -> rules -> suppress -> report. Large inputs are shared with a forked worker
(`gwlint.parallel` runs the processes; the stages it runs in each are the functions here).
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlint import discover, loader, native, parallel, progress
from gwlint.config import LintConfig
from gwlint.gitops import layout as gitops
from gwlint.gitops.kustomize import Parsed
from gwlint.loader import LoadIssue, parse_source
from gwlint.model import Resource
from gwlint.parallel import Share
from gwlint.resources import Extraction, extract
from gwlint.source import SourceFile
from gwlint.versions import VersionChoice, choose_version, detect

if TYPE_CHECKING:
    from gwlint.schema import Violation


# Texts are kept zlib-packed after parsing (SourceFile.pack), and natively parsed values get their
# short strings interned, only when a process parses this much: at 100,000 resources the plain
# texts would be a fifth of the memory; below, the time is worth more than the memory.
PACK_MIN_CHARS = 32 * 1024 * 1024


@dataclass
class Loaded:
    """Everything before the graph: sources, resources (validated, defaulted) and issues."""

    sources: list[SourceFile]
    resources: list[Resource]
    issues: list[LoadIssue]
    violations: list[tuple[Resource, Violation]]
    choice: VersionChoice
    files: int
    documents: int
    skipped: int
    layout: gitops.Layout = field(default_factory=gitops.Layout)


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
    """Read every input once; unreadable inputs become issues (they still count as files).
    Without `files`: standard input (if any) and the files discovered from the PATHs."""
    sources: list[SourceFile] = []
    issues: list[LoadIssue] = []
    if files is None:
        _read_stdin(config, sources, issues)
        files = discover.candidate_files(config.paths, config.exclude, config.tracked_only)
    for path, shown in files:
        src, issue = discover.read_source(path, shown, config.max_file_size)
        (issues.append(issue) if issue else sources.append(src))
    return sources, issues


def _read_stdin(config: LintConfig, sources: list[SourceFile], issues: list[LoadIssue]) -> None:
    if config.stdin_text is None:
        return
    data = _stdin_bytes(config.stdin_text)
    src, issue = discover.decode(SourceFile(config.stdin_filename, is_stdin=True),
                                 data[:config.max_file_size])
    if len(data) > config.max_file_size:
        issue = LoadIssue("GW004", src, 1, 1, f"standard input is larger than the limit "
                          f"of {config.max_file_size:,} bytes; not linted",
                          hint="raise it with --max-file-size")
    (issues.append(issue) if issue else sources.append(src))


def parse_inputs(sources: list[SourceFile],
                 config: LintConfig) -> tuple[Extraction, int, list[LoadIssue]]:
    """Parse everything with the cyclic GC off: it made building the trees 3.7x slower.

    (No `gc.freeze()`: in a long-lived process, such as a test or fuzz harness calling `lint`
    repeatedly, frozen objects are never collected. The command line keeps the collector off
    for the whole process instead, see runner.run.)
    """
    out, documents, issues, _ = _parse(sources, config)
    return out, documents, issues


def _parse(sources: list[SourceFile], config: LintConfig, plan: gitops.Plan | None = None,
           paths: dict[str, str] | None = None
           ) -> tuple[Extraction, int, list[LoadIssue], dict[str, Parsed]]:
    """`parse_inputs`; files a kustomization uses (`plan.role_files`) are not linted as they
    are: their documents are returned (by filesystem path; `paths` maps display paths to
    them) for the Kustomize builds."""
    out = Extraction()
    issues: list[LoadIssue] = []
    built: dict[str, Parsed] = {}
    roles = plan.role_files if plan is not None else frozenset()
    documents = 0
    chars = sum(len(src.text) for src in sources)
    native.activate_for(chars)
    pack = chars >= PACK_MIN_CHARS
    enabled = gc.isenabled()
    gc.disable()
    try:
        for src in sources:
            parsed = parse_source(src, share=pack)
            progress.advance()
            if pack:
                src.pack()
            issues.extend(parsed.issues)
            documents += len(parsed.documents)
            if src.path in roles and plan is not None:
                built[(paths or {}).get(src.path, src.path)] = _for_builds(src, parsed)
                if gitops.is_patch_only(plan, src.path):
                    for _ in parsed.documents:
                        out.skip("kustomize", src.path, gitops.skip_reason(plan, src.path))
                continue
            scope = discover.scope_of(src.path, config.scopes)
            for doc in parsed.documents:
                extract(doc, config.default_namespace, scope, out)
    finally:
        if enabled:
            gc.enable()
    return out, documents, issues, built


def _for_builds(src: SourceFile, parsed: Any) -> Parsed:
    """The parsed documents of a file the builds use, as the Kustomize builder reads files."""
    result = Parsed(src.path, [(d.index, d.data) for d in parsed.documents], source=src,
                    lines={d.index: d.line for d in parsed.documents})
    for issue in parsed.issues:
        if issue.code in ("GW001", "GW003", "GW004"):
            result.error, result.error_line = issue.message, issue.line or 1
            break
    return result


def validate(resources: list[Resource], choice: VersionChoice
             ) -> list[tuple[Resource, Violation]]:
    """Schema + CEL validation; applies CRD defaults in place (rules see defaulted objects)."""
    # imported here to keep start-up fast: the schema layer (jsonschema-rs, CEL) costs tens of
    # milliseconds that `gwlint --help`, `gwlint rules` and configuration errors never need
    from gwlint.schema import SchemaSet

    schemas = SchemaSet(choice.version, choice.channel)
    violations: list[tuple[Resource, Violation]] = []
    for res in resources:
        if res.virtual or not schemas.handles(res.api_version, res.kind):
            continue
        found, defaulted = schemas.process(res.api_version, res.kind, res.body)
        res.defaulted = defaulted
        violations.extend((res, v) for v in found)
    return violations


def parse_share(config: LintConfig, work: gitops.Work, plan: gitops.Plan | None = None) -> Share:
    """One process's part of the files, read and parsed, its Kustomize roots built and its
    charts rendered (validated later, by `validate_share`, once the release is chosen from
    every process's CRDs)."""
    plan = plan or gitops.Plan()
    files = [f for f in work.files if f[1] not in plan.templates]
    planned = gitops.kustomizations_parsed(plan, files)  # read once, by the plan
    sources: list[SourceFile] = []
    issues: list[LoadIssue] = []
    _read_stdin(config, sources, issues)
    more, more_issues = read_inputs(config, [f for f in files if f[1] not in planned])
    sources += more
    issues += more_issues
    read_failures = len(issues)
    paths = {shown: path for path, shown in files}
    extraction, documents, parse_issues, built = _parse(sources, config, plan, paths)
    for parsed in planned.values():
        assert parsed.source is not None
        sources.append(parsed.source)
        documents += len(parsed.documents)
        for _ in parsed.documents:
            extraction.skip("kustomize", parsed.shown, "Kustomize file, never applied")
    share = Share(sources, extraction.resources, issues + parse_issues + extraction.issues,
                  len(sources) + read_failures + len(work.files) - len(files), documents,
                  extraction.skipped)
    share.layout = gitops.Layout(skipped_by_tool=extraction.skipped_by_tool,
                                 skipped_files=extraction.skipped_files)
    if plan.empty:
        return share
    result = gitops.build_work(plan, work, built, sources, config.default_namespace)
    share.resources += result.resources
    share.issues += result.issues
    share.sources += result.sources
    share.files += sum(1 for s in result.sources if not s.is_stdin)
    share.documents += result.documents
    share.skipped += sum(result.layout.skipped_by_tool.values())
    share.layout.merge(result.layout)
    return share


def validate_share(share: Share, choice: VersionChoice) -> Share:
    progress.phase(f"validating {len(share.resources):,} resources (schemas, CEL)")
    share.violations = validate(share.resources, choice)
    return share


def load(config: LintConfig) -> Loaded:
    """Read, parse and validate all inputs: in two processes for large inputs, else here. Outside
    a run (`gwlint graph`, a library caller), the load is one: it has the run's alias budget and
    leaves no budget behind (a parallel load gives this process a share of it)."""
    if loader.in_run():
        return _load(config)
    loader.start_run(config.max_findings_per_file)
    try:
        return _load(config)
    finally:
        loader.end_run()


def _load(config: LintConfig) -> Loaded:
    files = discover.candidate_files(config.paths, config.exclude, config.tracked_only)
    plan = gitops.prepare(files, config.paths, config.scopes, config.max_file_size,
                          **_helm(config))
    jobs = parallel.jobs_for(len(files), config.jobs) if config.stdin_text is None else 1
    progress.shared_phase("parsing files", len(files), jobs)
    if jobs > 1:  # each process completes the plan (this one's `plan` too), then parses
        shares, choice = parallel.run(
            config, jobs, functools.partial(_plan_and_parse, config, files, plan, jobs),
            validate_share)
        loaded = _merge(files, shares, choice)
    else:
        share = _plan_and_parse(config, files, plan, 1, 0, parallel.alone)
        choice = choose_version(config.gateway_api_version, config.channel,
                                detect(share.resources))
        loaded = _merge(files, [validate_share(share, choice)], choice)
    gitops.finish(loaded.layout, loaded.sources, loaded.resources, config.scopes, plan)
    _revalidate(loaded, loaded.layout.applied.substituted)
    return loaded


def _revalidate(loaded: Loaded, changed: list[Resource]) -> None:
    """The objects Flux's postBuild substitution changed (`finish`) are validated again, with
    their values as substituted; the fields defaulted the first time stay marked."""
    if not changed:
        return
    again = {id(r) for r in changed}
    before = {id(r): r.defaulted for r in changed}
    violations = validate(changed, loaded.choice)
    for res in changed:
        res.defaulted = before[id(res)] | res.defaulted
    loaded.violations = [(r, v) for r, v in loaded.violations if id(r) not in again] + violations


def _plan_and_parse(config: LintConfig, files: list[tuple[str, str]], plan: gitops.Plan,
                    jobs: int, share: int, exchange: parallel.Exchange) -> Share:
    """Share `share` of `jobs`: the plan completed in this process, then its files parsed. In
    a parallel run, each process has a share of the run's alias budget."""
    if jobs > 1:
        loader.share_run(jobs, config.max_findings_per_file)
    works = gitops.plan_share(plan, files, share, jobs, exchange)
    return parse_share(config, works[share], plan)


def _helm(config: LintConfig) -> dict[str, Any]:
    """The helm and kustomize binaries and the values files (options of the command line, when
    given)."""
    return {"helm": config.helm, "helm_values": list(config.helm_values),
            "kustomize": config.kustomize}


def _merge(files: list[tuple[str, str]], results: list[Share], choice: VersionChoice) -> Loaded:
    """One Loaded in input order, whatever the share a file went to."""
    order = {shown: i for i, (_, shown) in enumerate(files)}
    sources = sorted((s for r in results for s in r.sources), key=lambda s: order.get(s.path, 0))
    resources = sorted((x for r in results for x in r.resources),
                       key=lambda x: (order.get(x.origin.source.path, 0), x.origin.doc_index,
                                      x.origin.overlay or "", x.origin.prefix))
    layout = gitops.Layout()
    for r in results:
        if r.layout is not None:
            layout.merge(r.layout)
    return Loaded(sources, resources, [i for r in results for i in r.issues],
                  [v for r in results for v in r.violations or []], choice,
                  sum(r.files for r in results), sum(r.documents for r in results),
                  sum(r.skipped for r in results), layout)
