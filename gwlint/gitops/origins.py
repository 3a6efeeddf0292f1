"""Where each value of a built object was written: a prefix tree of JSON paths.

A built object is the base resource with patches and transformers applied. A finding about one of
its fields must point at the line that wrote the value: the base file, or the patch that replaced
it. `OriginMap` records, for a few path prefixes, which source wrote the subtree below them; a
lookup takes the longest recorded prefix and appends the rest of the path. Writes replace whole
subtrees (their deeper records are dropped), so the map stays as small as the number of writes
and every operation costs the depth of the path, never the size of the object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PathStep = str | int
Path = tuple[PathStep, ...]


@dataclass(frozen=True, slots=True)
class Written:
    """A place in a source file: document `doc_index` of `file`, at JSON path `path`.

    `inline` is set when the value was written by a patch given inline in a kustomization
    (`patches[].patch: |`): then `file`/`doc_index`/`inline` name the string in the
    kustomization, and `path` is the path inside the document `inline_doc` of that string.
    """

    file: str
    doc_index: int
    path: Path = ()
    inline: Path | None = None
    inline_doc: int = 0

    def __reduce__(self) -> tuple[type[Written], tuple[Any, ...]]:
        """Pickled as its fields: a worker sends thousands of maps back, and most of their
        records share a few `Written`s (the base document, the overlay's namespace and labels),
        which pickle writes once each."""
        return Written, (self.file, self.doc_index, self.path, self.inline, self.inline_doc)

    def child(self, rest: Path) -> Written:
        """The same source, `rest` further down."""
        if not rest:
            return self
        return Written(self.file, self.doc_index, self.path + rest, self.inline, self.inline_doc)


class _Node:
    __slots__ = ("children", "written")

    def __init__(self, written: Written | None = None) -> None:
        self.written = written
        self.children: dict[PathStep, _Node] | None = None


class OriginMap:
    """JSON path prefix -> `Written`, with longest-prefix lookup."""

    __slots__ = ("_records", "_root")

    def __init__(self, base: Written) -> None:
        self._root: _Node | None = _Node(base)
        self._records: list[Any] | None = None

    def _tree(self) -> _Node:
        """The tree, rebuilt from the records it was pickled as on first use (a worker's maps
        reach the parent packed; only those of objects with findings are ever looked at)."""
        if self._root is None:
            assert self._records is not None
            records = self._records
            self._root = _Node(records[1])
            for i in range(2, len(records), 2):
                self.set(records[i], records[i + 1])
            self._records = None
        return self._root

    def __reduce__(self) -> tuple[object, tuple[list[Any]]]:
        """Pickled as one flat list, path, Written, path, Written, ... parents before their
        children (a worker process sends thousands of maps back: a tree of slotted nodes
        pickles many times slower)."""
        if self._root is None:  # never used since it was unpickled: still packed
            assert self._records is not None
            return _rebuild, (self._records,)
        records: list[Any] = []
        _flatten(self._root, (), records)
        return _rebuild, (records,)

    def copy(self) -> OriginMap:
        """An independent copy (a base included by two overlays is patched differently in each)."""
        clone = OriginMap.__new__(OriginMap)
        clone._root = _copy(self._tree())
        clone._records = None
        return clone

    def set(self, path: Path, written: Written) -> None:
        """`written` wrote the whole subtree at `path` (earlier records below it are dropped)."""
        node = self._tree()
        for step in path:
            if node.children is None:
                node.children = {}
            nxt = node.children.get(step)
            if nxt is None:
                nxt = node.children[step] = _Node()
            node = nxt
        node.written = written
        node.children = None

    def drop(self, path: Path) -> None:
        """The subtree at `path` was removed: forget what was recorded below it."""
        if not path:
            return
        parent = self._node(path[:-1])
        if parent is not None and parent.children is not None:
            parent.children.pop(path[-1], None)

    def reindex(self, path: Path, mapping: dict[int, int]) -> None:
        """The list at `path` was rebuilt: records of old item i move to item mapping[i]
        (items absent from `mapping` were removed)."""
        node = self._node(path)
        if node is None or not node.children:
            return
        moved: dict[PathStep, _Node] = {}
        for step, child in node.children.items():
            if isinstance(step, int):
                if step in mapping:
                    moved[mapping[step]] = child
            else:
                moved[step] = child
        node.children = moved or None

    def shift(self, path: Path, start: int, delta: int) -> None:
        """Items of the list at `path` from index `start` on moved by `delta` (insert/remove)."""
        node = self._node(path)
        if node is None or not node.children:
            return
        moved: dict[PathStep, _Node] = {}
        for step, child in node.children.items():
            if isinstance(step, int) and step >= start:
                moved[step + delta] = child
            else:
                moved[step] = child
        node.children = moved

    def lookup(self, path: Path) -> Written:
        """Where the value at `path` was written."""
        node = self._tree()
        best = node.written
        depth = 0
        assert best is not None
        for i, step in enumerate(path):
            if node.children is None:
                break
            nxt = node.children.get(step)
            if nxt is None:
                break
            node = nxt
            if node.written is not None:
                best, depth = node.written, i + 1
        return best.child(tuple(path[depth:]))

    def written_below(self, path: Path, than: Written) -> Written | None:
        """The shallowest record strictly below `path` made by another write than `than` (a
        patch that changed one field of a list item the base wrote), or None."""
        node = self._node(path)
        if node is None or not node.children:
            return None
        level = list(node.children.values())
        while level:
            for child in level:
                w = child.written
                if w is not None and (w.file, w.doc_index, w.inline) != (
                        than.file, than.doc_index, than.inline):
                    return w
            level = [c for n in level if n.children for c in n.children.values()]
        return None

    def writers(self) -> list[tuple[Path, Written]]:
        """Every record (path, written), shallowest first: the files that contributed."""
        out: list[tuple[Path, Written]] = []
        stack: list[tuple[Path, _Node]] = [((), self._tree())]
        while stack:
            path, node = stack.pop()
            if node.written is not None:
                out.append((path, node.written))
            if node.children:
                stack.extend((path + (k,), c) for k, c in node.children.items())
        out.sort(key=lambda item: len(item[0]))
        return out

    def _node(self, path: Path) -> _Node | None:
        node = self._tree()
        for step in path:
            if node.children is None:
                return None
            nxt = node.children.get(step)
            if nxt is None:
                return None
            node = nxt
        return node


def _flatten(node: _Node, path: Path, out: list[Any]) -> None:
    """Depth first, each node before its children (`set` on a node drops its children)."""
    if node.written is not None:
        out.append(path)
        out.append(node.written)
    if node.children:
        for step, child in node.children.items():
            _flatten(child, path + (step,), out)


def _rebuild(records: list[Any]) -> OriginMap:
    """The map `OriginMap.__reduce__` flattened, kept packed until it is used."""
    origins = OriginMap.__new__(OriginMap)
    origins._root = None
    origins._records = records
    return origins


def _copy(node: _Node) -> _Node:
    clone = _Node(node.written)
    if node.children:
        clone.children = {k: _copy(c) for k, c in node.children.items()}
    return clone
