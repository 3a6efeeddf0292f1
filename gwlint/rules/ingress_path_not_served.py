"""An Ingress path that no HTTPRoute serves: after the DNS switch its requests get 404.

During a migration the Ingresses and the new Gateway API objects live side by side, and the
switch is a DNS change: whatever the Ingress served and no route serves is gone at that moment,
for every client at once. For each Ingress path (host, path, pathType) gwlint asks what request
the Ingress controller served and whether an HTTPRoute serves it the same way: a route attached
(accepted, on a listener that is not Conflicted) to a listener of the right protocol whose
hostname admits the host, with a rule whose match serves the path: the equivalent match, the same
path with another type (GW603), or a broader `PathPrefix` to the same backend.

The protocol is the one the controller served it on: **ingress-nginx** serves a host listed in
`spec.tls` (of any Ingress of the repository) on HTTPS and redirects its HTTP requests (GW605),
other hosts on HTTP; `ssl-passthrough` needs a TLSRoute on a Passthrough listener. **Kong** serves
the protocols of `konghq.com/protocols` (default both: a TLS host is also served on HTTP, reported
as a warning when only that secondary protocol is missing). Other controllers: HTTPS when the host
has TLS, else HTTP. When a route would serve the path but does not attach, the finding says why
(the listener refuses its namespace, no listener admits the hostname, no parentRefs) and points
at that parentRef.

Clients reached the Ingress controller on port 80 (HTTP) or 443 (HTTPS); a Gateway binds each
listener to its addresses on the listener's port. A host served only through listeners on other
ports is a warning at the Ingress rule's host, with the listener's port as related location: a
port mapping in front of the Gateway (outside the manifests) must make up the difference.

Runs only where the repository has Ingresses. The finding is at the Ingress path; the hint is
the HTTPRoute rule that serves it.

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
      - path: /
        pathType: Prefix
        backend: {service: {name: storefront, port: {number: 8080}}}
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
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:                            # '/' was not converted: every other path gets 404
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
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
      - path: /
        pathType: Prefix
        backend: {service: {name: storefront, port: {number: 8080}}}
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
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: cart-api, port: 8080}]
  - matches: [{path: {type: PathPrefix, value: /}}]
    backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
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
from gwlint.migration.results import codes_of
from gwlint.registry import rule
from gwlint.rules._migration import parity_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW601", "ingress-path-not-served", category="migration", severity="error",
      summary="An Ingress path that no HTTPRoute serves on a listener that admits its host")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "error", codes_of("GW601"))
