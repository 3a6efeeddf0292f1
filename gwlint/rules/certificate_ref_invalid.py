"""A certificateRef names a missing Secret, a non-TLS Secret, or one without tls.crt/tls.key.

Core support for a listener certificate is a single Secret of type `kubernetes.io/tls` holding
`tls.crt` and `tls.key`. A reference the controller cannot resolve, or a Secret of another type
or without those keys, makes the listener's `ResolvedRefs=False` with reason
`InvalidCertificateRef` (the listener cannot terminate TLS for its hostnames). For the
Gateway's `spec.tls.backend.clientCertificateRef` the reason is `InvalidClientCertificateRef`
(there a non-TLS Secret type is implementation-specific, so only missing Secrets and keys are
reported). Secrets produced by a cert-manager `Certificate`, an `ExternalSecret` or a
`SealedSecret` in the repository count as valid TLS Secrets; declare others with
`--assume-exists 'Secret/NS/NAME'`. A reference to another group or kind than a core Secret is
invalid too (conformance GatewayInvalidTLSConfiguration: "unsupported group", "unsupported
kind"). A reference to another namespace that no ReferenceGrant permits is `RefNotPermitted`
only (GW106: "If the reference is not allowed, the reason RefNotPermitted must be used
instead"), and the certificateRefs of a TLS `Passthrough` listener are ignored.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: shop-tls
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: infra}
type: Opaque                    # must be kubernetes.io/tls
data: {cert.pem: Y2VydA==, key.pem: a2V5}   # must be tls.crt and tls.key
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: shop-tls
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: infra}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import FieldPath, Finding, Related
from gwlint.model import CORE_GROUP, Resource, as_dict, as_str, written
from gwlint.refs import CERTIFICATE, CLIENT_CERTIFICATE, Ref
from gwlint.registry import rule
from gwlint.rules._missing import absence, missing_hint
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem

TLS_TYPE = "kubernetes.io/tls"
TLS_KEYS = ("tls.crt", "tls.key")
INVALID = (C.R_INVALID_CERTIFICATE_REF, C.R_INVALID_CLIENT_CERTIFICATE_REF)


def _label(ref: Ref) -> str:
    return "certificateRef" if ref.type == CERTIFICATE else "clientCertificateRef"


def _missing_keys(secret: Resource) -> list[str]:
    """The TLS keys present in neither data nor stringData (or present but empty)."""
    data, string_data = as_dict(secret.body.get("data")), as_dict(secret.body.get("stringData"))
    return [k for k in TLS_KEYS if not (data.get(k) or string_data.get(k))]


def _content_problem(ref: Ref, secret: Resource) -> tuple[str, str, FieldPath] | None:
    """(problem, hint, path in the Secret) for an existing Secret that is not a TLS Secret;
    all problems at once, so that fixing the finding does not reveal another."""
    problems: list[str] = []
    fixes: list[str] = []
    where: FieldPath | None = None
    kind = as_str(secret.body.get("type"), "Opaque") or "Opaque"
    if ref.type == CERTIFICATE and kind != TLS_TYPE:
        problems.append(f"has type '{kind}', not '{TLS_TYPE}'")
        fixes.append(f"set type: {TLS_TYPE}")
        where = ("type",) if written(secret, ("type",)) else None
    missing = _missing_keys(secret)
    if missing:
        problems.append(f"has no {' and '.join(missing)}")
        fixes.append("put the certificate chain in tls.crt and the private key in tls.key")
        where = where or (("data",) if written(secret, ("data",)) else None)
    if not problems:
        return None
    return (" and ".join(problems),
            f"{' and '.join(fixes)} of Secret '{secret.name}' (kubectl create secret tls "
            f"writes both)", where or ("metadata", "name"))


def _finding(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    t = ref.target
    if (t.group, t.kind) != (CORE_GROUP, "Secret"):
        shown = f"'{t.kind}'" if t.group == CORE_GROUP else f"'{t.kind}' (group '{t.group}')"
        return Finding(f"{_label(ref)} kind {shown} is not a core Secret",
                       resource=ref.source, path=problem.path, listener=ref.listener,
                       hint=f"certificates are read from a core Secret of type {TLS_TYPE}: set "
                            "kind: Secret and group: \"\" (other kinds are implementation-"
                            "specific)")
    secret = ctx.get(t)
    if secret is None:
        absent = absence(ctx, t)
        if absent is None:
            return None
        hint, related = missing_hint(ctx, t, _label(ref), ref.source.namespace)
        return Finding(f"{_label(ref)} Secret '{t.name}' not found in namespace "
                       f"'{t.namespace}'{absent.note}",
                       resource=ref.source, path=problem.path, severity=absent.severity,
                       hint=absent.hint(hint), listener=ref.listener,
                       related=[] if absent.declare_hint else related)
    found = _content_problem(ref, secret)
    if found is None:
        return None
    text, hint, where = found
    return Finding(f"{_label(ref)} Secret '{t.name}' in namespace '{t.namespace}' "
                   f"{text}", resource=ref.source, path=problem.path, hint=hint,
                   listener=ref.listener, related=[Related(secret.label(), secret, where)])


@rule("GW107", "certificate-ref-invalid", category="reference", severity="error",
      summary="A certificateRef names a missing Secret, a non-TLS Secret or one without "
              "tls.crt/tls.key",
      predicts=("ResolvedRefs", "False", "InvalidCertificateRef"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for ref in ctx.refs(CERTIFICATE, CLIENT_CERTIFICATE):
        problem = model.reference(ref)
        if problem is None or problem.reason not in INVALID:
            continue
        finding = _finding(ctx, ref, problem)
        if finding is not None:
            yield finding
