"""A parentRef's `sectionName` or `port` selects no listener of the Gateway (or ListenerSet), or
no port of the Service a mesh route names as its parent.

`sectionName` names one listener of the parent, `port` selects the listeners on that port, and
when both are set the same listener must match both. When nothing matches, the set of relevant
listeners is empty: the controller sets `Accepted=False` with reason `NoMatchingParent` on that
parent, and the route receives no traffic through it. A typo in a listener name, or a listener
renamed in the Gateway without updating the routes, is the usual cause.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs:
  - name: web
    sectionName: http-80       # no listener has that name
  rules:
  - backendRefs: [{name: web, port: 80}]
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs:
  - name: web
    sectionName: http
  rules:
  - backendRefs: [{name: web, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec:
  ports: [{port: 80}]
```
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.findings import Finding, Related
from gwlint.model import Resource, as_list
from gwlint.registry import rule
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.refs import Ref
    from gwlint.status.conditions import Condition


@rule("GW201", "no-matching-parent", category="attachment", severity="error",
      summary="A parentRef's sectionName/port matches no listener of its Gateway",
      predicts=("Accepted", "False", "NoMatchingParent"))
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    for _, entry in status.model(ctx).parent_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or (cond.status, cond.reason) != (C.FALSE, C.R_NO_MATCHING_PARENT):
            continue
        ref, parent = entry.ref, entry.parent
        if parent is None:  # a Service parent that does not exist, which a profile reports
            yield Finding(f"parentRef {ref.target.label()} does not exist",
                          resource=ref.source, path=ref.path, parent=ref.parent_dict(),
                          hint="name an existing Service of the mesh, or create it",
                          condition=cond)
            continue
        if parent.kind == "Service":
            yield _mesh_finding(ref, parent, cond)
            continue
        listeners = idx.own_listeners(parent)
        names = [ls.name for ls in listeners]
        by_name = [ls for ls in listeners if ls.name == ref.section_name]
        if ref.section_name is not None and not by_name:
            what = f"sectionName '{ref.section_name}'"
            path = ref.path + ("sectionName",)
            close = difflib.get_close_matches(ref.section_name, names, n=1)
            hint = f"did you mean sectionName: {close[0]}? " if close else ""
        elif ref.section_name is not None:
            ports = ", ".join(str(ls.port) for ls in by_name)
            what = (f"sectionName '{ref.section_name}' with port {ref.port} (listener "
                    f"'{ref.section_name}' listens on port {ports})")
            path = ref.path + ("port",)
            hint = f"set port: {by_name[0].port} or drop port; "
        else:
            what = f"port {ref.port}"
            path = ref.path + ("port",)
            hint = ""
        if listeners:
            hint += f"listeners of {parent.label()}: " + ", ".join(
                ls.describe() for ls in listeners)
        else:
            hint += f"{parent.label()} has no listeners"
        yield Finding(
            f"parentRef {what} matches no listener of {parent.label()}",
            resource=ref.source, path=path, hint=hint, parent=ref.parent_dict(),
            listener=ref.section_name, condition=cond,
            related=[Related(f"listeners of {parent.label()}", parent, ("spec", "listeners"))])


def _mesh_finding(ref: Ref, service: Resource, cond: Condition) -> Finding:
    """A mesh parentRef whose `sectionName` (a port name) or `port` is not a port of the Service
    (the status model decides it; this phrases it)."""
    ports = [p for p in as_list(service.spec.get("ports")) if isinstance(p, dict)]
    if ref.section_name is not None and not any(p.get("name") == ref.section_name
                                                for p in ports):
        what, path = f"sectionName '{ref.section_name}' (a port name)", ("sectionName",)
    else:
        what, path = f"port {ref.port}", ("port",)
    listed = ", ".join(f"{p.get('name')}:{p.get('port')}" if p.get("name") else str(p.get("port"))
                       for p in ports) or "none"
    return Finding(f"parentRef {what} is not a port of {service.label()}",
                   resource=ref.source, path=ref.path + path,
                   hint=f"ports of {service.label()}: {listed}", parent=ref.parent_dict(),
                   listener=ref.section_name, condition=cond,
                   related=[Related(f"ports of {service.label()}", service, ("spec", "ports"))])
