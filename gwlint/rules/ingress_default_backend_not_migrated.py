"""An Ingress `defaultBackend` with no catch-all route rule that sends the other requests there.

The default backend "configures a backend that will respond to all unmatched HTTP requests
related to that Ingress resource. Gateway API does not have a direct equivalent: it is necessary
to define such a routing rule explicitly", a rule matching `PathPrefix /` (Gateway API guide
"Migrating from Ingress", Default Backend). Without it, every path of the host the Ingress did not
list gets 404 from the Gateway ("When no rules matching a request have been successfully attached
to the parent a request is coming from, a HTTP 404 status code MUST be returned", HTTPRoute spec).

For each host of the Ingress (every host when its rules name none) gwlint looks for the rule a
request for an unlisted path gets on the protocol the host was served on: reported when there is
none, or when it forwards somewhere else than the default backend. A rule without `matches` (it
matches `PathPrefix /`) or with `PathPrefix /` and no conditions is a catch-all. The finding is at
`spec.defaultBackend`; GW311 reports the same gap at the route, naming this Ingress.

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: storefront, port: {number: 8080}}
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
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: storefront, port: {number: 8080}}
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
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
  - backendRefs: [{name: storefront, port: 8080}]    # no matches: PathPrefix /
---
apiVersion: v1
kind: Service
metadata: {name: cart-api, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
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


@rule("GW608", "ingress-default-backend-not-migrated", category="migration", severity="warning",
      summary="An Ingress defaultBackend without a catch-all route rule to the same Service")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "warning", codes_of("GW608"))
