"""A ReferenceGrant permits more than needed: `to` without `name`, or Secrets to many namespaces.

A `to` entry without `name` permits every object of that kind in the namespace, including ones
created later; for Secrets that means any Gateway (or route) of the `from` namespaces can serve
any certificate and private key of the namespace. Secrets shared with many namespaces widen the
blast radius the same way. The spec's own security model is "the owner of the target namespace
accepts each reference": grant exactly the objects that are referenced. `to` entries without a
name for non-Secret kinds are reported at info level; the number of namespaces allowed to
reference Secrets is the rule option `max_secret_namespaces` (default 2).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: gateway-certs, namespace: shop}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}
  to:
  - {group: "", kind: Secret}          # every Secret of shop
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: shop-tls
        namespace: shop
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: gateway-certs, namespace: shop}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: Gateway, namespace: infra}
  to:
  - {group: "", kind: Secret, name: shop-tls}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: https
    protocol: HTTPS
    port: 443
    tls:
      certificateRefs:
      - name: shop-tls
        namespace: shop
---
apiVersion: v1
kind: Secret
metadata: {name: shop-tls, namespace: shop}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Severity
from gwlint.model import CORE_GROUP, Resource, as_dict, as_list, as_str
from gwlint.registry import rule
from gwlint.rules._grants import names_reached

if TYPE_CHECKING:
    from gwlint.context import Context


def _used_names(ctx: Context, grant: Resource, group: str, kind: str) -> list[str]:
    """Names of the objects of this kind that references of the linted set reach via `grant`
    (the first 20, then "...")."""
    names, more = names_reached(ctx, grant, group, kind)
    return [repr(n) for n in names] + (["..."] if more else [])


def _unnamed_to(ctx: Context, grant: Resource) -> Iterator[Finding]:
    for i, to in enumerate(as_list(grant.spec.get("to"))):
        to = as_dict(to)
        group, kind = as_str(to.get("group"), CORE_GROUP), as_str(to.get("kind"))
        if as_str(to.get("name")) or not kind:
            continue
        secret = (group, kind) == (CORE_GROUP, "Secret")
        used = _used_names(ctx, grant, group or "", kind)
        hint = (f"references in the linted files use only {kind} "
                f"{', '.join(used)}: name them (one `to` entry per object)"
                if used else f"add name: to this entry (one `to` entry per {kind})")
        yield Finding(f"ReferenceGrant '{grant.name}' permits every {kind} of namespace "
                      f"'{grant.namespace}' (`to` entry without name)",
                      resource=grant, path=("spec", "to", i), hint=hint,
                      severity=None if secret else Severity.INFO)


def _secret_fanout(ctx: Context, grant: Resource) -> Finding | None:
    tos = [as_dict(t) for t in as_list(grant.spec.get("to"))]
    if not any(t.get("kind") == "Secret" and t.get("group", "") == CORE_GROUP for t in tos):
        return None
    spaces = sorted({str(as_dict(f).get("namespace")) for f in as_list(grant.spec.get("from"))})
    limit = ctx.rule_option("max_secret_namespaces")
    if not isinstance(limit, int) or len(spaces) <= limit:
        return None
    return Finding(f"ReferenceGrant '{grant.name}' lets {len(spaces)} namespaces "
                   f"reference Secrets of namespace '{grant.namespace}'",
                   resource=grant, path=("spec", "from"),
                   hint=f"Secrets hold private keys: permit only the namespace(s) of the "
                        f"Gateways that serve them (now: {', '.join(spaces)})")


@rule("GW404", "referencegrant-too-broad", category="security", severity="warning",
      summary="A ReferenceGrant permits every object of a kind, or Secrets to many namespaces",
      options={"max_secret_namespaces": 2})
def check(ctx: Context) -> Iterator[Finding]:
    for grant in ctx.of_kind("ReferenceGrant"):
        yield from _unnamed_to(ctx, grant)
        fanout = _secret_fanout(ctx, grant)
        if fanout is not None:
            yield fanout
