"""A construct needs a conformance feature the implementation's own report lists as unsupported.

Gateway API's Extended features (method and query-parameter matching, request mirroring, URL
rewrites, port and scheme redirects, timeouts, retries, CORS, ...) are optional: each
implementation says which it supports in the conformance report it publishes for each release
(`unsupportedFeatures`). An implementation may accept the object and simply not do what it says,
so the first time a user learns that the controller ignores a filter is in production.

The implementation is the one chosen with `--implementation NAME[@VERSION]` (or `implementation:`
in the configuration), else, per Gateway, the one its GatewayClass's `controllerName` names
(newest bundled report). A route is judged by the implementation of each Gateway it attaches to.
The finding is at the construct and names the implementation, its version and the report. `gwlint
implementations --features PATH` shows which implementations support everything a repository
uses.

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
    hostname: api.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: app}
spec:
  parentRefs: [{name: external, namespace: infra}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}
      method: POST              # GKE lists HTTPRouteMethodMatching as unsupported
    backendRefs: [{name: api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: app}
spec: {ports: [{port: 8080}]}
```

Fixed:

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
    hostname: api.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: app}
spec:
  parentRefs: [{name: external, namespace: infra}]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /api}   # the method check moves into the application
    backendRefs: [{name: api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: app}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.implementations.bundled import UNSUPPORTED
from gwlint.implementations.verdicts import named, of_status, related, source
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW701", "implementation-unsupported-feature", category="implementation",
      severity="warning",
      summary="A construct needs a feature the implementation's conformance report lists as "
              "unsupported")
def check(ctx: Context) -> Iterator[Finding]:
    for need, served, _ in of_status(ctx, UNSUPPORTED):
        report = served.report
        yield Finding(
            f"{need.construct.label} needs conformance feature {need.feature}, which "
            f"{named(report)} lists as unsupported ({source(report)})",
            resource=need.resource, path=need.path, related=related(served),
            hint="remove it, or serve this object from an implementation that supports the "
                 "feature (`gwlint implementations --features PATH` compares them); judged by "
                 + served.via())
