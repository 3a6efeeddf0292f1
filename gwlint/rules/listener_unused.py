"""A listener no route in the repository attaches to.

A listener without attached routes accepts connections on its port and answers every request
with a 404 (or resets the connection): often a leftover of a migration, or a sign that the routes
meant for it are refused (see GW201-GW205 for why). Reported only for Gateways in the linted
files, when those files hold routes at all (a repository of infrastructure only is not judged),
and never for a listener where some route's attachment cannot be decided, nor for a Gateway
whose name a route's unresolved parentRef uses (fix GW101 first) or that a parentRef names with
a sectionName/port matching none of its listeners (fix GW201 first).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}
  - {name: legacy, port: 8080, protocol: HTTP}   # no route names it or is admitted here
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{name: web, sectionName: http}]
  rules:
  - backendRefs: [{name: web, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{name: web, sectionName: http}]
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec:
  ports: [{port: 80}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.findings import Finding
from gwlint.model import ROUTE_KINDS
from gwlint.refs import PARENT
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW210", "listener-unused", category="listener", severity="info",
      summary="No route in the repository attaches to this listener")
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    scopes_with_routes = {r.scope for r in ctx.kinds(ROUTE_KINDS)}
    # a route naming a Gateway of this name in the wrong namespace (GW101) was probably meant
    # for it: its listeners' use cannot be judged until that is fixed
    misdirected = {(ref.target.scope, ref.target.name) for ref in ctx.refs(PARENT)
                   if ref.target.kind == "Gateway" and not ctx.exists(ref.target)}
    # a parentRef to a Gateway that matches none of its listeners (GW201) may have been meant
    # for any of them
    mistyped = set()
    for v in idx.verdicts():
        if v.reason == attachment.NO_MATCHING_PARENT:
            gw = v.parent if v.parent.kind == "Gateway" else next(
                (ls.gateway for ls in v.listeners if ls.gateway is not None), None)
            if gw is not None:
                mistyped.add(gw.key)
    for gw in ctx.of_kind("Gateway"):
        if (gw.scope not in scopes_with_routes or (gw.scope, gw.name) in misdirected
                or gw.key in mistyped):
            continue
        for ls in idx.listeners(gw):
            if idx.on_listener(ls) or idx.conflicted(ls):
                continue
            candidates = idx.candidates_on(ls)
            if any(a.reason == attachment.UNKNOWN for a in candidates):
                continue
            refused = len({id(a.ref) for a in candidates})
            tail = (f" ({refused} parentRef(s) select it but are refused)" if refused else "")
            yield Finding(
                f"no route attaches to {ls.label()} ({ls.port}/{ls.protocol}, "
                f"{ls.hostname or 'any host'}){tail}",
                resource=ls.owner, path=ls.path, listener=ls.name,
                hint="remove the listener if it is a leftover, or attach a route to it "
                     f"(parentRefs: [{{name: {gw.name}, namespace: {gw.namespace}, "
                     f"sectionName: {ls.name}}}])")
