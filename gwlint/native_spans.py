"""Spans of a text the native front end took, without PyYAML (the locator of spans.SpanIndex).

The one document of a text that a path points into is parsed again by rapidyaml, in place, so that
every scalar of its tree points into the buffer; the scalar's offset is its position. This is what
spans.SpanIndex computes by recomposing the whole file with PyYAML (libyaml's marks), many times
cheaper: one document, not the file, is parsed (into one tree reused for every document), its node
array is copied out in one call, and a path is walked over that copy, not with a call into the
binding per step. Where a mark is not a scalar's own position (block scalars, empty values, flow
collections, multi-line plain scalars, a sequence directly in a sequence), or where the tree is
not laid out as read (checked once per process), `Locator.locate` returns None and the caller
recomposes as before.

Imported only when a natively parsed text needs a span (ctypes and the binding: start-up).
"""

from __future__ import annotations

import bisect
import ctypes
import re
from typing import Any

from gwlint import native
from gwlint.native import _DOC_MARK, _SKIP, MAX_DEPTH

_QUOTED = {ord('"'): re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL),
           ord("'"): re.compile(rb"'(?:[^']|'')*'")}
_DOC_MARK_BYTES = re.compile(_DOC_MARK.pattern.encode())
_ryml: Any = native._ryml if native.available() else None  # rapidyaml's compiled binding
_BREAK = re.compile(b"\n")
_BIG_TEXT = 64 * 1024  # bytes from which line breaks are indexed
_SKIP_BYTES = re.compile(_SKIP.pattern.encode())


class _PyBuffer(ctypes.Structure):
    """CPython's Py_buffer: the only way to read the address a memoryview points to."""

    _fields_ = [("buf", ctypes.c_void_p), ("obj", ctypes.c_void_p), ("len", ctypes.c_ssize_t),
                ("itemsize", ctypes.c_ssize_t), ("readonly", ctypes.c_int),
                ("ndim", ctypes.c_int), ("format", ctypes.c_char_p),
                ("shape", ctypes.c_void_p), ("strides", ctypes.c_void_p),
                ("suboffsets", ctypes.c_void_p), ("internal", ctypes.c_void_p)]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_get_buffer.restype = ctypes.c_int
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]
_BUFFER = _PyBuffer()  # reused: filled and released by each call
_BUFFER_REF = ctypes.byref(_BUFFER)


def _address(view: memoryview) -> int:
    _get_buffer(view, _BUFFER_REF, 0)
    address = int(_BUFFER.buf)
    _release_buffer(_BUFFER_REF)
    return address


Position = tuple[int, int, int, int]  # line, column, end line, end column (1-based, libyaml's)

# Node type bits of rapidyaml 0.15 (ryml.MAP, ryml.SEQ, ...), tested against the module's own
# constants by tests/test_native_parse.py.
_MAP, _SEQ = 0x4, 0x8
_FLOW_STYLE = 0xF0000  # CONTAINER_STYLE_FLOW: what Tree.is_flow tests
_KEY_QUOTED, _VAL_QUOTED = 0xAA00000, 0x15400000  # KEYQUO, VALQUO (block scalars included)
_VAL_BLOCK = 0x400000 | 0x1000000  # VAL_LITERAL | VAL_FOLDED
_NONE = 2**64 - 1  # ryml.NONE (size_t)
_NOTYPE = 0  # ryml.NOTYPE: the root of an empty document


# rapidyaml 0.15's tree, read as memory: a `Tree` starts with its node array, capacity and size;
# each node (NodeData) is 18 machine words: its type, the key's and the value's tag, scalar and
# anchor (pointer, length), then parent, first child, last child, next and previous sibling.
# `_layout_holds` checks this against the binding once per process; where it does not hold (another
# platform's ABI), `Locator.locate` answers None and PyYAML recomposes, as for any doubt.
_WORDS = 18
_KEY, _VAL = 3, 9  # the scalar's pointer (its length is the next word)
_FIRST, _LAST, _NEXT = 14, 15, 16
_TREE_WORDS = 3  # m_buf, m_cap, m_size


_HEADER = ctypes.c_uint64 * _TREE_WORDS


def _nodes(tree: Any) -> memoryview:
    """The node array of a parsed tree, copied out in one call (as 64-bit words): navigating it
    costs a list index per step instead of a call into the binding (~0.7 us each).
    `string_at`, not `(c_char * size).from_address`: ctypes keeps an entry for every array size
    it is asked for, for the life of the process (~35 bytes per distinct tree size)."""
    header = _HEADER.from_address(int(tree.this))
    size = 8 * _WORDS * header[2]
    return memoryview(ctypes.string_at(header[0], size)).cast("Q")


def _check_layout() -> bool:
    """Whether `_nodes` reads what the binding answers, on a document with every kind of node."""
    buffer = bytearray(b"a: 1\nb:\n  c: 'x y'\n  d: [1, {e: f}]\n  g:\n  - |\n    z\n  - h\n")
    tree = native.ryml.parse_in_place(buffer)
    nodes = _nodes(tree)
    base = ctypes.addressof(ctypes.c_char.from_buffer(buffer))
    if len(nodes) != _WORDS * _ryml.Tree_size(tree):
        return False
    for node in range(_ryml.Tree_size(tree)):
        at = node * _WORDS
        kind = _ryml.Tree_type(tree, node)
        if (nodes[at], nodes[at + _FIRST], nodes[at + _LAST], nodes[at + _NEXT]) != (
                kind, _ryml.Tree_first_child(tree, node), _ryml.Tree_last_child(tree, node),
                _ryml.Tree_next_sibling(tree, node)):
            return False
        for word, has, get in ((_KEY, _ryml.Tree_has_key, _ryml.Tree_key),
                               (_VAL, _ryml.Tree_has_val, _ryml.Tree_val)):
            view = get(tree, node) if has(tree, node) else None
            if view is not None and len(view) and (
                    nodes[at + word] - base, nodes[at + word + 1]) != (
                    _address(view) - base, len(view)):
                return False
    return True


_LAYOUT: list[bool] = []  # [_check_layout()], once per process


def _layout_holds() -> bool:
    if not _LAYOUT:
        try:
            _LAYOUT.append(_check_layout())
        except Exception:  # noqa: BLE001 - any surprise: PyYAML locates instead
            _LAYOUT.append(False)
    return _LAYOUT[0]


class _Tree:
    """The one rapidyaml tree of this process that documents are parsed into: a fresh tree
    costs more to allocate than the parse of a small document (12 us against 5). A document's
    nodes are copied out (`_nodes`); only keys unescaped into the tree's arena are read from it,
    while the tree still holds that document (`owner`)."""

    tree: Any = None
    owner: object = None

    @classmethod
    def parse(cls, buffer: bytearray, owner: object) -> Any:
        tree = cls.tree
        if tree is None:
            tree = cls.tree = native.ryml.Tree()
        else:
            _ryml.Tree_clear(tree)
            _ryml.Tree_clear_arena(tree)
        cls.owner = None  # set again only once parsed: a parse error leaves no owner
        _ryml.parse_substr(buffer, tree)
        cls.owner = owner
        return tree


class _Document:
    """One document of a text, parsed in place alone: its node array (`_nodes`), where it starts
    (in bytes and lines), the address of its buffer, and what was looked up in it."""

    __slots__ = ("base", "buffer", "data", "end", "indexed", "line", "nodes", "root", "searched",
                 "start")

    def __init__(self, data: bytes, start: int, end: int, line: int) -> None:
        self.data, self.start, self.end, self.line = data, start, end, line
        self.searched: set[int] = set()  # collections searched once (by walking their children)
        self.indexed: dict[int, dict[bytes, int] | list[int]] = {}  # then indexed
        self._parse()

    def _parse(self) -> None:
        self.buffer = bytearray(self.data[self.start:self.end])  # unescaped in place
        tree = _Tree.parse(self.buffer, self)
        self.nodes = _nodes(tree)
        self.root = int(_ryml.Tree_root_id(tree))
        self.base = (ctypes.addressof(ctypes.c_char.from_buffer(self.buffer))
                     if self.buffer else 0)

    @property
    def empty(self) -> bool:
        return self.nodes[self.root * _WORDS] == _NOTYPE

    def child(self, node: int, step: str | int) -> int:
        """The child of a mapping (by key) or of a sequence (by index), or _NONE. The first step
        into a collection walks its children; from the second on, they are indexed (a finding
        per item of a 10,000-item list, or per key of a big mapping, stays linear)."""
        if isinstance(step, str):
            try:
                key = step.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate: no key of a UTF-8 text
                return _NONE
        elif step < 0:
            return _NONE
        index = self.indexed.get(node)
        if index is None and node in self.searched:
            index = self.indexed[node] = (
                {self._key(child): child for child in self._children(node)}
                if isinstance(step, str) else self._children(node))
        if index is not None:
            if isinstance(index, dict):
                return index.get(key, _NONE) if isinstance(step, str) else _NONE
            return index[step] if isinstance(step, int) and step < len(index) else _NONE
        self.searched.add(node)
        nodes = self.nodes
        child = nodes[node * _WORDS + _FIRST]
        if isinstance(step, int):
            while child != _NONE and step:
                child, step = nodes[child * _WORDS + _NEXT], step - 1
            return child
        size = len(key)
        while child != _NONE:  # keys compared where rapidyaml unescaped them (`_key`)
            if nodes[child * _WORDS + _KEY + 1] == size and self._key(child) == key:
                return child
            child = nodes[child * _WORDS + _NEXT]
        return _NONE

    def _children(self, node: int) -> list[int]:
        nodes, items = self.nodes, []
        child = nodes[node * _WORDS + _FIRST]
        while child != _NONE:
            items.append(child)
            child = nodes[child * _WORDS + _NEXT]
        return items

    def _key(self, node: int) -> bytes:
        """A key as rapidyaml unescaped it: in the buffer, in place, or in the tree's arena when
        it did not fit (texts with duplicate keys never take the fast path)."""
        at = node * _WORDS + _KEY
        pointer, size = self.nodes[at], self.nodes[at + 1]
        offset = pointer - self.base
        if 0 <= offset <= len(self.buffer) - size:
            return bytes(self.buffer[offset:offset + size])
        if _Tree.owner is not self:  # another document was parsed since: parse this one again
            self._parse()
            return self._key(node)
        return ctypes.string_at(pointer, size)  # in the arena of the tree, which holds it


class Locator:
    """Spans of paths in the documents of one text that `parse` took."""

    def __init__(self, text: str) -> None:
        data = self.data = text.encode("utf-8")
        self.ascii = text.isascii()
        marks = [m.end() for m in _DOC_MARK_BYTES.finditer(data)] if b"---" in data else []
        first = _SKIP_BYTES.match(data).end()  # type: ignore[union-attr]
        starts = marks if marks and _DOC_MARK_BYTES.match(data, first) else [0, *marks]
        ends = [mark - 3 for mark in marks if mark > starts[0]] + [len(data)]
        self._bounds = list(zip(starts, ends, strict=True))
        self._docs: dict[int, _Document | None] = {}
        # where the line breaks are: counted from the document's start in small texts, looked
        # up in large ones (a 10,000-item list with a finding per item would be quadratic)
        self._breaks = ([m.start() for m in _BREAK.finditer(data)] if len(data) > _BIG_TEXT
                        else None)
        self._counted = (0, 1)  # (offset, its line): documents are mostly asked for in order

    def _document(self, index: int) -> _Document | None:
        if index in self._docs:
            return self._docs[index]
        found = None
        if 0 <= index < len(self._bounds):
            start, end = self._bounds[index]
            found = _Document(self.data, start, end, self._line(start))
            if found.empty:
                found = None  # an empty document
        self._docs[index] = found
        return found

    def _line(self, offset: int) -> int:
        """1-based line of a byte offset."""
        if self._breaks is not None:
            return bisect.bisect_left(self._breaks, offset) + 1
        at, line = self._counted
        if offset < at:
            at, line = 0, 1
        line += self.data.count(b"\n", at, offset)
        self._counted = (offset, line)
        return line

    def _point(self, doc: _Document, offset: int) -> tuple[int, int]:
        data = self.data
        if self._breaks is not None:
            line = bisect.bisect_left(self._breaks, offset)
            line_start = self._breaks[line - 1] + 1 if line else 0
            line += 1
        else:
            line = doc.line + data.count(b"\n", doc.start, offset)
            line_start = data.rfind(b"\n", 0, offset) + 1
        column = (offset - line_start if self.ascii
                  else len(data[line_start:offset].decode("utf-8")))
        return line, column + 1

    def _scalar(self, doc: _Document, node: int, kind: int, key: bool) -> tuple[int, int] | None:
        """Byte offsets (in the text) of a key's or value's scalar token, quotes included."""
        at = node * _WORDS + (_KEY if key else _VAL)
        size = doc.nodes[at + 1]
        if not size:
            return None  # an empty scalar: libyaml marks the next token
        offset = doc.nodes[at] - doc.base
        if not 0 <= offset <= len(doc.buffer) - size:
            return None  # unescaped into the tree's arena: it did not fit in place (`"\L"`)
        start = offset + doc.start
        data = self.data
        if kind & (_KEY_QUOTED if key else _VAL_QUOTED):
            if not start:
                return None
            m = _QUOTED.get(data[start - 1])
            found = m.match(data, start - 1) if m is not None else None
            return (start - 1, found.end()) if found is not None else None
        if (not key and kind & _VAL_BLOCK) or data[start:start + size] != doc.buffer[
                offset:offset + size]:
            return None  # a block scalar, or a plain one over several lines
        return start, start + size

    def _start(self, doc: _Document, node: int, kind: int, key: bool) -> int | None:
        """Where libyaml's mark of a node starts: its scalar, or a block mapping's first key."""
        if key or not kind & (_MAP | _SEQ):
            found = self._scalar(doc, node, kind, key)
            return found[0] if found is not None else None
        if kind & _MAP and not kind & _FLOW_STYLE:
            child = doc.nodes[node * _WORDS + _FIRST]
            if child != _NONE:
                return self._start(doc, child, doc.nodes[child * _WORDS], True)
        return None  # a flow collection, an empty one, or a sequence in a sequence

    def _end(self, doc: _Document, node: int, kind: int) -> int | None:
        """Where libyaml's mark of a node's last scalar ends (block collections end there)."""
        nodes = doc.nodes
        for _ in range(MAX_DEPTH + 2):
            if not kind & (_MAP | _SEQ):
                found = self._scalar(doc, node, kind, False)
                return found[1] if found is not None else None
            if kind & _FLOW_STYLE:
                return None  # the closing bracket: not a scalar's position
            node = nodes[node * _WORDS + _LAST]
            if node == _NONE:
                return None  # an empty collection
            kind = nodes[node * _WORDS]
        return None

    def locate(self, doc_index: int, path: tuple[Any, ...]) -> tuple[Position, int] | None:
        """As spans.SpanIndex.locate: the span of the deepest node found on `path` (a key's span
        runs from the key to the end of its value) and how many steps were found; None when
        only a recomposition can tell (or where rapidyaml's tree is not laid out as read)."""
        if not _layout_holds():
            return None
        doc = self._document(doc_index)
        if doc is None:
            return None
        nodes = doc.nodes
        node = doc.root
        kind = nodes[node * _WORDS]
        if not kind & (_MAP | _SEQ):
            return None  # a scalar document
        key, found = False, 0  # where the span starts: the last node found, a key or an item
        for step in path:
            if kind & _MAP and isinstance(step, str):
                is_key = True
            elif kind & _SEQ and isinstance(step, int) and not isinstance(step, bool):
                is_key = False
            else:
                break
            child = doc.child(node, step)
            if child == _NONE:
                break
            node, key = child, is_key
            kind = nodes[node * _WORDS]
            found += 1
        start = self._start(doc, node, kind, key)
        end = self._end(doc, node, kind) if start is not None else None
        if start is None or end is None:
            return None
        return (*self._point(doc, start), *self._point(doc, end)), found
