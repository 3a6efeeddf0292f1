"""A route rule mixes explicit backend weights with unset ones, which weigh 1, not "the rest".

Gateway API weights are proportions: each backend gets `weight/(sum of all weights)` of the
rule's traffic, and an unset weight defaults to **1**. So `weight: 90` next to a backendRef
without a weight is a 90:1 split - the second backend gets 1.1% of the requests, not the 10%
a percentage reading suggests. This is the classic canary mistake of migrations from
annotation-based canaries (`canary-weight: 10`). gwlint prints the split a controller will
really program. Weights of 0 and 1 next to unset weights mean what they say and are not reported.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: storefront
      port: 8080
      weight: 90
    - name: storefront-canary     # unset: weight 1, i.e. 1/91 = 1.1% of the traffic
      port: 8080
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
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: storefront-canary, namespace: shop}
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
    - name: storefront
      port: 8080
      weight: 90
    - name: storefront-canary
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
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: storefront-canary, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._routes import outcome, pct, ratio, route_rules, terminal_filter

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW302", "weights-mixed-unset", category="traffic", severity="warning",
      summary="Explicit and unset backend weights are mixed: unset means 1, not the remainder")
def check(ctx: Context) -> Iterator[Finding]:
    for rr in route_rules(ctx):
        backends = rr.backends
        unset = [b for b in backends if not b.explicit]
        explicit = [b for b in backends if b.explicit]
        if not unset or not any(b.weight > 1 for b in explicit) or terminal_filter(rr.raw):
            continue
        total = rr.total_weight
        weights = [b.weight for b in backends]
        split = " : ".join(pct(b.weight, total) for b in backends)
        given = sum(b.weight for b in explicit)
        intended = ""
        fix = ""
        if given < 100:
            share = (100 - given) / len(unset)
            if share == int(share):
                meant = [b.weight if b.explicit else int(share) for b in backends]
                intended = f", not {ratio(meant)}"
                fix = f" (weight: {int(share)} gives {ratio(meant)})"
        anchor = explicit[0]
        for b in unset:
            yield Finding(
                f"backendRef '{b.name}' has no weight, so it weighs 1: {rr.label()} splits "
                f"{ratio(weights)} ({split}){intended}; '{b.name}' gets "
                f"{pct(b.weight, total)} of the {outcome(rr.route.kind).unit}",
                resource=rr.route, path=b.path,
                hint=f"set weight on every backendRef of the rule{fix}",
                related=[Related(f"explicit weight {anchor.weight} ('{anchor.name}')",
                                 rr.route, anchor.weight_path)])

