"""TLS-terminating listeners on one port have overlapping hostnames (e.g. `*.example.com`).

When HTTPS (or TLS Terminate) listeners on the same port have hostnames that overlap, a client
that opened a connection with the certificate of one listener may reuse it (HTTP/2 connection
coalescing) for a host served by the other, so TLS settings and certificates of one listener get
used for requests of another. Gateway API defines the listener condition
`OverlappingTLSConfig=True` with reason `OverlappingHostnames` for this; controllers set it on
every affected listener, also when they share one certificate Secret (conformance
GatewayOverlappingTLSConfigHostnames). The other reason, `OverlappingCertificates`, is for
certificates whose names overlap, which the files do not tell. The listeners still work, hence
a warning: make sure the certificates and TLS options agree, or split the hostnames across ports
or Gateways. A listener without
hostname overlaps every other. TLS passthrough listeners are not concerned (the Gateway holds no
TLS configuration for them).

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: wildcard
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls: {certificateRefs: [{name: wildcard}]}
  - name: admin
    port: 443
    protocol: HTTPS
    hostname: admin.example.com     # also matched by *.example.com
    tls: {certificateRefs: [{name: admin}], options: {example.com/min-version: "1.3"}}
---
apiVersion: v1
kind: Secret
metadata: {name: wildcard, namespace: infra}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
---
apiVersion: v1
kind: Secret
metadata: {name: admin, namespace: infra}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: infra}
spec:
  gatewayClassName: envoy
  listeners:
  - name: wildcard
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls: {certificateRefs: [{name: wildcard}]}
  - name: admin
    port: 8443                      # its own port: no connection reuse across them
    protocol: HTTPS
    hostname: admin.example.com
    tls: {certificateRefs: [{name: admin}], options: {example.com/min-version: "1.3"}}
---
apiVersion: v1
kind: Secret
metadata: {name: wildcard, namespace: infra}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
---
apiVersion: v1
kind: Secret
metadata: {name: admin, namespace: infra}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import status
from gwlint.findings import Finding
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.status import conditions as C

if TYPE_CHECKING:
    from gwlint.context import Context


@rule("GW209", "overlapping-tls-config", category="listener", severity="warning",
      summary="TLS-terminating listeners on one port have overlapping hostnames",
      predicts=("OverlappingTLSConfig", "True", "OverlappingHostnames"))
def check(ctx: Context) -> Iterator[Finding]:
    for _, entry in status.model(ctx).listener_entries():
        cond = entry.conditions.get(C.OVERLAPPING_TLS_CONFIG)
        c = entry.overlap
        if cond is None or c is None or cond.status != C.TRUE:
            continue
        ls, other = c.listener, c.other
        mine = f"'{ls.hostname}'" if ls.hostname else "no hostname (every host)"
        theirs = f"'{other.hostname}'" if other.hostname else "no hostname (every host)"
        where = "" if other.owner is ls.owner else f" of {other.owner.label()}"
        risk = "clients may reuse one listener's TLS connection for the other's hosts"
        yield Finding(
            f"listener '{ls.name}' ({ls.protocol}, {mine}) overlaps listener "
            f"'{other.name}'{where} ({other.protocol}, {theirs}) on port {ls.port}: {risk}",
            resource=ls.owner, path=ls.hostname_path if ls.hostname else ls.path,
            listener=ls.name, condition=cond,
            hint="use the same certificate and TLS options on overlapping listeners, or move "
                 "one of them to another port",
            related=[listener_related(
                other, f"overlapping {other.label()}",
                other.hostname_path if other.hostname else other.path)])
