"""A mapping repeats a key; Kubernetes silently keeps the last value.

YAML parsers used by kubectl and the API server do not reject duplicate keys: the later value
replaces the earlier one without a word, so half of what the author wrote is ignored (a second
`matches:` or `backendRefs:` in the same rule is a classic merge accident).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - name: web-v1
      port: 80
    backendRefs:          # replaces the list above
    - name: web-v2
      port: 80
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - name: web-v1
      port: 80
    - name: web-v2
      port: 80
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


@rule("GW002", "duplicate-key", category="parse", severity="error",
      summary="A mapping repeats a key; Kubernetes silently keeps the last one")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW002")
