"""A route has no parentRefs, so it attaches to nothing and serves no traffic.

A route only takes effect through its parents: the Gateways (or ListenerSets) it names in
`spec.parentRefs`, or, for GAMMA mesh routes, the Services it names there. A route without any
parentRef is accepted by no controller and has no status at all; usually the parentRefs were
lost when the route was copied from another environment or a Helm value was left empty.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:                            # no parentRefs: attached to nothing
  hostnames: [web.example.com]
  rules:
  - backendRefs: [{name: web, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - {name: shared-gateway, namespace: infra}
  hostnames: [web.example.com]
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: web.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec:
  ports: [{port: 80}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import FieldPath, Finding
from gwlint.model import ROUTE_KINDS, as_list
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW212", "route-without-parent-refs", category="attachment", severity="warning",
      summary="A route has no parentRefs and attaches to nothing")
def check(ctx: Context) -> Iterator[Finding]:
    for route in ctx.kinds(ROUTE_KINDS):
        if as_list(route.spec.get("parentRefs")):
            continue
        path: FieldPath
        if "parentRefs" in route.spec:
            path = ("spec", "parentRefs")
        elif "spec" in route.body:
            path = ("spec",)
        else:
            path = ("kind",)
        yield Finding(
            f"{route.label()} has no parentRefs: it attaches to no Gateway and serves "
            "no traffic",
            resource=route, path=path,
            hint="add spec.parentRefs: [{name: <gateway>, namespace: <gateway namespace>}] "
                 "(or a Service for a GAMMA mesh route)")
