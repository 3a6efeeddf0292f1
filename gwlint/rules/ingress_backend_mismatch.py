"""The HTTPRoute that serves an Ingress path sends its requests somewhere else than the Ingress did.

The path is served, so nothing looks broken until the requests arrive at the wrong Service: a
backendRef copied from the rule above, a `targetPort` written where the Service port belongs (the
Ingress names the Service port, by number or by name; gwlint resolves the name through the
Service), a rule that redirects instead of forwarding, every backend at weight 0, or a share of
the traffic sent to a backend the Ingress did not have. A canary Ingress pair
(`nginx.ingress.kubernetes.io/canary`) is compared as one: the route's weighted backendRefs may
hold the main and the canary Service.

When the request reaches the route only through a broader `PathPrefix` (the Ingress path
`/static` served by the route's `/` rule), the hint is the rule to add. A warning when only a
secondary protocol differs (Kong serving HTTP beside HTTPS). The finding is at the Ingress
backend, with the route's `backendRefs` as related location.

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
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
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: storefront, port: 8080}]   # copied from the rule above it
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
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
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
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
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
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
from gwlint.migration.results import codes_of
from gwlint.registry import rule
from gwlint.rules._migration import parity_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW602", "ingress-backend-mismatch", category="migration", severity="error",
      summary="The route serving an Ingress path forwards to another Service or port")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "error", codes_of("GW602"))
