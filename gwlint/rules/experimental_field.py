"""A field that exists only in the experimental channel, linted against standard-channel CRDs.

With standard-channel CRDs installed, the API server drops experimental fields silently, so the
feature the author configured (session persistence, CORS, retries in older releases...) is simply
not there. Either install the experimental channel and lint with `--channel experimental`, or
remove the field.

Bad:

```yaml
# linted with the standard channel (the default)
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - sessionPersistence:
      sessionName: shop
    backendRefs: [{name: shop, port: 80}]
```

Fixed:

```yaml
# gwlint-test: --channel experimental
# (gwlint --channel experimental, with the experimental CRDs installed)
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - sessionPersistence:
      sessionName: shop
    backendRefs: [{name: shop, port: 80}]
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


@rule("GW012", "experimental-field", category="schema", severity="error",
      summary="An experimental-channel field linted against standard-channel CRDs is dropped")
def check(ctx: Context) -> Iterator[Finding]:
    return violation_findings(ctx, "experimental-field")
