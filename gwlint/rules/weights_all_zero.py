"""Every backendRef of a route rule has weight 0, so no request matching the rule can be forwarded.

A weight is the share of a rule's traffic a backend gets: `weight/(sum of all weights)`, and "if
weight is set to 0, no traffic should be forwarded for this entry". When *every* entry is 0 there
is nowhere to send anything: the rule still matches its requests (they never fall through to
another rule), so all of them fail instead - an HTTP 500 for an HTTPRoute, `UNAVAILABLE` for a
GRPCRoute, a rejected connection for TLS/TCP routes. This is usually a drain that went one step
too far (the old backend set to 0 before the new one was added). The route's status does not
show it: the references resolve, so the route stays `Accepted` and `ResolvedRefs=True`. A rule
that answers with a RequestRedirect does not use its backends and is not reported.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: web-blue
      port: 8080
      weight: 0
    - name: web-green
      port: 8080
      weight: 0        # both drained: every request gets a 500
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: web-blue, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-green, namespace: shop}
spec: {ports: [{port: 8080}]}
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
    - name: web-blue
      port: 8080
      weight: 0
    - name: web-green
      port: 8080
      weight: 1
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: web-blue, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-green, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._routes import outcome, route_rules, terminal_filter

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW301", "weights-all-zero", category="traffic", severity="error",
      summary="Every backendRef of a route rule has weight 0: all its traffic fails")
def check(ctx: Context) -> Iterator[Finding]:
    for rr in route_rules(ctx):
        if not rr.backends or rr.total_weight > 0 or terminal_filter(rr.raw):
            continue
        out = outcome(rr.route.kind)
        n = len(rr.backends)
        what = "its only backendRef has" if n == 1 else f"all {n} backendRefs have"
        related = [Related(f"weight 0 ('{b.name}')", rr.route,
                           b.weight_path if b.explicit else b.path) for b in rr.backends[1:]]
        first = rr.backends[0]
        yield Finding(
            f"{rr.label()} forwards nothing: {what} weight 0, so every {out.one} it matches "
            f"{out.fate_one}",
            resource=rr.route, path=first.weight_path if first.explicit else first.path,
            hint="give at least one backendRef a weight above 0 (or remove the rule if the "
                 "path should no longer be served)",
            related=related)
