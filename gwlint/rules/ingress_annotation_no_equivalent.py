"""An Ingress annotation with no standard Gateway API equivalent, and nothing that replaces it.

Rate limits (`limit-rps`, `limit-connections`, ...), authentication (`auth-url`, `auth-type`,
...), IP allow lists (`whitelist-source-range`), body size and buffering, CORS on releases without
the CORS filter, access logs, and above all `configuration-snippet` / `server-snippet` (raw NGINX
configuration: the injection vector behind CVE-2021-25742 and CVE-2025-1974, and why ingress-nginx
was retired) have no standard HTTPRoute field. ingress2gateway warns about them once, at
conversion time; after that they vanish silently: the rate limit, the login wall or the IP allow
list is simply gone after the switch.

Each finding names what replaces the annotation (an implementation policy such as Envoy Gateway's
BackendTrafficPolicy or SecurityPolicy, Kong plugins, a filter) with the controller's
documentation. It is reported until an implementation object that configures the same thing is
attached to every route rule serving the Ingress's paths: an `ExtensionRef` filter target, or a
policy whose `targetRefs` names the route, its Gateway or (for backend settings) the Service, and
whose fields name the feature (`rateLimit` for `limit-rps`, `cors` for `enable-cors`...). Snippets
and Lua code are always reported: what they did must be rebuilt and verified by hand. The
severity is the annotation table's (an error for authentication and IP allow lists: the path
became public).

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/limit-rps: "20"
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
    nginx.ingress.kubernetes.io/limit-rps: "20"
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
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: cart-rate-limit, namespace: shop}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: cart}]
  rateLimit:
    type: Local
    local:
      rules:
      - limit: {requests: 20, unit: Second}
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


@rule("GW607", "ingress-annotation-no-equivalent", category="migration", severity="warning",
      summary="An Ingress annotation with no standard equivalent (rate limits, auth, allow lists, "
              "snippets) that nothing replaces")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "warning", codes_of("GW607"))
