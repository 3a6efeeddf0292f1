"""The route kind cannot attach to the protocol of any listener its parentRef selects.

Each listener protocol serves specific route kinds: HTTP and HTTPS serve HTTPRoute and
GRPCRoute, TLS serves TLSRoute (and TCPRoute), TCP serves TCPRoute and UDP serves UDPRoute. An
HTTPS listener terminates TLS and speaks HTTP, so a TLSRoute (which routes on SNI, typically for
passthrough) cannot attach to it; a TCPRoute cannot attach to an HTTP listener. The controller
sets `Accepted=False` with reason `NotAllowedByListeners` on that parent.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    port: 443
    protocol: HTTPS            # terminates TLS: serves HTTPRoute/GRPCRoute
    tls: {certificateRefs: [{name: web-tls}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs:
  - {name: web, sectionName: https}
  hostnames: [db.example.com]
  rules:
  - backendRefs: [{name: db, port: 5432}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: tls-passthrough
    port: 443
    protocol: TLS
    hostname: db.example.com
    tls: {mode: Passthrough}
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs:
  - {name: web, sectionName: tls-passthrough}
  hostnames: [db.example.com]
  rules:
  - backendRefs: [{name: db, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: infra}
spec:
  ports: [{port: 5432}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.attachment import CAUSE_PROTOCOL, Listener
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import kind_names, listener_related
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context

_NEEDS = {
    "HTTPRoute": "an HTTP or HTTPS listener",
    "GRPCRoute": "an HTTP or HTTPS listener",
    "TLSRoute": "a TLS listener (tls.mode: Passthrough, or Terminate)",
    "TCPRoute": "a TCP listener (or a TLS listener that terminates TLS)",
    "UDPRoute": "a UDP listener",
}


@rule("GW205", "route-kind-protocol-mismatch", category="attachment", severity="error",
      summary="The route kind cannot attach to the protocol of the listeners it selects",
      predicts=("Accepted", "False", "NotAllowedByListeners"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).parent_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or (cond.status, cond.reason) != (C.FALSE, C.R_NOT_ALLOWED_BY_LISTENERS):
            continue
        if not entry.verdicts or any(v.cause != CAUSE_PROTOCOL for v in entry.verdicts):
            continue
        ref, route, parent = entry.ref, entry.ref.source, entry.parent
        assert parent is not None
        listeners = [v.listener for v in entry.verdicts]
        desc = ", ".join(f"'{ls.name}' ({_proto(ls)})" for ls in listeners)
        noun = "listener" if len(listeners) == 1 else "listeners"
        yield Finding(
            f"{route.kind} cannot attach to {noun} {desc} of {parent.label()}: "
            f"{_serves(listeners)}",
            resource=route, path=ref.path, parent=ref.parent_dict(),
            listener=listeners[0].name if len(listeners) == 1 else None, condition=cond,
            hint=f"a {route.kind} needs {_NEEDS.get(route.kind, 'a matching listener')}; point "
                 "the parentRef at one (sectionName), or use the route kind the listener serves",
            related=[listener_related(ls, f"{ls.label()} ({_proto(ls)})",
                                      ls.path + ("protocol",)) for ls in listeners])


def _proto(ls: Listener) -> str:
    if ls.protocol == "TLS":
        return f"TLS, mode {ls.tls_mode}"
    return ls.protocol


def _serves(listeners: list[Listener]) -> str:
    parts: dict[str, str] = {}
    for ls in listeners:
        parts.setdefault(_proto(ls), kind_names(ls.compatible_kinds or ()))
    return "; ".join(f"{p} serves {k}" for p, k in parts.items())
