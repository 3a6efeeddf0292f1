"""The route serves an Ingress path with a match of other semantics: it matches more or fewer paths.

Ingress `Prefix` is element-wise, like `PathPrefix` (`/foo` matches `/foo` and `/foo/bar`, not
`/foobar`; a trailing `/` is ignored); `Exact` is `Exact`. `ImplementationSpecific` is up to the
controller: ingress-nginx reads it as a string prefix (`/foo` also matched `/foobar`; served by a
`PathPrefix` this is only a hint on the confirmation), and as a regular expression on hosts where
an Ingress sets `use-regex` or `rewrite-target` (the controller makes regex locations host-wide);
Kong reads paths starting with `/~` as regular expressions. A regex path needs a
`RegularExpression` match, whose dialect is implementation-specific (Gateway API conformance: the
RegularExpression path type is implementation-specific) — say so to the reviewer; an ingress-nginx
idiom like `/blog(/|$)(.*)` is exactly `PathPrefix /blog` and counts as equivalent.

Reported when the route serves the path only with another match type (an `Exact` path through a
`PathPrefix`, a `Prefix` path through an `Exact`, a regex through a `PathPrefix` covering it), or
only for requests with a method, header or query condition the Ingress did not require (other
requests get 404). The finding is at the Ingress `pathType`.

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
      - path: /healthz
        pathType: Exact
        backend: {service: {name: storefront, port: {number: 8080}}}
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
  - matches: [{path: {type: PathPrefix, value: /healthz}}]   # also /healthz/anything
    backendRefs: [{name: storefront, port: 8080}]
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
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /healthz
        pathType: Exact
        backend: {service: {name: storefront, port: {number: 8080}}}
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
  - matches: [{path: {type: Exact, value: /healthz}}]
    backendRefs: [{name: storefront, port: 8080}]
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


@rule("GW603", "ingress-path-semantics", category="migration", severity="warning",
      summary="The route serves an Ingress path with a match of other semantics (pathType, "
              "regex, conditions)")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "warning", codes_of("GW603"))
