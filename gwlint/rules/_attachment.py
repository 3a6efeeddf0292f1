"""Message helpers of the attachment, listener, conflict and security rules.

They only phrase what `gwlint.attachment` and the status model decided (why a listener refuses a
route, which kinds a listener serves, where a listener is), so they live with the rules, not with
the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gwlint.attachment import (CAUSE_HOSTNAME, CAUSE_KINDS, CAUSE_NAMESPACE,
                               CAUSE_NAMESPACE_UNKNOWN, CAUSE_PROTOCOL, NAME_LABEL, Listener,
                               hostname_intersection, route_hostnames)
from gwlint.findings import FieldPath, Related
from gwlint.model import GATEWAY_GROUP, Resource, as_dict, as_list, as_str, is_defaulted


def listener_related(listener: Listener, message: str | None = None,
                     path: FieldPath | None = None) -> Related:
    """A related location pointing at a listener (default: its list item)."""
    return Related(message or listener.label(), listener.owner,
                   listener.path if path is None else path)


def kind_names(kinds: Iterable[tuple[str, str]]) -> str:
    """"HTTPRoute, GRPCRoute" (group shown only when not gateway.networking.k8s.io)."""
    names = [k if g == GATEWAY_GROUP else f"{k}.{g}" if g else k for g, k in kinds]
    return ", ".join(names) if names else "none"


def selector_uses_unknown_labels(selector: object) -> list[str]:
    """Label keys of a selector other than the implicit name label (for hints)."""
    sel = as_dict(selector)
    keys = [k for k in as_dict(sel.get("matchLabels")) if isinstance(k, str)]
    keys += [as_str(as_dict(e).get("key"), "") or "" for e in as_list(sel.get("matchExpressions"))]
    return [k for k in dict.fromkeys(keys) if k and k != NAME_LABEL]


def selector_text(selector: dict[str, Any] | None) -> str:
    """A label selector as users read it: {team=shop, env In (prod,staging)}."""
    if selector is None:
        return "no selector (matches nothing)"
    parts = [f"{k}={v}" for k, v in as_dict(selector.get("matchLabels")).items()]
    for item in as_list(selector.get("matchExpressions")):
        e = as_dict(item)
        values = ",".join(str(v) for v in as_list(e.get("values")))
        op = as_str(e.get("operator"), "")
        parts.append(f"{e.get('key')} {op} ({values})" if values else f"{e.get('key')} {op}")
    return "{" + ", ".join(parts) + "}" if parts else "{} (matches every namespace)"


def refusal_text(ls: Listener, route: Resource, cause: str | None) -> str:
    """Why one listener refuses a route (`cause`: an attachment CAUSE_*), in words."""
    if cause == CAUSE_PROTOCOL:
        return (f"listener '{ls.name}' ({ls.protocol}) cannot serve {route.kind} (it serves "
                f"{kind_names(ls.compatible_kinds or ())})")
    if cause == CAUSE_KINDS:
        return (f"listener '{ls.name}' allows only kinds {kind_names(ls.allowed_kinds)} "
                f"(allowedRoutes.kinds)")
    if cause in (CAUSE_NAMESPACE, CAUSE_NAMESPACE_UNKNOWN):
        if ls.allowed_from == "Same":
            default = (", the default" if is_defaulted(ls.owner, ls.path + (
                "allowedRoutes", "namespaces", "from")) else "")
            return (f"listener '{ls.name}' admits routes only from its own namespace "
                    f"'{ls.owner.namespace}' (allowedRoutes.namespaces.from: Same{default})")
        if ls.allowed_from == "Selector":
            verb = "may not select" if cause == CAUSE_NAMESPACE_UNKNOWN else "does not select"
            return (f"listener '{ls.name}' selector {selector_text(ls.selector)} {verb} "
                    f"namespace '{route.namespace}'")
        return f"listener '{ls.name}' does not admit namespace '{route.namespace}'"
    if cause == CAUSE_HOSTNAME:
        return (f"listener '{ls.name}' hostname '{ls.hostname}' intersects none of the route "
                "hostnames")
    return f"listener '{ls.name}' accepts the route"


def entry_hostname_path(route: Resource, listener: Listener, parent_path: FieldPath,
                        host: str) -> FieldPath:
    """Path of the route's spec.hostnames entry that yields the effective `host` on `listener`;
    the parentRef (`parent_path`) when the route names no hostname (the listener's)."""
    for i, h in route_hostnames(route):
        hit = hostname_intersection(listener.hostname, h)
        if hit is not None and hit.lower() == host.lower():
            return ("spec", "hostnames", i)
    return tuple(parent_path)
