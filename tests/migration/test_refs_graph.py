"""Ingresses in the one reference graph: their references (refs.py) and how `gwlint graph` draws
them (IngressClass -> Ingress -> Service/Secret, `resource:` backends, Kong plugins)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from gwlint.cli import main
from gwlint.graph import build_view, render_json
from gwlint.model import ObjKey, is_cluster_scoped
from gwlint.refs import INGRESS_BACKEND, INGRESS_CLASS, INGRESS_TLS, KONG_PLUGIN
from tests.migration.helpers import context

V1 = """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
    konghq.com/plugins: "limit, cors, limit"
spec:
  ingressClassName: kong
  defaultBackend:
    service: {name: fallback, port: {name: http}}
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  - hosts: [other.example.com]
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {name: web, port: {number: 8080}}
      - path: /assets
        pathType: Prefix
        backend:
          resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}
      - path: /broken
        pathType: Prefix
        backend: "not a mapping"
  - host: nohttp.example.com
"""
V1BETA1 = """
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  namespace: legacy
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  backend: {serviceName: default-http, servicePort: 80}
  rules:
  - http:
      paths:
      - path: /
        backend: {serviceName: old-site, servicePort: http}
"""
OBJECTS = """
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: kong}
spec: {controller: ingress-controllers.konghq.com/kong}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: limit, namespace: shop}
plugin: rate-limiting
---
apiVersion: configuration.konghq.com/v1
kind: KongClusterPlugin
metadata: {name: cors}
plugin: cors
"""


def refs_of(ctx, *types):
    return [(r.type, r.path, r.target, r.port) for r in ctx.refs(*types)]


def key(group, kind, ns, name):
    return ObjKey("", group, kind, ns, name)


def test_v1_ingress_references():
    ctx = context(V1)
    got = refs_of(ctx, INGRESS_CLASS, INGRESS_BACKEND, INGRESS_TLS, KONG_PLUGIN)
    rule = ("spec", "rules", 0, "http", "paths")
    assert got == [
        (INGRESS_CLASS, ("spec", "ingressClassName"),
         key("networking.k8s.io", "IngressClass", None, "kong"), None),
        (INGRESS_BACKEND, ("spec", "defaultBackend"), key("", "Service", "shop", "fallback"), None),
        (INGRESS_BACKEND, rule + (0, "backend"), key("", "Service", "shop", "web"), 8080),
        (INGRESS_BACKEND, rule + (1, "backend", "resource"),
         key("k8s.example.com", "StorageBucket", "shop", "assets"), None),
        (INGRESS_TLS, ("spec", "tls", 0, "secretName"), key("", "Secret", "shop", "shop-tls"),
         None),
        # the annotation names `limit` twice: one reference each
        (KONG_PLUGIN, ("metadata", "annotations", "konghq.com/plugins"),
         key("configuration.konghq.com", "KongPlugin", "shop", "limit"), None),
        (KONG_PLUGIN, ("metadata", "annotations", "konghq.com/plugins"),
         key("configuration.konghq.com", "KongPlugin", "shop", "cors"), None),
    ]


def test_v1beta1_ingress_references_and_the_class_annotation():
    ctx = context(V1BETA1)
    got = refs_of(ctx, INGRESS_CLASS, INGRESS_BACKEND)
    assert got == [
        (INGRESS_CLASS, ("metadata", "annotations", "kubernetes.io/ingress.class"),
         key("networking.k8s.io", "IngressClass", None, "nginx"), None),
        (INGRESS_BACKEND, ("spec", "backend"), key("", "Service", "legacy", "default-http"), 80),
        # a port name is no port number
        (INGRESS_BACKEND, ("spec", "rules", 0, "http", "paths", 0, "backend"),
         key("", "Service", "legacy", "old-site"), None),
    ]


def test_mistyped_ingresses_make_no_reference():
    ctx = context("""
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bad, annotations: [not, a, map]}
spec:
  ingressClassName: 7
  defaultBackend: [1, 2]
  rules: {not: a list}
  tls: [7, {secretName: [x]}]
""", """
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: worse}
spec: "text"
""")
    assert refs_of(ctx, INGRESS_CLASS, INGRESS_BACKEND, INGRESS_TLS, KONG_PLUGIN) == []


def test_kong_cluster_plugin_is_cluster_scoped():
    assert is_cluster_scoped("configuration.konghq.com", "KongClusterPlugin")
    assert not is_cluster_scoped("configuration.konghq.com", "KongPlugin")


def test_graph_draws_ingresses():
    view = build_view(context(V1, OBJECTS))
    doc = json.loads(render_json(view))
    ids = {n["id"]: n for n in doc["nodes"]}
    edges = {(ids[e["source"]]["kind"], ids[e["source"]]["name"], e["type"],
              ids[e["target"]]["kind"], ids[e["target"]]["name"], e["reason"])
             for e in doc["edges"]}
    assert edges == {
        ("IngressClass", "kong", "ingressClass", "Ingress", "web", None),
        ("Ingress", "web", "ingressBackend", "Service", "web", None),
        ("Ingress", "web", "ingressBackend", "Service", "fallback", "missing"),
        ("Ingress", "web", "ingressBackend", "StorageBucket", "assets", "missing"),
        ("Ingress", "web", "ingressTLS", "Secret", "shop-tls", "missing"),
        ("Ingress", "web", "kongPlugin", "KongPlugin", "limit", None),
        # no KongPlugin 'cors' in the namespace: Kong uses the KongClusterPlugin
        ("Ingress", "web", "kongPlugin", "KongClusterPlugin", "cors", None),
    }
    # the Ingress sits with the routes, its class with the GatewayClasses
    order = [n["kind"] for n in doc["nodes"]]
    assert order.index("IngressClass") < order.index("Ingress") < order.index("Service")


def test_missing_ingress_class_is_a_broken_edge():
    view = build_view(context(V1BETA1))
    [edge] = [e for e in view.edges.values() if e.type == "ingressClass"]
    assert (edge.broken, edge.label) == (True, "IngressClass not found")


def test_graph_command_focus_on_an_ingress(tmp_path):
    (tmp_path / "a.yaml").write_text(V1 + "---\n" + OBJECTS, encoding="utf-8")
    result = CliRunner().invoke(main, ["graph", str(tmp_path), "--isolated", "--format", "json",
                                       "--focus", "Ingress/shop/web", "--radius", "1"])
    assert result.exit_code == 0, result.output
    names = {(n["kind"], n["name"]) for n in json.loads(result.output)["nodes"]}
    assert {("Ingress", "web"), ("Service", "web"), ("IngressClass", "kong"),
            ("KongPlugin", "limit")} <= names
    assert ("Service", "fallback") in names  # missing, but one hop away
