"""Objects built by Kustomize as gwlint resources: every value located where it was written.

A built object's values come from several files: the base resource, the patches an overlay
applied, the kustomization that set the namespace or a label. `BuiltOrigin` keeps the object's
origin map (`gitops.origins`) and answers `at(path)` with the file, document and path that wrote
the value at `path`, so that findings, their spans and the suppression comments that cover them
are those of that file. A value written by an inline patch (`patches[].patch: |`) is located in
the kustomization, inside the patch's block scalar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from gwlint.gitops.origins import OriginMap, Path, Written
from gwlint.loader import Loader, LoadIssue, nesting_ok
from gwlint.model import Origin
from gwlint.source import SourceFile


class SourceTable:
    """The sources of a process by display path, shared by every built object of the process.

    Pickled empty (a worker's objects must not carry every source of the worker with them):
    `load` links the tables to the whole run's sources once the processes' results are merged.
    """

    def __init__(self, files: dict[str, SourceFile] | None = None) -> None:
        self.files: dict[str, SourceFile] = files if files is not None else {}
        self._inline: dict[tuple[str, int, Path], SourceFile | None] = {}

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return SourceTable, ()

    def locate(self, written: Written, fallback: SourceFile) -> tuple[SourceFile, int, Path]:
        """(source, document index, path) of a `Written`."""
        src = self.files.get(written.file)
        if src is None:
            return fallback, 0, ()
        if written.inline is None:
            return src, written.doc_index, written.path
        key = (written.file, written.doc_index, written.inline)
        if key not in self._inline:
            self._inline[key] = inline_source(src, written.doc_index, written.inline)
        virtual = self._inline[key]
        if virtual is None:  # not a block scalar: point at the patch entry itself
            return src, written.doc_index, written.inline
        return virtual, written.inline_doc, written.path


@dataclass(slots=True, frozen=True)
class BuiltOrigin(Origin):
    """The origin of an object of a Kustomize build: `source`/`doc_index` name the document of
    its base resource; `origins` where each of its values was written; `root` the build."""

    origins: OriginMap = field(default_factory=lambda: OriginMap(Written("", 0)))
    root: str = ""
    table: SourceTable = field(default_factory=SourceTable)

    def at(self, path: Path) -> tuple[SourceFile, int, Path]:
        """Where the value at `path` was written; for a value a patch changed part of (the
        name of a parentRef the base wrote), that part: the patch made the finding. Not under
        `metadata`, where kustomizations write labels, annotations and the namespace of every
        object."""
        path = tuple(path)
        written = self.origins.lookup(path)
        if path and path[0] != "metadata":
            written = self.origins.written_below(path, written) or written
        return self.table.locate(written, self.source)

    @property
    def overlay(self) -> str | None:
        return self.root

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        """Pickled as its field values (a worker sends thousands back; the generated state
        functions of a slotted dataclass look the fields up for every object)."""
        return BuiltOrigin, (self.source, self.doc_index, self.prefix, self.line, self.origins,
                             self.root, self.table)



def written_issue(origin: BuiltOrigin) -> Any:
    """The `IssueAt` of `resources.make_resource` for a built object: issues are located where
    the offending value was written."""
    def issue(code: str, message: str, path: Path, hint: str | None = None) -> LoadIssue:
        src, doc_index, at = origin.at(path)
        return LoadIssue(code, src, 0, 0, f"{message} (in {origin.root})", hint=hint,
                         doc_index=doc_index, path=at)
    return issue


# ---- inline patches -------------------------------------------------------------------------

def _node_at(root: Node, path: Path) -> Node | None:
    node: Node | None = root
    for step in path:
        if isinstance(node, MappingNode) and isinstance(step, str):
            found = None
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.value == step:
                    found = value
            node = found
        elif isinstance(node, SequenceNode) and isinstance(step, int) \
                and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            return None
    return node


def inline_source(src: SourceFile, doc_index: int, path: Path) -> SourceFile | None:
    """A text with the line numbering of `src` in which only the content of the block scalar at
    `path` remains, indentation included: the patch string parses to the same documents, and
    spans computed in it are the lines and columns of the kustomization. None when the patch is
    not a literal block scalar (`|`), or holds several documents (`---` lines are indented in
    the kustomization, so the spans would be wrong)."""
    text = src.text
    if not nesting_ok(text):
        return None
    try:
        docs = list(yaml.compose_all(text, Loader=Loader))
    except (yaml.YAMLError, RecursionError):
        return None
    if not 0 <= doc_index < len(docs) or docs[doc_index] is None:
        return None
    node = _node_at(docs[doc_index], path)
    if not isinstance(node, ScalarNode) or node.style != "|" or "\n---" in "\n" + node.value:
        return None
    lines = text.split("\n")
    first = node.start_mark.line + 1  # the line after the `|` header
    last = node.end_mark.line  # block scalars end at the start of the next line
    body = lines[first:last]
    return SourceFile(src.path, "\n" * first + "\n".join(body) + "\n")


def one_per_written(directives: list[Any],
                    path: Path = ("metadata", "annotations", "gwlint.io/ignore")) -> list[Any]:
    """Annotation suppressions of objects built in several roots from one written annotation
    (a base included by three overlays) are one suppression: used if any copy was used (their
    GW008 findings, one per copy, merge into one naming the overlays). `directives` carry
    `.resource` and `.used` (gwlint.suppress)."""
    copies: dict[tuple[int, int, Path], list[Any]] = {}
    for d in directives:
        res = d.resource
        if res is not None and isinstance(res.origin, BuiltOrigin):
            src, doc_index, at = res.origin.at(path)
            copies.setdefault((id(src), doc_index, at), []).append(d)
    for same in copies.values():
        used = set().union(*(d.used for d in same))
        for d in same:
            d.used = set(used)
    return directives
