"""The attachment index: the verdict of every parentRef, built once per run and shared by rules.

Per candidate listener of a parentRef (selected by `sectionName` and `port`; none ->
`Accepted=False NoMatchingParent`), in the order a controller checks them:

1. the route kind must be served by the listener protocol (`listeners.protocol_kinds`:
   HTTP/HTTPS: HTTPRoute, GRPCRoute; TLS Passthrough: TLSRoute; TLS Terminate: TLSRoute,
   TCPRoute; TCP: TCPRoute; UDP: UDPRoute) -> cause `"protocol"`;
2. the route kind must be in `allowedRoutes.kinds` (when given; otherwise the protocol's default
   kinds) -> cause `"kinds"`;
3. `allowedRoutes.namespaces.from` (default `Same`: the namespace of the object that declares the
   listener) must admit the route's namespace; an undecidable selector -> cause
   `"namespace-unknown"`, reason `"Unknown"`;
4. the route hostnames must intersect the listener hostname (routes without hostnames, and
   TCPRoute/UDPRoute, always do) -> cause `"hostname"`.

Causes 1-3 give `NotAllowedByListeners`, 4 gives `NoMatchingListenerHostname` (the spec orders
none of them; a namespace refusal records whether the hostnames intersect all the same,
`hosts_match`, for implementations that check hostnames first). The verdict of a
parentRef is accepted when at least one candidate accepts the route; else undecidable when some
listener's only obstacle is an unknown namespace label; else `NotAllowedByListeners` when no
listener admits the route by kind and namespace, else `NoMatchingListenerHostname`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlint.attachment.conflicts import (HOSTNAME_CONFLICT, PROTOCOL_CONFLICT, ListenerConflict,
                                         find_conflicts)
from gwlint.attachment.hostnames import hostnames_on, route_hostnames
from gwlint.attachment.listeners import PARENT_KINDS, Listener, make_listener
from gwlint.attachment.selectors import listenerset_allowed, namespace_allowed
from gwlint import precedence
from gwlint.model import GATEWAY_GROUP, GATEWAY_X_GROUP, ROUTE_KINDS, ObjKey, Resource, as_list
from gwlint.refs import LISTENERSET_PARENT, PARENT, Ref

if TYPE_CHECKING:
    from gwlint.context import Context

CACHE_KEY = "attachments"

# Reasons (RouteParentStatus Accepted=False) and the undecidable marker.
ACCEPTED = "Accepted"
NO_MATCHING_PARENT = "NoMatchingParent"
NOT_ALLOWED = "NotAllowedByListeners"
NO_MATCHING_HOSTNAME = "NoMatchingListenerHostname"
UNKNOWN = "Unknown"

# Causes of a listener refusing a route (finer than the reason, for messages and rule choice).
CAUSE_PROTOCOL = "protocol"
CAUSE_KINDS = "kinds"
CAUSE_NAMESPACE = "namespace"
CAUSE_NAMESPACE_UNKNOWN = "namespace-unknown"
CAUSE_HOSTNAME = "hostname"


@dataclass(slots=True, eq=False)
class Attachment:
    """The verdict of one candidate listener on one parentRef."""

    ref: Ref
    route: Resource
    listener: Listener
    accepted: bool
    reason: str | None          # None when accepted; NotAllowedByListeners |
    #                             NoMatchingListenerHostname | Unknown (undecidable)
    hostnames: tuple[str, ...]  # effective hostnames (ANY_HOST = any host); () when refused
    cause: str | None = None    # protocol | kinds | namespace | namespace-unknown | hostname
    namespace_ok: bool | None = None  # allowedRoutes.namespaces verdict (None: undecidable)
    # refused for its namespace: whether the route's hostnames intersect the listener's all the
    # same (implementations that check hostnames first report NoMatchingListenerHostname)
    hosts_match: bool | None = None


@dataclass(slots=True, eq=False)
class RefVerdict:
    """What a controller would write in the route's status.parents entry for one parentRef."""

    ref: Ref
    parent: Resource              # the Gateway or ListenerSet named by the parentRef
    listeners: list[Listener]     # every listener of the parent (candidates or not)
    candidates: list[Attachment]  # one per listener selected by sectionName/port
    accepted: bool | None         # None: undecidable (namespace labels unknown)
    reason: str | None            # None when accepted; a route reason, or UNKNOWN

    @property
    def attached(self) -> list[Attachment]:
        return [a for a in self.candidates if a.accepted]


class AttachmentIndex:
    """Listeners of every Gateway/ListenerSet and the verdict of every parentRef, built once."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._own: dict[ObjKey, list[Listener]] = {}          # owner key -> its own listeners
        self._merged: dict[ObjKey, list[Listener]] = {}       # gateway key -> merged listeners
        self._ls_parent: dict[int, Ref] = {}                  # id(listenerset) -> its parentRef
        self._ls_allowed: dict[int, bool | None] = {}         # id(listenerset) -> verdict
        self._verdicts: dict[int, RefVerdict] = {}            # id(ref) -> verdict
        self._by_route: dict[int, list[RefVerdict]] = defaultdict(list)
        self._on_listener: dict[Listener, list[Attachment]] = defaultdict(list)
        self._candidates_of: dict[Listener, list[Attachment]] = defaultdict(list)
        self._conflicts: list[ListenerConflict] | None = None
        self._conflicted: set[Listener] | None = None
        # (listener, namespace) -> allowedRoutes.namespaces verdict: routes of one namespace
        # share it, so a label selector is evaluated once per namespace, not once per route
        self._ns_allowed: dict[tuple[Listener, str | None], bool | None] = {}
        self._build_listeners()
        self._build_attachments()

    # --- construction -------------------------------------------------------------------------
    def _build_listeners(self) -> None:
        ctx = self.ctx
        for gw in ctx.of_kind("Gateway"):
            own = [make_listener(gw, gw, i, raw, True)
                   for i, raw in enumerate(as_list(gw.spec.get("listeners")))]
            self._own[gw.key] = own
            self._merged[gw.key] = list(own)
        for ref in ctx.refs(LISTENERSET_PARENT):
            self._ls_parent[id(ref.source)] = ref
        attached_sets: dict[ObjKey, list[Resource]] = defaultdict(list)
        for ls in self.listenersets():
            parent = self._ls_parent.get(id(ls))
            gateway = None
            if parent is not None and (parent.target.group, parent.target.kind) == (GATEWAY_GROUP,
                                                                                   "Gateway"):
                gateway = ctx.get(parent.target)
            allowed = listenerset_allowed(ctx, gateway, ls) if gateway is not None else None
            self._ls_allowed[id(ls)] = allowed
            self._own[ls.key] = [make_listener(ls, gateway, i, raw, allowed)
                                 for i, raw in enumerate(as_list(ls.spec.get("listeners")))]
            if gateway is not None and allowed:
                attached_sets[gateway.key].append(ls)
        for gw_key, sets in attached_sets.items():
            # precedence after the Gateway: creation time (known timestamps first), then
            # namespace/name ("ListenerSet ordered by creation time (oldest first)")
            for ls in sorted(sets, key=precedence.sort_key):
                self._merged[gw_key].extend(self._own[ls.key])

    def _build_attachments(self) -> None:
        ctx = self.ctx
        for ref in ctx.refs(PARENT):
            route = ref.source
            if route.group != GATEWAY_GROUP or route.kind not in ROUTE_KINDS:
                continue
            if (ref.target.group, ref.target.kind) not in PARENT_KINDS:
                continue
            parent = ctx.get(ref.target)
            if parent is None or ref.target not in self._own:
                continue
            if self._ls_allowed.get(id(parent), True) is False:
                continue  # a ListenerSet its Gateway refuses has no listeners (GW211)
            verdict = self._decide(ref, parent, self._own[ref.target])
            self._verdicts[id(ref)] = verdict
            self._by_route[id(route)].append(verdict)
            for att in verdict.candidates:
                self._candidates_of[att.listener].append(att)
                if att.accepted:
                    self._on_listener[att.listener].append(att)

    def _decide(self, ref: Ref, parent: Resource, listeners: list[Listener]) -> RefVerdict:
        route = ref.source
        candidates = [ls for ls in listeners
                      if (ref.section_name is None or ls.name == ref.section_name)
                      and (ref.port is None or ls.port == ref.port)]
        if not candidates:
            return RefVerdict(ref, parent, listeners, [], False, NO_MATCHING_PARENT)
        hosts = route_hostnames(route)  # once per parentRef, not once per candidate listener
        atts = [self._judge(ref, route, ls, hosts) for ls in candidates]
        if any(a.accepted for a in atts):
            return RefVerdict(ref, parent, listeners, atts, True, None)
        if any(a.reason == UNKNOWN for a in atts):
            return RefVerdict(ref, parent, listeners, atts, None, UNKNOWN)
        if any(a.cause == CAUSE_HOSTNAME for a in atts):
            return RefVerdict(ref, parent, listeners, atts, False, NO_MATCHING_HOSTNAME)
        return RefVerdict(ref, parent, listeners, atts, False, NOT_ALLOWED)

    def _judge(self, ref: Ref, route: Resource, listener: Listener,
               route_hosts: list[tuple[int, str]]) -> Attachment:
        kind = (route.group, route.kind)
        compatible = listener.compatible_kinds
        if compatible is not None and kind not in compatible:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_PROTOCOL)
        if compatible is not None and kind not in listener.allowed_kinds:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_KINDS)
        if compatible is None and listener.kinds_explicit and kind not in listener.allowed_kinds:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_KINDS)
        ns_key = (listener, route.namespace)
        try:
            ns_ok = self._ns_allowed[ns_key]
        except KeyError:
            ns_ok = self._ns_allowed[ns_key] = namespace_allowed(self.ctx, listener,
                                                                 route.namespace)
        hosts = hostnames_on(listener, route_hosts)
        if ns_ok is False:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_NAMESPACE,
                              ns_ok, bool(hosts))
        if not hosts:
            # refused whatever the namespace labels are: a certain refusal
            return Attachment(ref, route, listener, False, NO_MATCHING_HOSTNAME, (),
                              CAUSE_HOSTNAME, ns_ok)
        if ns_ok is None:
            return Attachment(ref, route, listener, False, UNKNOWN, hosts,
                              CAUSE_NAMESPACE_UNKNOWN, ns_ok)
        return Attachment(ref, route, listener, True, None, hosts, None, ns_ok)

    # --- queries ------------------------------------------------------------------------------
    def listenersets(self) -> Iterator[Resource]:
        yield from self.ctx.of_kind("ListenerSet")
        yield from self.ctx.of_kind("XListenerSet", GATEWAY_X_GROUP)

    def own_listeners(self, owner: Resource) -> list[Listener]:
        """The listeners declared in owner.spec.listeners (Gateway or ListenerSet)."""
        return self._own.get(owner.key, [])

    def listeners(self, gateway: Resource) -> list[Listener]:
        """The Gateway's own listeners followed by those of its allowed ListenerSets."""
        return self._merged.get(gateway.key, [])

    def all_listeners(self) -> list[Listener]:
        """Every listener of every Gateway and ListenerSet (allowed or not)."""
        return [ls for own in self._own.values() for ls in own]

    def listenerset_parent(self, listenerset: Resource) -> Ref | None:
        return self._ls_parent.get(id(listenerset))

    def listenerset_allowed(self, listenerset: Resource) -> bool | None:
        """True/False: the parent Gateway (in the repo) admits it or not; None: undecidable or
        the Gateway is not in the linted set."""
        return self._ls_allowed.get(id(listenerset))

    def verdict(self, ref: Ref) -> RefVerdict | None:
        """The verdict of a parentRef (None: not a Gateway/ListenerSet parent in the repo)."""
        return self._verdicts.get(id(ref))

    def verdicts(self) -> Iterator[RefVerdict]:
        yield from self._verdicts.values()

    def of_route(self, route: Resource) -> list[RefVerdict]:
        """Verdicts of the route's parentRefs that name a Gateway/ListenerSet in the repo."""
        return self._by_route.get(id(route), [])

    def for_ref(self, ref: Ref) -> list[Attachment]:
        """Every candidate listener of a parentRef with its verdict ([] for NoMatchingParent)."""
        v = self._verdicts.get(id(ref))
        return v.candidates if v else []

    def accepted(self) -> Iterator[Attachment]:
        for v in self._verdicts.values():
            for att in v.candidates:
                if att.accepted:
                    yield att

    def on_listener(self, listener: Listener) -> list[Attachment]:
        """Accepted attachments of a listener."""
        return self._on_listener.get(listener, [])

    def conflicts(self, reason: str | None = None) -> list[ListenerConflict]:
        """Listener conflicts of every Gateway's merged listener list (computed on first use):
        ProtocolConflict, HostnameConflict (Conflicted=True) and OverlappingHostnames
        (OverlappingTLSConfig=True); filter by `reason`."""
        if self._conflicts is None:
            self._conflicts = find_conflicts(self.ctx.of_kind("Gateway"), self.listeners)
        return [c for c in self._conflicts if reason is None or c.reason == reason]

    def conflicted(self, listener: Listener) -> bool:
        """Whether the listener is Conflicted=True (not accepted): protocol/hostname conflict."""
        if self._conflicted is None:
            self._conflicted = {c.listener for c in self.conflicts()
                                if c.reason in (PROTOCOL_CONFLICT, HOSTNAME_CONFLICT)}
        return listener in self._conflicted

    def candidates_on(self, listener: Listener) -> list[Attachment]:
        """Every attachment (accepted or not) that names this listener as a candidate."""
        return self._candidates_of.get(listener, [])



def index(ctx: Context) -> AttachmentIndex:
    """The run's AttachmentIndex (built on first use, cached in ctx.cache["attachments"])."""
    idx = ctx.cache.get(CACHE_KEY)
    if idx is None:
        idx = ctx.cache[CACHE_KEY] = AttachmentIndex(ctx)
    return idx


def listeners(ctx: Context, gateway: Resource) -> list[Listener]:
    """The Gateway's own listeners followed by those of the ListenerSets it admits."""
    return index(ctx).listeners(gateway)
