"""A caCertificateRef is missing, lacks ca.crt, or crosses namespaces without a ReferenceGrant.

Core support is a ConfigMap with the CA bundle in the key `ca.crt`. A reference that cannot be
resolved or is misconfigured sets `ResolvedRefs=False` reason `InvalidCACertificateRef` (on the
BackendTLSPolicy, or on every HTTPS listener the Gateway's frontend validation applies to);
connections that need it fail. A BackendTLSPolicy can only reference its own namespace; a
Gateway's frontend `caCertificateRefs` may cross namespaces only with a ReferenceGrant in the
target namespace (`from` Gateway, `to` ConfigMap), else the reason is `RefNotPermitted`.
Secrets holding `ca.crt` (implementation-specific) are checked the same way.

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

from gwlint.findings import Finding, Predicts, Related
from gwlint.model import CORE_GROUP, Resource, as_dict
from gwlint.refs import CA_CERTIFICATE, Ref
from gwlint.registry import rule
from gwlint.rules._grants import denial
from gwlint.rules._missing import absence, missing_hint

if TYPE_CHECKING:
    from gwlint.context import Context

NOT_PERMITTED = Predicts("ResolvedRefs", "False", "RefNotPermitted")
CA_KINDS = ("ConfigMap", "Secret")
CA_KEY = "ca.crt"


def _has_ca(res: Resource) -> bool:
    """ca.crt in data (or binaryData / stringData): what controllers read."""
    body = res.body
    extra = "binaryData" if res.kind == "ConfigMap" else "stringData"
    return bool(as_dict(body.get("data")).get(CA_KEY) or as_dict(body.get(extra)).get(CA_KEY))


def _not_permitted(ctx: Context, ref: Ref) -> Finding | None:
    why = denial(ctx, ref)
    if why is None:
        return None
    t, src = ref.target, ref.source
    return Finding(f"caCertificateRef to {t.kind} '{t.name}' in namespace "
                   f"'{t.namespace}' is not permitted: no ReferenceGrant there allows "
                   f"{src.kind} from namespace '{src.namespace}'{why.note}",
                   resource=src, path=ref.path, hint=why.hint, severity=why.severity,
                   predicts=NOT_PERMITTED, related=why.related)


def _unresolved(ctx: Context, ref: Ref) -> Finding | None:
    t = ref.target
    target = ctx.get(t)
    if target is None:
        absent = absence(ctx, t)
        if absent is None:
            return None
        local = ref.source.kind != "Gateway"  # BackendTLSPolicy refs are LocalObjectReferences
        hint, related = missing_hint(ctx, t, None if local else "caCertificateRefs[]",
                                     ref.source.namespace)
        return Finding(f"caCertificateRef {t.kind} '{t.name}' not found in namespace "
                       f"'{t.namespace}'{absent.note}", resource=ref.source,
                       path=ref.path, severity=absent.severity, hint=absent.hint(hint),
                       related=[] if absent.declare_hint else related)
    if target.virtual or _has_ca(target):
        return None
    return Finding(f"caCertificateRef {t.kind} '{t.name}' has no key '{CA_KEY}'",
                   resource=ref.source, path=ref.path,
                   hint=f"put the PEM CA bundle under data.{CA_KEY} of {t.kind} '{t.name}'",
                   related=[Related(target.label(), target, ("metadata", "name"))])


@rule("GW110", "ca-certificate-ref-unresolved", category="reference", severity="error",
      summary="A caCertificateRef names a missing ConfigMap, one without ca.crt, or crosses "
              "namespaces without a ReferenceGrant",
      predicts=("ResolvedRefs", "False", "InvalidCACertificateRef"))
def check(ctx: Context) -> Iterator[Finding]:
    for ref in ctx.refs(CA_CERTIFICATE):
        if ref.target.group != CORE_GROUP or ref.target.kind not in CA_KINDS:
            continue  # other kinds are implementation-specific
        for finding in (_not_permitted(ctx, ref), _unresolved(ctx, ref)):
            if finding is not None:
                yield finding
