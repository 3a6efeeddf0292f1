"""A cross-namespace backendRef (or RequestMirror backendRef) has no ReferenceGrant permitting it.

A route may send traffic to a Service in another namespace only if that namespace's owner agrees:
a ReferenceGrant *in the Service's namespace* whose `from` names the route's group, kind and
namespace and whose `to` names group `""`, kind `Service` and (optionally) the Service's name.
Without one the controller sets `ResolvedRefs=False` reason `RefNotPermitted` on the route's
parents and the backend's share of requests gets 500s. v1beta1 and v1 grants both count; a grant
placed in the route's namespace, a grant `from` HTTPRoute used by a GRPCRoute, or a grant naming
another Service permit nothing, and gwlint says which of these it found.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      namespace: payments      # no ReferenceGrant in namespace payments
      port: 8443
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      namespace: payments
      port: 8443
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-shop-routes, namespace: payments}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
  to:
  - {group: "", kind: Service, name: payments}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._backends import backend_problems, ref_label
from gwlint.rules._grants import denial
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW105", "backend-ref-not-permitted", category="reference", severity="error",
      summary="A cross-namespace backendRef has no ReferenceGrant in the target namespace",
      predicts=("ResolvedRefs", "False", "RefNotPermitted"))
def check(ctx: Context) -> Iterator[Finding]:
    for ref, problem in backend_problems(ctx):
        if problem.reason != C.R_REF_NOT_PERMITTED:
            continue  # an invalid kind is reported first (GW103), and alone
        why = denial(ctx, ref)
        if why is None:
            continue
        t, src = ref.target, ref.source
        yield Finding(f"{ref_label(ref)} to {t.kind} '{t.name}' in namespace "
                      f"'{t.namespace}' is not permitted: no ReferenceGrant there allows "
                      f"{src.kind} from namespace '{src.namespace}'{why.note}",
                      resource=src, path=problem.path, hint=why.hint, severity=why.severity,
                      related=why.related)
