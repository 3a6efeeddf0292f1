"""`--implementation` / `implementation:` chooses the status model's implementation profile by
every name the option accepts (an alias, any case, with a version), not only the exact name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.status.profiles import SPEC_PROFILE, profile_for

# a backendRef port the Service does not have: the spec says BackendNotFound, Envoy Gateway
# writes PortNotFound (gwlint/status/profiles.py); the class names a controller gwlint does not
# know, so only the chosen implementation can pick Envoy Gateway's profile
MANIFESTS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: cls}
spec: {controllerName: example.com/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: cls
  listeners:
  - {name: http, port: 80, protocol: HTTP}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: infra}
spec: {ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: r, namespace: infra}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: web, port: 8080}]}]
"""

NAMES = ["envoy-gateway", "envoy", "Envoy-Gateway", " envoy ", "envoy@v1.9", "ENVOY@1.9.0"]


@pytest.mark.parametrize("spec", NAMES)
def test_profile_for_accepts_every_name_of_the_implementation(spec: str) -> None:
    assert profile_for(None, spec).name == "envoy-gateway"


def test_implementations_without_a_profile_follow_the_spec() -> None:
    assert profile_for(None, "gke") is SPEC_PROFILE
    assert profile_for(None, "nosuch") is SPEC_PROFILE  # library callers: never raises


def _reasons(tmp_path: Path, args: list[str]) -> list[str | None]:
    (tmp_path / "m.yaml").write_text(MANIFESTS, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["--format", "json", "--select", "GW104", *args,
                                           "m.yaml"], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    return [p["reason"] for f in json.loads(result.stdout)["findings"] for p in f["predicts"]]


@pytest.mark.parametrize("spec", ["envoy", "Envoy-Gateway@v1.9"])
def test_findings_predict_the_chosen_implementations_reason(tmp_path: Path, spec: str) -> None:
    assert _reasons(tmp_path, ["--isolated"]) == ["BackendNotFound"]
    assert _reasons(tmp_path, ["--isolated", "--implementation", spec]) == ["PortNotFound"]
    (tmp_path / ".gwlint.yaml").write_text(f"implementation: {spec}\n", encoding="utf-8")
    assert _reasons(tmp_path, []) == ["PortNotFound"]


def _status(tmp_path: Path, args: list[str]) -> tuple[int, str, str]:
    (tmp_path / "m.yaml").write_text(MANIFESTS, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["status", "--isolated", "--format", "json", "--focus",
                                           "HTTPRoute/infra/r", *args, "m.yaml"],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout, result.stderr


def test_gwlint_status_takes_the_implementation(tmp_path: Path) -> None:
    def reasons(args: list[str]) -> list[str]:
        code, out, err = _status(tmp_path, args)
        assert code == 0, err
        [route] = json.loads(out)["items"]
        return [c["reason"] for p in route["status"]["parents"] for c in p["conditions"]]

    assert reasons([]) == ["Accepted", "BackendNotFound"]
    assert reasons(["--implementation", "envoy"]) == ["Accepted", "PortNotFound"]
    code, out, err = _status(tmp_path, ["--implementation", "nosuch"])
    assert code == 2 and out == "" and "unknown implementation 'nosuch'" in err
