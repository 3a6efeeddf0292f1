"""The apiVersion (or kind) is not served by the selected Gateway API release and channel.

Versions are removed over time (ReferenceGrant and GRPCRoute `v1alpha2` were removed in v1.2) and
some kinds exist only in the experimental channel. `kubectl apply` fails with `no matches for
kind`; gwlint names the versions that are served.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1alpha2   # removed in v1.2
kind: ReferenceGrant
metadata: {name: allow-shop-routes, namespace: payments}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
  to:
  - {group: "", kind: Service, name: payments}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: allow-shop-routes, namespace: payments}
spec:
  from:
  - {group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop}
  to:
  - {group: "", kind: Service, name: payments}
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


@rule("GW501", "api-version-unserved", category="version", severity="error",
      summary="The apiVersion or kind is not served by the selected release and channel")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "api-version-unserved")
