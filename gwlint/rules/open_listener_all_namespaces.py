"""A listener without a specific hostname admits routes from all namespaces: any namespace can
claim any host.

`allowedRoutes.namespaces.from: All` hands the listener to every namespace of the cluster, and a
listener without `hostname` (or with a wildcard such as `*.example.com`) lets each route pick its
own hostnames. Together, anyone who can create an HTTPRoute in any namespace can serve
`login.example.com` or take over paths of an existing host (the route precedence rules decide,
not ownership) - the Gateway API security model's own example of what not to do on a shared
Gateway. Give each team a listener with its own hostname, or admit only the namespaces that
should attach (`from: Selector` on `kubernetes.io/metadata.name`, or `from: Same`). Reported
for HTTP, HTTPS and TLS listeners (the protocols whose routes choose hostnames).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: All          # no hostname: every namespace may claim every host
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
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - key: kubernetes.io/metadata.name
            operator: In
            values: [shop, blog]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._routes import user_path

if TYPE_CHECKING:
    from gwlint.context import Context

PROTOCOLS = frozenset({"HTTP", "HTTPS", "TLS"})


@rule("GW401", "open-listener-all-namespaces", category="security", severity="warning",
      summary="A listener with no or a wildcard hostname admits routes from all namespaces")
def check(ctx: Context) -> Iterator[Finding]:
    for ls in attachment.index(ctx).all_listeners():
        if ls.allowed_from != "All" or ls.protocol not in PROTOCOLS or ls.attached is False:
            continue
        host = ls.hostname
        if host and not host.startswith("*."):
            continue
        if host:
            what = (f"has the wildcard hostname '{host}' and admits routes from all namespaces: "
                    f"any namespace can claim any host under '{host[2:]}'")
        else:
            what = ("has no hostname and admits routes from all namespaces: any namespace can "
                    "claim any hostname")
        path = user_path(ls.owner, ls.path + ("allowedRoutes", "namespaces", "from"))
        yield Finding(
            f"{ls.label()} {what}", resource=ls.owner, path=path, listener=ls.name,
            hint="admit only the namespaces that should attach (from: Selector on "
                 "kubernetes.io/metadata.name, or from: Same), or give each team a listener "
                 "with its own hostname")
