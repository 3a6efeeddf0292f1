"""JSON 6902 patches (RFC 6902) with the `jsonpatch` library, one operation at a time.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/ and
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ (a patch whose
content is a list of operations is a JSON 6902 patch; it needs a `target`). Operations are applied
one by one so that a failing one is reported by its index, and the origin map follows each: an
`add`/`replace` records the operation's `value` as the writer of its path, list inserts and
removals shift the records of the following items.
"""

from __future__ import annotations

from typing import Any

import jsonpatch
import jsonpointer

from gwlint.gitops.origins import OriginMap, Path, Written


class OperationError(Exception):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _resolve(doc: Any, pointer: str) -> tuple[Path, bool]:
    """The JSON path of `pointer` in `doc` (list indices as ints; `-` = end) and whether its
    parent is a list."""
    parts = jsonpointer.JsonPointer(pointer).parts
    node: Any = doc
    path: list[str | int] = []
    parent_is_list = False
    for part in parts:
        parent_is_list = isinstance(node, list)
        if isinstance(node, list):
            index = len(node) if part == "-" else int(part) if part.isdigit() else -1
            path.append(index)
            node = node[index] if 0 <= index < len(node) else None
        elif isinstance(node, dict):
            path.append(part)
            node = node.get(part)
        else:
            path.append(part)
            node = None
    return tuple(path), parent_is_list


def apply_operations(body: dict[str, Any], ops: list[Any], origins: OriginMap,
                     written: Written) -> dict[str, Any]:
    """Apply `ops` to `body`; returns the new body. Raises OperationError (index, message)."""
    doc: Any = body
    for i, op in enumerate(ops):
        if not isinstance(op, dict) or not isinstance(op.get("op"), str) or not isinstance(
                op.get("path"), str):
            raise OperationError(i, "not a JSON patch operation (needs op and path)")
        name = op["op"]
        try:
            target, in_list = _resolve(doc, op["path"])
            source: Path = ()
            if name in ("move", "copy") and isinstance(op.get("from"), str):
                source, _ = _resolve(doc, op["from"])
            doc = jsonpatch.JsonPatch([op]).apply(doc, in_place=True)
        except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, ValueError,
                TypeError, KeyError, IndexError) as exc:
            raise OperationError(i, f"{name} {op['path']}: {exc}") from exc
        _follow(origins, written.child((i,)), name, target, in_list, source)
    if not isinstance(doc, dict):
        raise OperationError(len(ops) - 1, "the patch replaced the object with a non-object")
    return doc


def _follow(origins: OriginMap, op_written: Written, name: str, target: Path, in_list: bool,
            source: Path) -> None:
    if name == "test":
        return
    if name in ("remove", "move") and (source or name == "remove"):
        gone = source if name == "move" else target
        origins.drop(gone)
        if gone and isinstance(gone[-1], int):
            origins.shift(gone[:-1], gone[-1] + 1, -1)
    if name == "remove":
        return
    if in_list and name in ("add", "move", "copy") and target and isinstance(target[-1], int):
        origins.shift(target[:-1], target[-1], 1)
    origins.set(target, op_written.child(("value",)) if name in ("add", "replace") else op_written)
