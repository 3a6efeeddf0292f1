"""A mapping repeats a key; Kubernetes silently keeps the last value.

YAML parsers used by kubectl and the API server do not reject duplicate keys: the later value
replaces the earlier one without a word, so half of what the author wrote is ignored (a second
`matches:` or `backendRefs:` in the same rule is a classic merge accident).

When a document repeats `apiVersion` or `kind` at the top level, it is two objects run together
(`cat a.yaml b.yaml | gwlint -` of files that do not start with `---`): that is reported once per
object, as a missing `---` separator, instead of one finding per repeated key.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: gw}]
  rules:
  - backendRefs:
    - name: web-v1
      port: 80
    backendRefs:          # replaces the list above
    - name: web-v2
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
  - backendRefs:
    - name: web-v1
      port: 80
    - name: web-v2
      port: 80
```
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.loader import LoadIssue

IDENTITY = ("apiVersion", "kind")  # top-level keys that start an object


@rule("GW002", "duplicate-key", category="parse", severity="error",
      summary="A mapping repeats a key; Kubernetes silently keeps the last one")
def check(ctx: Context) -> Iterator[Finding]:
    found = [i for i in ctx.load_issues if i.code == "GW002"]
    joined = _joined(found)
    for issue in found:
        key = joined.get((id(issue.source), issue.doc_index))
        if key is None or len(issue.path) != 1:
            yield issue.finding()
        elif issue.path[0] == key:
            yield dataclasses.replace(
                issue, message=f"a `---` document separator is missing before line "
                f"{issue.line}: '{key}' appears again at the top level, so two objects run "
                "together into one document (only the last value of each key would be kept)",
                hint="put a line `---` between the two objects").finding()
        # the other top-level keys repeated by the second object: the same mistake, not reported


def _joined(issues: Iterable[LoadIssue]) -> dict[tuple[int, int | None], str]:
    """Documents that are objects run together, with the identity key whose repetitions mark
    where each further object starts (apiVersion, else kind: whichever repeats more)."""
    repeats: dict[tuple[int, int | None], dict[str, int]] = {}
    for issue in issues:
        if len(issue.path) == 1 and issue.path[0] in IDENTITY:
            doc = (id(issue.source), issue.doc_index)
            counts = repeats.setdefault(doc, dict.fromkeys(IDENTITY, 0))
            counts[issue.path[0]] += 1
    return {doc: max(IDENTITY, key=lambda k: (counts[k], k == "apiVersion"))
            for doc, counts in repeats.items()}
