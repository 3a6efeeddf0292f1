"""Condition types and reasons of Gateway API v1.6.1, and the `Condition` the status model writes.

Sources (the spec): the `*ConditionType` / `*ConditionReason` constants of `apis/v1`
(`gateway_types.go`, `shared_types.go`, `gatewayclass_types.go`, `policy_types.go`,
`backendtlspolicy_types.go`, `listenerset_types.go` in kubernetes-sigs/gateway-api) and the field
descriptions of the v1.6.1 CRDs, which carry the same text. Reasons that are not API constants
but that implementations write where the spec names none are marked `basis="implementation"`.

A `Condition` is what a controller writes (type, status, reason, message) plus what gwlint needs
to explain it:

* `causes`: the fields that made it so (resource + JSON path), first the primary one. A
  consequence carries the cause of what it follows from: a listener's `Programmed=False
  Invalid` carries the certificateRef that made its `ResolvedRefs` False, and so does the
  Gateway's `Accepted ... ListenersNotValid`. A finding about that field is a view on every
  condition whose cause it is.
* `detail`: a finer cause than the reason (`backend-port-unknown` vs `backend-missing`, both
  `BackendNotFound` in the spec). Implementation profiles override verdicts by
  (condition type, detail), see `profiles.py`.
* `basis`: `spec` (the CRD text or API constants say so), `conformance` (a conformance test
  expects it where the spec text is silent), `implementation` (no spec reason exists; the one
  implementations write), `profile:<name>` (an implementation profile overrode the spec).
* Status `Unknown`: gwlint cannot decide from the files (a creationTimestamp that decides
  precedence is missing, an object outside the files, a namespace label that is not in the
  files). `undecided` says what is missing; `likely` is the (status, reason) the usual case
  gives (e.g. objects applied together get the same creationTimestamp second, so the
  namespace/name tie-breaker decides, which is what the conformance suite relies on). `likely`
  is never shown as the status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwlint.findings import FieldPath, dotted

if TYPE_CHECKING:
    from gwlint.model import Resource

TRUE, FALSE, UNKNOWN = "True", "False", "Unknown"

# --- condition types ---------------------------------------------------------------------------
ACCEPTED = "Accepted"
PROGRAMMED = "Programmed"
RESOLVED_REFS = "ResolvedRefs"
CONFLICTED = "Conflicted"
OVERLAPPING_TLS_CONFIG = "OverlappingTLSConfig"
PARTIALLY_INVALID = "PartiallyInvalid"
INSECURE_FRONTEND_VALIDATION_MODE = "InsecureFrontendValidationMode"

# --- reasons -----------------------------------------------------------------------------------
# shared
R_ACCEPTED = "Accepted"
R_PROGRAMMED = "Programmed"
R_RESOLVED_REFS = "ResolvedRefs"
R_PENDING = "Pending"
R_INVALID = "Invalid"
R_REF_NOT_PERMITTED = "RefNotPermitted"
R_INVALID_KIND = "InvalidKind"
# GatewayClass (gatewayclass_types.go)
R_INVALID_PARAMETERS = "InvalidParameters"
# Gateway (gateway_types.go GatewayConditionReason)
R_LISTENERS_NOT_VALID = "ListenersNotValid"
R_INVALID_CLIENT_CERTIFICATE_REF = "InvalidClientCertificateRef"
R_CONFIGURATION_CHANGED = "ConfigurationChanged"
# Listener (gateway_types.go ListenerConditionReason; listenerset_types.go ListenerEntry*)
R_UNSUPPORTED_PROTOCOL = "UnsupportedProtocol"
R_NO_VALID_CA_CERTIFICATE = "NoValidCACertificate"
R_INVALID_CERTIFICATE_REF = "InvalidCertificateRef"
R_INVALID_ROUTE_KINDS = "InvalidRouteKinds"
R_INVALID_CA_CERTIFICATE_REF = "InvalidCACertificateRef"
R_INVALID_CA_CERTIFICATE_KIND = "InvalidCACertificateKind"
R_HOSTNAME_CONFLICT = "HostnameConflict"
R_PROTOCOL_CONFLICT = "ProtocolConflict"
R_NO_CONFLICTS = "NoConflicts"
R_OVERLAPPING_HOSTNAMES = "OverlappingHostnames"
R_OVERLAPPING_CERTIFICATES = "OverlappingCertificates"
# ListenerSet (listenerset_types.go ListenerSetConditionReason)
R_NOT_ALLOWED = "NotAllowed"
R_PARENT_NOT_ACCEPTED = "ParentNotAccepted"
R_PARENT_NOT_PROGRAMMED = "ParentNotProgrammed"
# Route (shared_types.go RouteConditionReason)
R_NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners"
R_NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname"
R_NO_MATCHING_PARENT = "NoMatchingParent"
R_BACKEND_NOT_FOUND = "BackendNotFound"
# Policy (policy_types.go PolicyConditionReason, backendtlspolicy_types.go)
R_CONFLICTED = "Conflicted"
R_TARGET_NOT_FOUND = "TargetNotFound"

# Where a verdict comes from (see the module docstring).
SPEC, CONFORMANCE, IMPLEMENTATION = "spec", "conformance", "implementation"


@dataclass(frozen=True, slots=True, eq=False)
class Cause:
    """The field that makes a condition what it is: an object and a JSON path inside it."""

    resource: Resource
    path: FieldPath = ()

    def label(self) -> str:
        where = dotted(self.path)
        return f"{self.resource.label()}{' ' + where if where else ''}"


@dataclass(slots=True)
class Condition:
    """One status condition as a controller writes it, with its causes (module docstring)."""

    type: str
    status: str
    reason: str
    message: str = ""
    causes: tuple[Cause, ...] = ()
    detail: str | None = None
    basis: str = SPEC
    undecided: str | None = None
    likely: tuple[str, str] | None = None

    @property
    def cause(self) -> Cause | None:
        return self.causes[0] if self.causes else None

    @property
    def is_problem(self) -> bool:
        """Whether this condition reports something wrong (negative polarity types are True
        when wrong; Unknown is never a problem presented as fact)."""
        if self.status == UNKNOWN:
            return False
        if self.type in (CONFLICTED, OVERLAPPING_TLS_CONFIG, PARTIALLY_INVALID):
            return self.status == TRUE
        return self.status == FALSE

    def key(self) -> tuple[str, str, str]:
        return (self.type, self.status, self.reason)

    def copy(self) -> Condition:
        """An independent copy (a profile edits the one it is given), cheaper than
        `dataclasses.replace`."""
        return Condition(self.type, self.status, self.reason, self.message, self.causes,
                         self.detail, self.basis, self.undecided, self.likely)


@dataclass(slots=True)
class Conditions:
    """Conditions of one status block, at most one per type (the API's listType=map), in the
    order they were set."""

    items: dict[str, Condition] = field(default_factory=dict)

    def set(self, cond: Condition) -> Condition:
        self.items[cond.type] = cond
        return cond

    def get(self, type_: str) -> Condition | None:
        return self.items.get(type_)

    def status(self, type_: str) -> str | None:
        cond = self.items.get(type_)
        return cond.status if cond else None

    def __iter__(self) -> Iterator[Condition]:
        return iter(self.items.values())

    def __len__(self) -> int:
        return len(self.items)


def tri_and(values: list[bool | None]) -> bool | None:
    """Three-valued AND: False wins, then None (undecidable), then True."""
    if False in values:
        return False
    if None in values:
        return None
    return True


def tri_or(values: list[bool | None]) -> bool | None:
    """Three-valued OR: True wins, then None, then False."""
    if True in values:
        return True
    if None in values:
        return None
    return False
