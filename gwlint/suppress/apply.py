"""Applying suppressions: which findings a directive, an annotation or a per-file ignore
removes, and which suppressions removed nothing (reported as GW008 by `unused`)."""

from __future__ import annotations

from gwlint.config import LintConfig
from gwlint.context import Context
from gwlint.discover import excluded
from gwlint.findings import Finding
from gwlint.registry import Rule, all_rules
from gwlint.source import SourceFile
from gwlint.spans import SpanIndex
from gwlint.suppress.directives import (UNUSED, Directive, SourceDirectives,
                                        annotation_directives, any_annotation,
                                        comment_directives, rules_by_name)
from gwlint.suppress.unused import unused_findings

def _per_file_codes(per_file_ignores: dict[str, list[str]]) -> list[tuple[str, frozenset[str]]]:
    out = []
    for glob, selectors in per_file_ignores.items():
        codes = set()
        for r in all_rules():
            for sel in selectors:
                s = sel.strip()
                if s.upper() == "ALL" or r.code.startswith(s.upper()) or r.name == s.lower() \
                        or r.category == s.lower():
                    codes.add(r.code)
        out.append((glob, frozenset(codes)))
    return out


class _Where:
    """A finding's position in its source (not the displayed Helm template)."""

    def __init__(self) -> None:
        self._index: SpanIndex | None = None

    def of(self, f: Finding) -> tuple[SourceFile | None, int, int | None]:
        if f.resource is not None:
            origin = f.resource.origin
            src = origin.source
            line = f.location.line if f.location else 1
            if src.is_stdin and src.helm_sections():
                if self._index is None:
                    self._index = SpanIndex()
                span, _ = self._index.locate(src, origin.doc_index, origin.prefix + tuple(f.path))
                line = span.line
            return src, line, origin.doc_index
        return f.source, f.line or 1, f.doc_index


def apply_suppressions(findings: list[Finding], sources: list[SourceFile], config: LintConfig,
                       ctx: Context, rules: list[Rule]) -> list[Finding]:
    """The findings that no suppression removes, plus GW008 for suppressions that removed none
    (`rules`: the rules that ran; only their codes can be judged unused)."""
    by_source: dict[int, SourceDirectives] = {}
    file_directives: list[Directive] = []
    by_name: dict[str, Rule] | None = None
    for src in sources:
        if src.has_directives:
            by_name = by_name or rules_by_name()
            directives, files = comment_directives(src, by_name)
            file_directives.extend(files)
            if directives.lines or directives.documents:
                by_source[id(src)] = directives
    annotations = annotation_directives(ctx, by_name or rules_by_name()) \
        if any_annotation(ctx) else {}
    per_file = _per_file_codes(config.per_file_ignores) if config.per_file_ignores else []
    if not by_source and not file_directives and not annotations and not per_file:
        return findings

    by_file: dict[str, list[Directive]] = {}
    for d in file_directives:
        if d.file is not None:
            by_file.setdefault(d.file, []).append(d)
    where = _Where()
    kept: list[Finding] = []
    for f in findings:
        if not _suppressed(f, by_source, by_file, annotations, per_file, where):
            kept.append(f)

    selected = {r.code for r in rules}
    if UNUSED in selected:
        every = [d for s in by_source.values() for d in (*s.lines, *s.documents)]
        every += file_directives + list(annotations.values())
        unused = unused_findings(every, selected)
        kept.extend(u for u in unused
                    if not _suppressed(u, by_source, by_file, annotations, per_file, where,
                                       explicit_only=True))
    return kept


def _suppressed(f: Finding, by_source: dict[int, SourceDirectives],
                by_file: dict[str, list[Directive]], annotations: dict[int, Directive],
                per_file: list[tuple[str, frozenset[str]]], where: _Where,
                explicit_only: bool = False) -> bool:
    code = f.rule
    hit = False

    def use(d: Directive) -> None:
        nonlocal hit
        if explicit_only and d.codes is None:
            return
        if d.matches(code):
            d.used.add(code)
            hit = True

    loc = f.location
    if loc is not None:
        for d in by_file.get(loc.file, ()):
            use(d)
        for glob, codes in per_file:
            if code in codes and excluded(loc.file, [glob]):
                hit = True
    if f.resource is not None and id(f.resource) in annotations:
        use(annotations[id(f.resource)])
    src = f.resource.origin.source if f.resource is not None else f.source
    directives = by_source.get(id(src)) if src is not None else None
    if directives is not None:
        _, line, doc = where.of(f)
        if doc is None:
            doc = directives.doc_of_line(line)
        for d in directives.documents:
            if d.doc_index == doc:
                use(d)
        for d in directives.lines:
            if d.start <= line <= d.end:
                use(d)
    return hit
