"""A route's parentRef names a Gateway (or ListenerSet) that does not exist where it points.

A parentRef without `namespace` points at the route's *own* namespace; the most common migration
mistake is a route in `app` that names the shared Gateway in `infra` without saying so. No
controller writes status for a parent it cannot find, so the route silently never attaches and
`kubectl describe` shows nothing at all. When a Gateway of that name exists in another namespace,
gwlint names it.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - name: shared-gateway        # looked up in namespace app
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: web.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec: {ports: [{port: 80}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - name: shared-gateway
    namespace: infra
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: web.example.com
    allowedRoutes: {namespaces: {from: All}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: app}
spec: {ports: [{port: 80}]}
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related, Severity
from gwlint.model import GATEWAY_GROUP, GATEWAY_X_GROUP
from gwlint.refs import PARENT
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.model import Resource

PARENT_KINDS = {(GATEWAY_GROUP, "Gateway"), (GATEWAY_GROUP, "ListenerSet"),
                (GATEWAY_X_GROUP, "XListenerSet")}


@rule("GW101", "parent-ref-unresolved", category="reference", severity="error",
      summary="A parentRef names a Gateway that does not exist in the namespace it resolves to")
def check(ctx: Context) -> Iterator[Finding]:
    for ref in ctx.refs(PARENT):
        t = ref.target
        if (t.group, t.kind) not in PARENT_KINDS or ctx.exists(t):
            continue
        elsewhere = [r for r in ctx.named(t.scope, t.group, t.kind, t.name)
                     if r.namespace != t.namespace]
        message = f"parentRef {t.kind} '{t.name}' not found in namespace '{t.namespace}'"
        if elsewhere:
            written = ref.source.get(*ref.path, "namespace")
            close = _mistyped_namespace(written, elsewhere)
            other = close or elsewhere[0]
            if close is not None:  # `namespace: infr` written, the Gateway is in `infra`
                hint = (f"did you mean namespace '{other.namespace}'? A {t.kind} named "
                        f"'{t.name}' exists there")
            else:  # a namespace written far from any candidate is replaced, not added
                verb = "set" if isinstance(written, str) and written else "add"
                hint = (f"a {t.kind} named '{t.name}' exists in namespace '{other.namespace}': "
                        f"{verb} namespace: {other.namespace}")
            yield Finding(message, resource=ref.source, path=ref.path, hint=hint,
                          parent=ref.parent_dict(),
                          related=[Related(other.label(), other, ("metadata", "name"))])
        elif not ctx.namespace_known(t.scope, t.namespace):
            yield Finding(message + " (nothing in the linted files is in that namespace)",
                          resource=ref.source, path=ref.path, severity=Severity.WARNING,
                          parent=ref.parent_dict(),
                          hint=f"if it is managed elsewhere, declare it: --assume-exists "
                               f"'{t.kind}/{t.namespace}/{t.name}'")
        else:
            yield Finding(message, resource=ref.source, path=ref.path,
                          parent=ref.parent_dict(),
                          hint="check the name, or set parentRefs[].namespace to the Gateway's "
                               "namespace")


def _mistyped_namespace(written: object, candidates: list[Resource]) -> Resource | None:
    """The candidate whose namespace is close to the one the parentRef wrote (a typo), if the
    parentRef wrote one at all (an omitted namespace is no typo)."""
    if not isinstance(written, str) or not written:
        return None
    by_namespace = {r.namespace: r for r in candidates if r.namespace}
    close = difflib.get_close_matches(written, list(by_namespace), n=1, cutoff=0.6)
    return by_namespace[close[0]] if close else None

