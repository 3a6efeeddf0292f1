"""Read the conditions of a finding in the JSON contract (`predicts`: a list, primary first)."""

from __future__ import annotations

from typing import Any


def primary(finding: dict[str, Any]) -> dict[str, str] | None:
    """The finding's primary condition as {type, status, reason} (None: it predicts nothing)."""
    items = finding["predicts"]
    if not items:
        return None
    first = items[0]
    return {"type": first["type"], "status": first["status"], "reason": first["reason"]}


def conditions(finding: dict[str, Any]) -> list[str]:
    """Every condition as "Kind/ns/name[ listener|parent] Type=Status Reason[ likely]"."""
    out = []
    for p in finding["predicts"]:
        obj = p["object"]
        where = f"{obj['kind']}/{obj['namespace']}/{obj['name']}" if obj["namespace"] \
            else f"{obj['kind']}/{obj['name']}"
        if p["listener"] is not None:
            where += f" listener {p['listener']}"
        if p["parent"] is not None:
            parent = p["parent"]
            where += f" parent {parent['kind']}/{parent.get('namespace', '')}/{parent['name']}"
            if parent.get("sectionName"):
                where += f"#{parent['sectionName']}"
        text = f"{where} {p['type']}={p['status']} {p['reason']}"
        out.append(text + (" likely" if p["likely"] else ""))
    return out
