"""A ListenerSet's parentRef names a Gateway that does not exist where it points.

A ListenerSet's `parentRef` without `namespace` points at the ListenerSet's own namespace. When
the Gateway is not there, no controller picks the ListenerSet up (the controller is chosen
through the parent Gateway's class): its listeners are never merged into any Gateway and its
status keeps the CRD default, `Accepted=Unknown` reason `Pending` ("Waiting for controller").
When a Gateway of that name exists in another namespace, gwlint names it.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop-listeners, namespace: shop}
spec:
  parentRef:
    name: shared-gateway        # looked up in namespace shop
  listeners: [{name: shop, port: 80, protocol: HTTP, hostname: shop.example.com}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: All}}
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop-listeners, namespace: shop}
spec:
  parentRef:
    name: shared-gateway
    namespace: infra
  listeners: [{name: shop, port: 80, protocol: HTTP, hostname: shop.example.com}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: All}}
  listeners: [{name: http, port: 80, protocol: HTTP}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.findings import Finding, Severity
from gwlint.model import GATEWAY_GROUP
from gwlint.registry import rule
from gwlint.rules._missing import UNKNOWN_NAMESPACE_NOTE, absence, missing_hint
from gwlint.status import conditions as C
from gwlint.status.gateways import PARENT_NOT_FOUND

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW112", "listenerset-parent-not-found", category="reference", severity="error",
      summary="A ListenerSet's parentRef names a Gateway that does not exist where it points",
      predicts=("Accepted", "Unknown", "Pending"))
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    model = status.model(ctx)
    for ls in idx.listenersets():
        st = model.of(ls)
        cond = st.conditions.get(C.ACCEPTED) if st is not None else None
        ref = idx.listenerset_parent(ls)
        if cond is None or cond.detail != PARENT_NOT_FOUND or ref is None:
            continue
        t = ref.target
        if (t.group, t.kind) != (GATEWAY_GROUP, "Gateway"):
            continue
        absent = absence(ctx, t)
        decided = cond.undecided is None
        hint, related = missing_hint(ctx, t, "parentRef")
        yield Finding(f"{ref.source.kind} parentRef Gateway '{t.name}' not found in "
                      f"namespace '{t.namespace}'{'' if decided else UNKNOWN_NAMESPACE_NOTE}",
                      resource=ref.source, path=ref.path, condition=cond,
                      severity=None if decided else Severity.WARNING,
                      hint=absent.hint(hint) if absent is not None else hint,
                      related=related if decided else [])
