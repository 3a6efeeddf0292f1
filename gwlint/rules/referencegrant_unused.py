"""A ReferenceGrant permits no reference of the linted files.

An unused grant is either dead configuration, left behind when a route or certificate moved, or
a grant that does not do what its author thinks: placed in the referrer's namespace instead of
the target's, `from` the wrong kind, or naming the wrong object. Either way it is standing
permission nobody needs. gwlint evaluates every cross-namespace reference itself (backendRefs,
mirrors, certificateRefs, clientCertificateRef, Gateway caCertificateRefs) and reports a grant
only when all its `from` entries are Gateway API kinds in namespaces the linted files describe:
referrers that live in other repositories, or implementation-specific kinds gwlint does not
read, could still use it.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-shop, namespace: shop}     # the route's namespace: permits nothing
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service, name: payments}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      namespace: payments
      port: 8443
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-shop, namespace: payments} # the Service's namespace
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}]
  to: [{group: "", kind: Service, name: payments}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: payments
      namespace: payments
      port: 8443
---
apiVersion: v1
kind: Service
metadata: {name: payments, namespace: payments}
spec: {ports: [{name: https, port: 8443}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.model import (GATEWAY_GROUP, GATEWAY_X_GROUP, ROUTE_KINDS, Resource, as_dict, as_list,
                          as_str)
from gwlint.refs import LISTENERSET_KINDS
from gwlint.registry import rule
from gwlint.rules._grants import grant_used, would_permit

if TYPE_CHECKING:
    from gwlint.context import Context

REFERRER_KINDS = frozenset({*ROUTE_KINDS, "Gateway", *LISTENERSET_KINDS})


def _evaluable(ctx: Context, grant: Resource) -> bool:
    """Whether every referrer the grant admits would be in the linted set if it existed."""
    froms = [as_dict(f) for f in as_list(grant.spec.get("from"))]
    return bool(froms) and all(
        as_str(f.get("group")) in (GATEWAY_GROUP, GATEWAY_X_GROUP)
        and as_str(f.get("kind")) in REFERRER_KINDS
        and isinstance(f.get("namespace"), str)
        and ctx.namespace_known(grant.scope, f["namespace"]) for f in froms)


@rule("GW405", "referencegrant-unused", category="security", severity="info",
      summary="A ReferenceGrant permits no reference of the linted files")
def check(ctx: Context) -> Iterator[Finding]:
    for grant in ctx.of_kind("ReferenceGrant"):
        if grant_used(ctx, grant) or not _evaluable(ctx, grant):
            continue
        ref = would_permit(ctx, grant)
        if ref is not None:
            hint = (f"it would permit {ref.source.label()} -> {ref.target.label()} if it lived "
                    f"in namespace '{ref.target.namespace}': grants must live in the target "
                    f"namespace")
            related = [Related(f"reference from {ref.source.label()}", ref.source, ref.path)]
        else:
            hint = "delete it, or check its from/to entries against the references it is for"
            related = []
        yield Finding(f"ReferenceGrant '{grant.name}' in namespace '{grant.namespace}' "
                      f"permits no reference of the linted files",
                      resource=grant, path=("metadata", "name"), hint=hint, related=related)
