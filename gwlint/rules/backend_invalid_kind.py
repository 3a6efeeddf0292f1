"""A backendRef points at a group/kind that is not a backend the controller can resolve.

Implementations MUST support core `Service` backends (Extended: `multicluster.x-k8s.io`
`ServiceImport`); any other kind is implementation-specific, and a controller that does not
support it sets `ResolvedRefs=False` with reason `InvalidKind` and answers the backend's share
of requests with 500. Kinds that can never be a backend (a core `Secret` or `ConfigMap`, a
Deployment, a Gateway API object) are errors; other custom kinds are warnings, because your
implementation may support them (Envoy Gateway `Backend`, Istio `Hostname` and the
experimental `XBackend` are known and accepted; declare others with the rule option
`allowed_kinds`, e.g. `["example.com/MyBackend"]`).

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
from typing import TYPE_CHECKING, Any

from gwlint.findings import FieldPath, Finding, Severity
from gwlint.model import CORE_GROUP, GATEWAY_GROUP, GATEWAY_X_GROUP
from gwlint.refs import Ref
from gwlint.registry import rule
from gwlint.rules._backends import SERVICE, backend_refs, field_path, ref_label

if TYPE_CHECKING:
    from gwlint.context import Context


SUPPORTED = {
    SERVICE,
    ("multicluster.x-k8s.io", "ServiceImport"),  # Extended support in the spec
    ("gateway.envoyproxy.io", "Backend"),  # Envoy Gateway
    ("networking.istio.io", "Hostname"),  # Istio
}
X_BACKEND = (GATEWAY_X_GROUP, "XBackend")
# Built-in API groups without dots: none of their kinds is a backend.
_BUILTIN_GROUPS = {"apps", "batch", "policy", "autoscaling"}


def _allowed(ctx: Context) -> set[tuple[str, str]]:
    """User-declared implementation-specific backend kinds ("group/Kind", "/Kind" for core)."""
    raw: Any = ctx.rule_option("allowed_kinds")
    items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, list) else []
    allowed = set()
    for item in items:
        if isinstance(item, str) and "/" in item:
            group, _, kind = item.strip().rpartition("/")
            allowed.add((group, kind))
    return allowed


def _impossible(group: str) -> bool:
    """Groups none of whose kinds can be a backend: core (but Service), built-in Kubernetes
    groups and the Gateway API itself."""
    return (group == CORE_GROUP or group in _BUILTIN_GROUPS or group.endswith(".k8s.io")
            or group in (GATEWAY_GROUP, GATEWAY_X_GROUP))


def _verdict(ctx: Context, allowed: set[tuple[str, str]], group: str,
             kind: str) -> tuple[Severity | None, str] | None:
    """None when the kind is a backend; else (severity override, why)."""
    if (group, kind) in SUPPORTED or (group, kind) in allowed:
        return None
    if (group, kind) == X_BACKEND:
        if ctx.options.channel == "experimental":
            return None
        return Severity.WARNING, ("XBackend is an experimental-channel kind; controllers "
                                  "installed with the standard channel do not resolve it")
    shown = f"{kind}" if group == CORE_GROUP else f"{group}/{kind}"
    if _impossible(group):
        return None, (f"{shown} is not a backend: routes forward to a Service (kind: Service, "
                      f"group: \"\"); put a Service in front of it")
    return Severity.WARNING, (f"{shown} is implementation-specific: controllers that do not "
                              f"support it set InvalidKind; if yours does, add it to the rule "
                              f"option allowed_kinds of GW103")


def _path(ref: Ref) -> FieldPath:
    """Point at `group` when only the group is wrong (kind still Service), else at `kind`."""
    if ref.target.kind == "Service" and ref.target.group != CORE_GROUP:
        return field_path(ref, "group")
    return field_path(ref, "kind")


@rule("GW103", "backend-invalid-kind", category="reference", severity="error",
      summary="A backendRef's group/kind is not a Service or another kind the controller resolves",
      predicts=("ResolvedRefs", "False", "InvalidKind"), options={"allowed_kinds": []})
def check(ctx: Context) -> Iterator[Finding]:
    allowed = _allowed(ctx)
    for ref in backend_refs(ctx):
        t = ref.target
        verdict = _verdict(ctx, allowed, t.group, t.kind)
        if verdict is None:
            continue
        severity, why = verdict
        group = "core group" if t.group == CORE_GROUP else f"group '{t.group}'"
        yield Finding(f"{ref_label(ref)} kind '{t.kind}' ({group}) is not a supported "
                      f"backend kind", resource=ref.source, path=_path(ref), hint=why,
                      severity=severity)
