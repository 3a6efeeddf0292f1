"""Two rules of one route have an identical match: the later one never gets those requests.

Within one route, when several rules match a request equally well, "matching precedence MUST be
granted to the FIRST matching rule (in list order)". A later rule repeating a match of an earlier
rule is therefore dead for that match - usually a copy-paste or merge leftover, sometimes a
canary rule that was meant to add a header match. Matches are compared with the spec's defaults
applied: a rule without matches is `PathPrefix /` (HTTPRoute) or every method (GRPCRoute); the
path type defaults to PathPrefix and header/query types to Exact; a trailing `/` of a prefix is
ignored; header names are case-insensitive (query parameter names are not); the order of
headers and query parameters does not matter, and only the first entry of a repeated name
counts.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches:
    - path:
        value: /api
    backendRefs:
    - name: api
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /api/          # the same match: this rule never gets a request
    backendRefs:
    - name: api-v2
      port: 8080
  - backendRefs: [{name: web, port: 8080}]
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
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
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
  - matches:
    - path:
        value: /api
    backendRefs:
    - name: api
      port: 8080
  - matches:
    - path:
        value: /api
      headers:
      - name: x-version
        value: "2"
    backendRefs:
    - name: api-v2
      port: 8080
  - backendRefs: [{name: web, port: 8080}]
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
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: api-v2, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._routes import Match, MatchKey, rule_matches, where

if TYPE_CHECKING:
    from gwlint.context import Context

KINDS = ("HTTPRoute", "GRPCRoute")


@rule("GW306", "duplicate-rule", category="traffic", severity="warning",
      summary="A rule repeats a match of an earlier rule of the same route: it is unreachable")
def check(ctx: Context) -> Iterator[Finding]:
    for route in ctx.kinds(KINDS):
        first: dict[MatchKey, tuple[int, Match]] = {}  # match key -> its first occurrence
        for r, matches in enumerate(rule_matches(ctx, route)):
            dead = []
            for m in matches:
                earlier = first.get(m.key)
                if earlier is None:
                    continue
                if earlier[0] != r:
                    dead.append((m, earlier))
            if dead:
                whole = len({m.key for m, _ in dead}) == len({m.key for m in matches})
                for m, (er, em) in dead:
                    tail = (f": rule {r} is unreachable" if whole
                            else f": rule {r} never gets these requests")
                    yield Finding(
                        f"{where(r, m)} ({m.text}) repeats {where(er, em)}{tail}",
                        resource=route, path=m.path,
                        hint=f"remove the duplicate, or make it more specific than rule {er} "
                             "(e.g. add a header match)",
                        related=[Related(f"{where(er, em)} ({em.text}) wins", route, em.path)])
            for m in matches:
                first.setdefault(m.key, (r, m))
