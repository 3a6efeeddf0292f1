"""BackendTLSPolicy ancestors: "A maximum of 16 ancestors will be represented in this list ... If
this slice is full, implementations MUST NOT add further entries" (PolicyStatus.ancestors,
maxItems 16). Past 16 the first Gateways by namespace/name are kept; whole statuses asserted."""

from __future__ import annotations

from pathlib import Path

from tests.status.helpers import compact_all, predict

HEAD = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: cls}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec: {ports: [{name: https, port: 443}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: ca, namespace: infra}
data: {ca.crt: "-----BEGIN CERTIFICATE-----"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: tls, namespace: infra}
spec:
  targetRefs: [{group: "", kind: Service, name: web}]
  validation: {caCertificateRefs: [{group: "", kind: ConfigMap, name: ca}], hostname: web.example}
"""

GATEWAY = """
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: {name}, namespace: infra}}
spec:
  gatewayClassName: cls
  listeners: [{{name: http, port: 80, protocol: HTTP}}]
"""

ROUTE = """
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: infra}}
spec:
  parentRefs: [{parents}]
  rules: [{{backendRefs: [{{name: web, port: 443}}]}}]
"""

HEALTHY = ["Accepted True Accepted", "ResolvedRefs True ResolvedRefs"]


def _ancestors(tmp_path: Path, count: int) -> dict[str, list[str]]:
    # names that sort differently as text and as numbers: gw-1, gw-10, gw-11, ..., gw-2, ...
    names = [f"gw-{i}" for i in range(1, count + 1)]
    text = HEAD + "".join(GATEWAY.format(name=n) for n in names) + ROUTE.format(
        parents=", ".join(f"{{name: {n}}}" for n in names))
    path = tmp_path / f"ancestors-{count}.yaml"
    path.write_text(text, encoding="utf-8")
    status = compact_all(predict(path))["BackendTLSPolicy/infra/tls"]
    assert set(status) == {"ancestors"}
    return status["ancestors"]


def test_more_than_16_ancestors_keeps_the_first_16_by_name(tmp_path: Path) -> None:
    kept = sorted(f"gw-{i}" for i in range(1, 18))[:16]   # gw-9 (last as text) is left out
    assert "gw-9" not in kept
    assert _ancestors(tmp_path, 17) == {f"Gateway/infra/{n}": HEALTHY for n in kept}


def test_16_ancestors_are_all_written(tmp_path: Path) -> None:
    assert _ancestors(tmp_path, 16) == {f"Gateway/infra/gw-{i}": HEALTHY for i in range(1, 17)}
