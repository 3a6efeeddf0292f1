"""A listener uses a protocol that is neither a core protocol nor an implementation's own.

The core protocols are `HTTP`, `HTTPS`, `TLS`, `TCP` and `UDP` ("All Core ProtocolType values
MUST be treated case-insensitively"). Implementations may define others, but "such definitions
must use prefixed name, such as `mycompany.com/my-custom-protocol`. Un-prefixed names are
reserved for core protocols". A listener with any other un-prefixed protocol (`GRPC`, `HTTP2`,
`QUIC`...) is one no implementation serves: the controller sets the listener's
`Accepted=False` with reason `UnsupportedProtocol` (conformance
GatewayListenerUnsupportedProtocol), the listener supports no route kind and is not programmed,
and a Gateway without another valid listener is not accepted (`ListenersNotValid`).
Domain-prefixed protocols are left to their implementation.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: grpc, port: 50051, protocol: GRPC}      # gRPC runs on an HTTP or HTTPS listener
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: grpc, port: 50051, protocol: HTTP}      # GRPCRoutes attach to HTTP/HTTPS listeners
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.attachment import CORE_PROTOCOLS
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW213", "listener-protocol-unsupported", category="listener", severity="error",
      summary="A listener's protocol is neither a core protocol nor domain-prefixed",
      predicts=("Accepted", "False", "UnsupportedProtocol"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).listener_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or (cond.status, cond.reason) != (C.FALSE, C.R_UNSUPPORTED_PROTOCOL):
            continue
        ls = entry.listener
        hint = (f"use one of {', '.join(CORE_PROTOCOLS)}"
                + ("; gRPC is served by HTTP and HTTPS listeners (GRPCRoute)"
                   if "GRPC" in ls.protocol.upper() else "")
                + "; an implementation's own protocol has a domain prefix "
                  "(example.com/my-protocol)")
        yield Finding(
            f"listener '{ls.name}' uses protocol '{ls.protocol}', which is not a core protocol "
            "and has no implementation's domain prefix: no controller serves it",
            resource=ls.owner, path=ls.path + ("protocol",), listener=ls.name, condition=cond,
            hint=hint)
