"""A custom YAML tag (`!Ref`, `!!python/object`) is used; gwlint reads the value as plain data.

Only standard YAML tags mean anything to Kubernetes. gwlint never constructs custom tags (loading
is always safe), so the value is checked as the plain string, list or mapping it is written as.

Bad:

```yaml
metadata:
  name: !env ROUTE_NAME
```

Fixed:

```yaml
metadata:
  name: web
```
"""

from gwlint.registry import rule
from gwlint.rules import issue_findings


@rule("GW005", "custom-tag", category="parse", severity="warning",
      summary="A custom YAML tag is not constructed; its value is read as plain data")
def check(ctx):
    return issue_findings(ctx, "GW005")
