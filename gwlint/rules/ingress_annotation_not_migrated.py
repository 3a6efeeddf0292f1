"""An Ingress annotation that a standard Gateway API construct replaces, missing from the route.

ingress-nginx and Kong configure much of what HTTPRoute now says in its spec through annotations
(the Gateway API guide "Migrating from Ingress": request redirects, request and response header
changes, traffic splitting, header- and method-based routing are part of HTTPRoute). gwlint knows
which construct replaces each annotation (its annotation table, cited from each controller's
annotation reference) and checks that every rule serving the Ingress's paths has it:
`rewrite-target` a `URLRewrite` path; `app-root` an `Exact /` rule with a `RequestRedirect`;
`permanent-redirect` / `temporal-redirect` a `RequestRedirect` with that status code and host;
`from-to-www-redirect` a redirecting route for the other name; `server-alias` the alias in
`hostnames`; `upstream-vhost` a `URLRewrite` hostname; `x-forwarded-prefix` a
`RequestHeaderModifier`; `mirror-target` a `RequestMirror`; `proxy-read-timeout` /
`proxy-send-timeout` `rules[].timeouts`; `canary-weight` weighted backendRefs and
`canary-by-header` a header match to the canary Service; `enable-cors` the `CORS` filter;
`backend-protocol` and `proxy-ssl-*` the Service's `appProtocol` or a BackendTLSPolicy;
`auth-tls-*` the Gateway's client certificate validation; `auth-url` the `ExternalAuth` filter and
`affinity` `sessionPersistence` (both experimental channel); Kong's `strip-path`, `methods`,
`headers.*`, `host-aliases` and plugins (`redirect`, `request-transformer`, ...) their
equivalents. An implementation policy attached to the route that configures the same thing counts
too (see GW612).

Without the construct the request still reaches the backend, but not as before: the backend
receives the original path and answers 404, the redirect is gone, the canary gets no traffic. The
finding is at the annotation, names the rule that lacks the construct (and how many of the paths),
and its severity is the table's for that annotation (an error for rewrites and redirects).

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
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
    backendRefs: [{name: cart-api, port: 8080}]   # receives /api/cart, not /cart
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
    nginx.ingress.kubernetes.io/rewrite-target: /
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
    filters:
    - type: URLRewrite
      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
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
from gwlint.migration.results import codes_of
from gwlint.registry import rule
from gwlint.rules._migration import parity_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW606", "ingress-annotation-not-migrated", category="migration", severity="warning",
      summary="An Ingress annotation a standard construct replaces (URLRewrite, RequestRedirect, "
              "timeouts, weights...) is missing from the route")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "warning", codes_of("GW606"))
