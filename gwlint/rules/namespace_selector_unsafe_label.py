"""A namespace selector of allowedRoutes (or allowedListeners) uses a label owners can set.

`from: Selector` admits every namespace whose labels match. Except for
`kubernetes.io/metadata.name`, which the API server sets to the namespace's name and nobody can
change, namespace labels are ordinary metadata: in many clusters whoever administers a namespace
(or can `kubectl label namespace`) can add `gateway-access: "true"` to their own namespace and
attach routes - or ListenerSets - to the shared Gateway, and from there claim hostnames. Select
namespaces by name, or make sure only cluster administrators can label namespaces (e.g. with an
admission policy) and suppress the finding. A selector that also requires
`kubernetes.io/metadata.name` to be `In` a list is safe (requirements are ANDed) and not reported.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchLabels:
            gateway-access: "true"      # any namespace owner can add this label
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
          matchExpressions:
          - key: kubernetes.io/metadata.name
            operator: In
            values: [shop, blog]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gwlint import attachment
from gwlint.attachment import NAME_LABEL
from gwlint.findings import FieldPath, Finding
from gwlint.model import CORE_GROUP, as_dict, as_list, as_str
from gwlint.registry import rule
from gwlint.rules._routes import user_path

if TYPE_CHECKING:
    from gwlint.context import Context

MAX_NAMES = 10


def _pinned_by_name(sel: dict[str, Any]) -> bool:
    """Whether a requirement already limits the selector to named namespaces (requirements are
    ANDed, so further labels can only narrow that fixed set)."""
    if isinstance(as_dict(sel.get("matchLabels")).get(NAME_LABEL), str):
        return True
    return any(as_dict(e).get("key") == NAME_LABEL and as_dict(e).get("operator") == "In"
               for e in as_list(sel.get("matchExpressions")))


def _unsafe_keys(selector: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """(path below the selector, label key) of every requirement on another label."""
    sel = as_dict(selector)
    if _pinned_by_name(sel):
        return
    for key in as_dict(sel.get("matchLabels")):
        if isinstance(key, str) and key != NAME_LABEL:
            yield ("matchLabels", key), key
    for j, expr in enumerate(as_list(sel.get("matchExpressions"))):
        name = as_str(as_dict(expr).get("key"))
        if name and name != NAME_LABEL:
            yield ("matchExpressions", j, "key"), name


def _label_index(ctx: Context) -> dict[tuple[str, str, str], list[str]]:
    """(scope, label, value) -> namespace names, over the Namespace objects (built once)."""
    cached: dict[tuple[str, str, str], list[str]] | None = ctx.cache.get(
        "security.namespace-labels")
    if cached is not None:
        return cached
    index: dict[tuple[str, str, str], list[str]] = {}
    for ns in ctx.of_kind("Namespace", CORE_GROUP):
        for k, v in as_dict(ns.metadata.get("labels")).items():
            if isinstance(k, str) and isinstance(v, str):
                index.setdefault((ns.scope, k, v), []).append(ns.name)
    ctx.cache["security.namespace-labels"] = index
    return index


def _selected(ctx: Context, scope: str, selector: dict[str, Any]) -> list[str]:
    """Namespaces of the linted set the selector admits today (matchLabels selectors only)."""
    labels = as_dict(as_dict(selector).get("matchLabels"))
    pairs = [(k, v) for k, v in labels.items() if isinstance(k, str) and isinstance(v, str)]
    if not pairs:
        return []
    k, v = pairs[0]
    names: list[str] = []
    for name in _label_index(ctx).get((scope, k, v), []):
        labels_of = attachment.namespace_labels(ctx, scope, name)
        if attachment.selector_matches(selector, name, labels_of):
            names.append(name)
            if len(names) > MAX_NAMES:
                break
    return sorted(names)


def _hint(ctx: Context, scope: str, selector: dict[str, Any]) -> str:
    names = _selected(ctx, scope, selector)
    if names and len(names) <= MAX_NAMES:
        values = ", ".join(names)
        return (f"select namespaces by name: matchExpressions: [{{key: {NAME_LABEL}, operator: "
                f"In, values: [{values}]}}] (the namespaces the selector admits today)")
    return (f"select namespaces by name (key: {NAME_LABEL}, operator: In), or make sure only "
            "cluster administrators can set this label")


@rule("GW402", "namespace-selector-unsafe-label", category="security", severity="warning",
      summary="allowedRoutes selects namespaces by a label other than kubernetes.io/metadata.name")
def check(ctx: Context) -> Iterator[Finding]:
    for ls in attachment.index(ctx).all_listeners():
        if ls.allowed_from != "Selector" or ls.selector is None:
            continue
        base = ls.path + ("allowedRoutes", "namespaces", "selector")
        for sub, key in _unsafe_keys(ls.selector):
            yield Finding(
                f"{ls.label()} admits routes from namespaces labelled '{key}': whoever can "
                f"label a namespace can attach routes to it",
                resource=ls.owner, path=user_path(ls.owner, base + sub), listener=ls.name,
                hint=_hint(ctx, ls.owner.scope, ls.selector))
    for gw in ctx.of_kind("Gateway"):
        namespaces = as_dict(as_dict(gw.spec.get("allowedListeners")).get("namespaces"))
        selector = namespaces.get("selector")
        if as_str(namespaces.get("from")) != "Selector" or not isinstance(selector, dict):
            continue
        base = ("spec", "allowedListeners", "namespaces", "selector")
        for sub, key in _unsafe_keys(selector):
            yield Finding(
                f"{gw.label()} admits ListenerSets from namespaces labelled '{key}': whoever "
                f"can label a namespace can add listeners (and hostnames) to it",
                resource=gw, path=user_path(gw, base + sub),
                hint=_hint(ctx, gw.scope, selector))
