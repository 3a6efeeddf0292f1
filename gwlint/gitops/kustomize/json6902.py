"""JSON 6902 patches (RFC 6902), one operation at a time.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/ and
https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ (a patch whose
content is a list of operations is a JSON 6902 patch; it needs a `target`). Operations are applied
one by one so that a failing one is reported by its index, and the origin map follows each: an
`add`/`replace` records the operation's `value` as the writer of its path, list inserts and
removals shift the records of the following items.

The operations are implemented here, on the parsed values, as RFC 6902 and RFC 6901 define them
(the `jsonpatch` library built a patch object and re-parsed the pointer for every operation of
every object of every overlay: most of a build's time went there).
"""

from __future__ import annotations

import copy
import marshal
from typing import Any

from gwlint.gitops.origins import OriginMap, Path, Written


class OperationError(Exception):
    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def clone(value: Any) -> Any:
    """A copy of a patch value (a patch applies to several objects: none may share it)."""
    try:
        return marshal.loads(marshal.dumps(value))
    except ValueError:  # values marshal cannot hold (none come from YAML)
        return copy.deepcopy(value)


def tokens(pointer: str) -> list[str]:
    """RFC 6901: '/a/b~1c/0' -> ['a', 'b/c', '0'] ('' is the whole document)."""
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"pointer {pointer!r} does not start with '/'")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _index(token: str, size: int, end: bool) -> int:
    """A list index token: digits without leading zeros (or '-', the end, where `end`)."""
    if token == "-" and end:
        return size
    if not token.isdigit() or (len(token) > 1 and token[0] == "0"):
        raise ValueError(f"{token!r} is not a list index")
    index = int(token)
    if index > size or (index == size and not end):
        raise ValueError(f"index {index} is out of bounds (the list has {size} items)")
    return index


def _get(doc: Any, path: list[str]) -> Any:
    node = doc
    for token in path:
        if isinstance(node, dict):
            if token not in node:
                raise ValueError(f"no field {token!r}")
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(token, len(node), False)]
        else:
            raise ValueError(f"{token!r} is below a value that is neither a map nor a list")
    return node


def _add(doc: Any, path: list[str], value: Any) -> Any:
    if not path:
        return value
    parent = _get(doc, path[:-1])
    if isinstance(parent, dict):
        parent[path[-1]] = value
    elif isinstance(parent, list):
        parent.insert(_index(path[-1], len(parent), True), value)
    else:
        raise ValueError("the parent is neither a map nor a list")
    return doc


def _remove(doc: Any, path: list[str]) -> Any:
    if not path:
        raise ValueError("cannot remove the whole object")
    parent = _get(doc, path[:-1])
    if isinstance(parent, dict):
        if path[-1] not in parent:
            raise ValueError(f"no field {path[-1]!r} to remove")
        return parent.pop(path[-1])
    if isinstance(parent, list):
        return parent.pop(_index(path[-1], len(parent), False))
    raise ValueError("the parent is neither a map nor a list")


def _replace(doc: Any, path: list[str], value: Any) -> Any:
    if not path:
        return value
    parent = _get(doc, path[:-1])
    if isinstance(parent, dict):
        if path[-1] not in parent:
            raise ValueError(f"no field {path[-1]!r} to replace")
        parent[path[-1]] = value
    elif isinstance(parent, list):
        parent[_index(path[-1], len(parent), False)] = value
    else:
        raise ValueError("the parent is neither a map nor a list")
    return doc


def _same(a: Any, b: Any) -> bool:
    """JSON equality (a boolean is not a number, unlike Python's ==)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and isinstance(a, (int, float)) == isinstance(b, (int, float))


def apply_one(doc: Any, op: dict[str, Any]) -> Any:
    """One RFC 6902 operation on `doc` (changed in place); returns the document."""
    name, path = op["op"], tokens(op["path"])
    if name in ("add", "replace", "test") and "value" not in op:
        raise ValueError(f"{name} needs a value")
    if name == "add":
        return _add(doc, path, clone(op["value"]))
    if name == "replace":
        return _replace(doc, path, clone(op["value"]))
    if name == "remove":
        _remove(doc, path)
        return doc
    if name == "test":
        if not _same(_get(doc, path), op["value"]):
            raise ValueError("test failed: the value differs")
        return doc
    if name in ("move", "copy"):
        if not isinstance(op.get("from"), str):
            raise ValueError(f"{name} needs from")
        source = tokens(op["from"])
        if name == "move":
            if path[:len(source)] == source and len(path) > len(source):
                raise ValueError("cannot move a value into itself")
            return _add(doc, path, _remove(doc, source))
        return _add(doc, path, clone(_get(doc, source)))
    raise ValueError(f"unknown operation {name!r}")


def _resolve(doc: Any, pointer: str) -> tuple[Path, bool]:
    """The JSON path of `pointer` in `doc` (list indices as ints; `-` = end) and whether its
    parent is a list."""
    node: Any = doc
    path: list[str | int] = []
    parent_is_list = False
    for part in tokens(pointer):
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
            doc = apply_one(doc, op)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
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
