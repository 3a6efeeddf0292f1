"""A field breaks the Gateway API CRD's structural schema: the API server rejects the object.

Types, required fields, enums, patterns and bounds come from the CRDs of the selected Gateway API
release and channel (`--gateway-api-version`, `--channel`, or detected from CRDs in the repository).
`kubectl apply` would fail with `Invalid value`; gwlint says so before merge, at the field.
Values Flux substitutes (`${VAR}`, `postBuild`) are checked as substituted; one whose variable
gwlint cannot resolve is not checked (GW805 says so).

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
from gwlint.gitops.appliedmodel import Applied
from gwlint.model import FieldPath, Resource, sops_encrypted, sops_value
from gwlint.registry import rule
from gwlint.rules import violation_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW010", "schema-violation", category="schema", severity="error",
      summary="A field breaks the CRD schema (type, required, enum, pattern, bounds)")
def check(ctx: Context) -> Iterator[Finding]:
    # a value that still holds a Flux `${VAR}` placeholder is not what is applied (GW805 says
    # so), nor is a SOPS ciphertext
    findings = list(violation_findings(ctx, *CODES))
    if not findings:
        return
    # imported here to keep start-up fast: a run without schema violations never needs it
    from gwlint.gitops.applied import unresolved

    applied = ctx.layout.applied if ctx.layout is not None else Applied()
    for finding in findings:
        res = finding.resource
        if res is None or not (unresolved(applied, res, finding.path)
                               or _encrypted(res, finding.path)):
            yield finding


def _encrypted(res: Resource, path: FieldPath) -> bool:
    """A SOPS ciphertext is not what is applied (it is decrypted first): not checked."""
    return sops_encrypted(res.body) and sops_value(res.get(*path))


CODES = ("type", "required", "enum", "pattern", "format", "bounds", "invalid")
