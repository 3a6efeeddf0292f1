"""A backendRef points at a group/kind that is not a backend the controller can resolve.

Implementations MUST support core `Service` backends (Extended: `multicluster.x-k8s.io`
`ServiceImport`); any other kind is implementation-specific, and a controller that does not
support it sets `ResolvedRefs=False` with reason `InvalidKind` and answers the backend's share
of requests with 500. The kind is checked first: a backendRef of an unsupported kind in another
namespace is `InvalidKind`, not `RefNotPermitted` (conformance
HTTPRouteInvalidBackendRefUnknownKind). Kinds that can never be a backend (a core `Secret` or
`ConfigMap`, a Deployment, a Gateway API object) and custom kinds gwlint does not know are errors
(Envoy Gateway `Backend`, Istio `Hostname` and, with the experimental channel, `XBackend` are
known and accepted); declare the kinds your implementation resolves with the rule option
`allowed_kinds`, e.g. `["example.com/MyBackend"]`. `XBackend` linted with the standard channel
is a warning: the cluster may run the experimental CRDs. So is a `ServiceImport` written without
its group (seen in public multicluster examples): that names a core-group kind that does not
exist, but implementations match the multicluster kind by name.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules:
  - backendRefs:
    - kind: Deployment         # routes forward to Services, not to workloads
      group: apps
      name: storefront
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
    - name: storefront         # kind Service (group "") is the default
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

from gwlint.findings import Finding, Severity
from gwlint.model import CORE_GROUP, GATEWAY_GROUP, GATEWAY_X_GROUP
from gwlint.registry import rule
from gwlint.rules._backends import backend_problems, ref_label
from gwlint.status.profiles import BACKEND_KIND
from gwlint.status.refcheck import X_BACKEND

if TYPE_CHECKING:
    from gwlint.context import Context

# Built-in API groups without dots: none of their kinds is a backend.
_BUILTIN_GROUPS = {"apps", "batch", "policy", "autoscaling"}


def _impossible(group: str) -> bool:
    """Groups none of whose kinds can be a backend: core (but Service), built-in Kubernetes
    groups and the Gateway API itself."""
    return (group == CORE_GROUP or group in _BUILTIN_GROUPS or group.endswith(".k8s.io")
            or group in (GATEWAY_GROUP, GATEWAY_X_GROUP))


def _why(group: str, kind: str) -> tuple[Severity | None, str]:
    """(severity override, hint) for a kind the status model says no controller resolves."""
    if (group, kind) == X_BACKEND:
        return Severity.WARNING, ("XBackend is an experimental-channel kind; controllers "
                                  "installed with the standard channel do not resolve it (lint "
                                  "with --channel experimental if the cluster runs it)")
    if (group, kind) == (CORE_GROUP, "ServiceImport"):
        # written without its group in public examples; implementations accept it by name
        return Severity.WARNING, ("without `group` this is a core-group ServiceImport, which does "
                                  "not exist: the multicluster kind is multicluster.x-k8s.io/"
                                  "ServiceImport; implementations that match the kind by name "
                                  "resolve it, conformant ones set InvalidKind: add group: "
                                  "multicluster.x-k8s.io")
    shown = f"{kind}" if group == CORE_GROUP else f"{group}/{kind}"
    if _impossible(group):
        return None, (f"{shown} is not a backend: routes forward to a Service (kind: Service, "
                      f"group: \"\"); put a Service in front of it")
    return None, (f"{shown} is implementation-specific and not a kind gwlint knows a controller "
                  f"resolves: controllers that do not support it set InvalidKind; if yours "
                  f"does, add it to the rule option allowed_kinds of GW103")


@rule("GW103", "backend-invalid-kind", category="reference", severity="error",
      summary="A backendRef's group/kind is not a Service or another kind the controller resolves",
      predicts=("ResolvedRefs", "False", "InvalidKind"), options={"allowed_kinds": []})
def check(ctx: Context) -> Iterator[Finding]:
    for ref, problem in backend_problems(ctx):
        if problem.detail != BACKEND_KIND:
            continue
        t = ref.target
        severity, why = _why(t.group, t.kind)
        group = "core group" if t.group == CORE_GROUP else f"group '{t.group}'"
        yield Finding(f"{ref_label(ref)} kind '{t.kind}' ({group}) is not a supported "
                      f"backend kind", resource=ref.source, path=problem.path, hint=why,
                      severity=severity)
