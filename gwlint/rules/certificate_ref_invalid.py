"""A certificateRef names a missing Secret, a non-TLS Secret, or one without tls.crt/tls.key.

Core support for a listener certificate is a single Secret of type `kubernetes.io/tls` holding
`tls.crt` and `tls.key`. A reference the controller cannot resolve, or a Secret of another
type, without those keys or with the two identical (malformed: conformance
GatewayInvalidTLSConfiguration), makes the listener's `ResolvedRefs=False` with reason
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
from gwlint.model import CORE_GROUP, Resource, written
from gwlint.refs import CERTIFICATE, CLIENT_CERTIFICATE, Ref
from gwlint.registry import rule
from gwlint.rules._missing import absence, missing_hint
from gwlint.status import conditions as C
from gwlint.status.refcheck import TLS_SECRET_TYPE, secret_defects

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem

INVALID = (C.R_INVALID_CERTIFICATE_REF, C.R_INVALID_CLIENT_CERTIFICATE_REF)


def _label(ref: Ref) -> str:
    return "certificateRef" if ref.type == CERTIFICATE else "clientCertificateRef"


def _content_problem(ref: Ref, secret: Resource) -> tuple[str, str, FieldPath] | None:
    """(problem, hint, path in the Secret) of an existing Secret the status model finds unusable
    (`refcheck.secret_defects`); all defects at once, so fixing one does not reveal another."""
    defects = secret_defects(secret, ref.type == CERTIFICATE)
    if not defects:
        return None
    where: FieldPath | None = None
    for d in defects:
        path: FieldPath = (d.field,)
        if where is None and written(secret, path):
            where = path
    fixes = " and ".join(dict.fromkeys(d.fix for d in defects))
    return (" and ".join(d.problem for d in defects),
            f"{fixes} of Secret '{secret.name}' (kubectl create secret tls writes both)",
            where or ("metadata", "name"))


def _finding(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    t = ref.target
    if (t.group, t.kind) != (CORE_GROUP, "Secret"):
        shown = f"'{t.kind}'" if t.group == CORE_GROUP else f"'{t.kind}' (group '{t.group}')"
        return Finding(f"{_label(ref)} kind {shown} is not a core Secret",
                       resource=ref.source, path=problem.path, listener=ref.listener,
                       hint=f"certificates are read from a core Secret of type "
                            f"{TLS_SECRET_TYPE}: set kind: Secret and group: \"\" (other kinds "
                            "are implementation-specific)")
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
