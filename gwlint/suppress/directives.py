"""Suppression directives: `# gwlint:` comments read from the source text, and the
`gwlint.io/ignore` annotation of objects.

Comments are read from the source text already in memory, and only in files that contain
"gwlint:"; the YAML of those files is re-scanned (to tell comments from `#` inside strings and
to find nodes and documents), which costs nothing for the rest of a repository.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from gwlint.context import Context
from gwlint.loader import Loader
from gwlint.model import Resource
from gwlint.registry import Rule, all_rules
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
class SourceDirectives:
    source: SourceFile
    lines: list[Directive] = field(default_factory=list)
    documents: list[Directive] = field(default_factory=list)
    doc_starts: list[int] = field(default_factory=list)  # 1-based start line of each document

    def doc_of_line(self, line: int) -> int:
        return max(bisect.bisect_right(self.doc_starts, line) - 1, 0)



# --- codes -------------------------------------------------------------------------------------
def rules_by_name() -> dict[str, Rule]:
    """Every rule by upper-case code and lower-case name (suppressions name any rule)."""
    out: dict[str, Rule] = {}
    for r in all_rules():
        out[r.code.upper()] = r
        out[r.name.lower()] = r
    return out


def resolve_codes(raw: str | None,
                  by_name: dict[str, Rule]) -> tuple[frozenset[str] | None, list[str]]:
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


def comment_directives(src: SourceFile, by_name: dict[str, Rule]
                        ) -> tuple[SourceDirectives, list[Directive]]:
    """The directives of one source: (line/document ones, file ones)."""
    text = src.text
    found = _candidates(text)
    out = SourceDirectives(src)
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
        codes, unknown = resolve_codes(m.group("codes"), by_name)
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


def annotation_directives(ctx: Context, by_name: dict[str, Rule]) -> dict[int, Directive]:
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
        codes, unknown = resolve_codes(value, by_name)
        out[id(res)] = Directive("annotation", codes, unknown, resource=res)
    return out


def any_annotation(ctx: Context) -> bool:
    """Whether any object carries the annotation (most runs: none, and nothing more to do)."""
    for res in ctx.resources:
        meta = res.body.get("metadata")
        if isinstance(meta, dict):
            annotations = meta.get("annotations")
            if isinstance(annotations, dict) and ANNOTATION in annotations:
                return True
    return False
