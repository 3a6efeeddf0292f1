"""Reference rules GW101-GW112 and ReferenceGrant hygiene GW404/GW405 across rules.

Each rule's cases are fixtures in tests/rules/GWxxx/ (run by tests/test_rule_fixtures.py) with
focused tests in tests/rules/test_gwxxx_*.py; what is left here concerns all of them at once.
"""

from __future__ import annotations

from pathlib import Path

from support.predicts import primary

from gwlint.engine import LintConfig, lint
from gwlint.reporters.common import finding_dict

MY_RULES = ["GW101", "GW102", "GW103", "GW104", "GW105", "GW106", "GW107", "GW108", "GW109",
            "GW110", "GW111", "GW112", "GW404", "GW405"]
ROOT = Path(__file__).resolve().parents[2]


def test_demo_reports_the_payments_backend(monkeypatch):
    monkeypatch.chdir(ROOT)
    report = lint(LintConfig(paths=["examples/demo"], select=MY_RULES, ignore=["GW101"]))
    out = [finding_dict(report, f) for f in report.findings]
    assert [(f["rule"], f["file"], f["line"], f["path"]) for f in out] == [
        ("GW105", "examples/demo/apps/shop/route.yaml", 30, "/spec/rules/1/backendRefs/0")]
    assert primary(out[0]) == {"type": "ResolvedRefs", "status": "False",
                                  "reason": "RefNotPermitted"}


MALFORMED = """
apiVersion: v1
kind: Service
metadata:
  name: storefront
  namespace: shop
spec:
  ports: [80, {port: "80"}, {port: 80, protocol: [TCP]}, {name: {x: 1}}]
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: infra
type: [kubernetes.io/tls]
data: [tls.crt]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: payments-ca
  namespace: payments
data: oops
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: junk
  namespace: payments
spec:
  from: {group: 1}
  to: [{group: [x], kind: {y: 2}}, 7, {kind: Secret, name: [a]}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: junk2
  namespace: shop
spec:
  from: [{group: [1], kind: {a: 1}, namespace: [x]}, 3]
  to: {}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: shop
spec:
  parentRefs: [{name: gw, namespace: infra}, {name: [x]}, 5]
  rules:
  - backendRefs:
    - {name: storefront, port: 80, group: 5, kind: [a]}
    - {name: storefront, port: "80"}
    - {name: payments, namespace: payments, port: 8443}
    filters: [{type: RequestMirror, requestMirror: {backendRef: [1]}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: secure
  namespace: infra
spec:
  gatewayClassName: [envoy]
  listeners: [{name: https, protocol: HTTPS, port: 443, tls: {certificateRefs: [{name: 3}]}}]
  tls: {backend: {clientCertificateRef: []}, frontend: {default: {validation: 7}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata:
  name: payments
  namespace: payments
spec:
  targetRefs: [{group: "", kind: Service, name: payments, sectionName: [https]}, 1]
  validation: {hostname: x, caCertificateRefs: [{group: "", kind: ConfigMap, name: {}}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: extra
  namespace: infra
spec:
  parentRef: [secure]
  listeners: []
"""


def test_malformed_bodies_never_crash(lint_tree):
    # Schema findings are expected; an exception from any reference rule is not.
    out = lint_tree({"bad.yaml": MALFORMED}, select=MY_RULES + ["GW010"])
    assert "GW010" in {f["rule"] for f in out}
