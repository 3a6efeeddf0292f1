"""A caCertificateRef is missing, lacks ca.crt, or crosses namespaces without a ReferenceGrant.

Core support is a ConfigMap with the CA bundle in the key `ca.crt`. A reference that cannot be
resolved or is misconfigured sets `ResolvedRefs=False` reason `InvalidCACertificateRef` (on the
BackendTLSPolicy, or on every HTTPS listener the Gateway's frontend validation applies to);
connections that need it fail. A BackendTLSPolicy can only reference its own namespace; a
Gateway's frontend `caCertificateRefs` may cross namespaces only with a ReferenceGrant in the
target namespace (`from` Gateway, `to` ConfigMap), else the reason is `RefNotPermitted`.
Secrets holding `ca.crt` (implementation-specific) are checked the same way. Any other kind is
`InvalidKind` on a BackendTLSPolicy (conformance BackendTLSPolicyInvalidKind) and
`InvalidCACertificateKind` on a Gateway. When no caCertificateRef is valid, the consequence is
`Accepted=False NoValidCACertificate` too: on the BackendTLSPolicy ("If ALL CACertificateRefs
are invalid"), or on the HTTPS listeners the Gateway's validation applies to.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: payments
  validation:
    hostname: payments.internal
    caCertificateRefs:
    - {group: "", kind: ConfigMap, name: payments-ca}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: payments-ca, namespace: payments}
data:
  root.pem       # controllers read ca.crt: |
    -----BEGIN CERTIFICATE-----
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: payments, namespace: payments}
spec:
  targetRefs:
  - group: ""
    kind: Service
    name: payments
  validation:
    hostname: payments.internal
    caCertificateRefs:
    - {group: "", kind: ConfigMap, name: payments-ca}
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: payments-ca, namespace: payments}
data:
  ca.crt: |
    -----BEGIN CERTIFICATE-----
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding, Related
from gwlint.model import CORE_GROUP
from gwlint.refs import CA_CERTIFICATE, Ref
from gwlint.registry import rule
from gwlint.rules._grants import denial
from gwlint.rules._missing import absence, missing_hint
from gwlint.status import conditions as C
from gwlint.status.refcheck import CA_KEY, CA_KIND, CA_MISSING, CA_NO_KEY

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem


def _not_permitted(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    why = denial(ctx, ref)
    if why is None:
        return None
    t, src = ref.target, ref.source
    return Finding(f"caCertificateRef to {t.kind} '{t.name}' in namespace "
                   f"'{t.namespace}' is not permitted: no ReferenceGrant there allows "
                   f"{src.kind} from namespace '{src.namespace}'{why.note}",
                   resource=src, path=problem.path, hint=why.hint, severity=why.severity,
                   related=why.related)


def _kind(ref: Ref, problem: RefProblem) -> Finding:
    t = ref.target
    shown = f"'{t.kind}'" if t.group == CORE_GROUP else f"'{t.kind}' (group '{t.group}')"
    # the model's message names the kinds the judging implementation resolves
    why = problem.message.partition(" is not supported")[2]
    return Finding(f"caCertificateRef kind {shown} is not supported{why}",
                   resource=ref.source, path=problem.path,
                   hint="set kind: ConfigMap and group: \"\" (other kinds are "
                        "implementation-specific)")


def _missing(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    t = ref.target
    absent = absence(ctx, t)
    if absent is None:
        return None
    local = ref.source.kind != "Gateway"  # BackendTLSPolicy refs are LocalObjectReferences
    hint, related = missing_hint(ctx, t, None if local else "caCertificateRefs[]",
                                 ref.source.namespace)
    return Finding(f"caCertificateRef {t.kind} '{t.name}' not found in namespace "
                   f"'{t.namespace}'{absent.note}", resource=ref.source,
                   path=problem.path, severity=absent.severity, hint=absent.hint(hint),
                   related=[] if absent.declare_hint else related)


def _no_key(ctx: Context, ref: Ref, problem: RefProblem) -> Finding | None:
    t = ref.target
    target = ctx.get(t)
    if target is None:
        return None
    return Finding(f"caCertificateRef {t.kind} '{t.name}' has no key '{CA_KEY}'",
                   resource=ref.source, path=problem.path,
                   hint=f"put the PEM CA bundle under data.{CA_KEY} of {t.kind} '{t.name}'",
                   related=[Related(target.label(), target, ("metadata", "name"))])


@rule("GW110", "ca-certificate-ref-unresolved", category="reference", severity="error",
      summary="A caCertificateRef names a missing ConfigMap, one without ca.crt, an unsupported "
              "kind, or crosses namespaces without a ReferenceGrant",
      predicts=("ResolvedRefs", "False", "InvalidCACertificateRef"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for ref in ctx.refs(CA_CERTIFICATE):
        problem = model.reference(ref)
        if problem is None:
            continue
        if problem.reason == C.R_REF_NOT_PERMITTED:
            finding = _not_permitted(ctx, ref, problem)
        elif problem.detail == CA_KIND:
            finding = _kind(ref, problem)
        elif problem.detail == CA_MISSING:
            finding = _missing(ctx, ref, problem)
        elif problem.detail == CA_NO_KEY:
            finding = _no_key(ctx, ref, problem)
        else:
            finding = None
        if finding is not None:
            yield finding
