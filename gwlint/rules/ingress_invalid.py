"""An Ingress the API server rejects, or that routes nothing: the migration starts from wrong input.

gwlint reads every Ingress field with type checks (bad input never stops the lint) and reports,
at the field, what `kubectl apply` would refuse or what makes the Ingress route differently from
what it says: a path without `pathType` (required in `networking.k8s.io/v1`) or with an unknown
one, a `Prefix`/`Exact` path that does not start with `/`, a backend with neither `service` nor
`resource` (or both), a service port with both or neither of `number` and `name`, v1beta1 fields
(`serviceName`, `servicePort`, `spec.backend`) in a v1 Ingress, an invalid host (an IP address, a
port, a wildcard that is not a whole first label), an annotation value that is not a string, an
Ingress with no rules and no default backend (warning: it routes nothing), a rule or TLS entry
without hosts (warning), `ingressClassName` and the `kubernetes.io/ingress.class` annotation
naming different classes, an IngressClass the repository does not define; and, as info, a
`resource:` backend (a custom object instead of a Service: its HTTPRoute backendRef needs the
same group and kind, which few implementations support).

The rest of the Ingress is still checked for parity (GW601-GW608). Only runs where the
repository has Ingresses; removed API versions are GW611, unknown annotations GW610.

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api                        # no pathType: required in networking.k8s.io/v1
        backend: {service: {name: cart-api, port: {number: 8080}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: cart-api, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend: {service: {name: cart-api, port: {number: 8080}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: example
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: shop.example.com}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: cart, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: cart-api, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._migration import problem_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW609", "ingress-invalid", category="migration", severity="error",
      summary="An Ingress the API server rejects or that routes nothing (missing pathType, bad "
              "backend, no rules...)")
def check(ctx: Context) -> Iterator[Finding]:
    yield from problem_findings(ctx, "error", "GW609")
