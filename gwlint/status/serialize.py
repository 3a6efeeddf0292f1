"""The predicted status as the API server shows it: plain dicts, ready for YAML or JSON.

`document(status)` is `{apiVersion, kind, metadata: {name, namespace}, status}`; `status_block`
is the `status:` value alone, in the API's shape:

* GatewayClass, Gateway, ListenerSet: `conditions` (type, status, reason, message);
  Gateway/ListenerSet `listeners[]` (name, supportedKinds, attachedRoutes, conditions) and
  Gateway `attachedListenerSets` when written;
* routes: `parents[]` (parentRef as written, with the CRD defaults for group and kind;
  controllerName; conditions);
* policies: `ancestors[]` (ancestorRef, controllerName, conditions).

What the files cannot tell is left out rather than invented: `lastTransitionTime`,
`observedGeneration`, `addresses`, and `controllerName` when the GatewayClass is not in the
files. A condition the files cannot decide is `Unknown` with the reason it would have; its
message says what is missing and the likely outcome. With `extended=True` every condition also
carries `x-gwlint` (causes as resource + JSON pointer, detail, basis, and for Unknown what is
missing and the likely outcome) - not part of the API shape, for `gwlint status --causes`.
"""

from __future__ import annotations

from typing import Any

from gwlint.findings import json_pointer
from gwlint.model import GATEWAY_GROUP, Resource, as_dict
from gwlint.refs import Ref
from gwlint.status.conditions import UNKNOWN, Condition, Conditions
from gwlint.status.model import AncestorStatus, ObjectStatus, StatusModel


def message(cond: Condition) -> str:
    """The condition's message; for one the files cannot decide, also what is missing and the
    likely outcome (so `Unknown` is never read as a fact nor left unexplained)."""
    if cond.status != UNKNOWN or not cond.undecided:
        return cond.message
    likely = f"; likely {cond.likely[0]} {cond.likely[1]}" if cond.likely else ""
    return f"{cond.message} (gwlint cannot decide: {cond.undecided}{likely})"


def condition_dict(cond: Condition, extended: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"type": cond.type, "status": cond.status, "reason": cond.reason,
                           "message": message(cond)}
    if extended:
        extra: dict[str, Any] = {
            "causes": [{"resource": c.resource.label(), "path": json_pointer(c.path)}
                       for c in cond.causes],
            "basis": cond.basis,
        }
        if cond.detail:
            extra["detail"] = cond.detail
        if cond.undecided:
            extra["undecided"] = cond.undecided
        if cond.likely:
            extra["likely"] = {"status": cond.likely[0], "reason": cond.likely[1]}
        out["x-gwlint"] = extra
    return out


def _conditions(conds: Conditions, extended: bool) -> list[dict[str, Any]]:
    return [condition_dict(c, extended) for c in conds]


def _kinds(kinds: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"group": g, "kind": k} for g, k in kinds]


def parent_ref_dict(ref: Ref) -> dict[str, Any]:
    """The parentRef as stored by the API server: as written, group/kind defaulted."""
    raw = as_dict(ref.source.get(*ref.path))
    out: dict[str, Any] = {"group": raw.get("group", GATEWAY_GROUP),
                           "kind": raw.get("kind", "Gateway"), "name": raw.get("name")}
    for key in ("namespace", "sectionName", "port"):
        if raw.get(key) is not None:
            out[key] = raw[key]
    return out


def ancestor_ref_dict(gw: Resource) -> dict[str, Any]:
    """A policy ancestor (a Gateway) as status.ancestors[].ancestorRef."""
    return {"group": gw.group, "kind": gw.kind, "name": gw.name, "namespace": gw.namespace}


def ancestor_entry_ref(ancestor: AncestorStatus) -> dict[str, Any]:
    """status.ancestors[].ancestorRef of an entry: a Gateway, or the ref a mesh writes."""
    return dict(ancestor.ref) if ancestor.ref is not None else ancestor_ref_dict(ancestor.ancestor)


def status_block(status: ObjectStatus, extended: bool = False) -> dict[str, Any]:
    """The `status:` value of one object."""
    res = status.resource
    if status.parents or res.kind.endswith("Route"):
        parents = []
        for p in status.parents:
            entry: dict[str, Any] = {"parentRef": parent_ref_dict(p.ref)}
            if p.controller_name:
                entry["controllerName"] = p.controller_name
            entry["conditions"] = _conditions(p.conditions, extended)
            parents.append(entry)
        return {"parents": parents}
    if res.kind.endswith(("BackendTLSPolicy", "BackendTrafficPolicy")):  # PolicyAncestorStatus
        ancestors = []
        for a in status.ancestors:
            entry = {"ancestorRef": ancestor_entry_ref(a)}
            if a.controller_name:
                entry["controllerName"] = a.controller_name
            entry["conditions"] = _conditions(a.conditions, extended)
            ancestors.append(entry)
        out: dict[str, Any] = {"ancestors": ancestors}
        if extended and len(status.unattached):
            out["x-gwlint-unattached"] = _conditions(status.unattached, True)
        return out
    out = {"conditions": _conditions(status.conditions, extended)}
    if status.attached_listener_sets is not None:
        out["attachedListenerSets"] = status.attached_listener_sets
    if status.listeners:
        out["listeners"] = [{
            "name": ls.name,
            "supportedKinds": _kinds(ls.supported_kinds),
            "attachedRoutes": ls.attached_routes,
            "conditions": _conditions(ls.conditions, extended),
        } for ls in status.listeners]
    return out


def document(status: ObjectStatus, extended: bool = False) -> dict[str, Any]:
    """The object as `kubectl get -o yaml` shows its identity and predicted status."""
    res = status.resource
    meta: dict[str, Any] = {"name": res.name}
    if res.namespace is not None:
        meta["namespace"] = res.namespace
    return {"apiVersion": res.api_version, "kind": res.kind, "metadata": meta,
            "status": status_block(status, extended)}


def documents(model: StatusModel, extended: bool = False) -> list[dict[str, Any]]:
    """Every modelled object, sorted by kind, namespace, name."""
    items = sorted(model.objects(), key=lambda s: (s.resource.kind, s.resource.namespace or "",
                                                    s.resource.name))
    return [document(s, extended) for s in items]
