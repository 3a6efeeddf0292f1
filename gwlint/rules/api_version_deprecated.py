"""The apiVersion is still served but deprecated: move to the named replacement.

Deprecated versions are removed in a later release; upgrading the CRDs then breaks the apply.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: HTTPRoute
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
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


@rule("GW502", "api-version-deprecated", category="version", severity="warning",
      summary="The apiVersion is deprecated; use the replacement it names")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "api-version-deprecated")
