"""JSON paths: formatting for messages and mapping instances onto schema paths."""

from __future__ import annotations

import json
import re

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def format_path(path: tuple | list) -> str:
    """``("spec", "rules", 0, "filters", 1)`` -> ``spec.rules[0].filters[1]``."""
    out: list[str] = []
    for seg in path:
        if isinstance(seg, int) and not isinstance(seg, bool):
            out.append(f"[{seg}]")
        elif isinstance(seg, str) and _IDENT.match(seg):
            out.append(f".{seg}" if out else seg)
        else:
            out.append(f"[{json.dumps(seg, ensure_ascii=False)}]" if isinstance(seg, str) else f"[{seg!r}]")
    return "".join(out)


def prefix(path: tuple | list) -> str:
    """Message prefix for a path: ``"spec.rules[0]: "`` (empty for the object itself)."""
    text = format_path(path)
    return f"{text}: " if text else ""


def schema_at(schema: dict | None, path: tuple | list) -> dict | None:
    """The sub-schema describing the instance at ``path`` (None if outside the schema)."""
    node = schema
    for seg in path:
        if not isinstance(node, dict):
            return None
        if isinstance(seg, int) and not isinstance(seg, bool):
            node = node.get("items")
        else:
            props = node.get("properties")
            if props is not None and seg in props:
                node = props[seg]
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
            else:
                return None
    return node if isinstance(node, dict) else None


def field_pattern(schema: dict | None, path: tuple | list) -> str | None:
    """The generator's field-path notation for an instance path (``spec.rules[].name``)."""
    node = schema
    out = ""
    for seg in path:
        if not isinstance(node, dict):
            return None
        if isinstance(seg, int) and not isinstance(seg, bool):
            node = node.get("items")
            out += "[]"
        else:
            props = node.get("properties")
            if props is not None and seg in props:
                node = props[seg]
                out = f"{out}.{seg}" if out else str(seg)
            elif isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
                out += "{}"
            else:
                # a property the schema does not know (what an unknown-field lookup asks about)
                out = f"{out}.{seg}" if out else str(seg)
                node = None
    return out
