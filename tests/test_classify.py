"""Only Kubernetes objects are objects: every table entry of gwlint.classify, tested."""

from __future__ import annotations

import pytest

from gwlint.classify import (
    CONFIG,
    CONFIG_FILES,
    CONFIG_GROUPS,
    KUBERNETES,
    KUBERNETES_GROUPS,
    classify_document,
    classify_path,
)

SERVICE = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}


def _example_path(pattern: str) -> str:
    """A concrete path matched by a table glob."""
    path = pattern.replace("**/", "deploy/app/").replace("/**", "/workflows/ci.yml")
    return path.replace("*", "x")


@pytest.mark.parametrize(("pattern", "tool", "why"), CONFIG_FILES,
                         ids=[p for p, _, _ in CONFIG_FILES])
def test_every_config_file_pattern(pattern: str, tool: str, why: str) -> None:
    path = _example_path(pattern)
    result = classify_path(path)
    assert result is not None and result.kind == CONFIG and result.tool == tool, path
    # at the repository root too, for `**/` patterns
    if pattern.startswith("**/"):
        assert classify_path(pattern[3:].replace("*", "x")) is not None
    # a document without apiVersion/kind in that file is configuration, with the reason
    assert classify_document({"key": "value"}, path).tool == tool


@pytest.mark.parametrize(("group", "kind", "tool", "why"), CONFIG_GROUPS,
                         ids=[f"{g or 'core'}/{k}" for g, k, _, _ in CONFIG_GROUPS])
def test_every_config_group(group: str, kind: str, tool: str, why: str) -> None:
    data = {"apiVersion": f"{group}/v1" if group else "v1",
            "kind": "Cluster" if kind == "*" else kind}
    if (group, kind) == ("", "Config"):
        data["clusters"] = []  # the kubeconfig shape
    result = classify_document(data, "anywhere/file.yaml")
    assert (result.kind, result.tool) == (CONFIG, tool)
    assert group in result.reason or "core" in result.reason or group == ""


def test_no_table_group_is_a_kubernetes_group() -> None:
    assert not {g for g, _, _, _ in CONFIG_GROUPS if g} & KUBERNETES_GROUPS


@pytest.mark.parametrize("group", sorted(KUBERNETES_GROUPS))
def test_kubernetes_groups_are_kept_whatever_the_file_name(group: str) -> None:
    data = {"apiVersion": f"{group}/v1" if group else "v1", "kind": "Thing",
            "metadata": {"name": "x"}}
    for path in ("values.yaml", ".github/workflows/x.yml", "kustomization.yaml", "Chart.yaml"):
        assert classify_document(data, path).kind == KUBERNETES


@pytest.mark.parametrize("data", [
    {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"}},
    {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "metadata": {"name": "a"}},
    {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
     "metadata": {"name": "a"}},
    {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "a"}},
    {"apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": {"name": "a"}},
    {"apiVersion": "cluster.x-k8s.io/v1beta1", "kind": "Cluster", "metadata": {"name": "a"}},
])
def test_argo_flux_and_other_crds_are_objects(data: dict[str, object]) -> None:
    assert classify_document(data, "clusters/prod/app.yaml").kind == KUBERNETES


def test_shapes() -> None:
    kustomization = {"resources": ["a.yaml"], "namePrefix": "p-"}
    assert classify_document(kustomization, "some/other-name.yaml").tool == "kustomize"
    chart = {"apiVersion": "v2", "name": "web", "version": "1.0.0"}
    assert classify_document(chart, "odd/name.yaml").tool == "helm"
    assert classify_document({"a": 1}, "x.yaml").kind == CONFIG
    assert classify_document(["a", "b"], "x.yaml").kind == CONFIG
    assert classify_document(None, "x.yaml").kind == CONFIG
    # kubeconfig shape only: a v1 `Config` with metadata is left to the linter
    assert classify_document({"apiVersion": "v1", "kind": "Config", "metadata": {"name": "x"}},
                             "x.yaml").kind == KUBERNETES
    # a kind without apiVersion is still an object: today's GW007 reports it
    assert classify_document({"kind": "Deployment"}, "x.yaml").kind == KUBERNETES
    assert classify_document(SERVICE, "").reason == "Kubernetes API group 'core'"


def test_kustomization_kinds_by_group() -> None:
    for kind in ("Kustomization", "Component"):
        data = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": kind}
        result = classify_document(data, "base/kustomization.yaml")
        assert (result.kind, result.tool) == (CONFIG, "kustomize")
    kind_cluster = {"apiVersion": "kind.x-k8s.io/v1alpha4", "kind": "Cluster"}
    assert classify_document(kind_cluster, "kind.yaml").tool == "kind"
