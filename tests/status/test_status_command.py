"""`gwlint status` through the CLI: the API server's shape, --focus, --format json, --causes,
Unknown explained, the shared input options, and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from gwlint.cli import main

FIXTURES = Path(__file__).parent / "fixtures"

MANIFESTS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: example}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: example
  listeners:
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
"""


def invoke(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """`gwlint status ARGS` (paths are absolute; `cwd` is where a run would start)."""
    assert cwd.is_dir()
    result = CliRunner().invoke(main, ["status", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path: Path, text: str = MANIFESTS) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _conds(items: list[dict]) -> list[tuple[str, str, str]]:
    return [(c["type"], c["status"], c["reason"]) for c in items]


def test_yaml_documents_in_the_api_servers_shape(tmp_path: Path) -> None:
    """A listener whose only certificateRef is missing: ResolvedRefs=False InvalidCertificateRef
    and Programmed=False Invalid on it (GatewayInvalidTLSConfiguration), the Gateway Accepted
    with ListenersNotValid since another listener is valid (GatewayListenerUnsupportedProtocol
    shows the same rule); the route attached to the valid listener."""
    code, out, _ = invoke([str(_write(tmp_path))], tmp_path)
    assert code == 0
    docs = {d["kind"]: d for d in yaml.safe_load_all(out)}
    assert set(docs) == {"GatewayClass", "Gateway", "HTTPRoute"}
    gw = docs["Gateway"]
    assert gw["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert gw["metadata"] == {"name": "gw", "namespace": "infra"}
    assert _conds(gw["status"]["conditions"]) == [
        ("Accepted", "True", "ListenersNotValid"), ("Programmed", "True", "Programmed")]
    https, http = gw["status"]["listeners"]
    assert _conds(https["conditions"]) == [
        ("Accepted", "True", "Accepted"), ("Programmed", "False", "Invalid"),
        ("ResolvedRefs", "False", "InvalidCertificateRef"),
        ("Conflicted", "False", "NoConflicts")]
    assert (http["name"], http["attachedRoutes"]) == ("http", 1)
    assert all(set(c) == {"type", "status", "reason", "message"}
               for c in https["conditions"])
    [parent] = docs["HTTPRoute"]["status"]["parents"]
    assert parent["parentRef"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                                   "name": "gw", "namespace": "infra", "sectionName": "http"}
    assert parent["controllerName"] == "example.com/gateway-controller"
    assert _conds(parent["conditions"]) == [("Accepted", "True", "Accepted"),
                                           ("ResolvedRefs", "True", "ResolvedRefs")]
    assert _conds(docs["GatewayClass"]["status"]["conditions"]) == [
        ("Accepted", "True", "Accepted")]


def test_focus_and_json_list(tmp_path: Path) -> None:
    path = str(_write(tmp_path))
    code, out, _ = invoke([path, "--focus", "httproute/shop/web", "--format", "json"], tmp_path)
    assert code == 0
    doc = json.loads(out)
    assert (doc["apiVersion"], doc["kind"]) == ("v1", "List")
    assert [(i["kind"], i["metadata"]["name"]) for i in doc["items"]] == [("HTTPRoute", "web")]
    code, out, _ = invoke([path, "--focus", "GatewayClass/example"], tmp_path)
    assert code == 0 and [d["kind"] for d in yaml.safe_load_all(out)] == ["GatewayClass"]


def test_unknown_focus_and_bad_format_are_usage_errors(tmp_path: Path) -> None:
    path = str(_write(tmp_path))
    code, out, err = invoke([path, "--focus", "HTTPRoute/infra/web"], tmp_path)
    assert code == 2 and out == ""
    assert "no such Gateway API object" in err and "HTTPRoute/shop/web" in err
    code, _, err = invoke([path, "--focus", "web"], tmp_path)
    assert code == 2 and "KIND/NAMESPACE/NAME" in err
    code, _, _ = invoke([path, "--format", "text"], tmp_path)
    assert code == 2


def test_undecidable_conditions_are_unknown_with_what_is_missing(tmp_path: Path) -> None:
    """An HTTPRoute and a GRPCRoute on one hostname without creationTimestamps: which one the
    controller accepts is not in the files (GRPCRoute spec.hostnames), so both say Unknown."""
    code, out, _ = invoke([str(FIXTURES / "http_grpc_conflict.yaml")], tmp_path)
    assert code == 0
    unknown = [c for d in yaml.safe_load_all(out) for p in d["status"].get("parents", [])
               for c in p["conditions"] if c["status"] == "Unknown"]
    assert unknown
    for c in unknown:
        assert "gwlint cannot decide" in c["message"] and "creationTimestamp" in c["message"]


def test_causes_name_the_fields(tmp_path: Path) -> None:
    path = str(_write(tmp_path))
    code, out, _ = invoke([path, "--focus", "Gateway/infra/gw", "--causes"], tmp_path)
    assert code == 0
    [gw] = yaml.safe_load_all(out)
    resolved = gw["status"]["listeners"][0]["conditions"][2]
    assert resolved["x-gwlint"]["causes"] == [
        {"resource": "Gateway infra/gw", "path": "/spec/listeners/0/tls/certificateRefs/0"}]
    assert resolved["x-gwlint"]["basis"] == "spec"


def test_input_options_are_those_of_check(tmp_path: Path) -> None:
    """--assume-exists (shared with `gwlint check`) makes the Secret exist: the listener is
    programmed."""
    path = str(_write(tmp_path))
    code, out, _ = invoke([path, "--focus", "Gateway/infra/gw", "--isolated",
                           "--assume-exists", "Secret/infra/missing"], tmp_path)
    assert code == 0
    [gw] = yaml.safe_load_all(out)
    assert _conds(gw["status"]["conditions"]) == [("Accepted", "True", "Accepted"),
                                                  ("Programmed", "True", "Programmed")]


def test_unreadable_files_are_named_on_standard_error(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    code, out, err = invoke([str(tmp_path / "broken.yaml")], tmp_path)
    assert code == 0 and out == ""
    assert "broken.yaml" in err and "not predicted" in err
