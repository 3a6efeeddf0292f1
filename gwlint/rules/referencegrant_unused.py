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

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.model import (GATEWAY_GROUP, GATEWAY_X_GROUP, ROUTE_KINDS, Resource, as_dict, as_list,
                          as_str)
from gwlint.refs import LISTENERSET_KINDS, Ref
from gwlint.registry import rule
from gwlint.rules._grants import GRANTED_REF_TYPES, FromKey, grant_usage

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


def _refs_by_source(ctx: Context) -> dict[FromKey, list[Ref]]:
    """Cross-namespace grant-needing refs by (scope, source group, kind, namespace)."""
    index: dict[FromKey, list[Ref]] = defaultdict(list)
    for ref in ctx.refs(*GRANTED_REF_TYPES):
        if ref.cross_namespace:
            src = ref.source
            index[(src.scope, src.group, src.kind, src.namespace)].append(ref)
    return index


def _would_permit(ctx: Context, grant: Resource, by_source: dict[FromKey, list[Ref]]) -> Ref | None:
    """A reference this grant would permit if it lived in the reference's target namespace."""
    for entry in as_list(grant.spec.get("from")):
        entry = as_dict(entry)
        key = (grant.scope, as_str(entry.get("group")), as_str(entry.get("kind")),
               as_str(entry.get("namespace")))
        for ref in by_source.get(key, [])[:1000]:
            if ref.target.namespace != grant.namespace and ctx.grant_matches(grant, ref):
                return ref
    return None


@rule("GW405", "referencegrant-unused", category="security", severity="info",
      summary="A ReferenceGrant permits no reference of the linted files")
def check(ctx: Context) -> Iterator[Finding]:
    usage = grant_usage(ctx)
    by_source: dict[FromKey, list[Ref]] | None = None
    for grant in ctx.of_kind("ReferenceGrant"):
        if id(grant) in usage or not _evaluable(ctx, grant):
            continue
        by_source = by_source if by_source is not None else _refs_by_source(ctx)
        ref = _would_permit(ctx, grant, by_source)
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
