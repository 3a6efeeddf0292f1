"""Suppressions: inline `# gwlint: ...` comments, the `gwlint.io/ignore` annotation, per-file ignores.

Forms (codes may be rule codes or rule names, comma-separated; without a list, an empty list or
`all`: every rule):

* `key: value  # gwlint: ignore[GW101,GW301]` at the end of a line: findings that start in the
  YAML node beginning on that line (the key with its whole value, or the whole sequence item
  for a `- ` line); when no node begins on the line, findings that start on that line.
* `# gwlint: ignore[GW101]` on a line of its own: the same for the next line that is neither
  blank nor a comment.
* `# gwlint: ignore-document[GW101]` anywhere in a YAML document (by convention before its first
  key): every finding in that document (all items of a `kind: List`).
* `# gwlint: ignore-file[GW101]` anywhere in a file (`# gwlint: ignore-file`: every rule): the
  whole file; for Helm output on stdin, the whole template named by the `# Source:` comment.
* `metadata.annotations["gwlint.io/ignore"]: "GW101,GW301"` on an object: every finding about
  that object. Unlike comments, annotations survive `helm template` and `kustomize build`.
* `per-file-ignores` in the configuration: glob -> selectors.

A suppression that suppresses nothing is reported as GW008 unused-suppression (info), like ruff's
RUF100: only when GW008 is selected, and only for codes whose rule was selected (a suppression for
a rule that did not run cannot be judged). Unknown codes and malformed directives are reported too.

Comments are read from the source text already in memory, and only in files that contain
"gwlint:"; the YAML of those files is re-scanned (to tell comments from `#` inside strings and
to find nodes and documents), which costs nothing for the rest of a repository.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.config import LintConfig
    from gwlint.findings import Finding
    from gwlint.model import Resource
    from gwlint.registry import Rule
    from gwlint.source import SourceFile

ANNOTATION = "gwlint.io/ignore"
UNUSED = "GW008"
MARKER = "gwlint:"

# `#` that starts a comment (line start or after whitespace) followed by `gwlint:`
_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*gwlint:[ \t]*(?P<kind>[\w-]*)[ \t]*"
                      r"(?:\[(?P<codes>[^\]\n]*)\])?")
_KINDS = ("ignore", "ignore-document", "ignore-file")


@dataclass(eq=False)
class Directive:
    """One suppression and what it suppressed."""

    kind: str                     # ignore | ignore-document | ignore-file | annotation
    codes: frozenset[str] | None  # resolved rule codes; None: every rule
    unknown: list[str] = field(default_factory=list)  # codes/names that name no rule
    source: SourceFile | None = None
    line: int = 0                 # 1-based source line of the comment
    column: int = 0
    end_column: int = 0
    start: int = 0                # ignore: source line range it covers (inclusive)
    end: int = 0
    doc_index: int | None = None  # ignore-document
    file: str | None = None       # ignore-file: the display file it covers
    resource: Resource | None = None  # annotation
    used: set[str] = field(default_factory=set)
    bad: str | None = None        # malformed directive: why

    def matches(self, code: str) -> bool:
        return self.codes is None or code in self.codes


@dataclass(eq=False)
class _SourceDirectives:
    source: SourceFile
    lines: list[Directive] = field(default_factory=list)
    documents: list[Directive] = field(default_factory=list)
    doc_starts: list[int] = field(default_factory=list)  # 1-based start line of each document

    def doc_of_line(self, line: int) -> int:
        return max(bisect.bisect_right(self.doc_starts, line) - 1, 0)


# --- codes -------------------------------------------------------------------------------------
def _rules_by_name() -> dict[str, "Rule"]:
    from gwlint.registry import all_rules

    out: dict[str, Rule] = {}
    for r in all_rules():
        out[r.code.upper()] = r
        out[r.name.lower()] = r
    return out


def _resolve(raw: str | None, by_name: dict[str, "Rule"]) -> tuple[frozenset[str] | None, list[str]]:
    """Comma-separated codes/names -> (codes, unknown); None or an empty list means every rule."""
    if raw is None:
        return None, []
    names = [c.strip() for c in re.split(r"[,\s]+", raw) if c.strip()]
    if not names or any(n.lower() in ("all", "*") for n in names):
        return None, []
    codes, unknown = set(), []
    for name in names:
        rule = by_name.get(name.upper()) or by_name.get(name.lower())
        if rule is None:
            unknown.append(name)
        else:
            codes.add(rule.code)
    return frozenset(codes), unknown


# --- reading comments --------------------------------------------------------------------------
def _candidates(text: str) -> list[tuple[int, int, re.Match[str]]]:
    """(1-based line, 0-based column of '#', match) of every `# gwlint:` that looks like a comment."""
    out = []
    pos = 0
    while True:
        idx = text.find(MARKER, pos)
        if idx < 0:
            return out
        line_start = text.rfind("\n", 0, idx) + 1
        line_end = text.find("\n", idx)
        line_end = len(text) if line_end < 0 else line_end
        line_text = text[line_start:line_end]
        line_no = text.count("\n", 0, line_start) + 1
        for m in _COMMENT.finditer(line_text):
            out.append((line_no, m.start(), m))
        pos = line_end + 1


def _scan_events(text: str, wanted: set[int]) -> tuple[list[tuple[int, int, int, int]], list[int]]:
    """Scalar spans (0-based lines/columns) touching `wanted` lines and document start lines."""
    import yaml

    from gwlint.loader import Loader

    scalars: list[tuple[int, int, int, int]] = []
    starts: list[int] = []
    try:
        for ev in yaml.parse(text, Loader=Loader):
            if isinstance(ev, yaml.ScalarEvent):
                s, e = ev.start_mark, ev.end_mark
                start = (s.line, s.column)
                if ev.style in ("|", ">"):
                    start = (s.line + 1, 0)  # a comment may follow the block indicator
                if s.line != e.line or (s.line + 1) in wanted:
                    scalars.append((*start, e.line, e.column))
            elif isinstance(ev, yaml.DocumentStartEvent):
                starts.append(ev.start_mark.line + 1)
    except (yaml.YAMLError, RecursionError):
        pass  # keep what was read before the error: the loader reports the error itself
    return scalars, starts


def _in_scalar(line0: int, col: int, scalars: list[tuple[int, int, int, int]]) -> bool:
    pos = (line0, col)
    return any((sl, sc) <= pos < (el, ec) for sl, sc, el, ec in scalars)


def _entries(text: str) -> dict[int, int]:
    """1-based line -> last line of the outermost node (mapping entry or sequence item) starting
    on it."""
    import yaml
    from yaml.nodes import MappingNode, SequenceNode

    from gwlint.loader import Loader

    entries: dict[int, int] = {}
    seen: set[int] = set()

    def last_line(node: Any) -> int:
        while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
            last = node.value[-1]
            node = last[1] if isinstance(node, MappingNode) else last
        mark = node.end_mark
        line = mark.line + 1
        if mark.column == 0 and mark.line > node.start_mark.line:
            line -= 1  # block scalars end at the start of the next line
        return line

    def walk(node: Any) -> None:
        stack = [node]
        while stack:
            n = stack.pop()
            if id(n) in seen:
                continue
            seen.add(id(n))
            children = []
            if isinstance(n, MappingNode):
                for k, v in n.value:
                    entries.setdefault(k.start_mark.line + 1, last_line(v))
                    children.append(v)
            elif isinstance(n, SequenceNode):
                for item in n.value:
                    entries.setdefault(item.start_mark.line + 1, last_line(item))
                    children.append(item)
            stack.extend(reversed(children))

    try:
        for root in yaml.compose_all(text, Loader=Loader):
            if root is not None:
                walk(root)
    except (yaml.YAMLError, RecursionError):
        pass
    return entries


def _next_content_line(lines: list[str], line: int) -> int | None:
    """The first line after `line` (1-based) that is neither blank nor a comment."""
    for i in range(line, len(lines)):
        stripped = lines[i].strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith(("---", "...")) and lines[i][:3] in ("---", "..."):
            return None  # the next document: an own-line ignore before it covers nothing
        return i + 1
    return None


def _comment_directives(src: SourceFile, by_name: dict[str, "Rule"]
                        ) -> tuple[_SourceDirectives, list[Directive]]:
    """The directives of one source: (line/document ones, file ones)."""
    text = src.text
    found = _candidates(text)
    out = _SourceDirectives(src)
    files: list[Directive] = []
    if not found:
        return out, files
    scalars, out.doc_starts = _scan_events(text, {line for line, _, _ in found})
    lines = text.split("\n")
    entries: dict[int, int] | None = None
    for line, col, m in found:
        if _in_scalar(line - 1, col, scalars):
            continue
        kind = m.group("kind")
        codes, unknown = _resolve(m.group("codes"), by_name)
        d = Directive(kind, codes, unknown, src, line, col + 1, col + 1 + len(m.group(0)))
        if kind not in _KINDS:
            d.bad = (f"unknown gwlint directive '{kind}': use ignore[...], ignore-document[...] "
                     "or ignore-file[...]") if kind else "gwlint comment without a directive"
            files.append(d)
            continue
        if kind == "ignore-file":
            d.file = src.display(line)[0]
            files.append(d)
        elif kind == "ignore-document":
            d.doc_index = out.doc_of_line(line)
            out.documents.append(d)
        else:
            own_line = not lines[line - 1][:col].strip()
            target = _next_content_line(lines, line) if own_line else line
            if target is None:
                d.start = d.end = -1  # covers nothing
            else:
                if entries is None:
                    entries = _entries(text)
                d.start, d.end = target, max(entries.get(target, target), target)
            out.lines.append(d)
    return out, files


def _annotation_directives(ctx: "Context", by_name: dict[str, "Rule"]) -> dict[int, Directive]:
    out: dict[int, Directive] = {}
    for res in ctx.resources:
        meta = res.body.get("metadata")
        if not isinstance(meta, dict):
            continue
        annotations = meta.get("annotations")
        if not isinstance(annotations, dict):
            continue
        value = annotations.get(ANNOTATION)
        if not isinstance(value, str):  # annotations are strings; anything else is invalid
            continue
        codes, unknown = _resolve(value, by_name)
        out[id(res)] = Directive("annotation", codes, unknown, resource=res)
    return out


# --- applying ----------------------------------------------------------------------------------
def _per_file_codes(per_file_ignores: dict[str, list[str]]) -> list[tuple[str, frozenset[str]]]:
    from gwlint.registry import all_rules

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
        self._index: Any = None

    def of(self, f: "Finding") -> tuple[SourceFile | None, int, int | None]:
        if f.resource is not None:
            origin = f.resource.origin
            src = origin.source
            line = f.location.line if f.location else 1
            if src.is_stdin and src.helm_sections():
                if self._index is None:
                    from gwlint.spans import SpanIndex

                    self._index = SpanIndex()
                span, _ = self._index.locate(src, origin.doc_index, origin.prefix + tuple(f.path))
                line = span.line
            return src, line, origin.doc_index
        return f.source, f.line or 1, f.doc_index


def apply_suppressions(findings: list["Finding"], sources: list["SourceFile"],
                       config: "LintConfig", ctx: "Context") -> list["Finding"]:
    """The findings that no suppression removes, plus GW008 for suppressions that removed none."""
    by_source: dict[int, _SourceDirectives] = {}
    file_directives: list[Directive] = []
    by_name: dict[str, Rule] | None = None
    for src in sources:
        if src.has_directives:
            by_name = by_name or _rules_by_name()
            directives, files = _comment_directives(src, by_name)
            file_directives.extend(files)
            if directives.lines or directives.documents:
                by_source[id(src)] = directives
    annotations = _annotation_directives(ctx, by_name or _rules_by_name()) \
        if _any_annotation(ctx) else {}
    per_file = _per_file_codes(config.per_file_ignores) if config.per_file_ignores else []
    if not by_source and not file_directives and not annotations and not per_file:
        return findings

    from gwlint.discover import excluded

    by_file: dict[str, list[Directive]] = {}
    for d in file_directives:
        if d.file is not None:
            by_file.setdefault(d.file, []).append(d)
    where = _Where()
    kept: list[Finding] = []
    for f in findings:
        if not _suppressed(f, by_source, by_file, annotations, per_file, where, excluded):
            kept.append(f)

    from gwlint.registry import select_rules

    selected = {r.code for r in select_rules(config.select, config.ignore, config.extend_select)}
    if UNUSED in selected:
        every = [d for s in by_source.values() for d in (*s.lines, *s.documents)]
        every += file_directives + list(annotations.values())
        unused = _unused_findings(every, selected)
        kept.extend(u for u in unused
                    if not _suppressed(u, by_source, by_file, annotations, per_file, where,
                                       excluded, explicit_only=True))
    return kept


def _any_annotation(ctx: "Context") -> bool:
    for res in ctx.resources:
        meta = res.body.get("metadata")
        if isinstance(meta, dict):
            annotations = meta.get("annotations")
            if isinstance(annotations, dict) and ANNOTATION in annotations:
                return True
    return False


def _suppressed(f: "Finding", by_source: dict[int, _SourceDirectives],
                by_file: dict[str, list[Directive]], annotations: dict[int, Directive],
                per_file: list[tuple[str, frozenset[str]]], where: _Where, excluded: Any,
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


def _describe(codes: list[str]) -> str:
    from gwlint.registry import get_rule

    parts = []
    for code in codes:
        rule = get_rule(code)
        parts.append(f"{code} {rule.name}" if rule else code)
    return ", ".join(parts)


def _unused_findings(directives: list[Directive], selected: set[str]) -> list["Finding"]:
    from gwlint.registry import all_rules

    default_rules = {r.code for r in all_rules() if not r.opt_in}
    every_default_selected = default_rules <= selected
    out = []
    for d in directives:
        if d.bad:
            out.append(_finding(d, d.bad, "write e.g. `# gwlint: ignore[GW101]`"))
            continue
        if d.unknown:
            names = ", ".join(f"'{u}'" for u in d.unknown)
            out.append(_finding(d, f"unknown rule {names} in suppression",
                                "`gwlint rules` lists the codes and names"))
        if d.codes is None:
            if not d.used and every_default_selected:
                out.append(_finding(d, f"unused blanket suppression: {_scope(d)}",
                                    "remove it"))
            continue
        unused = sorted(c for c in d.codes if c in selected and c not in d.used and c != UNUSED)
        if unused:
            out.append(_finding(d, f"unused suppression of {_describe(unused)}: {_scope(d)}",
                                "remove it (or the codes that are no longer needed)"))
    return out


def _scope(d: Directive) -> str:
    if d.kind == "annotation":
        assert d.resource is not None
        return f"no such finding on {d.resource.label()}"
    if d.kind == "ignore-file":
        return "no such finding in this file"
    if d.kind == "ignore-document":
        return "no such finding in this document"
    return "no such finding starts in the node it covers"


def _finding(d: Directive, message: str, hint: str) -> "Finding":
    from gwlint.findings import Finding, Location

    if d.resource is not None:
        from gwlint.locate import locate

        f = Finding(message, rule=UNUSED, resource=d.resource, hint=hint,
                    path=("metadata", "annotations", ANNOTATION))
        locate([f])
        return f
    assert d.source is not None
    f = Finding(message, rule=UNUSED, hint=hint, source=d.source, line=d.line, column=d.column,
                end_line=d.line, end_column=d.end_column)
    file, shown = d.source.display(d.line)
    f.location = Location(file, shown, d.column, shown, d.end_column)
    return f
