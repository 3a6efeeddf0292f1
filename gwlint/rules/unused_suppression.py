"""A `# gwlint: ignore[...]` comment or `gwlint.io/ignore` annotation suppresses nothing.

Suppressions outlive the problems they were written for: the route gets fixed, the rule gets
smarter, the comment moves one line away from the node it meant. A stale suppression is worse
than none, because it will silently hide the *next* real problem on that node. Like ruff's
RUF100, gwlint reports a suppression (or the codes in it) that matched no finding, but only for
rules that were selected in this run, and it also reports unknown rule codes and malformed
`gwlint:` directives. The comment forms are `ignore[...]` (end of line: that node; own line: the
next node), `ignore-document[...]` and `ignore-file[...]`; the annotation form survives Helm and
Kustomize rendering.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - name: shared-gateway  # gwlint: ignore[GW101]
    namespace: infra      # the Gateway exists now: the suppression is stale
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: web.example.com
    allowedRoutes: {namespaces: {from: All}}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs:
  - name: shared-gateway
    namespace: infra
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: shared-gateway, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: web.example.com
    allowedRoutes: {namespaces: {from: All}}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW008", "unused-suppression", category="parse", severity="info",
      summary="A gwlint suppression comment or annotation suppresses nothing")
def check(ctx: Context) -> Iterator[Finding]:
    # Findings are produced by gwlint.suppress, after every other rule has run: only then is it
    # known which suppressions were used.
    return iter(())
