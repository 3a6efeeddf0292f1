"""Two listeners merged into one Gateway have the same port, protocol and hostname.

Every listener of a Gateway, including those merged from ListenerSets, must be distinct: HTTP,
HTTPS and TLS listeners by port and hostname, TCP and UDP listeners by port. No hostname is a
value of its own (two listeners without hostname on one port are the same). Inside one Gateway
or ListenerSet the API server already rejects duplicates (a CEL rule); across a Gateway and its
ListenerSets nothing stops them, and the controller sets `Conflicted=True` with reason
`HostnameConflict` on the listener merged later (the Gateway's own listeners come first, then
ListenerSets by creation time): it serves nothing.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: All}}
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop, namespace: shop}
spec:
  parentRef: {name: web, namespace: infra}
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}   # the Gateway's already
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: All}}
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop, namespace: shop}
spec:
  parentRef: {name: web, namespace: infra}
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: checkout.example.com}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW207", "listener-hostname-conflict", category="listener", severity="error",
      summary="Two merged listeners have the same port, protocol and hostname",
      predicts=("Conflicted", "True", "HostnameConflict"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).listener_entries():
        cond = entry.conditions.get(C.CONFLICTED)
        c = entry.conflict
        if cond is None or c is None or cond.reason != C.R_HOSTNAME_CONFLICT:
            continue
        if cond.status != C.TRUE and cond.likely != (C.TRUE, C.R_HOSTNAME_CONFLICT):
            continue
        ls, other = c.listener, c.other
        host = f"hostname '{ls.hostname}'" if ls.hostname else "no hostname"
        note = (f"{other.owner.label()} takes precedence, so this listener is rejected"
                if cond.status == C.TRUE else
                "which of the two ListenerSets' listeners is rejected depends on their "
                "creation times (the older one wins), which the files do not carry: applied "
                "together, this one loses (namespace/name order)")
        on = "" if other.owner is c.gateway else f" (both on {c.gateway.label()})"
        yield Finding(
            f"listener '{ls.name}' ({ls.port}/{ls.protocol}, {host}) duplicates "
            f"listener '{other.name}' of {other.owner.label()}{on}: {note}",
            resource=ls.owner, path=ls.path + (("hostname",) if ls.hostname else ()),
            listener=ls.name, condition=cond,
            hint="give the listener another hostname or port, or remove the duplicate",
            related=[listener_related(other, f"same port, protocol and hostname: "
                                             f"{other.label()}")])
