"""Suppression directives: `# gwlint:` comments read from the source text, and the
`gwlint.io/ignore` annotation of objects.

Comments are read from the source text already in memory, and only in files that contain
"gwlint:"; the YAML of those files is re-scanned (to tell comments from `#` inside strings and
to find nodes and documents), which costs nothing for the rest of a repository. Everything is one
pass over the text and one over its YAML events, whatever the number of directives; lines are
those of every report (gwlint.lines: LF, CRLF and CR end a line), so a directive suppresses the
findings reported on its line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from gwlint.context import Context
from gwlint.lines import Lines, MarkMap, next_break
from gwlint.loader import MAX_DEPTH, Loader
from gwlint.model import Resource
from gwlint.registry import Rule, all_rules
from gwlint.source import SourceFile

ANNOTATION = "gwlint.io/ignore"
UNUSED = "GW008"
MARKER = "gwlint:"

# `# gwlint:` (`_candidates` checks that the `#` starts a comment: at the start of the text or
# after whitespace); nothing in it crosses a line break (libyaml's: a comment also ends at NEL, LS
# and PS). Starting with a literal `#` lets the regular expression engine skip to each `#` fast.
_COMMENT = re.compile(r"#[ \t]*gwlint:[ \t]*(?P<kind>[\w-]*)[ \t]*"
                      r"(?:\[(?P<codes>[^\]\r\n\x85\u2028\u2029]*)\])?")
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
@dataclass(slots=True)
class _Candidate:
    """A `# gwlint:` that may be a comment: its character offset, line, 0-based column, match."""

    offset: int
    line: int
    column: int
    match: re.Match[str]


def _candidates(text: str, lines: Lines) -> list[_Candidate]:
    """Every `# gwlint:` that looks like a comment, in text order (one pass over the text)."""
    out = []
    for m in _COMMENT.finditer(text):
        if m.start() and not text[m.start() - 1].isspace():
            continue
        line, column = lines.position(m.start())
        out.append(_Candidate(m.start(), line, column - 1, m))
    return out


def _scan_events(text: str, found: list[_Candidate], at: MarkMap) -> tuple[set[int], list[int]]:
    """(offsets of the candidates inside a scalar, 1-based start line of each document), from
    one pass over the YAML events. Scalars do not overlap and come in text order, so each one
    is matched to the candidates it holds by bisection."""
    offsets = [c.offset for c in found]
    inside: set[int] = set()
    starts: list[int] = []
    try:
        for ev in yaml.parse(text, Loader=Loader):
            if isinstance(ev, yaml.ScalarEvent) and ev.start_mark and ev.end_mark:
                start, end = ev.start_mark.index, ev.end_mark.index
                if ev.style in ("|", ">"):
                    start = next_break(text, start)  # a comment may follow the block indicator
                i = bisect.bisect_left(offsets, start)
                while i < len(offsets) and offsets[i] < end:
                    inside.add(offsets[i])
                    i += 1
            elif isinstance(ev, yaml.DocumentStartEvent):
                starts.append(at(ev.start_mark)[0])
    except (yaml.YAMLError, RecursionError):
        pass  # keep what was read before the error: the loader reports the error itself
    return inside, starts


def _entries(text: str, at: MarkMap) -> dict[int, int]:
    """1-based line -> last line of the outermost node (mapping entry or sequence item) starting
    on it."""
    entries: dict[int, int] = {}
    seen: set[int] = set()

    def last_line(node: Any) -> int:
        for _ in range(MAX_DEPTH + 2):  # bounded: a recursive alias would loop forever
            if not (isinstance(node, (MappingNode, SequenceNode)) and node.value
                    and not node.flow_style):
                break
            last = node.value[-1]
            node = last[1] if isinstance(node, MappingNode) else last
        line, column = at(node.end_mark)
        if column == 1 and line > at(node.start_mark)[0]:
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
                    line = at(k.start_mark)[0]
                    if line not in entries:
                        entries[line] = last_line(v)
                    children.append(v)
            elif isinstance(n, SequenceNode):
                for item in n.value:
                    line = at(item.start_mark)[0]
                    if line not in entries:
                        entries[line] = last_line(item)
                    children.append(item)
            stack.extend(reversed(children))

    try:
        for root in yaml.compose_all(text, Loader=Loader):
            if root is not None:
                walk(root)
    except (yaml.YAMLError, RecursionError):
        pass
    return entries


def _next_content_lines(lines: Lines) -> list[int | None]:
    """For each 1-based line (index), the first later line that is neither blank nor a comment
    (None: none, or the next document starts first); one backward pass over the lines."""
    after: list[int | None] = [None] * (len(lines) + 2)
    following: int | None = None
    for line in range(len(lines), 0, -1):
        after[line] = following
        text = lines.text_of(line)
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith(("---", "...")) and text[:3] in ("---", "..."):
            following = None  # the next document: an own-line ignore before it covers nothing
        else:
            following = line
    return after


def comment_directives(src: SourceFile, by_name: dict[str, Rule]
                        ) -> tuple[SourceDirectives, list[Directive]]:
    """The directives of one source: (line/document ones, file ones)."""
    text = src.text
    out = SourceDirectives(src)
    files: list[Directive] = []
    if MARKER not in text:
        return out, files
    lines = Lines(text)
    found = _candidates(text, lines)
    if not found:
        return out, files
    at = MarkMap(text)
    inside, out.doc_starts = _scan_events(text, found, at)
    entries: dict[int, int] | None = None
    after: list[int | None] | None = None
    resolved: dict[str | None, tuple[frozenset[str] | None, list[str]]] = {}
    for c in found:
        if c.offset in inside:
            continue
        line, col, m = c.line, c.column, c.match
        kind = m.group("kind")
        raw = m.group("codes")
        if raw not in resolved:  # directives repeat: resolve each distinct list once
            resolved[raw] = resolve_codes(raw, by_name)
        codes, unknown = resolved[raw]
        d = Directive(kind, codes, list(unknown), src, line, col + 1, col + 1 + len(m.group(0)))
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
            own_line = not text[lines.start(line):c.offset].strip()
            if own_line:
                if after is None:
                    after = _next_content_lines(lines)
                target = after[line]
            else:
                target = line
            if target is None:
                d.start = d.end = -1  # covers nothing
            else:
                if entries is None:
                    entries = _entries(text, at)
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
