"""An HTTPRoute or GRPCRoute rule has no backendRefs and no filter that answers by itself.

A rule's requests go to its backendRefs; a rule without any only works when a filter produces
the response itself - an HTTPRoute `RequestRedirect` (or a direct-response filter where the
channel has one). The spec: "If *all* entries in BackendRefs are invalid, and there are also no
filters specified in this route rule, *all* traffic which matches this rule MUST receive a 500
status code" (GRPCRoute: `UNAVAILABLE`); an empty list is the extreme case, and header
modifiers, mirrors or rewrites do not produce a response either. The rule still captures its
matches, so they fail instead of reaching another rule. Typical causes: a half-finished rule, a
backendRefs block indented under the wrong key. A rule with an `ExtensionRef` filter is not
reported: the extension (an implementation's direct response, a serverless function...) may
answer by itself, and gwlint cannot know what it does.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-team
          value: api
    # no backendRefs: every /api request gets a 500
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-team
          value: api
    backendRefs:
    - name: api
      port: 8080
  - backendRefs: [{name: web, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {ports: [{port: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.model import is_defaulted
from gwlint.registry import rule
from gwlint.rules._routes import filter_types, outcome, route_rules, terminal_filter, user_path

if TYPE_CHECKING:
    from gwlint.context import Context

KINDS = ("HTTPRoute", "GRPCRoute")


@rule("GW307", "rule-without-backends", category="traffic", severity="error",
      summary="A route rule has neither backendRefs nor a redirect: its requests get HTTP 500")
def check(ctx: Context) -> Iterator[Finding]:
    for rr in route_rules(ctx):
        if rr.route.kind not in KINDS or rr.backends or terminal_filter(rr.raw):
            continue
        if "ExtensionRef" in filter_types(rr.raw):
            continue  # the extension may answer the request itself: no 500 to predict
        out = outcome(rr.route.kind)
        what = "backendRefs" if "backendRefs" not in rr.raw else "backendRefs entries"
        redirect = " and no RequestRedirect filter" if rr.route.kind == "HTTPRoute" else ""
        message = (f"{rr.label()} has no {what}{redirect}: every {out.one} it matches "
                   f"{out.fate_one}")
        hint = ("add backendRefs" + (", or a RequestRedirect filter"
                                     if rr.route.kind == "HTTPRoute" else ""))
        path = rr.backend_refs_path if "backendRefs" in rr.raw else rr.path
        if is_defaulted(rr.route, path):
            # spec.rules omitted: the CRD default is one rule matching every request
            message = (f"{rr.route.kind} has no rules: the default rule matches every "
                       f"{out.one} and has no backendRefs, so every {out.one} {out.fate_one}")
        yield Finding(message, resource=rr.route, path=user_path(rr.route, path), hint=hint)
