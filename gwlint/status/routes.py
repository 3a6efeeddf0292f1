"""Route status: one `status.parents[]` entry per parentRef a controller writes, with Accepted and
ResolvedRefs (`shared_types.go` RouteConditionType/RouteConditionReason).

* No entry for a parent that does not exist ("parent references that cannot be resolved by an
  implementation of this API will not be added to this list", RouteStatus.parents), nor for a
  Gateway no controller reconciles (its GatewayClass is missing or not accepted), nor for a
  ListenerSet whose Gateway does not exist. A parent declared external (`--assume-exists`) gets
  an entry whose Accepted is Unknown Pending.
* Accepted: the AttachmentIndex verdict of the parentRef (sectionName/port, then per listener:
  kind, allowedRoutes.namespaces, hostname intersection; one accepting listener is enough; the
  listener kinds are `Listener.supported_kinds`, the same the listener status shows): True
  Accepted, False NoMatchingParent [HTTPRouteInvalidParentRefNotMatchingSectionName,
  ...NotMatchingListenerPort, ListenerSetDualParentRefIndependence], False NotAllowedByListeners
  [HTTPRouteInvalidCrossNamespaceParentRef, HTTPRouteDisallowedKind,
  GatewayListenerProtocolAndRouteKindConflicts], False NoMatchingListenerHostname
  [HTTPRouteHostnameIntersection], Unknown when a namespace selector needs a label of a
  Namespace that is not in the files. Listener status does not matter ("Listener or Route status
  does not impact successful attachment"): a route on a conflicted or unresolved listener is
  still accepted and counted [GatewayWithAttachedRoutes]. Several TCPRoutes (UDPRoutes) on one
  listener are all Accepted and all counted, though only the oldest gets the traffic
  [TCPRouteMultipleRoutesAttachment]; a route refused for its hostnames is not counted ("Routes
  with any other value for the Accepted condition MUST NOT be included", attachedRoutes).
* A Service parent (GAMMA, "Service (Mesh conformance profile, ClusterIP Services only)"): the
  mesh's entry, Accepted for producer and consumer routes [MeshBasic, MeshConsumerRoute],
  NoMatchingParent when `port` or `sectionName` (a port name) is not a port of the Service; no
  entry for a Service that does not exist. The files cannot show whether a mesh runs: the entry
  is what it writes when one does, with the one controllerName (and its profile) of the
  accepted GatewayClasses in the files, else none (`--implementation` chooses the profile).
* Which listener refusal is reported, and which of several failing backendRefs decides
  ResolvedRefs, the spec does not order: gwlint reports the namespace before the hostnames and
  the first failing backendRef in document order; a profile may differ (detail
  `namespace-and-hostname` when the hostnames do not intersect either; `Profile.ref_reasons`).
* HTTPRoute vs GRPCRoute on one listener with intersecting hostnames: "the implementation MUST
  accept exactly one of these two routes ... The oldest Route based on creation timestamp ...
  alphabetical order by {namespace}/{name}. The rejected Route MUST raise an 'Accepted'
  condition with a status of 'False'" (GRPCRouteSpec.hostnames). The spec names no reason; the
  implementations that enforce it write `HostnameConflict` (traefik/traefik#13421,
  kubernetes-sigs/aws-load-balancer-controller#4288), so basis `implementation`. Without
  creationTimestamps: Unknown. Implementations that accept both (Envoy Gateway, Istio:
  `Profile.http_grpc_exclusive`) count both in attachedRoutes.
* A parentRef to a ListenerSet its Gateway does not admit: the spec names no reason; gwlint
  writes NotAllowedByListeners (basis `implementation`: no listener of that parent admits it;
  Unknown when the Gateway's selector needs a Namespace label that is not in the files, likely
  refused: a Namespace the files do not describe carries only its name label).
* Every entry keeps the verdict of each selected listener (`ParentStatus.verdicts`) and, for a
  HostnameConflict, the route that takes precedence (`ParentStatus.rival`), so rules phrase
  their findings from the model's verdict.
* ResolvedRefs is written whatever Accepted says [HTTPRouteInvalidCrossNamespaceParentRef
  expects ResolvedRefs=True on a not-accepted route]: the first backendRef (or RequestMirror
  backendRef) in document order that does not resolve decides it (see `refcheck.backend_ref`):
  False InvalidKind [HTTPRouteInvalidBackendRefUnknownKind], RefNotPermitted
  [HTTPRouteInvalidCrossNamespaceBackendRef, HTTPRoutePartiallyInvalidViaInvalidReferenceGrant
  (Accepted stays True), TLSRouteInvalidReferenceGrant], BackendNotFound
  [HTTPRouteInvalidNonExistentBackendRef]; Unknown when a target namespace is in no file. A
  route no parent entry is written for (its parents are not in the files, or it names none)
  keeps that verdict in `ObjectStatus.unattached`: what the controller of an existing parent
  would write.
* PartiallyInvalid is not predicted: it is set when an implementation drops invalid rules, and
  the rule defects that would make it so are rejected by the API server's CEL rules first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwlint import attachment, precedence
from gwlint.attachment import (
    CAUSE_HOSTNAME,
    CAUSE_KINDS,
    CAUSE_NAMESPACE,
    CAUSE_NAMESPACE_UNKNOWN,
    HostIndex,
)
from gwlint.implementations.controllers import implementation_for
from gwlint.implementations.query import implementation
from gwlint.model import (
    CORE_GROUP,
    GATEWAY_GROUP,
    ROUTE_KINDS,
    FieldPath,
    Resource,
    as_dict,
    as_list,
    as_str,
)
from gwlint.refs import BACKEND, MIRROR, PARENT, Ref
from gwlint.status import conditions as C
from gwlint.status import profiles as P
from gwlint.status import refcheck
from gwlint.status.conditions import Cause, Condition
from gwlint.status.model import ListenerVerdict, ObjectStatus, ParentStatus, StatusModel

if TYPE_CHECKING:
    from gwlint.attachment import Attachment, Listener
    from gwlint.context import Context
    from gwlint.status.gateways import Controller

HTTP_GRPC = ("HTTPRoute", "GRPCRoute")
LISTENERSET_KINDS = ("ListenerSet", "XListenerSet")
SERVICE_PARENT = (CORE_GROUP, "Service")  # a mesh (GAMMA) parent
LISTENERSET_REFUSED = "listenerset-not-allowed"  # Condition.detail of that NotAllowedByListeners
UNDATED = ("creationTimestamp is not in the files (created in the same second: the first by "
           "namespace/name wins)")


@dataclass(slots=True, eq=False)
class Pending:
    """A parentRef being decided: its entry and the listeners that accept it."""

    ref: Ref
    entry: ParentStatus
    profile: P.Profile
    lost: dict[Listener, bool] = field(default_factory=dict)  # listener -> decided?
    contested: set[Listener] = field(default_factory=set)     # won, but undecidably
    rivals: dict[Listener, Resource] = field(default_factory=dict)
    # refused by namespace where the hostnames do not intersect either (P.NAMESPACE_AND_HOSTNAME)
    hosts_refused_too: bool = False


def _runs_mesh(controller_name: str) -> bool:
    """Whether the implementation of `controller_name` reports a Mesh conformance profile."""
    name = implementation_for(controller_name)
    return name is not None and any(p.name.startswith("MESH") for r in implementation(name).reports
                                    for p in r.profiles)


def _missing_service_port(ref: Ref, service: Resource) -> tuple[str, str] | None:
    """(field, description) of a parentRef `sectionName` (port name) or `port` that the Service
    parent does not have; None when it has them, or its ports are not in the files (an
    ExternalName or produced Service)."""
    if service.virtual or as_str(service.spec.get("type")) == "ExternalName":
        return None
    ports = [as_dict(p) for p in as_list(service.spec.get("ports"))]
    if ref.section_name is not None and not any(
            as_str(p.get("name")) == ref.section_name for p in ports):
        return "sectionName", f"sectionName {ref.section_name!r} (a port name)"
    if ref.port is not None and not any(p.get("port") == ref.port for p in ports):
        return "port", f"port {ref.port}"
    return None


def _verdict(att: Attachment) -> ListenerVerdict:
    if att.accepted:
        return ListenerVerdict(att.listener, True, None, None, att.hostnames)
    state = None if att.cause == CAUSE_NAMESPACE_UNKNOWN else False
    return ListenerVerdict(att.listener, state, att.reason, att.cause, att.hostnames)


class RouteJudge:
    """Decides the status of every route, and the attachedRoutes of every listener."""

    def __init__(self, ctx: Context, idx: attachment.AttachmentIndex, model: StatusModel,
                 controllers: dict[int, Controller], accepted_sets: dict[int, bool | None]) -> None:
        self.ctx = ctx
        self.idx = idx
        self.model = model
        self.controllers = controllers
        self.accepted_sets = accepted_sets   # id(ListenerSet) -> allowed by its Gateway
        self.attached: dict[Listener, set[int]] = defaultdict(set)
        self.undecided: dict[Listener, set[int]] = defaultdict(set)
        self.accepted_refs: dict[int, set[int]] = defaultdict(set)  # id(route) -> id(parent gw)
        self._mesh: tuple[str | None, P.Profile] | None = None  # decided at the first mesh route
        # (id(route), Profile.ref_reasons) -> its ResolvedRefs, to copy
        self._resolved: dict[tuple[int, str], Condition] = {}

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
        for status in statuses.values():
            if not status.parents:
                status.unattached.set(self._resolved_refs(status.resource))
        return list(statuses.values())

    # --- one parentRef ------------------------------------------------------------------------
    def _parent(self, ref: Ref) -> Pending | None:
        ctx, t = self.ctx, ref.target
        if (t.group, t.kind) == SERVICE_PARENT:
            return self._mesh_parent(ref)
        if (t.group, t.kind) not in attachment.PARENT_KINDS:
            return None
        parent = ctx.get(t)
        gateway = parent
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
            return Pending(ref, entry, P.SPEC_PROFILE)
        controller = self.controllers.get(id(gateway))
        if controller is None or not controller.reconciled:
            return None
        entry = ParentStatus(ref, parent, controller.name)
        item = Pending(ref, entry, controller.profile)
        if parent is not gateway:
            allowed = self.accepted_sets.get(id(parent))
            if allowed is not True:
                self._listenerset_refused(item, parent, gateway, allowed)
                return item
        verdict = self.idx.verdict(ref)
        if verdict is not None:
            entry.verdicts = [_verdict(att) for att in verdict.candidates]
            item.hosts_refused_too = bool(verdict.candidates) and all(
                att.cause == CAUSE_NAMESPACE and att.hosts_match is False
                for att in verdict.candidates)
        return item

    def _mesh_parent(self, ref: Ref) -> Pending | None:
        """A Service parent (Mesh profile): the mesh implementation's entry. No entry when the
        Service does not exist (RouteStatus.parents); Unknown Pending for one declared external;
        NoMatchingParent when `port`/`sectionName` names no port of the Service (ParentReference:
        "When the parent resource is a Service, this targets a specific port in the Service
        spec"; SectionName: "Service: Port name"); else Accepted, producer and consumer routes
        alike [MeshBasic, MeshConsumerRoute]."""
        service = self.ctx.get(ref.target)
        if self._mesh is None:
            self._mesh = self._mesh_controller()
        name, profile = self._mesh
        entry = ParentStatus(ref, service, name)
        if service is None:
            if not self.ctx.assumed(ref.target):
                return self._missing_service_parent(ref, entry, profile)
            what = ref.target.label()
            entry.conditions.set(Condition(
                C.ACCEPTED, C.UNKNOWN, C.R_PENDING, f"{what} is not in the linted files",
                (Cause(ref.source, ref.path),), undecided=f"{what} is not in the linted files"))
            return Pending(ref, entry, profile)
        missing = _missing_service_port(ref, service)
        if missing is not None:
            field_name, what = missing
            entry.conditions.set(Condition(
                C.ACCEPTED, C.FALSE, C.R_NO_MATCHING_PARENT,
                f"{what} is not a port of {service.label()}",
                (Cause(ref.source, ref.path + (field_name,)),
                 Cause(service, ("spec", "ports")))))
        else:
            entry.conditions.set(Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED,
                                           f"Accepted by the mesh for {service.label()}"))
        return Pending(ref, entry, profile)

    def _missing_service_parent(self, ref: Ref, entry: ParentStatus,
                                profile: P.Profile) -> Pending | None:
        """No entry for a Service parent that does not exist (RouteStatus.parents), unless the
        profile writes one (`missing_service_parent_entry`): NoMatchingParent, decided when the
        Service's namespace is in the files."""
        if not profile.missing_service_parent_entry:
            return None
        found = refcheck.presence(self.ctx, ref.target)
        if found is None:
            return None  # the namespace is in no file: the Service may exist
        entry.conditions.set(Condition(
            C.ACCEPTED, C.FALSE, C.R_NO_MATCHING_PARENT,
            f"parent {ref.target.label()} not found", (Cause(ref.source, ref.path),),
            basis=f"profile:{profile.name}"))
        return Pending(ref, entry, profile)

    def _mesh_controller(self) -> tuple[str | None, P.Profile]:
        """The controllerName and profile the mesh writes route entries with: the one
        controllerName of the accepted GatewayClasses in the files, when its implementation
        passes a Mesh conformance profile (mesh implementations write their Gateway
        controllerName there, as Istio's and Cilium's test outputs show), else unknown
        (`--implementation` still chooses the profile)."""
        chosen = self.ctx.options.implementation
        names: set[str] = set()
        for cls in self.ctx.of_kind("GatewayClass"):
            status = self.model.of(cls)
            name = as_str(cls.spec.get("controllerName"))
            if name and status is not None and status.conditions.status(C.ACCEPTED) == C.TRUE:
                names.add(name)
        if len(names) == 1 and _runs_mesh(next(iter(names))):
            name = next(iter(names))
            return name, P.profile_for(name, chosen)
        return None, P.profile_for(None, chosen)

    def _listenerset_refused(self, item: Pending, lset: Resource, gateway: Resource,
                             allowed: bool | None) -> None:
        ref = item.ref
        causes = (Cause(ref.source, ref.path), Cause(lset, ("spec", "parentRef")))
        msg = f"{lset.label()} is not accepted by {gateway.label()} (spec.allowedListeners)"
        if allowed is False:
            item.entry.conditions.set(Condition(C.ACCEPTED, C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS,
                                                msg, causes, detail=LISTENERSET_REFUSED,
                                                basis=C.IMPLEMENTATION))
        else:
            item.entry.conditions.set(Condition(
                C.ACCEPTED, C.UNKNOWN, C.R_NOT_ALLOWED_BY_LISTENERS, msg, causes,
                detail=LISTENERSET_REFUSED, basis=C.IMPLEMENTATION,
                undecided="the Gateway's allowedListeners selector needs a Namespace label that "
                          "is not in the linted files",
                likely=(C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS)))

    # --- HTTPRoute / GRPCRoute on one hostname -------------------------------------------------
    def _hostname_conflicts(self, pending: list[Pending]) -> None:
        """Per listener, routes in precedence order, greedily: a route whose hostname overlaps
        one an accepted route of the other kind already serves there loses (decided only when
        the creationTimestamps decide)."""
        per_listener: dict[Listener, list[tuple[Pending, ListenerVerdict]]] = defaultdict(list)
        for item in pending:
            if item.ref.source.kind not in HTTP_GRPC or not item.profile.http_grpc_exclusive:
                continue
            for j in item.entry.verdicts:
                if j.state is True:
                    per_listener[j.listener].append((item, j))
        for entries in per_listener.values():
            if len({item.ref.source.kind for item, _ in entries}) < 2:
                continue
            entries.sort(key=lambda e: precedence.sort_key(e[0].ref.source))
            index: dict[str, HostIndex[tuple[Pending, ListenerVerdict]]] = {
                kind: HostIndex() for kind in HTTP_GRPC}
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
                item.rivals[j.listener] = winner.ref.source
                if not decided:
                    winner.contested.add(j.listener)

    # --- finishing ----------------------------------------------------------------------------
    def _finish(self, item: Pending) -> None:
        entry = item.entry
        if entry.conditions.get(C.ACCEPTED) is None:
            entry.conditions.set(item.profile.apply(self._accepted(item)))
        entry.conditions.set(item.profile.apply(self._resolved_refs(item.ref.source,
                                                                    item.profile.ref_reasons)))
        accepted = entry.conditions.status(C.ACCEPTED)
        route = id(item.ref.source)
        for j in entry.verdicts:
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
        judged = item.entry.verdicts
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
            return self._hostname_conflict(item, accepting)
        if any(j.state is None for j in judged):
            keys = [j for j in judged if j.state is None]
            return Condition(C.ACCEPTED, C.UNKNOWN, C.R_NOT_ALLOWED_BY_LISTENERS,
                             f"cannot decide whether {name} admits namespace "
                             f"'{route.namespace}'",
                             (Cause(route, ref.path),) + tuple(
                                 Cause(j.listener.owner, j.listener.allowed_routes_path)
                                 for j in keys),
                             undecided=f"a namespace selector needs labels of Namespace "
                                       f"'{route.namespace}', which is not in the linted files",
                             likely=(C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS))
        if any(j.cause == CAUSE_HOSTNAME for j in judged):
            hosts = [j for j in judged if j.cause == CAUSE_HOSTNAME]
            return Condition(C.ACCEPTED, C.FALSE, C.R_NO_MATCHING_LISTENER_HOSTNAME,
                             f"no hostname of the route intersects the hostname of "
                             f"{self._names(hosts)} of {name}",
                             (Cause(route, ref.path), Cause(route, ("spec", "hostnames")))
                             + tuple(Cause(j.listener.owner, j.listener.hostname_path)
                                     for j in hosts))
        hosts_too = item.hosts_refused_too
        return Condition(C.ACCEPTED, C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS,
                         f"{self._names(judged)} of {name} {self._verb(judged)} admit {route.kind} "
                         f"{route.namespace}/{route.name} ({self._why(judged)})"
                         + ("; its hostnames do not intersect either" if hosts_too else ""),
                         (Cause(route, ref.path),) + tuple(self._listener_cause(j)
                                                           for j in judged)
                         + ((Cause(route, ("spec", "hostnames")),) if hosts_too else ()),
                         detail=P.NAMESPACE_AND_HOSTNAME if hosts_too else None)

    def _hostname_conflict(self, item: Pending, accepting: list[ListenerVerdict]) -> Condition:
        ref, route = item.ref, item.ref.source
        rival = next((item.rivals[j.listener] for j in accepting if j.listener in item.rivals),
                     None)
        item.entry.rival = rival
        causes = (Cause(route, ref.path), Cause(route, ("spec", "hostnames")))
        other = "HTTPRoute" if route.kind == "GRPCRoute" else "GRPCRoute"
        who = rival.label() if rival is not None else f"an {other}"
        if all(item.lost.get(j.listener) for j in accepting):
            return Condition(C.ACCEPTED, C.FALSE, C.R_HOSTNAME_CONFLICT,
                             f"{who} with an intersecting hostname is attached to the same "
                             "listener and takes precedence (it is older, or first by "
                             "namespace/name)", causes, basis=C.IMPLEMENTATION)
        likely_lost = all(j.listener in item.lost for j in accepting)
        return Condition(C.ACCEPTED, C.UNKNOWN, C.R_HOSTNAME_CONFLICT,
                         f"an HTTPRoute and a GRPCRoute share a hostname on one listener "
                         f"({who if rival is not None else 'the other route'}); which is "
                         "accepted depends on their creationTimestamp",
                         causes, basis=C.IMPLEMENTATION, undecided=UNDATED,
                         likely=(C.FALSE, C.R_HOSTNAME_CONFLICT) if likely_lost
                         else (C.TRUE, C.R_ACCEPTED))

    @staticmethod
    def _names(judged: list[ListenerVerdict]) -> str:
        names = ", ".join(repr(j.listener.name) for j in judged)
        return f"listener{'s' if len(judged) > 1 else ''} {names}"

    @staticmethod
    def _verb(judged: list[ListenerVerdict]) -> str:
        return "do not" if len(judged) > 1 else "does not"

    @staticmethod
    def _why(judged: list[ListenerVerdict]) -> str:
        why = {CAUSE_KINDS: "route kind not in allowedRoutes.kinds",
               attachment.CAUSE_PROTOCOL: "the protocol cannot serve this route kind",
               CAUSE_NAMESPACE: "allowedRoutes.namespaces"}
        return "; ".join(dict.fromkeys(why.get(j.cause or "", "not allowed") for j in judged))

    @staticmethod
    def _listener_cause(j: ListenerVerdict) -> Cause:
        ls = j.listener
        if j.cause in (CAUSE_NAMESPACE, CAUSE_KINDS):
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
    def _selection_path(ref: Ref) -> FieldPath:
        src = ref.source
        for name in ("sectionName", "port"):
            if src.get(*ref.path, name) is not None:
                return ref.path + (name,)
        return ref.path

    # --- ResolvedRefs -------------------------------------------------------------------------
    def _resolved_refs(self, route: Resource, order: str = P.FIRST_IN_ORDER) -> Condition:
        """A fresh ResolvedRefs condition for one entry of `route` (profiles edit their copy):
        of the backendRefs that do not resolve, the first in document order decides the reason,
        or the first of an unsupported kind or without a ReferenceGrant for an implementation
        that skips missing backends (`order`, `Profile.ref_reasons`). Decided once per route and
        order, copied per entry."""
        key = (id(route), order)
        cached = self._resolved.get(key)
        if cached is None:
            cached = self._resolved[key] = self._decide_resolved_refs(route, order)
        return cached.copy()

    def _decide_resolved_refs(self, route: Resource, order: str) -> Condition:
        problems = [(r, p) for r, p in ((r, self.model.reference(r))
                                         for r in self.ctx.refs_from(route, BACKEND, MIRROR))
                    if p is not None]
        decided = [(r, p) for r, p in problems if p.decided]
        if decided:
            if order == P.KIND_AND_GRANT_FIRST:
                decided.sort(key=lambda rp: rp[1].reason == C.R_BACKEND_NOT_FOUND)  # stable
            _, p = decided[0]
            return Condition(C.RESOLVED_REFS, C.FALSE, p.reason, p.message,
                             tuple(Cause(r.source, q.path) for r, q in decided)
                             + tuple(Cause(r.source, q.path) for r, q in problems
                                     if not q.decided),
                             detail=p.detail)
        if problems:
            _, p = problems[0]
            return Condition(C.RESOLVED_REFS, C.UNKNOWN, p.reason, p.message,
                             tuple(Cause(r.source, q.path) for r, q in problems),
                             detail=p.detail, undecided=p.message,
                             likely=(C.FALSE, p.reason))
        return Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS, "All references resolved")
