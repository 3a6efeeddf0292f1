"""Broken kustomizations: structured problems at the kustomization's entry, never a traceback,
bounded time, never the network, never outside the linted tree."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import Tree, build, by_name, codes, index

ROUTE = ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: web}\n"
         "spec:\n  hostnames: [a.example.com]\n")


def test_missing_resource_and_patch_files(tree: Tree) -> None:
    tree({"k/kustomization.yaml": "resources: [route.yaml, gone.yaml]\n"
                                  "patches:\n- path: nope.yaml\n"})
    result = build("k")
    assert [(p.code, p.file, p.path) for p in result.problems] == [
        ("missing-file", "k/kustomization.yaml", ("resources", 0)),
        ("missing-file", "k/kustomization.yaml", ("resources", 1)),
        ("missing-file", "k/kustomization.yaml", ("patches", 0, "path"))]
    assert result.objects == []


def test_patch_whose_target_matches_nothing(tree: Tree) -> None:
    tree({"k/kustomization.yaml": """
            resources: [route.yaml]
            patches:
            - path: p.yaml
            - target: {kind: HTTPRoute, name: other}
              patch: |-
                - {op: replace, path: /spec/hostnames, value: [b.example.com]}
          """,
          "k/route.yaml": ROUTE,
          "k/p.yaml": ROUTE.replace("name: web", "name: typo")})
    result = build("k")
    assert [(p.code, p.severity, p.path) for p in result.problems] == [
        ("patch-target-not-found", "error", ("patches", 0)),  # kustomize fails: no matches for Id
        ("patch-target-not-found", "warning", ("patches", 1))]  # kustomize silently skips it
    assert "HTTPRoute typo" in result.problems[0].message


def test_json6902_operation_that_does_not_apply(tree: Tree) -> None:
    tree({"k/kustomization.yaml": "resources: [route.yaml]\npatches:\n- path: ops.yaml\n"
                                  "  target: {kind: HTTPRoute}\n",
          "k/route.yaml": ROUTE,
          "k/ops.yaml": "- {op: replace, path: /spec/hostnames/0, value: ok.example.com}\n"
                        "- {op: remove, path: /spec/rules/0}\n"})
    result = build("k")
    (problem,) = result.problems
    assert (problem.code, problem.file, problem.path) == ("patch-failed", "k/ops.yaml", (1,))
    # a failing patch leaves the object as it was before the patch
    assert by_name(result)["HTTPRoute/web"].body["spec"]["hostnames"] == ["a.example.com"]


def test_strategic_merge_type_conflict(tree: Tree) -> None:
    tree({"k/kustomization.yaml": "resources: [route.yaml]\npatches:\n- path: p.yaml\n",
          "k/route.yaml": ROUTE,
          "k/p.yaml": ROUTE.replace("hostnames: [a.example.com]", "hostnames: {a: b}")})
    (problem,) = build("k").problems
    assert problem.code == "patch-failed" and "spec/hostnames" in problem.message


def test_include_cycle(tree: Tree) -> None:
    tree({"a/kustomization.yaml": "resources: [../b, r.yaml]\n", "a/r.yaml": ROUTE,
          "b/kustomization.yaml": "resources: [../c]\n",
          "c/kustomization.yaml": "resources: [../a]\n"})
    result = build("a")
    (problem,) = result.problems
    assert (problem.code, problem.file, problem.path) == ("include-cycle", "c/kustomization.yaml",
                                                          ("resources", 0))
    assert problem.message.endswith("a -> b -> c -> a")
    assert list(by_name(result)) == ["HTTPRoute/web"]


def test_thousand_deep_chain_is_bounded(tree: Tree) -> None:
    files = {f"l{i}/kustomization.yaml": f"resources: [../l{i + 1}]\n" for i in range(1000)}
    files["l1000/kustomization.yaml"] = "resources: [r.yaml]\n"
    files["l1000/r.yaml"] = ROUTE
    tree(files)
    start = time.perf_counter()
    result = build("l0")
    assert time.perf_counter() - start < 20
    assert codes(result) == ["too-deep"]
    assert result.problems[0].file == "l100/kustomization.yaml"
    assert result.objects == [] and not result.complete
    # a chain within the limit builds
    assert list(by_name(build("l950"))) == ["HTTPRoute/web"]


def test_diamond_explosion_is_bounded(tree: Tree) -> None:
    files = {f"d{i}/kustomization.yaml": f"resources: [../d{i + 1}, ../e{i + 1}]\n"
             for i in range(40)}
    files.update({f"e{i}/kustomization.yaml": f"resources: [../d{i}]\nnameSuffix: -e{i}\n"
                  for i in range(1, 41)})
    files["d40/kustomization.yaml"] = "resources: [r.yaml]\n"
    files["d40/r.yaml"] = ROUTE
    tree(files)
    start = time.perf_counter()
    build("d0", max_objects=5000)
    assert time.perf_counter() - start < 20


def test_malformed_kustomizations(tree: Tree) -> None:
    tree({"bad/kustomization.yaml": "resources: [a\n",
          "list/kustomization.yaml": "- a\n- b\n",
          "types/kustomization.yaml": "resources: route.yaml\nnamePrefix: [x]\nbogus: 1\n"
                                      "patches: [3]\n",
          "two/kustomization.yaml": "resources: []\n", "two/kustomization.yml": "resources: []\n",
          "top/kustomization.yaml": "resources: [../bad, ../nothing-here, ../plain]\n",
          "plain/r.yaml": ROUTE})
    assert codes(build("bad")) == ["invalid-kustomization"]
    assert codes(build("list")) == ["invalid-kustomization"]
    assert sorted(codes(build("types"))) == ["invalid-kustomization"] * 4
    assert codes(build("two")) == ["invalid-kustomization"]
    top = build("top")
    assert sorted((p.code, p.path) for p in top.problems) == [
        ("invalid-kustomization", ("resources", 0)), ("missing-file", ("resources", 1)),
        ("not-a-kustomization", ("resources", 2))]
    assert all(p.file == "top/kustomization.yaml" for p in top.problems)


def test_images_and_replicas_kustomize_rejects(tree: Tree) -> None:
    """`kubectl kustomize` (v5.5.0) fails on a replicas entry that matches no workload ("resource
    with name nothing does not match a config") and on an unquoted numeric newTag ("cannot
    unmarshal number into ... newTag of type string"); an image entry matching nothing is no
    problem."""
    tree({"k/kustomization.yaml": """
            resources: [d.yaml]
            images:
            - name: nginx
              newTag: 1.27
            - name: nothing
              newTag: "3"
            - 5
            replicas:
            - name: nothing
              count: 3
            - name: web
              count: "2"
          """,
          "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"})
    result = build("k")
    assert sorted((p.code, p.severity, p.path) for p in result.problems) == [
        ("invalid-kustomization", "error", ("images", 0)),
        ("invalid-kustomization", "error", ("images", 2)),
        ("invalid-kustomization", "error", ("replicas", 0)),
        ("invalid-kustomization", "error", ("replicas", 1))]
    assert "'nothing'" in next(p.message for p in result.problems if p.path == ("replicas", 0))
    assert by_name(result)["Deployment/web"].body == {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}


def test_unsupported_features_are_info_and_the_rest_is_built(tree: Tree) -> None:
    tree({"k/kustomization.yaml": """
            resources:
            - route.yaml
            - https://github.com/example/repo//base?ref=v1
            - github.com/example/other/base
            helmCharts:
            - {name: x, repo: https://charts.example.com}
            vars: []
            generators: [gen.yaml]
            transformers: [t.yaml]
            openapi: {path: schema.json}
            namePrefix: p-
          """, "k/route.yaml": ROUTE})
    result = build("k")
    assert {p.code for p in result.problems} == {"unsupported-feature"}
    assert all(p.severity == "info" for p in result.problems)
    assert {p.path[0] for p in result.problems} == {"resources", "helmCharts", "vars",
                                                    "generators", "transformers", "openapi"}
    assert list(by_name(result)) == ["HTTPRoute/p-web"]
    assert not result.complete


def test_files_outside_the_kustomization_or_tree_are_not_read(tree: Tree) -> None:
    tree({"repo/k/kustomization.yaml": "resources: [../shared.yaml, /etc/passwd, ../../out]\n"
                                       "components: [../../out]\n",
          "repo/shared.yaml": ROUTE, "out/kustomization.yaml": "resources: [r.yaml]\n",
          "out/r.yaml": ROUTE})
    from gwlint.gitops.kustomize import Builder, LocalFiles

    result = Builder(LocalFiles("repo")).build("repo/k")
    assert [(p.code, p.path) for p in result.problems] == [
        ("outside-root", ("resources", 0)), ("outside-root", ("resources", 1)),
        ("outside-root", ("resources", 2)), ("outside-root", ("components", 0))]
    assert "outside the linted tree" in result.problems[-1].message
    assert result.objects == []


def test_duplicate_ids(tree: Tree) -> None:
    tree({"k/kustomization.yaml": "resources: [a.yaml, b.yaml]\n", "k/a.yaml": ROUTE,
          "k/b.yaml": ROUTE})
    assert codes(build("k")) == ["duplicate-object"]


def test_hostile_values_never_raise(tree: Tree) -> None:
    tree({"k/kustomization.yaml": """
            resources: [route.yaml, 7, null, {a: b}]
            patches:
            - {target: {name: "(unclosed"}, patch: "- {op: add}"}
            - {target: {labelSelector: "a in (b"}, path: route.yaml}
            - {target: 5, patch: "x: 1"}
            - {patch: "[1, 2, 3]", target: {kind: HTTPRoute}}
            - {patch: "!!python/object/apply:os.system [echo hi]"}
            patchesStrategicMerge: [7, "not: [valid"]
            patchesJson6902:
            - {target: {kind: HTTPRoute}, patch: "- {op: move, from: /x, path: /y}"}
            configMapGenerator: [{name: c, literals: [novalue], files: [../../etc/passwd]}]
            commonLabels: [a]
            labels: [{pairs: {a: b}, fields: [{path: metadata/x, create: true}]}]
            namespace: 5
          """, "k/route.yaml": ROUTE})
    result = build("k")
    assert result.problems  # reported, not raised
    assert "HTTPRoute/web" in by_name(result)


def test_index_roots_roles_and_patch_only_files(tree: Tree) -> None:
    tree({"base/kustomization.yaml": "resources: [route.yaml]\n", "base/route.yaml": ROUTE,
          "overlays/prod/kustomization.yaml": "resources: [../../base]\npatches: [{path: p.yaml}]\n"
                                              "components: [../../comp]\n",
          "overlays/prod/p.yaml": ROUTE,
          "overlays/dev/kustomization.yaml": "resources: [../../base]\n",
          "comp/kustomization.yaml": "kind: Component\n",
          "other/kustomization.yaml": "resources: [x.yaml]\nconfigMapGenerator:\n"
                                      "- {name: c, files: [data.yaml]}\n",
          "other/x.yaml": ROUTE, "other/data.yaml": "a: b\n"})
    idx = index(["base/kustomization.yaml", "overlays/prod/kustomization.yaml",
                 "overlays/dev/kustomization.yaml", "comp/kustomization.yaml",
                 "other/kustomization.yaml"])
    assert idx.roots == ["other", "overlays/dev", "overlays/prod"]
    assert idx.is_patch_only("overlays/prod/p.yaml")
    assert idx.is_patch_only("other/data.yaml")
    assert not idx.is_patch_only("base/route.yaml")
    assert not idx.is_patch_only("unrelated.yaml")
    assert idx.roots_of("base") == ["overlays/dev", "overlays/prod"]
    assert [b.root for b in idx.build_all()] == ["other", "overlays/dev", "overlays/prod"]


@pytest.mark.slow  # a timing ratio over large inputs (CI runs it: python -m pytest -m slow)
def test_linear_in_the_number_of_resources(tree: Tree) -> None:
    """Building N vs 4N resources through a base and an overlay with patches: ratio < 6."""
    def make(n: int, prefix: str) -> None:
        docs = "---\n".join(ROUTE.replace("name: web", f"name: r{i}") for i in range(n))
        tree({f"{prefix}/base/kustomization.yaml": "resources: [routes.yaml]\n",
              f"{prefix}/base/routes.yaml": docs,
              f"{prefix}/prod/kustomization.yaml": "resources: [../base]\nnamespace: prod\n"
                                                   "namePrefix: p-\ncommonLabels: {env: prod}\n"
                                                   "patches:\n- target: {kind: HTTPRoute}\n"
                                                   "  patch: |-\n    - {op: add, path: "
                                                   "/spec/hostnames/-, value: x.example.com}\n"})

    make(500, "small")
    make(2000, "large")
    # measured in a fresh interpreter: the test session's heap would blur the figures
    script = textwrap.dedent("""
        import gc, time
        from gwlint.gitops.kustomize import Builder, LocalFiles
        def timed(root):
            best = float("inf")
            for _ in range(5):
                gc.collect(); gc.disable()  # as the CLI runs
                start = time.process_time()  # CPU time: other processes do not count
                result = Builder(LocalFiles(".")).build(root)
                best = min(best, time.process_time() - start)
                gc.enable()
                assert not result.problems and len(result.objects) in (500, 2000)
            return best
        print(timed("large/prod") / timed("small/prod"))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=120)
    assert float(out.stdout) < 6


def test_directories_and_links_where_files_belong_say_so(tree: Tree) -> None:
    """A patch entry naming a directory, a resource that is a link to a directory (never
    followed: links can loop, `loop -> ..`): GW801 saying which, not "does not exist"."""
    root = tree({"k/kustomization.yaml": "resources: [loop]\npatches: [{path: sub}]\n",
                 "k/sub/x.yaml": ROUTE})
    (root / "k" / "loop").symlink_to("../k")
    messages = [p.message for p in build("k").problems]
    assert messages == ["'loop' is a symbolic link to a directory: gwlint does not follow "
                        "those; list the directory it points to",
                        "'sub' is a directory: patches entries here must be files"]
