"""What Argo CD and Flux change when they apply a directory (gitops.applied), and the Gateway API
references those changes leave behind (GW802).

Semantics checked against the tools' sources: Flux writes `spec.targetNamespace`,
`spec.namePrefix`, `spec.nameSuffix` into the kustomization it builds (`kus.Namespace = ...`,
fluxcd/pkg kustomize/kustomize_generator.go; "It either configures or overrides the Kustomize
namespace", fluxcd.io/flux/components/kustomize/kustomizations/#target-namespace); Argo CD runs
`kustomize edit set nameprefix|namesuffix|namespace` in a Kustomize source's directory before
building it (argo-cd util/kustomize/kustomize.go), which replaces the kustomization's own value.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gwlint.cli import main
from gwlint.gitops.applied import _rebuild, dotted
from gwlint.gitops.kustomize import Rename, ResId

GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: apps}
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes: {namespaces: {from: All}}
"""
# line 6: the parentRef naming namespace 'apps' explicitly; line 12: the one that follows
ROUTES = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: pinned, namespace: apps}
spec:
  parentRefs:
  - {name: web, namespace: apps}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: follows, namespace: apps}
spec:
  parentRefs: [{name: web}]
"""
FLUX = """\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps/web
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  targetNamespace: prod
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def lint(root: Path, *args: str) -> dict[str, Any]:
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--helm", "", "--format", "json",
                                           *args], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, Any] = json.loads(result.output)
    return doc


def rows(doc: dict[str, Any], *rules: str) -> set[tuple[str, int, str]]:
    return {(f["file"], f["line"], f["rule"]) for f in doc["findings"]
            if not rules or f["rule"] in rules}


def messages(doc: dict[str, Any], rule: str) -> list[str]:
    return [f["message"] for f in doc["findings"] if f["rule"] == rule]


def test_flux_target_namespace_moves_objects_that_name_a_namespace(tmp_path: Path) -> None:
    """targetNamespace moves the Gateway and both routes (their namespace 'apps' is written):
    the parentRef that follows the route's namespace still attaches, the one naming 'apps'
    points at nothing (GW802 at its namespace, not a GW101 too)."""
    write(tmp_path, {"flux/apps.yaml": FLUX, "apps/web/gateway.yaml": GATEWAY,
                     "apps/web/routes.yaml": ROUTES})
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("apps/web/routes.yaml", 6, "GW802")}
    (finding,) = doc["findings"]
    assert finding["message"] == (
        "parentRef names Gateway apps/web, but Flux Kustomization apps "
        "(spec.targetNamespace) moved it to namespace 'prod': Flux does not rewrite Gateway "
        "API references, so in apps/web as Flux applies it this parentRef points at nothing")
    assert finding["hint"] == ("write namespace: prod in the reference, or leave namespace out "
                               "so that it follows the route's namespace")
    related = {(r["file"], r["line"]) for r in finding["related"]}
    assert ("flux/apps.yaml", 9) in related  # spec.targetNamespace
    assert ("apps/web/gateway.yaml", 3) in related  # the moved Gateway


def test_flux_target_namespace_over_a_kustomize_root(tmp_path: Path) -> None:
    """A Flux path holding a kustomization: targetNamespace replaces the kustomization's own
    `namespace` (the build's 'staging' becomes 'prod'); a ReferenceGrant's `from` naming the
    routes' old namespace then permits nothing."""
    write(tmp_path, {
        "flux/apps.yaml": FLUX,
        "apps/web/kustomization.yaml": "resources: [gateway.yaml, routes.yaml, grant.yaml]\n"
                                       "namespace: staging\n",
        "apps/web/gateway.yaml": GATEWAY,
        "apps/web/routes.yaml": ROUTES.replace("namespace: apps}\n", "namespace: staging}\n"),
        "apps/web/grant.yaml": """\
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: ReferenceGrant
            metadata: {name: from-staging, namespace: apps}
            spec:
              from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: staging}]
              to: [{group: "", kind: Service}]
            """})
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("apps/web/routes.yaml", 6, "GW802"),
                         ("apps/web/grant.yaml", 5, "GW802")}
    text = " ".join(messages(doc, "GW802"))
    # the build moved 'apps' to 'staging', Flux then to 'prod'
    assert "moved it to namespace 'prod'" in text
    assert "Flux Kustomization apps (spec.targetNamespace)" in text
    assert "moved the HTTPRoutes of 'staging' to 'prod'" in text


def test_argo_cd_name_prefix_replaces_the_roots_own(tmp_path: Path) -> None:
    """`kustomize.namePrefix` replaces the root kustomization's namePrefix (kustomize edit set
    nameprefix): the Gateway is 'x-web', not 'x-prod-web'. The HTTPRoute's parentRef, a field
    the kustomization teaches kustomize (`configurations`), follows; the GRPCRoute's is
    stale."""
    write(tmp_path, {
        "argocd/shop.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: shop, namespace: argocd}
            spec:
              source:
                path: shop/prod
                kustomize: {namePrefix: x-}
              destination: {namespace: shop}
            """,
        "shop/base/kustomization.yaml": "resources: [gateway.yaml, routes.yaml]\n",
        "shop/base/gateway.yaml": GATEWAY.replace(", namespace: apps}", "}"),
        "shop/base/routes.yaml": """\
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop}
            spec:
              parentRefs: [{name: web}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: GRPCRoute
            metadata: {name: rpc}
            spec:
              parentRefs: [{name: web}]
            """,
        "shop/prod/kustomization.yaml": "resources: [../base]\nnamePrefix: prod-\n"
                                        "configurations: [refs.yaml]\n",
        "shop/prod/refs.yaml": "nameReference:\n- kind: Gateway\n  group: "
                               "gateway.networking.k8s.io\n  fieldSpecs:\n  - {kind: HTTPRoute, "
                               "path: spec/parentRefs/name}\n"})
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("shop/base/routes.yaml", 11, "GW802")}
    (message,) = messages(doc, "GW802")
    # the root's own namePrefix is replaced, not applied: the message does not name it
    assert message == (
        "parentRef names Gateway shop/web, but Argo CD Application shop "
        "(spec.source.kustomize.namePrefix) renamed it to 'x-web': Argo CD does not rewrite "
        "Gateway API references, so in shop/prod as Argo CD applies it this parentRef points "
        "at nothing")


def test_argo_cd_kustomize_namespace_moves_destination_only_defaults(tmp_path: Path) -> None:
    """`destination.namespace` gives objects without a namespace one and moves nothing (app
    `plain`: the route naming 'apps' resolves); `kustomize.namespace` moves every object (app
    `moved`: the same route's parentRef is stale)."""
    app = """\
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {{name: {name}, namespace: argocd}}
        spec:
          source: {{path: {name}, kustomize: {kustomize}}}
          destination: {{namespace: dest}}
        """
    files = {"argocd/plain.yaml": app.format(name="plain", kustomize="{commonLabels: {a: b}}"),
             "argocd/moved.yaml": app.format(name="moved", kustomize="{namespace: kns}")}
    for d in ("plain", "moved"):
        files |= {f"{d}/kustomization.yaml": "resources: [gateway.yaml, routes.yaml]\n",
                  f"{d}/gateway.yaml": GATEWAY, f"{d}/routes.yaml": ROUTES}
    write(tmp_path, files)
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("moved/routes.yaml", 6, "GW802")}
    (message,) = messages(doc, "GW802")
    assert "Argo CD Application moved (spec.source.kustomize.namespace) moved it to namespace " \
           "'kns'" in message


def test_applicationset_template_kustomize_options(tmp_path: Path) -> None:
    """An ApplicationSet's template applies its kustomize options to every directory its Git
    generator matches."""
    write(tmp_path, {
        "argocd/envs.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: ApplicationSet
            metadata: {name: envs, namespace: argocd}
            spec:
              generators:
              - git: {repoURL: 'https://git.example.com/r.git', directories: [{path: envs/*}]}
              template:
                metadata: {name: '{{path.basename}}'}
                spec:
                  source: {path: '{{path}}', kustomize: {nameSuffix: -v2}}
                  destination: {namespace: '{{path.basename}}'}
            """,
        "envs/a/kustomization.yaml": "resources: [gateway.yaml, routes.yaml]\n",
        "envs/a/gateway.yaml": GATEWAY, "envs/a/routes.yaml": ROUTES})
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("envs/a/routes.yaml", 6, "GW802"), ("envs/a/routes.yaml", 12, "GW802")}
    assert all("ApplicationSet envs (spec.template.spec.source.kustomize.nameSuffix) renamed "
               "it to 'web-v2'" in m for m in messages(doc, "GW802"))


def test_argo_cd_kustomize_options_on_a_plain_directory(tmp_path: Path) -> None:
    """Argo CD treats a source with `kustomize` options as Kustomize, and `kustomize build`
    fails on a directory without a kustomization: nothing is applied, nothing renamed here.
    The same directory with a kustomization is renamed."""
    write(tmp_path, {
        "argocd/web.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: web, namespace: argocd}
            spec:
              source: {path: apps/web, kustomize: {namespace: other}}
            """,
        "apps/web/gateway.yaml": GATEWAY, "apps/web/routes.yaml": ROUTES})
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == set()
    write(tmp_path, {"apps/web/kustomization.yaml": "resources: [gateway.yaml, routes.yaml]\n"})
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == {("apps/web/routes.yaml", 6, "GW802")}


def test_scope_option_disables_apply_time_changes(tmp_path: Path) -> None:
    """With --scope, Argo CD and Flux objects name no scopes and change nothing."""
    write(tmp_path, {"flux/apps.yaml": FLUX, "apps/web/gateway.yaml": GATEWAY,
                     "apps/web/routes.yaml": ROUTES})
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == {("apps/web/routes.yaml", 6, "GW802")}
    assert rows(lint(tmp_path, "--select", "GW1,GW802", "--scope", "apps/*")) == set()


def test_flux_common_metadata_labels_a_namespace(tmp_path: Path) -> None:
    """`commonMetadata.labels` are written on every object, overriding: the Namespace they
    label is then selected by a listener's allowedRoutes."""
    write(tmp_path, {
        "flux/apps.yaml": FLUX.replace("targetNamespace: prod",
                                       "commonMetadata: {labels: {shared: 'yes'}}"),
        "apps/web/objects.yaml": """\
            apiVersion: v1
            kind: Namespace
            metadata: {name: team, labels: {shared: 'no'}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web, namespace: infra}
            spec:
              gatewayClassName: envoy
              listeners:
              - name: http
                port: 80
                protocol: HTTP
                allowedRoutes:
                  namespaces:
                    from: Selector
                    selector: {matchLabels: {shared: 'yes'}}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop, namespace: team}
            spec:
              parentRefs: [{name: web, namespace: infra}]
            """})
    assert rows(lint(tmp_path, "--select", "GW1,GW2")) == set()


def test_flux_name_prefix_needs_api_v1(tmp_path: Path) -> None:
    """`spec.namePrefix` exists in kustomize.toolkit.fluxcd.io/v1 only (kustomize-controller
    v1.3.0): a v1beta2 object's is pruned by the API server and renames nothing."""
    flux = FLUX.replace("targetNamespace: prod", "namePrefix: p-")
    write(tmp_path, {"flux/apps.yaml": flux, "apps/web/gateway.yaml": GATEWAY,
                     "apps/web/routes.yaml": ROUTES})
    doc = lint(tmp_path, "--select", "GW1,GW802")
    assert rows(doc) == {("apps/web/routes.yaml", 6, "GW802"),
                         ("apps/web/routes.yaml", 12, "GW802")}
    write(tmp_path, {"flux/apps.yaml": flux.replace("fluxcd.io/v1\n", "fluxcd.io/v1beta2\n")})
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == set()


def test_malformed_fields_never_raise(tmp_path: Path) -> None:
    """Odd values are skipped one by one: the valid targetNamespace beside them still moves."""
    bad = [
        "kustomize: 5", "kustomize: {namePrefix: [a], namespace: {x: 1}, commonLabels: [a]}",
        "kustomize: {namePrefix: '', nameSuffix: 7, commonAnnotations: {a: [1]}}",
        "kustomize: {namespace: '{{x}}', namePrefix: '${P}'}"]
    files = {"apps/web/kustomization.yaml": "resources: [gateway.yaml, routes.yaml]\n",
             "apps/web/gateway.yaml": GATEWAY, "apps/web/routes.yaml": ROUTES}
    for i, text in enumerate(bad):
        files[f"argocd/{i}.yaml"] = (f"apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
                                     f"metadata: {{name: a{i}}}\nspec:\n  source:\n"
                                     f"    path: apps/web\n    {text}\n")
    files["argocd/sources.yaml"] = ("apiVersion: argoproj.io/v1alpha1\nkind: Application\n"
                                    "metadata: {name: s}\nspec: {sources: x}\n")
    write(tmp_path, files)
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == set()
    for i in range(len(bad)):
        (tmp_path / f"argocd/{i}.yaml").unlink()
    for i, spec in enumerate(["namePrefix: 5\n  commonMetadata: x", "nameSuffix: null\n  "
                              "commonMetadata: {labels: [1], annotations: {a: {b: c}}}"]):
        files = {f"flux/{i}.yaml": FLUX.replace("prune: true", spec)}
        write(tmp_path, files)
        assert rows(lint(tmp_path, "--select", "GW1,GW802")) == {
            ("apps/web/routes.yaml", 6, "GW802")}
        (tmp_path / f"flux/{i}.yaml").unlink()
    write(tmp_path, {"flux/bad.yaml": FLUX.replace("prod", "{a: 1}")})
    assert rows(lint(tmp_path, "--select", "GW1,GW802")) == set()


def test_rebuild_replaces_only_the_roots_own_affixes() -> None:
    """A base's prefix stays, the root's is replaced, a generator's hash stays last."""
    def rid(name: str) -> ResId:
        return ResId("", "v1", "ConfigMap", None, name)
    chain = [Rename(rid("cm"), rid("base-cm"), "base/kustomization.yaml", "namePrefix"),
             Rename(rid("base-cm"), rid("prod-base-cm-s"), "prod/kustomization.yaml",
                    "namePrefix+nameSuffix"),
             Rename(rid("prod-base-cm-s"), rid("prod-base-cm-s-abc123"), "prod/kustomization.yaml",
                    "hash")]
    own = "prod/kustomization.yaml"
    assert _rebuild(chain, own, None, None) == "prod-base-cm-s-abc123"
    assert _rebuild(chain, own, "x-", None) == "x-base-cm-s-abc123"
    assert _rebuild(chain, own, None, "-v2") == "prod-base-cm-v2-abc123"
    assert _rebuild(chain[:1] + chain[2:], own, "x-", "") == "x-base-cm-abc123"
    assert dotted(("spec", "sources", 0, "kustomize", "namePrefix")) == \
        "spec.sources[0].kustomize.namePrefix"


def test_show_scopes_says_what_each_tool_changes(tmp_path: Path) -> None:
    """--show-scopes (and the JSON summary's scopes) name the apply-time settings, so that a
    reader sees why an object is in another namespace or has another name than its file says."""
    write(tmp_path, {
        "deploy.yaml": """\
            apiVersion: argoproj.io/v1alpha1
            kind: Application
            metadata: {name: a, namespace: argocd}
            spec:
              source: {path: apps/a, kustomize: {namePrefix: prod-, commonLabels: {env: prod}}}
              destination: {namespace: a}
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: b, namespace: flux-system}
            spec:
              path: ./apps/b
              targetNamespace: b-prod
              commonMetadata: {labels: {env: prod, team: web}}
              postBuild:
                substitute: {A: x, B: y}
                substituteFrom: [{kind: ConfigMap, name: vars}]
            """,
        "apps/a/kustomization.yaml": "resources: []\n",
        "apps/b/s.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"
                         "spec: {ports: [{port: 80}]}\n"})
    doc = lint(tmp_path)
    why = {s["scope"]: s["why"] for s in doc["summary"]["scopes"]
           if "Kustomize root" not in s["why"]}
    assert why == {
        "apps/a": "Argo CD Application a deploys it (namePrefix: prod-, commonLabels: 1 key)",
        "apps/b": "Flux Kustomization b applies it (targetNamespace: b-prod, "
                  "commonMetadata.labels: 2 keys, postBuild: 2 variables and 1 substituteFrom "
                  "source)"}
