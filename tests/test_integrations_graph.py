"""`gwlint graph`: the demo repository's graph in JSON, Mermaid and DOT, broken edges, --focus."""

from __future__ import annotations

import json
import os
import re
import textwrap
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parent.parent


def graph(args: list[str], cwd: Path = ROOT):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["graph", *args], catch_exceptions=False)
    finally:
        os.chdir(old)


def as_json(args: list[str], cwd: Path = ROOT) -> tuple[dict[str, dict], list[tuple]]:
    result = graph(["--format", "json", *args], cwd)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    nodes = {n["id"]: n for n in doc["nodes"]}

    def name(node_id: str) -> str:
        n = nodes[node_id]
        if n["kind"] == "listener":
            return f"listener {n['namespace']}/{n['name']}/{n['listener']}"
        return f"{n['kind']} {n['namespace'] + '/' if n['namespace'] else ''}{n['name']}"

    edges = [(name(e["source"]), name(e["target"]), e["type"], e["broken"], e["label"])
             for e in doc["edges"]]
    return {name(i): n for i, n in nodes.items()}, edges


def test_demo_graph():
    nodes, edges = as_json(["examples/demo"])
    assert set(edges) == {
        ("GatewayClass envoy", "Gateway infra/shared-gateway", "gatewayClass", False, None),
        ("Gateway infra/shared-gateway", "listener infra/shared-gateway/http", "listener", False,
         None),
        ("Gateway infra/shared-gateway", "listener infra/shared-gateway/https-shop", "listener",
         False, None),
        ("listener infra/shared-gateway/https-shop", "HTTPRoute shop/storefront", "attached",
         False, None),
        ("listener infra/shared-gateway/https-shop", "Secret shop/shop-tls", "certificateRef",
         False, None),
        ("Gateway blog/shared-gateway", "HTTPRoute blog/blog", "parentRef", True, "not found"),
        ("HTTPRoute blog/blog", "Service blog/blog", "backendRef", False, None),
        ("HTTPRoute shop/storefront", "Service shop/storefront", "backendRef", False, None),
        ("HTTPRoute shop/storefront", "Service shop/storefront-canary", "backendRef", False,
         None),
        ("HTTPRoute shop/storefront", "Service payments/payments", "backendRef", True,
         "refused: no ReferenceGrant"),
        ("GatewayClass envoy", "Gateway infra/internal-gateway", "gatewayClass", False, None),
        ("Gateway infra/internal-gateway", "listener infra/internal-gateway/http", "listener",
         False, None),
        ("Gateway infra/internal-gateway", "HTTPRoute admin/admin-ui", "parentRef", True,
         "not allowed by listeners"),
        ("HTTPRoute admin/admin-ui", "Service admin/admin-ui", "backendRef", False, None),
    }
    assert nodes["Gateway blog/shared-gateway"]["missing"] is True
    assert nodes["HTTPRoute blog/blog"]["unattached"] is True
    assert nodes["HTTPRoute shop/storefront"]["unattached"] is False
    assert nodes["Gateway infra/shared-gateway"]["file"] == "examples/demo/infra/gateway.yaml"


def test_demo_graph_in_mermaid():
    result = graph(["examples/demo"])
    assert result.exit_code == 0
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    ids = set(re.findall(r"^\s+(n_\w+)[\[(]", text, re.MULTILINE))
    assert "n_HTTPRoute_blog_blog" in ids and all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids)
    links = [line.strip() for line in lines if "-->" in line or ".->" in line]
    assert len(links) == 14
    broken = [i for i, link in enumerate(links) if ".->" in link]
    assert links[broken[0]] == ('n_Gateway_blog_shared_gateway -. "not found" .-> '
                                'n_HTTPRoute_blog_blog')
    assert f"  linkStyle {','.join(map(str, broken))} stroke:#d32f2f" in text
    assert "  class n_Gateway_blog_shared_gateway missing" in text
    assert "  class n_HTTPRoute_admin_admin_ui,n_HTTPRoute_blog_blog unattached" in text
    assert '  subgraph g1["namespace admin"]' in text
    # every link joins declared nodes
    for link in links:
        src, dst = link.split()[0], link.split()[-1]
        assert src in ids and dst in ids


def test_demo_graph_in_dot():
    result = graph(["examples/demo", "--format", "dot"])
    text = result.stdout
    assert text.startswith("digraph gwlint {\n") and text.endswith("}\n")
    assert text.count(" -> ") == 14
    assert ('"n_HTTPRoute_shop_storefront" -> "n_Service_payments_payments" '
            '[label="refused: no ReferenceGrant", style=dashed, color=red') in text
    assert ('"n_Gateway_blog_shared_gateway" [label="Gateway (missing)\\nblog/shared-gateway"'
            in text)


def test_focus_keeps_the_neighbourhood():
    nodes, _edges = as_json(["examples/demo", "--focus", "HTTPRoute/shop/storefront"])
    assert set(nodes) == {
        "HTTPRoute shop/storefront", "listener infra/shared-gateway/https-shop",
        "Gateway infra/shared-gateway", "listener infra/shared-gateway/http",
        "GatewayClass envoy", "Secret shop/shop-tls", "Service shop/storefront",
        "Service shop/storefront-canary", "Service payments/payments"}
    nodes, _ = as_json(["examples/demo", "--focus", "httproute/blog/blog"])
    assert set(nodes) == {"HTTPRoute blog/blog", "Gateway blog/shared-gateway",
                          "Service blog/blog"}
    nodes, _ = as_json(["examples/demo", "--focus", "GatewayClass/envoy", "--radius", "1"])
    assert set(nodes) == {"GatewayClass envoy", "Gateway infra/shared-gateway",
                          "Gateway infra/internal-gateway", "listener infra/internal-gateway/http",
                          "listener infra/shared-gateway/http",
                          "listener infra/shared-gateway/https-shop"}


def test_unknown_focus_is_a_usage_error():
    result = graph(["examples/demo", "--focus", "HTTPRoute/infra/storefront"])
    assert result.exit_code == 2
    assert ("no such object in the graph (found: HTTPRoute/shop/storefront, "
            "Service/shop/storefront)") in result.stderr
    result = graph(["examples/demo", "--focus", "storefront"])
    assert result.exit_code == 2 and "KIND/NAMESPACE/NAME" in result.stderr


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).write_text(textwrap.dedent(text), encoding="utf-8")


def test_refused_attachment_external_objects_and_hostile_names(tmp_path):
    write(tmp_path, {
        "gw.yaml": """\
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata:
              name: gw
              namespace: infra
            spec:
              gatewayClassName: managed
              listeners:
              - name: http
                protocol: HTTP
                port: 80
            """,
        "route.yaml": """\
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: "web\\"]end[\\"x"
              namespace: app
            spec:
              parentRefs:
              - name: gw
                namespace: infra
              - name: edge
                namespace: outside
              rules:
              - backendRefs:
                - name: web
                  port: 80
            """,
    })
    nodes, edges = as_json(["--gateway-class", "managed", "--assume-exists", "Gateway/outside/*",
                            "."], tmp_path)
    route = 'HTTPRoute app/web"]end["x'
    assert ("Gateway infra/gw", route, "parentRef", True, "not allowed by listeners") in edges
    assert ("Gateway outside/edge", route, "parentRef", False, "external") in edges
    assert (route, "Service app/web", "backendRef", True, "not found") in edges
    assert nodes["GatewayClass managed"]["external"] is True
    assert nodes[route]["unattached"] is False  # attached through the external Gateway

    mermaid = graph(["--gateway-class", "managed", "."], tmp_path).stdout
    label = next(line for line in mermaid.splitlines() if "n_HTTPRoute_app_web" in line
                 and "[" in line)
    assert 'web#quot;#93;end#91;#quot;x' in label
    assert label.count('"') == 2  # only the label's own quotes


def test_parameters_refs_are_edges_of_the_one_reference_graph(tmp_path):
    """A GatewayClass's parametersRef and a Gateway's infrastructure.parametersRef are references
    like the others: drawn (broken when the object is missing, never refused for want of a
    ReferenceGrant) and judged by the status model from the same `Ref`."""
    write(tmp_path, {"gw.yaml": """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: envoy}
        spec:
          controllerName: gateway.envoyproxy.io/gatewayclass-controller
          parametersRef: {group: "", kind: ConfigMap, namespace: infra, name: missing}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: envoy
          infrastructure:
            parametersRef: {group: "", kind: ConfigMap, name: proxy}
          listeners: [{name: http, port: 80, protocol: HTTP}]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: proxy, namespace: infra}
        """})
    _, edges = as_json(["."], tmp_path)
    assert ("GatewayClass envoy", "ConfigMap infra/missing", "parametersRef", True,
            "not found") in edges
    assert ("Gateway infra/gw", "ConfigMap infra/proxy", "parametersRef", False, None) in edges
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["status", "--format", "json", "."],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    items = {i["kind"]: i for i in json.loads(result.stdout)["items"]}
    [accepted] = [c for c in items["GatewayClass"]["status"]["conditions"]
                  if c["type"] == "Accepted"]
    assert (accepted["status"], accepted["reason"]) == ("False", "InvalidParameters")
