"""A ListenerSet names a Gateway whose `spec.allowedListeners` does not admit it.

A Gateway accepts ListenerSets only when it says so: `spec.allowedListeners.namespaces.from` is
`None` by default (no ListenerSet at all), or `Same`, `All`, or `Selector` (namespaces whose
labels match; every namespace carries `kubernetes.io/metadata.name: <name>`). A ListenerSet the
Gateway does not admit gets `Accepted=False` with reason `NotAllowed`: none of its listeners is
programmed and none of the routes attached to it serves traffic. When the selector needs labels
of a namespace whose Namespace object is not in the linted files, gwlint says it cannot decide.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}    # no allowedListeners: ListenerSets are refused
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop, namespace: shop}
spec:
  parentRef: {name: web, namespace: infra}
  listeners:
  - {name: shop, port: 8080, protocol: HTTP, hostname: shop.example.com}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners:
    namespaces:
      from: Selector
      selector:
        matchLabels:
          kubernetes.io/metadata.name: shop
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: shop, namespace: shop}
spec:
  parentRef: {name: web, namespace: infra}
  listeners:
  - {name: shop, port: 8080, protocol: HTTP, hostname: shop.example.com}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.findings import FieldPath, Finding, Related, Severity
from gwlint.model import as_dict
from gwlint.registry import rule
from gwlint.rules._attachment import selector_uses_unknown_labels
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW211", "listenerset-not-allowed", category="listener", severity="error",
      summary="A ListenerSet's parent Gateway does not allow it (spec.allowedListeners)",
      predicts=("Accepted", "False", "NotAllowed"))
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    model = status.model(ctx)
    for ls in idx.listenersets():
        st = model.of(ls)
        cond = st.conditions.get(C.ACCEPTED) if st is not None else None
        if cond is None or cond.reason != C.R_NOT_ALLOWED:
            continue
        ref = idx.listenerset_parent(ls)
        gw = ctx.get(ref.target) if ref is not None else None
        if ref is None or gw is None:
            continue
        namespaces = as_dict(as_dict(gw.spec.get("allowedListeners")).get("namespaces"))
        from_ = namespaces.get("from", "None")
        rel_path: FieldPath
        if "allowedListeners" in gw.spec:
            rel_path = ("spec", "allowedListeners", "namespaces", "from")
        else:
            rel_path = ("spec",)
        related = [Related(f"{gw.label()} allowedListeners.namespaces.from: {from_}", gw,
                           rel_path)]
        same = ls.namespace == gw.namespace
        fix = ("spec.allowedListeners: {namespaces: {from: Same}}" if same else
               "spec.allowedListeners: {namespaces: {from: Selector, selector: {matchLabels: "
               f"{{kubernetes.io/metadata.name: {ls.namespace}}}}}}}}}")
        if cond.status == C.UNKNOWN:
            keys = selector_uses_unknown_labels(namespaces.get("selector"))
            labels = ", ".join(f"'{k}'" for k in keys) or "labels"
            yield Finding(
                f"cannot decide whether {gw.label()} allows {ls.label()}: its "
                f"allowedListeners selector needs label {labels} and no Namespace "
                f"'{ls.namespace}' is in the linted files (a namespace created without that "
                "label is refused)",
                resource=ls, path=("spec", "parentRef"), severity=Severity.WARNING,
                parent=ref.parent_dict(), condition=cond, related=related,
                hint=f"add the Namespace '{ls.namespace}' manifest (with its labels) to the "
                     "linted files, or select on kubernetes.io/metadata.name")
            continue
        why = ("allows no ListenerSets (allowedListeners.namespaces.from: None, the default)"
               if from_ == "None" else
               f"does not allow ListenerSets from namespace '{ls.namespace}' "
               f"(allowedListeners.namespaces.from: {from_})")
        yield Finding(
            f"{gw.label()} {why}: {ls.label()} is not accepted and its listeners "
            "serve nothing",
            resource=ls, path=("spec", "parentRef"), related=related,
            parent=ref.parent_dict(), condition=cond,
            hint=f"allow it on the Gateway: {fix}")
