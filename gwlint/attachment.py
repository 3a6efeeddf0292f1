"""Listeners and route attachment, modelled once per run and shared by every rule that needs them.

This is the linter's version of the part of a Gateway API controller that decides, for each
parentRef of each route, which listeners the route attaches to. It follows the CRD field
descriptions of Gateway API v1.6 (the spec) to the letter:

* **Listeners of a Gateway** (`listeners(ctx, gateway)`): the Gateway's own `spec.listeners`
  followed by those of every ListenerSet whose `spec.parentRef` is the Gateway *and* that the
  Gateway's `spec.allowedListeners.namespaces` admits (default `None`: no ListenerSet at all).
  That is the "merged list" a controller programs, in the spec's precedence order (the Gateway
  first; ListenerSets by creation time, which Git cannot know, then by "namespace/name").
* **Candidate listeners of a parentRef**: a parentRef to a Gateway selects the Gateway's *own*
  listeners (a route attaches to a ListenerSet's listeners by naming the ListenerSet as its
  parent); a parentRef to a ListenerSet selects that ListenerSet's listeners. `sectionName`
  selects the listener by name, `port` by port; when both are set both must match; with neither
  every listener is a candidate. No candidate -> `Accepted=False NoMatchingParent`.
* **Per candidate listener**, in the order a controller checks them:
  1. the route kind must be served by the listener protocol (HTTP/HTTPS: HTTPRoute, GRPCRoute;
     TLS: TLSRoute, and TCPRoute; TCP: TCPRoute; UDP: UDPRoute) -> cause `"protocol"`;
  2. the route kind must be in `allowedRoutes.kinds` (when given; otherwise the protocol's
     default kinds) -> cause `"kinds"`;
  3. `allowedRoutes.namespaces.from` (default `Same`; `Same` is the namespace of the object that
     declares the listener, Gateway or ListenerSet) must admit the route's namespace. `Selector`
     is evaluated against the labels of the Namespace object of the same scope plus the implicit
     `kubernetes.io/metadata.name=<name>`; when the selector needs a label of a namespace that
     has no Namespace object in the linted set the result is undecidable -> cause
     `"namespace-unknown"`, reason `"Unknown"`;
  4. the route hostnames must intersect the listener hostname (routes without hostnames, and
     TCPRoute/UDPRoute, always do) -> cause `"hostname"`.
  Causes 1-3 give `NotAllowedByListeners`, 4 gives `NoMatchingListenerHostname`.
* **Verdict of a parentRef** (`AttachmentIndex.verdict(ref)`): accepted when at least one
  candidate listener accepts the route (the spec: "If 1 of 2 Gateway listeners accept
  attachment from the referencing Route, the Route MUST be considered successfully attached");
  else undecidable (`accepted is None`, reason `"Unknown"`) when some listener's only obstacle
  is an unknown namespace label; else `NotAllowedByListeners` when no listener admits the route
  by kind and namespace, else `NoMatchingListenerHostname`.

Hostnames convention (`Attachment.hostnames`): the effective hostnames the route serves on the
listener, per the spec's intersection rules; `ANY_HOST` (`"*"`, which is not a valid hostname so
it can never be confused with one) stands for "any host": neither the listener nor the route
names a hostname, or the route kind has no hostnames (TCPRoute, UDPRoute). It is a normal
tuple element so that code indexing by hostname does not silently skip such routes. An
attachment that is not accepted because of hostnames has `hostnames == ()`.

Listener conflicts (`AttachmentIndex.conflicts()`), per Gateway over its merged listener list:
`ProtocolConflict` when HTTP, TLS-based (HTTPS/TLS) and TCP listeners share a port, or an HTTPS
and a TLS listener share port and hostname; `HostnameConflict` when listeners of different
owners (Gateway/ListenerSets) share port, protocol and hostname (no hostname is a value);
`OverlappingHostnames` (condition OverlappingTLSConfig) when TLS-terminating listeners on one
port have hostnames some request host matches both. Inside one owner every conflicting listener
is conflicted; across owners only the one merged later (the Gateway first, then ListenerSets).
Duplicates inside one owner are CEL errors and left to the schema stage.

Only parentRefs whose target Gateway/ListenerSet is in the linted set get a verdict: without the
listeners there is nothing to decide (GW101 reports missing parents). Nor do parentRefs to a
ListenerSet that its Gateway refuses (`allowedListeners`): its listeners are not programmed at
all (GW211 reports that).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwlint.model import (CORE_GROUP, GATEWAY_GROUP, GATEWAY_X_GROUP, ROUTE_KINDS, ObjKey,
                          Resource, as_dict, as_list, as_str)
from gwlint.refs import LISTENERSET_PARENT, PARENT, Ref

if TYPE_CHECKING:
    from gwlint.context import Context

CACHE_KEY = "attachments"
ANY_HOST = "*"
NAME_LABEL = "kubernetes.io/metadata.name"

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

_HTTP_KINDS = ((GATEWAY_GROUP, "HTTPRoute"), (GATEWAY_GROUP, "GRPCRoute"))
# protocol -> (default kinds when allowedRoutes.kinds is empty, every kind the protocol can serve)
_PROTOCOL_KINDS: dict[str, tuple[tuple, tuple]] = {
    "HTTP": (_HTTP_KINDS, _HTTP_KINDS),
    "HTTPS": (_HTTP_KINDS, _HTTP_KINDS),
    # TLSRoute in both modes (Terminate is Extended); "If you need to forward traffic to a single
    # target for a TLS listener, you could choose to use a TCPRoute with a TLS listener."
    "TLS": (((GATEWAY_GROUP, "TLSRoute"),),
            ((GATEWAY_GROUP, "TLSRoute"), (GATEWAY_GROUP, "TCPRoute"))),
    "TCP": (((GATEWAY_GROUP, "TCPRoute"),), ((GATEWAY_GROUP, "TCPRoute"),)),
    "UDP": (((GATEWAY_GROUP, "UDPRoute"),), ((GATEWAY_GROUP, "UDPRoute"),)),
}
# Route kinds whose spec.hostnames take part in listener hostname intersection.
HOSTNAME_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute"})
PARENT_KINDS = frozenset({(GATEWAY_GROUP, "Gateway"), (GATEWAY_GROUP, "ListenerSet"),
                          (GATEWAY_X_GROUP, "XListenerSet")})


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --- listeners --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True, eq=False)
class Listener:
    """One listener of a Gateway or ListenerSet (identity semantics: hashable, usable as a key)."""

    owner: Resource            # the Gateway or ListenerSet that declares it
    gateway: Resource | None   # the Gateway it belongs to (a ListenerSet's parent if in the repo)
    index: int                 # index in owner.spec.listeners
    name: str
    port: int | None
    protocol: str
    hostname: str | None       # None: no hostname (matches every host)
    path: tuple                # ("spec", "listeners", index) in owner.body
    allowed_from: str          # Same | All | Selector (default Same)
    selector: dict | None      # the label selector when allowed_from == "Selector"
    allowed_kinds: tuple[tuple[str, str], ...]  # explicit kinds, or the protocol's default kinds
    kinds_explicit: bool = False  # allowedRoutes.kinds was given (non-empty)
    tls_mode: str | None = None   # Terminate | Passthrough for HTTPS/TLS, else None
    attached: bool | None = True  # Gateway listener: True; ListenerSet: allowed by its Gateway?

    @property
    def from_listenerset(self) -> bool:
        return self.owner.kind != "Gateway"

    @property
    def protocol_known(self) -> bool:
        """A core protocol whose route kinds the spec defines (custom protocols are not judged)."""
        return self.protocol in _PROTOCOL_KINDS

    @property
    def compatible_kinds(self) -> tuple[tuple[str, str], ...] | None:
        """Every route (group, kind) the protocol can serve; None for custom protocols."""
        entry = _PROTOCOL_KINDS.get(self.protocol)
        return entry[1] if entry else None

    @property
    def supported_kinds(self) -> tuple[tuple[str, str], ...] | None:
        """status.supportedKinds: allowed kinds the protocol can serve (None: custom protocol)."""
        compatible = self.compatible_kinds
        if compatible is None:
            return None
        return tuple(k for k in self.allowed_kinds if k in compatible)

    @property
    def hostname_path(self) -> tuple:
        return self.path + ("hostname",)

    @property
    def allowed_routes_path(self) -> tuple:
        return self.path + ("allowedRoutes",)

    def label(self) -> str:
        """"listener 'https' of Gateway infra/web" (for messages)."""
        return f"listener '{self.name}' of {self.owner.label()}"

    def describe(self) -> str:
        """"'https' (443/HTTPS, *.example.com)" (for hints listing listeners)."""
        host = self.hostname or "any host"
        return f"'{self.name}' ({self.port}/{self.protocol}, {host})"


def _listener(owner: Resource, gateway: Resource | None, index: int, raw: Any,
              attached: bool | None) -> Listener:
    item = as_dict(raw)
    protocol = as_str(item.get("protocol"), "") or ""
    allowed = as_dict(item.get("allowedRoutes"))
    namespaces = as_dict(allowed.get("namespaces"))
    allowed_from = as_str(namespaces.get("from"), "Same") or "Same"
    selector = namespaces.get("selector")
    kinds = []
    for k in as_list(allowed.get("kinds")):
        k = as_dict(k)
        kind = as_str(k.get("kind"))
        if kind:
            kinds.append((as_str(k.get("group"), GATEWAY_GROUP), kind))
    explicit = bool(kinds)
    if not explicit:
        entry = _PROTOCOL_KINDS.get(protocol)
        kinds = list(entry[0]) if entry else []
    tls_mode = None
    if protocol in ("HTTPS", "TLS"):
        tls_mode = as_str(as_dict(item.get("tls")).get("mode"), "Terminate") or "Terminate"
    return Listener(owner=owner, gateway=gateway, index=index,
                    name=as_str(item.get("name"), "") or "", port=_int(item.get("port")),
                    protocol=protocol, hostname=as_str(item.get("hostname")) or None,
                    path=("spec", "listeners", index), allowed_from=allowed_from,
                    selector=selector if isinstance(selector, dict) else None,
                    allowed_kinds=tuple(kinds), kinds_explicit=explicit, tls_mode=tls_mode,
                    attached=attached)


# --- hostnames --------------------------------------------------------------------------------
def _any(host: str | None) -> bool:
    return not host or host == ANY_HOST


def hostname_intersection(listener_host: str | None, route_host: str) -> str | None:
    """The hostname both match, per the spec's rules, or None when they do not intersect.

    `*.example.com` is a suffix match: it matches `test.example.com` and `foo.test.example.com`
    but not `example.com`. A listener without hostname (None, "" or ANY_HOST) matches every route
    hostname; two wildcards intersect in the more specific one (`*.example.com` and
    `*.foo.example.com` -> `*.foo.example.com`).
    """
    if _any(listener_host):
        return route_host
    if _any(route_host):
        return listener_host
    lh, rh = listener_host.lower(), route_host.lower()  # type: ignore[union-attr]
    if lh == rh:
        return listener_host
    l_wild, r_wild = lh.startswith("*."), rh.startswith("*.")
    if l_wild and r_wild:
        if rh[1:].endswith(lh[1:]):
            return route_host
        if lh[1:].endswith(rh[1:]):
            return listener_host
        return None
    if l_wild:
        return route_host if rh.endswith(lh[1:]) else None
    if r_wild:
        return listener_host if lh.endswith(rh[1:]) else None
    return None


def hostnames_overlap(a: str | None, b: str | None) -> bool:
    """Whether some request host matches both (None/""/ANY_HOST match everything)."""
    if _any(a) or _any(b):
        return True
    return hostname_intersection(a, b) is not None  # type: ignore[arg-type]


_HOSTNAME_RE = re.compile(
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def valid_hostname(host: str) -> bool:
    """The API's Hostname pattern (the schema stage reports the others; the API server would
    reject the object, so attachment rules stay silent about them)."""
    return len(host) <= 253 and _HOSTNAME_RE.match(host) is not None


def route_hostnames(route: Resource) -> list[tuple[int, str]]:
    """(index, hostname) of a route's spec.hostnames (only for kinds that have hostnames)."""
    if route.kind not in HOSTNAME_KINDS:
        return []
    return [(i, h) for i, h in enumerate(as_list(route.spec.get("hostnames")))
            if isinstance(h, str) and h]


def effective_hostnames(listener: Listener, route: Resource) -> tuple[str, ...]:
    """The hostnames `route` serves on `listener` (see the module docstring for ANY_HOST)."""
    hosts = route_hostnames(route)
    if not hosts:
        return (listener.hostname or ANY_HOST,)
    out: dict[str, None] = {}
    for _, h in hosts:
        hit = hostname_intersection(listener.hostname, h)
        if hit is not None:
            out[hit] = None
    return tuple(out)


# --- label selectors --------------------------------------------------------------------------
def namespace_labels(ctx: "Context", scope: str, namespace: str | None) -> dict[str, str] | None:
    """Labels of a namespace (with the implicit name label), or None when no Namespace object is
    in the linted set (then only `kubernetes.io/metadata.name` is known)."""
    table = ctx.cache.get("namespace-labels")
    if table is None:
        table = {}
        for ns in ctx.of_kind("Namespace", CORE_GROUP):
            labels = {k: v for k, v in as_dict(ns.metadata.get("labels")).items()
                      if isinstance(k, str) and isinstance(v, str)}
            labels[NAME_LABEL] = ns.name
            table[(ns.scope, ns.name)] = labels
        ctx.cache["namespace-labels"] = table
    return table.get((scope, namespace))


def selector_matches(selector: dict | None, namespace: str | None,
                     labels: dict[str, str] | None) -> bool | None:
    """Evaluate a metav1.LabelSelector on a namespace: True, False, or None (undecidable because
    `labels` is None and a requirement needs a label other than kubernetes.io/metadata.name).

    A missing selector matches nothing (LabelSelectorAsSelector(nil) is labels.Nothing()); an
    empty one matches everything. An invalid operator makes the selector undecidable.
    """
    if selector is None:
        return False
    known = labels if labels is not None else {NAME_LABEL: namespace or ""}
    results: list[bool | None] = []
    for key, value in as_dict(selector.get("matchLabels")).items():
        results.append(_requirement(known, labels is not None, key, "In", [value]))
    for expr in as_list(selector.get("matchExpressions")):
        expr = as_dict(expr)
        values = [v for v in as_list(expr.get("values")) if isinstance(v, str)]
        results.append(_requirement(known, labels is not None, as_str(expr.get("key"), ""),
                                    as_str(expr.get("operator"), ""), values))
    if False in results:
        return False
    if None in results:
        return None
    return True


def _requirement(labels: dict[str, str], complete: bool, key: Any, op: str,
                 values: list) -> bool | None:
    if not isinstance(key, str):
        return None
    if key not in labels and not complete and key != NAME_LABEL:
        return None
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    return None


def selector_uses_unknown_labels(selector: dict | None) -> list[str]:
    """Label keys of a selector other than the implicit name label (for hints)."""
    sel = as_dict(selector)
    keys = [k for k in as_dict(sel.get("matchLabels")) if isinstance(k, str)]
    keys += [as_str(as_dict(e).get("key"), "") for e in as_list(sel.get("matchExpressions"))]
    return [k for k in dict.fromkeys(keys) if k and k != NAME_LABEL]


def namespace_allowed(ctx: "Context", listener: Listener, namespace: str | None) -> bool | None:
    """Whether the listener's allowedRoutes.namespaces admits `namespace` (None: undecidable)."""
    if listener.allowed_from == "All":
        return True
    if listener.allowed_from == "Same":
        return namespace == listener.owner.namespace
    if listener.allowed_from == "Selector":
        labels = namespace_labels(ctx, listener.owner.scope, namespace)
        return selector_matches(listener.selector, namespace, labels)
    return None


def listenerset_allowed(ctx: "Context", gateway: Resource, listenerset: Resource) -> bool | None:
    """Whether the Gateway's spec.allowedListeners admits the ListenerSet (default None: no)."""
    namespaces = as_dict(as_dict(gateway.spec.get("allowedListeners")).get("namespaces"))
    from_ = as_str(namespaces.get("from"), "None") or "None"
    if from_ == "None":
        return False
    if from_ == "All":
        return True
    if from_ == "Same":
        return listenerset.namespace == gateway.namespace
    if from_ == "Selector":
        selector = namespaces.get("selector")
        labels = namespace_labels(ctx, gateway.scope, listenerset.namespace)
        return selector_matches(selector if isinstance(selector, dict) else None,
                                listenerset.namespace, labels)
    return None


# --- attachments ------------------------------------------------------------------------------
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

    def __init__(self, ctx: "Context") -> None:
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
        self._build_listeners()
        self._build_attachments()

    # --- construction -------------------------------------------------------------------------
    def _build_listeners(self) -> None:
        ctx = self.ctx
        for gw in ctx.of_kind("Gateway"):
            own = [_listener(gw, gw, i, raw, True)
                   for i, raw in enumerate(as_list(gw.spec.get("listeners")))]
            self._own[gw.key] = own
            self._merged[gw.key] = list(own)
        for ref in ctx.refs(LISTENERSET_PARENT):
            self._ls_parent[id(ref.source)] = ref
        attached_sets: dict[ObjKey, list[Resource]] = defaultdict(list)
        for ls in self.listenersets():
            ref = self._ls_parent.get(id(ls))
            gateway = None
            if ref is not None and (ref.target.group, ref.target.kind) == (GATEWAY_GROUP,
                                                                             "Gateway"):
                gateway = ctx.get(ref.target)
            allowed = listenerset_allowed(ctx, gateway, ls) if gateway is not None else None
            self._ls_allowed[id(ls)] = allowed
            self._own[ls.key] = [_listener(ls, gateway, i, raw, allowed)
                                 for i, raw in enumerate(as_list(ls.spec.get("listeners")))]
            if gateway is not None and allowed:
                attached_sets[gateway.key].append(ls)
        for gw_key, sets in attached_sets.items():
            # precedence after the Gateway: creation time (unknown here), then namespace/name
            for ls in sorted(sets, key=lambda r: (r.namespace or "", r.name)):
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
        atts = [self._judge(ref, route, ls) for ls in candidates]
        if any(a.accepted for a in atts):
            return RefVerdict(ref, parent, listeners, atts, True, None)
        if any(a.reason == UNKNOWN for a in atts):
            return RefVerdict(ref, parent, listeners, atts, None, UNKNOWN)
        if any(a.cause == CAUSE_HOSTNAME for a in atts):
            return RefVerdict(ref, parent, listeners, atts, False, NO_MATCHING_HOSTNAME)
        return RefVerdict(ref, parent, listeners, atts, False, NOT_ALLOWED)

    def _judge(self, ref: Ref, route: Resource, listener: Listener) -> Attachment:
        kind = (route.group, route.kind)
        compatible = listener.compatible_kinds
        if compatible is not None and kind not in compatible:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_PROTOCOL)
        if compatible is not None and kind not in listener.allowed_kinds:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_KINDS)
        if compatible is None and listener.kinds_explicit and kind not in listener.allowed_kinds:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_KINDS)
        ns_ok = namespace_allowed(self.ctx, listener, route.namespace)
        if ns_ok is False:
            return Attachment(ref, route, listener, False, NOT_ALLOWED, (), CAUSE_NAMESPACE,
                              ns_ok)
        hosts = effective_hostnames(listener, route)
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
            self._conflicts = _conflicts(self)
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


# --- listener conflicts -----------------------------------------------------------------------
PROTOCOL_CONFLICT = "ProtocolConflict"
HOSTNAME_CONFLICT = "HostnameConflict"
OVERLAPPING_HOSTNAMES = "OverlappingHostnames"

# Listeners of these classes cannot share a port: plaintext HTTP, TLS (HTTPS and TLS share the
# TLS handshake and are told apart by SNI, which the spec allows when their hostnames differ),
# raw TCP. UDP is another transport and shares ports with all of them.
_PROTOCOL_CLASS = {"HTTP": "http", "HTTPS": "tls", "TLS": "tls", "TCP": "tcp"}


@dataclass(slots=True, eq=False)
class ListenerConflict:
    """`listener` is rejected (Conflicted=True `reason`, or OverlappingTLSConfig=True) because of
    `other`. `order_dependent`: both are ListenerSet listeners, so which one loses depends on the
    ListenerSets' creation times (the older one wins), which Git cannot know."""

    reason: str                # ProtocolConflict | HostnameConflict | OverlappingHostnames
    listener: Listener
    other: Listener
    gateway: Resource
    order_dependent: bool = False


def _owners_in_order(merged: list[Listener]) -> list[list[Listener]]:
    """The merged listener list split per owner, in precedence order."""
    groups: list[list[Listener]] = []
    for ls in merged:
        if groups and groups[-1][0].owner is ls.owner:
            groups[-1].append(ls)
        else:
            groups.append([ls])
    return groups


def _protocol_conflicts(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """Listeners of one port whose protocols cannot share it: HTTP, TLS-based (HTTPS/TLS) and
    TCP exclude each other; HTTPS and TLS coexist when SNI tells them apart, i.e. unless they
    have the same hostname (both without hostname included: conformance test
    GatewayListenerProtocolAndRouteKindConflicts). Inside one owner every such listener is
    conflicted (the spec: no winner); across owners only the lower-precedence one."""
    seen: dict[tuple, Listener] = {}  # (port, class) and (port, protocol, host) -> first listener
    for group in _owners_in_order(merged):
        own: dict[tuple, Listener] = {}
        for ls in group:
            cls = _PROTOCOL_CLASS.get(ls.protocol)
            if cls is not None:
                own.setdefault((ls.port, cls), ls)
                if cls == "tls":
                    own.setdefault((ls.port, ls.protocol, ls.hostname or ""), ls)
        for ls in group:
            cls = _PROTOCOL_CLASS.get(ls.protocol)
            if cls is None:
                continue
            keys = [(ls.port, c) for c in ("http", "tls", "tcp") if c != cls]
            if cls == "tls":
                twin = "TLS" if ls.protocol == "HTTPS" else "HTTPS"
                keys.append((ls.port, twin, ls.hostname or ""))
            for key in keys:
                other = own.get(key) or seen.get(key)
                if other is not None:
                    yield ListenerConflict(PROTOCOL_CONFLICT, ls, other, gateway,
                                           other.owner is not ls.owner and ls.from_listenerset
                                           and other.from_listenerset)
                    break
        for key, ls in own.items():
            seen.setdefault(key, ls)


def _hostname_conflicts(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """Same port, protocol and hostname (no hostname counts as a value) in different owners: the
    lower-precedence listener is conflicted. Duplicates inside one owner are a CEL error."""
    first: dict[tuple, Listener] = {}
    for ls in merged:
        key = (ls.port, ls.protocol, ls.hostname or "")
        other = first.get(key)
        if other is None:
            first[key] = ls
        elif other.owner is not ls.owner:
            yield ListenerConflict(HOSTNAME_CONFLICT, ls, other, gateway,
                                   ls.from_listenerset and other.from_listenerset)


def _terminates_tls(ls: Listener) -> bool:
    return ls.protocol == "HTTPS" or (ls.protocol == "TLS" and ls.tls_mode == "Terminate")


def _overlapping_tls(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """TLS-terminating listeners (HTTPS, TLS Terminate) of one port whose hostnames overlap: a
    wildcard that covers another listener's hostname, or a listener without hostname. Identical
    hostnames of one protocol are a HostnameConflict instead. Indexed by hostname suffix."""
    by_port: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in merged:
        if _terminates_tls(ls):
            by_port[ls.port].append(ls)
    for group in by_port.values():
        if len(group) < 2:
            continue
        exact: dict[str, list[Listener]] = defaultdict(list)
        wild: dict[str, list[Listener]] = defaultdict(list)   # "example.com" for *.example.com
        under: dict[str, list[Listener]] = defaultdict(list)  # proper DNS suffix -> listeners
        anyhost: list[Listener] = []
        for ls in group:
            h = (ls.hostname or "").lower()
            if not h:
                anyhost.append(ls)
                continue
            domain = h[2:] if h.startswith("*.") else h
            (wild if h.startswith("*.") else exact)[domain].append(ls)
            labels = domain.split(".")
            for i in range(1, len(labels)):
                under[".".join(labels[i:])].append(ls)
        for ls in group:
            partner = _overlap_partner(ls, group, exact, wild, under, anyhost)
            if partner is not None:
                yield ListenerConflict(OVERLAPPING_HOSTNAMES, ls, partner, gateway)


def _overlap_partner(ls: Listener, group: list[Listener], exact: dict, wild: dict, under: dict,
                     anyhost: list[Listener]) -> Listener | None:
    def pick(cands: Iterable[Listener]) -> Listener | None:
        for c in cands:
            if c is not ls and not (c.protocol == ls.protocol
                                    and (c.hostname or "") == (ls.hostname or "")):
                return c
        return None

    h = (ls.hostname or "").lower()
    if not h:
        return pick(group)
    is_wild = h.startswith("*.")
    domain = h[2:] if is_wild else h
    hit = pick(anyhost) or (None if is_wild else pick(exact.get(h, ())))
    if hit:
        return hit
    labels = domain.split(".")
    for i in range(0 if is_wild else 1, len(labels)):  # wildcards covering this hostname
        hit = pick(wild.get(".".join(labels[i:]), ()))
        if hit:
            return hit
    if is_wild:  # hostnames and narrower wildcards under this wildcard
        return pick(under.get(domain, ()))
    return None


def _conflicts(idx: "AttachmentIndex") -> list[ListenerConflict]:
    out: list[ListenerConflict] = []
    for gw in idx.ctx.of_kind("Gateway"):
        merged = idx.listeners(gw)
        conflicts = list(_protocol_conflicts(gw, merged)) + list(_hostname_conflicts(gw, merged))
        out.extend(conflicts)
        # conflicted listeners are not accepted: they neither have nor cause overlapping TLS
        rejected = {c.listener for c in conflicts}
        out.extend(_overlapping_tls(gw, [ls for ls in merged if ls not in rejected]))
    return out


# --- helpers for rules ------------------------------------------------------------------------
def is_defaulted(res: Resource, path: tuple) -> bool:
    """Whether `path` (or an ancestor) was added by CRD defaulting, i.e. not written by the user."""
    return any(tuple(path[:n]) in res.defaulted for n in range(1, len(path) + 1))


def listener_related(listener: Listener, message: str | None = None, path: tuple | None = None):
    """A findings.Related pointing at a listener (default: its list item)."""
    from gwlint.findings import Related

    return Related(message or listener.label(), listener.owner,
                   listener.path if path is None else path)


def kind_names(kinds: Iterable[tuple[str, str]]) -> str:
    """"HTTPRoute, GRPCRoute" (group shown only when not gateway.networking.k8s.io)."""
    names = [k if g == GATEWAY_GROUP else f"{k}.{g}" if g else k for g, k in kinds]
    return ", ".join(names) if names else "none"


def index(ctx: "Context") -> AttachmentIndex:
    """The run's AttachmentIndex (built on first use, cached in ctx.cache["attachments"])."""
    idx = ctx.cache.get(CACHE_KEY)
    if idx is None:
        idx = ctx.cache[CACHE_KEY] = AttachmentIndex(ctx)
    return idx


def listeners(ctx: "Context", gateway: Resource) -> list[Listener]:
    """The Gateway's own listeners followed by those of the ListenerSets it admits."""
    return index(ctx).listeners(gateway)


def by_port(items: Iterable[Listener]) -> dict[int | None, list[Listener]]:
    """Group listeners by port (helper for conflict rules)."""
    out: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in items:
        out[ls.port].append(ls)
    return out


__all__ = ["ANY_HOST", "Attachment", "AttachmentIndex", "Listener", "ListenerConflict",
           "RefVerdict",
           "hostname_intersection", "hostnames_overlap", "index", "listeners",
           "namespace_allowed", "selector_matches", "effective_hostnames", "by_port"]


def _selector_text(selector: dict | None) -> str:
    if selector is None:
        return "no selector (matches nothing)"
    parts = [f"{k}={v}" for k, v in as_dict(selector.get("matchLabels")).items()]
    for e in as_list(selector.get("matchExpressions")):
        e = as_dict(e)
        values = ",".join(str(v) for v in as_list(e.get("values")))
        op = as_str(e.get("operator"), "")
        parts.append(f"{e.get('key')} {op} ({values})" if values else f"{e.get('key')} {op}")
    return "{" + ", ".join(parts) + "}" if parts else "{} (matches every namespace)"


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
            return (f"listener '{ls.name}' selector {_selector_text(ls.selector)} {verb} "
                    f"namespace '{route.namespace}'")
        return f"listener '{ls.name}' does not admit namespace '{route.namespace}'"
    if att.cause == CAUSE_HOSTNAME:
        return (f"listener '{ls.name}' hostname '{ls.hostname}' intersects none of the route "
                "hostnames")
    return f"listener '{ls.name}' accepts the route"
