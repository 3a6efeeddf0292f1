"""Implementation profiles: where a controller writes something other than the spec, as data.

The status model decides every condition by the spec and tags it with a `detail` (a cause finer
than the reason). A profile, chosen from the `controllerName` of the GatewayClass that owns the
object (the parent Gateway's class for routes, the ancestor Gateway's class for policies) through
`gwlint.implementations.implementation_for` (exact controllerName -> implementation, as the
bundled conformance reports name it), maps (condition type, detail) to the (status, reason) that
implementation writes instead; `--implementation NAME` chooses the profile for every object.
Adding an implementation is adding a `Profile` row named like the implementation, never a code
fork; implementations without a row follow the spec.

Shipped overrides (each verified in the implementation's source):

* Envoy Gateway (`gateway.envoyproxy.io/gatewayclass-controller`): a backendRef port that is not
  a port of the Service is `ResolvedRefs=False PortNotFound` (envoyproxy/gateway,
  `internal/gatewayapi/status`: `RouteReasonPortNotFound = "PortNotFound"`; the spec folds it
  into `BackendNotFound`); a listener with several certificateRefs of which some are valid is
  `ResolvedRefs=False PartiallyInvalidCertificateRef` and stays Accepted/Programmed
  (`status.ListenerReasonPartiallyInvalidCertificateRef`, "we program the listener using only
  the valid certificates"; the spec says `InvalidCertificateRef` for "at least one" invalid ref);
  a ListenerSet whose Gateway is not accepted is `Programmed=False` with reason `Programmed`
  (`internal/gatewayapi/listenerset.go`, `processListenerSet`: `UpdateListenerSetStatusProgrammed(
  ls, false, gwapiv1.ListenerSetReasonProgrammed, "Not Programmed")`; the spec's reason is
  `ParentNotProgrammed`).
* Cilium (`io.cilium/gateway-controller`): a Gateway none of whose listeners is valid is
  `Programmed=False ListenersNotValid` (the spec names `Invalid` for Programmed; ListenersNotValid
  is an Accepted reason), as its operator's test outputs show for a Gateway whose only listener
  has a malformed certificate, only unsupported route kinds, or an invalid frontend CA; and a
  Gateway refused for its `infrastructure.parametersRef` (`Accepted=False InvalidParameters`)
  is `Programmed=Unknown Pending` ("Waiting for Accepted condition to be True"; the spec's reason
  for a semantically invalid Gateway is `Invalid`); a listener that cannot be programmed (no
  usable certificate: missing or malformed Secret; no route kind it can serve) is
  `Accepted=False Invalid` ("Listener not valid. Invalid CertificateRef ..."; the spec and the
  conformance tests keep it Accepted and say `Programmed=False Invalid`) (cilium/cilium
  `operator/pkg/gateway-api/testdata/gateway/*/output`: gateway-invalid-tls-configuration,
  gateway-invalid-route-kind); a Gateway with some invalid listeners is `Accepted=True
  Accepted` unless one of them has an unsupported protocol (then `True ListenersNotValid`, as
  the spec says for any invalid listener) (`operator/pkg/gateway-api/gateway_reconcile.go`:
  `ListenersStatusValidWithUnsupportedProtocol` alone sets ListenersNotValid; test output
  gateway-frontend-tls-validation `invalid-default-frontend-validation-http-listener`).
* Istio (`istio.io/gateway-controller`): a listener checks the route's hostnames before its
  namespace, so a route refused by `allowedRoutes.namespaces` whose hostnames do not intersect
  the listener's either is `Accepted=False NoMatchingListenerHostname` (istio/istio
  `pilot/pkg/config/kube/gateway` testdata `route-binding`: "no hostnames matched parent
  hostname", and "hostnames matched parent hostname ..., but namespace ... is not allowed" only
  once they match); and of several failing backendRefs, an unsupported kind or a missing
  ReferenceGrant decides `ResolvedRefs` before a missing backend, which Istio skips and keeps
  going (testdata `invalid`: a route with a missing Service, then a valid one, then kind
  `GcsBucket` is `InvalidKind`).
* Istio derives a Gateway's `Programmed` from its addresses alone (`True Programmed` with no
  valid listener, or refused for its `infrastructure.parametersRef`; the spec: `False Invalid`)
  and always writes its `ResolvedRefs` (True without a client certificate); its `Accepted`
  follows the spec (`False ListenersNotValid` with no valid listener, `True ListenersNotValid`
  with some) (istio/istio `pilot/pkg/config/kube/gateway` testdata `frontend-tls-invalid`,
  `frontend-tls-refgrant`, `gateway-invalid-parameters-ref`; older releases kept every Gateway
  `Accepted=True`, "the status is not supposed to be tied to listeners"). A listener none of
  whose certificateRefs a ReferenceGrant permits is `Accepted=False NoValidCACertificate` there
  (testdata `frontend-tls-refgrant`, `cert-exists` and `cert-missing`; the spec keeps it
  Accepted, with `ResolvedRefs=False RefNotPermitted` and `Programmed=False Invalid`).
* Istio, a mesh, writes a policy's (BackendTLSPolicy, XBackendTrafficPolicy) targeted Services
  as ancestors too (`mesh_policy_controller`: one entry per targetRef, sectionName as written,
  controllerName `istio.io/mesh-controller`, even for a Service that does not exist:
  TargetNotFound), besides the Gateways; a caCertificateRef it cannot use makes the policy
  `Accepted=False Invalid` (the spec: `NoValidCACertificate`) and only a CA ConfigMap without
  its key `ResolvedRefs=False InvalidCACertificateRef` (an unsupported kind or a missing
  ConfigMap leaves `ResolvedRefs=True`; the spec: `InvalidKind` / `InvalidCACertificateRef`)
  (istio/istio `pilot/pkg/config/kube/gateway` testdata `backend-tls-policy`,
  `backend-traffic-policy-ignored`).
* Envoy Gateway and Istio accept an HTTPRoute and a GRPCRoute with intersecting hostnames on one
  listener, both (`http_grpc_exclusive=False`): kubernetes-sigs/gateway-api#4598 (merged,
  "not implemented by ... Istio, Kgateway, Envoy Gateway, Contour, Agentgateway"; the v1.6.1
  CRD text still says MUST), istio/istio#59204 closed unmerged, and Istio's testdata
  `http-grpc-same-host` has both routes `Accepted=True`.
* OverlappingTLSConfig (`overlap`). The spec: "TLS configuration within this Listener
  conflicts with TLS configuration in another Listener on the same port"
  (ListenerConditionOverlappingTLSConfig), so every TLS-terminating listener (HTTPS, TLS
  Terminate), and a wildcard covers any number of labels as everywhere in Gateway API hostnames
  (conformance GatewayOverlappingTLSConfigHostnames: `bar.bar.example.com` overlaps
  `*.example.com`, `example.com` does not). Envoy Gateway checks HTTPS listeners only, and its
  wildcard covers exactly one label; two wildcards overlap only when equal
  (envoyproxy/gateway `internal/gatewayapi/listener.go`, `checkOverlappingHostnames`,
  `areOverlappingHostnames` / `hostnameMatchesWithOther`: "not a subdomain").
* Istio writes an entry for a mesh route's Service parent that does not exist,
  `Accepted=False NoMatchingParent` ("parent service: \"not-found\" not found", testdata
  `invalid`; the spec adds no entry for a parent it cannot resolve).

Which kinds a caCertificateRef may name (`frontend_ca_kinds`: a Gateway's
`tls.frontend...validation.caCertificateRefs`; `backend_ca_kinds`: a BackendTLSPolicy's
`validation.caCertificateRefs`). The spec: "Support: Core - A single reference to a Kubernetes
ConfigMap ... Support: Implementation-specific - More than one reference, other kinds of
resources"; a kind the implementation does not support is `InvalidCACertificateKind` (frontend) or
`InvalidKind` (BackendTLSPolicy). The spec profile accepts core ConfigMap and core Secret (the
implementation-specific kind the others below resolve too); other kinds are refused.

* Cilium resolves a frontend CA ref of kind ConfigMap only: kind Secret is
  `ResolvedRefs=False InvalidCACertificateKind` (cilium/cilium
  `operator/pkg/gateway-api/helpers/frontend_tls.go`, `FrontendTLSConfigMapRefSet` keeps
  ConfigMap refs alone; its operator's frontend-validation test outputs).
* Envoy Gateway resolves BackendTLSPolicy CA refs of kind ConfigMap, Secret and
  ClusterTrustBundle, by kind whatever the group (envoyproxy/gateway
  `internal/gatewayapi/backendtlspolicy.go`, `getCaCertsFromCARefs`; testdata
  `backendtlspolicy-ca-clustertrustbundle`: group "" and `Accepted=True`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from gwlint.implementations.controllers import implementation_for
from gwlint.implementations.query import implementation, parse_spec
from gwlint.model import CORE_GROUP
from gwlint.status.conditions import Condition

# details (finer causes) that profiles may key on; the status model sets them
BACKEND_MISSING = "backend-missing"
BACKEND_PORT_UNKNOWN = "backend-port-unknown"
BACKEND_PORT_PROTOCOL = "backend-port-protocol"
BACKEND_KIND = "backend-kind"
REF_NOT_PERMITTED = "ref-not-permitted"
CERTIFICATE_INVALID = "certificate-invalid"
CERTIFICATE_PARTIALLY_INVALID = "certificate-partially-invalid"
NO_VALID_LISTENERS = "no-valid-listeners"  # a Gateway's Programmed=False: no listener is valid
PARENT_NOT_ACCEPTED = "parent-not-accepted"  # a ListenerSet's Programmed: its Gateway refuses
INVALID_PARAMETERS = "invalid-parameters"  # a Gateway's Programmed: its parametersRef is missing
# a listener's Programmed=False (and Accepted): no usable certificate, or no route kind it serves
LISTENER_UNSERVABLE = "listener-unservable"
LISTENER_CERT_NOT_PERMITTED = "listener-cert-not-permitted"  # every certificateRef: no grant
# a BackendTLSPolicy's Accepted=False NoValidCACertificate; why a caCertificateRef is invalid
# (the ResolvedRefs detail: refcheck sets them)
NO_VALID_CA = "no-valid-ca"
CA_KIND, CA_MISSING, CA_NO_KEY = "ca-kind", "ca-missing", "ca-no-key"
# the same causes on a policy's ResolvedRefs (a listener's ResolvedRefs keeps the ones above)
POLICY_CA = {CA_KIND: "policy-ca-kind", CA_MISSING: "policy-ca-missing",
             CA_NO_KEY: "policy-ca-no-key"}
# a Gateway's Accepted=True ListenersNotValid: some listeners are invalid, none for its protocol;
# some are invalid, one for its protocol
SOME_LISTENERS_INVALID = "some-listeners-invalid"
SOME_LISTENERS_UNSUPPORTED = "some-listeners-unsupported"
# a route's Accepted=False NotAllowedByListeners where the hostnames do not intersect either
NAMESPACE_AND_HOSTNAME = "namespace-and-hostname"
# how several failing backendRefs of a route make one ResolvedRefs reason (Profile.ref_reasons)
FIRST_IN_ORDER = "first"           # the first in document order (gwlint's choice; no spec rule)
KIND_AND_GRANT_FIRST = "hard-first"  # InvalidKind/RefNotPermitted before BackendNotFound

# which listeners have OverlappingTLSConfig (Profile.overlap)
OVERLAP_SPEC = "spec"  # TLS-terminating listeners; a wildcard covers any number of labels
OVERLAP_HTTPS_ONE_LABEL = "https-one-label"  # HTTPS only; a wildcard covers one label

# caCertificateRef kinds as (group, kind) (module docstring)
CA_CONFIGMAP = (CORE_GROUP, "ConfigMap")
CA_SECRET = (CORE_GROUP, "Secret")
CA_KINDS = frozenset({CA_CONFIGMAP, CA_SECRET})
CLUSTER_TRUST_BUNDLE = "ClusterTrustBundle"
CA_TRUST_BUNDLE = frozenset({(CORE_GROUP, CLUSTER_TRUST_BUNDLE),
                             ("certificates.k8s.io", CLUSTER_TRUST_BUNDLE)})


@dataclass(frozen=True, slots=True)
class Profile:
    """One implementation's deviations from the spec: (type, detail) -> (status, reason), and
    how several failing backendRefs of a route make one ResolvedRefs reason (`ref_reasons`)."""

    name: str
    overrides: Mapping[tuple[str, str], tuple[str, str]] = field(
        default_factory=lambda: MappingProxyType({}))
    ref_reasons: str = FIRST_IN_ORDER
    # an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener: only one is
    # accepted (GRPCRouteSpec.hostnames "MUST accept exactly one"); False: both are
    http_grpc_exclusive: bool = True
    # a mesh route's Service parent that does not exist: an entry Accepted=False
    # NoMatchingParent (the spec: no entry, "cannot be resolved ... will not be added")
    missing_service_parent_entry: bool = False
    # a mesh that writes a policy's targeted Services as its ancestors, with this controllerName
    mesh_policy_controller: str | None = None
    # a Gateway's ResolvedRefs=True even without spec.tls.backend.clientCertificateRef
    gateway_resolved_refs: bool = False
    # how listeners' hostnames overlap (OverlappingTLSConfig)
    overlap: str = OVERLAP_SPEC
    # the (group, kind)s a Gateway's frontend / a BackendTLSPolicy's caCertificateRefs may name
    frontend_ca_kinds: frozenset[tuple[str, str]] = CA_KINDS
    backend_ca_kinds: frozenset[tuple[str, str]] = CA_KINDS

    def apply(self, cond: Condition) -> Condition:
        """The condition this implementation writes (the same object when nothing differs)."""
        if cond.detail is None or not self.overrides:
            return cond
        hit = self.overrides.get((cond.type, cond.detail))
        if hit is None or hit == (cond.status, cond.reason):
            return cond
        cond.status, cond.reason = hit
        cond.basis = f"profile:{self.name}"
        return cond


SPEC_PROFILE = Profile("spec")

ENVOY_GATEWAY = Profile("envoy-gateway", MappingProxyType({
    ("ResolvedRefs", BACKEND_PORT_UNKNOWN): ("False", "PortNotFound"),
    ("ResolvedRefs", CERTIFICATE_PARTIALLY_INVALID): ("False", "PartiallyInvalidCertificateRef"),
    ("Programmed", PARENT_NOT_ACCEPTED): ("False", "Programmed"),
}), http_grpc_exclusive=False, backend_ca_kinds=CA_KINDS | CA_TRUST_BUNDLE,
    overlap=OVERLAP_HTTPS_ONE_LABEL)

CILIUM = Profile("cilium", MappingProxyType({
    ("Programmed", NO_VALID_LISTENERS): ("False", "ListenersNotValid"),
    ("Programmed", INVALID_PARAMETERS): ("Unknown", "Pending"),
    ("Accepted", LISTENER_UNSERVABLE): ("False", "Invalid"),
    ("Accepted", LISTENER_CERT_NOT_PERMITTED): ("False", "Invalid"),
    ("Accepted", SOME_LISTENERS_INVALID): ("True", "Accepted"),
}), frontend_ca_kinds=frozenset({CA_CONFIGMAP}))

ISTIO = Profile("istio", MappingProxyType({
    ("Accepted", NAMESPACE_AND_HOSTNAME): ("False", "NoMatchingListenerHostname"),
    ("Programmed", NO_VALID_LISTENERS): ("True", "Programmed"),
    ("Programmed", INVALID_PARAMETERS): ("True", "Programmed"),
    ("Accepted", LISTENER_CERT_NOT_PERMITTED): ("False", "NoValidCACertificate"),
    ("Accepted", NO_VALID_CA): ("False", "Invalid"),
    ("ResolvedRefs", POLICY_CA[CA_KIND]): ("True", "ResolvedRefs"),
    ("ResolvedRefs", POLICY_CA[CA_MISSING]): ("True", "ResolvedRefs"),
}), ref_reasons=KIND_AND_GRANT_FIRST, http_grpc_exclusive=False,
    missing_service_parent_entry=True, gateway_resolved_refs=True,
    mesh_policy_controller="istio.io/mesh-controller")

PROFILES: Mapping[str, Profile] = MappingProxyType({p.name: p for p in (SPEC_PROFILE,
                                                                         ENVOY_GATEWAY, CILIUM,
                                                                         ISTIO)})

def profile_for(controller_name: str | None, chosen: str | None = None) -> Profile:
    """The profile of the implementation that owns `controller_name` (spec when unknown), or
    of `chosen` (`--implementation NAME[@VERSION]`: the user names the implementation that
    judges every object, whatever the controllerName)."""
    if chosen:
        return PROFILES.get(_implementation_name(chosen), SPEC_PROFILE)
    return PROFILES.get(implementation_for(controller_name) or "", SPEC_PROFILE)


def _implementation_name(spec: str) -> str:
    """The implementation `--implementation NAME[@VERSION]` names, as profiles are named: NAME
    may be an alias or in any case (`envoy`, `Envoy-Gateway`), as the option accepts."""
    try:
        return implementation(parse_spec(spec)[0]).name
    except ValueError:  # the configuration is validated first: only library callers get here
        return spec.partition("@")[0].strip()
