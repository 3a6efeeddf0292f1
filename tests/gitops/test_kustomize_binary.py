"""Roots with features the native builder does not apply, built by a `kustomize` binary.

No kustomize binary is installed here, and a test must not depend on one: each test writes a
fake `kustomize` (a small Python script) that logs how it was run and prints what a real
`kustomize build` prints for the tree (the outputs below follow kustomize v5's documented
semantics for namePrefix, a builtin PatchTransformer and helmCharts), fails, sleeps past the
timeout or prints without end."""

from __future__ import annotations

import json
import os
import stat
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.gitops import kustomize_binary
from gwlint.gitops.kustomize import Builder, LocalFiles
from gwlint.gitops.kustomize_binary import rebuild
from gwlint.gitops.origins import Written
from gwlint.gitops.tools import run

BASE = {
    "base/kustomization.yaml": "resources: [gateway.yaml, route.yaml, service.yaml]\n",
    "base/gateway.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: shop}
        spec:
          gatewayClassName: envoy
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """,
    "base/route.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: shop}
        spec:
          parentRefs:
          - name: web
          rules:
          - backendRefs:
            - name: shop
              port: 80
        """,
    "base/service.yaml": """\
        apiVersion: v1
        kind: Service
        metadata: {name: shop, namespace: shop}
        spec: {ports: [{port: 80}]}
        """,
}
# namePrefix renames the Gateway and the Service; a builtin PatchTransformer configuration
# (`transformers`, which gwlint does not apply) writes the Gateway's new name into the route's
# parentRef (kustomize's name references do not know Gateway API fields, so the backendRef keeps
# the old Service name)
OVERLAY = """\
    resources: [../../base]
    namePrefix: prod-
    transformers: [parent-ref.yaml]
    """
PARENT_REF = """\
    apiVersion: builtin
    kind: PatchTransformer
    metadata: {name: parent-ref}
    target: {kind: HTTPRoute}
    patch: '[{"op": "replace", "path": "/spec/parentRefs/0/name", "value": "prod-web"}]'
    """
# `kustomize build overlays/prod` of BASE + OVERLAY (kustomize v5 orders Services first)
BUILT = """\
apiVersion: v1
kind: Service
metadata:
  name: prod-shop
  namespace: shop
spec:
  ports:
  - port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: prod-web
  namespace: shop
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: prod-shop
  namespace: shop
spec:
  parentRefs:
  - name: prod-web
  rules:
  - backendRefs:
    - name: shop
      port: 80
"""

FAKE = """\
#!{python}
import json, os, sys, time
with open({log!r}, "a") as f:
    f.write(json.dumps({{"argv": sys.argv[1:], "cwd": os.getcwd(),
                        "env": sorted(os.environ), "proxy": os.environ.get("HTTPS_PROXY"),
                        "git": os.environ.get("GIT_ALLOW_PROTOCOL"),
                        "stdin": sys.stdin.read()}}) + "\\n")
mode = {mode!r}
if mode == "fail":
    sys.stderr.write("Error: accumulating resources: boom\\nsecond line\\n")
    sys.exit(1)
if mode == "sleep":
    time.sleep(30)
if mode == "endless":
    while True:
        sys.stdout.write("x" * 65536)
sys.stdout.write({output!r})
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def fake(directory: Path, mode: str = "print", output: str = BUILT,
         name: str = "kustomize") -> tuple[str, Path]:
    """A fake kustomize in `directory` and the log of its runs."""
    directory.mkdir(parents=True, exist_ok=True)
    log = directory / f"{name}.log"
    path = directory / name
    path.write_text(FAKE.format(python=sys.executable, log=str(log), mode=mode,
                                output=output))
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path), log


def runs(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def lint(root: Path, *args: str) -> dict[str, Any]:
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--helm", "", "--format", "json",
                                           "--jobs", "1", *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, Any] = json.loads(result.output)
    return doc


def rows(doc: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["file"], f["line"], f["rule"]) for f in doc["findings"]}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write(root, {**BASE, "overlays/prod/kustomization.yaml": OVERLAY,
                 "overlays/prod/parent-ref.yaml": PARENT_REF})
    return root


def test_without_the_binary_the_native_build_reports_the_feature(repo: Path) -> None:
    doc = lint(repo, "--kustomize", "")
    # the transformer is not applied: both references keep the old names (and the renamed
    # Gateway's listener has no route)
    assert rows(doc) == {("base/route.yaml", 6, "GW802"), ("base/route.yaml", 9, "GW802"),
                         ("base/gateway.yaml", 6, "GW210"),
                         ("overlays/prod/kustomization.yaml", 3, "GW803")}
    [info] = [f for f in doc["findings"] if f["rule"] == "GW803"]
    assert "transformer plugins (transformers) not applied by gwlint" in info["message"]
    assert doc["summary"]["kustomize_builds"][0]["complete"] is True  # nothing left out but it


def test_an_unsupported_root_is_built_by_the_binary(repo: Path, tmp_path: Path) -> None:
    binary, log = fake(tmp_path / "bin")
    doc = lint(repo, "--kustomize", binary)
    [ran] = runs(log)
    assert ran["argv"] == ["build", "overlays/prod"]  # to standard output: no -o, no plugins
    assert ran["stdin"] == ""
    assert ran["proxy"] == "http://127.0.0.1:9" and ran["git"] == "file"  # offline
    assert set(ran["env"]) <= {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "HELM_NO_PLUGINS",
                               "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy",
                               "https_proxy", "all_proxy", "GIT_ALLOW_PROTOCOL",
                               "GIT_TERMINAL_PROMPT", "LC_CTYPE"}
    # the transformer fixed the parentRef; the backendRef still names the old Service, at the
    # line of the base that wrote it
    assert rows(doc) == {("base/route.yaml", 9, "GW802"),
                         ("overlays/prod/kustomization.yaml", 3, "GW803")}
    [info] = [f for f in doc["findings"] if f["rule"] == "GW803"]
    assert info["message"] == ("transformer plugins (transformers) not applied by gwlint; the "
                               "root was built with the "
                               "kustomize binary, which applies it")
    assert info["overlays"] == ["overlays/prod"]
    assert doc["summary"]["kustomize_builds"] == [
        {"root": "overlays/prod", "kustomization": "overlays/prod/kustomization.yaml",
         "scope": "overlays/prod", "resources": 3, "complete": True}]


def test_objects_map_back_to_the_lines_that_wrote_them(repo: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    binary, _ = fake(tmp_path / "bin")
    monkeypatch.chdir(repo)
    builder = Builder(LocalFiles("."))
    built = rebuild(builder.build("overlays/prod"), "overlays/prod", builder, binary)
    route = next(o for o in built.objects if o.body["kind"] == "HTTPRoute")
    assert route.body["spec"]["parentRefs"] == [{"name": "prod-web"}]  # kustomize's body
    # values the native build wrote: where they were written (the base, the namePrefix)
    assert route.origins.lookup(("spec", "rules", 0, "backendRefs", 0, "name")) == Written(
        "base/route.yaml", 0, ("spec", "rules", 0, "backendRefs", 0, "name"))
    # the value only the binary wrote: at the entry of the feature that wrote it
    assert route.origins.lookup(("spec", "parentRefs", 0, "name")) == Written(
        "overlays/prod/kustomization.yaml", 0, ("transformers",))
    assert route.original.name == "shop" and route.current().name == "prod-shop"
    assert built.complete


CHART = """\
    resources: [../../base]
    helmCharts:
    - name: extra
      releaseName: extra
    buildMetadata: [originAnnotations]
    """


def _annotated(text: str, path: str) -> str:
    """`text` (one object) with the origin annotation kustomize writes for a resource file."""
    return text.replace("  namespace: shop\n", "  namespace: shop\n  annotations:\n"
                        f"    config.kubernetes.io/origin: |\n      path: {path}\n", 1)


# the base, and the chart's output (an object the native build does not have)
CHART_OUTPUT = "---\n".join(
    _annotated(text, f"../../base/{name}.yaml")
    for text, name in zip(BUILT.replace("prod-", "").split("---\n"),
                          ("service", "gateway", "route"), strict=True)) + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: extra
  namespace: shop
  annotations:
    config.kubernetes.io/origin: |
      configuredIn: kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: HelmChartInflationGenerator
        name: extra
spec:
  parentRefs:
  - name: missing
"""


def test_objects_the_native_build_lacks_are_located_at_the_feature(
        tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(root, {**BASE, "overlays/prod/kustomization.yaml": CHART,
                 "overlays/prod/charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\n"
                                                         "version: 1.0.0\n"})
    binary, log = fake(tmp_path / "bin", output=CHART_OUTPUT)
    helm = tmp_path / "bin" / "helm"
    helm.write_text("#!/bin/sh\nexit 0\n")
    helm.chmod(0o755)
    doc = lint(root, "--kustomize", binary, "--helm", str(helm))
    [ran] = runs(log)
    assert ran["argv"] == ["build", "overlays/prod", "--enable-helm", "--helm-command",
                           str(helm)]
    # the chart's route and its parentRef to a Gateway that does not exist: at helmCharts
    assert ("overlays/prod/kustomization.yaml", 2, "GW101") in rows(doc)
    assert not [f for f in doc["findings"] if f["file"].startswith("base/")]
    # no helm binary: kustomize cannot inflate the chart; the native build stays, and says why
    doc = lint(root, "--kustomize", binary)
    assert len(runs(log)) == 1
    assert any("need a helm binary" in f["message"] for f in doc["findings"])


def test_an_object_the_binary_renamed_is_located_by_its_origin_annotation(
        repo: Path, tmp_path: Path) -> None:
    # a transformer renamed the route (no id of the native build matches it): kustomize's
    # origin annotation names its file, where its values are located
    write(repo, {"overlays/prod/kustomization.yaml":
                 OVERLAY + "buildMetadata: [originAnnotations]\n"})
    output = BUILT.replace("name: prod-shop\n  namespace: shop\nspec:\n  parentRefs",
                           "name: renamed\n  namespace: shop\nspec:\n  parentRefs")
    output = "---\n".join(_annotated(text, f"../../base/{name}.yaml") for text, name in zip(
        output.split("---\n"), ("service", "gateway", "route"), strict=True))
    assert "name: renamed" in output
    binary, log = fake(tmp_path / "bin", output=output)
    doc = lint(repo, "--kustomize", binary)
    assert len(runs(log)) == 1
    assert rows(doc) == {("base/route.yaml", 9, "GW802"),
                         ("overlays/prod/kustomization.yaml", 3, "GW803")}


def test_a_chart_kustomize_would_download_is_never_built(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    # a chart with repo and version is looked for in charts/NAME-VERSION/NAME
    chart = CHART.replace("releaseName: extra\n", "releaseName: extra\n      repo: "
                          "https://charts.example.com\n      version: 1.0.0\n")
    write(root, {**BASE, "overlays/prod/kustomization.yaml": chart,
                 "overlays/prod/charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\n"})
    binary, log = fake(tmp_path / "bin", output=CHART_OUTPUT)
    doc = lint(root, "--kustomize", binary)
    assert runs(log) == []
    assert any("kustomize would download it" in f["message"] for f in doc["findings"])


@pytest.mark.parametrize("entry", [
    "resources: [../../base, 'https://github.com/example/routes//base?ref=v1']",
    "resources: [../../base, github.com/example/routes/base]",
    "resources: [../../base]\ncomponents: ['git@github.com:example/c.git']",
    "resources: [../../base]\nreplacements: [{path: 'https://example.com/r.yaml'}]",
    "resources: [../../base]\nconfigurations: ['https://example.com/refs.yaml']",
])
def test_roots_reading_anything_remote_never_run_the_binary(tmp_path: Path, entry: str) -> None:
    root = tmp_path / "repo"
    write(root, {**BASE, "overlays/prod/kustomization.yaml": entry + "\n"})
    binary, log = fake(tmp_path / "bin")
    doc = lint(root, "--kustomize", binary)
    assert runs(log) == []
    assert not any("kustomize binary" in f["message"] for f in doc["findings"])


def test_supported_and_broken_roots_never_run_the_binary(repo: Path, tmp_path: Path) -> None:
    write(repo, {"overlays/prod/kustomization.yaml": "resources: [../../base]\n"
                                                     "namePrefix: prod-\n",
                 "overlays/dev/kustomization.yaml": "resources: [../../base, missing.yaml]\n"
                                                    "replacements: []\n"})
    binary, log = fake(tmp_path / "bin")
    doc = lint(repo, "--kustomize", binary)
    assert runs(log) == []  # prod: fully supported; dev: broken (GW801 says why)
    assert ("overlays/dev/kustomization.yaml", 1, "GW801") in rows(doc)


def test_failure_and_timeout_keep_the_native_build(repo: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    native = lint(repo, "--kustomize", "")
    failing, log = fake(tmp_path / "bin", mode="fail")
    doc = lint(repo, "--kustomize", failing)
    assert len(runs(log)) == 1
    notes = [f for f in doc["findings"] if "kustomize build failed" in f["message"]]
    assert [(n["file"], n["line"], n["rule"], n["severity"]) for n in notes] == [
        ("overlays/prod/kustomization.yaml", 1, "GW803", "info")]
    assert notes[0]["message"].startswith(
        "kustomize build failed (exit code 1): Error: accumulating resources: boom / second "
        "line; linted with gwlint's own build")
    assert rows(doc) - {("overlays/prod/kustomization.yaml", 1, "GW803")} == rows(native)
    monkeypatch.setattr(kustomize_binary, "TIMEOUT", 0.5)
    sleeping, _ = fake(tmp_path / "slow", mode="sleep")
    start = time.monotonic()
    doc = lint(repo, "--kustomize", sleeping)
    assert time.monotonic() - start < 10
    assert any("kustomize build failed (took more than 0.5 s)" in f["message"]
               for f in doc["findings"])
    assert rows(doc) - {("overlays/prod/kustomization.yaml", 1, "GW803")} == rows(native)


def test_endless_output_is_cut_at_the_cap(repo: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kustomize_binary, "MAX_OUTPUT", 200_000)
    endless, _ = fake(tmp_path / "bin", mode="endless")
    start = time.monotonic()
    doc = lint(repo, "--kustomize", endless)
    assert time.monotonic() - start < 10
    assert any("kustomize build failed (output over 200,000 bytes)" in f["message"]
               for f in doc["findings"])


def test_kustomize_on_path_is_the_default_and_empty_turns_it_off(
        repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, log = fake(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    lint(repo, "--kustomize", "")
    assert runs(log) == []
    doc = lint(repo)
    assert len(runs(log)) == 1
    assert ("base/route.yaml", 6, "GW802") not in rows(doc)
    # a given path that is no executable: never run, the native build stays
    doc = lint(repo, "--kustomize", str(tmp_path / "nowhere"))
    assert len(runs(log)) == 1
    assert ("base/route.yaml", 6, "GW802") in rows(doc)


def test_the_runner_closes_stdin_and_kills_what_the_tool_started(tmp_path: Path) -> None:
    ran = run([sys.executable, "-c", "import sys; print(repr(sys.stdin.read()))"], timeout=30,
              max_output=100)
    assert ran.stdout == b"''\n" and ran.failure is None
    start = time.monotonic()
    ran = run(["/bin/sh", "-c", "sleep 30 & sleep 30"], timeout=0.3, max_output=100)
    assert ran.stdout is None and ran.failure == "took more than 0.3 s"
    assert time.monotonic() - start < 10  # the background child holds no pipe open
    ran = run([str(tmp_path / "missing")], timeout=1, max_output=1)
    assert ran.failure is not None and ran.failure.startswith("cannot run")
