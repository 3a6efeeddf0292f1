"""Structural validation with jsonschema-rs, and its errors turned into Violations.

The CRD schemas are Kubernetes *structural* schemas (OpenAPI v3 subset). They are
converted to JSON Schema 2020-12 once per schema blob:

* objects with ``properties`` get ``additionalProperties: false``: the API server silently
  prunes unknown fields, so a typo like ``backendRef:`` would otherwise be lost without a
  trace; we report it instead (``x-kubernetes-preserve-unknown-fields`` keeps them allowed);
* ``nullable`` -> ``"null"`` added to the type; ``x-kubernetes-int-or-string`` -> integer|string;
* ``metadata`` is checked in Python (see metadata.py), ``status`` is ignored;
* patterns run on the linear-time ``regex`` engine (RE2 semantics, see regex.py) and the
  ``ipv4``/``ipv6`` formats are checked like the API server does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import k8s_validation, regex
from .paths import FieldPath

_PASSTHROUGH = (
    "enum", "pattern", "format", "minimum", "maximum", "multipleOf", "minLength", "maxLength",
    "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "required",
)
ILL_TYPED_KINDS = frozenset({"type", "required"})


def to_jsonschema(node: Any, value_validation: bool = False) -> Any:
    """Convert one structural-schema node (see module docstring)."""
    if not isinstance(node, dict):
        return True
    out: dict[str, Any] = {}
    nullable = bool(node.get("nullable"))
    typ = node.get("type")
    if node.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"] + (["null"] if nullable else [])
    elif isinstance(typ, str):
        out["type"] = [typ, "null"] if nullable else typ
    for key in _PASSTHROUGH:
        if key in node:
            out[key] = node[key]
    if nullable and isinstance(out.get("enum"), list) and None not in out["enum"]:
        out["enum"] = out["enum"] + [None]
    # OpenAPI 3.0 boolean exclusive bounds -> JSON Schema 2020-12 numeric ones
    for excl, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if node.get(excl) is True and bound in node:
            out[excl] = out.pop(bound)
    props = node.get("properties")
    if isinstance(props, dict):
        out["properties"] = {name: to_jsonschema(sub, value_validation) for name,
                             sub in props.items()}
    if "items" in node:
        out["items"] = to_jsonschema(node["items"], value_validation)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = to_jsonschema(extra, value_validation)
    elif extra is False:
        out["additionalProperties"] = False
    elif (not value_validation and typ == "object" and extra is None
          and not node.get("x-kubernetes-preserve-unknown-fields")):
        if node.get("x-kubernetes-embedded-resource"):
            out.setdefault("properties", {}).update({"apiVersion": True, "kind": True,
                                                     "metadata": True})
        out["additionalProperties"] = False
    for key in ("oneOf", "anyOf", "allOf"):
        if isinstance(node.get(key), list):
            out[key] = [to_jsonschema(sub, True) for sub in node[key]]
    if isinstance(node.get("not"), dict):
        out["not"] = to_jsonschema(node["not"], True)
    return out


def root_jsonschema(schema: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a whole object: metadata checked elsewhere, status ignored."""
    out = to_jsonschema(schema)
    if not isinstance(out, dict):
        return {"type": "object"}
    props = out.setdefault("properties", {})
    props["metadata"] = True
    props["status"] = True
    out["type"] = "object"
    return out


def _format_ipv4(value: str) -> bool:
    return k8s_validation.is_ipv4_format(value)


def _format_ipv6(value: str) -> bool:
    return k8s_validation.is_ipv6_format(value)


def compile_validator(schema: dict[str, Any]) -> Any:
    import jsonschema_rs  # lazily: start-up time matters

    return jsonschema_rs.Draft202012Validator(
        root_jsonschema(schema),
        validate_formats=True,
        formats={"ipv4": _format_ipv4, "ipv6": _format_ipv6},
        pattern_options=regex.jsonschema_pattern_options(),
    )


@dataclass(slots=True)
class RawError:
    """A jsonschema-rs error reduced to what the message builder needs."""

    kind: str
    path: FieldPath
    instance: Any
    detail: dict[str, Any] = field(default_factory=dict)


def _detail(err: Any) -> dict[str, Any]:
    try:
        return dict(err.kind.as_dict())
    except Exception:  # pragma: no cover - binding without as_dict for some kind
        return {}


def _leaf_formats(err: Any) -> list[tuple[FieldPath, str]]:
    """Formats that failed inside a oneOf/anyOf (e.g. Gateway address ``value``: ipv4|ipv6)."""
    found: list[tuple[FieldPath, str]] = []
    context = getattr(err.kind, "context", None) or []
    for branch in context:
        for sub in branch:
            if sub.kind.name == "format":
                found.append((tuple(sub.instance_path), _detail(sub).get("format", "")))
            elif sub.kind.name in ("anyOf", "oneOf"):
                found.extend(_leaf_formats(sub))
    return found


def raw_errors(validator: Any, body: Any) -> list[RawError]:
    """All structural errors of ``body`` (a JSON-compatible value), in a stable order."""
    out: list[RawError] = []
    for err in validator.iter_errors(body):
        kind = err.kind.name
        path = tuple(err.instance_path)
        if kind in ("oneOf", "anyOf"):
            formats = _leaf_formats(err)
            if formats:
                where = formats[0][0]
                names = sorted({f for p, f in formats if p == where})
                out.append(RawError("format", where, _get(body, where), {"formats": names}))
                continue
        out.append(RawError(kind, path, err.instance, _detail(err) | {"message": err.message}))
    return out


def _get(body: Any, path: FieldPath) -> Any:
    node = body
    for seg in path:
        try:
            node = node[seg]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def describe_value(value: Any) -> str:
    """A short, typed rendering of a value for messages: ``string "80"``, ``integer 80``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        if len(text) > 60:
            text = text[:56] + '..."'
        return f"string {text}"
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
