"""A GitOps repository linted as it is laid out: `gwlint .` reports exactly the planted problems.

`tests/gitops/repo` holds what such repositories hold: a Kustomize base (Gateway, HTTPRoute,
Service) with two overlays (staging: `namespace`, a component, `labels`, a strategic merge
patch; prod: `namespace`, `namePrefix`, the component, `configurations` teaching kustomize the
parentRefs/backendRefs fields, a strategic merge patch and a JSON 6902 patch), a Helm chart, an
Argo CD Application per plain directory (`legacy/`, `demo2/`: the same names in both), and YAML
that is not Kubernetes (kind cluster, CI, pre-commit, compose, renovate).

The planted problems, each checked against what `kustomize build` (v5.5) outputs for the
overlays:

1. base/route.yaml: backendRef port 8080 is the Service's targetPort (GW104), in both overlays;
2. overlays/prod/route-parent.yaml: the patch moves the parentRef to namespace `infra`, where no
   Gateway is (GW101), at the patch's line, prod only;
3. base/gateway.yaml: prod's `namePrefix` renames the component's Secret `web-tls` to
   `prod-web-tls`, and kustomize leaves the listener's certificateRef alone (GW802), prod only;
4. overlays/staging/kustomization.yaml: a patch whose target (a Deployment) matches nothing: the
   build silently lacks it (GW801 warning);
5. charts/web: no helm binary (`--helm ""`): the chart is not rendered (GW804 info) and its
   templates are not GW003 errors.

Nothing else: no finding on patch files linted as objects, kustomization files, Helm values,
CI configs, no GW006 between `legacy/` and `demo2/` (two Argo CD scopes).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gwlint.cli import main

REPO = Path(__file__).resolve().parent / "repo"
PROD, STAGING = "apps/shop/overlays/prod", "apps/shop/overlays/staging"

# (file, line, rule, severity, overlays): written from the planted problems above
EXPECTED = {
    ("apps/shop/base/route.yaml", 13, "GW104", "error", (PROD, STAGING)),
    ("apps/shop/overlays/prod/route-parent.yaml", 7, "GW101", "error", (PROD,)),
    ("apps/shop/base/gateway.yaml", 16, "GW802", "error", (PROD,)),
    ("apps/shop/overlays/staging/kustomization.yaml", 13, "GW801", "warning", (STAGING,)),
    ("charts/web/Chart.yaml", 2, "GW804", "info", ()),
}


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def lint_json(cwd: Path, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run([".", "--isolated", "--helm", "", "--format", "json", *args], cwd, env)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def found(doc: dict[str, Any]) -> set[tuple[Any, ...]]:
    return {(f["file"], f["line"], f["rule"], f["severity"], tuple(f["overlays"]))
            for f in doc["findings"]}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return lint_json(REPO)


def test_exactly_the_planted_problems(report: dict[str, Any]) -> None:
    assert found(report) == EXPECTED


def test_the_same_in_two_processes() -> None:
    """Large repositories are shared with a worker process, Kustomize components whole."""
    assert found(lint_json(REPO, env={"GWLINT_JOBS": "2"})) == EXPECTED


def test_messages_name_the_renamed_objects_and_the_overlay(report: dict[str, Any]) -> None:
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert "'prod-web' not found in namespace 'infra'" in by_rule["GW101"]["message"]
    assert "exists in namespace 'shop-prod'" in by_rule["GW101"]["hint"]
    stale = by_rule["GW802"]
    assert "renamed it to 'prod-web-tls'" in stale["message"]
    assert "apps/shop/overlays/prod/kustomization.yaml (namePrefix)" in stale["message"]
    assert "path: spec/listeners/tls/certificateRefs/name" in stale["hint"]
    assert stale["related"][0]["file"] == "apps/shop/components/tls/secret.yaml"
    assert by_rule["GW104"]["path"] == "/spec/rules/0/backendRefs/0/port"  # in the built object
    assert "helm template web charts/web | gwlint -" in by_rule["GW804"]["message"]


def test_summary_counts_skipped_documents_by_tool_and_lists_scopes(report: dict[str, Any]) -> None:
    summary = report["summary"]
    assert summary["skipped_by_tool"] == {"kustomize": 9, "helm": 2, "compose": 1, "github": 1,
                                          "kind": 1, "pre-commit": 1, "renovate": 1}
    assert summary["skipped_documents"] == 16
    assert summary["resources"] == 16  # 4 objects in each overlay, 3 in legacy and demo2, 2 apps
    scopes = {s["scope"]: s["why"] for s in summary["scopes"]}
    assert set(scopes) == {PROD, STAGING, "legacy", "demo2"}
    assert scopes["legacy"] == "Argo CD Application legacy deploys it"
    assert [b["root"] for b in summary["kustomize_builds"]] == [PROD, STAGING]
    assert summary["helm_charts"] == [{"chart": "charts/web", "rendered": False,
                                       "command": "helm template web charts/web | gwlint -"}]


def test_text_sarif_and_show_scopes() -> None:
    text = run([".", "--isolated", "--helm", "", "--verbose"], REPO).output
    assert (f"apps/shop/base/route.yaml:13:7: GW104 error   backendRef port 8080 is not a port "
            f"of Service 'prod-shop' in namespace 'shop-prod' (in {PROD}, {STAGING})") in text
    assert "16 documents skipped (not Kubernetes objects): kustomize 9, helm 2," in text
    assert "    kind-cluster.yaml: kind: kind cluster configuration (apiVersion group " \
        "'kind.x-k8s.io')" in text  # --verbose says which files, and why
    assert f"    {PROD}/route-parent.yaml: kustomize: a patch" in text
    assert "(16 resources, 2 Kustomize builds, 1 Helm chart)" in text
    sarif = json.loads(run([".", "--isolated", "--helm", "", "--format", "sarif"],
                           REPO).output)
    results = sarif["runs"][0]["results"]
    assert {tuple(r.get("properties", {}).get("overlays", ())) for r in results} == {
        overlays for *_, overlays in EXPECTED}
    scopes = run([".", "--isolated", "--show-scopes"], REPO)
    assert scopes.exit_code == 0
    assert scopes.output.splitlines()[0].split() == [PROD, "Kustomize", "root",
                                                     f"({PROD}/kustomization.yaml)"]
    assert "legacy  " in scopes.output and "Argo CD Application legacy deploys it" in scopes.output


def test_one_overlay_linted_alone_still_reads_its_base() -> None:
    doc = json.loads(run([PROD, "--isolated", "--format", "json"], REPO).output)
    assert found(doc) == {(f, line, rule, sev, (PROD,)) for f, line, rule, sev, roots in EXPECTED
                          if PROD in roots}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO, tmp_path / "repo")
    return tmp_path / "repo"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_suppressions_are_read_in_the_file_that_wrote_the_value(copy: Path) -> None:
    _edit(copy / "apps/shop/base/route.yaml", "      port: 8080",
          "      port: 8080  # gwlint: ignore[GW104]")
    _edit(copy / PROD / "route-parent.yaml", "  - name: web",
          "  - name: web  # gwlint: ignore[parent-ref-unresolved]")
    rules = {rule for _, _, rule, _, _ in found(lint_json(copy, "--select", "ALL"))}
    assert "GW104" not in rules and "GW101" not in rules
    assert "GW008" not in rules  # both suppressions were used


def test_annotation_set_by_an_overlay_suppresses_in_that_overlay_only(copy: Path) -> None:
    _edit(copy / STAGING / "kustomization.yaml", "labels:",
          "commonAnnotations:\n  gwlint.io/ignore: GW104\nlabels:")
    doc = lint_json(copy)
    assert ("apps/shop/base/route.yaml", 13, "GW104", "error", (PROD,)) in found(doc)


def test_patch_files_are_never_linted_as_objects(copy: Path) -> None:
    """Linted alone (outside any kustomization), the staging patch is a route without rules
    or parents; inside the layout it is only a patch."""
    doc = lint_json(copy)
    assert not any("route-hosts" in f["file"] for f in doc["findings"])
    shutil.rmtree(copy / "apps")
    alone = copy / "route-hosts.yaml"
    shutil.copy(REPO / STAGING / "route-hosts.yaml", alone)
    rules = {f["rule"] for f in lint_json(copy)["findings"] if f["file"] == "route-hosts.yaml"}
    assert {"GW212", "GW307"} <= rules


def test_without_argo_cd_the_plain_directories_share_one_graph(copy: Path) -> None:
    (copy / "argocd/apps.yaml").unlink()
    rules = [f["rule"] for f in lint_json(copy)["findings"] if f["file"].startswith("legacy/")]
    assert rules.count("GW006") == 3
    scoped = lint_json(copy, "--scope", "legacy", "--scope", "demo2")
    assert not [f for f in scoped["findings"] if f["rule"] == "GW006"]


def test_an_annotation_in_the_base_is_one_suppression_for_every_overlay(copy: Path) -> None:
    """Used in one overlay only (the finding is prod's), it is not reported unused (GW008)
    for the other; unused everywhere, it is reported once."""
    _edit(copy / "apps/shop/base/gateway.yaml", "  name: web\n",
          "  name: web\n  annotations:\n    gwlint.io/ignore: GW802\n")
    rules = [f["rule"] for f in lint_json(copy, "--select", "ALL")["findings"]]
    assert "GW802" not in rules and "GW008" not in rules
    _edit(copy / "apps/shop/base/gateway.yaml", "GW802", "GW311")
    unused = [f for f in lint_json(copy, "--select", "ALL")["findings"] if f["rule"] == "GW008"]
    assert [(f["file"], f["line"], f["overlays"]) for f in unused] == [
        ("apps/shop/base/gateway.yaml", 6, [PROD, STAGING])]


def test_scope_overrides_the_argo_cd_paths(copy: Path) -> None:
    """`--scope` always wins: given one, the Argo CD Applications name no scope, so `legacy/`
    and `demo2/` (the same names) share one graph again, and --show-scopes lists the glob."""
    doc = lint_json(copy, "--scope", "elsewhere/*")
    assert [f["rule"] for f in doc["findings"] if f["file"].startswith("legacy/")].count(
        "GW006") == 3
    assert {s["scope"]: s["why"] for s in doc["summary"]["scopes"]}["elsewhere/*"] == "--scope"
    assert "legacy" not in {s["scope"] for s in doc["summary"]["scopes"]}
    shown = run([".", "--isolated", "--show-scopes", "--scope", "elsewhere/*"], copy).output
    assert "Argo CD" not in shown and "elsewhere/*" in shown
