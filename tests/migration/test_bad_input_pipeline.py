"""Bad Ingress input through the whole pipeline: clear findings at the offending field, never a
traceback, in every output format, in `gwlint migration` and in `gwlint graph`.

The model-level property test (test_ingress_model.py) checks that the Ingress reader and the
parity check never raise; this one checks what users run: the rules' findings are located (a
span inside the file) and rendered, the references reach the graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwlint.cli import main
from gwlint.config import LintConfig
from gwlint.engine import build_context, lint
from gwlint.graph import build_view, render_json
from gwlint.reporters import render
from tests.migration.test_ingress_model import _json

ROUTE = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: default}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: default}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
"""

# Each of the bad inputs, with the rule and message the user gets.
CASES = {
    "no rules": ("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: empty}
spec: {ingressClassName: nginx}
""", "GW609", "Ingress has no rules with paths and no default backend: it routes nothing"),
    "path without pathType": ("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - path: /
        backend: {service: {name: web, port: {number: 80}}}
""", "GW609", "pathType is required in networking.k8s.io/v1"),
    "resource backend": ("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: assets}
spec:
  rules:
  - http:
      paths:
      - path: /static
        pathType: Prefix
        backend:
          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}
""", "GW609", "backend is a StorageBucket resource, not a Service"),
    "unknown annotation": ("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {nginx.ingress.kubernetes.io/rewrite-targett: /}
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
""", "GW610", "is not a known ingress-nginx annotation"),
    "removed API version": ("""
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: old}
spec:
  backend: {serviceName: web, servicePort: 80}
""", "GW611", "networking.k8s.io/v1beta1 Ingress was removed in Kubernetes 1.22"),
}


def _lint(folder: Path) -> tuple[object, list[dict]]:
    report = lint(LintConfig(paths=[str(folder)], select=["migration", "GW311"],
                             extend_select=["GW612"]))
    doc = json.loads(render(report, "json"))
    return report, doc["findings"]


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_input_has_its_finding(case: str, tmp_path: Path):
    text, rule, message = CASES[case]
    (tmp_path / "in.yaml").write_text(text + "---" + ROUTE, encoding="utf-8")
    _, findings = _lint(tmp_path)
    mine = [f for f in findings if f["rule"] == rule]
    assert [f for f in mine if message in f["message"]], findings
    assert all(f["file"].endswith("in.yaml") and f["line"] >= 1 for f in findings)


def test_bad_inputs_in_gwlint_migration(tmp_path: Path):
    for n, (text, _, _) in enumerate(CASES.values()):
        (tmp_path / f"{n}.yaml").write_text(text, encoding="utf-8")
    for fmt in ("table", "json", "markdown"):
        result = CliRunner().invoke(main, ["migration", str(tmp_path), "--isolated",
                                           "--format", fmt])
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    doc = json.loads(CliRunner().invoke(main, ["migration", str(tmp_path), "--isolated",
                                               "--format", "json"]).stdout)
    rules = {p["rule"] for i in doc["ingresses"] for p in i["inputProblems"]}
    assert rules == {"GW609", "GW610", "GW611"}


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=_json, annotations=st.dictionaries(
    st.sampled_from(["nginx.ingress.kubernetes.io/rewrite-target", "konghq.com/plugins",
                     "nginx.ingress.kubernetes.io/canary", "kubernetes.io/ingress.class",
                     "nginx.ingress.kubernetes.io/limit-rps"]),
    st.text(max_size=6) | st.integers(), max_size=3),
    api=st.sampled_from(["networking.k8s.io/v1", "extensions/v1beta1"]))
def test_random_ingresses_through_the_pipeline(spec, annotations, api, tmp_path_factory):
    folder = tmp_path_factory.mktemp("random")
    doc = {"apiVersion": api, "kind": "Ingress",
           "metadata": {"name": "x", "annotations": annotations}, "spec": spec}
    (folder / "in.yaml").write_text(yaml.safe_dump(doc) + "---" + ROUTE, encoding="utf-8")
    report, findings = _lint(folder)
    for fmt in ("text", "sarif", "github"):
        render(report, fmt)
    assert all(f["line"] >= 1 and f["severity"] in ("error", "warning", "info")
               for f in findings)
    render_json(build_view(build_context(LintConfig(paths=[str(folder)]))))
