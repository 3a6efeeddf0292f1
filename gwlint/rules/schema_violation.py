"""A field breaks the Gateway API CRD's structural schema: the API server rejects the object.

Types, required fields, enums, patterns and bounds come from the CRDs of the selected Gateway API
release and channel (`--gateway-api-version`, `--channel`, or detected from CRDs in the repository).
`kubectl apply` would fail with `Invalid value`; gwlint says so before merge, at the field.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches:
    - path:
        type: Prefix        # not a PathMatchType
        value: /api
    backendRefs: [{name: api, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: api, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
    backendRefs: [{name: api, port: 80}]
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


@rule("GW010", "schema-violation", category="schema", severity="error",
      summary="A field breaks the CRD schema (type, required, enum, pattern, bounds)")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "type", "required", "enum", "pattern", "format", "bounds",
                              "invalid")
