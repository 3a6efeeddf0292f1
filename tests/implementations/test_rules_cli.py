"""The GW7xx rules through the whole command line (`gwlint` with its click command, settings and
reporters), and the `--implementation` option / `implementation:` configuration key."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.implementations import known_implementations, known_versions, resolve

RULES = Path(__file__).resolve().parents[1] / "rules"


def invoke(args: list[str], cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def fixture_args(path: Path) -> list[str]:
    """The `# gwlint-test:` arguments of a fixture file."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# gwlint-test:"):
            out += shlex.split(line.split(":", 1)[1])
    return out


def json_findings(args: list[str], cwd: Path) -> tuple[int, list[dict]]:
    result = invoke(["--format", "json", "--isolated", *args], cwd)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


# (fixture, line, severity, texts the message must contain)
CASES = [
    ("GW701/bad_gke_class.yaml", 40, "warning",
     ["HTTPRouteMethodMatching", "gke 1.36.2-gke.2154000", "unsupported",
      "v1.6/gke-gateway/v1.6.0-gke-report"]),
    ("GW701/bad_option_without_gateway.yaml", 17, "warning",
     ["HTTPRoutePathRewrite", "aws-load-balancer-controller v3.5.0",
      "v1.6/aws-load-balancer-controller/conformance-report"]),
    ("GW702/bad_profile_not_run.yaml", 24, "info",
     ["GRPCRoute", "does not claim", "did not run the GATEWAY-GRPC profile",
      "v1.6/gke-gateway/v1.6.0-gke-report"]),
    ("GW702/bad_suite_older_than_feature.yaml", 14, "info",
     ["HTTPRouteNamedRouteRule", "istio 1.26.1",
      "conformance suite of Gateway API v1.3.0 did not test it",
      "v1.3.0/istio-istio/experimental-1.26.1-default-report"]),
    ("GW703/bad_session_persistence.yaml", 36, "warning",
     ["`spec.rules[].sessionPersistence`", "gke 1.36.2-gke.2154000", "standard channel only"]),
    ("GW703/bad_older_release.yaml", 16, "warning",
     ["`spec.rules[].filters[].type: CORS`", "Gateway API v1.4.0", "gke 1.34.4-gke.1047000"]),
    ("GW704/bad_release_option.yaml", 8, "info",
     ["Gateway API v1.6.1 (chosen with --gateway-api-version)", "istio 1.30.1",
      "Gateway API v1.5.1"]),
    ("GW705/bad_unknown_controller.yaml", 7, "info",
     ["'example.com/gateway-controller'", "not a controller gwlint knows"]),
]


@pytest.mark.parametrize("rel, line, severity, texts", CASES, ids=[c[0] for c in CASES])
def test_rule_through_the_cli(rel: str, line: int, severity: str, texts: list[str]) -> None:
    path = RULES / rel
    code = rel.split("/")[0]
    _, findings = json_findings([path.name, *fixture_args(path)], path.parent)
    own = [f for f in findings if f["rule"] == code and f["line"] == line]
    assert len(own) == 1, [(f["rule"], f["line"], f["message"]) for f in findings]
    (found,) = own
    assert found["severity"] == severity and found["category"] == "implementation"
    for text in texts:
        assert text in found["message"], (text, found["message"])


def test_text_output_names_the_gateway_class_that_chose_the_implementation() -> None:
    folder = RULES / "GW701" / "bad_two_controllers"
    result = invoke(["--isolated", "--select", "GW701", "."], folder)
    assert result.exit_code == 0, result.output  # warnings do not fail by default
    assert "routes.yaml:32:7: GW701 warning matches[].method needs" in result.stdout
    assert "see: classes.yaml:14:3: GatewayClass gke: controllerName networking.gke.io/gateway " \
           "is gke" in result.stdout
    assert result.stdout.count("GW701") == 1
    failing = invoke(["--isolated", "--select", "GW701", "--fail-on", "warning", "."], folder)
    assert failing.exit_code == 1


# --- the option and the configuration key ----------------------------------------------------

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: shared, namespace: infra}]
  rules:
  - matches: [{method: POST}]
    backendRefs: [{name: web, port: 8080}]
"""


def _method_findings(tmp_path: Path, *args: str) -> list[dict]:
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    result = invoke(["--format", "json", "--select", "GW701", *args, "route.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("spec, judged", [
    ("gke", True), ("GKE", True), ("gke-gateway", True),            # name, any case, alias
    ("gke@1.36", True), ("gke@1.36.2-gke.2154000", True),           # version prefix, exact
    ("envoy-gateway", False), ("envoy@v1.9", False),                # supported there
])
def test_implementation_option(tmp_path: Path, spec: str, judged: bool) -> None:
    found = _method_findings(tmp_path, "--isolated", "--implementation", spec)
    assert bool(found) == judged
    if judged:
        assert found[0]["message"].endswith(f"({_source('gke')})")


def _source(spec: str) -> str:
    rep = resolve(spec)
    return (f"conformance report {rep.id}: Gateway API {rep.gateway_api_version}, "
            f"{rep.channel} channel, mode {rep.mode}")


@pytest.mark.parametrize("spec, expected", [
    ("nosuch", ["unknown implementation 'nosuch'", *known_implementations()[:3]]),
    ("envoy-gatway", ["did you mean envoy-gateway?"]),
    ("istio@9.9", ["no bundled conformance report of istio 9.9", *known_versions("istio")]),
    ("istio@", ["invalid implementation 'istio@'"]),
])
def test_unknown_implementation_is_a_usage_error(tmp_path: Path, spec: str,
                                                 expected: list[str]) -> None:
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    result = invoke(["--isolated", "--implementation", spec, "route.yaml"], tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""
    for text in expected:
        assert text in result.stderr, (text, result.stderr)


@pytest.mark.parametrize("args", [["--select", "GW001"], ["--ignore", "GW7"], ["--statistics"]])
def test_unknown_implementation_is_refused_before_any_rule_runs(tmp_path: Path,
                                                                args: list[str]) -> None:
    # checked with the settings: a run whose rules never read the reports refuses it too
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    for spec, texts in (("nosuch", ["unknown implementation 'nosuch'", "known: agentgateway"]),
                        ("gke@0.1", ["no bundled conformance report of gke 0.1",
                                     "bundled versions: 1.36.2-gke.2154000"])):
        result = invoke(["--isolated", *args, "--implementation", spec, "route.yaml"], tmp_path)
        assert result.exit_code == 2, result.output
        for text in texts:
            assert text in result.stderr, (text, result.stderr)


@pytest.mark.parametrize("name, text", [
    (".gwlint.yaml", "implementation: gke@1.36\n"),
    ("pyproject.toml", '[tool.gwlint]\nimplementation = "gke"\n'),
])
def test_configuration_key(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert _method_findings(tmp_path)  # judged by GKE, from the configuration file
    # the command line wins over the file
    assert not _method_findings(tmp_path, "--implementation", "envoy-gateway")


@pytest.mark.parametrize("text, message", [
    ("implementation: nosuch\n", ".gwlint.yaml:1: unknown implementation 'nosuch'"),
    ("implementation: gke@0.1\n", ".gwlint.yaml:1: no bundled conformance report of gke 0.1"),
    ("select: [GW701]\nimplementation: 1.28\n", ".gwlint.yaml:2: 'implementation' must be a "
                                                "string"),
    ("implementaton: gke\n", "(did you mean 'implementation'?)"),
])
def test_configuration_errors_name_the_file_and_line(tmp_path: Path, text: str,
                                                     message: str) -> None:
    (tmp_path / ".gwlint.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    result = invoke(["route.yaml"], tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr


def test_pre_commit_staged_accepts_the_option(tmp_path: Path) -> None:
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    result = invoke(["pre-commit-staged", "--isolated", "--select", "GW701", "--format", "json",
                     "--implementation", "gke", "route.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert [f["rule"] for f in json.loads(result.stdout)["findings"]] == ["GW701"]
