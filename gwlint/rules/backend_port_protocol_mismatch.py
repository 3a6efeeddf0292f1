"""A backendRef's Service port speaks the wrong transport (UDPRoute to TCP, TCP route to UDP).

A UDPRoute forwards datagrams and needs a Service port with `protocol: UDP`; every other route
(TCPRoute, TLSRoute, HTTPRoute, GRPCRoute) needs a TCP port. A Service port without `protocol`
is TCP (the Kubernetes default), which is how a DNS or QUIC migration usually breaks. The
controller cannot resolve a (Service, port, protocol) backend that does not exist: gwlint
predicts `ResolvedRefs=False` reason `BackendNotFound` (Envoy Gateway writes the
implementation-specific `PortNotFound`, "UDP Port 53 not found").

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: UDPRoute
metadata: {name: dns, namespace: infra}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{name: dns, port: 53}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: infra}
spec:
  ports:
  - name: dns
    port: 53                    # protocol unset: TCP
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: UDPRoute
metadata: {name: dns, namespace: infra}
spec:
  parentRefs: [{name: edge}]
  rules:
  - backendRefs: [{name: dns, port: 53}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: v1
kind: Service
metadata: {name: dns, namespace: infra}
spec:
  ports:
  - name: dns
    port: 53
    protocol: UDP
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._backends import (ref_label, required_protocol, service_ports_of,
                                     service_problems)
from gwlint.status.profiles import BACKEND_PORT_PROTOCOL

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW109", "backend-port-protocol-mismatch", category="reference", severity="error",
      summary="A UDPRoute backendRef names a TCP Service port, or a TCP-based route a UDP port",
      predicts=("ResolvedRefs", "False", "BackendNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    for ref, problem in service_problems(ctx):
        if problem.detail != BACKEND_PORT_PROTOCOL:
            continue
        found = service_ports_of(ctx, ref)
        if found is None or ref.port is None:
            continue
        service, table = found
        same = table.get(ref.port) or []
        if not same:
            continue
        needed = required_protocol(ref)
        has = "/".join(sorted({e.protocol for e in same}))
        unset = (" (protocol unset: Kubernetes defaults it to TCP)"
                 if any(not e.protocol_written for e in same) else "")
        yield Finding(f"{ref.source.kind} {ref_label(ref)} needs a {needed} port but "
                      f"port {ref.port} of Service '{service.name}' is {has}{unset}",
                      resource=ref.source, path=problem.path,
                      hint=f"add a {needed} port {ref.port} to Service '{service.name}' "
                           f"(protocol: {needed}) or point at a {needed} port",
                      related=[Related(f"port {ref.port} of {service.label()}", service,
                                       ("spec", "ports", same[0].index))])
