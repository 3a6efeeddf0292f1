"""GatewayClass, Gateway, ListenerSet and listener conditions, from the attachment index.

What sets each condition (v1.6.1; `gateway_types.go`, `listenerset_types.go`,
`gatewayclass_types.go`; conformance tests named in brackets):

GatewayClass
  Accepted  True Accepted; False InvalidParameters when `spec.parametersRef` names an object
            that is not in the files where the files describe its namespace (or kind, for a
            cluster-scoped kind); Unknown when its namespace/kind is described nowhere.

Listener (a Gateway's, or an attached ListenerSet's)
  supportedKinds  `Listener.supported_kinds` (`gwlint.attachment.listeners`, the one place that
            knows which kinds a protocol serves): `allowedRoutes.kinds` the protocol can serve,
            else the protocol's kinds: HTTP/HTTPS -> HTTPRoute, GRPCRoute; TLS Passthrough ->
            TLSRoute ("SSL passthrough is only supported by TLSRoute", TLSModePassthrough); TLS
            Terminate -> TLSRoute, TCPRoute ("If you need to forward traffic to a single target
            for a TLS listener, you could choose to use a TCPRoute with a TLS listener", TLSRoute
            doc); TCP -> TCPRoute; UDP -> UDPRoute. Core protocols are case-insensitive ("All
            Core ProtocolType values MUST be treated case-insensitively").
  Accepted  False UnsupportedProtocol for an un-prefixed protocol that is not a core one
            ("Un-prefixed names are reserved for core protocols") [GatewayListenerUnsupported
            Protocol]; Unknown UnsupportedProtocol for a domain-prefixed, implementation-specific
            one (likely accepted when its domain is the controllerName's); False
            NoValidCACertificate when every frontend
            caCertificateRef that applies to an HTTPS listener is invalid
            (FrontendTLSValidation) [GatewayFrontendInvalidDefaultClientCertificateValidation];
            False for a conflicted listener: reason `Invalid` inside one Gateway
            [GatewayListenerProtocolAndRouteKindConflicts], the conflict reason
            (HostnameConflict/ProtocolConflict) for the loser against another owner
            [ListenerSetHostnameConflict]; else True Accepted.
  ResolvedRefs  False RefNotPermitted (certificateRef to another namespace without grant)
            [GatewaySecretInvalidReferenceGrant, GatewaySecretMissingReferenceGrant];
            False InvalidCertificateRef (missing Secret, not core Secret, not kubernetes.io/tls,
            no tls.crt/tls.key) [GatewayInvalidTLSConfiguration]; False InvalidRouteKinds when
            `allowedRoutes.kinds` names a kind the protocol cannot serve [GatewayInvalidRouteKind];
            False InvalidCACertificateRef / InvalidCACertificateKind / RefNotPermitted for
            frontend validation refs; else True ResolvedRefs.
  Programmed  False when not Accepted (same reason as Accepted for cross-owner conflicts
            [ListenerSetHostnameConflict], else Invalid), when no certificateRef is usable
            (InvalidCertificateRef consequence, as the issue and [GatewayWithAttachedRoutes]
            "unresolved" listener expect), or when no listed kind is valid; else True.
  Conflicted  True ProtocolConflict / HostnameConflict (AttachmentIndex.conflicts; inside one
            owner every indistinct listener: "The implementation MUST NOT pick one conflicting
            Listener as the winner"; across owners only the lower-precedence one: "Gateway, then
            ListenerSets by creation time, then namespace/name" (ListenerSetSpec.listeners);
            between two ListenerSets without creationTimestamp: Unknown); else False NoConflicts.
  OverlappingTLSConfig  True only (negative polarity, "MUST NOT be set when it is False"):
            OverlappingHostnames for TLS-terminating listeners of one port with overlapping
            hostnames, also when they share a certificate Secret (conformance
            GatewayOverlappingTLSConfigHostnames: every listener references one Secret and the
            reason is OverlappingHostnames); OverlappingCertificates (certificates whose names
            overlap) is not predicted: the files do not carry the certificates' names.
  attachedRoutes  routes with Accepted=True attached to the listener, counted even when the
            listener itself is not accepted ("Listener or Route status does not impact
            successful attachment") [GatewayWithAttachedRoutes].

Gateway
  Accepted  Unknown Pending when no controller reconciles it (its GatewayClass is not in the
            files while the files define others, or the class is not accepted: the CRD default
            stays, caused by `spec.gatewayClassName`); False InvalidParameters
            for `spec.infrastructure.parametersRef` to a missing object; False ListenersNotValid
            when no listener is valid, True ListenersNotValid when some are not ("This can be the
            reason when Accepted is True or False") [GatewayListenerUnsupportedProtocol]; else
            True Accepted.
  Programmed  True Programmed when some listener is valid, False Invalid when none is (the
            Programmed reasons are Programmed/Invalid/Pending/...; ListenersNotValid is not one).
  ResolvedRefs  only for `spec.tls.backend.clientCertificateRef`: False RefNotPermitted /
            InvalidClientCertificateRef, else True (GatewayBackendTLS.clientCertificateRef).
  InsecureFrontendValidationMode  True ConfigurationChanged when the frontend validation mode
            (`spec.tls.frontend.default` or a `perPort[]` entry) is AllowInsecureFallback ("true
            when the Gateway FrontendValidationModeType is configured to allow insecure
            fallback"; removed when it is AllowValidOnly again: never written False)
            [GatewayFrontendClientCertificateValidationInsecureFallback].
  attachedListenerSets  accepted ListenerSets (written when allowedListeners is set or a
            ListenerSet names the Gateway).

ListenerSet
  Accepted/Programmed  False NotAllowed / NotAllowed when the Gateway's allowedListeners refuses it
            [ListenerSetDefaultNotAllowed]; False ParentNotAccepted / ParentNotProgrammed when its
            Gateway is not accepted [ListenerSetParentNotAccepted]; False ListenersNotValid /
            ListenersNotValid when no listener is valid, True when some are
            [ListenerSetHostnameConflict]; nobody writes status when its Gateway does not exist
            (the CRD default Unknown Pending stays, caused by `spec.parentRef`; Unknown with a
            reason when the Gateway's namespace is in no file, so it may exist outside them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlint import attachment, precedence
from gwlint.attachment import custom_protocol
from gwlint.model import GATEWAY_GROUP, ObjKey, Resource, as_dict, as_list, as_str
from gwlint.refs import (CA_CERTIFICATE, CERTIFICATE, CLIENT_CERTIFICATE, GATEWAY_CLASS,
                         PARAMETERS, Ref)
from gwlint.status import conditions as C
from gwlint.status import profiles as P
from gwlint.status.conditions import Cause, Condition, tri_and, tri_or
from gwlint.status.model import ListenerStatus, ObjectStatus, StatusModel
from gwlint.status.refcheck import RefProblem, presence

if TYPE_CHECKING:
    from gwlint.attachment import Listener, ListenerConflict
    from gwlint.context import Context

PENDING_MESSAGE = "Waiting for controller"
# why nobody reconciles a Gateway (Condition.detail of its Pending conditions)
NO_CLASS_NAME = "no-class-name"
CLASS_NOT_FOUND = "class-not-found"
CLASS_NOT_ACCEPTED = "class-not-accepted"
PARENT_NOT_FOUND = "parent-not-found"


# --- controllers -------------------------------------------------------------------------------
@dataclass(slots=True)
class Controller:
    """Who reconciles a Gateway: whether anybody does (and why not), the controllerName when
    known, and the implementation profile."""

    reconciled: bool
    name: str | None
    profile: P.Profile
    why_not: str | None = None
    causes: tuple[Cause, ...] = ()  # what makes the class refuse it (its parametersRef)


def gateway_controller(ctx: Context, gateway: Resource, classes: dict[ObjKey, ObjectStatus],
                       scopes_with_classes: set[str]) -> Controller:
    """The GatewayClass's controller. No class in the files while the files define classes: no
    controller reconciles the Gateway (GW108). No class at all: installed with the controller,
    controllerName unknown. A class whose Accepted is False is not served."""
    chosen = ctx.options.implementation
    refs = ctx.refs_from(gateway, GATEWAY_CLASS)
    if not refs:
        return Controller(False, None, P.profile_for(None, chosen), NO_CLASS_NAME)
    key = refs[0].target
    cls = classes.get(key)
    if cls is not None:
        accepted = cls.conditions.get(C.ACCEPTED)
        if accepted is not None and accepted.status == C.FALSE:
            return Controller(False, cls.controller_name,
                              P.profile_for(cls.controller_name, chosen), CLASS_NOT_ACCEPTED,
                              accepted.causes)
        return Controller(True, cls.controller_name, P.profile_for(cls.controller_name, chosen))
    if ctx.assumed(key) or gateway.scope not in scopes_with_classes:
        return Controller(True, None, P.profile_for(None, chosen))
    return Controller(False, None, P.profile_for(None, chosen), CLASS_NOT_FOUND)


def pending(status: ObjectStatus, types: tuple[str, ...], message: str = PENDING_MESSAGE,
            causes: tuple[Cause, ...] = (), detail: str | None = None) -> None:
    """The CRD's default status: no controller has written anything. `causes` is the field that
    leaves it so (the gatewayClassName, the ListenerSet's parentRef)."""
    status.written = False
    for t in types:
        status.conditions.set(Condition(t, C.UNKNOWN, C.R_PENDING, message, causes,
                                        detail=detail))


# --- GatewayClass ------------------------------------------------------------------------------
def gateway_class_status(ctx: Context, cls: Resource) -> ObjectStatus:
    controller = as_str(cls.spec.get("controllerName"))
    profile = P.profile_for(controller, ctx.options.implementation)
    status = ObjectStatus(cls, controller, profile.name)
    refs = ctx.refs_from(cls, PARAMETERS)
    if not refs:
        status.conditions.set(Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, "Valid GatewayClass"))
        return status
    key = refs[0].target
    found = presence(ctx, key)
    if key.namespace is None and found is False and not ctx.of_kind(key.kind, key.group):
        found = None  # a cluster-scoped kind the files never describe: may exist in the cluster
    cause = Cause(cls, refs[0].path)
    what = f"parametersRef {key.kind} {key.namespace + '/' if key.namespace else ''}{key.name}"
    if found:
        status.conditions.set(Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, "Valid GatewayClass"))
    elif found is False:
        status.conditions.set(Condition(C.ACCEPTED, C.FALSE, C.R_INVALID_PARAMETERS,
                                        f"{what} not found", (cause,)))
    else:
        status.conditions.set(Condition(
            C.ACCEPTED, C.UNKNOWN, C.R_INVALID_PARAMETERS, f"{what} is not in the linted files",
            (cause,), undecided="the parametersRef target is not in the linted files",
            likely=(C.FALSE, C.R_INVALID_PARAMETERS)))
    return status


# --- listener conditions -----------------------------------------------------------------------
@dataclass(slots=True)
class ConflictState:
    status: str                  # True | Unknown
    conflict: ListenerConflict
    likely: bool | None = None   # for Unknown: whether it likely loses


def conflict_states(idx: attachment.AttachmentIndex
                    ) -> tuple[dict[Listener, ConflictState], dict[Listener, ListenerConflict]]:
    """(listener -> ConflictState for Conflicted, listener -> ListenerConflict for overlapping
    TLS). The index merges listeners in precedence order, so the conflicted listener of a
    decided conflict is the loser; an order-dependent one (two ListenerSets without the
    creationTimestamps that order them) is Unknown on both sides, the likely loser being the
    later one by namespace/name."""
    states: dict[Listener, ConflictState] = {}
    overlap: dict[Listener, ListenerConflict] = {}
    for c in idx.conflicts():
        if c.reason == attachment.OVERLAPPING_HOSTNAMES:
            overlap.setdefault(c.listener, c)
            continue
        if not c.order_dependent:
            states[c.listener] = ConflictState(C.TRUE, c)
            continue
        likely = precedence.likely_wins(c.other.owner, c.listener.owner)
        for ls, other, loses in ((c.listener, c.other, likely),
                                 (c.other, c.listener, not likely)):
            prev = states.get(ls)
            if prev is None or (prev.status != C.TRUE and loses and not prev.likely):
                states[ls] = ConflictState(C.UNKNOWN,
                                           type(c)(c.reason, ls, other, c.gateway, True), loses)
    return states, overlap


def _tls_refs(ctx: Context) -> dict[tuple[int, int], list[Ref]]:
    """certificateRefs by (id(owner), listener index)."""
    out: dict[tuple[int, int], list[Ref]] = defaultdict(list)
    for ref in ctx.refs(CERTIFICATE):
        if len(ref.path) > 2 and isinstance(ref.path[2], int):
            out[(id(ref.source), ref.path[2])].append(ref)
    return out


def _frontend_refs(ctx: Context) -> dict[int, dict[object, list[Ref]]]:
    """Gateway frontend validation caCertificateRefs: id(gateway) -> {"default" or port: refs}."""
    out: dict[int, dict[object, list[Ref]]] = defaultdict(lambda: defaultdict(list))
    for ref in ctx.refs(CA_CERTIFICATE):
        src = ref.source
        if src.kind != "Gateway":
            continue
        if ref.path[3] == "default":
            out[id(src)]["default"].append(ref)
        else:
            port = as_dict(src.get(*ref.path[:5])).get("port")
            out[id(src)][port].append(ref)
    return out


def _message(problems: list[RefProblem]) -> str:
    return "; ".join(p.message for p in problems)


def _cause(ls: Listener, *sub: str | int) -> Cause:
    """The listener's field `sub` when written, else the listener item."""
    path = ls.path + tuple(sub)
    if sub and ls.owner.get(*path) is None:
        path = ls.path
    return Cause(ls.owner, path)


def _domain(name: str | None) -> str:
    return (name or "").split("/", 1)[0].lower()


Verdicts = tuple[list[Ref], list[RefProblem]]

# metav1.LabelSelectorRequirement: In/NotIn need values, Exists/DoesNotExist take none
_VALUED_OPERATORS = frozenset({"In", "NotIn"})
_BARE_OPERATORS = frozenset({"Exists", "DoesNotExist"})


def _selector_problem(ls: Listener) -> tuple[str, tuple[str | int, ...]] | None:
    """Why `allowedRoutes.namespaces` with `from: Selector` cannot be evaluated (message, path
    under `namespaces`): no selector ("Selector must be specified when From is set to
    Selector") or a requirement the label-selector grammar refuses. The listener is then
    "syntactically or semantically invalid" (ListenerReasonInvalid, a Programmed reason)."""
    if ls.allowed_from != "Selector":
        return None
    if ls.selector is None:
        return ("allowedRoutes.namespaces.selector must be specified when from is Selector",
                ("from",))
    for i, item in enumerate(as_list(ls.selector.get("matchExpressions"))):
        expr = as_dict(item)
        op = as_str(expr.get("operator"), "") or ""
        values = as_list(expr.get("values"))
        if op in _VALUED_OPERATORS and not values:
            why = f"operator {op} needs values"
        elif op in _BARE_OPERATORS and values:
            why = f"operator {op} takes no values"
        elif op not in _VALUED_OPERATORS and op not in _BARE_OPERATORS:
            why = f"operator {op!r} is not In, NotIn, Exists or DoesNotExist"
        else:
            continue
        return (f"allowedRoutes.namespaces.selector cannot be parsed: matchExpressions[{i}]: "
                f"{why}", ("selector", "matchExpressions", i))
    return None


class ListenerJudge:
    """Decides every listener's conditions except attachedRoutes (set after the routes)."""

    def __init__(self, ctx: Context, idx: attachment.AttachmentIndex,
                 model: StatusModel) -> None:
        self.ctx = ctx
        self.idx = idx
        self.model = model
        self.conflicts, self.overlap = conflict_states(idx)
        self.tls_refs = _tls_refs(ctx)
        self.frontend = _frontend_refs(ctx)
        self._one_label: dict[Listener, ListenerConflict] | None = None

    def _one_label_overlaps(self) -> dict[Listener, ListenerConflict]:
        """OverlappingTLSConfig by Envoy Gateway's rule (profiles.py), every Gateway's merged
        listeners at once, on first use."""
        if self._one_label is None:
            self._one_label = {}
            for gw in self.ctx.of_kind("Gateway"):
                self._one_label.update(one_label_overlaps(gw, self.idx.listeners(gw)))
        return self._one_label

    def status(self, ls: Listener, controller: Controller) -> ListenerStatus:
        profile = controller.profile
        out = ListenerStatus(ls, supported_kinds=ls.supported_kinds)
        conds = out.conditions
        certs = self._verdicts(self._cert_refs(ls))
        ca = self._verdicts(self._ca_refs(ls))
        state = self.conflicts.get(ls)
        out.conflict = state.conflict if state is not None else None
        out.overlap = (self.overlap.get(ls) if profile.overlap == P.OVERLAP_SPEC
                       else self._one_label_overlaps().get(ls))
        accepted = self._accepted(ls, state, ca, controller.name)
        resolved = self._resolved(ls, certs, ca)
        programmed = self._programmed(ls, accepted, certs)
        conds.set(self._unservable(accepted, programmed, profile))
        conds.set(profile.apply(programmed))
        conds.set(profile.apply(resolved))
        conds.set(self._conflicted(state))
        overlap = self._overlapping(out.overlap)
        if overlap is not None:
            conds.set(profile.apply(overlap))
        return out

    # --- references ---------------------------------------------------------------------------
    def _cert_refs(self, ls: Listener) -> list[Ref]:
        """The certificateRefs of a TLS-terminating listener (Passthrough ignores them)."""
        if not ls.terminates_tls:
            return []
        return self.tls_refs.get((id(ls.owner), ls.index), [])

    def _ca_refs(self, ls: Listener) -> list[Ref]:
        """The Gateway's frontend caCertificateRefs that apply to an HTTPS listener: its port's
        perPort entry, else the default."""
        if ls.protocol != "HTTPS" or ls.owner.kind != "Gateway":
            return []
        by_port = self.frontend.get(id(ls.owner))
        if not by_port:
            return []
        return by_port.get(ls.port) or by_port.get("default") or []

    def _verdicts(self, refs: list[Ref]) -> Verdicts:
        problems = [p for p in (self.model.reference(r) for r in refs) if p is not None]
        return refs, problems

    # --- conditions ---------------------------------------------------------------------------
    def _accepted(self, ls: Listener, conflict: ConflictState | None, ca: Verdicts,
                  controller_name: str | None) -> Condition:
        if not ls.core:
            return self._unsupported(ls, controller_name)
        if conflict is not None:
            reason, basis = self._conflict_reason(conflict.conflict)
            cause = self._conflict_cause(conflict.conflict)
            msg = self._conflict_message(conflict.conflict)
            if conflict.status == C.TRUE:
                return Condition(C.ACCEPTED, C.FALSE, reason, f"Listener not valid: {msg}",
                                 (cause,), basis=basis)
            # the serializer adds `undecided` to the message: not written twice
            return Condition(C.ACCEPTED, C.UNKNOWN, reason, msg,
                             (cause,), basis=basis, undecided=self._undecided_text(),
                             likely=(C.FALSE, reason) if conflict.likely else
                             (C.TRUE, C.R_ACCEPTED))
        refs, problems = ca
        if refs and len(problems) == len(refs):
            if all(p.decided for p in problems):
                return Condition(C.ACCEPTED, C.FALSE, C.R_NO_VALID_CA_CERTIFICATE,
                                 f"no valid CA certificate: {_message(problems)}",
                                 self._ref_causes(refs, problems))
            return Condition(C.ACCEPTED, C.UNKNOWN, C.R_NO_VALID_CA_CERTIFICATE,
                             f"no CA certificate is certainly valid: {_message(problems)}",
                             self._ref_causes(refs, problems),
                             undecided="a caCertificateRef target (or its ReferenceGrant) is not "
                                       "in the linted files",
                             likely=(C.FALSE, C.R_NO_VALID_CA_CERTIFICATE))
        return Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, "Listener is valid")

    @staticmethod
    def _unsupported(ls: Listener, controller_name: str | None) -> Condition:
        cause = (_cause(ls, "protocol"),)
        msg = f"protocol {ls.protocol!r} is not supported"
        if not custom_protocol(ls.protocol):
            return Condition(C.ACCEPTED, C.FALSE, C.R_UNSUPPORTED_PROTOCOL, msg, cause)
        ours = bool(controller_name) and _domain(ls.protocol) == _domain(controller_name)
        return Condition(C.ACCEPTED, C.UNKNOWN, C.R_UNSUPPORTED_PROTOCOL,
                         f"{ls.protocol!r} is an implementation-specific protocol", cause,
                         undecided="whether the implementation defines this protocol",
                         likely=(C.TRUE, C.R_ACCEPTED) if ours
                         else (C.FALSE, C.R_UNSUPPORTED_PROTOCOL))

    @staticmethod
    def _undecided_text() -> str:
        return ("which ListenerSet wins depends on their creationTimestamp, which the files do "
                "not carry (created in the same second: the first by namespace/name wins)")

    @staticmethod
    def _conflict_reason(c: ListenerConflict) -> tuple[str, str]:
        if c.other.owner is not c.listener.owner:
            return c.reason, C.CONFORMANCE
        return C.R_INVALID, C.CONFORMANCE

    @staticmethod
    def _conflict_cause(c: ListenerConflict) -> Cause:
        ls = c.listener
        if c.reason == attachment.HOSTNAME_CONFLICT and ls.hostname:
            return Cause(ls.owner, ls.hostname_path)
        if c.reason == attachment.PROTOCOL_CONFLICT:
            return Cause(ls.owner, ls.path + ("protocol",))
        return Cause(ls.owner, ls.path)

    @staticmethod
    def _conflict_message(c: ListenerConflict) -> str:
        other = c.other
        where = "" if other.owner is c.listener.owner else f" of {other.owner.label()}"
        if c.reason == attachment.HOSTNAME_CONFLICT:
            return (f"listener {c.listener.name!r} has the same port, protocol and hostname as "
                    f"listener {other.name!r}{where}")
        return (f"listener {c.listener.name!r} ({c.listener.protocol}) conflicts with listener "
                f"{other.name!r}{where} ({other.protocol}) on port {c.listener.port}")

    def _resolved(self, ls: Listener, certs: Verdicts, ca: Verdicts) -> Condition:
        """False with the reason of the first problem (certificateRefs, RefNotPermitted first;
        then allowedRoutes.kinds; then frontend CA refs); every problem is a cause, since each
        alone keeps the condition False."""
        refs, problems = certs
        ca_refs, ca_problems = ca
        kind_causes = tuple(_cause(ls, "allowedRoutes", "kinds", i) for i, _ in ls.invalid_kinds)
        causes = (self._ref_causes(refs, problems) + kind_causes
                  + self._ref_causes(ca_refs, ca_problems))
        decided = [p for p in problems if p.decided]
        if decided:
            first = next((p for p in decided if p.reason == C.R_REF_NOT_PERMITTED), decided[0])
            partial = len(problems) < len(refs)
            detail = P.CERTIFICATE_PARTIALLY_INVALID if (
                partial and first.reason != C.R_REF_NOT_PERMITTED) else first.detail
            return Condition(C.RESOLVED_REFS, C.FALSE, first.reason, _message(decided),
                             causes, detail=detail)
        if ls.invalid_kinds:
            kinds = ", ".join(k if g == GATEWAY_GROUP else f"{k}.{g}"
                              for _, (g, k) in ls.invalid_kinds)
            return Condition(C.RESOLVED_REFS, C.FALSE, C.R_INVALID_ROUTE_KINDS,
                             f"{ls.protocol} listeners cannot serve route kinds {kinds}",
                             kind_causes + self._ref_causes(ca_refs, ca_problems)
                             + self._ref_causes(refs, problems))
        ca_decided = [p for p in ca_problems if p.decided]
        if ca_decided:
            return Condition(C.RESOLVED_REFS, C.FALSE, ca_decided[0].reason,
                             _message(ca_decided),
                             self._ref_causes(ca_refs, ca_problems)
                             + self._ref_causes(refs, problems),
                             detail=ca_decided[0].detail)
        undecided = [p for p in problems + ca_problems if not p.decided]
        if undecided:
            return Condition(C.RESOLVED_REFS, C.UNKNOWN, undecided[0].reason,
                             _message(undecided),
                             self._ref_causes(refs + ca_refs, problems + ca_problems),
                             detail=undecided[0].detail, undecided=undecided[0].message,
                             likely=(C.FALSE, undecided[0].reason))
        return Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS, "All references resolved")

    @staticmethod
    def _ref_causes(refs: list[Ref], problems: list[RefProblem]) -> tuple[Cause, ...]:
        """The offending field of every problem, the decided ones first."""
        source = refs[0].source if refs else None
        ordered = [p for p in problems if p.decided] + [p for p in problems if not p.decided]
        return tuple(Cause(source, p.path) for p in ordered) if source is not None else ()

    @staticmethod
    def _unservable(accepted: Condition, programmed: Condition, profile: P.Profile
                    ) -> Condition:
        """Accepted of a listener that cannot be programmed (no usable certificate, no route
        kind it can serve): the spec keeps Accepted=True (conformance GatewayInvalidRouteKind and
        GatewayInvalidTLSConfiguration check ResolvedRefs and Programmed); a profile may refuse it
        instead (Cilium: Accepted=False Invalid), then for the same causes."""
        if accepted.status != C.TRUE or programmed.detail not in (
                P.LISTENER_UNSERVABLE, P.LISTENER_CERT_NOT_PERMITTED):
            return profile.apply(accepted)
        refused = profile.apply(Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, accepted.message,
                                          detail=programmed.detail))
        if refused.status != C.TRUE:
            refused.message, refused.causes = programmed.message, programmed.causes
        return refused

    def _programmed(self, ls: Listener, accepted: Condition, certs: Verdicts) -> Condition:
        if accepted.status == C.FALSE:
            reason = accepted.reason if accepted.reason in (C.R_HOSTNAME_CONFLICT,
                                                            C.R_PROTOCOL_CONFLICT) else C.R_INVALID
            return Condition(C.PROGRAMMED, C.FALSE, reason, accepted.message, accepted.causes,
                             basis=accepted.basis)
        if accepted.status == C.UNKNOWN:
            reason = accepted.reason if accepted.reason in (C.R_HOSTNAME_CONFLICT,
                                                            C.R_PROTOCOL_CONFLICT) else C.R_INVALID
            loses = accepted.likely is not None and accepted.likely[0] == C.FALSE
            return Condition(C.PROGRAMMED, C.UNKNOWN, reason, accepted.message,
                             accepted.causes, basis=accepted.basis, undecided=accepted.undecided,
                             likely=(C.FALSE, reason) if loses else (C.TRUE, C.R_PROGRAMMED))
        refs, problems = certs
        if refs and len(problems) == len(refs):
            causes = self._ref_causes(refs, problems)
            if all(p.decided for p in problems):
                granted = any(p.reason != C.R_REF_NOT_PERMITTED for p in problems)
                return Condition(C.PROGRAMMED, C.FALSE, C.R_INVALID,
                                 f"no usable certificate: {_message(problems)}", causes,
                                 detail=P.LISTENER_UNSERVABLE if granted
                                 else P.LISTENER_CERT_NOT_PERMITTED)
            return Condition(C.PROGRAMMED, C.UNKNOWN, C.R_INVALID, _message(problems), causes,
                             undecided="a certificateRef target is not in the linted files",
                             likely=(C.FALSE, C.R_INVALID))
        if ls.invalid_kinds and not ls.supported_kinds:
            return Condition(C.PROGRAMMED, C.FALSE, C.R_INVALID,
                             "no route kind listed in allowedRoutes.kinds can be served",
                             tuple(_cause(ls, "allowedRoutes", "kinds", i)
                                   for i, _ in ls.invalid_kinds),
                             detail=P.LISTENER_UNSERVABLE)
        selector = _selector_problem(ls)
        if selector is not None:
            text, where = selector
            return Condition(C.PROGRAMMED, C.FALSE, C.R_INVALID, text,
                             (_cause(ls, "allowedRoutes", "namespaces", *where),))
        return Condition(C.PROGRAMMED, C.TRUE, C.R_PROGRAMMED, "Listener is programmed")

    def _conflicted(self, conflict: ConflictState | None) -> Condition:
        if conflict is None:
            return Condition(C.CONFLICTED, C.FALSE, C.R_NO_CONFLICTS, "No conflicts")
        c = conflict.conflict
        cause = self._conflict_cause(c)
        if conflict.status == C.TRUE:
            return Condition(C.CONFLICTED, C.TRUE, c.reason, self._conflict_message(c), (cause,))
        return Condition(C.CONFLICTED, C.UNKNOWN, c.reason, self._conflict_message(c), (cause,),
                         undecided=self._undecided_text(),
                         likely=(C.TRUE, c.reason) if conflict.likely else
                         (C.FALSE, C.R_NO_CONFLICTS))

    @staticmethod
    def _overlapping(c: ListenerConflict | None) -> Condition | None:
        """OverlappingHostnames. Not OverlappingCertificates: that reason is for certificates
        whose names overlap, which the files do not tell (placeholder data, Secrets produced
        elsewhere); listeners that share one Secret are OverlappingHostnames
        (GatewayOverlappingTLSConfigHostnames: every listener references the same Secret)."""
        if c is None:
            return None
        ls, other = c.listener, c.other
        cause = Cause(ls.owner, ls.hostname_path if ls.hostname else ls.path)
        host = f"'{ls.hostname}'" if ls.hostname else "no hostname"
        ohost = f"'{other.hostname}'" if other.hostname else "no hostname"
        msg = (f"listener {ls.name!r} ({host}) overlaps listener {other.name!r} ({ohost}) "
               f"on port {ls.port}")
        return Condition(C.OVERLAPPING_TLS_CONFIG, C.TRUE, C.R_OVERLAPPING_HOSTNAMES, msg,
                         (cause,))


def one_label_overlaps(gateway: Resource, listeners: list[Listener]
                       ) -> dict[Listener, ListenerConflict]:
    """HTTPS listeners of one port that overlap by Envoy Gateway's rule: either has no hostname,
    the hostnames are equal, or one is `*.d` and the other one label under `d`. Indexed by
    hostname and parent domain: linear in the listeners."""
    out: dict[Listener, ListenerConflict] = {}
    by_port: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in listeners:
        if ls.protocol == "HTTPS":
            by_port[ls.port].append(ls)
    for group in by_port.values():
        if len(group) < 2:
            continue
        anyhost: list[Listener] = []
        exact: dict[str, list[Listener]] = defaultdict(list)   # hostname (wildcards as written)
        under: dict[str, list[Listener]] = defaultdict(list)   # parent domain of a plain name
        for ls in group:
            h = (ls.hostname or "").lower()
            if not h:
                anyhost.append(ls)
                continue
            exact[h].append(ls)
            if not h.startswith("*."):
                under[h.partition(".")[2]].append(ls)
        for ls in group:
            h = (ls.hostname or "").lower()
            if not h:
                cands: list[Listener] = group
            elif h.startswith("*."):
                cands = anyhost + exact[h] + under.get(h[2:], [])
            else:
                cands = anyhost + exact[h] + exact.get("*." + h.partition(".")[2], [])
            partner = next((c for c in cands if c is not ls), None)
            if partner is not None:
                out[ls] = attachment.ListenerConflict(attachment.OVERLAPPING_HOSTNAMES, ls,
                                                      partner, gateway)
    return out


# --- Gateway and ListenerSet aggregate conditions ----------------------------------------------
def _invalid_causes(listeners: list[ListenerStatus]) -> tuple[Cause, ...]:
    out: list[Cause] = []
    for ls in listeners:
        if ls.valid is not True:
            for t in (C.ACCEPTED, C.PROGRAMMED):
                cond = ls.conditions.get(t)
                if cond is not None and cond.status != C.TRUE:
                    out.extend(cond.causes)
                    break
    return tuple(dict.fromkeys(out))


def _likely_valid(ls: ListenerStatus) -> bool:
    """A listener's validity when its Unknown conditions take their likely outcome."""
    for t in (C.ACCEPTED, C.PROGRAMMED):
        cond = ls.conditions.get(t)
        if cond is None:
            continue
        status = cond.likely[0] if cond.status == C.UNKNOWN and cond.likely else cond.status
        if status == C.FALSE:
            return False
    return True


def settled(cond: Condition) -> Condition:
    """A condition a profile turned healthy (Istio's Gateway Accepted whatever its listeners)
    is no consequence of the listeners' findings: it keeps no causes."""
    if cond.status == C.TRUE and not cond.is_problem and cond.basis.startswith("profile:"):
        cond.causes = ()
    return cond


def aggregate(status: ObjectStatus, listeners: list[ListenerStatus], kind: str,
              profile: P.Profile) -> None:
    """Accepted/Programmed of a Gateway or ListenerSet from its listeners' validity."""
    valid = [ls.valid for ls in listeners]
    any_valid, all_valid = tri_or(valid), tri_and(valid)
    invalid = [ls.name for ls in listeners if ls.valid is False]
    causes = _invalid_causes(listeners)
    names = ", ".join(repr(n) for n in invalid)
    conds = status.conditions
    programmed_reason = C.R_LISTENERS_NOT_VALID if kind == "ListenerSet" else C.R_INVALID
    if all_valid is True:
        conds.set(Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, f"{kind} is accepted"))
        conds.set(Condition(C.PROGRAMMED, C.TRUE, C.R_PROGRAMMED, f"{kind} is programmed"))
        return
    likely = [_likely_valid(ls) for ls in listeners]
    if any_valid is True:
        if all_valid is False:
            # Cilium tells a listener with an unsupported protocol apart (profiles.py)
            unsupported = any(getattr(ls.conditions.get(C.ACCEPTED), "reason", None)
                              == C.R_UNSUPPORTED_PROTOCOL for ls in listeners
                              if ls.valid is False)
            detail = P.SOME_LISTENERS_UNSUPPORTED if unsupported else P.SOME_LISTENERS_INVALID
            conds.set(settled(profile.apply(Condition(
                C.ACCEPTED, C.TRUE, C.R_LISTENERS_NOT_VALID,
                f"listeners not valid: {names}; the others are accepted", causes,
                detail=detail if kind == "Gateway" else None))))
        else:
            # a listener is certainly valid, so Accepted is True whatever the undecided ones
            # turn out to be ("True or False, depending on whether the listener being invalid
            # causes the entire Gateway to not be accepted"); only the reason waits on them
            reason = C.R_ACCEPTED if all(likely) else C.R_LISTENERS_NOT_VALID
            other = C.R_LISTENERS_NOT_VALID if reason == C.R_ACCEPTED else C.R_ACCEPTED
            conds.set(Condition(C.ACCEPTED, C.TRUE, reason,
                                f"{kind} is accepted: some listeners are valid; the reason is "
                                f"{other} if the undecided listeners turn out otherwise", causes,
                                undecided="a listener condition is Unknown"))
        conds.set(Condition(C.PROGRAMMED, C.TRUE, C.R_PROGRAMMED, f"{kind} is programmed"))
        return
    if any_valid is False:
        conds.set(settled(profile.apply(Condition(
            C.ACCEPTED, C.FALSE, C.R_LISTENERS_NOT_VALID, f"no valid listeners: {names}", causes,
            detail=P.NO_VALID_LISTENERS if kind == "Gateway" else None))))
        conds.set(settled(profile.apply(Condition(C.PROGRAMMED, C.FALSE, programmed_reason,
                                                   f"no valid listeners: {names}", causes,
                                                   detail=P.NO_VALID_LISTENERS))))
        return
    some = any(likely)
    for t, ok, bad in ((C.ACCEPTED, (C.TRUE, C.R_ACCEPTED) if all(likely) else
                        (C.TRUE, C.R_LISTENERS_NOT_VALID), (C.FALSE, C.R_LISTENERS_NOT_VALID)),
                       (C.PROGRAMMED, (C.TRUE, C.R_PROGRAMMED), (C.FALSE, programmed_reason))):
        reason = C.R_LISTENERS_NOT_VALID if t == C.ACCEPTED else programmed_reason
        conds.set(Condition(t, C.UNKNOWN, reason, "no listener is certainly valid", causes,
                            undecided="a listener condition is Unknown",
                            likely=ok if some else bad))


def gateway_parameters(ctx: Context, gw: Resource) -> Condition | None:
    """Accepted=False InvalidParameters for spec.infrastructure.parametersRef to a missing
    object (LocalParametersReference: the Gateway's namespace)."""
    refs = ctx.refs_from(gw, PARAMETERS)
    if not refs:
        return None
    key, name = refs[0].target, refs[0].target.name
    found = presence(ctx, key)
    cause = Cause(gw, refs[0].path)
    if found:
        return None
    if found is False:
        return Condition(C.ACCEPTED, C.FALSE, C.R_INVALID_PARAMETERS,
                         f"parametersRef {key.kind} {gw.namespace}/{name} not found", (cause,))
    return Condition(C.ACCEPTED, C.UNKNOWN, C.R_INVALID_PARAMETERS,
                     f"parametersRef {key.kind} {gw.namespace}/{name} is not in the linted files",
                     (cause,), undecided="the parametersRef target is not in the linted files",
                     likely=(C.FALSE, C.R_INVALID_PARAMETERS))


def client_certificate(ctx: Context, model: StatusModel, gw: Resource) -> Condition | None:
    """Gateway ResolvedRefs for spec.tls.backend.clientCertificateRef (only when set)."""
    refs = ctx.refs_from(gw, CLIENT_CERTIFICATE)
    if not refs:
        return None
    problem = model.reference(refs[0])
    if problem is None:
        return Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS, "All references resolved")
    cause = Cause(gw, problem.path)
    if problem.decided:
        return Condition(C.RESOLVED_REFS, C.FALSE, problem.reason, problem.message, (cause,),
                         detail=problem.detail)
    return Condition(C.RESOLVED_REFS, C.UNKNOWN, problem.reason, problem.message, (cause,),
                     detail=problem.detail, undecided=problem.message,
                     likely=(C.FALSE, problem.reason))


INSECURE_FALLBACK = "AllowInsecureFallback"


def insecure_frontend(gw: Resource) -> Condition | None:
    """InsecureFrontendValidationMode=True ConfigurationChanged for a Gateway whose client
    certificate validation allows insecure fallback, by default or on one port (never False:
    the condition is removed when the mode is AllowValidOnly again)."""
    frontend = as_dict(as_dict(gw.spec.get("tls")).get("frontend"))
    paths: list[tuple[str | int, ...]] = []
    default = as_dict(as_dict(frontend.get("default")).get("validation"))
    if default.get("mode") == INSECURE_FALLBACK:
        paths.append(("spec", "tls", "frontend", "default", "validation", "mode"))
    for i, entry in enumerate(as_list(frontend.get("perPort"))):
        validation = as_dict(as_dict(as_dict(entry).get("tls")).get("validation"))
        if validation.get("mode") == INSECURE_FALLBACK:
            paths.append(("spec", "tls", "frontend", "perPort", i, "tls", "validation", "mode"))
    if not paths:
        return None
    return Condition(C.INSECURE_FRONTEND_VALIDATION_MODE, C.TRUE, C.R_CONFIGURATION_CHANGED,
                     "client certificate validation allows insecure fallback "
                     "(AllowInsecureFallback)", tuple(Cause(gw, path) for path in paths))
