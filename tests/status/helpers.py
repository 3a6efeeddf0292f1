"""Load fixture files through the normal loading path and render predicted statuses compactly.

The compact form keeps everything the API shape holds except free-text messages: condition
"Type Status Reason" strings in order, listeners by name (attachedRoutes, supportedKinds,
conditions), route parents by "Kind/namespace/name[#section]", policy ancestors by Gateway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gwlint import status

try:  # the loading entry point may move out of gwlint.engine
    from gwlint.engine import LintConfig, build_context
except ImportError:  # pragma: no cover - depends on the refactoring in progress
    from gwlint.config import LintConfig  # type: ignore[no-redef]
    from gwlint.load import build_context  # type: ignore[no-redef]


def predict(*paths: Path | str, **config: Any) -> status.StatusModel:
    """The status model of the linted files (a fresh Context per call)."""
    ctx = build_context(LintConfig(paths=[str(p) for p in paths], **config))
    return status.model(ctx)


def _conds(items: list[dict]) -> list[str]:
    return [f"{c['type']} {c['status']} {c['reason']}" for c in items]


def _ref_key(ref: dict, namespace: str | None) -> str:
    key = f"{ref['kind']}/{ref.get('namespace', namespace)}/{ref['name']}"
    if "sectionName" in ref:
        key += f"#{ref['sectionName']}"
    if "port" in ref:
        key += f":{ref['port']}"
    return key


def compact(doc: dict) -> dict:
    st, ns = doc["status"], doc["metadata"].get("namespace")
    out: dict[str, Any] = {}
    if "conditions" in st:
        out["conditions"] = _conds(st["conditions"])
    if "attachedListenerSets" in st:
        out["attachedListenerSets"] = st["attachedListenerSets"]
    if "listeners" in st:
        out["listeners"] = {ls["name"]: {
            "attachedRoutes": ls["attachedRoutes"],
            "supportedKinds": [k["kind"] for k in ls["supportedKinds"]],
            "conditions": _conds(ls["conditions"])} for ls in st["listeners"]}
    if "parents" in st:
        out["parents"] = {_ref_key(p["parentRef"], ns): _conds(p["conditions"])
                          for p in st["parents"]}
    if "ancestors" in st:
        out["ancestors"] = {_ref_key(a["ancestorRef"], ns): _conds(a["conditions"])
                            for a in st["ancestors"]}
    return out


def compact_all(model: status.StatusModel) -> dict[str, dict]:
    """{"Kind/namespace/name": compact status} for every modelled object."""
    out = {}
    for doc in status.documents(model):
        meta = doc["metadata"]
        key = f"{doc['kind']}/{meta['namespace']}/{meta['name']}" if "namespace" in meta \
            else f"{doc['kind']}/{meta['name']}"
        out[key] = compact(doc)
    return out
