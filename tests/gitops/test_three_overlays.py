"""The same base mistake in three overlays is one finding naming the three overlays, in text,
JSON and SARIF; a mistake one overlay's patch writes is reported once, at the patch's line, for
that overlay only (issue: "the same base problem in three overlays is one finding with three
overlays, not three findings. JSON/SARIF carry the overlay list")."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gwlint.cli import main

OVERLAYS = ("overlays/dev", "overlays/prod", "overlays/staging")
BASE = {
    "base/kustomization.yaml": "resources: [gateway.yaml, route.yaml, service.yaml]\n",
    "base/gateway.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web}
        spec:
          gatewayClassName: envoy
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """,
    # line 9: port 8080 is the Service's targetPort, not one of its ports (GW104)
    "base/route.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs: [{name: web}]
          rules:
          - backendRefs:
            - name: shop
              port: 8080
        """,
    "base/service.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: shop}
        spec:
          ports: [{port: 80, targetPort: 8080}]
        """,
    # prod's patch moves the parentRef to a namespace without a Gateway (GW101 at the entry, line 6)
    "overlays/prod/parent.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop}
        spec:
          parentRefs:
          - name: web
            namespace: infra
        """,
}
for _overlay in OVERLAYS:
    _env = _overlay.rsplit("/", 1)[1]
    _patch = "patches: [{path: parent.yaml}]\n" if _env == "prod" else ""
    BASE[f"{_overlay}/kustomization.yaml"] = f"resources: [../../base]\nnamespace: {_env}\n{_patch}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("three")
    for rel, text in BASE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(textwrap.dedent(text))
    return root


def run(root: Path, *args: str) -> str:
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--select", "GW104,GW101", *args],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    return result.output


def test_json_one_finding_with_three_overlays(repo: Path) -> None:
    doc: dict[str, Any] = json.loads(run(repo, "--format", "json"))
    rows = sorted((f["file"], f["line"], f["rule"], tuple(f["overlays"]))
                  for f in doc["findings"])
    assert rows == [("base/route.yaml", 9, "GW104", OVERLAYS),
                    ("overlays/prod/parent.yaml", 6, "GW101", ("overlays/prod",))]
    assert doc["summary"]["findings"]["error"] == 2


def test_text_names_the_three_overlays_once(repo: Path) -> None:
    text = run(repo)
    [line] = [x for x in text.splitlines() if "GW104" in x]
    assert line.startswith("base/route.yaml:9:")
    assert line.endswith("(in overlays/dev, overlays/prod, overlays/staging)  "
                         "[backend-port-unknown]")
    [parent] = [x for x in text.splitlines() if "GW101" in x]
    assert parent.startswith("overlays/prod/parent.yaml:6:") and "(in overlays/prod)" in parent
    assert text.rstrip().splitlines()[-1].startswith("2 errors,")


def test_sarif_carries_the_overlay_list(repo: Path) -> None:
    results = json.loads(run(repo, "--format", "sarif"))["runs"][0]["results"]
    got = sorted((r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  r["locations"][0]["physicalLocation"]["region"]["startLine"],
                  tuple(r["properties"]["overlays"])) for r in results)
    assert got == [("GW101", "overlays/prod/parent.yaml", 6, ("overlays/prod",)),
                   ("GW104", "base/route.yaml", 9, OVERLAYS)]
