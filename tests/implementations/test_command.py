"""`gwlint implementations` through the command line: the listing of bundled reports and the
feature x implementation comparison (text, JSON, Markdown)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.implementations import known_implementations, resolve
from gwlint.implementations.bundled import implementations, reports

ROOT = Path(__file__).resolve().parents[2]
DEMO_FEATURES = ["Gateway", "GatewayPort8080", "HTTPRoute", "ReferenceGrant"]


def invoke(args: list[str], cwd: Path = ROOT):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["implementations", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def ok(args: list[str], cwd: Path = ROOT) -> str:
    result = invoke(args, cwd)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- the listing --------------------------------------------------------------------------------


def test_listing_has_a_row_per_implementation_version_release_and_channel():
    table, summary = ok([]).split("\n\n")
    lines = table.splitlines()
    assert lines[0].split() == ["Implementation", "Version", "Gateway", "API", "Channel", "Modes"]
    rows = {tuple(line.split(None, 4)) for line in lines[1:]}
    assert summary.startswith(f"{len(rows)} implementation versions of "
                              f"{len(known_implementations())} implementations ({len(reports())} "
                              "reports)")
    assert ("envoy-gateway", "v1.9.0", "v1.6.1", "experimental",
            "default, gateway-namespace-mode") in rows
    assert ("kong", "v2.3.0-rc.3", "v1.6.1", "experimental",
            "expressions, traditional_compatible") in rows
    assert ("cilium", "v1.20.0", "v1.6.1", "standard", "default") in rows
    assert {r[0] for r in rows if len(r) == 5} == set(known_implementations())
    every = {(r.implementation, r.version, r.gateway_api_version, r.channel) for r in reports()}
    assert {r[:4] for r in rows if len(r) == 5} == every


def test_listing_json_holds_every_report():
    data = json.loads(ok(["--format", "json"]))
    assert [i["name"] for i in data["implementations"]] == known_implementations()
    ids = [r["id"] for i in data["implementations"] for r in i["reports"]]
    assert sorted(ids) == sorted(r.id for r in reports())
    envoy = next(i for i in data["implementations"] if i["name"] == "envoy-gateway")
    assert "envoy" in envoy["aliases"]
    newest = envoy["reports"][0]
    assert newest["version"] == "v1.9.0" and newest["gateway_api_version"] == "v1.6.1"
    assert "GatewayHTTPSListenerDetectMisdirectedRequests" in newest["unsupported"]


def test_listing_markdown_is_a_table():
    lines = ok(["--format", "markdown"]).splitlines()
    assert lines[0] == "| Implementation | Version | Gateway API | Channel | Modes |"
    assert all(line.count("|") == 6 for line in lines)
    assert len(lines) - 2 == len({(r.implementation, r.version, r.gateway_api_version,
                                    r.channel) for r in reports()})


# --- the comparison -----------------------------------------------------------------------------


def test_demo_matrix_json_agrees_with_the_reports():
    data = json.loads(ok(["--features", "examples/demo", "--format", "json"]))
    assert [f["name"] for f in data["features"]] == DEMO_FEATURES
    port = data["features"][1]
    assert port["uses"] == 1
    assert port["locations"][0] | {"resource": None} == {
        "file": "examples/demo/infra/internal-gateway.yaml", "line": 12, "column": 5,
        "path": "/spec/listeners/0/port", "resource": None,
        "construct": "HTTP/HTTPS listener port other than 80/443", "scope": "gateway"}
    assert [f["uses"] for f in data["features"]] == [2, 1, 3, 1]
    rows = data["implementations"]
    assert sorted(r["name"] for r in rows) == known_implementations()
    for row in rows:
        rep = resolve(row["name"])
        assert row["report"] == rep.id and row["version"] == rep.version
        assert row["support"] == {f: rep.support(f) for f in DEMO_FEATURES}
        assert sum(row["counts"].values()) == len(DEMO_FEATURES)
    order = [(r["counts"]["unsupported"], r["counts"]["not-claimed"], r["name"]) for r in rows]
    assert order == sorted(order)
    aws = next(r for r in rows if r["name"] == "aws-load-balancer-controller")
    assert aws["support"]["GatewayPort8080"] == "unsupported"


def test_demo_matrix_text():
    out = ok(["--features", "examples/demo"])
    assert "2  GatewayPort8080  1     examples/demo/infra/internal-gateway.yaml:12:5" in out
    aws = next(line for line in out.splitlines() if line.startswith("aws-load-balancer-"))
    assert aws.split()[1:] == ["v3.5.0", "v1.6.1", "yes", "NO", "yes", "yes", "1", "0"]
    assert out.rstrip().endswith("(the report says neither: untested)")


def test_chosen_implementations_and_markdown():
    out = ok(["--features", "examples/demo", "--format", "markdown",
              "--implementation", "gke", "--implementation", "aws-load-balancer-controller@v3.2",
              "--implementation", "envoy@v1.8"])
    lines = out.splitlines()
    assert lines[0] == ("| Implementation | Version | Gateway API | `Gateway` | `GatewayPort8080` "
                        "| `HTTPRoute` | `ReferenceGrant` |")
    assert lines[2:5] == [
        "| envoy-gateway | v1.8.0 | v1.5.1 | yes | yes | yes | yes |",
        "| gke | 1.36.2-gke.2154000 | v1.6.0 | yes | yes | yes | yes |",
        "| aws-load-balancer-controller | v3.2.0 | v1.5.0 | yes | **NO** | yes | yes |"]
    assert "`GatewayPort8080` (1 use)" in out


def test_features_of_the_current_directory_and_output_file(tmp_path: Path):
    (tmp_path / "route.yaml").write_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\n"
        "spec:\n  parentRefs: [{name: gw}]\n  rules:\n  - name: main\n"
        "    backendRefs: [{name: g, port: 9000}]\n", encoding="utf-8")
    ok(["--features", "--isolated", "--format", "json", "--implementation", "gke",
        "--output", "out.json"], tmp_path)
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in data["features"]] == ["GRPCRoute", "GRPCRouteNamedRouteRule"]
    assert data["implementations"][0]["support"] == {"GRPCRoute": "not-claimed",
                                                     "GRPCRouteNamedRouteRule": "not-claimed"}


def test_no_gateway_api_objects(tmp_path: Path):
    (tmp_path / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
                                      encoding="utf-8")
    assert "use no Gateway API feature" in ok(["--features", "--isolated", "."], tmp_path)
    data = json.loads(ok(["--features", "--isolated", "--format", "json", "."], tmp_path))
    assert data["features"] == [] and len(data["implementations"]) == len(implementations())


def test_file_names_are_escaped_in_text(tmp_path: Path):
    name = "route\x1b[31m.yaml"
    (tmp_path / name).write_text(
        "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\n"
        "spec:\n  parentRefs: [{name: gw}]\n", encoding="utf-8")
    out = ok(["--features", "--isolated", name], tmp_path)
    assert "\x1b" not in out and "route\\x1b[31m.yaml:1:1" in out


@pytest.mark.parametrize("args, message", [
    (["examples/demo"], "PATHs are compared with --features"),
    (["--implementation", "gke"], "--implementation selects the columns of --features"),
    (["--features", "examples/demo", "--implementation", "nosuch"],
     "unknown implementation 'nosuch'"),
    (["--features", "examples/demo", "--implementation", "gke@0.0.1"],
     "no bundled conformance report of gke 0.0.1; bundled versions: 1.36.2-gke.2154000"),
])
def test_usage_errors_exit_2(args: list[str], message: str):
    result = invoke(args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_unreadable_input_is_named_on_standard_error(tmp_path: Path):
    (tmp_path / "bad.yaml").write_text("a: [\n", encoding="utf-8")
    result = invoke(["--features", "--isolated", ".", "missing.yaml"], tmp_path)
    assert result.exit_code == 0
    assert "use no Gateway API feature" in result.stdout
    assert "gwlint: warning: missing.yaml:1: cannot read file" in result.stderr
    assert "gwlint: warning: bad.yaml:" in result.stderr
