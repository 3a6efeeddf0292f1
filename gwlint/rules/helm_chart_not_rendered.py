"""A Helm chart in the repository was not rendered, so its templates were not linted.

A directory with a `Chart.yaml` is a Helm chart: its `templates/` are Go templates, never YAML
to lint as they are (gwlint does not report them as unrendered templates, GW003). With a `helm`
binary on PATH, or given with `--helm PATH`, gwlint renders each chart with its default values
(plus `--helm-values FILE`) and lints the output, attributed to the templates by Helm's
`# Source:` comments. Without one, or when `helm template` fails, this info finding says so
once per chart, with the command that lints it.

Bad:

```yaml
# file: charts/web/Chart.yaml
# gwlint-test: --helm ""
apiVersion: v2
name: web
version: 0.1.0
---
# file: charts/web/templates/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{ .Release.Name }}
spec:
  parentRefs: [{name: {{ .Values.gateway }}}]
```

Fixed:

```yaml
# the rendered chart, as `helm template web charts/web | gwlint -` lints it
# Source: web/templates/route.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs: [{name: web}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW804", "helm-chart-not-rendered", category="layout", severity="info",
      summary="A Helm chart was not rendered (no helm binary, or helm failed): its templates "
              "are not linted")
def check(ctx: Context) -> Iterator[Finding]:
    layout = ctx.layout
    if layout is None:
        return
    for note in layout.charts:
        yield Finding(note.message, source=layout.source(note.file), doc_index=0, path=("name",),
                      hint="install helm, or give its path with --helm PATH")
