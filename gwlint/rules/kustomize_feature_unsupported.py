"""A kustomization uses a feature gwlint's Kustomize builder does not apply: linted without it.

gwlint builds kustomizations natively and offline: it never fetches remote bases, never runs
Helm (`helmCharts`) or plugins (`generators`, `transformers`), and does not apply `vars` or
custom `openapi`/`crds` schemas (`replacements` it applies). A root that uses one of them is
built and linted without it, and this info finding names the feature at the kustomization entry,
so you know the linted objects may differ from what `kustomize build` outputs. With a `kustomize`
binary (on PATH or `--kustomize PATH`), a root that reads nothing remote is built by it instead,
and this info says so. To lint the exact output, pipe it:
`kustomize build overlays/prod | gwlint - --stdin-filename overlays/prod`.

Bad:

```yaml
# file: overlays/prod/kustomization.yaml
resources:
- gateway.yaml
- https://github.com/example/platform//routes?ref=v1.2.0   # a remote base: never fetched
---
# file: overlays/prod/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
# file: overlays/prod/kustomization.yaml
resources:
- gateway.yaml
- routes                # vendored: the base is in the repository
---
# file: overlays/prod/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
# file: overlays/prod/routes/kustomization.yaml
resources: [route.yaml, service.yaml]
---
# file: overlays/prod/routes/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules: [{backendRefs: [{name: shop, port: 80}]}]
---
# file: overlays/prod/routes/service.yaml
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: shop}
spec: {ports: [{port: 80}]}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.gitops.kustomize.model import UNSUPPORTED
from gwlint.registry import rule
from gwlint.rules._layout import problem_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW803", "kustomize-feature-unsupported", category="layout", severity="info",
      summary="A kustomization feature gwlint does not apply (remote base, helmCharts, "
              "plugins, vars): linted without it")
def check(ctx: Context) -> Iterator[Finding]:
    return problem_findings(ctx, frozenset({UNSUPPORTED}))
