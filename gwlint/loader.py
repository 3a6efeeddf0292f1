"""Parse YAML/JSON streams with the C loader into plain Python values, safely.

Why a custom converter instead of `yaml.load_all`: we need duplicate-key detection (Kubernetes
silently keeps the last key), bounded alias expansion (billion laughs), bounded nesting, and no
construction of custom tags. Line/column spans are *not* stored per node (that would cost
hundreds of MB at repository scale): `spans.SpanIndex` recomposes a file lazily when a finding
in it needs a location.

Large runs parse most texts with the native front end (`gwlint.native`: rapidyaml and orjson),
which gives the very values the C loader would, or refuses the text: then the C loader parses it
as above (and reports what is wrong with it).
"""

from __future__ import annotations

import base64
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gwlint import jsonstream, lines, native
from gwlint.budget import MAX_FINDINGS_PER_FILE, SUMMARY_HINT, summary_message
from gwlint.findings import FieldPath, Finding
from gwlint.source import SourceFile

_STR = "tag:yaml.org,2002:str"
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = yaml.CSafeLoader.yaml_implicit_resolvers
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class Loader(yaml.CSafeLoader):
    """The C loader (never the pure-Python one: 16x slower) with a leaner tag resolver.

    PyYAML's resolver is Python code called for every scalar and also maintains path resolvers we
    never use; this one gives the same YAML 1.1 tags (same regexes) about 20% faster overall.
    """

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:  # noqa: D102
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: object, current_index: object) -> None:  # noqa: D102
        return None

    def ascend_resolver(self) -> None:  # noqa: D102
        return None

MAX_DEPTH = 200  # Kubernetes objects are < 30 deep; deeper input is hostile or broken
# Nodes that aliases add (each alias counts the nodes of what it repeats): every later stage walks
# them as if written out, so they are budgeted per file and for the whole run (billion laughs
# spread over many documents or files), not per document.
MAX_ALIAS_NODES_PER_FILE = 1_000_000
MAX_ALIAS_NODES = 2_000_000  # per run (split evenly between the processes of a parallel run)
MAX_EXPANDED_NODES = MAX_ALIAS_NODES_PER_FILE  # the name earlier releases exported
MAX_DOCUMENTS = 100_000  # per file
_DEEP_HINT = "Kubernetes objects are never this deep: the file is broken or hostile"
_LIBYAML_DEPTH = "exceeded maximum nesting depth"  # the limit of the libyaml in PyYAML 6.0.4 wheels
# per document, before alias expansion: bounds the composer's memory (it builds one document's
# node tree at a time). etcd stores at most 1.5 MB per object, far fewer nodes than this.
MAX_NODES = 1_000_000
# The C composer recurses natively (about 330 bytes of C stack per level) and crashes the process
# near 24,000 levels with the default 8 MiB stack. Texts that provably cannot nest this deep (see
# _needs_scan) are composed directly; the others are checked with the event stream first.
_SAFE_DEPTH = 10_000
_INDENT_RUN = " " * 2_000
_BREAKS = (" ", "\t", "\r", "\n", "\x85", "\u2028", "\u2029")  # what may follow a block "-"

# `{{`, anything but braces, `}}` (the same language as `{{-? \s* ... \s* -?}}`, but linear: the
# overlapping `\s*[^{}]*?\s*` form backtracked cubically, minutes for `{{` and 2,000 spaces)
_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")

_BOOL = {
    "true": True, "True": True, "TRUE": True, "yes": True, "Yes": True, "YES": True,
    "on": True, "On": True, "ON": True,
    "false": False, "False": False, "FALSE": False, "no": False, "No": False, "NO": False,
    "off": False, "Off": False, "OFF": False,
}
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOLT = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_STD_PREFIX = "tag:yaml.org,2002:"
_STD_TAGS = frozenset(_STD_PREFIX + t for t in (
    "str", "int", "float", "bool", "null", "map", "seq", "binary", "timestamp", "merge", "set",
    "omap", "pairs", "value"))


@dataclass(slots=True)
class LoadIssue:
    """A problem found while reading or parsing; the engine makes it a finding of rule `code`."""

    code: str
    source: SourceFile
    line: int  # 0: locate by doc_index + path instead
    column: int
    message: str
    hint: str | None = None
    end_line: int | None = None
    end_column: int | None = None
    doc_index: int | None = None
    path: FieldPath = ()
    omitted: int = 0  # a summary of issues left out (see _Issues): how many

    def finding(self) -> Finding:
        """The finding this issue becomes (its rule is `code`)."""
        return Finding(self.message, rule=self.code, hint=self.hint, source=self.source,
                       doc_index=self.doc_index, path=self.path, line=self.line or None,
                       column=self.column or None, end_line=self.end_line,
                       end_column=self.end_column,
                       omitted={None: self.omitted} if self.omitted else None)


@dataclass(slots=True)
class Document:
    """One YAML document of a source, converted to plain Python data."""

    source: SourceFile
    index: int
    data: Any
    line: int  # 1-based line of the document's root node


class _Issues(list[LoadIssue]):
    """The issues of one file, at most budget.MAX_FINDINGS_PER_FILE of each code: the rest are
    counted in one summary issue (a file can repeat one key 300,000 times; its report, and the
    memory on the way to it, stay bounded)."""

    def __init__(self) -> None:
        super().__init__()
        self._counts: dict[str, int] = {}
        self._summaries: dict[str, LoadIssue] = {}
        self._limit = _ISSUES_PER_FILE

    def append(self, issue: LoadIssue) -> None:  # noqa: D102
        code = issue.code
        n = self._counts.get(code, 0) + 1
        self._counts[code] = n
        limit = self._limit
        if n < limit or limit <= 0:
            super().append(issue)
            return
        summary = self._summaries.get(code)
        if summary is None:  # stands for this issue and those after it, where this one is
            summary = self._summaries[code] = LoadIssue(
                code, issue.source, issue.line, issue.column, "", hint=SUMMARY_HINT,
                end_line=issue.end_line, end_column=issue.end_column, doc_index=issue.doc_index,
                path=issue.path)
            super().append(summary)
        summary.omitted = n - limit + 1
        summary.message = summary_message(code, summary.omitted, limit)


@dataclass
class ParseResult:
    documents: list[Document] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=_Issues)


class _TooDeep(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _TooBig(Exception):
    def __init__(self, node: Node, per_file: bool) -> None:
        self.node = node
        self.per_file = per_file


@dataclass(slots=True)
class AliasBudget:
    """Alias-expanded nodes a run may still convert, shared by every file it parses (in a
    parallel run: this process's share, see share_run)."""

    remaining: int = MAX_ALIAS_NODES
    limit: int = MAX_ALIAS_NODES
    processes: int = 1  # processes that split the run's budget evenly


_RUN: AliasBudget | None = None  # the budget of the run in progress (see start_run)
_ISSUES_PER_FILE = MAX_FINDINGS_PER_FILE  # issues of one code kept per file (0: all)


def start_run(findings_per_file: int = MAX_FINDINGS_PER_FILE) -> None:
    """Give the run that starts its whole alias budget and its findings limit (engine.lint;
    `end_run` when it ends). A parallel run splits the budget between its processes
    (`share_run`)."""
    global _RUN, _ISSUES_PER_FILE
    _RUN = AliasBudget()
    _ISSUES_PER_FILE = findings_per_file


def share_run(processes: int, findings_per_file: int) -> None:
    """In each of the `processes` of a parallel run (this one and every worker, forked or
    spawned): an even share of what is left of the run's alias budget, so that the run as a
    whole expands at most MAX_ALIAS_NODES, and the run's findings limit (a spawned worker
    inherits neither)."""
    global _RUN, _ISSUES_PER_FILE
    left = _RUN.remaining if _RUN is not None else MAX_ALIAS_NODES
    share = max(left, 0) // max(processes, 1)
    _RUN = AliasBudget(share, share, max(processes, 1))
    _ISSUES_PER_FILE = findings_per_file


def in_run() -> bool:
    """Whether a run is in progress (`start_run` ... `end_run`)."""
    return _RUN is not None


def end_run() -> None:
    """Outside a run, each `parse_source` call has a budget of its own."""
    global _RUN, _ISSUES_PER_FILE
    _RUN = None
    _ISSUES_PER_FILE = MAX_FINDINGS_PER_FILE


class _Positions:
    """Report positions of one source's libyaml marks (see gwlint.lines), built on first use:
    most files never need one."""

    __slots__ = ("_map", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._map: lines.MarkMap | None = None

    def __call__(self, mark: Any) -> tuple[int, int]:
        if self._map is None:
            self._map = lines.MarkMap(self.text)
        return self._map(mark)


_constructor = yaml.constructor.SafeConstructor()


class _Converter:
    """Node tree -> Python values, with duplicate-key, alias, depth and tag checks."""

    def __init__(self, source: SourceFile, doc_index: int, issues: list[LoadIssue],
                 budget: AliasBudget, file_aliases: list[int], at: _Positions) -> None:
        self.source = source
        self.doc_index = doc_index
        self.issues = issues
        self.memo: dict[int, Any] = {}
        self.expanded = 0
        self.budget = budget
        self.file_aliases = file_aliases  # [alias-expanded nodes of the file so far]
        self.at = at

    def convert(self, node: Node) -> Any:
        return self._node(node, 0, ())

    def _node(self, node: Node, depth: int, path: FieldPath) -> Any:
        key = id(node)
        if key in self.memo:  # an alias: reuse, but count the expansion it implies
            value, size = self.memo[key]
            self.expanded += size
            self.file_aliases[0] += size
            self.budget.remaining -= size
            if self.file_aliases[0] > MAX_ALIAS_NODES_PER_FILE:
                raise _TooBig(node, per_file=True)
            if self.budget.remaining < 0:
                raise _TooBig(node, per_file=False)
            return value
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        before = self.expanded
        self.expanded += 1
        if isinstance(node, ScalarNode):
            value = self._scalar(node, path)
        elif isinstance(node, MappingNode):
            value = self._mapping(node, depth, path)
        else:
            value = [self._node(item, depth + 1, path + (i,)) for i, item in enumerate(node.value)]
            self._check_tag(node, "tag:yaml.org,2002:seq", path)
        self.memo[key] = (value, self.expanded - before)
        return value

    def _issue(self, code: str, node: Node, message: str, path: FieldPath, hint: str | None = None,
               end: bool = False) -> LoadIssue:
        line, column = self.at(node.start_mark)
        end_line, end_column = self.at(node.end_mark) if end else (None, None)
        return LoadIssue(code, self.source, line, column, message, hint=hint, end_line=end_line,
                         end_column=end_column, doc_index=self.doc_index, path=path)

    def _check_tag(self, node: Node, expected: str, path: FieldPath) -> None:
        if node.tag != expected and node.tag not in _STD_TAGS:
            self.issues.append(self._issue(
                "GW005", node,
                f"custom YAML tag {node.tag!r} is not constructed; its value is read as plain data",
                path, hint="Kubernetes accepts only standard YAML tags; remove the tag"))

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _INT:
            try:
                return int(value)
            except ValueError:
                pass
            try:  # 0x1F, 0o17, 1_000, 190:20:30
                return _constructor.construct_yaml_int(node)
            except (ValueError, IndexError):
                return self._unreadable_scalar(node, path, "an integer")
        if tag == _BOOLT:
            return _BOOL.get(value, value)
        if tag == _NULL:
            return None
        if tag == _FLOAT:
            try:
                return _constructor.construct_yaml_float(node)
            except (ValueError, IndexError):
                return self._unreadable_scalar(node, path, "a float")
        if tag == "tag:yaml.org,2002:binary":
            try:
                return base64.b64encode(base64.decodebytes(value.encode("ascii"))).decode("ascii")
            except (ValueError, UnicodeEncodeError):
                return value
        self._check_tag(node, _STR, path)
        return value  # timestamps and others stay strings, as in Kubernetes' YAML-to-JSON

    def _unreadable_scalar(self, node: ScalarNode, path: FieldPath, what: str) -> str:
        """`!!int abc`, `!!float 1:x`, or an integer of more than 4,300 digits (Python refuses to
        convert those: quadratic time): reported, and kept as the string it is written as."""
        text: str = node.value
        value = text if len(text) <= 40 else text[:40] + "..."
        self.issues.append(self._issue(
            "GW001", node,
            f"{value!r} cannot be read as {what} (an explicit tag on another type, or a number too "
            "large); read as a string", path, end=True))
        return text

    def _mapping(self, node: MappingNode, depth: int, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, Mark] = {}
        self._check_tag(node, "tag:yaml.org,2002:map", path)
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._merge(result, value_node, depth, path)
                continue
            key = self._key(key_node, depth, path)
            if key in seen:
                first = seen[key]
                self.issues.append(self._issue(
                    "GW002", key_node,
                    f"duplicate key {_short(key)} (first at line {self.at(first)[0]}); Kubernetes "
                    "silently keeps the last value", path + (key,),
                    hint="remove one of the two keys", end=True))
            seen[key] = key_node.start_mark
            result[key] = self._node(value_node, depth + 1, path + (key,))
        return result

    def _key(self, key_node: Node, depth: int, path: FieldPath) -> str:
        if isinstance(key_node, ScalarNode):
            key = self._scalar(key_node, path)
            if isinstance(key, bool):
                return "true" if key else "false"
            return key if isinstance(key, str) else ("null" if key is None else str(key))
        # A complex (mapping or sequence) key: Kubernetes cannot represent it; keep a string form.
        self._node(key_node, depth + 1, path)
        return f"<complex key at line {self.at(key_node.start_mark)[0]}>"

    def _merge(self, result: dict[str, Any], value_node: Node, depth: int, path: FieldPath) -> None:
        merged = self._node(value_node, depth + 1, path)
        sources = merged if isinstance(merged, list) else [merged]
        for src in sources:
            if isinstance(src, dict):
                for k, v in src.items():
                    result.setdefault(k, v)


def _short(key: Any, limit: int = 80) -> str:
    """repr() of a key for a message, cut to `limit` characters (a key may be megabytes long)."""
    text = repr(key)
    return text if len(text) <= limit else text[:limit - 4] + "...'"


_intern = sys.intern  # keys repeat in every object: share them (memory at 100,000 resources)


class _NeedsCareful(Exception):
    """Raised by the fast converter for anything unusual; the careful converter takes over."""


def _fast(node: Node, depth: int = 0) -> Any:
    """Convert a node tree without aliases, custom tags, merge keys or duplicate keys, quickly.

    Only used for texts without anchors (no `&`), so no alias expansion is possible; any unusual
    construct raises _NeedsCareful and the document is converted again by _Converter.
    """
    cls = node.__class__
    if cls is ScalarNode:
        tag = node.tag
        if tag == _STR:
            value = node.value
            return _intern(value) if len(value) < 48 else value  # kinds, groups, types repeat
        if tag == _INT:
            try:
                return int(node.value)
            except ValueError:
                raise _NeedsCareful from None
        if tag == _BOOLT and node.value in _BOOL:
            return _BOOL[node.value]
        if tag == _NULL:
            return None
        raise _NeedsCareful
    if depth > MAX_DEPTH:
        raise _NeedsCareful
    if cls is MappingNode:
        items = node.value
        if node.tag != _MAP:
            raise _NeedsCareful
        result = {}
        for key, value in items:
            if key.__class__ is not ScalarNode or key.tag != _STR:
                raise _NeedsCareful
            result[_intern(key.value)] = _fast(value, depth + 1)
        if len(result) != len(items):  # a duplicate key: report it carefully
            raise _NeedsCareful
        return result
    if node.tag != _SEQ:
        raise _NeedsCareful
    return [_fast(item, depth + 1) for item in node.value]


def _needs_scan(text: str) -> bool:
    """False when `text` can neither nest _SAFE_DEPTH deep nor hold MAX_NODES nodes (cheap bounds).

    Every nesting level needs a flow opener (`[`, `{`), a block entry (`-` then a space or a line
    break), a `?`, or one more column of block indentation; each opener opens at most two levels
    (the collection and an implicit or compact single-pair mapping inside it, as in `[a: [b: ...`).
    Every node starts at a line break or after one of `-,:?[{` (at most three per indicator).
    """
    size = len(text)
    openers = (_SAFE_DEPTH - len(_INDENT_RUN)) // 2  # this many openers might nest too deep
    if size < openers and 3 * size + 3 <= MAX_NODES:
        return False
    flow = text.count("[") + text.count("{") + text.count("?")
    dashes = text.count("-")
    if flow + dashes >= openers:  # most dashes are in names: count only the block entries
        entries = sum(text.count("-" + b) for b in _BREAKS) + text.endswith("-")
        if flow + entries >= openers:
            return True
    if _INDENT_RUN in text:
        return True
    if 3 * size + 3 <= MAX_NODES:
        return False
    breaks = sum(text.count(b) for b in _BREAKS[2:])
    indicators = flow + dashes + text.count(",") + text.count(":") + breaks
    return 3 * indicators + 3 > MAX_NODES


_NODE_EVENTS = {yaml.ScalarEvent: (1, 0), yaml.MappingStartEvent: (1, 1),
                yaml.SequenceStartEvent: (1, 1), yaml.MappingEndEvent: (0, -1),
                yaml.SequenceEndEvent: (0, -1)}


def nesting_ok(text: str) -> bool:
    """Whether the C composer can safely compose `text` (for texts that are not lint inputs)."""
    return _nesting_ok(text, SourceFile("<text>"), [])


def _nesting_ok(text: str, source: SourceFile, issues: list[LoadIssue]) -> bool:
    """Guard the C composer: refuse texts nested deeper than MAX_DEPTH (the composer would crash
    the process on ~24k levels) or holding a document of more than MAX_NODES nodes (the composer
    builds one document's node tree at a time), from the event stream."""
    if not _needs_scan(text):
        return True
    depth = nodes = documents = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            delta = _NODE_EVENTS.get(event.__class__)
            if delta is None:
                if event.__class__ is yaml.DocumentStartEvent:
                    documents += 1
                    nodes = 0
                    if documents > MAX_DOCUMENTS:  # the composer stops there too
                        return True
                continue
            nodes += delta[0]
            depth += delta[1]
            if depth > MAX_DEPTH:
                message = f"nesting deeper than {MAX_DEPTH} levels; file not linted"
                hint = _DEEP_HINT
            elif nodes > MAX_NODES:
                message = (f"a YAML document of more than {MAX_NODES:,} nodes (document "
                           f"{documents}); file not linted")
                hint = ("Kubernetes objects are small (etcd stores at most 1.5 MB each): "
                        "the file is broken or hostile")
            else:
                continue
            line, column = lines.MarkMap(text)(event.start_mark)
            issues.append(LoadIssue("GW004", source, line, column, message, hint=hint))
            return False
    except yaml.YAMLError as exc:
        if _LIBYAML_DEPTH not in str(getattr(exc, "problem", "")):
            return True  # the composer reports the syntax error with its location
        # the libyaml in PyYAML 6.0.4 wheels refuses 1,000 levels while scanning ahead,
        # before the parser emits the 201st level: the same limit, so the same finding
        mark = ((exc.problem_mark or exc.context_mark) if isinstance(exc, yaml.MarkedYAMLError)
                else None)
        line, col = lines.MarkMap(text)(mark) if mark else (1, 1)
        issues.append(LoadIssue("GW004", source, line, col,
                                f"nesting deeper than {MAX_DEPTH} levels; file not linted",
                                hint=_DEEP_HINT))
        return False
    return True


def text_extent(text: str) -> tuple[int, int]:
    """(number of lines, length of the last line), in the report's line model (gwlint.lines)."""
    return lines.extent(text)


def clamp_mark(extent: tuple[int, int], line: int, col: int) -> tuple[int, int]:
    """Keep a 1-based position inside a text of `extent` (see gwlint.lines.clamp)."""
    return lines.clamp(extent, line, col)


def _syntax_issue(source: SourceFile, exc: yaml.YAMLError) -> LoadIssue:
    text = source.text
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = lines.MarkMap(text)(mark) if mark else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.reader.ReaderError):  # a character YAML forbids; position in bytes
        char = exc.character
        code = ord(char) if isinstance(char, str) and len(char) == 1 else char
        problem = (f"unacceptable character #x{code:04x}: {exc.reason}" if isinstance(code, int)
                   else str(exc.reason))
        context = None
        prefix = text.encode("utf-8", "surrogatepass")[:max(0, int(exc.position))]
        line, col = lines.Lines(text).position(len(prefix.decode("utf-8", "ignore")))
    message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    m = _TEMPLATE.search(text)
    if m is not None:
        tline, tcol = lines.Lines(text).position(m.start())
        return LoadIssue(
            "GW003", source, tline, tcol,
            "file contains Go/Helm template syntax and is not valid YAML: render it first",
            hint="lint the rendered output: `helm template RELEASE CHART | gwlint -`")
    return LoadIssue("GW001", source, line, col, message)


def parse_source(source: SourceFile, budget: AliasBudget | None = None,
                 share: bool = False) -> ParseResult:
    """Parse every document of `source`; never raises for bad input. `budget`: the alias budget
    to draw on (None: the current run's, see start_run). `share`: intern the short strings of
    natively parsed values too (the PyYAML path always does; worth it for large inputs)."""
    result = ParseResult()
    text = source.text
    if native.active():  # values proven identical, or None: PyYAML decides (and reports)
        fast = native.parse(text, share)
        if fast is not None:
            source.native = True
            result.documents = [Document(source, index, data, line)
                                for index, (data, line) in enumerate(fast)]
            return result
    if not _nesting_ok(text, source, result.issues):
        return result
    index = -1
    anchors = "&" in text
    at = _Positions(text)
    budget = budget or _RUN or AliasBudget()
    file_aliases = [0]
    try:
        for index, node in enumerate(yaml.compose_all(text, Loader=Loader)):
            if index >= MAX_DOCUMENTS:
                result.issues.append(LoadIssue(
                    "GW004", source, at(node.start_mark)[0], 1,
                    f"more than {MAX_DOCUMENTS} documents in one file; the rest is not linted"))
                break
            if node is None:
                continue
            if not anchors:
                try:
                    data = _fast(node)
                except _NeedsCareful:
                    pass
                else:
                    result.documents.append(Document(source, index, data, at(node.start_mark)[0]))
                    continue
            converter = _Converter(source, index, result.issues, budget, file_aliases, at)
            _convert_document(converter, node, result)
    except yaml.YAMLError as exc:
        stream = jsonstream.compose(text, Loader)
        if stream is not None:  # concatenated JSON values: kubectl reads them all
            return _json_stream(source, stream, budget, at)
        broken = jsonstream.stream_error(text)
        result.issues.append(_syntax_issue(source, exc) if broken is None else
                             LoadIssue("GW001", source, broken[0], broken[1], broken[2]))
    except RecursionError:
        result.issues.append(LoadIssue("GW004", source, 1, 1, "nesting too deep; file not linted"))
    return result


def _json_stream(source: SourceFile, nodes: list[Node], budget: AliasBudget,
                 at: _Positions) -> ParseResult:
    """The documents of a file of concatenated JSON values (see gwlint.jsonstream)."""
    result = ParseResult()
    file_aliases = [0]
    for index, node in enumerate(nodes):
        _convert_document(_Converter(source, index, result.issues, budget, file_aliases, at),
                          node, result)
    return result


def _convert_document(converter: _Converter, node: Node, result: ParseResult) -> None:
    source, index, at = converter.source, converter.doc_index, converter.at
    try:
        data = converter.convert(node)
    except _TooDeep as exc:
        line, column = at(exc.node.start_mark)
        result.issues.append(LoadIssue(
            "GW004", source, line, column,
            f"nesting deeper than {MAX_DEPTH} levels; document not linted", doc_index=index))
        return
    except _TooBig as exc:
        line, column = at(exc.node.start_mark)
        if exc.per_file:
            message = (f"YAML aliases of this file expand to more than "
                       f"{MAX_ALIAS_NODES_PER_FILE:,} nodes (an alias bomb?); document not linted")
            hint = "write the repeated values out, or split the file"
        elif converter.budget.processes == 1:
            message = (f"YAML aliases of the linted files expand to more than "
                       f"{converter.budget.limit:,} nodes in total (the alias budget of a run); "
                       "document not linted")
            hint = "lint fewer files per run, or write the repeated values out"
        else:
            message = (f"YAML aliases of the files this process lints expand to more than "
                       f"{converter.budget.limit:,} nodes (its share of the alias budget of a "
                       f"run: {MAX_ALIAS_NODES:,} nodes split between "
                       f"{converter.budget.processes} processes); document not linted")
            hint = "lint fewer files per run, or write the repeated values out"
        result.issues.append(LoadIssue("GW004", source, line, column, message, hint=hint,
                                       doc_index=index))
        return
    result.documents.append(Document(source, index, data, at(node.start_mark)[0]))


def template_in(value: Any) -> bool:
    """True when a string carries unrendered `{{ ... }}` template syntax."""
    return isinstance(value, str) and "{{" in value and _TEMPLATE.search(value) is not None
