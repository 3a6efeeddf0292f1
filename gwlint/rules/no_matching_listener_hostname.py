"""None of the route's hostnames intersects the hostname of any listener that admits it.

When both a listener and a route specify hostnames, the route attaches to the listener only if
at least one pair intersects. `*.example.com` is a suffix match: it matches `test.example.com`
and `foo.test.example.com`, but not `example.com`; a listener without hostname matches every
route hostname, and a route without hostnames takes the listener's. When no admitting listener
intersects, the controller sets `Accepted=False` with reason `NoMatchingListenerHostname` on that
parent and the route serves nothing there.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"     # subdomains only
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames: [example.com]         # the apex does not match *.example.com
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
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.example.com"
  - name: http-apex              # a listener for the apex too
    port: 80
    protocol: HTTP
    hostname: example.com
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: infra}
spec:
  parentRefs: [{name: web}]
  hostnames: [example.com, www.example.com]
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

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment, status
from gwlint.attachment import CAUSE_HOSTNAME, CAUSE_NAMESPACE
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW203", "no-matching-listener-hostname", category="attachment", severity="error",
      summary="No route hostname intersects the hostname of a listener that admits the route",
      predicts=("Accepted", "False", "NoMatchingListenerHostname"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).parent_entries():
        cond = entry.conditions.get(C.ACCEPTED)
        if cond is None or (cond.status, cond.reason) != (C.FALSE,
                                                          C.R_NO_MATCHING_LISTENER_HOSTNAME):
            continue
        ref, route, parent = entry.ref, entry.ref.source, entry.parent
        assert parent is not None
        # an implementation that checks hostnames before namespaces (its profile) reports this
        # for listeners that refuse the route's namespace too
        listeners = [v.listener for v in entry.verdicts if v.cause == CAUSE_HOSTNAME] or [
            v.listener for v in entry.verdicts if v.cause == CAUSE_NAMESPACE]
        hosts = [h for _, h in attachment.route_hostnames(route)]
        if not all(attachment.valid_hostname(h) for h in hosts):
            continue  # the schema stage reports it; the API server rejects the route
        host_text = ", ".join(f"'{h}'" for h in hosts)
        noun = "listener" if len(listeners) == 1 else "listeners"
        lst = ", ".join(f"'{ls.name}' ('{ls.hostname}')" for ls in listeners)
        hint = "add a matching hostname to the route, or point the parentRef at a listener " \
               "whose hostname covers it"
        apex = [h for h in hosts for ls in listeners
                if ls.hostname and ls.hostname.startswith("*.") and h == ls.hostname[2:]]
        if apex:
            hint = (f"'*.{apex[0]}' matches subdomains only, not '{apex[0]}' itself: add a "
                    f"listener with hostname '{apex[0]}' (or no hostname), or " + hint)
        yield Finding(
            f"route hostnames {host_text} match no hostname of {noun} {lst} of "
            f"{parent.label()}",
            resource=route, path=("spec", "hostnames"), parent=ref.parent_dict(),
            listener=listeners[0].name if len(listeners) == 1 else None,
            hint=hint, condition=cond,
            related=[listener_related(ls, f"{ls.label()} hostname '{ls.hostname}'",
                                      ls.hostname_path) for ls in listeners])
