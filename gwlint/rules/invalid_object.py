"""The document looks like a Kubernetes object but lacks an apiVersion, a kind or a name.

The API server rejects such an object outright. (Documents with neither `apiVersion` nor `kind`,
such as Helm values files or CI configuration, are skipped silently and only counted.)

Bad:

```yaml
kind: HTTPRoute
metadata:
  name: web
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
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


@rule("GW007", "invalid-object", category="schema", severity="error",
      summary="An object without apiVersion, kind or metadata.name")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW007")
