"""A certificateRef names a Secret in another namespace and no ReferenceGrant permits it.

A Gateway or ListenerSet may use a Secret of another namespace only if a ReferenceGrant *in the
Secret's namespace* permits it: `from` the Gateway (or ListenerSet) kind and namespace, `to`
group `""` kind `Secret`, ideally with the Secret's name. Without one the controller sets the
listener's `ResolvedRefs=False` reason `RefNotPermitted` and the listener serves no TLS (for
`spec.tls.backend.clientCertificateRef` the same condition is set on the Gateway). A grant for
the Gateway does not cover its ListenerSets, and the other way round.

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
        namespace: shop         # no ReferenceGrant in namespace shop
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
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
        namespace: shop
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-infra-gateways, namespace: shop}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}
  to:
  - {group: "", kind: Secret, name: shop-tls}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding
from gwlint.refs import CERTIFICATE, CLIENT_CERTIFICATE
from gwlint.registry import rule
from gwlint.rules._grants import denial
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW106", "certificate-ref-not-permitted", category="reference", severity="error",
      summary="A certificateRef to a Secret in another namespace has no ReferenceGrant there",
      predicts=("ResolvedRefs", "False", "RefNotPermitted"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for ref in ctx.refs(CERTIFICATE, CLIENT_CERTIFICATE):
        problem = model.reference(ref)
        if problem is None or problem.reason != C.R_REF_NOT_PERMITTED:
            continue
        why = denial(ctx, ref)
        if why is None:
            continue
        t, src = ref.target, ref.source
        label = "certificateRef" if ref.type == CERTIFICATE else "clientCertificateRef"
        yield Finding(f"{label} to {t.kind} '{t.name}' in namespace '{t.namespace}' is "
                      f"not permitted: no ReferenceGrant there allows {src.kind} from "
                      f"namespace '{src.namespace}'{why.note}",
                      resource=src, path=problem.path, hint=why.hint, severity=why.severity,
                      listener=ref.listener, related=why.related)
