"""A share of a route rule's traffic goes to a backendRef that does not resolve: that share fails.

The spec is precise about partial failure: "if multiple backends are specified, and some are
invalid, the proportion of requests that would otherwise have been routed to an invalid backend
MUST receive a 500 status code" (GRPCRoute: `UNAVAILABLE`; TLS/TCP routes reject that share of
connections, UDPRoute drops that share of packets). A backendRef is invalid when its Service
does not exist (`ResolvedRefs=False BackendNotFound`) or lives in another namespace that has no
ReferenceGrant for the route (`ResolvedRefs=False RefNotPermitted`). gwlint computes the share
from the rule's weights, so a forgotten grant for a 10% canary reads "10% of requests to rule 0
get HTTP 500". The reference rules report the broken reference itself; this rule reports its
effect on traffic when the rule *partly* works - the case that passes a quick manual test and
then fails a fraction of production requests. When no backend of the rule resolves, every
request fails and the reference rules (GW102, GW105) already report each broken reference as an
error, so this rule stays silent. A backend with weight 0 carries no traffic and is not reported.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      port: 8443
      weight: 90
    - name: payments-v2          # no ReferenceGrant in payments: 10% of requests get HTTP 500
      namespace: payments
      port: 8443
      weight: 10
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
metadata: {name: payments, namespace: shop}
spec: {ports: [{port: 8443}]}
---
apiVersion: v1
kind: Service
metadata: {name: payments-v2, namespace: payments}
spec: {ports: [{port: 8443}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      port: 8443
      weight: 90
    - name: payments-v2
      namespace: payments
      port: 8443
      weight: 10
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
metadata: {name: payments, namespace: shop}
spec: {ports: [{port: 8443}]}
---
apiVersion: v1
kind: Service
metadata: {name: payments-v2, namespace: payments}
spec: {ports: [{port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant            # in the target namespace
metadata: {name: allow-shop-routes, namespace: payments}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
  to:
  - {group: "", kind: Service, name: payments-v2}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Predicts, Severity
from gwlint.model import GATEWAY_GROUP, ObjKey
from gwlint.refs import Ref
from gwlint.registry import rule
from gwlint.rules._routes import (Backend, is_service, outcome, pct, route_rules,
                                  terminal_filter)

if TYPE_CHECKING:
    from gwlint.context import Context

NOT_PERMITTED = Predicts("ResolvedRefs", "False", "RefNotPermitted")
UNKNOWN_NS = " (nothing in the linted files is in that namespace)"


def _verdict(ctx: Context, ref: Ref) -> tuple[Predicts | None, str, bool] | None:
    """(predicts, why, lowered) for a backendRef that does not resolve, else None; predicts
    None is the rule's BackendNotFound."""
    t = ref.target
    if ref.cross_namespace and ctx.grants.permitting(ref) is None and not ctx.assumed(
            ObjKey(t.scope, GATEWAY_GROUP, "ReferenceGrant", t.namespace, "*")):
        return (NOT_PERMITTED,
                f"no ReferenceGrant in namespace '{t.namespace}' lets {ref.source.kind}s "
                f"of '{ref.source.namespace}' use Service '{t.name}'",
                not ctx.namespace_known(t.scope, t.namespace))
    if not ctx.exists(t):
        return (None, f"Service '{t.name}' does not exist in namespace '{t.namespace}'",
                not ctx.namespace_known(t.scope, t.namespace))
    return None


@rule("GW303", "unresolved-backend-traffic", category="traffic", severity="error",
      summary="A share of a rule's traffic goes to a backendRef that does not resolve and fails",
      predicts=("ResolvedRefs", "False", "BackendNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    for rr in route_rules(ctx):
        total = rr.total_weight
        if total <= 0 or terminal_filter(rr.raw):
            continue
        out = outcome(rr.route.kind)
        broken: list[tuple[Backend, Ref, tuple[Predicts | None, str, bool]]] = []
        for b in rr.backends:
            if b.ref is None or b.weight == 0 or not is_service(b.ref):
                continue
            verdict = _verdict(ctx, b.ref)
            if verdict is not None:
                broken.append((b, b.ref, verdict))
        if not broken or sum(b.weight for b, _, _ in broken) >= total:
            continue  # nothing fails, or everything does (the reference rules report that)
        for b, ref, (predicts, why, lowered) in broken:
            weight = f" (weight {b.weight} of {total})"
            share = pct(b.weight, total)
            lead = f"{share} of {out.unit}"
            if predicts is NOT_PERMITTED:
                hint = (f"add a ReferenceGrant in namespace '{ref.target.namespace}' from "
                        f"{rr.route.kind} in '{rr.route.namespace}' to Service "
                        f"'{ref.target.name}', or point the backendRef at a Service in "
                        f"'{rr.route.namespace}'")
            else:
                hint = ("create the Service, fix the name, or declare it as external: "
                        f"--assume-exists 'Service/{ref.target.namespace}/{ref.target.name}'")
            yield Finding(
                f"{lead} to {rr.label()} {out.fate}: backendRef '{b.name}'{weight} does not "
                f"resolve because {why}"
                + (UNKNOWN_NS if lowered else ""),
                resource=rr.route, path=b.path, hint=hint, predicts=predicts,
                severity=Severity.WARNING if lowered else None)
