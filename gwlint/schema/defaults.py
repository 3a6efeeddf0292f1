"""Apply CRD defaults in place, the way the API server's structural defaulting does.

A property that is absent (or ``null`` without ``nullable``) and has a ``default`` gets a
copy of it; then defaulting recurses into every present value, including freshly
defaulted ones and list items / map values. So an HTTPRoute rule without ``matches`` gets
``[{path: {type: PathPrefix, value: "/"}}]`` and every backendRef its ``weight: 1``.

The schema is compiled once into nested closures that only visit the branches of the
object where some default can apply.
"""

from __future__ import annotations

from typing import Any, Callable

# apply(value, path, out): defaults ``value`` in place, adds defaulted paths to ``out``
Applier = Callable[[Any, tuple, set], None]


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def compile_defaults(schema: Any) -> Applier | None:
    """An applier for ``schema``, or None when nothing below it has a default."""
    if not isinstance(schema, dict):
        return None
    props = schema.get("properties")
    if isinstance(props, dict) and props:
        return _object_applier(props)
    items = compile_defaults(schema.get("items"))
    if items is not None:
        def apply_items(value: Any, path: tuple, out: set) -> None:
            if isinstance(value, list):
                for i, item in enumerate(value):
                    items(item, path + (i,), out)
        return apply_items
    extra = schema.get("additionalProperties")
    values = compile_defaults(extra) if isinstance(extra, dict) else None
    if values is not None:
        def apply_values(value: Any, path: tuple, out: set) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    values(item, path + (key,), out)
        return apply_values
    return None


_NO_DEFAULT = object()


def _object_applier(props: dict) -> Applier | None:
    plan: list[tuple[str, Any, bool, bool, Applier | None]] = []
    for name, sub in sorted(props.items()):
        if not isinstance(sub, dict):
            continue
        default = sub.get("default", _NO_DEFAULT)
        child = compile_defaults(sub)
        if default is _NO_DEFAULT and child is None:
            continue
        needs_copy = isinstance(default, (dict, list))
        plan.append((name, default, needs_copy, bool(sub.get("nullable")), child))
    if not plan:
        return None

    def apply_object(value: Any, path: tuple, out: set) -> None:
        if not isinstance(value, dict):
            return
        for name, default, needs_copy, nullable, child in plan:
            current = value.get(name, _NO_DEFAULT)
            if current is _NO_DEFAULT or (current is None and not nullable):
                if default is _NO_DEFAULT:
                    continue
                current = _copy(default) if needs_copy else default
                value[name] = current
                out.add(path + (name,))
            if child is not None:
                child(current, path + (name,), out)

    return apply_object
