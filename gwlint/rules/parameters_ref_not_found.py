"""A GatewayClass or Gateway `parametersRef` names an object that does not exist.

A GatewayClass may point at a controller-specific configuration object with
`spec.parametersRef`, a Gateway at its own with `spec.infrastructure.parametersRef` (a local
reference: the Gateway's namespace). "If the referent cannot be found, refers to an unsupported
kind, or when the data within that resource is malformed", the GatewayClass (or Gateway) is
rejected: `Accepted=False` with reason `InvalidParameters`. A class that is not accepted serves
no Gateway: every Gateway of the class keeps the CRD default `Accepted=Unknown Pending`, and the
finding lists those consequences too. Only references into a namespace the linted files describe
are judged (a cluster-scoped kind: when the files hold objects of that kind); declare objects
managed elsewhere with `--assume-exists 'KIND/NS/NAME'`.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  infrastructure:
    parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: web-proxy}
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: {name: proxy-config, namespace: infra}     # not the name the Gateway uses
spec: {}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  infrastructure:
    parametersRef: {group: gateway.envoyproxy.io, kind: EnvoyProxy, name: proxy-config}
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: EnvoyProxy
metadata: {name: proxy-config, namespace: infra}
spec: {}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.refs import PARAMETERS
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW113", "parameters-ref-not-found", category="reference", severity="error",
      summary="A GatewayClass or Gateway parametersRef names an object that does not exist",
      predicts=("Accepted", "False", "InvalidParameters"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    for ref in ctx.refs(PARAMETERS):
        res, path, t = ref.source, ref.path, ref.target
        st = model.of(res)
        cond = st.conditions.get(C.ACCEPTED) if st is not None else None
        if cond is None or (cond.status, cond.reason) != (C.FALSE, C.R_INVALID_PARAMETERS):
            continue
        what = f"{t.kind or '?'} '{t.name}'" + (f" in namespace '{t.namespace}'"
                                                 if t.namespace else "")
        consequence = ("no Gateway of this class is reconciled" if res.kind == "GatewayClass"
                       else "the Gateway is not accepted")
        yield Finding(
            f"{'.'.join(str(p) for p in path[1:])} names {what}, which does not exist: "
            f"{consequence}", resource=res, path=path, condition=cond,
            hint="fix the name, add the object to the repository, or declare it as "
                 "external: --assume-exists 'KIND/NAMESPACE/NAME'")
