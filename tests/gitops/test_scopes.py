"""Argo CD and Flux objects name the directories applied together."""

from __future__ import annotations

from gwlint.gitops.scopes import find_scopes, scopes_of

APP = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
       "metadata": {"name": "shop"},
       "spec": {"source": {"repoURL": "https://git.example.com/repo", "path": "apps/shop"}}}


def test_argo_application_source_and_sources() -> None:
    (scope,) = scopes_of(APP, "argo/shop.yaml", 2)
    assert (scope.glob, scope.file, scope.doc_index, scope.path) == (
        "apps/shop", "argo/shop.yaml", 2, ("spec", "source", "path"))
    assert scope.reason == "Argo CD Application shop deploys it"
    multi = {**APP, "spec": {"sources": [{"path": "./overlays/prod/"}, {"chart": "x"},
                                         {"path": "."}]}}
    assert [s.glob for s in scopes_of(multi, "a.yaml")] == ["overlays/prod"]


def test_applicationset_git_directories() -> None:
    appset = {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
              "metadata": {"name": "clusters"},
              "spec": {"generators": [{"git": {"directories": [
                  {"path": "clusters/*"}, {"path": "clusters/legacy", "exclude": True}]}}],
                  "template": {"spec": {"source": {"path": "{{path}}"}}}}}
    assert [(s.glob, s.path) for s in scopes_of(appset, "a.yaml")] == [
        ("clusters/*", ("spec", "generators", 0, "git", "directories", 0, "path"))]


def test_flux_kustomization() -> None:
    flux = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "infra"}, "spec": {"path": "./infrastructure/prod"}}
    (scope,) = scopes_of(flux, "clusters/prod/infra.yaml")
    assert scope.glob == "infrastructure/prod" and scope.reason.startswith("Flux Kustomization")
    # kustomize's own Kustomization is not a Flux object
    kust = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "spec": {"path": "x"}}
    assert scopes_of(kust, "k.yaml") == []


def test_hostile_and_irrelevant_values() -> None:
    for path in ("../outside", "/", "", "${CLUSTER}/apps", 5, None, ["a"]):
        bad = {**APP, "spec": {"source": {"path": path}}}
        assert scopes_of(bad, "a.yaml") == []
    assert scopes_of("text", "a.yaml") == [] and scopes_of({"kind": 5}, "a.yaml") == []


def test_find_scopes_dedupes_and_orders_specific_first() -> None:
    other = {**APP, "metadata": {"name": "second"}}
    nested = {**APP, "spec": {"source": {"path": "apps/shop/prod"}}}
    scopes = find_scopes([(APP, "a.yaml", 0), (other, "b.yaml", 0), (nested, "c.yaml", 0)])
    assert [(s.glob, s.file) for s in scopes] == [("apps/shop/prod", "c.yaml"),
                                                  ("apps/shop", "a.yaml")]


def test_destination_namespaces() -> None:
    """Argo CD applies objects without a namespace to spec.destination.namespace, Flux to
    spec.targetNamespace; templated values are not guessed."""
    argo = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": "web"},
            "spec": {"source": {"path": "apps/web"}, "destination": {"namespace": "web"}}}
    flux = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "infra"}, "spec": {"path": "./infra", "targetNamespace": "infra"}}
    templated = {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
                 "metadata": {"name": "all"},
                 "spec": {"template": {"spec": {
                     "source": {"path": "envs/x"},
                     "destination": {"namespace": "{{path.basename}}"}}}}}
    assert [s.namespace for s in scopes_of(argo, "a.yaml")] == ["web"]
    assert [s.namespace for s in scopes_of(flux, "f.yaml")] == ["infra"]
    assert [s.namespace for s in scopes_of(templated, "s.yaml")] == [None]
