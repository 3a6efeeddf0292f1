"""The backend weights of a route rule do not add up to 100 (opt-in, for percentage conventions).

Gateway API weights are proportions, not percentages: "Weight is not a percentage and the sum of
weights does not need to equal 100", so `3` and `1` is a valid 75:25 split and this is not an
error. Teams that write every split as percentages can enable this rule to catch a split that
silently stopped being one (`90` + `20` after an edit) - the message shows the real shares.
Rules with a single backendRef and no explicit weight, and rules whose weights are all 0 (see
GW301), are not reported. Option `total` (default 100) sets the expected sum.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: web
      port: 8080
      weight: 90
    - name: web-canary
      port: 8080
      weight: 20        # 110 in total: web gets 81.8%, not 90%
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
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-canary, namespace: shop}
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
    - name: web
      port: 8080
      weight: 90
    - name: web-canary
      port: 8080
      weight: 10
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
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-canary, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._routes import pct, route_rules

if TYPE_CHECKING:
    from gwlint.context import Context

TOTAL = 100  # the default of the option `total`; also used when the configured one is not > 0


@rule("GW305", "weights-not-percent", category="traffic", severity="info", opt_in=True,
      options={"total": TOTAL},
      summary="Backend weights of a rule do not add up to 100 (for teams that use percentages)")
def check(ctx: Context) -> Iterator[Finding]:
    expected = ctx.rule_option("total")
    if not isinstance(expected, int) or isinstance(expected, bool) or expected <= 0:
        expected = TOTAL
    for rr in route_rules(ctx):
        backends = rr.backends
        if not backends or (len(backends) == 1 and not backends[0].explicit):
            continue
        total = rr.total_weight
        if total in (0, expected):
            continue
        shares = ", ".join(f"'{b.name}' {pct(b.weight, total)}" for b in backends)
        yield Finding(
            f"weights of {rr.label()} add up to {total}, not {expected}: as proportions they "
            f"give {shares}",
            resource=rr.route, path=rr.backend_refs_path,
            hint=f"scale the weights so that they add up to {expected}")
