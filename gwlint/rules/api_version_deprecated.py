"""The apiVersion is still served but deprecated: move to the named replacement.

Deprecated versions are removed in a later release; upgrading the CRDs then breaks the apply.
In v1.6.1 the deprecated versions still served are all in the experimental channel (TCPRoute,
TLSRoute and UDPRoute `v1alpha2`, BackendTLSPolicy `v1alpha3`), so the example is linted with
`--channel experimental`.

Bad:

```yaml
# gwlint-test: --channel experimental
apiVersion: gateway.networking.k8s.io/v1alpha2   # deprecated: TLSRoute is v1 since v1.5
kind: TLSRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames: [db.example.com]
  rules:
  - backendRefs: [{name: db, port: 5432}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: tls, port: 443, protocol: TLS, hostname: db.example.com, tls: {mode: Passthrough}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: infra}
spec: {ports: [{port: 5432}]}
```

Fixed:

```yaml
# gwlint-test: --channel experimental
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: db, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames: [db.example.com]
  rules:
  - backendRefs: [{name: db, port: 5432}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: tls, port: 443, protocol: TLS, hostname: db.example.com, tls: {mode: Passthrough}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: infra}
spec: {ports: [{port: 5432}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules import violation_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW502", "api-version-deprecated", category="version", severity="warning",
      summary="The apiVersion is deprecated; use the replacement it names")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "api-version-deprecated")
