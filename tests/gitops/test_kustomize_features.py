"""One test per supported kustomize feature, against the output documented for kustomize v5.

Each test cites the page whose example it reproduces; expected outputs are the documented
`kustomize build` results (not gwlint's own output).
"""

from __future__ import annotations

from gwlint.gitops.kustomize.generators import content_hash

from .conftest import Tree, build, by_name, codes

DEPLOY = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: my-nginx
    spec:
      selector:
        matchLabels:
          run: my-nginx
      replicas: 2
      template:
        metadata:
          labels:
            run: my-nginx
        spec:
          containers:
          - name: my-nginx
            image: nginx
            ports:
            - containerPort: 80
"""
SERVICE = """
    apiVersion: v1
    kind: Service
    metadata:
      name: my-nginx
      labels:
        run: my-nginx
    spec:
      ports:
      - port: 80
        protocol: TCP
      selector:
        run: my-nginx
"""


def test_resources_bases_and_overlays(tree: Tree) -> None:
    """https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/
    (Bases and Overlays): a base directory used by dev and prod overlays with namePrefix
    dev- / prod-."""
    tree({"base/deployment.yaml": DEPLOY, "base/service.yaml": SERVICE,
          "base/kustomization.yaml": "resources:\n- deployment.yaml\n- service.yaml\n",
          "dev/kustomization.yaml": "resources:\n- ../base\nnamePrefix: dev-\n",
          "prod/kustomization.yaml": "resources:\n- ../base\nnamePrefix: prod-\n"})
    dev, prod = build("dev"), build("prod")
    assert sorted(by_name(dev)) == ["Deployment/dev-my-nginx", "Service/dev-my-nginx"]
    assert sorted(by_name(prod)) == ["Deployment/prod-my-nginx", "Service/prod-my-nginx"]
    assert by_name(dev)["Deployment/dev-my-nginx"].body["spec"]["template"]["metadata"] == {
        "labels": {"run": "my-nginx"}}
    assert dev.problems == [] and prod.problems == []


def test_resources_files_lists_and_multi_document(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/ : entries
    are files (every document) or directories holding a kustomization; kind: List is expanded."""
    tree({"k/kustomization.yaml": "resources:\n- two.yaml\n- list.yaml\n- sub\n",
          "k/two.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
                        "apiVersion: v1\nkind: Service\nmetadata: {name: b}\n",
          "k/list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n"
                         "  metadata: {name: c}\n",
          "k/sub/kustomization.yaml": "resources:\n- s.yaml\n",
          "k/sub/s.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n"})
    result = build("k")
    assert [f"{o.current().kind}/{o.current().name}" for o in result.objects] == [
        "Service/a", "Service/b", "Secret/c", "ConfigMap/d"]
    secret = by_name(result)["Secret/c"]
    assert secret.origins.lookup(("metadata", "name")).path == ("items", 0, "metadata", "name")
    assert by_name(result)["Service/b"].origins.lookup(()).doc_index == 1


def test_namespace(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/namespace/ : sets the
    namespace of every namespaced object (generated ones too), overriding what it had; cluster-
    scoped objects keep none."""
    tree({"k/kustomization.yaml": """
            namespace: my-namespace
            configMapGenerator:
            - name: my-config
              literals:
              - FOO=BAR
            resources:
            - deploy.yaml
            - ns.yaml
          """,
          "k/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: example\n"
                           "  namespace: other\n",
          "k/ns.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: my-namespace}\n"})
    objs = by_name(build("k"))
    assert objs["Deployment/example"].body["metadata"]["namespace"] == "my-namespace"
    (cm,) = [o for k, o in objs.items() if k.startswith("ConfigMap/my-config-")]
    assert cm.body["metadata"]["namespace"] == "my-namespace"
    assert "namespace" not in objs["Namespace/my-namespace"].body["metadata"]
    written = objs["Deployment/example"].origins.lookup(("metadata", "namespace"))
    assert (written.file, written.path) == ("k/kustomization.yaml", ("namespace",))


def test_namespace_on_custom_cluster_scoped_kinds_and_namespace_objects(tree: Tree) -> None:
    """The namespace page says "Adds namespace to all resources": kustomize knows the scope of
    the built-in kinds only, so a GatewayClass or ClusterIssuer gets `metadata.namespace` too (the
    API server ignores it on cluster-scoped kinds), and its namespace field specs rename a
    Namespace object to the namespace (`kubectl kustomize`, kustomize v5.5.0, builds exactly
    this). A GatewayClass's namespace is not a rename: a Gateway's gatewayClassName still finds
    it."""
    tree({"k/kustomization.yaml": "namespace: shop-prod\nresources: [r.yaml]\n",
          "k/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: GatewayClass
            metadata: {name: envoy}
            spec: {controllerName: example.com/gateway}
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: letsencrypt}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: reader}
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels: {shared-gateway-access: "true"}
          """})
    result = build("k")
    objs = by_name(result)
    assert sorted(objs) == ["ClusterIssuer/letsencrypt", "ClusterRole/reader",
                            "GatewayClass/envoy", "Namespace/shop-prod"]
    assert objs["GatewayClass/envoy"].body["metadata"] == {"name": "envoy",
                                                           "namespace": "shop-prod"}
    assert objs["ClusterIssuer/letsencrypt"].body["metadata"]["namespace"] == "shop-prod"
    assert "namespace" not in objs["ClusterRole/reader"].body["metadata"]
    assert objs["Namespace/shop-prod"].body["metadata"] == {
        "name": "shop-prod", "labels": {"shared-gateway-access": "true"}}
    renamed = objs["Namespace/shop-prod"].origins.lookup(("metadata", "name"))
    assert (renamed.file, renamed.path) == ("k/kustomization.yaml", ("namespace",))
    assert [(r.old.name, r.new.name) for r in result.renames] == [("shop", "shop-prod")]


def test_a_root_at_the_top_of_the_linted_tree(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/resource/ : files
    in the kustomization's own directory are resources, also when that directory is the current
    one (`kustomize build .`)."""
    tree({"kustomization.yaml": "resources: [svc.yaml, sub/cm.yaml]\n",
          "svc.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n",
          "sub/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"})
    result = build(".")
    assert sorted(by_name(result)) == ["ConfigMap/c", "Service/s"] and result.problems == []


def test_name_prefix_and_suffix(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/nameprefix/ and
    .../namesuffix/ : `namePrefix: alices-` makes `alices-the-deployment`, `nameSuffix: -v2`
    makes `the-deployment-v2`; Namespaces and CRDs are not renamed."""
    tree({"k/kustomization.yaml": "namePrefix: alices-\nnameSuffix: -v2\nresources:\n- d.yaml\n",
          "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: the-deployment}\n"
                      "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n"
                      "---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
                      "metadata: {name: things.example.com}\n"})
    result = build("k")
    assert sorted(by_name(result)) == ["CustomResourceDefinition/things.example.com",
                                       "Deployment/alices-the-deployment-v2", "Namespace/ns"]
    (rename,) = result.renames
    assert (rename.old.name, rename.new.name, rename.field) == (
        "the-deployment", "alices-the-deployment-v2", "namePrefix+nameSuffix")


def test_name_references_follow_renames(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/guides/config_management/namespaces_names/ : "The name
    prefix and suffix will also propagate to Resource references ... Service reference from a
    StatefulSet, ConfigMap reference from a Pod, Secret reference from a Pod"; and the generated
    ConfigMap's hashed name replaces the generator's name in the Deployment
    (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/#configmapgenerator)."""
    tree({"k/kustomization.yaml": """
            namePrefix: p-
            resources:
            - app.yaml
            configMapGenerator:
            - name: example-configmap-1
              literals: [FOO=Bar]
          """,
          "k/app.yaml": """
            apiVersion: v1
            kind: Service
            metadata: {name: db}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              serviceName: db
              template:
                spec:
                  containers:
                  - name: c
                    envFrom:
                    - secretRef: {name: creds}
                  volumes:
                  - name: config
                    configMap: {name: example-configmap-1}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: creds}
          """})
    result = build("k")
    objs = by_name(result)
    (cm,) = [k for k in objs if k.startswith("ConfigMap/")]
    sts = objs["StatefulSet/p-db"].body["spec"]
    assert sts["serviceName"] == "p-db"
    assert sts["template"]["spec"]["containers"][0]["envFrom"][0]["secretRef"]["name"] == "p-creds"
    assert sts["template"]["spec"]["volumes"][0]["configMap"]["name"] == cm.split("/", 1)[1]
    assert cm.startswith("ConfigMap/p-example-configmap-1-")
    assert {u.path for u in result.ref_updates} >= {("spec", "serviceName")}


def test_gateway_api_references_are_not_renamed(tree: Tree) -> None:
    """kustomize's name-reference table (namereference.go) has no Gateway API fields (its master
    branch lists HTTPRoute backendRefs only): parentRefs and backendRefs keep the old names, and
    the build records the renames so that a rule can report them."""
    tree({"k/kustomization.yaml": "namePrefix: prod-\nresources:\n- r.yaml\n",
          "k/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec: {gatewayClassName: c, listeners: [{name: http, port: 80, protocol: HTTP}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
              rules: [{backendRefs: [{name: web, port: 80}]}]
          """})
    result = build("k")
    route = by_name(result)["HTTPRoute/prod-web"].body["spec"]
    assert route["parentRefs"] == [{"name": "gw"}]
    assert route["rules"][0]["backendRefs"][0]["name"] == "web"
    assert {(r.old.kind, r.old.name, r.new.name) for r in result.renames} == {
        ("Gateway", "gw", "prod-gw"), ("Service", "web", "prod-web"),
        ("HTTPRoute", "web", "prod-web")}
    # the HTTPRoute entry of kustomize's master branch, on request
    with_entry = build("k", httproute_backend_refs=True)
    route = by_name(with_entry)["HTTPRoute/prod-web"].body["spec"]
    assert route["rules"][0]["backendRefs"][0]["name"] == "prod-web"
    assert route["parentRefs"] == [{"name": "gw"}]


def test_configurations_name_reference_is_honoured(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/configurations/ and
    kustomize's examples/transformerconfigs: a `nameReference` entry teaches kustomize a field."""
    tree({"k/kustomization.yaml": "namePrefix: p-\nconfigurations: [nameref.yaml]\n"
                                  "resources: [r.yaml]\n",
          "k/nameref.yaml": """
            nameReference:
            - kind: Gateway
              group: gateway.networking.k8s.io
              fieldSpecs:
              - path: spec/parentRefs/name
                kind: HTTPRoute
          """,
          "k/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw}
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
          """})
    result = build("k")
    assert by_name(result)["HTTPRoute/p-web"].body["spec"]["parentRefs"] == [{"name": "p-gw"}]
    assert [(u.path, u.old, u.new) for u in result.ref_updates] == [
        (("spec", "parentRefs", 0, "name"), "gw", "p-gw")]


MULTI = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: deploy1
    spec:
      template:
        metadata:
          labels:
            old-label: old-value
        spec:
          containers:
          - name: nginx
            image: nginx
            args:
            - one
            - two
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: deploy2
      labels:
        key: value
    spec:
      template:
        metadata:
          labels:
            key: value
        spec:
          containers:
          - name: busybox
            image: busybox
"""
SIDECAR = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: not-important
    spec:
      template:
        spec:
          containers:
          - name: istio-proxy
            image: docker.io/istio/proxyv2
            args:
            - proxy
            - sidecar
"""


def test_patches_strategic_merge_with_target(tree: Tree) -> None:
    """kustomize examples/patchMultipleObjects.md (linked from
    https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/): a patch with
    `target: {kind: Deployment}` injects a sidecar into every Deployment; containers of a
    Deployment merge by name (Kubernetes' patchMergeKey), the patch's own name is ignored. The
    patch's elements come first (kustomize merges with ListIncreaseDirection prepend; the order
    checked against `kubectl kustomize`, kustomize v5.5.0)."""
    tree({"k/deployments.yaml": MULTI, "k/patch.yaml": SIDECAR,
          "k/kustomization.yaml": "resources: [deployments.yaml]\npatches:\n- path: patch.yaml\n"
                                  "  target:\n    kind: Deployment\n"})
    objs = by_name(build("k"))
    one = objs["Deployment/deploy1"].body["spec"]["template"]["spec"]["containers"]
    assert one == [{"name": "istio-proxy", "image": "docker.io/istio/proxyv2",
                    "args": ["proxy", "sidecar"]},
                   {"name": "nginx", "image": "nginx", "args": ["one", "two"]}]
    two = objs["Deployment/deploy2"].body["spec"]["template"]["spec"]["containers"]
    assert [c["name"] for c in two] == ["istio-proxy", "busybox"]
    written = objs["Deployment/deploy1"].origins.lookup(
        ("spec", "template", "spec", "containers", 0, "image"))
    assert (written.file, written.path) == (
        "k/patch.yaml", ("spec", "template", "spec", "containers", 0, "image"))
    assert objs["Deployment/deploy1"].origins.lookup(
        ("spec", "template", "spec", "containers", 1, "args", 1)).file == "k/deployments.yaml"


def test_patches_target_selectors(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ : targets by
    labelSelector, annotationSelector and anchored regular expressions on name."""
    tree({"k/deployments.yaml": MULTI, "k/patch.yaml": SIDECAR,
          "k/kustomization.yaml": """
            resources: [deployments.yaml]
            patches:
            - path: patch.yaml
              target: {kind: Deployment, labelSelector: "key=value"}
            - target: {name: deploy, kind: Deployment}
              patch: |-
                - op: add
                  path: /metadata/annotations
                  value: {matched: exact}
            - target: {name: "deploy.*", group: apps, version: v1}
              patch: |-
                - op: add
                  path: /spec/paused
                  value: true
          """})
    result = build("k")
    objs = by_name(result)
    assert [c["name"] for c in objs["Deployment/deploy1"].body["spec"]["template"]["spec"][
        "containers"]] == ["nginx"]
    assert [c["name"] for c in objs["Deployment/deploy2"].body["spec"]["template"]["spec"][
        "containers"]] == ["istio-proxy", "busybox"]  # the patch's elements first
    # `deploy` is anchored: it matches neither deploy1 nor deploy2
    assert codes(result) == ["patch-target-not-found"]
    assert "annotations" not in objs["Deployment/deploy1"].body["metadata"]
    assert objs["Deployment/deploy1"].body["spec"]["paused"] is True
    assert objs["Deployment/deploy2"].body["spec"]["paused"] is True


def test_patches_json6902_file_and_deprecated_bases(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/ : "Each
    patch may be either a strategic merge patch, or a JSON patch; be either a file, or an inline
    string": a file of RFC 6902 operations with a `target` adds a listener to a Gateway (`/-`
    appends); the base comes through the deprecated `bases` field (.../kustomization/bases/:
    "deprecated in v2.1.0 ... Move entries into the resources field"), built as a resource."""
    tree({"base/kustomization.yaml": "resources: [gateway.yaml]\n",
          "base/gateway.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web}
            spec:
              gatewayClassName: c
              listeners: [{name: http, port: 80, protocol: HTTP}]
          """,
          "prod/kustomization.yaml": "bases: [../base]\npatches:\n- path: https.yaml\n"
                                     "  target: {kind: Gateway, name: web}\n",
          "prod/https.yaml": """
            - op: add
              path: /spec/listeners/-
              value:
                name: https
                port: 443
                protocol: HTTPS
                tls:
                  certificateRefs: [{name: web-tls}]
          """})
    gw = by_name(build("prod"))["Gateway/web"]
    assert gw.body["spec"]["listeners"] == [
        {"name": "http", "port": 80, "protocol": "HTTP"},
        {"name": "https", "port": 443, "protocol": "HTTPS",
         "tls": {"certificateRefs": [{"name": "web-tls"}]}}]
    written = gw.origins.lookup(("spec", "listeners", 1, "tls", "certificateRefs", 0, "name"))
    assert (written.file, written.path) == (
        "prod/https.yaml", (0, "value", "tls", "certificateRefs", 0, "name"))
    assert gw.origins.lookup(("spec", "listeners", 0, "port")).file == "base/gateway.yaml"


def test_strategic_merge_replaces_custom_resource_lists(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/openapi/ ("Kustomize
    has an OpenAPI schema builtin, but this schema only has information about builtin kubernetes
    types") and .../kustomization/patches/ (a custom resource list is merged rather than
    replaced only with `openapi` information); kyaml merge2 merges a list by key only when the
    kind's schema has a patch merge key and does not infer keys, so a Gateway's listeners are
    replaced whole by the patch's list."""
    tree({"k/kustomization.yaml": "resources: [r.yaml]\npatches:\n- path: p.yaml\n",
          "k/r.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              gatewayClassName: c
              listeners:
              - {name: http, port: 80, protocol: HTTP}
              - {name: https, port: 443, protocol: HTTPS}
          """,
          "k/p.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - name: http
                hostname: prod.example.com
          """})
    gw = by_name(build("k"))["Gateway/gw"]
    assert gw.body["spec"] == {"gatewayClassName": "c",
                               "listeners": [{"name": "http", "hostname": "prod.example.com"}]}
    assert gw.origins.lookup(("spec", "listeners", 0, "name")).file == "k/p.yaml"
    assert gw.origins.lookup(("spec", "gatewayClassName")).file == "k/r.yaml"


def test_strategic_merge_directives_and_null(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesstrategicmerge/
    (inline entries) and kyaml merge2: `null` deletes a field, `$patch: delete` deletes an element
    of a merged list or the whole object, Service ports merge by port."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            patchesStrategicMerge:
            - |-
              apiVersion: v1
              kind: Service
              metadata: {name: s}
              spec:
                type: null
                ports:
                - {port: 80, $patch: delete}
                - {port: 8080, name: alt}
            - |-
              apiVersion: v1
              kind: ConfigMap
              metadata: {name: gone}
              $patch: delete
          """,
          "k/r.yaml": """
            apiVersion: v1
            kind: Service
            metadata: {name: s}
            spec:
              type: NodePort
              ports: [{port: 80}, {port: 443}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: gone}
          """})
    result = build("k")
    assert sorted(by_name(result)) == ["Service/s"]
    svc = by_name(result)["Service/s"]
    # the patch's new port first, as kustomize v5.5.0 builds it
    assert svc.body["spec"] == {"ports": [{"port": 8080, "name": "alt"}, {"port": 443}]}
    written = svc.origins.lookup(("spec", "ports", 0, "name"))
    assert written.inline == ("patchesStrategicMerge", 0) and written.path == (
        "spec", "ports", 1, "name")
    assert svc.origins.lookup(("spec", "ports", 1, "port")).file == "k/r.yaml"  # moved to 1


def test_patches_json6902(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patchesjson6902/ :
    operations from a file or inline, applied to the target; the target's group may be omitted."""
    tree({"k/kustomization.yaml": """
            resources: [d.yaml]
            patchesJson6902:
            - target: {version: v1, kind: Deployment, name: my-deployment}
              path: add_init_container.yaml
            - target: {version: v1, kind: Deployment, name: my-deployment}
              patch: |-
                - op: replace
                  path: /spec/replicas
                  value: 3
          """,
          "k/d.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: my-deployment}\n"
                      "spec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n"
                      "      - {name: app, image: app}\n",
          "k/add_init_container.yaml": """
            - op: add
              path: /spec/template/spec/initContainers
              value:
              - name: init
                image: busybox
          """})
    d = by_name(build("k"))["Deployment/my-deployment"]
    assert d.body["spec"]["replicas"] == 3
    assert d.body["spec"]["template"]["spec"]["initContainers"] == [{"name": "init",
                                                                     "image": "busybox"}]
    init = d.origins.lookup(("spec", "template", "spec", "initContainers", 0, "image"))
    assert (init.file, init.path) == ("k/add_init_container.yaml", (0, "value", 0, "image"))
    replicas = d.origins.lookup(("spec", "replicas"))
    assert replicas.inline == ("patchesJson6902", 1, "patch") and replicas.path == (0, "value")


def test_json6902_list_insert_shifts_origins(tree: Tree) -> None:
    """RFC 6902 `add` at a list index inserts: the items after it keep their own origins."""
    tree({"k/kustomization.yaml": """
            resources: [r.yaml]
            patches:
            - target: {kind: HTTPRoute}
              patch: |-
                - op: add
                  path: /spec/hostnames/0
                  value: first.example.com
          """,
          "k/r.yaml": "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                      "metadata: {name: r}\nspec:\n  hostnames: [a.example.com]\n"})
    r = by_name(build("k"))["HTTPRoute/r"]
    assert r.body["spec"]["hostnames"] == ["first.example.com", "a.example.com"]
    assert r.origins.lookup(("spec", "hostnames", 1)).file == "k/r.yaml"
    assert r.origins.lookup(("spec", "hostnames", 0)).inline == ("patches", 0, "patch")


DOC_DEPLOY = """
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: example
    spec:
      selector:
        matchLabels:
          app: example
      template:
        metadata:
          labels:
            app: example
"""
DOC_SERVICE = """
    apiVersion: v1
    kind: Service
    metadata:
      name: example
    spec:
      selector:
        app: example
"""


def test_labels_without_selectors(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/labels/ Example 1:
    `labels` add metadata labels only; selectors and templates are not modified."""
    tree({"k/kustomization.yaml": "labels:\n- pairs: {someName: someValue, owner: alice, "
                                  "app: bingo}\nresources: [deploy.yaml, service.yaml]\n",
          "k/deploy.yaml": DOC_DEPLOY, "k/service.yaml": DOC_SERVICE})
    objs = by_name(build("k"))
    pairs = {"someName": "someValue", "owner": "alice", "app": "bingo"}
    assert objs["Deployment/example"].body["metadata"]["labels"] == pairs
    assert objs["Deployment/example"].body["spec"]["selector"] == {
        "matchLabels": {"app": "example"}}
    assert objs["Deployment/example"].body["spec"]["template"]["metadata"]["labels"] == {
        "app": "example"}
    assert objs["Service/example"].body["spec"]["selector"] == {"app": "example"}


def test_labels_include_selectors_and_templates(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/labels/ Example 2
    (includeSelectors: selectors and templates too) and includeTemplates (templates only)."""
    tree({"k/kustomization.yaml": "labels:\n- pairs: {app: bingo}\n  includeSelectors: true\n"
                                  "- pairs: {tier: web}\n  includeTemplates: true\n"
                                  "resources: [deploy.yaml, service.yaml]\n",
          "k/deploy.yaml": DOC_DEPLOY, "k/service.yaml": DOC_SERVICE})
    objs = by_name(build("k"))
    spec = objs["Deployment/example"].body["spec"]
    assert spec["selector"]["matchLabels"] == {"app": "bingo"}
    assert spec["template"]["metadata"]["labels"] == {"app": "bingo", "tier": "web"}
    assert objs["Service/example"].body["spec"]["selector"] == {"app": "bingo"}
    assert objs["Service/example"].body["metadata"]["labels"] == {"app": "bingo", "tier": "web"}


def test_common_labels(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonlabels/ :
    labels on metadata, selectors (Service spec.selector, Deployment matchLabels, created when
    absent) and pod templates."""
    tree({"k/kustomization.yaml": "commonLabels: {someName: someValue, owner: alice, app: bingo}\n"
                                  "resources: [deploy.yaml, service.yaml]\n",
          "k/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: example}\n",
          "k/service.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: example}\n"})
    objs = by_name(build("k"))
    pairs = {"someName": "someValue", "owner": "alice", "app": "bingo"}
    deploy = objs["Deployment/example"]
    assert deploy.body == {"apiVersion": "apps/v1", "kind": "Deployment",
                           "metadata": {"name": "example", "labels": pairs},
                           "spec": {"selector": {"matchLabels": pairs},
                                    "template": {"metadata": {"labels": pairs}}}}
    assert objs["Service/example"].body["spec"] == {"selector": pairs}
    written = deploy.origins.lookup(("spec", "selector", "matchLabels", "owner"))
    assert (written.file, written.path) == ("k/kustomization.yaml", ("commonLabels", "owner"))


def test_common_annotations(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/commonannotations/ :
    annotations on every object and on the pod templates of workloads."""
    tree({"k/kustomization.yaml": "commonAnnotations: {oncallPager: 800-555-1212}\n"
                                  "resources: [deploy.yaml, service.yaml]\n",
          "k/deploy.yaml": DOC_DEPLOY, "k/service.yaml": DOC_SERVICE})
    objs = by_name(build("k"))
    want = {"oncallPager": "800-555-1212"}
    assert objs["Deployment/example"].body["metadata"]["annotations"] == want
    assert objs["Deployment/example"].body["spec"]["template"]["metadata"]["annotations"] == want
    assert objs["Service/example"].body["metadata"]["annotations"] == want
    assert "annotations" not in objs["Service/example"].body["spec"]


def test_components(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/guides/config_management/components/ : a Component
    (kustomize.config.k8s.io/v1alpha1) adds a generated Secret and patches the base's ConfigMap;
    only the overlays that list it get it."""
    tree({"base/kustomization.yaml": "resources: [deployment.yaml]\nconfigMapGenerator:\n"
                                     "- name: conf\n  literals: [main.conf=base]\n",
          "base/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
                                  "metadata: {name: example}\n",
          "components/external_db/kustomization.yaml": """
            apiVersion: kustomize.config.k8s.io/v1alpha1
            kind: Component
            secretGenerator:
            - name: dbpass
              files: [dbpass.txt]
            patches:
            - path: configmap.yaml
          """,
          "components/external_db/dbpass.txt": "s3cr3t",
          "components/external_db/configmap.yaml": """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: conf}
            data:
              db.conf: external
          """,
          "overlays/community/kustomization.yaml": "resources: [../../base]\n"
                                                   "components: [../../components/external_db]\n",
          "overlays/dev/kustomization.yaml": "resources: [../../base]\n"})
    community = build("overlays/community")
    kinds = sorted(k.split("-")[0] for k in by_name(community))
    assert kinds == ["ConfigMap/conf", "Deployment/example", "Secret/dbpass"]
    (conf,) = [o for k, o in by_name(community).items() if k.startswith("ConfigMap/")]
    assert conf.body["data"] == {"main.conf": "base", "db.conf": "external"}
    assert sorted(k.split("-")[0] for k in by_name(build("overlays/dev"))) == [
        "ConfigMap/conf", "Deployment/example"]
    assert community.problems == []


def test_generator_hashes_match_kustomize_v5(tree: Tree) -> None:
    """The inputs of https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/
    #configmapgenerator and .../kustomization/generatoroptions/. Those pages show the suffixes of
    kustomize v3 (example-configmap-2-g2hdhfc6tk, which hashed the name too); kustomize v4 and v5
    hash the content only (see generators.py), and `kubectl kustomize` (kustomize v5.5.0) names
    them as asserted here."""
    tree({"k/kustomization.yaml": """
            configMapGenerator:
            - name: example-configmap-1
              files: [application.properties]
            - name: example-configmap-2
              literals: [FOO=Bar]
            - name: plain
              literals: [a=b]
              options:
                disableNameSuffixHash: true
                labels: {pet: dog}
            secretGenerator:
            - name: example-secret-1
              files: [password.txt]
          """,
          "k/application.properties": "FOO=Bar\n",
          "k/password.txt": "username=admin\npassword=secret\n"})
    result = build("k")
    assert sorted(by_name(result)) == [
        "ConfigMap/example-configmap-1-g4hk9g2ff8", "ConfigMap/example-configmap-2-42cfbf598f",
        "ConfigMap/plain", "Secret/example-secret-1-2kdd8ckcc7"]
    assert by_name(result)["ConfigMap/plain"].body["metadata"]["labels"] == {"pet": "dog"}
    assert content_hash({"kind": "ConfigMap", "metadata": {"name": "my-application-properties"},
                         "data": {"application.properties": "# application.properties\nFOO=Bar"}}
                        ) == "fg7g7c8hm4"


def test_overlay_targets_base_names_and_origins_name_the_patch(tree: Tree) -> None:
    """An overlay's patch names the object as its base left it (kustomize matches current and
    earlier ids); the patched value's origin is the patch line, the rest stays in the base."""
    tree({"base/kustomization.yaml": "namePrefix: b-\nresources: [route.yaml]\n",
          "base/route.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              parentRefs: [{name: gw}]
              hostnames: [a.example.com]
          """,
          "prod/kustomization.yaml": "resources: [../base]\nnamespace: prod\n"
                                     "patches: [{path: hosts.yaml}]\n",
          "prod/hosts.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web}
            spec:
              hostnames: [prod.example.com]
          """})
    result = build("prod")
    route = by_name(result)["HTTPRoute/b-web"]
    assert route.body["metadata"] == {"name": "b-web", "namespace": "prod"}
    assert route.body["spec"]["hostnames"] == ["prod.example.com"]
    assert route.origins.lookup(("spec", "hostnames", 0)).file == "prod/hosts.yaml"
    assert route.origins.lookup(("spec", "parentRefs", 0, "name")).file == "base/route.yaml"
    assert route.patched_by == ["prod/hosts.yaml"]
    assert [i.name for i in route.ids] == ["web", "b-web", "b-web"]


def test_images(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/ : the page's
    example (postgres:8 -> my-registry/my-postgres:v1, nginx:1.7.9 -> nginx:1.8.0,
    my-demo-app:latest -> my-app:latest, alpine:3.7 -> alpine@digest), and what `kubectl
    kustomize` (v5.5.0) does beyond it: entries apply in order (my-app, renamed by an earlier
    entry, gets its tag), to `containers`/`initContainers` anywhere in any kind (a CronJob's, a
    custom resource's), a registry's port is part of the name, a tag with a digest keeps both."""
    digest = "sha256:24a0c4b4a4c0eb97a1aabb8e29f18e917d05abfe1b7a7c07857230879ce7d3d3"
    tree({"k/kustomization.yaml": f"""
            resources: [deployment.yaml]
            images:
            - name: postgres
              newName: my-registry/my-postgres
              newTag: v1
            - name: nginx
              newTag: 1.8.0
            - name: my-demo-app
              newName: my-app
            - name: alpine
              digest: {digest}
            - name: localhost:5000/web
              newTag: "2"
            - name: docker.io/library/nginx
              newName: mirror/nginx
          """,
          "k/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: the-deployment}
            spec:
              template:
                spec:
                  containers:
                  - {name: mypostgresdb, image: "postgres:8"}
                  - {name: nginxapp, image: "nginx:1.7.9"}
                  - {name: myapp, image: "my-demo-app:latest"}
                  - {name: alpine-app, image: "alpine:3.7"}
                  - {name: web, image: "localhost:5000/web:1.0"}
                  - {name: pinned, image: "docker.io/library/nginx:1.2@sha256:abc"}
                  initContainers:
                  - {name: init, image: nginx}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: cj}
            spec:
              jobTemplate:
                spec:
                  template:
                    spec:
                      containers: [{name: c, image: "nginx:old"}]
            ---
            apiVersion: example.com/v1
            kind: Thing
            metadata: {name: t}
            spec:
              deep:
                containers: [{name: c, image: nginx}]
                image: nginx
          """})
    objs = by_name(build("k"))
    pod = objs["Deployment/the-deployment"].body["spec"]["template"]["spec"]
    assert [c["image"] for c in pod["containers"]] == [
        "my-registry/my-postgres:v1", "nginx:1.8.0", "my-app:latest", f"alpine@{digest}",
        "localhost:5000/web:2", "mirror/nginx:1.2@sha256:abc"]
    assert pod["initContainers"][0]["image"] == "nginx:1.8.0"
    assert objs["CronJob/cj"].body["spec"]["jobTemplate"]["spec"]["template"]["spec"][
        "containers"][0]["image"] == "nginx:1.8.0"
    thing = objs["Thing/t"].body["spec"]["deep"]
    assert thing == {"containers": [{"name": "c", "image": "nginx:1.8.0"}], "image": "nginx"}
    written = objs["Deployment/the-deployment"].origins.lookup(
        ("spec", "template", "spec", "containers", 1, "image"))
    assert (written.file, written.path) == ("k/kustomization.yaml", ("images", 1))


def test_replicas(tree: Tree) -> None:
    """https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/replicas/ : the
    page's example (the-deployment, replicas 5 -> 10); the entry names no kind, so it matches
    a Deployment, ReplicationController, ReplicaSet or StatefulSet of any group by its name,
    also the name it had before a namePrefix (`kubectl kustomize`, v5.5.0)."""
    tree({"k/kustomization.yaml": """
            namePrefix: p-
            resources: [deployment.yaml]
            replicas:
            - name: the-deployment
              count: 10
            - name: db
              count: 2
          """,
          "k/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: the-deployment}
            spec:
              replicas: 5
              template:
                containers:
                - name: the-container
                  image: registry/container:latest
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db}
          """})
    result = build("k")
    objs = by_name(result)
    assert objs["Deployment/p-the-deployment"].body["spec"] == {
        "replicas": 10, "template": {"containers": [
            {"name": "the-container", "image": "registry/container:latest"}]}}
    assert objs["StatefulSet/p-db"].body["spec"] == {"replicas": 2}
    assert "spec" not in objs["Service/p-db"].body
    written = objs["StatefulSet/p-db"].origins.lookup(("spec", "replicas"))
    assert (written.file, written.path) == ("k/kustomization.yaml", ("replicas", 1, "count"))
    assert result.problems == []
