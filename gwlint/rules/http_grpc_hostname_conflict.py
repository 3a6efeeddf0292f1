"""An HTTPRoute and a GRPCRoute claim overlapping hostnames on one listener: one is rejected.

gRPC runs over HTTP/2, so a listener cannot tell a gRPC request from an HTTP request by host.
The GRPCRoute spec therefore requires: "If a Route (A) of type HTTPRoute or GRPCRoute is
attached to a Listener and that listener already has another Route (B) of the other type
attached and the intersection of the hostnames of A and B is non-empty, then the implementation
MUST accept exactly one of these two routes" - the oldest by creation timestamp, then the first
by "{namespace}/{name}" - and "the rejected Route MUST raise an 'Accepted' condition with a status
of 'False'". gwlint takes the routes of a listener in that order and accepts each unless an
accepted route of the other kind already serves an overlapping hostname (several routes of one
kind can each lose to the first of the other kind), and reports the routes that lose. Files
rarely carry `creationTimestamp`: routes applied together are created in the same second, so the
first by namespace/name wins, and the finding says the outcome is the likely one. Hostnames
overlap when they are equal, when a wildcard covers the other (`*.example.com` covers
`api.example.com`, not `example.com`), or when either side serves any host. The spec names no
reason for this rejection; gwlint predicts `HostnameConflict`, the reason implementations use.

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
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [api.example.com]
  rules:
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: billing, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [api.example.com]    # the same listener and hostname as the HTTPRoute
  rules:
  - backendRefs: [{name: billing, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: shop}
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
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [api.example.com]
  rules:
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: billing, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [grpc.example.com]
  rules:
  - backendRefs: [{name: billing, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: billing, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.findings import Finding, Related
from gwlint.model import Resource
from gwlint.registry import rule
from gwlint.rules._attachment import entry_hostname_path, listener_related
from gwlint.rules._routes import host_text
from gwlint.status import conditions as C
from gwlint.status.model import ListenerVerdict, ParentStatus, StatusModel

if TYPE_CHECKING:
    from gwlint.attachment import Listener
    from gwlint.context import Context


@rule("GW309", "http-grpc-hostname-conflict", category="conflict", severity="error",
      summary="An HTTPRoute and a GRPCRoute share a hostname on one listener: exactly one is "
              "accepted",
      predicts=("Accepted", "False", "HostnameConflict"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for _, entry in model.parent_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or cond.reason != C.R_HOSTNAME_CONFLICT:
            continue
        outcome = cond.likely if cond.status == C.UNKNOWN else (cond.status, cond.reason)
        if outcome is None or outcome[0] != C.FALSE or entry.rival is None:
            continue
        hit = _shared(model, entry, entry.rival)
        if hit is None:
            continue
        verdict, host, rival_entry, rival_host = hit
        route, ls, rival = entry.ref.source, verdict.listener, entry.rival
        shared = host_text(host) if host == rival_host else (
            f"{host_text(host)} (overlapping {host_text(rival_host)})")
        why = ("it is older" if cond.status == C.FALSE else
               "the files carry no creationTimestamp: applied together, both are created in "
               "the same second and the first by namespace/name wins")
        yield Finding(
            f"{route.kind} '{route.name}' and {rival.label()} both serve {shared} on "
            f"{ls.label()}: only one of them is accepted and {rival.label()} takes precedence "
            f"({why}), so this route gets Accepted=False",
            resource=route, path=entry_hostname_path(route, ls, entry.ref.path, host),
            parent=entry.ref.parent_dict(), listener=ls.name, condition=cond,
            hint="serve gRPC and HTTP on different hostnames (or on different listeners)",
            related=[Related(f"{rival.label()} serves {host_text(rival_host)}", rival,
                             entry_hostname_path(rival, ls, rival_entry.ref.path, rival_host)),
                     listener_related(ls)])


def _shared(model: StatusModel, entry: ParentStatus, rival: Resource
            ) -> tuple[ListenerVerdict, str, ParentStatus, str] | None:
    """(this route's listener verdict, its host, the rival's entry, the rival's host) of the
    first listener where the two routes serve overlapping hostnames."""
    rival_status = model.of(rival)
    if rival_status is None:
        return None
    theirs: dict[Listener, tuple[ParentStatus, ListenerVerdict]] = {}
    for other in rival_status.parents:
        for v in other.verdicts:
            if v.state is True:
                theirs.setdefault(v.listener, (other, v))
    for v in entry.verdicts:
        if v.state is not True or v.listener not in theirs:
            continue
        other, ov = theirs[v.listener]
        for host in v.hosts:
            for rival_host in ov.hosts:
                if attachment.hostnames_overlap(host, rival_host):
                    return v, host, other, rival_host
    return None
