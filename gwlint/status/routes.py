"""Route status: one `status.parents[]` entry per parentRef a controller writes, with Accepted and
ResolvedRefs (`shared_types.go` RouteConditionType/RouteConditionReason).

* No entry for a parent that does not exist ("parent references that cannot be resolved by an
  implementation of this API will not be added to this list", RouteStatus.parents), nor for a
  Gateway no controller reconciles (its GatewayClass is missing). A parent declared external
  (`--assume-exists`) gets an entry whose Accepted is Unknown.
* Accepted: the AttachmentIndex verdict of the parentRef (sectionName/port, then per listener:
  kind, allowedRoutes.namespaces, hostname intersection; one accepting listener is enough),
  re-judged where the status model's listener kinds differ from the index (TLS Terminate serves
  TCPRoute by default, TLS Passthrough only TLSRoute, core protocols case-insensitive):
  True Accepted, False NoMatchingParent [HTTPRouteInvalidParentRefNotMatchingSectionName,
  ...NotMatchingListenerPort, ListenerSetDualParentRefIndependence], False NotAllowedByListeners
  [HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteDisallowedKind,
  GatewayListenerProtocolAndRouteKindConflicts], False NoMatchingListenerHostname
  [HTTPRouteHostnameIntersection], Unknown when a namespace selector needs a label of a
  Namespace that is not in the files. Listener status does not matter ("Listener or Route status
  does not impact successful attachment"): a route on a conflicted or unresolved listener is
  still accepted and counted [GatewayWithAttachedRoutes].
* HTTPRoute vs GRPCRoute on one listener with intersecting hostnames: "the implementation MUST
  accept exactly one of these two routes ... The oldest Route based on creation timestamp ...
  alphabetical order by {namespace}/{name}. The rejected Route MUST raise an 'Accepted'
  condition with a status of 'False'" (GRPCRouteSpec.hostnames). The spec names no reason; the
  implementations that enforce it write `HostnameConflict` (istio/istio#59204,
  traefik/traefik#13421), so basis `implementation`. Without creationTimestamps: Unknown.
* A parentRef to a ListenerSet its Gateway does not admit: the spec names no reason; gwlint
  writes NotAllowedByListeners (basis `implementation`: no listener of that parent admits it).
* ResolvedRefs is written whatever Accepted says [HTTPRouteInvalidCrossNamespaceParentRef
  expects ResolvedRefs=True on a not-accepted route]: the first backendRef (or RequestMirror
  backendRef) in document order that does not resolve decides it (see `refcheck.backend_ref`):
  False InvalidKind [HTTPRouteInvalidBackendRefUnknownKind], RefNotPermitted
  [HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRoutePartiallyInvalidViaInvalidReferenceGrant
  (Accepted stays True), TLSRouteInvalidReferenceGrant], BackendNotFound
  [HTTPRouteInvalidNonExistentBackendRef]; Unknown when a target namespace is in no file.
* PartiallyInvalid is not predicted: it is set when an implementation drops invalid rules, and
  the rule defects that would make it so are rejected by the API server's CEL rules first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import (
    CAUSE_HOSTNAME,
    CAUSE_KINDS,
    CAUSE_NAMESPACE,
    CAUSE_NAMESPACE_UNKNOWN,
    CAUSE_PROTOCOL,
)
from gwlint.model import GATEWAY_GROUP, ROUTE_KINDS, Resource
from gwlint.refs import BACKEND, MIRROR, PARENT, Ref
from gwlint.rules._routes import HostIndex
from gwlint.status import conditions as C
from gwlint.status import precedence
from gwlint.status import profiles as P
from gwlint.status.conditions import Cause, Condition
from gwlint.status.model import ObjectStatus, ParentStatus
from gwlint.status.refcheck import RefProblem, backend_ref

if TYPE_CHECKING:
    from gwlint.attachment import Attachment, Listener
    from gwlint.context import Context
    from gwlint.status.gateways import Controller, ListenerJudge

HTTP_GRPC = ("HTTPRoute", "GRPCRoute")
LISTENERSET_KINDS = ("ListenerSet", "XListenerSet")


@dataclass(slots=True, eq=False)
class Judged:
    """One candidate listener's verdict on one parentRef, after re-judging."""

    listener: Listener
    state: bool | None          # accepted / refused / undecidable
    reason: str | None          # route reason when refused
    cause: str | None           # attachment CAUSE_* (finer than the reason)
    hosts: tuple[str, ...] = ()


@dataclass(slots=True, eq=False)
class Pending:
    """A parentRef being decided: its entry and the listeners that accept it."""

    ref: Ref
    entry: ParentStatus
    profile: P.Profile
    judged: list[Judged] = field(default_factory=list)
    lost: dict[Listener, bool] = field(default_factory=dict)  # listener -> decided?
    contested: set = field(default_factory=set)               # won, but undecidably


class RouteJudge:
    """Decides the status of every route, and the attachedRoutes of every listener."""

    def __init__(self, ctx: Context, idx: attachment.AttachmentIndex, listeners: ListenerJudge,
                 controllers: dict[int, Controller], accepted_sets: dict[int, bool | None]) -> None:
        self.ctx = ctx
        self.idx = idx
        self.listeners = listeners
        self.controllers = controllers
        self.accepted_sets = accepted_sets   # id(ListenerSet) -> allowed by its Gateway
        self.attached: dict[Listener, set[int]] = defaultdict(set)
        self.undecided: dict[Listener, set[int]] = defaultdict(set)
        self.accepted_refs: dict[int, set[int]] = defaultdict(set)  # id(route) -> id(parent gw)
        self._backends: dict[int, list[Ref]] = defaultdict(list)
        for ref in ctx.refs(BACKEND, MIRROR):
            self._backends[id(ref.source)].append(ref)

    # --- driver -------------------------------------------------------------------------------
    def run(self) -> list[ObjectStatus]:
        ctx = self.ctx
        statuses: dict[int, ObjectStatus] = {}
        for kind in ROUTE_KINDS:
            for route in ctx.of_kind(kind):
                statuses[id(route)] = ObjectStatus(route)
        pending: list[Pending] = []
        for ref in ctx.refs(PARENT):
            status = statuses.get(id(ref.source))
            if status is None or ref.source.group != GATEWAY_GROUP:
                continue
            item = self._parent(ref)
            if item is not None:
                status.parents.append(item.entry)
                pending.append(item)
        self._hostname_conflicts(pending)
        for item in pending:
            self._finish(item)
        return list(statuses.values())

    # --- one parentRef ------------------------------------------------------------------------
    def _parent(self, ref: Ref) -> Pending | None:
        ctx, t = self.ctx, ref.target
        if (t.group, t.kind) not in attachment.PARENT_KINDS:
            return None
        parent = ctx.get(t)
        gateway = parent
        lset_ref = None
        if parent is not None and t.kind in LISTENERSET_KINDS:
            lset_ref = self.idx.listenerset_parent(parent)
            gateway = ctx.get(lset_ref.target) if lset_ref is not None else None
            if gateway is None and not (lset_ref is not None and ctx.assumed(lset_ref.target)):
                return None  # nobody reconciles a ListenerSet whose Gateway does not exist
        if parent is None or gateway is None:
            if not ctx.assumed(t) and parent is None:
                return None
            entry = ParentStatus(ref, parent, None)
            what = t.label() if parent is None else f"the Gateway of {parent.label()}"
            entry.conditions.set(Condition(
                C.ACCEPTED, C.UNKNOWN, C.R_PENDING, f"{what} is not in the linted files",
                (Cause(ref.source, ref.path),), undecided=f"{what} is not in the linted files"))
            item = Pending(ref, entry, P.SPEC_PROFILE)
            self._resolved_refs(item)
            return item
        controller = self.controllers.get(id(gateway))
        if controller is None or not controller.reconciled:
            return None
        entry = ParentStatus(ref, parent, controller.name)
        item = Pending(ref, entry, controller.profile)
        if parent is not gateway:
            allowed = self.accepted_sets.get(id(parent))
            if allowed is not True:
                self._listenerset_refused(item, parent, gateway, allowed)
                self._resolved_refs(item)
                return item
        verdict = self.idx.verdict(ref)
        if verdict is not None:
            item.judged = [self._judge(att) for att in verdict.candidates]
        return item

    def _judge(self, att: Attachment) -> Judged:
        """The index's verdict on one listener, with the status model's listener kinds."""
        ls, route = att.listener, att.route
        kinds = self.listeners.facts_of(ls).supported_kinds
        if (route.group, route.kind) not in kinds:
            return Judged(ls, False, attachment.NOT_ALLOWED,
                          CAUSE_KINDS if ls.kinds_explicit else CAUSE_PROTOCOL)
        if att.accepted:
            return Judged(ls, True, None, None, att.hostnames)
        if att.cause not in (CAUSE_PROTOCOL, CAUSE_KINDS):
            state = None if att.cause == CAUSE_NAMESPACE_UNKNOWN else False
            return Judged(ls, state, att.reason, att.cause, att.hostnames)
        # the index refused the kind, the status model's kinds admit it: judge the rest
        ns_ok = attachment.namespace_allowed(self.ctx, ls, route.namespace)
        if ns_ok is False:
            return Judged(ls, False, attachment.NOT_ALLOWED, CAUSE_NAMESPACE)
        hosts = attachment.effective_hostnames(ls, route)
        if not hosts:
            return Judged(ls, False, attachment.NO_MATCHING_HOSTNAME, CAUSE_HOSTNAME)
        if ns_ok is None:
            return Judged(ls, None, attachment.UNKNOWN, CAUSE_NAMESPACE_UNKNOWN, hosts)
        return Judged(ls, True, None, None, hosts)

    def _listenerset_refused(self, item: Pending, lset: Resource, gateway: Resource,
                             allowed: bool | None) -> None:
        ref = item.ref
        causes = (Cause(ref.source, ref.path), Cause(lset, ("spec", "parentRef")))
        msg = f"{lset.label()} is not accepted by {gateway.label()} (spec.allowedListeners)"
        if allowed is False:
            item.entry.conditions.set(Condition(C.ACCEPTED, C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS,
                                                msg, causes, basis=C.IMPLEMENTATION))
        else:
            item.entry.conditions.set(Condition(
                C.ACCEPTED, C.UNKNOWN, C.R_NOT_ALLOWED_BY_LISTENERS, msg, causes,
                basis=C.IMPLEMENTATION,
                undecided="the Gateway's allowedListeners selector needs a Namespace label that "
                          "is not in the linted files"))

    # --- HTTPRoute / GRPCRoute on one hostname -------------------------------------------------
    def _hostname_conflicts(self, pending: list[Pending]) -> None:
        per_listener: dict[Listener, list[tuple[Pending, Judged]]] = defaultdict(list)
        for item in pending:
            if item.ref.source.kind not in HTTP_GRPC:
                continue
            for j in item.judged:
                if j.state is True:
                    per_listener[j.listener].append((item, j))
        for entries in per_listener.values():
            if len({item.ref.source.kind for item, _ in entries}) < 2:
                continue
            entries.sort(key=lambda e: precedence.sort_key(e[0].ref.source))
            index: dict[str, HostIndex] = {kind: HostIndex() for kind in HTTP_GRPC}
            for item, j in entries:
                route = item.ref.source
                other = HTTP_GRPC[1] if route.kind == HTTP_GRPC[0] else HTTP_GRPC[0]
                hit = next((h for h in (index[other].overlapping(host) for host in j.hosts)
                            if h is not None), None)
                if hit is None:
                    for host in j.hosts:
                        index[route.kind].add(host, (item, j))
                    continue
                winner, _ = hit
                decided = precedence.wins(winner.ref.source, route) is not None
                item.lost[j.listener] = decided
                if not decided:
                    winner.contested.add(j.listener)

    # --- finishing ----------------------------------------------------------------------------
    def _finish(self, item: Pending) -> None:
        entry = item.entry
        if entry.conditions.get(C.ACCEPTED) is None:
            entry.conditions.set(item.profile.apply(self._accepted(item)))
        if entry.conditions.get(C.RESOLVED_REFS) is None:
            self._resolved_refs(item)
        accepted = entry.conditions.status(C.ACCEPTED)
        route = id(item.ref.source)
        for j in item.judged:
            if j.state is None or (j.state is True and accepted == C.UNKNOWN):
                self.undecided[j.listener].add(route)
            elif j.state is True and accepted == C.TRUE:
                if j.listener in item.lost or j.listener in item.contested:
                    if item.lost.get(j.listener) is False or j.listener in item.contested:
                        self.undecided[j.listener].add(route)
                    continue
                self.attached[j.listener].add(route)
        if accepted == C.TRUE and entry.parent is not None:
            self.accepted_refs[route].add(id(entry.parent))

    def _accepted(self, item: Pending) -> Condition:
        ref, route = item.ref, item.ref.source
        judged = item.judged
        parent = item.entry.parent
        name = parent.label() if parent is not None else ref.target.label()
        if not judged:
            return Condition(C.ACCEPTED, C.FALSE, C.R_NO_MATCHING_PARENT,
                             f"no listener of {name} matches {self._selection(ref)}",
                             (Cause(route, self._selection_path(ref)),))
        accepting = [j for j in judged if j.state is True]
        if accepting:
            free = [j for j in accepting if j.listener not in item.lost
                    and j.listener not in item.contested]
            if free:
                return Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, f"Accepted by {name}")
            causes = (Cause(route, ("spec", "hostnames")), Cause(route, ref.path))
            msg = (f"an {'HTTPRoute' if route.kind == 'GRPCRoute' else 'GRPCRoute'} with an "
                   f"intersecting hostname is attached to the same listener and takes "
                   f"precedence (older, or first by namespace/name)")
            if all(item.lost.get(j.listener) for j in accepting):
                return Condition(C.ACCEPTED, C.FALSE, C.R_HOSTNAME_CONFLICT, msg, causes,
                                 basis=C.IMPLEMENTATION)
            likely_lost = all(j.listener in item.lost for j in accepting)
            return Condition(C.ACCEPTED, C.UNKNOWN, C.R_HOSTNAME_CONFLICT,
                             "an HTTPRoute and a GRPCRoute share a hostname on one listener; "
                             "which is accepted depends on their creationTimestamp",
                             causes, basis=C.IMPLEMENTATION,
                             undecided="creationTimestamp is not in the files (created in the "
                                       "same second: the first by namespace/name wins)",
                             likely=(C.FALSE, C.R_HOSTNAME_CONFLICT) if likely_lost
                             else (C.TRUE, C.R_ACCEPTED))
        if any(j.state is None for j in judged):
            keys = [j for j in judged if j.state is None]
            return Condition(C.ACCEPTED, C.UNKNOWN, C.R_NOT_ALLOWED_BY_LISTENERS,
                             f"cannot decide whether {name} admits namespace "
                             f"'{route.namespace}'",
                             (Cause(route, ref.path),) + tuple(
                                 Cause(j.listener.owner, j.listener.allowed_routes_path)
                                 for j in keys),
                             undecided=f"a namespace selector needs labels of Namespace "
                                       f"'{route.namespace}', which is not in the linted files")
        if any(j.cause == CAUSE_HOSTNAME for j in judged):
            hosts = [j for j in judged if j.cause == CAUSE_HOSTNAME]
            return Condition(C.ACCEPTED, C.FALSE, C.R_NO_MATCHING_LISTENER_HOSTNAME,
                             f"no hostname of the route intersects the hostname of "
                             f"{self._names(hosts)} of {name}",
                             (Cause(route, ("spec", "hostnames")), Cause(route, ref.path))
                             + tuple(Cause(j.listener.owner, j.listener.hostname_path)
                                     for j in hosts))
        return Condition(C.ACCEPTED, C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS,
                         f"{self._names(judged)} of {name} {self._verb(judged)} admit {route.kind} "
                         f"{route.namespace}/{route.name} ({self._why(judged)})",
                         (Cause(route, ref.path),) + tuple(self._listener_cause(j)
                                                           for j in judged))

    @staticmethod
    def _names(judged: list[Judged]) -> str:
        names = ", ".join(repr(j.listener.name) for j in judged)
        return f"listener{'s' if len(judged) > 1 else ''} {names}"

    @staticmethod
    def _verb(judged: list[Judged]) -> str:
        return "do not" if len(judged) > 1 else "does not"

    @staticmethod
    def _why(judged: list[Judged]) -> str:
        why = {CAUSE_KINDS: "route kind not in allowedRoutes.kinds",
               CAUSE_PROTOCOL: "the protocol cannot serve this route kind",
               CAUSE_NAMESPACE: "allowedRoutes.namespaces"}
        return "; ".join(dict.fromkeys(why.get(j.cause or "", "not allowed") for j in judged))

    @staticmethod
    def _listener_cause(j: Judged) -> Cause:
        ls = j.listener
        if j.cause == CAUSE_NAMESPACE:
            return Cause(ls.owner, ls.allowed_routes_path)
        if j.cause == CAUSE_KINDS:
            return Cause(ls.owner, ls.allowed_routes_path)
        return Cause(ls.owner, ls.path + ("protocol",))

    @staticmethod
    def _selection(ref: Ref) -> str:
        parts = []
        if ref.section_name is not None:
            parts.append(f"sectionName {ref.section_name!r}")
        if ref.port is not None:
            parts.append(f"port {ref.port}")
        return " and ".join(parts) or "the parentRef"

    @staticmethod
    def _selection_path(ref: Ref) -> tuple:
        src = ref.source
        for name in ("sectionName", "port"):
            if src.get(*ref.path, name) is not None:
                return ref.path + (name,)
        return ref.path

    # --- ResolvedRefs -------------------------------------------------------------------------
    def _problems(self, route: Resource) -> list[tuple[Ref, RefProblem]]:
        out = []
        for ref in self._backends.get(id(route), ()):
            problem = backend_ref(self.ctx, ref)
            if problem is not None:
                out.append((ref, problem))
        return out

    def _resolved_refs(self, item: Pending) -> None:
        route = item.ref.source
        problems = self._problems(route)
        decided = [(r, p) for r, p in problems if p.decided]
        if decided:
            _, p = decided[0]
            cond = Condition(C.RESOLVED_REFS, C.FALSE, p.reason, p.message,
                             tuple(Cause(r.source, q.path) for r, q in decided),
                             detail=p.detail)
        elif problems:
            _, p = problems[0]
            cond = Condition(C.RESOLVED_REFS, C.UNKNOWN, p.reason, p.message,
                             (Cause(route, p.path),), detail=p.detail, undecided=p.message,
                             likely=(C.TRUE, C.R_RESOLVED_REFS))
        else:
            cond = Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS,
                             "All references resolved")
        item.entry.conditions.set(item.profile.apply(cond))
