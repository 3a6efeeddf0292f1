"""A listener no route in the repository attaches to.

A listener without attached routes accepts connections on its port and answers every request
with a 404 (or resets the connection): often a leftover of a migration, or a sign that the routes
meant for it are refused (see GW201-GW205 for why). Reported only for Gateways in the linted
files, when those files hold routes at all (a repository of infrastructure only is not judged),
and never for a listener where some route's attachment cannot be decided.

Bad:

```yaml
kind: Gateway
spec:
  listeners:
  - {name: http, port: 80, protocol: HTTP}
  - {name: legacy, port: 8080, protocol: HTTP}   # no route names it or admits here
```

Fixed:

```yaml
  listeners:
  - {name: http, port: 80, protocol: HTTP}
```
"""

from gwlint import attachment
from gwlint.findings import Finding
from gwlint.model import ROUTE_KINDS
from gwlint.registry import rule


@rule("GW210", "listener-unused", category="listener", severity="info",
      summary="No route in the repository attaches to this listener")
def check(ctx):
    idx = attachment.index(ctx)
    scopes_with_routes = {r.scope for r in ctx.kinds(ROUTE_KINDS)}
    for gw in ctx.of_kind("Gateway"):
        if gw.scope not in scopes_with_routes:
            continue
        for ls in idx.listeners(gw):
            if idx.on_listener(ls) or idx.conflicted(ls):
                continue
            candidates = idx.candidates_on(ls)
            if any(a.reason == attachment.UNKNOWN for a in candidates):
                continue
            refused = len({id(a.ref) for a in candidates})
            tail = (f" ({refused} parentRef(s) select it but are refused)" if refused else "")
            yield Finding(
                "GW210", f"no route attaches to {ls.label()} ({ls.port}/{ls.protocol}, "
                         f"{ls.hostname or 'any host'}){tail}",
                resource=ls.owner, path=ls.path, listener=ls.name,
                hint="remove the listener if it is a leftover, or attach a route to it "
                     f"(parentRefs: [{{name: {gw.name}, namespace: {gw.namespace}, "
                     f"sectionName: {ls.name}}}])")
