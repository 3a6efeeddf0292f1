"""The file is not valid YAML (or JSON), so none of its objects can be checked.

`kubectl apply` would refuse the whole file. gwlint reports the parser's message at the line and
column where parsing stopped; the other files are still linted.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
   namespace: app   # indented one space too far
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
```
"""

from gwlint.registry import rule
from gwlint.rules import issue_findings


@rule("GW001", "yaml-syntax", category="parse", severity="error",
      summary="The file is not valid YAML or JSON")
def check(ctx):
    return issue_findings(ctx, "GW001")
