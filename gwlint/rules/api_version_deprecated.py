"""The apiVersion is still served but deprecated: move to the named replacement.

Deprecated versions are removed in a later release; upgrading the CRDs then breaks the apply.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1beta1
kind: HTTPRoute
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
```
"""

from gwlint.registry import rule
from gwlint.rules import violation_findings


@rule("GW502", "api-version-deprecated", category="version", severity="warning",
      summary="The apiVersion is deprecated; use the replacement it names")
def check(ctx):
    return violation_findings(ctx, "api-version-deprecated")
