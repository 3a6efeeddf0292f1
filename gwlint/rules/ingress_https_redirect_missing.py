"""The Ingress controller redirected HTTP to HTTPS for a host; no route on an HTTP listener does.

ingress-nginx redirects HTTP requests to HTTPS by default (308) for every host that has TLS
("By default the controller redirects (308) to HTTPS if TLS is enabled for that ingress",
annotation `ssl-redirect`, default `"true"`), and for any host with `force-ssl-redirect: "true"`;
Kong does with `konghq.com/protocols: https` and `konghq.com/https-redirect-status-code`. A
Gateway does nothing of the kind: after the switch plain HTTP requests get 404 (no route on the
HTTP listener), a refused connection (no HTTP listener), or the page served without TLS (a route
attached to both listeners). The Gateway API equivalent is a route attached to the HTTP listener
whose rule has a `RequestRedirect` filter with `scheme: https` (the Gateway API guide "HTTP
redirects and rewrites").

Reported once per Ingress host, at the annotation that asks for the redirect (else the TLS host),
naming the paths served in plain HTTP if any. Set `nginx.ingress.kubernetes.io/ssl-redirect:
"false"` on the Ingress if plain HTTP was intended.

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: storefront, port: {number: 8080}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: shop.example.com
    tls:
      certificateRefs: [{name: shop-tls}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```

Fixed:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: storefront, port: {number: 8080}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: shop.example.com
    tls:
      certificateRefs: [{name: shop-tls}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web, sectionName: https}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: https-redirect, namespace: shop}
spec:
  parentRefs: [{name: web, sectionName: http}]
  hostnames: [shop.example.com]
  rules:
  - filters:
    - type: RequestRedirect
      requestRedirect: {scheme: https, statusCode: 301}
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
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


@rule("GW605", "ingress-https-redirect-missing", category="migration", severity="warning",
      summary="The Ingress redirected HTTP to HTTPS for a host; no route on an HTTP listener "
              "does")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "warning", codes_of("GW605"))
