"""Reference verdicts: is a backendRef / certificateRef / caCertificateRef resolved, and if not,
which reason does the spec name. Shared by the status model and (phase 2) the reference rules.

Each check returns None (resolved) or a `RefProblem`. A problem whose input is not in the files
(the target namespace is described nowhere, so the object or a ReferenceGrant may live outside)
has `decided=False`: the condition becomes `Unknown`, never a guess presented as fact. The
"exists" policy is the README's: in the files, produced by an object in them (cert-manager
Certificate, ExternalSecret, SealedSecret), or declared with `--assume-exists`/`--gateway-class`.

Order of the checks, per the spec and conformance:

* backendRefs (`shared_types.go` RouteReason*): kind first, then ReferenceGrant, then existence,
  then the Service port. Conformance `HTTPRouteInvalidBackendRefUnknownKind` puts an unknown
  kind in *another* namespace and expects `InvalidKind`, not `RefNotPermitted`. A port that is
  not a Service port, or a UDP/TCP mismatch, is `BackendNotFound` in the spec (details
  `backend-port-unknown` / `backend-port-protocol` let profiles differ: Envoy Gateway writes
  `PortNotFound`).
* certificateRefs (`ListenerReasonInvalidCertificateRef`: "This reason must be used only when the
  reference is allowed ... If the reference is not allowed, the reason RefNotPermitted must be
  used instead"): ReferenceGrant first, then kind (a group or kind other than core Secret is
  invalid: conformance `GatewayInvalidTLSConfiguration` "unsupported group"/"unsupported kind"),
  then existence, then content (type `kubernetes.io/tls`, `tls.crt` and `tls.key`; "malformed
  secret").
* caCertificateRefs: BackendTLSPolicy refs are local (`LocalObjectReference`); an unknown kind is
  `InvalidKind` (conformance `BackendTLSPolicyInvalidKind`: group `invalid.io`), a missing
  ConfigMap or one without `ca.crt` is `InvalidCACertificateRef`
  (`BackendTLSPolicyInvalidCACertificateRef`: "nonexistent", "malformed"). A Gateway's frontend
  validation refs: unknown kind `InvalidCACertificateKind`, no grant `RefNotPermitted`, else
  `InvalidCACertificateRef` (FrontendTLSValidation.caCertificateRefs). Which kinds are known is
  the implementation's (`Profile.frontend_ca_kinds` / `backend_ca_kinds`: ConfigMap is core,
  every other kind implementation-specific); kinds other than ConfigMap and Secret that a profile
  accepts (Envoy Gateway's ClusterTrustBundle) are not looked up: theirs to judge.

* policy targetRefs (BackendTLSPolicy, `LocalPolicyTargetReferenceWithSectionName`): a missing
  Service, or a `sectionName` that is not one of its port names, is `TargetNotFound`.

`judge(ctx, idx)` runs every check once per run (the status model stores the verdicts,
`StatusModel.reference(ref)`); the reference rules GW102-GW107, GW109, GW110, GW111 and GW303
report them, so every reference is judged in this one place. The certificateRefs of a listener
that does not terminate TLS are not judged ("The certificateRefs field is ignored in this mode").

Backend kinds: Service (Core), ServiceImport (Extended), the implementation-specific kinds
gwlint knows (Envoy Gateway `Backend`, Istio `Hostname`), `XBackend` with the experimental
channel, and the kinds the user declares with GW103's option `allowed_kinds` (the kinds their
controller resolves).
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING

from gwlint.model import (
    CORE_GROUP,
    GATEWAY_GROUP,
    GATEWAY_X_GROUP,
    FieldPath,
    ObjKey,
    Resource,
    as_dict,
    as_list,
    as_str,
    sops_encrypted,
    written,
)
from gwlint.refs import (
    BACKEND,
    CA_CERTIFICATE,
    CERTIFICATE,
    CLIENT_CERTIFICATE,
    MIRROR,
    POLICY_TARGET,
    Ref,
    run_port_table,
)
from gwlint.status import conditions as C
from gwlint.status import profiles as P

if TYPE_CHECKING:
    from gwlint.attachment import AttachmentIndex
    from gwlint.context import Context

TLS_SECRET_TYPE = "kubernetes.io/tls"
TLS_KEYS = ("tls.crt", "tls.key")
CA_KEY = "ca.crt"
SERVICE = (CORE_GROUP, "Service")
SECRET = (CORE_GROUP, "Secret")
CONFIGMAP = (CORE_GROUP, "ConfigMap")
# Backend kinds controllers resolve: Service (Core), ServiceImport (Extended), and the
# implementation-specific kinds gwlint knows (see the module docstring).
BACKEND_KINDS = frozenset({SERVICE, ("multicluster.x-k8s.io", "ServiceImport"),
                           ("gateway.envoyproxy.io", "Backend"),
                           ("networking.istio.io", "Hostname")})
X_BACKEND = (GATEWAY_X_GROUP, "XBackend")
# GW103 (backend-invalid-kind)'s option `allowed_kinds`: the backend kinds the user's controller
# resolves (its default and the configured value resolved by the registry: `Options.settings`)
KINDS_OPTION = ("GW103", "allowed_kinds")
# details of the backendRef, certificateRef and targetRef verdicts (profiles.py has the others)
CA_KIND, CA_MISSING, CA_NO_KEY = P.CA_KIND, P.CA_MISSING, P.CA_NO_KEY
TARGET_MISSING, SECTION_MISSING = "target-missing", "section-missing"


@dataclass(frozen=True, slots=True)
class RefProblem:
    """Why a reference does not resolve: the spec reason, the finer detail, an API-server-like
    message, the offending field (a path in the referring object) and whether it is decided."""

    reason: str
    detail: str
    message: str
    path: FieldPath
    decided: bool = True


def presence(ctx: Context, key: ObjKey) -> bool | None:
    """True: exists for gwlint's purposes; False: missing from a namespace the files describe (or
    a cluster-scoped object); None: the namespace is described nowhere (cannot decide)."""
    if ctx.exists(key):
        return True
    if key.namespace is None or ctx.namespace_known(key.scope, key.namespace):
        return False
    return None


def permitted(ctx: Context, ref: Ref) -> bool | None:
    """Whether a ReferenceGrant permits `ref` (True for same-namespace refs); None when no grant
    is in the files and the target namespace is described nowhere (one may live outside)."""
    if not ref.cross_namespace:
        return True
    tgt = ref.target
    if ctx.grants_permitting(ref):
        return True
    if ctx.assumed(ObjKey(tgt.scope, GATEWAY_GROUP, "ReferenceGrant", tgt.namespace, "*")):
        return True
    return False if ctx.namespace_known(tgt.scope, tgt.namespace) else None


def _where(key: ObjKey) -> str:
    return f"{key.namespace}/{key.name}" if key.namespace else key.name


def _gk(key: ObjKey) -> str:
    return f"{key.kind}.{key.group}" if key.group else key.kind


def _field(ref: Ref, name: str) -> FieldPath:
    """Path of a sub-field of the reference when the author wrote it, else the reference."""
    path = ref.path + (name,)
    return path if written(ref.source, path) else ref.path


def backend_kinds(ctx: Context) -> frozenset[tuple[str, str]]:
    """The backend (group, kind)s a controller resolves (module docstring)."""
    kinds = set(BACKEND_KINDS)
    if ctx.options.channel == "experimental":
        kinds.add(X_BACKEND)
    raw = ctx.options.rule_setting(*KINDS_OPTION)
    items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    for item in items:
        if isinstance(item, str) and "/" in item:
            group, _, kind = item.strip().rpartition("/")
            kinds.add((group, kind))
    return frozenset(kinds)


def _not_permitted(ctx: Context, ref: Ref, detail: str, reason: str = C.R_REF_NOT_PERMITTED
                   ) -> RefProblem | None:
    ok = permitted(ctx, ref)
    if ok:
        return None
    src, tgt = ref.source, ref.target
    msg = (f"{_gk(tgt)} {_where(tgt)} is in another namespace and no ReferenceGrant in "
           f"namespace '{tgt.namespace}' permits references from {src.kind} in namespace "
           f"'{src.namespace}'")
    if ok is None:
        msg += " (that namespace is not in the linted files: a grant may exist outside them)"
    return RefProblem(reason, detail, msg, ref.path, ok is False)


def _missing(ctx: Context, ref: Ref, reason: str, detail: str) -> RefProblem | None:
    found = presence(ctx, ref.target)
    if found:
        return None
    t = ref.target
    msg = f"{_gk(t)} {_where(t)} not found"
    if found is None:
        msg += f" (namespace '{t.namespace}' is not in the linted files)"
    return RefProblem(reason, detail, msg, ref.path, found is False)


# --- backendRefs -------------------------------------------------------------------------------
def _service_port_problem(ctx: Context, ref: Ref) -> RefProblem | None:
    """A port that is not one of the Service's, or not of the transport the route needs (the
    run's port table of the Service: many routes share one Service)."""
    if ref.port is None:
        return None
    table = run_port_table(ctx.cache, ref.target, ctx.get(ref.target))
    if table is None:
        return None
    entries = table.get(ref.port)
    if entries is None:
        return RefProblem(C.R_BACKEND_NOT_FOUND, P.BACKEND_PORT_UNKNOWN,
                          f"port {ref.port} is not a port of Service {_where(ref.target)}",
                          _field(ref, "port"))
    needed = "UDP" if ref.source.kind == "UDPRoute" else "TCP"
    if all(e.protocol != needed for e in entries):
        return RefProblem(C.R_BACKEND_NOT_FOUND, P.BACKEND_PORT_PROTOCOL,
                          f"port {ref.port} of Service {_where(ref.target)} is not a {needed} "
                          f"port, which a {ref.source.kind} needs", _field(ref, "port"))
    return None


def backend_ref(ctx: Context, ref: Ref,
                kinds: frozenset[tuple[str, str]] = BACKEND_KINDS) -> RefProblem | None:
    """Verdict of a route backendRef or RequestMirror backendRef (`kinds`: `backend_kinds`)."""
    t = ref.target
    if (t.group, t.kind) not in kinds:
        return RefProblem(C.R_INVALID_KIND, P.BACKEND_KIND,
                          f"backendRef kind {_gk(t)} is not supported (a Service is)",
                          _field(ref, "kind" if t.kind != "Service" else "group"))
    problem = _not_permitted(ctx, ref, P.REF_NOT_PERMITTED)
    if problem is not None:
        return problem
    if (t.group, t.kind) != SERVICE:
        return None  # implementation-specific kinds: existence is theirs to judge
    return (_missing(ctx, ref, C.R_BACKEND_NOT_FOUND, P.BACKEND_MISSING)
            or _service_port_problem(ctx, ref))


# --- certificateRefs ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SecretDefect:
    """One thing that makes a Secret unusable as a TLS certificate: what, the fix, the field."""

    problem: str
    fix: str
    field: str  # "type" or "data"


def secret_defects(secret: Resource, need_tls_type: bool) -> list[SecretDefect]:
    """Every defect of an existing Secret as a TLS certificate (empty: usable): a type other
    than `kubernetes.io/tls` (listeners only), a missing `tls.crt`/`tls.key`, or the two
    identical, which no certificate and private key are (conformance
    GatewayInvalidTLSConfiguration's "malformed" Secret; not compared in a SOPS-encrypted
    Secret, decrypted when applied). Produced Secrets (cert-manager...) are trusted."""
    if secret.virtual:
        return []
    out: list[SecretDefect] = []
    kind = as_str(secret.body.get("type"), "Opaque") or "Opaque"
    if need_tls_type and kind != TLS_SECRET_TYPE:
        out.append(SecretDefect(f"has type '{kind}', not '{TLS_SECRET_TYPE}'",
                                f"set type: {TLS_SECRET_TYPE}", "type"))
    data, string_data = as_dict(secret.body.get("data")), as_dict(secret.body.get("stringData"))
    values = {k: data.get(k) or string_data.get(k) for k in TLS_KEYS}
    missing = [k for k, v in values.items() if not v]
    if missing:
        out.append(SecretDefect(f"has no {' and '.join(missing)}",
                                "put the certificate chain in tls.crt and the private key in "
                                "tls.key", "data"))
    elif values["tls.crt"] == values["tls.key"] and not sops_encrypted(secret.body):
        out.append(SecretDefect("has identical tls.crt and tls.key, which no certificate and "
                                "private key are", "put the certificate chain in tls.crt and "
                                "the private key in tls.key", "data"))
    return out


def secret_content_problem(secret: Resource, need_tls_type: bool) -> str | None:
    """What makes an existing Secret unusable as a TLS certificate (None: fine)."""
    return " and ".join(d.problem for d in secret_defects(secret, need_tls_type)) or None


def certificate_ref(ctx: Context, ref: Ref) -> RefProblem | None:
    """Verdict of a listener certificateRef (reason InvalidCertificateRef) or a Gateway's
    spec.tls.backend.clientCertificateRef (reason InvalidClientCertificateRef)."""
    listener = ref.type == CERTIFICATE
    invalid = C.R_INVALID_CERTIFICATE_REF if listener else C.R_INVALID_CLIENT_CERTIFICATE_REF
    problem = _not_permitted(ctx, ref, P.REF_NOT_PERMITTED)
    if problem is not None:
        return problem
    t = ref.target
    if (t.group, t.kind) != SECRET:
        return RefProblem(invalid, P.CERTIFICATE_INVALID,
                          f"certificateRef kind {_gk(t)} is not supported (a Secret is)",
                          _field(ref, "kind" if t.group == CORE_GROUP else "group"))
    problem = _missing(ctx, ref, invalid, P.CERTIFICATE_INVALID)
    if problem is not None:
        return problem
    secret = ctx.get(t)
    text = secret_content_problem(secret, listener) if secret is not None else None
    if text:
        return RefProblem(invalid, P.CERTIFICATE_INVALID, f"Secret {_where(t)} {text}", ref.path)
    return None


# --- caCertificateRefs -------------------------------------------------------------------------
def has_ca(res: Resource) -> bool:
    """ca.crt in data (or binaryData / stringData): what controllers read."""
    if res.virtual:
        return True
    extra = "binaryData" if res.kind == "ConfigMap" else "stringData"
    body = res.body
    return bool(as_dict(body.get("data")).get(CA_KEY) or as_dict(body.get(extra)).get(CA_KEY))


def ca_kinds_text(profile: P.Profile, kinds: frozenset[tuple[str, str]]) -> str:
    """': CA certificates are read from ...' for the kinds an implementation resolves."""
    names = sorted({k for _, k in kinds} - {"ConfigMap"})
    by = "" if profile is P.SPEC_PROFILE else f" by {profile.name}"
    more = f" (or {', '.join(names)})" if names else ""
    return f"{by}: CA certificates are read from a ConfigMap{more} with key '{CA_KEY}'"


def ca_ref(ctx: Context, ref: Ref, profile: P.Profile = P.SPEC_PROFILE) -> RefProblem | None:
    """Verdict of a caCertificateRef of a BackendTLSPolicy (InvalidKind /
    InvalidCACertificateRef) or of a Gateway's frontend validation (InvalidCACertificateKind /
    RefNotPermitted / InvalidCACertificateRef), for the implementation of `profile`."""
    assert ref.type == CA_CERTIFICATE
    gateway = ref.source.kind == "Gateway"
    t = ref.target
    kinds = profile.frontend_ca_kinds if gateway else profile.backend_ca_kinds
    if (t.group, t.kind) not in kinds:
        reason = C.R_INVALID_CA_CERTIFICATE_KIND if gateway else C.R_INVALID_KIND
        return RefProblem(reason, CA_KIND, f"caCertificateRef kind {_gk(t)} is not supported"
                          f"{ca_kinds_text(profile, kinds)}",
                          _field(ref, "kind" if t.group == CORE_GROUP else "group"))
    if gateway:
        problem = _not_permitted(ctx, ref, P.REF_NOT_PERMITTED)
        if problem is not None:
            return problem
    if (t.group, t.kind) not in (CONFIGMAP, SECRET):
        return None  # an implementation-specific kind (ClusterTrustBundle): theirs to judge
    problem = _missing(ctx, ref, C.R_INVALID_CA_CERTIFICATE_REF, CA_MISSING)
    if problem is not None:
        return problem
    target = ctx.get(t)
    if target is not None and not has_ca(target):
        return RefProblem(C.R_INVALID_CA_CERTIFICATE_REF, CA_NO_KEY,
                          f"{t.kind} {_where(t)} has no key '{CA_KEY}'", ref.path)
    return None


def client_certificate_ref(ctx: Context, ref: Ref) -> RefProblem | None:
    assert ref.type == CLIENT_CERTIFICATE
    return certificate_ref(ctx, ref)


# --- policy targetRefs -------------------------------------------------------------------------
def target_ref(ctx: Context, ref: Ref) -> RefProblem | None:
    """Verdict of a BackendTLSPolicy targetRef to a Service (other kinds are not judged): the
    Service in the policy's namespace, and `sectionName` one of its port names."""
    t = ref.target
    if (t.group, t.kind) != SERVICE:
        return None
    found = presence(ctx, t)
    if not found:
        msg = f"Service {_where(t)} not found"
        if found is None:
            msg += f" (namespace '{t.namespace}' is not in the linted files)"
        return RefProblem(C.R_TARGET_NOT_FOUND, TARGET_MISSING, msg, ref.path, found is False)
    service = ctx.get(t)
    if ref.section_name is None or service is None or service.virtual:
        return None
    names = [as_str(as_dict(p).get("name")) for p in as_list(service.spec.get("ports"))]
    if ref.section_name in names:
        return None
    return RefProblem(C.R_TARGET_NOT_FOUND, SECTION_MISSING,
                      f"Service {_where(t)} has no port named {ref.section_name!r}",
                      _field(ref, "sectionName"))


# --- every reference, once ---------------------------------------------------------------------
def judge(ctx: Context, idx: AttachmentIndex,
          profile_of: Callable[[Ref], P.Profile] | None = None
          ) -> list[tuple[Ref, RefProblem | None]]:
    """The verdict of every backendRef, certificateRef (of TLS-terminating listeners),
    clientCertificateRef, caCertificateRef and policy targetRef of the Context
    (`profile_of`: the implementation that judges a caCertificateRef; the spec's by default)."""
    out: list[tuple[Ref, RefProblem | None]] = []
    kinds = backend_kinds(ctx)
    # (Service, port, UDP) of same-namespace backendRefs found to resolve: the verdict of such a
    # ref depends on nothing else, and many routes name one Service port
    resolves: set[tuple[ObjKey, int | None, bool]] = set()
    for ref in ctx.refs(BACKEND, MIRROR):
        same = None if ref.cross_namespace else (ref.target, ref.port,
                                                 ref.source.kind == "UDPRoute")
        if same is not None and same in resolves:
            out.append((ref, None))
            continue
        problem = backend_ref(ctx, ref, kinds)
        if problem is None and same is not None:
            resolves.add(same)
        out.append((ref, problem))
    for ref in ctx.refs(CERTIFICATE):
        if _terminates_tls(idx, ref):
            out.append((ref, certificate_ref(ctx, ref)))
    for ref in ctx.refs(CLIENT_CERTIFICATE):
        out.append((ref, certificate_ref(ctx, ref)))
    for ref in ctx.refs(CA_CERTIFICATE):
        out.append((ref, ca_ref(ctx, ref, profile_of(ref) if profile_of else P.SPEC_PROFILE)))
    for ref in ctx.refs(POLICY_TARGET):
        out.append((ref, target_ref(ctx, ref)))
    return out


def _terminates_tls(idx: AttachmentIndex, ref: Ref) -> bool:
    """Whether the listener of a certificateRef terminates TLS (unknown listener: judged)."""
    i = ref.path[2] if len(ref.path) > 2 else None
    own = idx.own_listeners(ref.source)
    if not isinstance(i, int) or not 0 <= i < len(own):
        return True
    return own[i].terminates_tls
