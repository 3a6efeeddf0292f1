"""No listener the parentRef selects admits the route: its namespace or kind is not allowed.

Each listener decides which routes may attach with `allowedRoutes`: `namespaces.from` is `Same`
by default (only routes in the Gateway's own namespace), `All`, or `Selector` (namespaces whose
labels match; every namespace carries the label `kubernetes.io/metadata.name: <name>`), and
`kinds` limits the route kinds. When no selected listener admits the route, the controller sets
`Accepted=False` with reason `NotAllowedByListeners` on that parent. The classic migration
mistake: a shared Gateway in `infra` with the default `allowedRoutes` and routes in the team
namespaces. When a selector needs labels of a namespace whose Namespace object is not in the
linted files, gwlint cannot decide and says so (a warning) instead of guessing.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP             # allowedRoutes defaults to namespaces.from: Same
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - {name: shared, namespace: infra}
  rules:
  - backendRefs: [{name: web, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            kubernetes.io/metadata.name: app
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - {name: shared, namespace: infra}
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec:
  ports: [{port: 80}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.attachment import CAUSE_KINDS, CAUSE_NAMESPACE, CAUSE_NAMESPACE_UNKNOWN, CAUSE_PROTOCOL
from gwlint.findings import Finding, Related, Severity
from gwlint.model import as_dict
from gwlint.registry import rule
from gwlint.rules._attachment import (listener_related, refusal_text,
                                      selector_uses_unknown_labels)
from gwlint.status import conditions as C
from gwlint.status.model import ListenerVerdict, ParentStatus
from gwlint.status.routes import LISTENERSET_REFUSED

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status import Condition


@rule("GW202", "not-allowed-by-listeners", category="attachment", severity="error",
      summary="No listener selected by a parentRef admits the route's namespace or kind",
      predicts=("Accepted", "False", "NotAllowedByListeners"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).parent_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or cond.reason != C.R_NOT_ALLOWED_BY_LISTENERS:
            continue
        if cond.detail == LISTENERSET_REFUSED:
            yield _listenerset_refused(ctx, entry, cond)
        elif cond.status == C.UNKNOWN:
            yield _undecidable(entry, cond)
        elif cond.status == C.FALSE and any(v.cause != CAUSE_PROTOCOL for v in entry.verdicts):
            yield _refused(entry, cond)


def _related(entry: ParentStatus, verdicts: list[ListenerVerdict]) -> list[Related]:
    route = entry.ref.source
    return [listener_related(
        v.listener, refusal_text(v.listener, route, v.cause),
        v.listener.allowed_routes_path if v.cause != CAUSE_PROTOCOL else v.listener.path)
        for v in verdicts]


def _refused(entry: ParentStatus, cond: Condition) -> Finding:
    ref, route, parent = entry.ref, entry.ref.source, entry.parent
    assert parent is not None
    refused = [v for v in entry.verdicts if v.cause != CAUSE_PROTOCOL]
    reasons = "; ".join(refusal_text(v.listener, route, v.cause) for v in refused)
    hints: list[str] = []
    by_namespace = [v for v in refused if v.cause == CAUSE_NAMESPACE]
    if by_namespace:
        names = ", ".join(f"'{v.listener.name}'" for v in by_namespace)
        hints.append(
            f"admit namespace '{route.namespace}' on listener {names} of "
            f"{by_namespace[0].listener.owner.label()}: allowedRoutes: {{namespaces: {{from: "
            f"Selector, selector: {{matchLabels: {{kubernetes.io/metadata.name: "
            f"{route.namespace}}}}}}}}} (or from: All to admit every namespace)")
    by_kind = [v for v in refused if v.cause == CAUSE_KINDS]
    if by_kind:
        names = ", ".join(f"'{v.listener.name}'" for v in by_kind)
        hints.append(f"add {{kind: {route.kind}}} to allowedRoutes.kinds of listener {names}")
    single = entry.verdicts[0].listener.name if len(entry.verdicts) == 1 else None
    return Finding(
        f"{route.label()} is not allowed by any listener of {parent.label()}: {reasons}",
        resource=route, path=ref.path, hint="; ".join(hints) or None,
        parent=ref.parent_dict(), listener=single, condition=cond,
        related=_related(entry, refused))


def _undecidable(entry: ParentStatus, cond: Condition) -> Finding:
    ref, route, parent = entry.ref, entry.ref.source, entry.parent
    assert parent is not None
    unknown = [v for v in entry.verdicts if v.cause == CAUSE_NAMESPACE_UNKNOWN]
    keys: list[str] = []
    for v in unknown:
        keys += selector_uses_unknown_labels(v.listener.selector)
    keys = list(dict.fromkeys(keys))
    labels = ", ".join(f"'{k}'" for k in keys) or "labels"
    names = ", ".join(f"'{v.listener.name}'" for v in unknown)
    single = unknown[0].listener.name if len(unknown) == 1 else None
    return Finding(
        f"cannot decide whether listener {names} of {parent.label()} admits "
        f"{route.label()}: the namespace selector needs label {labels} and no "
        f"Namespace '{route.namespace}' is in the linted files (a namespace created without "
        "that label is refused)",
        resource=route, path=ref.path, severity=Severity.WARNING, parent=ref.parent_dict(),
        listener=single, condition=cond,
        hint=f"add the Namespace '{route.namespace}' manifest (with its labels) to the linted "
             f"files, or select on the label every namespace has: "
             f"kubernetes.io/metadata.name: {route.namespace}",
        related=_related(entry, unknown))


def _listenerset_refused(ctx: Context, entry: ParentStatus, cond: Condition) -> Finding:
    """A parentRef to a ListenerSet its Gateway does not admit: no listener serves the route."""
    ref, route, lset = entry.ref, entry.ref.source, entry.parent
    assert lset is not None
    gw_ref = attachment.index(ctx).listenerset_parent(lset)
    gateway = ctx.get(gw_ref.target) if gw_ref is not None else None
    where = gateway.label() if gateway is not None else "its Gateway"
    undecided = cond.status == C.UNKNOWN
    verb = "may not allow" if undecided else "does not allow"
    related = [Related(f"{lset.label()} parentRef", lset, ("spec", "parentRef"))]
    if gateway is not None:
        path = (("spec", "allowedListeners") if "allowedListeners" in gateway.spec
                else ("spec",))
        from_ = as_dict(as_dict(gateway.spec.get("allowedListeners")).get("namespaces")).get(
            "from", "None")
        related.append(Related(f"{gateway.label()} allowedListeners.namespaces.from: {from_}",
                               gateway, path))
    return Finding(
        f"{route.label()} is not accepted by {lset.label()}: {where} {verb} that ListenerSet "
        "(spec.allowedListeners), so none of its listeners serves the route",
        resource=route, path=ref.path, parent=ref.parent_dict(), condition=cond,
        severity=Severity.WARNING if undecided else None,
        hint=f"allow {lset.label()} on {where} (spec.allowedListeners), or point the parentRef "
             "at the Gateway",
        related=related)
