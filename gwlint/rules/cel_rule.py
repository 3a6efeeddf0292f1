"""The object breaks one of the CRD's CEL validation rules: the API server rejects it.

Since Gateway API v1.0 most validation lives in CEL rules (`x-kubernetes-validations`) inside the
CRDs: unique listener names, no hostname on TCP listeners, RequestRedirect not combined with
backendRefs, a port on every Service backendRef, and hundreds more. gwlint evaluates every rule of
the selected release offline and reports the rule's own message at the field it concerns.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
    backendRefs:           # a redirect cannot also have backends
    - name: web
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
  - filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.gitops.appliedmodel import Applied
from gwlint.registry import rule
from gwlint.rules import violation_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW013", "cel-rule", category="schema", severity="error",
      summary="The object breaks a CEL validation rule of the CRD")
def check(ctx: Context) -> Iterator[Finding]:
    # a value that still holds a Flux `${VAR}` placeholder is not what is applied: GW805 says so
    findings = list(violation_findings(ctx, "cel"))
    if not findings:
        return
    # imported here to keep start-up fast: a run without CEL violations never needs it
    from gwlint.gitops.applied import unresolved

    applied = ctx.layout.applied if ctx.layout is not None else Applied()
    for finding in findings:
        if finding.resource is None \
                or not unresolved(applied, finding.resource, finding.path, within=True):
            yield finding
