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

from gwlint import attachment
from gwlint.attachment import (CAUSE_KINDS, CAUSE_NAMESPACE, CAUSE_NAMESPACE_UNKNOWN,
                               CAUSE_PROTOCOL, NOT_ALLOWED, UNKNOWN, Attachment, RefVerdict)
from gwlint.findings import NO_PREDICTION, Finding, Related, Severity
from gwlint.registry import rule
from gwlint.rules._attachment import (listener_related, refusal_text,
                                      selector_uses_unknown_labels)

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW202", "not-allowed-by-listeners", category="attachment", severity="error",
      summary="No listener selected by a parentRef admits the route's namespace or kind",
      predicts=("Accepted", "False", "NotAllowedByListeners"))
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    for v in idx.verdicts():
        if v.reason == UNKNOWN:
            yield _undecidable(v)
        elif v.reason == NOT_ALLOWED and any(a.cause != CAUSE_PROTOCOL for a in v.candidates):
            yield _refused(v)


def _related(atts: list[Attachment]) -> list[Related]:
    return [listener_related(
        a.listener, refusal_text(a),
        a.listener.allowed_routes_path if a.cause != CAUSE_PROTOCOL else a.listener.path)
        for a in atts]


def _refused(v: RefVerdict) -> Finding:
    ref, route = v.ref, v.ref.source
    atts = [a for a in v.candidates if a.cause != CAUSE_PROTOCOL]
    reasons = "; ".join(refusal_text(a) for a in atts)
    hints: list[str] = []
    ns_atts = [a for a in atts if a.cause == CAUSE_NAMESPACE]
    if ns_atts:
        names = ", ".join(f"'{a.listener.name}'" for a in ns_atts)
        hints.append(
            f"admit namespace '{route.namespace}' on listener {names} of "
            f"{ns_atts[0].listener.owner.label()}: allowedRoutes: {{namespaces: {{from: "
            f"Selector, selector: {{matchLabels: {{kubernetes.io/metadata.name: "
            f"{route.namespace}}}}}}}}} (or from: All to admit every namespace)")
    kind_atts = [a for a in atts if a.cause == CAUSE_KINDS]
    if kind_atts:
        names = ", ".join(f"'{a.listener.name}'" for a in kind_atts)
        hints.append(f"add {{kind: {route.kind}}} to allowedRoutes.kinds of listener {names}")
    single = v.candidates[0].listener.name if len(v.candidates) == 1 else None
    return Finding(
        f"{route.label()} is not allowed by any listener of {v.parent.label()}: "
        f"{reasons}",
        resource=route, path=ref.path, hint="; ".join(hints) or None,
        parent=ref.parent_dict(), listener=single,
        related=_related(atts))


def _undecidable(v: RefVerdict) -> Finding:
    ref, route = v.ref, v.ref.source
    atts = [a for a in v.candidates if a.cause == CAUSE_NAMESPACE_UNKNOWN]
    keys: list[str] = []
    for a in atts:
        keys += selector_uses_unknown_labels(a.listener.selector)
    keys = list(dict.fromkeys(keys))
    labels = ", ".join(f"'{k}'" for k in keys) or "labels"
    names = ", ".join(f"'{a.listener.name}'" for a in atts)
    single = atts[0].listener.name if len(atts) == 1 else None
    return Finding(
        f"cannot decide whether listener {names} of {v.parent.label()} admits "
        f"{route.label()}: the namespace selector needs label {labels} and no "
        f"Namespace '{route.namespace}' is in the linted files",
        resource=route, path=ref.path, severity=Severity.WARNING, parent=ref.parent_dict(),
        listener=single, predicts=NO_PREDICTION,
        hint=f"add the Namespace '{route.namespace}' manifest (with its labels) to the linted "
             f"files, or select on the label every namespace has: "
             f"kubernetes.io/metadata.name: {route.namespace}",
        related=_related(atts))
