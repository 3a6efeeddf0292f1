"""An Ingress in `extensions/v1beta1` or `networking.k8s.io/v1beta1`, removed in Kubernetes 1.22.

Kubernetes 1.22 stopped serving both beta versions of Ingress (the Kubernetes deprecated API
migration guide): the API server rejects them, so a manifest still written that way was last
applied to an old cluster, or is applied by a tool that converts it, and is the first thing to fix
in a migration. In `networking.k8s.io/v1` the backend is `service.name` and `service.port.number`
(or `.name`) instead of `serviceName`/`servicePort`, `spec.backend` is `spec.defaultBackend`, and
every path needs a `pathType` (v1beta1 defaulted it to `ImplementationSpecific`).

gwlint still models the Ingress as v1beta1 meant it (a missing `pathType` is
`ImplementationSpecific`) and checks its parity with the routes (GW601-GW608).

Bad:

```yaml
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        backend: {serviceName: cart-api, servicePort: 8080}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: cart-api, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: ImplementationSpecific    # what v1beta1 defaulted to
        backend: {service: {name: cart-api, port: {number: 8080}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: cart-api, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._migration import problem_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW611", "ingress-removed-api-version", category="migration", severity="error",
      summary="An Ingress in extensions/v1beta1 or networking.k8s.io/v1beta1 (removed in "
              "Kubernetes 1.22)")
def check(ctx: Context) -> Iterator[Finding]:
    yield from problem_findings(ctx, "error", "GW611")
