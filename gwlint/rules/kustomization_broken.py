"""A kustomization that `kustomize build` refuses, or that does not do what it says.

gwlint builds every Kustomize root natively, as `kustomize build` (v5) does, and lints the
built objects. What stops the build, or silently changes its output, is reported at the
kustomization entry that causes it, with the roots (overlays) whose builds include it:

- a `resources`, `components`, patch or generator file that does not exist, a directory
  without a kustomization, a path outside the kustomization's directory (kustomize's load
  restrictor refuses files above it), malformed entries and unknown fields;
- an include cycle (`a` includes `b`, `b` includes `a`), more than 100 nested kustomizations;
- a patch that does not apply: a JSON 6902 operation on a path that does not exist, a
  strategic merge patch whose object is in no resource (error: kustomize fails), a patch whose
  `target` selects nothing (warning: kustomize builds without it, so the change you meant to
  make is silently missing from the cluster).

A kustomization file that is not valid YAML is GW001; the same object twice in one build is
GW006 (kustomize refuses it too).

Bad:

```yaml
# file: base/kustomization.yaml
resources: [gateway.yaml]
---
# file: base/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
# file: overlays/prod/kustomization.yaml
resources: [../../base]
namespace: shop
patches:
- path: route-hosts.yaml     # this file does not exist: kustomize build fails
```

Fixed:

```yaml
# file: base/kustomization.yaml
resources: [gateway.yaml]
---
# file: base/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
# file: overlays/prod/kustomization.yaml
resources: [../../base]
namespace: shop
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.gitops.kustomize import model as k
from gwlint.registry import rule
from gwlint.rules._layout import problem_findings

if TYPE_CHECKING:
    from gwlint.context import Context

CODES = frozenset({k.MISSING_FILE, k.INVALID, k.CYCLE, k.TOO_DEEP, k.NO_TARGET, k.PATCH_FAILED,
                   k.OUTSIDE, k.NOT_KUSTOMIZATION})


@rule("GW801", "kustomization-broken", category="layout", severity="error",
      summary="A kustomization kustomize refuses to build: missing file, cycle, patch that "
              "does not apply")
def check(ctx: Context) -> Iterator[Finding]:
    return problem_findings(ctx, CODES)
