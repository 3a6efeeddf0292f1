"""Applying suppressions: which findings a directive, an annotation or a per-file ignore
removes, and which suppressions removed nothing (reported as GW008 by `unused`)."""

from __future__ import annotations

import heapq

from gwlint.config import LintConfig
from gwlint.context import Context
from gwlint.discover import excluded
from gwlint.findings import Finding
from gwlint.gitops.built import one_per_written
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
            # the file that wrote the value (for an object built by Kustomize: the base or the
            # patch), where its comments are
            src, doc_index, path = f.resource.origin.at(f.path)
            line = f.location.line if f.location else 1
            if src.is_stdin and src.helm_sections():
                if self._index is None:
                    self._index = SpanIndex()
                span, _ = self._index.locate(src, doc_index, path)
                line = span.line
            return src, line, doc_index
        return f.source, f.line or 1, f.doc_index


class _Group:
    """Directives with the same scope (a line range, a document, a file): a finding consults the
    group once, however many directives it holds (a file may repeat one comment 100,000 times)."""

    __slots__ = ("blanket", "codes", "directives", "used")

    def __init__(self) -> None:
        self.directives: list[Directive] = []
        self.codes: set[str] = set()
        self.blanket = False
        self.used: set[str] = set()

    def add(self, d: Directive) -> None:
        self.directives.append(d)
        if d.codes is None:
            self.blanket = True
        else:
            self.codes |= d.codes

    def use(self, code: str, explicit_only: bool) -> bool:
        """Whether a directive of the group suppresses `code` (blanket ones not when
        `explicit_only`); remembers the code as used."""
        if code in self.codes or (self.blanket and not explicit_only):
            self.used.add(code)
            return True
        return False

    def settle(self) -> None:
        """Hand the used codes to the directives that match them (for GW008)."""
        for d in self.directives:
            d.used.update(c for c in self.used if d.matches(c))


class _Scopes:
    """Every directive of the run in groups, with the lookups a finding needs."""

    def __init__(self, by_source: dict[int, SourceDirectives], file_directives: list[Directive],
                 annotations: dict[int, Directive],
                 per_file: list[tuple[str, frozenset[str]]]) -> None:
        self.by_source = by_source
        self.annotations = annotations
        self.per_file = per_file
        self._per_file_codes: dict[str, frozenset[str]] = {}
        self.files: dict[str, _Group] = {}
        for d in file_directives:
            if d.file is not None:
                self.files.setdefault(d.file, _Group()).add(d)
        self.documents: dict[tuple[int, int | None], _Group] = {}
        self.ranges: dict[int, list[tuple[int, int, _Group]]] = {}
        for key, directives in by_source.items():
            for d in directives.documents:
                self.documents.setdefault((key, d.doc_index), _Group()).add(d)
            by_range: dict[tuple[int, int], _Group] = {}
            for d in directives.lines:
                by_range.setdefault((d.start, d.end), _Group()).add(d)
            self.ranges[key] = sorted(((start, end, g) for (start, end), g in by_range.items()),
                                      key=lambda r: r[0])
        self.where = _Where()

    def groups(self) -> list[_Group]:
        out = list(self.files.values()) + list(self.documents.values())
        out += [g for ranges in self.ranges.values() for _, _, g in ranges]
        return out

    def _file_codes(self, file: str) -> frozenset[str]:
        codes = self._per_file_codes.get(file)
        if codes is None:
            codes = frozenset(c for glob, cs in self.per_file if excluded(file, [glob]) for c in cs)
            self._per_file_codes[file] = codes
        return codes

    def suppressed(self, findings: list[Finding], explicit_only: bool = False) -> list[bool]:
        """For each finding, whether a suppression removes it (marking what it used)."""
        hits = [False] * len(findings)
        queries: dict[int, list[tuple[int, int]]] = {}  # source -> (line, finding index)
        for i, f in enumerate(findings):
            code = f.rule
            hit = False
            loc = f.location
            if loc is not None:
                group = self.files.get(loc.file)
                if group is not None and group.use(code, explicit_only):
                    hit = True
                if self.per_file and code in self._file_codes(loc.file):
                    hit = True
            if f.resource is not None and id(f.resource) in self.annotations:
                d = self.annotations[id(f.resource)]
                if not (explicit_only and d.codes is None) and d.matches(code):
                    d.used.add(code)
                    hit = True
            src, line, doc = self.where.of(f)
            directives = self.by_source.get(id(src)) if src is not None else None
            if directives is not None:
                if doc is None:
                    doc = directives.doc_of_line(line)
                group = self.documents.get((id(src), doc))
                if group is not None and group.use(code, explicit_only):
                    hit = True
                if self.ranges.get(id(src)):
                    queries.setdefault(id(src), []).append((line, i))
            hits[i] = hit
        for key, wanted in queries.items():
            for i, groups in _stab(self.ranges[key], wanted):
                code = findings[i].rule
                for g in groups:
                    if g.use(code, explicit_only):
                        hits[i] = True
        return hits


def _stab(ranges: list[tuple[int, int, _Group]], queries: list[tuple[int, int]]
          ) -> list[tuple[int, list[_Group]]]:
    """For each (line, tag) query, the groups whose line range holds the line: one sweep over
    ranges sorted by start and queries sorted by line. Ranges are those of YAML nodes, nested
    or disjoint, so few hold any one line (at most about two per nesting level)."""
    out = []
    active: list[tuple[int, int, _Group]] = []  # (end, order, group), a heap by end
    order = 0
    r = 0
    for line, tag in sorted(queries):
        while r < len(ranges) and ranges[r][0] <= line:
            heapq.heappush(active, (ranges[r][1], order, ranges[r][2]))
            order += 1
            r += 1
        while active and active[0][0] < line:
            heapq.heappop(active)
        out.append((tag, [g for end, _, g in active if end >= line]))
    return out


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

    scopes = _Scopes(by_source, file_directives, annotations, per_file)
    hits = scopes.suppressed(findings)
    kept = [f for f, hit in zip(findings, hits, strict=True) if not hit]
    for group in scopes.groups():
        group.settle()

    selected = {r.code for r in rules}
    if UNUSED in selected:
        every = [d for s in by_source.values() for d in (*s.lines, *s.documents)]
        # copies of one annotation in several Kustomize builds are one suppression
        every += file_directives + one_per_written(list(annotations.values()))
        unused = unused_findings(every, selected)
        hits = scopes.suppressed(unused, explicit_only=True)
        kept.extend(u for u, hit in zip(unused, hits, strict=True) if not hit)
    return kept
