"""The Ingress model: v1 and the removed v1beta1 APIs, classes and controllers, and bad input
reported as structured problems (never an exception)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwlint.migration import (build_inventory, check_parity, read_ingresses, render_markdown,
                              render_table)
from tests.migration.helpers import NGINX_CLASS, context, docs_context, ingress


def model(*texts: str):
    return read_ingresses(context(*texts))


def only(*texts: str):
    [info] = model(*texts).ingresses
    return info


def codes(info) -> list[str]:
    return [p.code for p in info.problems]


V1 = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  defaultBackend:
    service: {name: fallback, port: {name: http}}
  tls:
  - hosts: [shop.example.com, "*.shop.example.com"]
    secretName: shop-tls
  rules:
  - host: Shop.Example.com
    http:
      paths:
      - path: /cart
        pathType: Prefix
        backend:
          service: {name: cart, port: {number: 8080}}
      - path: /static
        pathType: ImplementationSpecific
        backend:
          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}
  - http:
      paths:
      - path: /healthz
        pathType: Exact
        backend:
          service: {name: health, port: {number: 80}}
"""


def test_v1_ingress_is_normalised():
    info = only(V1)
    assert info.api == "v1" and info.class_name == "nginx" and info.class_source == \
        "ingressClassName"
    cart, static, health = info.paths
    assert (cart.host, cart.path, cart.path_type) == ("shop.example.com", "/cart", "Prefix")
    assert cart.backend.label() == "cart:8080" and cart.backend.namespace == "shop"
    assert cart.json_path == ("spec", "rules", 0, "http", "paths", 0)
    assert static.backend.kind == "StorageBucket" and not static.backend.is_service
    assert (health.host, health.effective_type) == (None, "Exact")
    assert health.json_path == ("spec", "rules", 1, "http", "paths", 0)
    assert info.default_backend.label() == "fallback:http"
    assert info.default_backend.path == ("spec", "defaultBackend")
    [tls] = info.tls
    assert tls.hosts == [(0, "shop.example.com"), (1, "*.shop.example.com")]
    assert tls.secret_name == "shop-tls"
    assert info.hosts() == ["shop.example.com", None]
    assert info.annotations == {"nginx.ingress.kubernetes.io/rewrite-target": "/"}
    assert codes(info) == ["resource-backend"]  # info: a resource backend is not a Service


@pytest.mark.parametrize("api", ["extensions/v1beta1", "networking.k8s.io/v1beta1"])
def test_removed_v1beta1_ingress(api):
    info = only(f"""\
        apiVersion: {api}
        kind: Ingress
        metadata: {{name: old, namespace: shop}}
        spec:
          backend: {{serviceName: fallback, servicePort: 80}}
          rules:
          - host: old.example.com
            http:
              paths:
              - path: /a
                backend: {{serviceName: a, servicePort: http}}
              - path: /b
                pathType: Exact
                backend: {{serviceName: b, servicePort: "8080"}}
        """)
    assert info.api == "v1beta1"
    a, b = info.paths
    assert a.path_type is None and a.effective_type == "ImplementationSpecific"
    assert (a.backend.name, a.backend.port_name) == ("a", "http")
    assert (b.backend.name, b.backend.port_number) == ("b", 8080)
    assert a.backend.path == ("spec", "rules", 0, "http", "paths", 0, "backend")
    assert info.default_backend.label() == "fallback:80"
    assert codes(info) == ["removed-api"]  # no pathType is fine in v1beta1
    [problem] = info.problems
    assert problem.severity == "error" and problem.path == ("apiVersion",)
    assert "1.22" in problem.message


def test_v1beta1_fields_in_v1_are_reported():
    info = only("""\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: mixed}
        spec:
          backend: {serviceName: fallback, servicePort: 80}
          rules:
          - http:
              paths:
              - path: /
                pathType: Prefix
                backend: {serviceName: a, servicePort: 80}
        """)
    assert "removed-field" in codes(info)
    assert info.paths[0].backend is None or info.paths[0].backend.name != "a"


@pytest.mark.parametrize("spec,code,path", [
    ("rules: []", "no-rules", ("spec",)),
    ("{}", "no-rules", ("spec",)),
    ("rules: [{host: a.example.com}]", "rule-without-paths", ("spec", "rules", 0)),
    ("rules: [{host: a.example.com, http: {paths: []}}]", "rule-without-paths",
     ("spec", "rules", 0, "http")),
    ("rules: [{http: {paths: [{path: /a, backend: {service: {name: a, port: {number: 80}}}}]}}]",
     "path-type-missing", ("spec", "rules", 0, "http", "paths", 0)),
    ("rules: [{http: {paths: [{path: /a, pathType: Regex, backend: {service: {name: a, port: "
     "{number: 80}}}}]}}]", "path-type-invalid", ("spec", "rules", 0, "http", "paths", 0,
                                                  "pathType")),
    ("rules: [{http: {paths: [{path: a, pathType: Prefix, backend: {service: {name: a, port: "
     "{number: 80}}}}]}}]", "path-invalid", ("spec", "rules", 0, "http", "paths", 0, "path")),
    ("rules: [{http: {paths: [{pathType: Exact, backend: {service: {name: a, port: "
     "{number: 80}}}}]}}]", "path-invalid", ("spec", "rules", 0, "http", "paths", 0)),
    ("rules: [{http: {paths: [{path: /a, pathType: Prefix}]}}]", "backend-missing",
     ("spec", "rules", 0, "http", "paths", 0)),
    ("rules: [{http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a}}}]}}]",
     "backend-port-invalid", ("spec", "rules", 0, "http", "paths", 0, "backend", "service")),
    ("rules: [{http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a, port: "
     "{number: 80, name: http}}}}]}}]", "backend-port-invalid",
     ("spec", "rules", 0, "http", "paths", 0, "backend", "service", "port")),
    ("rules: [{http: {paths: [{path: /a, pathType: Prefix, backend: {}}]}}]", "backend-invalid",
     ("spec", "rules", 0, "http", "paths", 0, "backend")),
    ("rules: [{http: {paths: [{path: /a, pathType: Prefix, backend: {resource: {kind: X}}}]}}]",
     "backend-invalid", ("spec", "rules", 0, "http", "paths", 0, "backend", "resource")),
    ("rules: {host: a}", "mistyped", ("spec", "rules")),
    ("rules: [3]", "mistyped", ("spec", "rules", 0)),
    ("rules: [{host: 7, http: {paths: [{path: /a, pathType: Prefix, backend: {service: {name: a,"
     " port: {number: 80}}}}]}}]", "mistyped", ("spec", "rules", 0, "host")),
    ("rules: [{http: {paths: {path: /a}}}]", "mistyped", ("spec", "rules", 0, "http")),
    ("rules: [{http: {paths: [{path: 5, pathType: Prefix, backend: {service: {name: a, port: "
     "{number: 80}}}}]}}]", "mistyped", ("spec", "rules", 0, "http", "paths", 0, "path")),
    ("rules: [{host: 10.0.0.1, http: {paths: [{path: /, pathType: Prefix, backend: {service: "
     "{name: a, port: {number: 80}}}}]}}]", "host-invalid", ("spec", "rules", 0, "host")),
    ("rules: [{host: 'a.*.example.com', http: {paths: [{path: /, pathType: Prefix, backend: "
     "{service: {name: a, port: {number: 80}}}}]}}]", "host-invalid",
     ("spec", "rules", 0, "host")),
    ("tls: {hosts: [a]}\nrules: []", "mistyped", ("spec", "tls")),
    ("tls: [{secretName: x}]\nrules: []", "tls-without-hosts", ("spec", "tls", 0)),
    ("tls: [{hosts: [a.example.com], secretName: 5}]\nrules: []", "mistyped",
     ("spec", "tls", 0, "secretName")),
    ("ingressClassName: 5\nrules: []", "mistyped", ("spec", "ingressClassName")),
])
def test_bad_input_is_a_problem_at_its_field(spec, code, path):
    text = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad}\nspec:\n"
    text += "".join(f"  {line}\n" for line in spec.splitlines())
    info = only(text)
    found = [p for p in info.problems if p.code == code]
    assert found, codes(info)
    assert found[0].path == path and found[0].resource is info.resource
    check_parity(context(text))  # and the parity computation copes with it


def test_spec_missing_or_mistyped():
    assert codes(only("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\n")
                 ) == ["no-spec"]
    assert codes(only("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\n"
                      "spec: [1]\n")) == ["mistyped"]


def test_annotation_values_must_be_strings():
    info = only("""\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: a
          annotations:
            nginx.ingress.kubernetes.io/ssl-redirect: false
            nginx.ingress.kubernetes.io/proxy-body-size: 8
            example.com/list: [1, 2]
        spec: {rules: []}
        """)
    found = {p.path[-1]: p for p in info.problems if p.code == "annotation-not-string"}
    assert set(found) == {"nginx.ingress.kubernetes.io/ssl-redirect",
                          "nginx.ingress.kubernetes.io/proxy-body-size", "example.com/list"}
    assert 'nginx.ingress.kubernetes.io/ssl-redirect: "false"' in \
        found["nginx.ingress.kubernetes.io/ssl-redirect"].hint
    # read as the string the user meant, so the checks still see them
    assert info.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] == "false"
    assert "example.com/list" not in info.annotations


def test_unknown_and_ignored_annotations():
    info = only("""\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: a
          annotations:
            nginx.ingress.kubernetes.io/rewrite-targt: /
            nginx.ingress.kubernetes.io/made-up: x
            konghq.com/strip-path: "true"
            example.com/other: x
        spec: {ingressClassName: nginx}
        """)
    found = {p.path[-1]: p for p in info.problems if p.code.startswith("annotation")}
    assert found["nginx.ingress.kubernetes.io/rewrite-targt"].code == "annotation-unknown"
    assert "did you mean 'nginx.ingress.kubernetes.io/rewrite-target'" in \
        found["nginx.ingress.kubernetes.io/rewrite-targt"].message
    assert found["nginx.ingress.kubernetes.io/made-up"].code == "annotation-unknown"
    assert "did you mean" not in found["nginx.ingress.kubernetes.io/made-up"].message
    assert found["konghq.com/strip-path"].code == "annotation-ignored"
    assert "example.com/other" not in found


CLASSES = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: public}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: api-gw
  annotations: {ingressclass.kubernetes.io/is-default-class: "true"}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: traefik}
spec: {controller: traefik.io/ingress-controller}
"""


RULES = "rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: a, " \
    "port: {number: 80}}}}]}}]"


def _ing(name: str, extra: str = "", annotations: str = "") -> str:
    ann = f"\n  annotations: {{{annotations}}}" if annotations else ""
    return f"""\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}{ann}
spec:
  {RULES}
  {extra}
"""


def test_class_and_controller_resolution():
    m = model(CLASSES + _ing("by-field", "ingressClassName: public")
              + _ing("by-annotation", annotations="kubernetes.io/ingress.class: public")
              + _ing("by-default") + _ing("other", "ingressClassName: traefik")
              + _ing("missing", "ingressClassName: nginx-internal"))
    by = {i.resource.name: i for i in m.ingresses}
    assert (by["by-field"].provider, by["by-field"].controller) == ("ingress-nginx",
                                                                    "k8s.io/ingress-nginx")
    assert by["by-annotation"].class_source == "annotation"
    assert by["by-annotation"].provider == "ingress-nginx"
    assert (by["by-default"].class_name, by["by-default"].class_source) == ("api-gw", "default")
    assert by["by-default"].provider == "kong"
    assert by["other"].provider == "other"
    # a class the repository does not define: reported, then guessed from its name
    assert codes(by["missing"]) == ["class-not-found"]
    assert by["missing"].provider == "ingress-nginx"


def test_class_conflict_and_guessing_without_classes():
    m = model(_ing("both", "ingressClassName: kong",
                   annotations="kubernetes.io/ingress.class: nginx")
              + _ing("kong-by-name", "ingressClassName: ingress-kong") + _ing("none"))
    by = {i.resource.name: i for i in m.ingresses}
    assert codes(by["both"]) == ["class-conflict"] and by["both"].provider == "kong"
    assert by["kong-by-name"].provider == "kong" and codes(by["kong-by-name"]) == []
    assert by["none"].provider == "unknown" and by["none"].class_name is None


def test_kong_plugins_must_exist():
    text = _ing("k", "ingressClassName: kong", annotations="konghq.com/plugins: 'rl, gone'")
    plugins = """\
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: rl}
plugin: rate-limiting
"""
    info = only(text + plugins)
    found = [p for p in info.problems if p.code == "kong-plugin-not-found"]
    assert len(found) == 1 and "'gone'" in found[0].message
    cluster = """\
---
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: gone}
plugin: cors
"""
    assert [p for p in only(text + plugins + cluster).problems
            if p.code == "kong-plugin-not-found"] == []


def test_model_is_cached_per_run():
    ctx = context(V1)
    assert read_ingresses(ctx) is read_ingresses(ctx)


# --- no input makes it raise ------------------------------------------------------------------
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["host", "http", "paths", "path", "pathType", "backend", "service",
                         "name", "port", "number", "serviceName", "servicePort", "resource",
                         "tls", "hosts", "secretName", "rules", "defaultBackend", "kind"]),
        inner, max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=_json, annotations=st.dictionaries(
    st.sampled_from(["nginx.ingress.kubernetes.io/rewrite-target",
                     "nginx.ingress.kubernetes.io/canary", "nginx.ingress.kubernetes.io/use-regex",
                     "nginx.ingress.kubernetes.io/ssl-redirect", "konghq.com/plugins",
                     "konghq.com/methods", "nginx.ingress.kubernetes.io/canary-weight",
                     "kubernetes.io/ingress.class"]),
    st.text(max_size=6) | st.integers(), max_size=3),
    api=st.sampled_from(["networking.k8s.io/v1", "extensions/v1beta1"]))
def test_random_ingresses_never_raise(spec, annotations, api):
    doc = {"apiVersion": api, "kind": "Ingress",
           "metadata": {"name": "x", "annotations": annotations}, "spec": spec}
    docs = [NGINX_CLASS, doc, ingress("ok")]
    ctx = docs_context(docs)
    result = check_parity(ctx)
    for p in result.model.problems:
        assert p.severity in ("error", "warning", "info") and isinstance(p.path, tuple)
    inv = build_inventory(ctx, result)
    render_table(inv)
    render_markdown(inv)
