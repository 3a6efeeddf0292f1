"""Message helpers shared by the attachment and listener rules (rule-only: they belong with the
rules, and are importable from `gwlint.attachment` until they move under `gwlint/rules/`)."""

from __future__ import annotations

from collections.abc import Iterable

from gwlint.attachment.index import (CAUSE_HOSTNAME, CAUSE_KINDS, CAUSE_NAMESPACE,
                                     CAUSE_NAMESPACE_UNKNOWN, CAUSE_PROTOCOL, Attachment)
from gwlint.attachment.listeners import Listener
from gwlint.attachment.selectors import selector_text
from gwlint.findings import Related
from gwlint.model import GATEWAY_GROUP, is_defaulted


def listener_related(listener: Listener, message: str | None = None,
                     path: tuple | None = None) -> Related:
    """A findings.Related pointing at a listener (default: its list item)."""
    return Related(message or listener.label(), listener.owner,
                   listener.path if path is None else path)


def kind_names(kinds: Iterable[tuple[str, str]]) -> str:
    """"HTTPRoute, GRPCRoute" (group shown only when not gateway.networking.k8s.io)."""
    names = [k if g == GATEWAY_GROUP else f"{k}.{g}" if g else k for g, k in kinds]
    return ", ".join(names) if names else "none"


def refusal_text(att: Attachment) -> str:
    """Why one listener refuses a route, in words (for messages)."""
    ls, route = att.listener, att.route
    if att.cause == CAUSE_PROTOCOL:
        return (f"listener '{ls.name}' ({ls.protocol}) cannot serve {route.kind} (it serves "
                f"{kind_names(ls.compatible_kinds or ())})")
    if att.cause == CAUSE_KINDS:
        return (f"listener '{ls.name}' allows only kinds {kind_names(ls.allowed_kinds)} "
                f"(allowedRoutes.kinds)")
    if att.cause in (CAUSE_NAMESPACE, CAUSE_NAMESPACE_UNKNOWN):
        if ls.allowed_from == "Same":
            default = (", the default" if is_defaulted(ls.owner, ls.path + (
                "allowedRoutes", "namespaces", "from")) else "")
            return (f"listener '{ls.name}' admits routes only from its own namespace "
                    f"'{ls.owner.namespace}' (allowedRoutes.namespaces.from: Same{default})")
        if ls.allowed_from == "Selector":
            verb = "may not select" if att.cause == CAUSE_NAMESPACE_UNKNOWN else "does not select"
            return (f"listener '{ls.name}' selector {selector_text(ls.selector)} {verb} "
                    f"namespace '{route.namespace}'")
        return f"listener '{ls.name}' does not admit namespace '{route.namespace}'"
    if att.cause == CAUSE_HOSTNAME:
        return (f"listener '{ls.name}' hostname '{ls.hostname}' intersects none of the route "
                "hostnames")
    return f"listener '{ls.name}' accepts the route"
