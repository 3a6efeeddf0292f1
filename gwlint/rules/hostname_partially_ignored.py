"""Some of a route's hostnames match no listener it attaches to, and are silently ignored.

When both a listener and a route specify hostnames, route hostnames that do not match the
listener hostname "MUST be ignored" (the spec's own example: a listener for `*.example.com` and
a route for `test.example.com` and `test.example.net`: `test.example.net` is not served). The
route is still `Accepted`, so nothing in its status reveals that a hostname serves no traffic;
requests for it get a 404 (or reach another listener's routes). gwlint reports each route
hostname that intersects no listener on any parent where the route is accepted.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames:
  - shop.example.com
  - shop.example.net            # matches no listener: ignored
  rules:
  - backendRefs: [{name: shop, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames:
  - shop.example.com            # (or add a listener for shop.example.net)
  rules:
  - backendRefs: [{name: shop, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: infra}
spec:
  ports: [{port: 80}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import UNKNOWN
from gwlint.findings import Finding
from gwlint.model import ROUTE_KINDS
from gwlint.refs import PARENT
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW204", "hostname-partially-ignored", category="attachment", severity="warning",
      summary="Some route hostnames match no listener the route attaches to and are ignored")
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    for route in ctx.kinds(attachment.HOSTNAME_KINDS & set(ROUTE_KINDS)):
        hosts = attachment.route_hostnames(route)
        if not hosts or not all(attachment.valid_hostname(h) for _, h in hosts):
            continue  # invalid hostnames: the schema stage reports them
        verdicts = idx.of_route(route)
        accepted = [v for v in verdicts if v.accepted]
        if not accepted or any(v.reason == UNKNOWN for v in verdicts):
            continue
        if len(verdicts) != len(ctx.refs_from(route, PARENT)):
            continue  # some parent is not in the linted files: it may serve the hostname
        listeners = list(dict.fromkeys(a.listener for v in accepted for a in v.attached))
        served = {h for v in accepted for a in v.attached for h in a.hostnames}
        for i, host in hosts:
            if any(attachment.hostname_intersection(ls.hostname, host) is not None
                   for ls in listeners):
                continue
            names = ", ".join(f"'{ls.name}' ({ls.hostname or 'any host'})" for ls in listeners)
            yield Finding(
                f"hostname '{host}' matches no listener {route.label()} attaches to "
                f"and is ignored (listeners: {names})",
                resource=route, path=("spec", "hostnames", i),
                parent=accepted[0].ref.parent_dict() if len(accepted) == 1 else None,
                listener=listeners[0].name if len(listeners) == 1 else None,
                hint="remove the hostname, or add a listener whose hostname covers it "
                     f"(served hostnames: {', '.join(sorted(served))})",
                related=[listener_related(ls, f"{ls.label()} hostname "
                                              f"'{ls.hostname}'", ls.hostname_path)
                         for ls in listeners])
