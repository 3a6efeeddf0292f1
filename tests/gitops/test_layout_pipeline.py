"""The layout through the whole pipeline (`gwlint .`): bad kustomizations become findings, never
tracebacks, in bounded time; inline patches are located inside the kustomization; files the
builds read outside the inputs; Helm rendering; configuration YAML."""

from __future__ import annotations

import json
import os
import stat
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gwlint.cli import main

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: web}]
  rules: [{backendRefs: [{name: shop, port: 80}]}]
"""
OBJECTS = ROUTE + """\
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: v1
kind: Service
metadata: {name: shop, namespace: shop}
spec: {ports: [{port: 80}]}
"""


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content))
    return root


def lint(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--helm", "", "--format", "json",
                                           *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def rows(doc: dict[str, Any]) -> set[tuple[str, int, str]]:
    return {(f["file"], f["line"], f["rule"]) for f in doc["findings"]}


BROKEN = {
    "yaml-syntax": ({"k/kustomization.yaml": "resources: [a.yaml\n"},
                    ("k/kustomization.yaml", "GW001")),
    "not-utf8": ({"k/kustomization.yaml": b"resources:\n- \xff\xfe.yaml\n"},
                 ("k/kustomization.yaml", "GW004")),
    "a-list": ({"k/kustomization.yaml": "- resources\n"}, ("k/kustomization.yaml", "GW801")),
    "two-documents": ({"k/kustomization.yaml": "resources: []\n---\nresources: []\n"},
                      ("k/kustomization.yaml", "GW801")),
    "unknown-field": ({"k/kustomization.yaml": "resources: []\nresource: [a.yaml]\n"},
                      ("k/kustomization.yaml", "GW801")),
    "resources-a-string": ({"k/kustomization.yaml": "resources: route.yaml\n"},
                           ("k/kustomization.yaml", "GW801")),
    "wrong-kind": ({"k/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                            "kind: Deployment\n"},
                   ("k/kustomization.yaml", "GW801")),
    "outside-the-tree": ({"k/kustomization.yaml": "resources: [/etc/passwd, ../../../../../x]\n"},
                         ("k/kustomization.yaml", "GW801")),
    "inline-patch-not-yaml": ({"k/kustomization.yaml": "resources: [r.yaml]\npatches:\n"
                                                       "- target: {kind: HTTPRoute}\n"
                                                       "  patch: '[{op: ['\n",
                               "k/r.yaml": ROUTE}, ("k/kustomization.yaml", "GW801")),
    "patch-target-regex-broken": ({"k/kustomization.yaml": "resources: [r.yaml]\npatches:\n"
                                                           "- path: p.yaml\n"
                                                           "  target: {name: '(('}\n",
                                   "k/r.yaml": ROUTE, "k/p.yaml": "[]\n"},
                                  ("k/kustomization.yaml", "GW801")),
    "generator-file-missing": ({"k/kustomization.yaml": "configMapGenerator:\n- name: x\n"
                                                        "  files: [nope.txt]\n"},
                               ("k/kustomization.yaml", "GW801")),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_kustomizations_are_findings(tmp_path: Path, case: str) -> None:
    files, (file, rule) = BROKEN[case]
    code, doc = lint(write(tmp_path, files))
    assert code == 1
    assert (file, rule) in {(f["file"], f["rule"]) for f in doc["findings"]}, doc["findings"]


def test_a_thousand_deep_chain_of_bases_is_bounded(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"base0/route.yaml": ROUTE,
                                     "base0/kustomization.yaml": "resources: [route.yaml]\n"}
    for i in range(1, 1000):
        files[f"base{i}/kustomization.yaml"] = f"resources: [../base{i - 1}]\n"
    write(tmp_path, files)
    start = time.perf_counter()
    code, doc = lint(tmp_path)
    elapsed = time.perf_counter() - start
    assert code == 1 and elapsed < 60
    deep = [f for f in doc["findings"] if f["rule"] == "GW801"]
    assert len(deep) == 1 and "more than 100 nested kustomizations" in deep[0]["message"]
    assert deep[0]["overlays"] == ["base999"]


def test_include_cycles_and_self_inclusion(tmp_path: Path) -> None:
    write(tmp_path, {"a/kustomization.yaml": "resources: [../b, r.yaml]\n", "a/r.yaml": ROUTE,
                     "b/kustomization.yaml": "resources: [../a]\n",
                     "c/kustomization.yaml": "resources: [.]\n"})
    code, doc = lint(tmp_path)
    cycles = [f for f in doc["findings"] if "include cycle" in f["message"]]
    assert code == 1 and {f["file"] for f in cycles} == {"b/kustomization.yaml",
                                                          "c/kustomization.yaml"}


def test_inline_patches_are_located_in_the_kustomization(tmp_path: Path) -> None:
    """A mistake an inline patch introduces is reported at its line in the block scalar."""
    write(tmp_path, {"base/kustomization.yaml": "resources: [objects.yaml]\n",
                     "base/objects.yaml": OBJECTS,
                     "prod/kustomization.yaml": """\
                         resources: [../base]
                         patches:
                         - target: {kind: HTTPRoute, name: shop}
                           patch: |-
                             - op: replace
                               path: /spec/parentRefs/0/name
                               value: webb
                         - patch: |-
                             apiVersion: gateway.networking.k8s.io/v1
                             kind: HTTPRoute
                             metadata: {name: shop, namespace: shop}
                             spec:
                               rules:
                               - backendRefs:
                                 - name: shop
                                   port: 8080
                         """})
    _, doc = lint(tmp_path)
    found = {(f["file"], f["line"], f["column"], f["rule"]) for f in doc["findings"]}
    assert found == {("prod/kustomization.yaml", 7, 7, "GW101"),  # the patched name
                     ("prod/kustomization.yaml", 16, 11, "GW104"),
                     ("base/objects.yaml", 13, 15, "GW210")}  # no route attaches any more


def test_overlay_linted_alone_reads_its_base_outside_the_inputs(tmp_path: Path) -> None:
    write(tmp_path, {"base/kustomization.yaml": "resources: [objects.yaml]\n",
                     "base/objects.yaml": OBJECTS.replace("port: 80}]}]", "port: 81}]}]", 1),
                     "prod/kustomization.yaml": "resources: [../base]\nnamespace: prod\n"})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["prod", "--isolated", "--format", "json"])
    finally:
        os.chdir(old)
    doc = json.loads(result.output)
    assert rows(doc) == {("base/objects.yaml", 6, "GW104")}
    assert doc["summary"]["files"] == 3  # the overlay's kustomization and the base's two files


def test_helm_chart_rendered_by_a_helm_binary(tmp_path: Path) -> None:
    """Rendered output is linted with Helm's `# Source:` names made the chart's real paths,
    each chart in its own scope."""
    helm = tmp_path / "bin" / "helm"
    helm.parent.mkdir()
    helm.write_text("#!/bin/sh\ncat <<'EOF'\n---\n# Source: web/templates/route.yaml\n"
                    + ROUTE + "EOF\n")
    helm.chmod(helm.stat().st_mode | stat.S_IEXEC)
    write(tmp_path, {"charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
                     "charts/web/templates/route.yaml": "name: {{ .Release.Name }}\n",
                     "charts/web/values.yaml": "x: 1\n"})
    _, doc = lint(tmp_path, "--helm", str(helm))
    assert {(f["file"], f["line"], f["rule"]) for f in doc["findings"]} == {
        ("charts/web/templates/route.yaml", 5, "GW101"),
        ("charts/web/templates/route.yaml", 6, "GW102")}
    assert doc["summary"]["helm_charts"] == [{"chart": "charts/web", "rendered": True}]
    assert doc["summary"]["skipped_by_tool"] == {"helm": 2}
    failing = tmp_path / "bin" / "broken-helm"
    failing.write_text("#!/bin/sh\necho 'Error: template: boom' >&2\nexit 1\n")
    failing.chmod(helm.stat().st_mode)
    _, doc = lint(tmp_path, "--helm", str(failing))
    [note] = doc["findings"]
    assert note["rule"] == "GW804" and "helm template failed: Error: template: boom" in \
        note["message"]


def test_configuration_yaml_is_skipped_and_objects_of_kubernetes_groups_kept(
        tmp_path: Path) -> None:
    write(tmp_path, {
        "kind.yaml": "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n",
        "Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.0.0\n",
        ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        "values.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                       "metadata: {}\n",
        "k/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                "kind: Kustomization\nresources: []\n"})
    _, doc = lint(tmp_path)
    # a route in a values file is a route; a Chart.yaml makes its directory a chart
    assert rows(doc) == {("values.yaml", 3, "GW007"), ("Chart.yaml", 2, "GW804")}
    assert doc["summary"]["skipped_by_tool"] == {"github": 1, "helm": 1, "kind": 1,
                                                 "kustomize": 1}


def test_argo_cd_destination_namespace_for_objects_without_one(tmp_path: Path) -> None:
    """Argo CD applies the objects of its path, plain or built by Kustomize, without a namespace
    to `spec.destination.namespace`: gwlint resolves them there, not in `default`."""
    write(tmp_path, {
        "argocd/apps.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              source: {path: apps/web}
              destination: {namespace: web}
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop, namespace: argocd}
            spec:
              source: {path: shop/prod}
              destination: {namespace: shop}
            """,
        "apps/web/route.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                               "metadata: {name: web}\nspec:\n  parentRefs: [{name: gw}]\n",
        "shop/base/kustomization.yaml": "resources: [route.yaml]\n",
        "shop/base/route.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                                "metadata: {name: shop}\nspec:\n  parentRefs: [{name: gw}]\n",
        "shop/prod/kustomization.yaml": "resources: [../base]\n"})
    _, doc = lint(tmp_path, "--select", "GW101")
    assert sorted(f["message"] for f in doc["findings"]) == [
        "parentRef Gateway 'gw' not found in namespace 'shop'",
        "parentRef Gateway 'gw' not found in namespace 'web'"]


def test_applicationset_and_flux_paths_are_scopes(tmp_path: Path) -> None:
    """An ApplicationSet's Git directory glob makes each matching directory a scope, a Flux
    Kustomization's `spec.path` one more; the same names in each are then no conflict, and
    --show-scopes says why. Without them, the directories share one graph (GW006)."""
    write(tmp_path, {
        "apps/a/objects.yaml": OBJECTS, "apps/b/objects.yaml": OBJECTS,
        "clusters/x/objects.yaml": OBJECTS,
        "argocd/appset.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata: {name: envs, namespace: argocd}
            spec:
              generators:
              - git:
                  repoURL: https://git.example.com/repo.git
                  directories: [{path: apps/*}]
              template:
                metadata: {name: '{{path.basename}}'}
                spec:
                  source: {repoURL: https://git.example.com/repo.git, path: '{{path}}'}
                  destination: {namespace: '{{path.basename}}'}
            """,
        "flux/ks.yaml": """\
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: x, namespace: flux-system}
            spec:
              interval: 10m
              path: ./clusters/x
              sourceRef: {kind: GitRepository, name: flux-system}
            """})
    code, doc = lint(tmp_path)
    assert code == 0 and doc["findings"] == []
    assert {s["scope"]: s["why"] for s in doc["summary"]["scopes"]} == {
        "apps/*": "Argo CD ApplicationSet envs deploys each directory it matches",
        "clusters/x": "Flux Kustomization x applies it"}
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        shown = CliRunner().invoke(main, [".", "--isolated", "--show-scopes"]).output
    finally:
        os.chdir(old)
    assert "apps/*" in shown and "[argocd/appset.yaml]" in shown and "[flux/ks.yaml]" in shown
    (tmp_path / "argocd/appset.yaml").unlink()
    (tmp_path / "flux/ks.yaml").unlink()
    _, shared = lint(tmp_path)
    assert "GW006" in {f["rule"] for f in shared["findings"]}


def test_a_kustomization_at_the_top_of_the_repository(tmp_path: Path) -> None:
    """`gwlint .` where `.` holds the root kustomization: its files are below it, not outside
    (a false GW801 that built nothing), and its mistakes are found."""
    write(tmp_path, {"kustomization.yaml": "resources: [objects.yaml, apps/svc.yaml]\n"
                                           "namespace: shop\n",
                     "objects.yaml": OBJECTS.replace("port: 80}]}]", "port: 8080}]}]", 1),
                     "apps/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: two}\n"
                                      "spec: {ports: [{port: 80}]}\n"})
    code, doc = lint(tmp_path)
    assert code == 1
    assert rows(doc) == {("objects.yaml", 6, "GW104")}
    assert doc["summary"]["kustomize_builds"][0]["root"] == "."
    assert doc["summary"]["resources"] == 4


def test_files_beside_a_kustomization_that_none_lists_are_never_applied(tmp_path: Path) -> None:
    """kustomize, Argo CD and Flux build a directory holding a kustomization file from that
    file alone: a stale patch left beside an overlay's kustomization is never applied, so it is
    skipped (--verbose says why), not linted as a route without rules or parents. A file in a
    subdirectory the kustomization does not list is a directory of its own: linted."""
    write(tmp_path, {
        "base/kustomization.yaml": "resources: [objects.yaml]\n", "base/objects.yaml": OBJECTS,
        "prod/kustomization.yaml": "resources: [../base]\nnamespace: prod\n",
        "prod/old-patch.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                               "metadata: {name: shop}\nspec:\n  hostnames: [old.example.com]\n",
        "prod/extra/route.yaml": ROUTE,
        # a kustomization that does not load builds nothing: its siblings are not objects either
        "broken/kustomization.yaml": "resources: [route.yaml\n", "broken/route.yaml": ROUTE})
    _, doc = lint(tmp_path)
    assert not [f for f in doc["findings"] if f["file"] == "prod/old-patch.yaml"]
    assert {(f["file"], f["rule"]) for f in doc["findings"]} == {
        ("prod/extra/route.yaml", "GW101"), ("prod/extra/route.yaml", "GW102"),
        ("broken/kustomization.yaml", "GW001")}  # the route alone: no Gateway, no Service
    assert doc["summary"]["skipped_by_tool"] == {"kustomize": 4}
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        text = CliRunner().invoke(main, [".", "--isolated", "--verbose"]).output
    finally:
        os.chdir(old)
    assert ("prod/old-patch.yaml: kustomize: in a kustomization's directory but listed by no "
            "kustomization: never applied") in text


def test_an_overlay_linted_from_its_own_directory_reads_its_base(tmp_path: Path) -> None:
    """`cd overlays/prod && gwlint .`, as `kustomize build .` runs there: in a Git work tree the
    builds read the whole work tree (the base's mistake is found, in that overlay); outside one,
    the linted directory is the limit and the base is a GW801, never read."""
    write(tmp_path, {"base/kustomization.yaml": "resources: [objects.yaml]\n",
                     "base/objects.yaml": OBJECTS.replace("port: 80}]}]", "port: 8080}]}]", 1),
                     "overlays/prod/kustomization.yaml": "resources: [../../base]\n"})
    overlay = tmp_path / "overlays" / "prod"
    _, alone = lint(overlay)
    assert [(f["rule"], f["message"]) for f in alone["findings"]] == [
        ("GW801", "'../../base' is outside the linted tree; not read")]
    (tmp_path / ".git").mkdir()
    _, in_git = lint(overlay)
    [finding] = in_git["findings"]
    assert finding["rule"] == "GW104" and finding["line"] == 6
    assert Path(finding["file"]).resolve() == (tmp_path / "base" / "objects.yaml").resolve()
    assert finding["overlays"] == ["."]


def test_every_kustomization_file_name_is_found(tmp_path: Path) -> None:
    """kustomize reads `kustomization.yaml`, `kustomization.yml` or `Kustomization`
    (https://kubectl.docs.kubernetes.io/references/kustomize/glossary/#kustomization-root):
    each is a root, built, and never linted as an object."""
    write(tmp_path, {"a/kustomization.yaml": "resources: [objects.yaml]\nnamespace: a\n",
                     "b/kustomization.yml": "resources: [objects.yaml]\nnamespace: b\n",
                     "c/Kustomization": "resources: [objects.yaml]\nnamespace: c\n",
                     **{f"{d}/objects.yaml": OBJECTS for d in "abc"}})
    code, doc = lint(tmp_path)
    assert code == 0 and doc["findings"] == []
    assert [(b["root"], b["kustomization"]) for b in doc["summary"]["kustomize_builds"]] == [
        ("a", "a/kustomization.yaml"), ("b", "b/kustomization.yml"), ("c", "c/Kustomization")]
    assert doc["summary"]["resources"] == 9 and doc["summary"]["skipped_by_tool"] == {
        "kustomize": 3}
