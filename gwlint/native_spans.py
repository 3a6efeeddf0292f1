"""Spans of a text the native front end took, without PyYAML (the locator of spans.SpanIndex).

The one document of a text that a path points into is parsed again by rapidyaml, in place, so that
every scalar of its tree points into the buffer; the scalar's offset is its position. This is what
spans.SpanIndex computes by recomposing the whole file with PyYAML (libyaml's marks), many times
cheaper: one document, not the file, is parsed, and each step of a path is one call into the
binding (called directly, not through its Python wrapper methods). Where a mark is not a scalar's
own position (block scalars, empty values, flow collections, multi-line plain scalars, a sequence
directly in a sequence), `Locator.locate` returns None and the caller recomposes as before.

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


_BIG = 32  # items from which a sequence's items are indexed (rapidyaml finds the n-th item by
# walking to it: a 10,000-item list with a finding per item would be quadratic)


class _Document:
    """One document of a text, parsed in place alone: its tree, where it starts (in bytes and
    lines), the address of its buffer, and the items of its big sequences."""

    __slots__ = ("base", "big", "buffer", "line", "start", "tree")

    def __init__(self, data: bytes, start: int, end: int, line: int) -> None:
        self.buffer = bytearray(data[start:end])  # rapidyaml unescapes scalars in it, in place
        self.tree = native.ryml.parse_in_place(self.buffer)
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(self.buffer)) if end > start else 0
        self.start, self.line = start, line
        self.big: dict[int, list[int]] = {}  # the items of big sequences

    def child(self, node: int, kind: int, step: str | int) -> int:
        """The child of a mapping (by key) or of a sequence (by index), or _NONE. Keys are
        found by the binding (in C, and texts with duplicate keys never take the fast path);
        items of big sequences through an index (the binding walks to the n-th item)."""
        tree = self.tree
        if isinstance(step, str):
            return int(_ryml.Tree_find_child(tree, node, step))
        items = self.big.get(node)
        if items is None:
            size = _ryml.Tree_num_children(tree, node)
            if not 0 <= step < size:
                return _NONE
            if size < _BIG:
                return int(_ryml.Tree_child(tree, node, step))
            items = self.big[node] = self._items(node)
        return items[step] if 0 <= step < len(items) else _NONE

    def _items(self, node: int) -> list[int]:
        items = []
        child = _ryml.Tree_first_child(self.tree, node)
        while child != _NONE:
            items.append(child)
            child = _ryml.Tree_next_sibling(self.tree, child)
        return items


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

    def _document(self, index: int) -> _Document | None:
        if index in self._docs:
            return self._docs[index]
        found = None
        if 0 <= index < len(self._bounds):
            start, end = self._bounds[index]
            found = _Document(self.data, start, end, self._line(start))
            if found.tree.type_str(found.tree.root_id()) == "NOTYPE":
                found = None  # an empty document
        self._docs[index] = found
        return found

    def _line(self, offset: int) -> int:
        """1-based line of a byte offset."""
        if self._breaks is not None:
            return bisect.bisect_left(self._breaks, offset) + 1
        return self.data.count(b"\n", 0, offset) + 1

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
        view = _ryml.Tree_key(doc.tree, node) if key else _ryml.Tree_val(doc.tree, node)
        size = len(view) if view is not None else 0
        if not size:
            return None  # an empty scalar: libyaml marks the next token
        start = _address(view) - doc.base
        if not 0 <= start <= len(doc.buffer) - size:
            return None  # unescaped into the tree's arena: it did not fit in place (`"\L"`)
        start += doc.start
        data = self.data
        if kind & (_KEY_QUOTED if key else _VAL_QUOTED):
            if not start:
                return None
            m = _QUOTED.get(data[start - 1])
            found = m.match(data, start - 1) if m is not None else None
            return (start - 1, found.end()) if found is not None else None
        if (not key and kind & _VAL_BLOCK) or data[start:start + size] != view:
            return None  # a block scalar, or a plain one over several lines
        return start, start + size

    def _start(self, doc: _Document, node: int, kind: int, key: bool) -> int | None:
        """Where libyaml's mark of a node starts: its scalar, or a block mapping's first key."""
        if key or not kind & (_MAP | _SEQ):
            found = self._scalar(doc, node, kind, key)
            return found[0] if found is not None else None
        if kind & _MAP and not kind & _FLOW_STYLE:
            child = _ryml.Tree_first_child(doc.tree, node)
            if child != _NONE:
                return self._start(doc, child, _ryml.Tree_type(doc.tree, child), True)
        return None  # a flow collection, an empty one, or a sequence in a sequence

    def _end(self, doc: _Document, node: int, kind: int) -> int | None:
        """Where libyaml's mark of a node's last scalar ends (block collections end there)."""
        tree = doc.tree
        for _ in range(MAX_DEPTH + 2):
            if not kind & (_MAP | _SEQ):
                found = self._scalar(doc, node, kind, False)
                return found[1] if found is not None else None
            if kind & _FLOW_STYLE:
                return None  # the closing bracket: not a scalar's position
            node = _ryml.Tree_last_child(tree, node)
            if node == _NONE:
                return None  # an empty collection
            kind = _ryml.Tree_type(tree, node)
        return None

    def locate(self, doc_index: int, path: tuple[Any, ...]) -> tuple[Position, int] | None:
        """As spans.SpanIndex.locate: the span of the deepest node found on `path` (a key's span
        runs from the key to the end of its value) and how many steps were found; None when
        only a recomposition can tell."""
        doc = self._document(doc_index)
        if doc is None:
            return None
        tree = doc.tree
        node = tree.root_id()
        kind = _ryml.Tree_type(tree, node)
        if not kind & (_MAP | _SEQ):
            return None  # a scalar document
        first, first_kind, key, found = node, kind, False, 0  # where the span starts
        for step in path:
            if kind & _MAP and isinstance(step, str):
                is_key = True
            elif kind & _SEQ and isinstance(step, int) and not isinstance(step, bool):
                is_key = False
            else:
                break
            child = doc.child(node, kind, step)
            if child == _NONE:
                break
            node = first = child
            key = is_key
            kind = first_kind = _ryml.Tree_type(tree, node)
            found += 1
        start = self._start(doc, first, first_kind, key)
        end = self._end(doc, node, kind) if start is not None else None
        if start is None or end is None:
            return None
        return (*self._point(doc, start), *self._point(doc, end)), found
