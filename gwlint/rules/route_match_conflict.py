"""Two routes on the same Gateway port and hostname have an identical match: apply order decides.

When rules of several routes match a request equally well (same path type and value, method,
headers and query parameters), the spec breaks the tie by "the oldest Route based on creation
timestamp", then by "{namespace}/{name}". Creation time is decided by whichever `kubectl apply`
or GitOps sync ran first - the repository cannot know it, and recreating one route (a rename, a
namespace move, a cluster rebuild) silently flips which backend serves the traffic. gwlint
compares the *effective* hostnames (route hostnames intersected with the listener's) of routes
accepted on the same Gateway and port, with the match defaults applied as in GW306, and names
both routes. Routes are indexed by (Gateway, port, hostname, match); nothing is compared
pairwise.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
    backendRefs: [{name: storefront, port: 8080}]
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute                 # the same host and match: the older route wins
metadata: {name: cart-v2, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
    backendRefs: [{name: cart-v2, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart-v2, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
    backendRefs: [{name: storefront, port: 8080}]
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute                 # only requests with the header go to cart-v2
metadata: {name: cart-v2, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
      headers: [{name: x-cart, value: v2}]
    backendRefs: [{name: cart-v2, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart-v2, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import Attachment
from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.rules._routes import Match, host_text, route_matches, sort_key, where

if TYPE_CHECKING:
    from gwlint.context import Context

KINDS = ("HTTPRoute", "GRPCRoute")
_Key = tuple[int, int | None, str, int]  # (id of the Gateway, port, host, match id)
_Entry = tuple[Attachment, int, Match]   # (attachment, rule index, match)


@rule("GW308", "route-match-conflict", category="conflict", severity="warning",
      summary="Two routes on one listener and hostname have an identical match: apply order "
              "decides which one serves it")
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    # (gateway, port, host, match id) -> the first (att, rule, match) seen; a key claimed by a
    # second route moves to `shared` as {id(route): entry}. One tuple per key, not a dict: the
    # table has an entry per attached route, host and match (~60 MB at 100,000 resources).
    table: dict[_Key, _Entry] = {}
    shared: dict[_Key, dict[int, _Entry]] = {}
    for att in idx.accepted():
        route = att.route
        if route.kind not in KINDS:
            continue
        ls = att.listener
        gateway = id(ls.gateway or ls.owner)
        matches = route_matches(ctx, route)  # the match id encodes the route kind too
        for name in att.hostnames:
            host = name.lower()
            for r, m, kid in matches:
                key = (gateway, ls.port, host, kid)
                first = table.setdefault(key, (att, r, m))
                if first[0].route is not route:
                    shared.setdefault(key, {id(first[0].route): first}).setdefault(id(route),
                                                                                   (att, r, m))
    # (route, rule, match, other route) -> (entry, first entry, [hosts]), in first-seen order
    grouped: dict[tuple[int, int, int | None, int], tuple[_Entry, _Entry, list[str]]] = {}
    for key in table:
        slot = shared.get(key)
        if slot is None:
            continue
        entries = sorted(slot.values(), key=lambda e: sort_key(e[0].route))
        first = entries[0]
        for entry in entries[1:]:
            att, r, m = entry
            gkey = (id(att.route), r, m.index, id(first[0].route))
            grouped.setdefault(gkey, (entry, first, []))[2].append(key[2])
    for (entry, other, hosts) in grouped.values():
        att, r, m = entry
        oatt, orule, om = other
        ls = att.listener
        shown = ", ".join(host_text(h) for h in hosts)
        yield Finding(
            f"{where(r, m)} ({m.text}) on {shown} is also matched by {where(orule, om)} of "
            f"{oatt.route.label()} on {ls.owner.label()} port {ls.port}: the route created "
            f"first gets these requests, so the winner depends on apply order, which Git "
            f"cannot tell",
            resource=att.route, path=m.path, parent=att.ref.parent_dict(), listener=ls.name,
            hint="make one match more specific (a header, method or longer path), or move "
                 "both rules into one route where list order decides",
            related=[Related(f"{oatt.route.label()} {where(orule, om)}", oatt.route, om.path),
                     listener_related(ls)])
