"""The controllerName of a mesh route's entry (a Service parent): mesh implementations write the
controllerName of their Gateways there (Istio's and Cilium's test outputs); gwlint writes the one
controllerName of the accepted GatewayClasses in the files when its implementation passes a Mesh
conformance profile, and leaves it out when the files name none, several, or one of an
implementation that is no mesh (what it cannot know is left out rather than invented)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gwlint import status
from tests.status.helpers import predict

ROUTE = """\
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: mesh}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: mesh}
spec:
  parentRefs: [{group: "", kind: Service, name: echo, port: 80}]
  rules: [{backendRefs: [{name: echo, port: 80}]}]
"""
CLASS = """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {{name: {name}}}
spec: {{controllerName: {controller}}}
"""


def _entry(tmp_path: Path, *classes: tuple[str, str]) -> dict:
    text = ROUTE + "".join(CLASS.format(name=n, controller=c) for n, c in classes)
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    docs = {d["metadata"]["name"]: d for d in status.documents(predict(tmp_path / "m.yaml"))
            if d["kind"] == "HTTPRoute"}
    [entry] = docs["r"]["status"]["parents"]
    return entry


def test_one_class_names_the_mesh(tmp_path: Path) -> None:
    entry = _entry(tmp_path, ("cilium", "io.cilium/gateway-controller"))
    assert entry["controllerName"] == "io.cilium/gateway-controller"
    assert [(c["type"], c["status"], c["reason"]) for c in entry["conditions"]] == [
        ("Accepted", "True", "Accepted"), ("ResolvedRefs", "True", "ResolvedRefs")]


@pytest.mark.parametrize("classes", [
    (),
    (("eg", "gateway.envoyproxy.io/gatewayclass-controller"),),
    (("cilium", "io.cilium/gateway-controller"), ("istio", "istio.io/gateway-controller")),
])
def test_no_or_several_controllers_leave_it_out(tmp_path: Path,
                                                classes: tuple[tuple[str, str], ...]) -> None:
    entry = _entry(tmp_path, *classes)
    assert "controllerName" not in entry
    assert entry["conditions"][0]["status"] == "True"
