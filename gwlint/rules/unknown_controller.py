"""A GatewayClass names a controller gwlint has no conformance report for.

gwlint judges each Gateway by the implementation its GatewayClass's `controllerName` names
(GW701-GW704), from an exact table of the controller names implementations document
(`gateway.envoyproxy.io/gatewayclass-controller`, `istio.io/gateway-controller`, ...). An
unknown name is never guessed: the Gateways of that class are not checked against any report,
and this says so once per name, at the first class that names it (the others are listed with
it). When the controller is a bundled implementation installed
under a custom name (Envoy Gateway's `gateway.controllerName` setting, for instance), name it
with `--implementation NAME[@VERSION]` or `implementation:` in the configuration; `gwlint
implementations` lists the bundled ones. Not reported when an implementation is chosen that way.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: edge}
spec:
  controllerName: example.com/edge-controller   # Envoy Gateway under a custom controller name
```

Fixed:

```yaml
# gwlint-test: --implementation envoy-gateway@v1.9
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: edge}
spec:
  controllerName: example.com/edge-controller
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint.findings import Finding, Related
from gwlint.implementations.assign import CONTROLLER_PATH
from gwlint.implementations.verdicts import assignment
from gwlint.registry import rule

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.model import Resource


@rule("GW705", "unknown-controller", category="implementation", severity="info",
      summary="A GatewayClass's controllerName is no implementation gwlint has a conformance "
              "report for: its Gateways are not checked against one")
def check(ctx: Context) -> Iterator[Finding]:
    by_name: dict[str, list[Resource]] = {}
    for gc in assignment(ctx).unknown:
        by_name.setdefault(str(gc.spec.get("controllerName")).strip(), []).append(gc)
    for name, (gc, *others) in by_name.items():
        yield Finding(
            f"GatewayClass {gc.name}: controllerName {name!r} is not a controller gwlint knows, "
            f"so its Gateways are not checked against a conformance report"
            + (" (nor those of the other GatewayClasses naming it, listed below)" if others
               else ""),
            resource=gc, path=CONTROLLER_PATH,
            related=[Related(f"GatewayClass {o.name} names it too", o, CONTROLLER_PATH)
                     for o in others],
            hint="if it is a bundled implementation under another name, choose it: "
                 "--implementation NAME[@VERSION] (or `implementation:` in the configuration); "
                 "`gwlint implementations` lists them")
