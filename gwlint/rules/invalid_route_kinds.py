"""A listener's `allowedRoutes.kinds` names a route kind its protocol cannot serve.

`allowedRoutes.kinds` "MUST correspond to kinds of Routes that are compatible with the
application protocol specified in the Listener's Protocol field": HTTP and HTTPS serve HTTPRoute
and GRPCRoute, TLS serves TLSRoute (and TCPRoute), TCP serves TCPRoute, UDP serves UDPRoute. For
any other kind the controller sets `ResolvedRefs=False` with reason `InvalidRouteKinds` on the
listener and leaves the kind out of `status.supportedKinds`; when no listed kind is valid, no
route can attach to the listener at all. Typos (`HttpRoute`) and a group left at the default for
a non-Gateway-API kind are the usual causes.

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
    allowedRoutes:
      kinds:
      - kind: TLSRoute           # HTTP serves HTTPRoute and GRPCRoute only
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
    allowedRoutes:
      kinds:
      - kind: HTTPRoute
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import kind_names

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW208", "invalid-route-kinds", category="listener", severity="error",
      summary="allowedRoutes.kinds names a route kind the listener protocol cannot serve",
      predicts=("ResolvedRefs", "False", "InvalidRouteKinds"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).listener_entries():
        ls = entry.listener
        compatible = ls.compatible_kinds or ()
        for j, gk in ls.invalid_kinds:
            shown = kind_names([gk])
            tail = ("; no listed kind is valid, so no route can attach to this listener"
                    if not ls.supported_kinds else "")
            yield Finding(
                f"listener '{ls.name}' ({ls.protocol}) cannot serve route kind "
                f"'{shown}' listed in allowedRoutes.kinds{tail}",
                resource=ls.owner, path=ls.path + ("allowedRoutes", "kinds", j),
                listener=ls.name,
                hint=f"{ls.protocol} listeners serve {kind_names(compatible)}; "
                     "fix the kind (and group) or remove the entry")
