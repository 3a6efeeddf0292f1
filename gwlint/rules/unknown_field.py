"""A field that the CRD does not define: the API server silently drops it.

Kubernetes prunes unknown fields of custom resources without an error, so a typo such as
`backendRef:` instead of `backendRefs:` or `hostname:` instead of `hostnames:` applies cleanly and
then routes traffic differently from what the author wrote. gwlint treats unknown fields as errors
and suggests the closest known field.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostname:            # typo: the route now matches every hostname
  - shop.example.com
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames:
  - shop.example.com
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules import violation_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW011", "unknown-field", category="schema", severity="error",
      summary="A field the CRD does not define; the API server silently prunes it")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "unknown-field")
