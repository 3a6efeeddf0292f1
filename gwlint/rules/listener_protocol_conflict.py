"""Two listeners share a port with protocols that cannot share it (HTTP and TCP on 80, ...).

Listeners on one port must be told apart by the traffic itself. HTTPS and TLS listeners may
share a port when their hostnames differ (the TLS handshake's SNI selects the listener; with the
same hostname, or both without hostname, nothing can), but plaintext HTTP cannot share a port
with TLS, and a TCP listener takes the whole port: the spec says every listener sharing a port
with a TCP listener "MUST NOT be accepted". The controller sets `Conflicted=True` with
reason `ProtocolConflict` on the listeners concerned (and `ListenersNotValid` on the Gateway);
conflicted listeners serve nothing. Listeners of a Gateway conflict with each other; a
ListenerSet listener that conflicts with the Gateway's (or an earlier ListenerSet's) is the one
rejected.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP}
  - {name: tcp, port: 80, protocol: TCP}     # plain TCP on the HTTP port
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
  - {name: tcp, port: 8080, protocol: TCP}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.attachment import Listener
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW206", "listener-protocol-conflict", category="listener", severity="error",
      summary="Two listeners on one port use protocols that cannot share it",
      predicts=("Conflicted", "True", "ProtocolConflict"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).listener_entries():
        cond = entry.conditions.get(C.CONFLICTED)
        c = entry.conflict
        if cond is None or c is None or cond.reason != C.R_PROTOCOL_CONFLICT:
            continue
        if cond.status != C.TRUE and cond.likely != (C.TRUE, C.R_PROTOCOL_CONFLICT):
            continue
        ls, other = c.listener, c.other
        where = "" if other.owner is ls.owner else f" of {other.owner.label()}"
        same_host = {ls.protocol, other.protocol} == {"HTTPS", "TLS"}
        host = f"hostname '{ls.hostname}'" if ls.hostname else "no hostname"
        note = (f": an HTTPS and a TLS listener with the same {host} cannot be told apart "
                "by SNI" if same_host else
                ": the protocols cannot share a port")
        if other.owner is not ls.owner:
            note += ("; the listener merged later is rejected (the Gateway's come first, then "
                     "ListenerSets by creation time)" if cond.status == C.TRUE else
                     "; which ListenerSet's listener is rejected depends on their creation "
                     "times (the older one wins), which the files do not carry: applied "
                     "together, this one loses (namespace/name order)")
        yield Finding(
            f"listener '{ls.name}' ({ls.protocol}) shares port {ls.port} with "
            f"listener '{other.name}' ({other.protocol}){where}{note}",
            resource=ls.owner, path=ls.path, listener=ls.name, condition=cond,
            hint=_hint(ls, other),
            related=[listener_related(other, f"conflicting {other.label()} "
                                             f"({other.protocol})")])


def _hint(ls: Listener, other: Listener) -> str:
    if {ls.protocol, other.protocol} == {"HTTPS", "TLS"}:
        return "give the HTTPS and TLS listeners different hostnames, or different ports"
    return ("move one of the listeners to another port (only HTTPS and TLS listeners with "
            "different hostnames may share a port)")
