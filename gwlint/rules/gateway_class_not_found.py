"""A Gateway's gatewayClassName names no GatewayClass, in a repository that defines GatewayClasses.

A Gateway is reconciled only by the controller of its GatewayClass. With a misspelled class no
controller owns the Gateway: nothing is provisioned and its status keeps the CRD default,
`Accepted=Unknown` reason `Pending` ("Waiting for controller"), forever. GatewayClasses are
usually installed with the controller rather than kept next to the Gateways, so gwlint only
reports this when the linted files define at least one GatewayClass (in the same scope);
declare classes installed elsewhere with `--gateway-class NAME`.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy-gateway    # no such class
  listeners: [{name: http, port: 80, protocol: HTTP}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
```
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding, Related
from gwlint.model import Resource
from gwlint.refs import GATEWAY_CLASS
from gwlint.registry import rule
from gwlint.status import conditions as C
from gwlint.status.gateways import CLASS_NOT_FOUND

if TYPE_CHECKING:
    from gwlint.context import Context


def _hint(name: str, classes: list[Resource]) -> tuple[str, list[Related]]:
    """Suggest the closest defined class, else list them; always say how to declare one."""
    by_name = {c.name: c for c in classes}
    close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.6) or [
        n for n in sorted(by_name) if name.startswith(n) or n.startswith(name)][:1]
    declare = f"if '{name}' is installed with the controller, declare it: --gateway-class {name}"
    if close:
        cls = by_name[close[0]]
        return (f"did you mean '{cls.name}'? {declare}",
                [Related(cls.label(), cls, ("metadata", "name"))])
    shown = ", ".join(f"'{n}'" for n in sorted(by_name)[:8])
    return f"GatewayClasses defined here: {shown}; {declare}", []


@rule("GW108", "gateway-class-not-found", category="reference", severity="error",
      summary="gatewayClassName names no GatewayClass while the repository defines some",
      predicts=("Accepted", "Unknown", "Pending"))
def check(ctx: Context) -> Iterator[Finding]:
    model = status.model(ctx)
    classes: dict[str, list[Resource]] = defaultdict(list)
    for cls in ctx.of_kind("GatewayClass"):
        classes[cls.scope].append(cls)
    for ref in ctx.refs(GATEWAY_CLASS):
        st = model.of(ref.source)
        cond = st.conditions.get(C.ACCEPTED) if st is not None else None
        if cond is None or cond.detail != CLASS_NOT_FOUND:
            continue
        t = ref.target
        hint, related = _hint(t.name, classes[t.scope])
        yield Finding(f"gatewayClassName '{t.name}' names no GatewayClass: no controller "
                      f"will reconcile this Gateway",
                      resource=ref.source, path=ref.path, hint=hint, condition=cond,
                      related=related)
