"""JSON paths: formatting for messages and mapping instances onto schema paths."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

# A place inside an object body, as keys and list indexes: ("spec", "rules", 0, "filters"). The
# shape of gwlint.findings.FieldPath (gwlint.schema imports nothing else from gwlint). A key YAML
# did not read as a string stays as read, so that a violation can point at it.
FieldPath = tuple[str | int, ...]

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def format_path(path: Sequence[str | int]) -> str:
    """``("spec", "rules", 0, "filters", 1)`` -> ``spec.rules[0].filters[1]``."""
    out: list[str] = []
    for seg in path:
        if isinstance(seg, int) and not isinstance(seg, bool):
            out.append(f"[{seg}]")
        elif isinstance(seg, str) and _IDENT.match(seg):
            out.append(f".{seg}" if out else seg)
        else:
            out.append(f"[{json.dumps(seg, ensure_ascii=False)}]" if isinstance(seg, str)
                       else f"[{seg!r}]")
    return "".join(out)


def prefix(path: Sequence[str | int]) -> str:
    """Message prefix for a path: ``"spec.rules[0]: "`` (empty for the object itself)."""
    text = format_path(path)
    return f"{text}: " if text else ""


def schema_at(schema: dict[str, Any] | None, path: Sequence[str | int]) -> dict[str, Any] | None:
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


def field_pattern(schema: dict[str, Any] | None, path: Sequence[str | int]) -> str | None:
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
