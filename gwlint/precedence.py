"""Precedence by creation time, then namespace/name: the spec's tie-breaker for every conflict.

Used by ListenerSets ("ListenerSet ordered by creation time (oldest first)" then
"alphabetically by {namespace}/{name}", ListenerSetSpec.listeners), HTTPRoute/GRPCRoute hostname
conflicts ("The oldest Route based on creation timestamp", GRPCRouteSpec.hostnames) and
BackendTLSPolicy conflicts ("The older policy by creation timestamp", then "alphabetical order
by {namespace}/{name}", BackendTLSPolicySpec.targetRefs).

Files usually carry no `metadata.creationTimestamp`; the API server sets it when the object is
created. Without it on both sides the winner cannot be decided: `wins()` returns None and the
caller writes `Unknown`, with the namespace/name order as the `likely` outcome (what happens
when both are created in the same second, e.g. applied together, which is what the conformance
suite does).
"""

from __future__ import annotations

from datetime import datetime

from gwlint.model import Resource, as_str


def created(res: Resource) -> datetime | None:
    """metadata.creationTimestamp (RFC 3339), or None when absent or unreadable."""
    raw = as_str(res.metadata.get("creationTimestamp"))
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None


def name_key(res: Resource, by_namespace: bool = True) -> tuple[str, str]:
    return ((res.namespace or "") if by_namespace else "", res.name)


def wins(a: Resource, b: Resource, by_namespace: bool = True) -> bool | None:
    """Whether `a` takes precedence over `b` (older, then namespace/name); None: undecidable
    because a creationTimestamp is missing."""
    ta, tb = created(a), created(b)
    if ta is None or tb is None:
        return None
    if ta != tb:
        return ta < tb
    return name_key(a, by_namespace) < name_key(b, by_namespace)


def likely_wins(a: Resource, b: Resource, by_namespace: bool = True) -> bool:
    """The outcome when both are created in the same second: namespace/name order."""
    return name_key(a, by_namespace) < name_key(b, by_namespace)


def sort_key(res: Resource, by_namespace: bool = True) -> tuple[bool, float, str, str]:
    """Precedence order as far as the files tell: known timestamps first (oldest first), then
    namespace/name."""
    ts = created(res)
    return (ts is None, ts.timestamp() if ts else 0.0) + name_key(res, by_namespace)
