"""An annotation in a controller's namespace that the controller does not know, or does not read.

ingress-nginx, Kong and NGINX Inc's controller silently ignore annotations they do not know: a
typo (`nginx.ingress.kubernetes.io/proxy-read-timout`) means the setting never applied, so the
behaviour to migrate is not the one the Ingress says. gwlint compares every annotation of the
`nginx.ingress.kubernetes.io/`, `konghq.com/` and `nginx.org/`/`nginx.com/` prefixes with its
annotation table (the controllers' annotation references) and names the closest known one. As
info: an annotation of another controller (a `konghq.com/` annotation on an Ingress ingress-nginx
serves, by its class): it has no effect. As a warning: a `konghq.com/plugins` entry naming a
KongPlugin that is neither in the Ingress's namespace nor a KongClusterPlugin in the linted files
(what it did cannot be checked).

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timout: "120"   # typo: ignored
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
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
    timeouts: {request: 120s}
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
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "120"
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
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
    timeouts: {request: 120s}
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


@rule("GW610", "ingress-annotation-unknown", category="migration", severity="warning",
      summary="An annotation the Ingress's controller does not know (a typo) or does not read")
def check(ctx: Context) -> Iterator[Finding]:
    yield from problem_findings(ctx, "warning", "GW610")
