"""A backendRef's port is not one of the Service's ports (spec.ports[].port).

For a Service backend, `port` is the *Service* port, not the container's `targetPort`: a port
the Service does not expose cannot be resolved, so the backend is invalid and its share of
requests gets 500s. The spec has no dedicated reason for this; gwlint predicts the standard
`ResolvedRefs=False` reason `BackendNotFound` (the (Service, port) backend does not exist; Envoy
Gateway reports the implementation-specific reason `PortNotFound`). A Service backendRef without
`port` is already rejected by the CRD's validation and is not repeated here; ExternalName
Services are skipped.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - name: storefront
      port: 8080               # the targetPort, not the Service port
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
from typing import TYPE_CHECKING, Any

from gwlint.findings import Finding, Related
from gwlint.model import Resource
from gwlint.refs import Ref
from gwlint.registry import rule
from gwlint.rules._backends import describe_ports, ref_label, service_ports, service_problems
from gwlint.status.profiles import BACKEND_PORT_UNKNOWN

if TYPE_CHECKING:
    from gwlint.context import Context


def _hint(ref: Ref, service: Resource, ports: list[dict[str, Any]]) -> str:
    """Which port to use: the Service port whose targetPort the user wrote, else the list."""
    for p in ports:
        if p.get("targetPort") == ref.port and p.get("port") is not None:
            return (f"{ref.port} is the targetPort of Service port {p['port']}: a backendRef "
                    f"names the Service port, use port: {p['port']}")
    if len(ports) == 1 and ports[0].get("port") is not None:
        return f"Service '{service.name}' exposes only port {describe_ports(ports)}: use port: " \
               f"{ports[0]['port']}"
    return f"Service '{service.name}' exposes port(s) {describe_ports(ports)}"


@rule("GW104", "backend-port-unknown", category="reference", severity="error",
      summary="A backendRef's port is not among the Service's spec.ports",
      predicts=("ResolvedRefs", "False", "BackendNotFound"))
def check(ctx: Context) -> Iterator[Finding]:
    for ref, problem in service_problems(ctx):
        service = ctx.get(ref.target)
        if problem.detail != BACKEND_PORT_UNKNOWN or service is None:
            continue
        ports = service_ports(service)
        yield Finding(f"{ref_label(ref)} port {ref.port} is not a port of Service "
                      f"'{service.name}' in namespace '{service.namespace}'",
                      resource=ref.source, path=problem.path,
                      hint=_hint(ref, service, ports),
                      related=[Related(f"ports of {service.label()}", service,
                                       ("spec", "ports") if ports else ("spec",))])
