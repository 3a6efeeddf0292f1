"""Which conformance features the linted objects need, and where (one pass, linear).

`detect(resources)` walks each Gateway API object once along the patterns of
`features.CONSTRUCTS` (compiled per kind into a trie, so a rule list is iterated once whatever
the number of constructs under it), then runs the few detectors that need more than one value:
parentRef kinds, groups of listeners on a port, the Service a backendRef points at.

A route's constructs are needed by the implementation of each of its parents: a route attached
to a Gateway needs the HTTPRoute* features of the Gateway's implementation, a route attached to
a Service (GAMMA) the Mesh* variants of the mesh's. `Need.scope` says which.

`detect(resources, features=...)` looks only for the constructs of those features (the rules ask
only for what some implementation in use does not support): the walk skips every other branch,
and objects with none of those constructs cost one dict lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from gwlint.attachment.hostnames import hostnames_overlap
from gwlint.implementations.features import (
    ANY,
    CONSTRUCTS,
    GATEWAY,
    MESH,
    Construct,
    Where,
)
from gwlint.model import (
    CORE_GROUP,
    GATEWAY_GROUP,
    FieldPath,
    Resource,
    as_dict,
    as_int,
    as_list,
    as_str,
)

ANY_SCOPE = "any"  # grants, policies, backends: whichever implementation reads the object

ROUTE_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute"})
LISTENER_KINDS = frozenset({"Gateway", "ListenerSet", "XListenerSet"})
_SCOPED = {"ReferenceGrant": ANY_SCOPE, "BackendTLSPolicy": ANY_SCOPE, "XBackend": ANY_SCOPE}
_GATEWAY_GROUPS = frozenset({GATEWAY_GROUP, "gateway.networking.x-k8s.io"})
_WEBSOCKET = frozenset({"kubernetes.io/ws", "kubernetes.io/wss"})


class Need(NamedTuple):
    """`resource` needs `feature` at `path` (JSON path from the object's root, as findings use).

    A NamedTuple: a repository has one per route at least, and tuples are the cheapest to make.
    """

    feature: str
    resource: Resource
    path: FieldPath
    construct: Construct
    scope: str  # GATEWAY, MESH or ANY_SCOPE


# ------------------------------------------------------------------------------ the trie


@dataclass(slots=True)
class _Node:
    here: list[Construct] = field(default_factory=list)
    keys: dict[str, _Node] = field(default_factory=dict)
    items: _Node | None = None
    where: dict[str, dict[str, _Node]] = field(default_factory=dict)  # field -> value -> node


def _compile(constructs: Iterable[Construct]) -> dict[str, _Node]:
    roots: dict[str, _Node] = {}
    for c in constructs:
        if c.pattern is None:
            continue
        for kind in c.kinds:
            node = roots.setdefault(kind, _Node())
            for step in c.pattern:
                if step == ANY:
                    node.items = node.items or _Node()
                    node = node.items
                elif isinstance(step, Where):
                    by_value = node.where.setdefault(step.field, {})
                    node = by_value.setdefault(step.value, _Node())
                else:
                    node = node.keys.setdefault(step, _Node())
            node.here.append(c)
    return roots


_TRIES = _compile(CONSTRUCTS)
_BY_ID = {c.id: c for c in CONSTRUCTS}


def _relevant(c: Construct, features: frozenset[str]) -> bool:
    return c.feature in features or c.mesh_feature in features


@lru_cache(maxsize=16)
def _tries_for(features: frozenset[str]) -> dict[str, _Node]:
    """The trie of the constructs of `features` only (a handful of distinct sets per process)."""
    return _compile(c for c in CONSTRUCTS if _relevant(c, features))


def _walk(value: Any, node: _Node, path: list[str | int],
          out: list[tuple[Construct, FieldPath]]) -> None:
    """Follow `node` into `value`; `path` is the (mutable) path to `value`."""
    for c in node.here:
        if c.test(value):
            out.append((c, (*path, *c.suffix)))
    kind = type(value)
    if kind is dict:
        for key, child in node.keys.items():
            sub = value.get(key)
            if sub is None:
                continue
            path.append(key)
            if child.keys or child.items is not None or child.where:
                _walk(sub, child, path, out)
            else:  # a leaf: test here, no call
                for c in child.here:
                    if c.test(sub):
                        out.append((c, (*path, *c.suffix)))
            path.pop()
    elif kind is list and (node.items is not None or node.where):
        items, where = node.items, node.where
        for i, item in enumerate(value):
            path.append(i)
            if items is not None:
                _walk(item, items, path, out)
            if where and type(item) is dict:
                for fld, by_value in where.items():
                    tag = item.get(fld)
                    match = by_value.get(tag) if type(tag) is str else None
                    if match is not None:
                        _walk(item, match, path, out)
            path.pop()


# ------------------------------------------------------------------------------ scopes


def _parent(ref: dict[str, Any]) -> tuple[str, str]:
    """(group, kind) of a parentRef, with the spec's defaults."""
    group = ref.get("group", GATEWAY_GROUP)
    return (group if isinstance(group, str) else GATEWAY_GROUP,
            as_str(ref.get("kind"), "Gateway") or "Gateway")


def _is_service(group: str, kind: str) -> bool:
    return kind == "Service" and group in (CORE_GROUP, "core")


def route_scopes(res: Resource) -> tuple[str, ...]:
    """GATEWAY and/or MESH: the kinds of parents the route attaches to (GATEWAY without any)."""
    gateway = mesh = False
    for ref in as_list(res.spec.get("parentRefs")):
        if isinstance(ref, dict):
            if _is_service(*_parent(ref)):
                mesh = True
            else:
                gateway = True
    if mesh and gateway:
        return (GATEWAY, MESH)
    return (MESH,) if mesh else (GATEWAY,)


# ------------------------------------------------------------------------------ detectors

# construct id, path, scope (None: the route's)
_Emit = Callable[[str, FieldPath, str | None], None]
# (scope, namespace, name) of a Service -> {port: construct id}
Services = dict[tuple[str, str | None, str], dict[int, str]]


def _parent_refs(res: Resource, emit: _Emit, _services: Services) -> None:
    for i, ref in enumerate(as_list(res.spec.get("parentRefs"))):
        if not isinstance(ref, dict):
            continue
        group, kind = _parent(ref)
        at = ("spec", "parentRefs", i)
        port = as_int(ref.get("port"))
        if _is_service(group, kind):
            emit("mesh-parent", at, MESH)
            namespace = as_str(ref.get("namespace"))
            if namespace and namespace != res.namespace:
                emit("mesh-consumer-route", at + ("namespace",), MESH)
            if port is not None and res.kind == "HTTPRoute":
                emit("parent-port", at + ("port",), MESH)
                emit("mesh-destination-port", at + ("port",), MESH)
        else:
            if kind in ("ListenerSet", "XListenerSet") and group in _GATEWAY_GROUPS:
                emit("listenerset-parent", at + ("kind",), GATEWAY)
            if port is not None and res.kind == "HTTPRoute":
                emit("parent-port", at + ("port",), GATEWAY)


def _backend_protocols(res: Resource, emit: _Emit, services: Services) -> None:
    """backendRefs to a Service port whose appProtocol asks for H2C or WebSocket (GEP-1911)."""
    if not services:  # no such Service port in the input: the common case costs nothing
        return
    for i, rule in enumerate(as_list(res.spec.get("rules"))):
        for j, ref in enumerate(as_list(as_dict(rule).get("backendRefs"))):
            if not isinstance(ref, dict) or as_str(ref.get("kind"), "Service") != "Service" \
                    or as_str(ref.get("group"), CORE_GROUP) not in (CORE_GROUP, "core"):
                continue
            namespace = as_str(ref.get("namespace")) or res.namespace
            ports = services.get((res.scope, namespace, as_str(ref.get("name"), "")))
            port = as_int(ref.get("port"))
            construct = ports.get(port) if ports and port is not None else None
            if construct is not None:
                emit(construct, ("spec", "rules", i, "backendRefs", j), None)


def _listener_groups(res: Resource, emit: _Emit, _services: Services) -> None:
    """Listeners sharing a port: isolation, misdirected requests, mixed TLS modes.

    Bounded work: the CRDs allow at most 64 listeners per object.
    """
    by_port: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for i, listener in enumerate(as_list(res.spec.get("listeners"))[:64]):
        port = as_int(listener.get("port")) if isinstance(listener, dict) else None
        if port is not None:
            by_port.setdefault(port, []).append((i, listener))
    for group in by_port.values():
        if len(group) < 2:
            continue
        modes: dict[str, int] = {}
        for i, listener in group:
            if listener.get("protocol") == "TLS":
                mode = as_str(as_dict(listener.get("tls")).get("mode"), "Terminate")
                modes.setdefault(mode or "Terminate", i)
        if len(modes) > 1:
            emit("tls-mixed", ("spec", "listeners", max(modes.values()), "tls"), GATEWAY)
        hit = _shared_connection([(i, listener) for i, listener in group
                                  if listener.get("protocol") == "HTTPS"], res.namespace)
        if hit is not None:
            emit("misdirected-requests", ("spec", "listeners", hit), GATEWAY)
        for protocol in ("HTTP", "HTTPS"):
            same = [(i, as_str(listener.get("hostname"))) for i, listener in group
                    if listener.get("protocol") == protocol]
            hit = next((j for n, (j, hj) in enumerate(same) for _, hi in same[:n]
                        if (hi or "") != (hj or "") and hostnames_overlap(hi, hj)), None)
            if hit is not None:
                emit("listener-isolation", ("spec", "listeners", hit), GATEWAY)


def _shared_connection(https: list[tuple[int, dict[str, Any]]], namespace: str | None
                       ) -> int | None:
    """The first HTTPS listener that shares a port with an earlier one a client may reach over
    the same connection, or None.

    A client reuses a connection for another host only when the certificate it was shown covers
    that host (RFC 9110 7.4, 421 Misdirected Request): listeners whose hostnames overlap (one
    missing or a wildcard covering the other), or that present the same certificate, as the
    conformance test's listeners do. Listeners with distinct hostnames and certificates never
    see another listener's requests. Identical hostnames are a conflict, not this.
    """
    seen: list[tuple[str | None, frozenset[tuple[str, str, str | None, str]]]] = []
    for i, listener in https:
        host = as_str(listener.get("hostname"))
        certs = _certificates(listener, namespace)
        if any((h or "") != (host or "") and (hostnames_overlap(h, host) or c & certs)
               for h, c in seen):
            return i
        seen.append((host, certs))
    return None


def _certificates(listener: dict[str, Any], namespace: str | None
                  ) -> frozenset[tuple[str, str, str | None, str]]:
    """(group, kind, namespace, name) of the listener's tls.certificateRefs, defaults applied."""
    out = set()
    for ref in as_list(as_dict(listener.get("tls")).get("certificateRefs")):
        name = as_str(ref.get("name")) if isinstance(ref, dict) else None
        if name:
            out.add((as_str(ref.get("group"), CORE_GROUP),
                     as_str(ref.get("kind"), "Secret") or "Secret",
                     as_str(ref.get("namespace")) or namespace, name))
    return frozenset(out)


_Detector = Callable[[Resource, _Emit, Services], None]

_DETECTORS: dict[str, tuple[_Detector, ...]] = {
    "HTTPRoute": (_parent_refs, _backend_protocols),
    "GRPCRoute": (_parent_refs,),
    "TLSRoute": (_parent_refs,),
    "TCPRoute": (_parent_refs,),
    "UDPRoute": (_parent_refs,),
    "Gateway": (_listener_groups,),
    "ListenerSet": (_listener_groups,),
    "XListenerSet": (_listener_groups,),
}
# the constructs each detector may emit (a test checks the list against what they emit)
DETECTOR_CONSTRUCTS: dict[_Detector, tuple[str, ...]] = {
    _parent_refs: ("mesh-parent", "mesh-consumer-route", "parent-port", "mesh-destination-port",
                   "listenerset-parent"),
    _backend_protocols: ("backend-h2c", "backend-websocket"),
    _listener_groups: ("tls-mixed", "misdirected-requests", "listener-isolation"),
}


@lru_cache(maxsize=16)
def _detectors_for(features: frozenset[str] | None) -> dict[str, tuple[_Detector, ...]]:
    """The detectors that may emit a construct of `features` (all of them for None)."""
    if features is None:
        return _DETECTORS
    wanted = {d for d, ids in DETECTOR_CONSTRUCTS.items()
              if any(_relevant(_BY_ID[i], features) for i in ids)}
    return {kind: tuple(d for d in ds if d in wanted) for kind, ds in _DETECTORS.items()}


# ------------------------------------------------------------------------------ API


def service_index(resources: Iterable[Resource]) -> Services:
    """(scope, namespace, name) -> {port: construct id} for the Service ports whose appProtocol
    needs a feature (kubernetes.io/h2c, ws, wss): what backend protocol detection looks up."""
    out: Services = {}
    for res in resources:
        if res.kind != "Service" or res.group != CORE_GROUP:
            continue
        for sp in as_list(res.spec.get("ports")):
            proto = sp.get("appProtocol") if isinstance(sp, dict) else None
            port = as_int(sp.get("port")) if proto else None
            if port is None:
                continue
            if proto == "kubernetes.io/h2c":
                out.setdefault((res.scope, res.namespace, res.name), {})[port] = "backend-h2c"
            elif proto in _WEBSOCKET:
                out.setdefault((res.scope, res.namespace, res.name), {})[port] = \
                    "backend-websocket"
    return out


def needs_of(res: Resource, services: Services | None = None,
             features: frozenset[str] | None = None) -> list[Need]:
    """The features one object needs (`services` from `service_index`, for backend protocols),
    only those in `features` when given."""
    if res.group not in _GATEWAY_GROUPS or res.virtual:
        return []
    root = (_TRIES if features is None else _tries_for(features)).get(res.kind)
    detectors = _detectors_for(features).get(res.kind, ())
    if root is None and not detectors:
        return []
    is_route = res.kind in ROUTE_KINDS
    scopes = route_scopes(res) if is_route else (_SCOPED.get(res.kind, GATEWAY),)
    out: list[Need] = []

    def add(c: Construct, path: FieldPath, scope: str) -> None:
        feature = c.mesh_feature if scope == MESH else c.feature
        if feature is not None and (features is None or feature in features):
            out.append(Need(feature, res, path, c, scope))

    if root is not None:
        found: list[tuple[Construct, FieldPath]] = []
        _walk(res.body, root, [], found)
        for c, path in found:
            for scope in scopes:
                add(c, path, scope)

    def emit(cid: str, path: FieldPath, scope: str | None) -> None:
        for s in (scopes if scope is None else (scope,)):
            add(_BY_ID[cid], path, s)

    for detector in detectors:
        detector(res, emit, services or {})
    return out


def detect(resources: Iterable[Resource], features: Collection[str] | None = None) -> list[Need]:
    """Every feature need of `resources`, in input order (linear in their size); with
    `features`, only the needs of those features (and only their constructs are looked for)."""
    items = resources if isinstance(resources, list) else list(resources)
    wanted = None if features is None else frozenset(features)
    if wanted is not None and not wanted:
        return []
    protocols = wanted is None or any(_relevant(_BY_ID[i], wanted)
                                      for i in DETECTOR_CONSTRUCTS[_backend_protocols])
    services = service_index(items) if protocols else {}
    out: list[Need] = []
    for res in items:
        out.extend(needs_of(res, services, wanted))
    return out


def features_used(needs: Iterable[Need]) -> dict[str, list[Need]]:
    """feature -> its needs, features sorted by name (for `gwlint implementations --features`)."""
    by: dict[str, list[Need]] = {}
    for need in needs:
        by.setdefault(need.feature, []).append(need)
    return dict(sorted(by.items()))


__all__ = ["ANY_SCOPE", "DETECTOR_CONSTRUCTS", "Need", "detect", "features_used", "needs_of",
           "route_scopes", "service_index"]
