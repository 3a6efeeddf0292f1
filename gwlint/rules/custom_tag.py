"""A custom YAML tag (`!Ref`, `!!python/object`) is used; gwlint reads the value as plain data.

Only standard YAML tags mean anything to Kubernetes. gwlint never constructs custom tags (loading
is always safe), so the value is checked as the plain string, list or mapping it is written as.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: !env ROUTE_NAME
  namespace: app
spec:
  parentRefs: [{name: gw}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  parentRefs: [{name: gw}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules import issue_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW005", "custom-tag", category="parse", severity="warning",
      summary="A custom YAML tag is not constructed; its value is read as plain data")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW005")
