"""The file contains Go/Helm template syntax: lint the rendered manifests instead.

Helm chart templates (`{{ .Values.host }}`) are not Kubernetes objects until they are rendered;
linting them directly would report nonsense. Pipe the rendered output into gwlint: findings are
attributed to the template named by Helm's `# Source:` comments.

Bad:

```yaml
# templates/route.yaml, linted directly
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{ .Release.Name }}-web
spec:
  hostnames:
  - {{ .Values.host }}
```

Fixed:

```yaml
# what `helm template web ./chart` renders (lint that instead)
# Source: chart/templates/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web-web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
```

```shell
helm template web ./chart | gwlint -
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


@rule("GW003", "unrendered-template", category="parse", severity="error",
      summary="Go/Helm template syntax: render the chart and lint its output")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW003")
