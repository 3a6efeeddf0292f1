"""A route backendRef (or RequestMirror backendRef) names a Service that does not exist.

The spec says a backendRef whose referent cannot be found is invalid: the controller sets
`ResolvedRefs=False` with reason `BackendNotFound` on the route's parents and answers every
request that would have gone to that backend with a 500 (a mirror to a missing Service is
dropped). A backendRef without `namespace` is looked up in the route's own namespace. Services
produced outside the repository can be declared with `--assume-exists 'Service/NS/NAME'`; when
nothing in the linted files lives in the target namespace the finding is only a warning.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: storefrnt          # no Service of that name in shop
      port: 80
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: storefront
      port: 80
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._backends import backend_problems, ref_label
from gwlint.rules._missing import absence, missing_hint
from gwlint.status.profiles import BACKEND_MISSING

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW102", "backend-not-found", category="reference", severity="error",
      summary="A backendRef names a Service that does not exist in the namespace it resolves to",
      predicts=("ResolvedRefs", "False", "BackendNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    for ref, problem in backend_problems(ctx):
        if problem.detail != BACKEND_MISSING:
            continue
        t = ref.target
        absent = absence(ctx, t)
        if absent is None:
            continue
        hint, related = missing_hint(ctx, t, ref_label(ref), ref.source.namespace)
        yield Finding(f"{ref_label(ref)} Service '{t.name}' not found in namespace "
                      f"'{t.namespace}'{absent.note}",
                      resource=ref.source, path=problem.path, severity=absent.severity,
                      hint=absent.hint(hint),
                      related=[] if absent.declare_hint else related)
