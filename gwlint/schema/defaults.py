"""Apply CRD defaults in place, the way the API server's structural defaulting does.

A property that is absent (or ``null`` without ``nullable``) and has a ``default`` gets a
copy of it; then defaulting recurses into every present value, including freshly
defaulted ones and list items / map values. So an HTTPRoute rule without ``matches`` gets
``[{path: {type: PathPrefix, value: "/"}}]`` and every backendRef its ``weight: 1``.

Defaulting runs on every object, so the schema is compiled once into straight-line Python
(one function per schema node that can hold a default, visiting only those branches), each
function compiled when an object first reaches its node (see lazycode.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .lazycode import LazyCode
from .paths import FieldPath

# apply(value, path, out): defaults ``value`` in place, adds defaulted paths to ``out``
Applier = Callable[[Any, FieldPath, set[FieldPath]], None]

_MISSING = object()


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _has_defaults(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if "default" in schema:
        return True
    props = schema.get("properties")
    if isinstance(props, dict) and any(_has_defaults(s) for s in props.values()):
        return True
    return _has_defaults(schema.get("items")) or _has_defaults(schema.get("additionalProperties"))


class _Gen:
    def __init__(self) -> None:
        self.chunks: dict[str, str] = {}  # function name -> its source
        self.consts: dict[str, Any] = {}
        self.count = 0

    def const(self, value: Any) -> str:
        name = f"c{len(self.consts)}"
        self.consts[name] = value
        return name

    def node(self, schema: dict[str, Any]) -> str | None:
        """Emit the function for ``schema`` (None if nothing below it has a default)."""
        props = schema.get("properties")
        lines: list[str] = []
        if isinstance(props, dict) and props:
            lines.append("if v.__class__ is not dict: return")
            for name, sub in sorted(props.items()):
                if not isinstance(sub, dict) or not _has_defaults(sub):
                    continue
                child = self.node(sub)
                key = repr(name)
                if "default" in sub:
                    default = sub["default"]
                    fresh = (f"_copy({self.const(default)})" if isinstance(default, (dict, list))
                             else repr(default))
                    null_ok = bool(sub.get("nullable"))
                    cond = "x is _MISSING" if null_ok else "x is _MISSING or x is None"
                    lines.append(f"x = v.get({key}, _MISSING)")
                    lines.append(f"if {cond}:\n        x = v[{key}] = {fresh}\n"
                                 f"        out.add(p + ({key},))")
                    if child:
                        lines.append(f"{child}(x, p + ({key},), out)")
                elif child:
                    lines.append(f"x = v.get({key})")
                    lines.append(f"if x is not None: {child}(x, p + ({key},), out)")
        else:
            items = schema.get("items")
            extra = schema.get("additionalProperties")
            if isinstance(items, dict) and _has_defaults(items):
                child = self.node(items)
                if child:
                    lines.append("if v.__class__ is not list: return")
                    lines.append(f"for i, x in enumerate(v): {child}(x, p + (i,), out)")
            elif isinstance(extra, dict) and _has_defaults(extra):
                child = self.node(extra)
                if child:
                    lines.append("if v.__class__ is not dict: return")
                    lines.append(f"for k, x in v.items(): {child}(x, p + (k,), out)")
        if len(lines) <= 1:
            return None
        name = f"d{self.count}"
        self.count += 1
        self.chunks[name] = f"def {name}(v, p, out):\n" + "".join(f"    {line}\n" for line in lines)
        return name


def compile_defaults(schema: Any) -> Applier | None:
    """An applier for ``schema``, or None when nothing below it has a default."""
    if not isinstance(schema, dict) or not _has_defaults(schema):
        return None
    gen = _Gen()
    root = gen.node(schema)
    if root is None:
        return None
    code = LazyCode({"_copy": _copy, "_MISSING": _MISSING, **gen.consts}, "<gwlint-defaults>")
    for name, source in gen.chunks.items():
        code.add(name, functools.partial(str, source))
    applier: Applier = code.namespace[root]
    return applier
