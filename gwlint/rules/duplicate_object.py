"""The same object (kind, namespace, name) is defined twice in one scope.

Whichever file is applied last wins, so the effective configuration depends on apply order. In a
repository with several clusters, use `--scope 'clusters/*'` so that each cluster is its own
graph and the same object in two clusters is not a duplicate.

Bad:

```yaml
# apps/web/route.yaml and apps/web-v2/route.yaml, here one after the other
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames: [web.example.com]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}     # the same object again
spec:
  parentRefs: [{name: gw}]
  hostnames: [web-v2.example.com]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames: [web.example.com]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web-v2, namespace: app}  # renamed (or delete the stale copy)
spec:
  parentRefs: [{name: gw}]
  hostnames: [web-v2.example.com]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW006", "duplicate-object", category="parse", severity="error",
      summary="The same kind/namespace/name is defined twice in one scope")
def check(ctx: Context) -> Iterator[Finding]:
    for first, second in ctx.duplicates:
        if second.virtual:
            continue
        yield Finding(
            f"{second.label()} is defined more than once; the last one applied wins",
            resource=second, path=("metadata", "name"),
            hint="remove one definition, or lint clusters separately with --scope",
            related=[Related(f"first definition of {first.label()}", first, ("metadata", "name"))])
