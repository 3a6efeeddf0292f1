"""An input could not be linted: binary, not UTF-8, too large, too deep, an alias bomb, or not a file.

gwlint never crashes or hangs on hostile input; instead it reports what it refused and why. The
limits (file size, nesting depth, alias expansion, documents per file) are far above anything a
real manifest needs, so hitting one means the file is broken or malicious.

Bad:

```yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: lol, namespace: app}
data:                             # "billion laughs": 4.8 million nodes once expanded
  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
```

Fixed:

```yaml
# Write the values out; Kubernetes manifests do not need aliases at all.
apiVersion: v1
kind: ConfigMap
metadata: {name: lol, namespace: app}
data:
  a: lol
```
"""  # noqa: E501 (the title line is the rule's one-line summary in its page)

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules import issue_findings

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW004", "unreadable-input", category="parse", severity="error",
      summary="Input refused: binary, not UTF-8, too large, too deep, alias bomb or not a file")
def check(ctx: Context) -> Iterator[Finding]:
    return issue_findings(ctx, "GW004")
