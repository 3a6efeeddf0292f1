"""The same backend (Service, namespace and port) is listed twice in one route rule.

Each backendRefs entry gets its own share of the rule's traffic, so listing a Service twice adds
its weights up: `a` (weight 1) + `b` (weight 1) + `a` again (weight 1) sends two thirds of the
requests to `a`. That is almost always a merge or copy-paste mistake (two people adding "the"
backend, a Helm value concatenated twice). Entries that differ in their per-backend `filters`
are treated as deliberate and not reported.

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
    - name: web-v2
      port: 8080
    - name: web          # again: web gets 2/3 of the traffic
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
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: shop}
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
    - name: web-v2
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
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web-v2, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.model import ObjKey
from gwlint.registry import rule
from gwlint.rules._routes import Backend, pct, route_rules

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW304", "duplicate-backend", category="traffic", severity="warning",
      summary="The same backend is listed twice in one rule: their weights add up")
def check(ctx: Context) -> Iterator[Finding]:
    for rr in route_rules(ctx):
        if len(rr.backends) < 2:
            continue
        # (target, port, filters) -> the backendRefs that send there, in order
        groups: dict[tuple[ObjKey, int | None, str], list[Backend]] = {}
        for b in rr.backends:
            if b.ref is None:
                continue
            filters = json.dumps(b.raw.get("filters") or [], sort_keys=True, default=str)
            groups.setdefault((b.ref.target, b.ref.port, filters), []).append(b)
        total = rr.total_weight
        for (t, port_number, _), items in groups.items():
            if len(items) < 2:
                continue
            first = items[0]
            port = f" port {port_number}" if port_number is not None else ""
            combined = sum(b.weight for b in items)
            share = f" = {pct(combined, total)}" if total > 0 else ""
            where = ", ".join(f"backendRefs[{b.index}]" for b in items)
            times = "twice" if len(items) == 2 else f"{len(items)} times"
            for b in items[1:]:
                yield Finding(
                    f"{t.kind} '{first.name}'{port} is listed {times} in {rr.label()} "
                    f"({where}): its weights add up to {combined} of {total}{share}",
                    resource=rr.route, path=b.path,
                    hint="remove the duplicate entry and give the remaining one the weight you "
                         "mean",
                    related=[Related(f"first listed as backendRefs[{first.index}]", rr.route,
                                     first.path)])
