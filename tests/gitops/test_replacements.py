"""kustomize `replacements`, built natively, against the documented kustomize v5 behaviour.

https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replacements/ (its example
is transcribed by hand below), and where the page is silent kustomize's own code
(api/filters/replacement/replacement.go, kyaml's PathMatcher) and issues, cited per test.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from gwlint.cli import main
from gwlint.gitops.kustomize import Build
from gwlint.gitops.kustomize.replacements import split_path
from gwlint.gitops.origins import Written

from .conftest import Tree, build, by_name, codes, index

JOB = """
    apiVersion: batch/v1
    kind: Job
    metadata:
      name: hello
    spec:
      template:
        spec:
          containers:
            - image: myimage
              name: hello
              env:
                - name: SECRET_TOKEN
                  value: SOME_SECRET_NAME
"""
RESOURCES = """
    apiVersion: v1
    kind: Pod
    metadata:
      name: my-pod
    spec:
      containers:
      - image: busybox
        name: myapp-container
      restartPolicy: OnFailure
    ---
    apiVersion: v1
    kind: Secret
    metadata:
      name: my-secret
"""


def deployment(name: str, *containers: str, **extra: str) -> str:
    labels = "".join(f"\n    {k}: {v}" for k, v in extra.items())
    items = "".join(f"\n      - name: {c}\n        image: {c}:1.0" for c in containers)
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\n  labels:"
            f"{labels or ' {}'}\nspec:\n  template:\n    spec:\n      containers:{items}\n")


def problems(result: Build) -> list[tuple[str, tuple[Any, ...], str]]:
    return [(p.file, p.path, p.message) for p in result.problems]


def test_the_documented_example(tree: Tree) -> None:
    """The page's example: a replacement file by path (one mapping) copies my-pod's
    restartPolicy into the Job, creating the field; an inline one writes my-secret's name into
    the env var selected by `[name=hello]` and `[name=SECRET_TOKEN]`. Expected: the page's
    `kustomize build` output."""
    tree({"k/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization

            resources:
            - resources.yaml
            - job.yaml

            replacements:
            - path: my-replacement.yaml
            - source:
                kind: Secret
                name: my-secret
              targets:
              - select:
                  name: hello
                  kind: Job
                fieldPaths:
                - spec.template.spec.containers.[name=hello].env.[name=SECRET_TOKEN].value
          """,
          "k/my-replacement.yaml": """
            source:
              kind: Pod
              name: my-pod
              fieldPath: spec.restartPolicy
            targets:
            - select:
                name: hello
                kind: Job
              fieldPaths:
              - spec.template.spec.restartPolicy
              options:
                create: true
          """,
          "k/resources.yaml": RESOURCES, "k/job.yaml": JOB})
    result = build("k")
    assert result.problems == [] and result.complete
    objs = by_name(result)
    assert sorted(objs) == ["Job/hello", "Pod/my-pod", "Secret/my-secret"]
    assert objs["Job/hello"].body == {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "hello"},
        "spec": {"template": {"spec": {
            "containers": [{"image": "myimage", "name": "hello",
                            "env": [{"name": "SECRET_TOKEN", "value": "my-secret"}]}],
            "restartPolicy": "OnFailure"}}}}
    assert objs["Pod/my-pod"].body["spec"]["restartPolicy"] == "OnFailure"
    # each written value keeps the replacement entry that wrote it
    job = objs["Job/hello"]
    env = ("spec", "template", "spec", "containers", 0, "env", 0, "value")
    assert job.origins.lookup(env) == Written("k/kustomization.yaml", 0, ("replacements", 1))
    assert job.origins.lookup(("spec", "template", "spec", "restartPolicy")) == Written(
        "k/my-replacement.yaml", 0, ())
    # what no replacement wrote still points at the resource file
    assert job.origins.lookup(("spec", "template", "spec", "containers", 0, "image")).file == (
        "k/job.yaml")


def test_a_file_of_replacements_and_its_errors_at_its_entries(tree: Tree) -> None:
    """A `path:` file may hold a list of replacements (kustomize's ReplacementTransformer reads a
    list or one mapping); each keeps its own origin, and an error is reported at its entry in
    that file. `path` with an inline source is refused ("cannot specify both path and inline
    replacement")."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - path: repl.yaml
            - path: repl.yaml
              source: {kind: Secret}
          """,
          "k/r.yaml": RESOURCES,
          "k/repl.yaml": """
            - source: {kind: Secret, name: my-secret}
              targets:
              - select: {kind: Pod}
                fieldPaths: [metadata.annotations.secret]
                options: {create: true}
            - source: {kind: ConfigMap}
              targets:
              - select: {kind: Pod}
          """})
    result = build("k")
    pod = by_name(result)["Pod/my-pod"]
    assert pod.body["metadata"] == {"name": "my-pod", "annotations": {"secret": "my-secret"}}
    assert pod.origins.lookup(("metadata", "annotations", "secret")) == Written(
        "k/repl.yaml", 0, (0,))
    assert problems(result) == [
        ("k/repl.yaml", (1, "source"), "replacement: nothing selected by the source "
                                       "{kind: ConfigMap}"),
        ("k/kustomization.yaml", ("replacements", 1),
         "cannot specify both path and inline replacement")]
    assert set(codes(result)) == {"patch-failed", "invalid-kustomization"}
    # the file is the kustomization's, never an object of its own
    scanned = index(["k/kustomization.yaml", "k/r.yaml", "k/repl.yaml"])
    assert scanned.role("k/repl.yaml") == {"configuration"}
    assert scanned.is_patch_only("k/repl.yaml")


def test_delimiter_and_index(tree: Tree) -> None:
    """The page's Delimiter and Index sections: `path: my/path/VALUE` with delimiter '/' and
    index 2 becomes `my/path/NEW_VALUE`; in a target an index below 0 prefixes and one past the
    end suffixes; in a source an index out of bounds is an error; the source's part is taken
    with its delimiter and index."""
    tree({"k/kustomization.yaml": """
            resources: [cm.yaml]
            replacements:
            - source: {kind: ConfigMap, name: src, fieldPath: data.image,
                       options: {delimiter: ':', index: 1}}
              targets:
              - select: {name: dst}
                fieldPaths: [data.path]
                options: {delimiter: /, index: 2}
              - select: {name: dst}
                fieldPaths: [data.before]
                options: {delimiter: /, index: -1}
              - select: {name: dst}
                fieldPaths: [data.after]
                options: {delimiter: /, index: 7}
            - source: {kind: ConfigMap, name: src, fieldPath: data.image,
                       options: {delimiter: ':', index: 2}}
              targets:
              - select: {name: dst}
                fieldPaths: [data.path]
          """,
          "k/cm.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: src}
            data: {image: "nginx:NEW_VALUE"}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: dst}
            data: {path: my/path/VALUE, before: a/b, after: a/b}
          """})
    result = build("k")
    assert by_name(result)["ConfigMap/dst"].body["data"] == {
        "path": "my/path/NEW_VALUE", "before": "NEW_VALUE/a/b", "after": "a/b/NEW_VALUE"}
    assert problems(result) == [
        ("k/kustomization.yaml", ("replacements", 1, "source", "options", "index"),
         "replacement: options.index 2 is out of bounds for value nginx:NEW_VALUE")]


def test_create_and_scalar_types(tree: Tree) -> None:
    """The page: `create` adds a missing target field (a list item `[name=x]` too: kyaml's
    PathMatcher appends `{name: x}`). replacement.go copies only the text into a scalar target,
    "leave any type intact to auto-convert int->string or string->int": a string "8080" into
    `port: 80` stays a number, into a string stays a string; a created field gets the text as
    plain YAML reads it (kustomize issue #5482: the string "10" becomes the number 10)."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - source: {kind: ConfigMap, fieldPath: data.PORT}
              targets:
              - select: {kind: Service}
                fieldPaths: [spec.ports.0.port, metadata.annotations.port]
              - select: {kind: Deployment}
                fieldPaths:
                - spec.template.spec.containers.[name=app].env.[name=PORT].value
                options: {create: true}
          """,
          "k/r.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {PORT: "8080"}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app
              annotations: {port: "none"}
            spec:
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: app}
            spec:
              template:
                spec:
                  containers: [{name: app, image: app}]
          """})
    result = build("k")
    assert result.problems == []
    objs = by_name(result)
    assert objs["Service/app"].body["spec"]["ports"] == [{"port": 8080}]
    assert objs["Service/app"].body["metadata"]["annotations"] == {"port": "8080"}
    deploy = objs["Deployment/app"]
    assert deploy.body["spec"]["template"]["spec"]["containers"] == [
        {"name": "app", "image": "app", "env": [{"name": "PORT", "value": 8080}]}]
    # the created list item is the replacement's, whole
    assert deploy.origins.lookup(("spec", "template", "spec", "containers", 0, "env", 0,
                                  "name")).file == "k/kustomization.yaml"
    assert deploy.origins.lookup(("spec", "template", "spec", "containers", 0,
                                  "image")).file == "k/r.yaml"


def test_maps_and_lists_are_replaced_whole(tree: Tree) -> None:
    """replacement.go: a target that is not a scalar is replaced by a copy of the source node
    (kustomize's "complex type" test copies a Pod's containers into Deployments)."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - source: {kind: Gateway, fieldPath: spec.listeners}
              targets:
              - select: {kind: Gateway, name: copy}
                fieldPaths: [spec.listeners]
          """,
          "k/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            spec:
              listeners: [{name: http, port: 80, protocol: HTTP}]
            ---
            apiVersion: gateway.networking.k8s.io/v1beta1
            kind: Gateway
            metadata: {name: copy}
            spec:
              listeners: []
          """})
    result = build("k")
    # the source selector matches exactly: kind Gateway and (default) every version; only `web`
    # has listeners... but both are Gateways: two sources
    assert problems(result) == [
        ("k/kustomization.yaml", ("replacements", 0, "source"),
         "replacement: multiple matches for the source {kind: Gateway}: Gateway web, "
         "Gateway copy")]
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - source: {kind: Gateway, version: v1, fieldPath: spec.listeners}
              targets:
              - select: {kind: Gateway, name: copy}
                fieldPaths: [spec.listeners]
          """})
    result = build("k")
    assert result.problems == []
    copy = by_name(result)["Gateway/copy"]
    web = by_name(result)["Gateway/web"]
    assert copy.body["spec"]["listeners"] == [{"name": "http", "port": 80, "protocol": "HTTP"}]
    assert copy.body["spec"]["listeners"] is not web.body["spec"]["listeners"]  # a copy


def test_select_and_reject(tree: Tree) -> None:
    """The page's Reject section: `reject: [{kind: Deployment, name: my-deploy}]` drops only
    objects that are both; `reject: [{kind: Deployment}, {name: my-deploy}]` drops every
    Deployment and everything named my-deploy. Label selectors select too. Target selectors are
    kustomize's SelectorRegex (api/types/selector.go): every field an anchored regular
    expression."""
    resources = (deployment("my-deploy", "a") + "---\n" + deployment("other", "a", team="x")
                 + "---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: my-deploy\n"
                 "spec:\n  template:\n    spec:\n      containers:\n      - {name: a, image: a}\n"
                 "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\ndata: {v: new}\n")

    def images(kustomization: str) -> dict[str, str]:
        tree({"k/kustomization.yaml": kustomization, "k/r.yaml": resources})
        result = build("k")
        assert result.problems == []
        return {k: o.body["spec"]["template"]["spec"]["containers"][0]["image"]
                for k, o in by_name(result).items() if k != "ConfigMap/src"}

    head = "resources: [r.yaml]\nreplacements:\n- source: {kind: ConfigMap, fieldPath: data.v}\n"
    both = images(head + "  targets:\n  - select: {version: v1, group: apps}\n"
                  "    reject: [{kind: Deployment, name: my-deploy}]\n"
                  "    fieldPaths: [spec.template.spec.containers.0.image]\n")
    assert both == {"Deployment/my-deploy": "a:1.0", "Deployment/other": "new",
                    "StatefulSet/my-deploy": "new"}
    either = images(head + "  targets:\n  - select: {group: apps}\n"
                    "    reject: [{kind: Deployment}, {name: my-deploy}]\n"
                    "    fieldPaths: [spec.template.spec.containers.0.image]\n")
    assert either == {"Deployment/my-deploy": "a:1.0", "Deployment/other": "a:1.0",
                      "StatefulSet/my-deploy": "a"}
    labelled = images(head + "  targets:\n  - select: {labelSelector: team=x}\n"
                      "    fieldPaths: [spec.template.spec.containers.0.image]\n")
    assert labelled == {"Deployment/my-deploy": "a:1.0", "Deployment/other": "new",
                        "StatefulSet/my-deploy": "a"}
    # target names are anchored regular expressions (kustomize's SelectorRegex)
    regex = images(head + "  targets:\n  - select: {name: 'my-.*'}\n"
                   "    fieldPaths: [spec.template.spec.containers.0.image]\n")
    assert regex == {"Deployment/my-deploy": "new", "Deployment/other": "a:1.0",
                     "StatefulSet/my-deploy": "new"}
    # group, version and kind too (anchored: 'Deploy' alone selects no Deployment)
    kinds = images(head + "  targets:\n  - select: {kind: 'StatefulSet|Deploy'}\n"
                   "    fieldPaths: [spec.template.spec.containers.0.image]\n")
    assert kinds == {"Deployment/my-deploy": "a:1.0", "Deployment/other": "a:1.0",
                     "StatefulSet/my-deploy": "new"}


def test_wildcards_list_items_and_escaped_dots(tree: Tree) -> None:
    """The page's Field Path format: `*` is every item of a list,
    `containers.*.env.[name=TARGET_ENV].value` (items without the env var are skipped), and a
    dot inside a key is escaped with '\\' or with '[]'."""
    tree({"k/kustomization.yaml": r"""
            resources: [r.yaml]
            replacements:
            - source: {kind: ConfigMap, fieldPath: data.v}
              targets:
              - select: {kind: Deployment}
                fieldPaths:
                - spec.template.spec.containers.*.env.[name=TARGET_ENV].value
                - metadata.annotations.config\.example\.io/owner
                - metadata.annotations.[example.com/team]
          """,
          "k/r.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: src}
            data: {v: "yes-please"}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
              annotations: {config.example.io/owner: "x", example.com/team: "y"}
            spec:
              template:
                spec:
                  containers:
                  - {name: a, env: [{name: TARGET_ENV, value: old}, {name: B, value: b}]}
                  - {name: b, env: [{name: C, value: c}]}
                  - {name: c, env: [{name: TARGET_ENV, value: old}]}
          """})
    result = build("k")
    assert result.problems == []
    body = by_name(result)["Deployment/d"].body
    assert [c["env"] for c in body["spec"]["template"]["spec"]["containers"]] == [
        [{"name": "TARGET_ENV", "value": "yes-please"}, {"name": "B", "value": "b"}],
        [{"name": "C", "value": "c"}],
        [{"name": "TARGET_ENV", "value": "yes-please"}]]
    assert body["metadata"]["annotations"] == {"config.example.io/owner": "yes-please",
                                               "example.com/team": "yes-please"}


def test_path_syntax() -> None:
    """kyaml's SmarterPathSplitter: escaped dots, bracketed keys without '=' lose their
    brackets, list item matches keep them."""
    assert split_path(r"metadata.annotations.config\.kubernetes\.io/x") == [
        "metadata", "annotations", "config.kubernetes.io/x"]
    assert split_path("metadata.annotations.[config.kubernetes.io/x]") == [
        "metadata", "annotations", "config.kubernetes.io/x"]
    assert split_path("spec.containers.[name=com.foo.app].image") == [
        "spec", "containers", "[name=com.foo.app]", "image"]
    assert split_path("spec.rules.*.backendRefs.0.name") == [
        "spec", "rules", "*", "backendRefs", "0", "name"]


def test_errors_are_reported_and_the_rest_is_built(tree: Tree) -> None:
    """kustomize stops at these (replacement.go): no source selected, several sources, a
    source fieldPath that is missing, a target fieldPath missing without `create` (an error
    since kustomize v5.0.0, PR #4789). gwlint reports each at its entry and applies the rest."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - source: {kind: Secret}
              targets: [{select: {kind: Pod}}]
            - source: {kind: Pod}
              targets: [{select: {kind: Pod}}]
            - source: {kind: Pod, name: a, fieldPath: spec.nothing}
              targets: [{select: {kind: Pod}}]
            - source: {kind: Pod, name: a, fieldPath: spec.restartPolicy}
              targets:
              - select: {kind: Pod}
                fieldPaths: [spec.priorityClassName]
              - select: {kind: Pod, name: b}
                fieldPaths: [spec.restartPolicy]
            - targets: [{select: {kind: Pod}}]
          """,
          "k/r.yaml": """
            apiVersion: v1
            kind: Pod
            metadata: {name: a}
            spec: {restartPolicy: Never}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b}
            spec: {restartPolicy: Always}
          """})
    result = build("k")
    at = "k/kustomization.yaml"
    assert problems(result) == [
        (at, ("replacements", 0, "source"), "replacement: nothing selected by the source "
                                            "{kind: Secret}"),
        (at, ("replacements", 1, "source"), "replacement: multiple matches for the source "
                                            "{kind: Pod}: Pod a, Pod b"),
        (at, ("replacements", 2, "source", "fieldPath"), "replacement: fieldPath "
         "`spec.nothing` is missing for replacement source Pod a"),
        (at, ("replacements", 3, "targets", 0, "fieldPaths", 0), "replacement: unable to find "
         "field 'spec.priorityClassName' in replacement target Pod a"),
        (at, ("replacements", 4), "replacement: replacements must specify a source and at "
                                  "least one target")]
    assert {p.severity for p in result.problems} == {"error"}
    # the second target of the same replacement was still applied
    assert by_name(result)["Pod/b"].body["spec"]["restartPolicy"] == "Never"


def test_order_after_name_prefix_and_namespace(tree: Tree) -> None:
    """kustomize's kusttarget_configplugin.go runs the ReplacementTransformer after every other
    builtin transformer of the kustomization (namespace, namePrefix, labels, patches, images):
    a source `metadata.name` is the prefixed name, and selectors still find objects by their
    earlier names (kustomize's previous ids). A base's replacements run in the base, before the
    overlay renames."""
    tree({"base/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - source: {kind: Gateway}
              targets:
              - select: {kind: HTTPRoute}
                fieldPaths: [metadata.annotations.base-gateway]
                options: {create: true}
          """,
          "base/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: shop}
            spec:
              parentRefs: [{name: web}]
          """,
          "prod/kustomization.yaml": """
            resources: [../base]
            namePrefix: prod-
            namespace: shop
            replacements:
            - source: {kind: Gateway, name: web, namespace: default}
              targets:
              - select: {kind: HTTPRoute, name: shop}
                fieldPaths: [spec.parentRefs.0.name]
            - source: {kind: Gateway, fieldPath: metadata.namespace}
              targets:
              - select: {kind: HTTPRoute}
                fieldPaths: [spec.parentRefs.0.namespace]
                options: {create: true}
          """})
    result = build("prod")
    assert result.problems == []
    route = by_name(result)["HTTPRoute/prod-shop"]
    assert route.body["spec"]["parentRefs"] == [{"name": "prod-web", "namespace": "shop"}]
    assert route.body["metadata"]["annotations"] == {"base-gateway": "web"}
    assert route.origins.lookup(("spec", "parentRefs", 0, "name")) == Written(
        "prod/kustomization.yaml", 0, ("replacements", 0))
    assert route.origins.lookup(("spec", "parentRefs", 0, "namespace")) == Written(
        "prod/kustomization.yaml", 0, ("replacements", 1))
    assert route.origins.lookup(("metadata", "annotations", "base-gateway")) == Written(
        "base/kustomization.yaml", 0, ("replacements", 0))


# ---- end to end -----------------------------------------------------------------------------

BASE = {
    "base/kustomization.yaml": "resources: [gateway.yaml, route.yaml]\n",
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
  - filters:
    - type: RequestRedirect
      requestRedirect: {statusCode: 301, hostname: example.com}
""",
}


def lint(root: Path, overlay: str) -> dict[str, Any]:
    for rel, text in {**BASE, "prod/kustomization.yaml": overlay}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    old = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--helm", "", "--kustomize", "",
                                           "--format", "json", "--jobs", "1"],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, Any] = json.loads(result.output)
    return doc


def test_a_replacement_propagating_the_gateway_name_end_to_end(tmp_path: Path) -> None:
    """namePrefix renames the Gateway; kustomize's name references do not know parentRefs, so
    without help the route points at the old name (GW802). A replacement copying the Gateway's
    new name fixes it: no finding. A replacement copying the wrong value is reported at the
    replacement entry's line, where the value was written."""
    prefix_only = "resources: [../base]\nnamePrefix: prod-\n"
    doc = lint(tmp_path, prefix_only)
    assert {(f["file"], f["line"], f["rule"]) for f in doc["findings"]} >= {
        ("base/route.yaml", 6, "GW802")}
    fixed = prefix_only + """\
replacements:
- source: {kind: Gateway, fieldPath: metadata.name}
  targets:
  - select: {kind: HTTPRoute}
    fieldPaths: [spec.parentRefs.0.name]
"""
    doc = lint(tmp_path, fixed)
    assert [f for f in doc["findings"] if f["severity"] != "info"] == []
    wrong = fixed.replace("fieldPath: metadata.name", "fieldPath: spec.gatewayClassName")
    doc = lint(tmp_path, wrong)
    [finding] = [f for f in doc["findings"] if f["severity"] != "info"]
    assert (finding["file"], finding["line"], finding["rule"]) == (
        "prod/kustomization.yaml", 4, "GW101")
    assert "'envoy'" in finding["message"]


def test_source_value(tree: Tree) -> None:
    """The page's schema has `sourceValue`: a string written as is (replacement.go makes it an
    untagged scalar: a string target keeps it a string, a created field reads it as plain
    YAML); with a `source` too kustomize refuses the entry."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - sourceValue: "443"
              targets:
              - select: {kind: Service}
                fieldPaths: [metadata.annotations.port, spec.ports.0.port]
                options: {create: true}
            - sourceValue: x
              source: {kind: Service}
              targets: []
          """,
          "k/r.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"})
    result = build("k")
    assert by_name(result)["Service/s"].body == {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "s", "annotations": {"port": 443}},
        "spec": {"ports": [{"port": 443}]}}
    assert problems(result) == [
        ("k/kustomization.yaml", ("replacements", 1, "sourceValue"),
         "replacement: value and resource selectors are mutually exclusive")]


def test_malformed_entries_are_problems_never_tracebacks(tree: Tree) -> None:
    """Hostile or broken shapes: each is a GW801 problem at its entry, the objects are built."""
    deep = ".".join(["a"] * 101)  # create would nest 101 maps
    tree({"k/kustomization.yaml": r"""
            resources: [r.yaml]
            replacements:
            - 7
            - {path: 3}
            - {source: {kind: Service}, targets: {a: b}}
            - source: {kind: Service, options: {delimiter: ':', index: x}}
              targets: [{select: {kind: Service}}]
            - source: {kind: Service}
              targets:
              - select: {name: '('}
              - select: {kind: Service, labelSelector: '!!!'}
              - {select: {kind: Service}, fieldPaths: [{a: 1}]}
              - {select: {kind: Service}, fieldPaths: ['*'], options: {create: true}}
              - select: {kind: Service}
                fieldPaths: ['{DEEP}']
                options: {create: true}
          """.replace("{DEEP}", deep),
          "k/r.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n"})
    result = build("k")
    assert [p.path for p in result.problems] == [
        ("replacements", 0), ("replacements", 1, "path"), ("replacements", 2, "targets"),
        ("replacements", 3, "source", "options", "index"),
        ("replacements", 4, "targets", 0, "select", "name"),
        ("replacements", 4, "targets", 1, "select", "labelSelector"),
        ("replacements", 4, "targets", 2, "fieldPaths", 0),
        ("replacements", 4, "targets", 3, "fieldPaths", 0),
        ("replacements", 4, "targets", 4, "fieldPaths", 0)]
    assert {p.severity for p in result.problems} == {"error"}
    assert by_name(result)["Service/s"].body == {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}


def test_list_item_values_are_unanchored_regular_expressions(tree: Tree) -> None:
    """kyaml's PathMatcher compiles the value of `[name=value]` as a Go regular expression and
    matches it anywhere in the item's field (kustomize issue #5029: `[name=SAMPLE_TARGET]`
    also replaces SAMPLE_TARGET_2); with `create`, a value nothing matches is appended."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            replacements:
            - sourceValue: new
              targets:
              - select: {kind: Pod}
                fieldPaths:
                - spec.containers.0.env.[name=SAMPLE_TARGET].value
              - select: {kind: Pod}
                fieldPaths: ['spec.containers.0.args.[=^--mode]']
          """,
          "k/r.yaml": """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                args: [--mode, --verbose]
                env:
                - {name: SAMPLE_TARGET, value: a}
                - {name: SAMPLE_TARGET_2, value: b}
                - {name: OTHER, value: c}
          """})
    result = build("k")
    assert result.problems == []
    container = by_name(result)["Pod/p"].body["spec"]["containers"][0]
    assert container["env"] == [{"name": "SAMPLE_TARGET", "value": "new"},
                                {"name": "SAMPLE_TARGET_2", "value": "new"},
                                {"name": "OTHER", "value": "c"}]
    assert container["args"] == ["new", "--verbose"]


def test_local_config_objects_are_sources_never_output(tree: Tree) -> None:
    """An object annotated `config.kubernetes.io/local-config` (any value but "false") is an
    input of its kustomization, a replacement's source typically, and dropped once that
    kustomization's transformers have run (KustTarget.IgnoreLocal, Factory.DropLocalNodes):
    the overlay including the base never sees it."""
    tree({"base/kustomization.yaml": """
            resources: [values.yaml, gw.yaml]
            replacements:
            - source: {kind: ConfigMap, name: values, fieldPath: data.gateway}
              targets:
              - select: {kind: Gateway}
                fieldPaths: [metadata.name]
          """,
          "base/values.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: values
              annotations: {config.kubernetes.io/local-config: "true"}
            data: {gateway: edge}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: kept
              annotations: {config.kubernetes.io/local-config: "false"}
          """,
          "base/gw.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                          "metadata: {name: web}\n",
          "overlay/kustomization.yaml": """
            resources: [../base]
            replacements:
            - source: {kind: ConfigMap, name: values, fieldPath: data.gateway}
              targets:
              - select: {kind: Gateway}
                fieldPaths: [metadata.annotations.from-overlay]
                options: {create: true}
          """})
    base = build("base")
    assert sorted(by_name(base)) == ["ConfigMap/kept", "Gateway/edge"]
    overlay = build("overlay")
    assert sorted(by_name(overlay)) == ["ConfigMap/kept", "Gateway/edge"]
    assert [p.code for p in overlay.problems] == ["patch-failed"]  # no source in the overlay
