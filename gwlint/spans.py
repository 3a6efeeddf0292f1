"""Map a JSON path inside a document to its line/column span, lazily.

Only files that carry findings are recomposed (from the text already in memory, never re-read), so
the cost of exact locations is proportional to the number of findings, not to the repository.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gwlint import jsonstream
from gwlint.lines import MarkMap
from gwlint.loader import MAX_DEPTH, MAX_DOCUMENTS, Loader
from gwlint.model import FieldPath

if TYPE_CHECKING:
    from gwlint.native_spans import Locator

_ANY = "tag:yaml.org,2002:str"


class _SpanLoader(Loader):
    """Positions only: scalar types do not matter for locating keys, so skip tag resolution."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:  # noqa: D102
        return _ANY


class HasText(Protocol):
    """A SourceFile, or anything else that holds a text (locate's unpacked blobs), and whether
    the native front end parsed it (`SourceFile.native`)."""

    @property
    def text(self) -> str: ...

    @property
    def native(self) -> bool: ...

_CACHE_FILES = 64


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int


def _last_leaf(node: Node) -> Node:
    """The last scalar inside a node: block collections end where the *next* token starts."""
    for _ in range(MAX_DEPTH + 2):  # bounded: a recursive alias (`&a [*a]`) would loop forever
        if not (isinstance(node, (MappingNode, SequenceNode)) and node.value
                and not node.flow_style):
            break
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _node_span(at: MarkMap, start: Node, end: Node | None = None) -> Span:
    line, column = at(start.start_mark)
    end_line, end_column = at(_last_leaf(end or start).end_mark)
    if (end_line, end_column) < (line, column):  # an alias: its node was written before the key
        end_line, end_column = at(start.end_mark)
    return Span(line, column, end_line, end_column)


class _Keys:
    """The entries of mapping nodes by key text, built once per mapping that a path crosses:
    finding a key by scanning would cost (keys x findings) in a mapping with many of both."""

    def __init__(self) -> None:
        self._maps: dict[int, dict[str, tuple[Node, Node]]] = {}

    def child(self, node: Node, step: Any) -> tuple[Node, Node] | None:
        """The (key-or-item node, value node) for one path step, or None when absent."""
        if isinstance(node, MappingNode) and isinstance(step, str):
            entries = self._maps.get(id(node))
            if entries is None:
                entries = self._maps[id(node)] = {}
                for key_node, value_node in node.value:  # the last duplicate wins, as in
                    if isinstance(key_node, ScalarNode):  # Kubernetes
                        entries[key_node.value] = (key_node, value_node)
            return entries.get(step)
        if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            item = node.value[step]
            return item, item
        return None


class SpanIndex:
    """Locates paths in documents of sources, recomposing each source at most once (small LRU).

    A text the native front end parsed is located by it (`native_spans.Locator`: rapidyaml parses
    it again, in place, several times cheaper than composing); PyYAML composes it only for the few
    nodes whose libyaml mark is not a scalar's own position.
    """

    def __init__(self) -> None:
        self._roots: dict[int, list[Node | None]] = {}
        self._marks: dict[int, MarkMap] = {}
        self._keys: dict[int, _Keys] = {}
        self._native: dict[int, Locator] = {}

    def _locator(self, source: HasText) -> Locator:
        key = id(source)
        found = self._native.get(key)
        if found is None:
            # imported here to keep start-up fast: ctypes and rapidyaml's binding, for runs
            # that parsed natively
            from gwlint.native_spans import Locator

            if len(self._native) >= _CACHE_FILES:
                del self._native[next(iter(self._native))]
            found = self._native[key] = Locator(source.text)
        return found

    def _documents(self, source: HasText) -> list[Node | None]:
        key = id(source)
        roots = self._roots.get(key)
        if roots is None:
            roots = []
            try:  # keep the documents before a syntax error: their findings need spans too
                for root in yaml.compose_all(source.text, Loader=_SpanLoader):
                    roots.append(root)
                    if len(roots) > MAX_DOCUMENTS:  # the loader stopped there too
                        break
            except yaml.YAMLError:  # concatenated JSON values: see gwlint.jsonstream
                roots = list(jsonstream.compose(source.text, _SpanLoader) or roots)
            except RecursionError:
                pass
            if len(self._roots) >= _CACHE_FILES:
                oldest = next(iter(self._roots))
                del self._roots[oldest]
                self._marks.pop(oldest, None)
                self._keys.pop(oldest, None)
            self._roots[key] = roots
            self._marks[key] = MarkMap(source.text)
            self._keys[key] = _Keys()
        return roots

    def locate(self, source: HasText, doc_index: int, path: FieldPath) -> tuple[Span, int]:
        """Span of the deepest existing node on `path`, and how many steps of the path were found.

        A step naming a mapping key spans from the key to the end of its value, so the report points
        at the field name the user wrote.
        """
        if source.native:
            located = self._locator(source).locate(doc_index, path)
            if located is not None:
                (line, column, end_line, end_column), found = located
                return Span(line, column, end_line, end_column), found
        roots = self._documents(source)
        if not 0 <= doc_index < len(roots) or roots[doc_index] is None:
            return Span(1, 1, 1, 1), 0
        node = roots[doc_index]
        assert node is not None
        at, keys = self._marks[id(source)], self._keys[id(source)]
        span = _node_span(at, node)
        found = 0
        for step in path:
            pair = keys.child(node, step)
            if pair is None:
                break
            key_node, node = pair
            span = _node_span(at, key_node, node)
            found += 1
        return span, found
