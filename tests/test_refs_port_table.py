"""One Service port table (`refs.port_table`), read by the status model and the port rules."""

from __future__ import annotations

from typing import Any

from gwlint.config import LintConfig
from gwlint.engine import lint
from gwlint.model import Origin, Resource
from gwlint.refs import ServicePort, port_table
from gwlint.resources import Extraction, make_resource
from gwlint.source import SourceFile

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web}
spec:
  parentRefs: [{name: web}]
  rules: [{backendRefs: [{name: web, port: 1}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  ports: [{name: odd, port: true}, {name: dns, port: 53, protocol: UDP}, {port: 53}]
"""


def _service(spec: dict[str, Any]) -> Resource:
    obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}, "spec": spec}
    res = make_resource(obj, Origin(SourceFile("s.yaml", ""), 0, (), 1), "default", "",
                        Extraction(), lambda *a: None)  # type: ignore[arg-type,return-value]
    assert res is not None
    return res


def test_a_boolean_is_not_a_port_number() -> None:
    table = port_table(_service({"ports": [{"port": True}, {"port": 1.0}, {"port": "80"}]}))
    assert table == {}


def test_entries_by_number_with_the_protocol_and_whether_it_was_written() -> None:
    table = port_table(_service({"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53}]}))
    assert table == {53: [ServicePort(0, "UDP", True), ServicePort(1, "TCP", False)]}
    assert port_table(_service({"type": "ExternalName", "ports": [{"port": 80}]})) is None


def test_the_status_model_does_not_read_port_true_as_port_1() -> None:
    report = lint(LintConfig(paths=[], stdin_text=ROUTE, stdin_filename="r.yaml", jobs=1,
                             select=["GW104"]))
    [finding] = [f for f in report.findings if f.rule == "GW104"]
    assert "port 1 is not a port of Service" in finding.message, finding.message
