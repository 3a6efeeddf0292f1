"""The file is not valid YAML (or JSON), so none of its objects can be checked.

`kubectl apply` would refuse the whole file. gwlint reports the parser's message at the line and
column where parsing stopped; the other files are still linted.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
   namespace: app   # indented one space too far
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
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


@rule("GW001", "yaml-syntax", category="parse", severity="error",
      summary="The file is not valid YAML or JSON")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW001")
