"""Routes from different namespaces serve the same hostname on one shared listener.

Route attachment is decided per namespace (`allowedRoutes.namespaces`), not per hostname: any
namespace a listener admits may claim any hostname the listener serves, and its rules are merged
with the other routes of that host by precedence (a longer path prefix, a header match, or simply
the older route wins). A second namespace serving `shop.example.com` can therefore take over
`/checkout/pay` from the shop team without touching their files - sometimes a deliberate split of
one host between teams, sometimes a copy-paste leftover, sometimes a hijack. gwlint compares the
*effective* hostnames (route hostnames intersected with the listener's) of accepted routes and
reports the host once per namespace, naming the others. Wildcards are not equal hostnames:
`*.example.com` and `shop.example.com` are different hosts (the exact one takes precedence).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - {key: kubernetes.io/metadata.name, operator: In, values: [shop, marketing]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: promo, namespace: marketing}
spec:
  parentRefs: [{name: web, namespace: infra}]
  hostnames: [shop.example.com]   # another namespace claims part of the shop's host
  rules:
  - matches:
    - path: {type: PathPrefix, value: /checkout/promo}
    backendRefs: [{name: promo, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: promo, namespace: marketing}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - {key: kubernetes.io/metadata.name, operator: In, values: [shop, marketing]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web, namespace: infra}]
  hostnames: [shop.example.com]
  rules:
  - backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: promo, namespace: marketing}
spec:
  parentRefs: [{name: web, namespace: infra}]
  hostnames: [promo.example.com]  # its own host
  rules:
  - matches:
    - path: {type: PathPrefix, value: /}
    backendRefs: [{name: promo, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: promo, namespace: marketing}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import Attachment, Listener
from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.rules._routes import host_text, hostname_entry_path, sort_key

if TYPE_CHECKING:
    from gwlint.context import Context

KINDS = ("HTTPRoute", "GRPCRoute", "TLSRoute")
MAX_RELATED = 3


@rule("GW310", "cross-namespace-host-sharing", category="conflict", severity="warning",
      summary="Routes from different namespaces serve the same hostname on one listener")
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    # (listener, host) -> namespace -> [attachments]
    table: defaultdict[tuple[Listener, str], dict[str | None, list[Attachment]]]
    table = defaultdict(dict)
    for att in idx.accepted():
        if att.route.kind not in KINDS:
            continue
        for host in att.hostnames:
            table[(att.listener, host.lower())].setdefault(att.route.namespace, []).append(att)
    for (ls, host), spaces in table.items():
        if len(spaces) < 2:
            continue
        firsts = {ns: min(atts, key=lambda a: sort_key(a.route)) for ns, atts in spaces.items()}
        order = sorted(firsts, key=lambda n: n or "")
        for ns in order:
            att = firsts[ns]
            # at most MAX_RELATED + 1 other namespaces are named: no work quadratic in namespaces
            others = [firsts[o] for o in order[:MAX_RELATED + 1] if o != ns][:MAX_RELATED]
            more = len(order) - 1 - len(others)
            names = ", ".join(f"'{o.route.namespace}'" for o in others)
            if more:
                names += f" and {more} more"
            plural = "s" if len(order) > 2 else ""
            yield Finding(
                f"{host_text(host)} on {ls.label()} is also served by {others[0].route.label()}"
                f" (routes from namespace{plural} {names}): a route of another namespace can "
                f"take over requests to this host with a more specific match",
                resource=att.route, path=hostname_entry_path(att, host),
                parent=att.ref.parent_dict(), listener=ls.name,
                hint="give each namespace its own hostname, or restrict the listener's "
                     "allowedRoutes.namespaces to the namespace that owns the host",
                related=[Related(f"{o.route.label()} serves {host_text(host)}", o.route,
                                 hostname_entry_path(o, host)) for o in others]
                + [listener_related(ls)])
