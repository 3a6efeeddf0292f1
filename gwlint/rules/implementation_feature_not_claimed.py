"""A construct needs a conformance feature the implementation's report does not claim.

Weaker than GW701: the report lists the feature neither as supported nor as unsupported, so its
conformance run did not test it. The message says why when the report tells: the report did not
run the profile that covers the feature (GRPCRoute needs GATEWAY-GRPC), or the conformance suite
of the Gateway API release it ran did not test the feature yet. The implementation may still
support it: check its documentation before relying on it.

Which implementation judges an object is chosen as for GW701 (`--implementation`, else per
Gateway through its GatewayClass's `controllerName`).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gke-l7-global-external-managed}
spec:
  controllerName: networking.gke.io/gateway
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: external, namespace: infra}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: grpc.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute                 # GKE's report runs GATEWAY-HTTP only: GRPCRoute is not claimed
metadata: {name: orders, namespace: app}
spec:
  parentRefs: [{name: external, namespace: infra}]
  rules:
  - backendRefs: [{name: orders, port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: app}
spec: {ports: [{port: 9090}]}
```

Fixed:

```yaml
# the GRPCRoute moves to a Gateway of an implementation whose report claims GRPCRoute
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gke-l7-global-external-managed}
spec:
  controllerName: networking.gke.io/gateway
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec:
  controllerName: gateway.envoyproxy.io/gatewayclass-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: external, namespace: infra}
spec:
  gatewayClassName: gke-l7-global-external-managed
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: grpc.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: grpc, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: grpc.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: orders, namespace: app}
spec:
  parentRefs: [{name: grpc, namespace: infra}]
  rules:
  - backendRefs: [{name: orders, port: 9090}]
---
apiVersion: v1
kind: Service
metadata: {name: orders, namespace: app}
spec: {ports: [{port: 9090}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.implementations.bundled import NOT_CLAIMED
from gwlint.implementations.verdicts import named, not_claimed_reason, of_status, related, source
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW702", "implementation-feature-not-claimed", category="implementation", severity="info",
      summary="A construct needs a feature the implementation's conformance report does not "
              "claim (weaker than unsupported: untested)")
def check(ctx: Context) -> Iterator[Finding]:
    for need, served, _ in of_status(ctx, NOT_CLAIMED):
        report = served.report
        yield Finding(
            f"{need.construct.label} needs conformance feature {need.feature}, which "
            f"{named(report)} does not claim: "
            f"{not_claimed_reason(need.feature, report, need.scope)} "
            f"({source(report)})",
            resource=need.resource, path=need.path, related=related(served),
            hint="not claimed is weaker than unsupported: the conformance run did not test it, "
                 "check the implementation's documentation; judged by " + served.via())
