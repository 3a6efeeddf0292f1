"""Policy status (BackendTLSPolicy; XBackendTrafficPolicy of the experimental channel, the other
kind of v1.6.1 with PolicyAncestorStatus): one `status.ancestors[]` entry per Gateway the policy
applies through.

Ancestors: "in BackendTLSPolicy, the Policy attaches to a Service that is used as a backend in a
HTTPRoute that is itself attached to a Gateway. In this case, the relevant object for status is
the Gateway" (PolicyAncestorStatus). So the ancestors are the Gateways (of the route parents not
refused) of every route with a backendRef to a targeted Service; a policy no route uses has no
ancestor and an empty list ("An empty list means the Policy is not relevant for any
ancestors"); its verdicts stay readable through the model (`ObjectStatus.unattached`).

Per ancestor (`policy_types.go` PolicyConditionReason, `backendtlspolicy_types.go`):

* Accepted  False TargetNotFound when the targetRef's Service (or its sectionName, a port name)
  does not exist; False Conflicted for every policy but the oldest (then first by namespace/name)
  on the same Service and sectionName ("For any BackendTLSPolicy that does not take precedence, the
  implementation MUST ensure the Accepted Condition is set to status: False, with Reason
  Conflicted"; a policy with and one without sectionName do not conflict)
  [BackendTLSPolicyConflictResolution]; False NoValidCACertificate when every caCertificateRef is
  invalid ("If ALL CACertificateRefs are invalid ... Accepted ... False, with a Reason
  NoValidCACertificate") [BackendTLSPolicyInvalidCACertificateRef, BackendTLSPolicyInvalidKind];
  else True Accepted. Unknown Conflicted when the creationTimestamps that decide are missing.
* ResolvedRefs  False InvalidKind / InvalidCACertificateRef for the first invalid
  caCertificateRef ("In all cases, the implementation MUST ensure the ResolvedRefs Condition on
  the BackendTLSPolicy is set to status: False"); else True ResolvedRefs.

The route itself stays Accepted [the same tests wait for the route and Gateway to be accepted].

XBackendTrafficPolicy (targetRefs: Services, no sectionName): Accepted only (it references nothing
else): False TargetNotFound, False Conflicted when an older policy (then first by
namespace/name; Unknown when undated) on the same Service sets the same field (`retryConstraint`,
`sessionPersistence`: GEP-713, conflicting values of one field, only the loser), else True.

At most 16 ancestors are written ("A maximum of 16 ancestors will be represented in this list";
maxItems 16): past that, the first 16 Gateways by namespace/name.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from gwlint import precedence
from gwlint.model import GATEWAY_X_GROUP, ObjKey, Resource, as_str
from gwlint.refs import BACKEND, CA_CERTIFICATE, MIRROR, POLICY_TARGET, Ref
from gwlint.status import conditions as C
from gwlint.status import profiles as P
from gwlint.status.conditions import Cause, Condition, Conditions
from gwlint.status.gateways import settled
from gwlint.status.model import AncestorStatus, ObjectStatus, StatusModel
from gwlint.status import refcheck
from gwlint.status.refcheck import SERVICE

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.gateways import Controller

POLICY_KINDS = (("gateway.networking.k8s.io", "BackendTLSPolicy"),
                (GATEWAY_X_GROUP, "XBackendTLSPolicy"),
                (GATEWAY_X_GROUP, "XBackendTrafficPolicy"))
# the kinds whose status has ResolvedRefs (their caCertificateRefs); the others Accepted only
TLS_POLICY_KINDS = frozenset({"BackendTLSPolicy", "XBackendTLSPolicy"})
# XBackendTrafficPolicy: the spec fields two policies on one Service can set (GEP-713: where two
# policies set the same field, the older wins and only the other is Conflicted)
TRAFFIC_FIELDS = ("retryConstraint", "sessionPersistence")
# "A maximum of 16 ancestors will be represented in this list ... If this slice is full,
# implementations MUST NOT add further entries" (PolicyStatus.ancestors, maxItems 16)
MAX_ANCESTORS = 16


def _ancestor_key(gw: Resource) -> tuple[str, str]:
    """Which ancestors fill a full list: the first by namespace/name (the order the API server
    lists them in; Envoy Gateway keeps these, backendtlspolicy-status-conditions-truncated)."""
    return (gw.namespace or "", gw.name)


def _mesh_profile(ctx: Context, model: StatusModel) -> P.Profile | None:
    """The mesh that writes policy ancestors of its own (profiles.py `mesh_policy_controller`):
    the implementation `--implementation` names, else that of the one controllerName of the
    accepted GatewayClasses in the files (the mesh runs with the Gateway controller, as the
    routes' mesh entries assume)."""
    chosen = ctx.options.implementation
    if chosen:
        profile = P.profile_for(None, chosen)
        return profile if profile.mesh_policy_controller else None
    names: set[str] = set()
    for cls in ctx.of_kind("GatewayClass"):
        status = model.of(cls)
        name = as_str(cls.spec.get("controllerName"))
        if name and status is not None and status.conditions.status(C.ACCEPTED) == C.TRUE:
            names.add(name)
    if len(names) != 1:
        return None
    profile = P.profile_for(next(iter(names)))
    return profile if profile.mesh_policy_controller else None


def _conflict_fields(policy: Resource) -> tuple[str, ...]:
    """What two policies on one target conflict over: a BackendTLSPolicy over the whole TLS
    configuration ("" : any two conflict), an XBackendTrafficPolicy over each field it sets."""
    if policy.kind in TLS_POLICY_KINDS:
        return ("",)
    return tuple(f for f in TRAFFIC_FIELDS if policy.spec.get(f) is not None)


class PolicyJudge:
    """Decides every BackendTLSPolicy's and XBackendTrafficPolicy's ancestors and conditions."""

    def __init__(self, ctx: Context, model: StatusModel, controllers: dict[int, Controller],
                 route_gateways: dict[int, list[Resource]],
                 judged_by: P.Profile = P.SPEC_PROFILE) -> None:
        self.ctx = ctx
        self.model = model
        # the implementation whose caCertificateRef verdicts the model holds
        self.judged_by = judged_by
        self.mesh = _mesh_profile(ctx, model)
        self.controllers = controllers
        self.route_gateways = route_gateways  # id(route) -> Gateways that accept it
        self.service_gateways: dict[ObjKey, list[Resource]] = defaultdict(list)
        for ref in ctx.refs(BACKEND, MIRROR):
            if (ref.target.group, ref.target.kind) != SERVICE:
                continue
            for gw in route_gateways.get(id(ref.source), ()):
                bucket = self.service_gateways[ref.target]
                if not any(g is gw for g in bucket):
                    bucket.append(gw)
        self.targets: dict[int, list[Ref]] = defaultdict(list)
        self.cas: dict[int, list[Ref]] = defaultdict(list)
        for ref in ctx.refs(POLICY_TARGET):
            self.targets[id(ref.source)].append(ref)
        for ref in ctx.refs(CA_CERTIFICATE):
            self.cas[id(ref.source)].append(ref)

    def policies(self) -> list[Resource]:
        out: list[Resource] = []
        for group, kind in POLICY_KINDS:
            out.extend(self.ctx.of_kind(kind, group))
        return out

    def run(self) -> list[ObjectStatus]:
        policies = self.policies()
        conflicts = self._conflicts(policies)
        return [self._status(p, conflicts.get(id(p))) for p in policies]

    # --- conflicts ----------------------------------------------------------------------------
    def _conflicts(self, policies: list[Resource]) -> dict[int, tuple[Resource, bool, Ref, bool]]:
        """id(policy) -> (the other policy, decided?, the policy's targetRef, loses?). The
        oldest wins, then the first by namespace/name; undecided winners are listed too
        (Unknown)."""
        groups: dict[tuple[str, ObjKey, str | None], list[tuple[Resource, Ref]]] = (
            defaultdict(list))
        for policy in policies:
            for ref in self.targets.get(id(policy), ()):
                for field in _conflict_fields(policy):
                    groups[(field, ref.target, ref.section_name)].append((policy, ref))
        out: dict[int, tuple[Resource, bool, Ref, bool]] = {}
        for members in groups.values():
            if len(members) < 2:
                continue
            members.sort(key=lambda m: precedence.sort_key(m[0]))
            winner, winner_ref = members[0]
            for policy, ref in members[1:]:
                if policy is winner:
                    continue
                decided = precedence.wins(winner, policy) is not None
                out[id(policy)] = (winner, decided, ref, True)
                if not decided and id(winner) not in out:
                    out[id(winner)] = (policy, False, winner_ref, False)
        return out

    # --- one policy ---------------------------------------------------------------------------
    def _status(self, policy: Resource, conflict: tuple[Resource, bool, Ref, bool] | None
                ) -> ObjectStatus:
        status = ObjectStatus(policy)
        if conflict is not None and conflict[3]:
            status.rival = conflict[0]
        gateways: list[Resource] = []
        for ref in self.targets.get(id(policy), ()):
            for gw in self.service_gateways.get(ref.target, ()):
                if not any(g is gw for g in gateways):
                    gateways.append(gw)
        status.ancestors.extend(self._mesh_ancestors(policy, conflict))
        if not gateways and not status.ancestors:
            self._conditions(policy, conflict, status.unattached, P.SPEC_PROFILE)
            return status
        room = MAX_ANCESTORS - len(status.ancestors)
        if len(gateways) > room:
            gateways = sorted(gateways, key=_ancestor_key)[:room]
        for gw in gateways:
            controller = self.controllers.get(id(gw))
            if controller is None or not controller.reconciled:
                continue
            ancestor = AncestorStatus(gw, controller.name)
            self._conditions(policy, conflict, ancestor.conditions, controller.profile)
            status.ancestors.append(ancestor)
        return status

    def _mesh_ancestors(self, policy: Resource,
                        conflict: tuple[Resource, bool, Ref, bool] | None
                        ) -> list[AncestorStatus]:
        """The entries a mesh writes (profiles.py, `mesh_policy_controller`): one per targetRef,
        the Service as written, judged on that targetRef alone."""
        profile = self.mesh
        if profile is None or profile.mesh_policy_controller is None:
            return []
        out: list[AncestorStatus] = []
        for ref in self.targets.get(id(policy), ())[:MAX_ANCESTORS]:
            t = ref.target
            written = {"group": t.group, "kind": t.kind, "name": t.name}
            if ref.section_name is not None:
                written["sectionName"] = ref.section_name
            ancestor = AncestorStatus(policy, profile.mesh_policy_controller, ref=written)
            self._conditions(policy, conflict, ancestor.conditions, profile, (ref,))
            out.append(ancestor)
        return out

    def _conditions(self, policy: Resource, conflict: tuple[Resource, bool, Ref, bool] | None,
                    conds: Conditions, profile: P.Profile,
                    targets: tuple[Ref, ...] | None = None) -> None:
        accepted = self._target(policy, targets) or self._conflicted(conflict) or None
        if policy.kind not in TLS_POLICY_KINDS:
            conds.set(profile.apply(accepted or Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED,
                                                          "Policy accepted")))
            return
        refs = self.cas.get(id(policy), [])
        problems = [(r, p) for r, p in ((r, self._ca_verdict(r, profile)) for r in refs)
                    if p is not None]
        decided = [(r, p) for r, p in problems if p.decided]
        if accepted is None and refs and len(decided) == len(refs):
            accepted = Condition(C.ACCEPTED, C.FALSE, C.R_NO_VALID_CA_CERTIFICATE,
                                 "no valid CA certificate: " + "; ".join(p.message
                                                                         for _, p in decided),
                                 tuple(Cause(r.source, p.path) for r, p in decided),
                                 detail=P.NO_VALID_CA)
        elif accepted is None and refs and len(problems) == len(refs):
            accepted = Condition(C.ACCEPTED, C.UNKNOWN, C.R_NO_VALID_CA_CERTIFICATE,
                                 "no CA certificate is certainly valid: "
                                 + "; ".join(p.message for _, p in problems),
                                 tuple(Cause(r.source, p.path) for r, p in problems),
                                 undecided="a caCertificateRef target is not in the linted files",
                                 likely=(C.FALSE, C.R_NO_VALID_CA_CERTIFICATE))
        if accepted is None:
            accepted = Condition(C.ACCEPTED, C.TRUE, C.R_ACCEPTED, "Policy accepted")
        conds.set(settled(profile.apply(accepted)))
        if decided:
            _, first = decided[0]
            resolved = Condition(C.RESOLVED_REFS, C.FALSE, first.reason,
                                 "; ".join(p.message for _, p in decided),
                                 tuple(Cause(r.source, p.path) for r, p in decided),
                                 detail=P.POLICY_CA.get(first.detail, first.detail))
        elif problems:
            _, first = problems[0]
            resolved = Condition(C.RESOLVED_REFS, C.UNKNOWN, first.reason, first.message,
                                 tuple(Cause(r.source, p.path) for r, p in problems),
                                 detail=P.POLICY_CA.get(first.detail, first.detail),
                                 undecided=first.message,
                                 likely=(C.FALSE, first.reason))
        else:
            resolved = Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS,
                                 "All references resolved")
        conds.set(settled(profile.apply(resolved)))

    def _ca_verdict(self, ref: Ref, profile: P.Profile) -> refcheck.RefProblem | None:
        """A caCertificateRef's verdict for the ancestor's implementation: the model's, unless
        that implementation resolves other kinds than the one the model judged for."""
        if profile.backend_ca_kinds == self.judged_by.backend_ca_kinds:
            return self.model.reference(ref)
        return refcheck.ca_ref(self.ctx, ref, profile)

    def _target(self, policy: Resource, targets: tuple[Ref, ...] | None = None
                ) -> Condition | None:
        """Accepted from the targetRefs' verdicts (`refcheck.target_ref`; `targets`: those of
        one mesh ancestor): False TargetNotFound when one is missing (every missing one is a
        cause), Unknown when one may exist outside the files."""
        refs = self.targets.get(id(policy), ()) if targets is None else targets
        problems = [p for p in (self.model.reference(r) for r in refs) if p is not None]
        decided = [p for p in problems if p.decided]
        if decided:
            return Condition(C.ACCEPTED, C.FALSE, C.R_TARGET_NOT_FOUND,
                             "; ".join(p.message for p in decided),
                             tuple(Cause(policy, p.path) for p in decided),
                             detail=decided[0].detail)
        if problems:
            return Condition(C.ACCEPTED, C.UNKNOWN, C.R_TARGET_NOT_FOUND, problems[0].message,
                             tuple(Cause(policy, p.path) for p in problems),
                             detail=problems[0].detail, undecided=problems[0].message,
                             likely=(C.FALSE, C.R_TARGET_NOT_FOUND))
        return None

    @staticmethod
    def _conflicted(conflict: tuple[Resource, bool, Ref, bool] | None) -> Condition | None:
        if conflict is None:
            return None
        other, decided, ref, loses = conflict
        section = f" port {ref.section_name!r} of" if ref.section_name else ""
        msg = (f"{other.label()} targets the same{section} Service "
               f"{ref.target.namespace}/{ref.target.name}")
        cause = (Cause(ref.source, ref.path),)
        if decided:
            return Condition(C.ACCEPTED, C.FALSE, C.R_CONFLICTED,
                             msg + " and takes precedence", cause)
        return Condition(C.ACCEPTED, C.UNKNOWN, C.R_CONFLICTED,
                         msg + "; the older one takes precedence", cause,
                         undecided="creationTimestamp is not in the files (created in the same "
                                   "second: the first by namespace/name wins)",
                         likely=(C.FALSE, C.R_CONFLICTED) if loses else (C.TRUE, C.R_ACCEPTED))
