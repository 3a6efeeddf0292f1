"""An Ingress annotation replaced by an implementation policy whose effect gwlint cannot verify.

Where no standard construct replaces an annotation, or a migration tool chose an implementation's
own object, an `ExtensionRef` filter target or a policy attached to the route, its Gateway or the
Service (Envoy Gateway's BackendTrafficPolicy, a KongPlugin, an agentgateway policy...) takes its
place. gwlint counts it as the replacement when its fields name the feature (`rateLimit` for
`limit-rps`, `urlRewrite` for `rewrite-target`), so GW606 and GW607 stay quiet, but it does not
interpret implementation APIs: whether the policy does what the annotation did (the same limit,
the same rewrite) is for a reviewer to confirm.

Opt-in (`--extend-select GW612`): a checklist of those replacements for the migration review. When
a standard construct exists (a `URLRewrite` filter for `rewrite-target`, `rules[].timeouts` for
the proxy timeouts), using it instead makes the replacement portable and checked.

Bad:

```yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
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
    filters:
    - type: ExtensionRef                 # does it rewrite like rewrite-target did?
      extensionRef: {group: gateway.envoyproxy.io, kind: HTTPRouteFilter, name: strip-api}
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: HTTPRouteFilter
metadata: {name: strip-api, namespace: shop}
spec:
  urlRewrite:
    path:
      type: ReplaceRegexMatch
      replaceRegexMatch: {pattern: '^/api', substitution: ''}
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
metadata:
  name: shop
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
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
    filters:
    - type: URLRewrite                   # the standard filter: portable, and checked
      urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
    backendRefs: [{name: cart-api, port: 8080}]
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: HTTPRouteFilter
metadata: {name: strip-api, namespace: shop}   # no longer used: delete it
spec:
  urlRewrite:
    path:
      type: ReplaceRegexMatch
      replaceRegexMatch: {pattern: '^/api', substitution: ''}
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


@rule("GW612", "ingress-annotation-policy-unverified", category="migration", severity="info",
      opt_in=True,
      summary="An Ingress annotation replaced by an implementation policy gwlint cannot verify")
def check(ctx: Context) -> Iterator[Finding]:
    yield from parity_findings(ctx, "info", codes_of("GW612"))
