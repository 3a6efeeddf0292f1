"""An HTTPRoute and a GRPCRoute claim overlapping hostnames on one listener: one is rejected.

gRPC runs over HTTP/2, so a listener cannot tell a gRPC request from an HTTP request by host.
The GRPCRoute spec therefore requires: "If a Route (A) of type HTTPRoute or GRPCRoute is
attached to a Listener and that listener already has another Route (B) of the other type
attached and the intersection of the hostnames of A and B is non-empty, then the implementation
MUST accept exactly one of these two routes" - the oldest by creation timestamp, then the first
by "{namespace}/{name}" - and "the rejected Route MUST raise an 'Accepted' condition with a status
of 'False'". Which one loses depends on apply order, which the repository cannot know, so both
routes are reported. Hostnames overlap when they are equal, when a wildcard covers the other
(`*.example.com` covers `api.example.com`, not `example.com`), or when either side serves any
host. The spec names no reason for this rejection; gwlint predicts `HostnameConflict`, the reason
implementations use.

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

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import Attachment, Listener
from gwlint.findings import Finding, Related
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.attachment import HostIndex
from gwlint.rules._routes import host_text, hostname_entry_path, sort_key

if TYPE_CHECKING:
    from gwlint.context import Context

OTHER = {"HTTPRoute": "GRPCRoute", "GRPCRoute": "HTTPRoute"}


@rule("GW309", "http-grpc-hostname-conflict", category="conflict", severity="error",
      summary="An HTTPRoute and a GRPCRoute share a hostname on one listener: exactly one is "
              "accepted",
      predicts=("Accepted", "False", "HostnameConflict"))
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    per_listener: defaultdict[Listener, dict[str, list[Attachment]]]
    per_listener = defaultdict(lambda: {"HTTPRoute": [], "GRPCRoute": []})
    for att in idx.accepted():
        if att.route.kind in OTHER:
            per_listener[att.listener][att.route.kind].append(att)
    for ls, kinds in per_listener.items():
        if not kinds["HTTPRoute"] or not kinds["GRPCRoute"]:
            continue
        index: dict[str, HostIndex[tuple[Attachment, str]]] = {}
        for kind, atts in kinds.items():
            index[kind] = HostIndex()
            for att in sorted(atts, key=lambda a: sort_key(a.route)):
                for host in att.hostnames:
                    index[kind].add(host, (att, host))
        reported = set()
        for kind in ("HTTPRoute", "GRPCRoute"):
            for att in sorted(kinds[kind], key=lambda a: sort_key(a.route)):
                if id(att.route) in reported:
                    continue
                for host in att.hostnames:
                    hit = index[OTHER[kind]].overlapping(host)
                    if hit is None:
                        continue
                    other, other_host = hit
                    reported.add(id(att.route))
                    shared = host_text(host) if host == other_host else (
                        f"{host_text(host)} (overlapping {host_text(other_host)})")
                    yield Finding(
                        f"{att.route.kind} '{att.route.name}' and {other.route.label()} both "
                        f"serve {shared} on {ls.label()}: only the older of the two is "
                        f"accepted, the other gets Accepted=False, so which one serves the "
                        f"host depends on apply order",
                        resource=att.route, path=hostname_entry_path(att, host),
                        parent=att.ref.parent_dict(), listener=ls.name,
                        hint="serve gRPC and HTTP on different hostnames (or on different "
                             "listeners)",
                        related=[Related(f"{other.route.label()} serves "
                                         f"{host_text(other_host)}", other.route,
                                         hostname_entry_path(other, other_host)),
                                 listener_related(ls)])
                    break

