"""A share of a route rule's traffic goes to a backendRef that does not resolve: that share fails.

The spec is precise about partial failure: "if multiple backends are specified, and some are
invalid, the proportion of requests that would otherwise have been routed to an invalid backend
MUST receive a 500 status code" (GRPCRoute: `UNAVAILABLE`; TLS/TCP routes reject that share of
connections, UDPRoute drops that share of packets). A backendRef is invalid when the status model
says it does not resolve: its Service or port does not exist (`ResolvedRefs=False
BackendNotFound`), it lives in another namespace that has no ReferenceGrant for the route
(`RefNotPermitted`), or its kind is not one controllers resolve (`InvalidKind`). gwlint
computes the share from the rule's weights, so a forgotten grant for a 10% canary reads "10% of
requests to rule 0 get HTTP 500". The reference rules report the broken reference itself; this
rule reports its effect on traffic when the rule *partly* works - the case that passes a quick
manual test and then fails a fraction of production requests. When no backend of the rule
resolves, every request fails and the reference rules (GW102, GW105) already report each broken
reference as an error, so this rule stays silent. A backend with weight 0 carries no traffic and
is not reported.

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

from gwlint.findings import Finding, Severity
from gwlint.registry import rule
from gwlint.rules._backends import backend_problems
from gwlint.rules._routes import Backend, outcome, pct, route_rules, terminal_filter
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem

UNKNOWN_NS = " (nothing in the linted files is in that namespace)"


def _hint(b: Backend, problem: RefProblem, route_kind: str, route_ns: str | None) -> str:
    assert b.ref is not None
    t = b.ref.target
    if problem.reason == C.R_REF_NOT_PERMITTED:
        return (f"add a ReferenceGrant in namespace '{t.namespace}' from {route_kind} in "
                f"'{route_ns}' to {t.kind} '{t.name}', or point the backendRef at a Service in "
                f"'{route_ns}'")
    if problem.reason == C.R_INVALID_KIND:
        return "point the backendRef at a Service (kind: Service, group: \"\")"
    return ("create the Service (or its port), fix the name or port, or declare it as "
            f"external: --assume-exists 'Service/{t.namespace}/{t.name}'")


@rule("GW303", "unresolved-backend-traffic", category="traffic", severity="error",
      summary="A share of a rule's traffic goes to a backendRef that does not resolve and fails",
      predicts=("ResolvedRefs", "False", "BackendNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    # the status model's verdicts of the backendRefs that do not resolve (most resolve)
    problems = {id(ref): problem for ref, problem in backend_problems(ctx)}
    if not problems:
        return
    for rr in route_rules(ctx):
        broken: list[tuple[Backend, RefProblem]] = [
            (b, problem) for b in rr.backends
            if b.ref is not None and b.weight != 0
            and (problem := problems.get(id(b.ref))) is not None]
        if not broken:
            continue
        total = rr.total_weight
        if total <= 0 or terminal_filter(rr.raw) or sum(b.weight for b, _ in broken) >= total:
            continue  # nothing fails, or everything does (the reference rules report that)
        out = outcome(rr.route.kind)
        for b, problem in broken:
            weight = f" (weight {b.weight} of {total})"
            lead = f"{pct(b.weight, total)} of {out.unit}"
            yield Finding(
                f"{lead} to {rr.label()} {out.fate}: backendRef '{b.name}'{weight} does not "
                f"resolve because {_because(problem)}" + ("" if problem.decided else UNKNOWN_NS),
                resource=rr.route, path=b.path,
                hint=_hint(b, problem, rr.route.kind, rr.route.namespace),
                severity=None if problem.decided else Severity.WARNING)


def _because(problem: RefProblem) -> str:
    """The model's verdict, as the end of a sentence."""
    text = problem.message.split(" (namespace '")[0].split(" (that namespace")[0]
    return text[0].lower() + text[1:] if text else "it is invalid"
