"""An experimental-channel kind or field, judged by an implementation tested on the standard
channel only.

Some implementations publish conformance reports for the standard channel only (GKE, the AWS
Load Balancer Controller, Gravitee, ...): their conformance runs never installed the
experimental-channel CRDs, so experimental kinds (`XBackend`, `TCPRoute v1alpha2`) and fields
(`retry`, `sessionPersistence`, CORS and ExternalAuth filters in some releases) were never
tested with them, and such an implementation may not read them at all. The experimental kinds
and fields are those of the Gateway API release the report ran, from the same CRD data as
GW012.

With standard-channel CRDs (the default `--channel standard`), GW012 and GW501 already report
experimental fields and kinds of the linted release, so this rule reports only the others.

Bad:

```yaml
# gwlint-test: --channel experimental
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
    hostname: shop.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: external, namespace: infra}]
  rules:
  - sessionPersistence:         # experimental; GKE reports the standard channel only
      sessionName: shop
    backendRefs: [{name: shop, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: app}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
# gwlint-test: --channel experimental
# session affinity configured with the implementation's own policy (GKE: GCPBackendPolicy)
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
    hostname: shop.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: external, namespace: infra}]
  rules:
  - backendRefs: [{name: shop, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: app}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.implementations.verdicts import experimental, named, related, source
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW703", "implementation-experimental-untested", category="implementation",
      severity="warning",
      summary="An experimental-channel kind or field, judged by an implementation whose "
              "conformance reports ran on the standard channel only")
def check(ctx: Context) -> Iterator[Finding]:
    for use, served in experimental(ctx):
        report = served.report
        yield Finding(
            f"{use.what} is experimental-channel in Gateway API {report.gateway_api_version} "
            f"and {named(report)} reports conformance on the standard channel only: its "
            f"conformance run never tested it ({source(report)})",
            resource=use.resource, path=use.path, related=related(served),
            hint="check that the implementation supports the experimental channel, or use its "
                 "own extension for this; judged by " + served.via())
