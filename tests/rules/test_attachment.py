"""Route attachment rules GW201-GW205 and GW212: fire, near-misses, fixed versions clean."""

from __future__ import annotations

import pytest

GWC = """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: envoy
spec:
  controllerName: example.com/gateway-controller
"""

# listeners: http (80, any host, from: Same), https (443, *.example.com, from: All),
# tls (443, TLS passthrough, db.example.com, from: All)
GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls:
      certificateRefs:
      - name: wildcard-tls
    allowedRoutes:
      namespaces:
        from: All
  - name: tls
    port: 443
    protocol: TLS
    hostname: db.example.com
    tls:
      mode: Passthrough
    allowedRoutes:
      namespaces:
        from: All
"""

NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: infra
---
apiVersion: v1
kind: Namespace
metadata:
  name: app
  labels:
    team: shop
"""


def route(parent: str, hostnames: str = "", namespace: str = "app", kind: str = "HTTPRoute",
          name: str = "web") -> str:
    """An HTTPRoute (or GRPCRoute) with one parentRef given as YAML lines (indented 2)."""
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
spec:
  parentRefs:
{parent}{hostnames}  rules:
  - backendRefs:
    - name: web
      port: 80
"""


def tls_route(parent: str, hostnames: str = "  hostnames:\n  - db.example.com\n") -> str:
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata:
  name: db
  namespace: app
spec:
  parentRefs:
{parent}{hostnames}  rules:
  - backendRefs:
    - name: db
      port: 5432
"""


def tcp_route(parent: str) -> str:
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: TCPRoute
metadata:
  name: raw
  namespace: app
spec:
  parentRefs:
{parent}  rules:
  - backendRefs:
    - name: raw
      port: 9000
"""


def tree(*routes: str, gateway: str = GATEWAY, namespaces: str = NAMESPACES) -> dict[str, str]:
    files = {"infra/class.yaml": GWC, "infra/gateway.yaml": gateway}
    if namespaces:
        files["infra/namespaces.yaml"] = namespaces
    for i, r in enumerate(routes):
        files[f"apps/route{i}.yaml"] = r
    return files


ATTACH = ["GW201", "GW202", "GW203", "GW204", "GW205", "GW212"]


def summary(out: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"]) for f in out]


def pred(f: dict) -> tuple | None:
    p = f["predicts"]
    return (p["type"], p["status"], p["reason"]) if p else None


REF_HTTPS = "  - name: web\n    namespace: infra\n    sectionName: https\n"
REF_ALL = "  - name: web\n    namespace: infra\n"
HOSTS_SHOP = "  hostnames:\n  - shop.example.com\n"


# --- the fixtures are valid objects ------------------------------------------------------------
def test_fixtures_are_schema_valid(lint_tree):
    files = tree(route(REF_HTTPS, HOSTS_SHOP),
                 route(REF_ALL, HOSTS_SHOP, kind="GRPCRoute", name="grpc"),
                 tls_route(REF_ALL), tcp_route(REF_ALL))
    out = lint_tree(files, select=["GW0"])
    assert out == []


# --- GW201 no-matching-parent ------------------------------------------------------------------
def test_gw201_section_name_typo(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    sectionName: htps\n"
    out = lint_tree(tree(route(ref, HOSTS_SHOP)), select=["GW201"])
    assert summary(out) == [("GW201", "apps/route0.yaml", 10, "/spec/parentRefs/0/sectionName")]
    f = out[0]
    assert pred(f) == ("Accepted", "False", "NoMatchingParent")
    assert f["severity"] == "error"
    assert f["parent"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                           "namespace": "infra", "name": "web", "sectionName": "htps",
                           "port": None}
    assert "did you mean sectionName: https" in f["hint"]
    assert "'http' (80/HTTP, any host)" in f["hint"]
    assert f["related"][0]["file"] == "infra/gateway.yaml"


def test_gw201_port_matches_no_listener(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    port: 8443\n"
    out = lint_tree(tree(route(ref, HOSTS_SHOP)), select=["GW201"])
    assert summary(out) == [("GW201", "apps/route0.yaml", 10, "/spec/parentRefs/0/port")]
    assert "port 8443 matches no listener" in out[0]["message"]


def test_gw201_section_and_port_must_both_match(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    sectionName: https\n    port: 80\n"
    out = lint_tree(tree(route(ref, HOSTS_SHOP)), select=["GW201"])
    assert summary(out) == [("GW201", "apps/route0.yaml", 11, "/spec/parentRefs/0/port")]
    assert "listens on port 443" in out[0]["message"]


@pytest.mark.parametrize("ref", [
    REF_HTTPS,
    "  - name: web\n    namespace: infra\n    port: 443\n",
    "  - name: web\n    namespace: infra\n    sectionName: https\n    port: 443\n",
    REF_ALL,
])
def test_gw201_matching_refs_do_not_fire(lint_tree, ref):
    assert lint_tree(tree(route(ref, HOSTS_SHOP)), select=["GW201"]) == []


def test_gw201_missing_gateway_is_gw101s_business(lint_tree):
    ref = "  - name: nope\n    namespace: infra\n    sectionName: https\n"
    assert lint_tree(tree(route(ref, HOSTS_SHOP)), select=["GW201", "GW202", "GW203"]) == []


# --- GW202 not-allowed-by-listeners ------------------------------------------------------------
def test_gw202_default_same_namespace(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    sectionName: http\n"
    out = lint_tree(tree(route(ref)), select=["GW202"])
    assert summary(out) == [("GW202", "apps/route0.yaml", 8, "/spec/parentRefs/0")]
    f = out[0]
    assert pred(f) == ("Accepted", "False", "NotAllowedByListeners")
    assert f["listener"] == "http"
    assert "from: Same, the default" in f["message"]
    assert "kubernetes.io/metadata.name: app" in f["hint"]
    assert "from: All" in f["hint"]
    assert f["related"][0]["file"] == "infra/gateway.yaml"
    assert f["related"][0]["line"] == 9  # the listener item (allowedRoutes is defaulted)


def test_gw202_fixed_by_from_all(lint_tree):
    gateway = GATEWAY.replace("    port: 80\n    protocol: HTTP\n",
                              "    port: 80\n    protocol: HTTP\n    allowedRoutes:\n"
                              "      namespaces:\n        from: All\n")
    ref = "  - name: web\n    namespace: infra\n    sectionName: http\n"
    assert lint_tree(tree(route(ref), gateway=gateway), select=ATTACH) == []


def test_gw202_same_namespace_route_is_allowed(lint_tree):
    ref = "  - name: web\n    sectionName: http\n"
    assert lint_tree(tree(route(ref, namespace="infra")), select=ATTACH) == []


def test_gw202_one_admitting_listener_is_enough(lint_tree):
    # no sectionName: 'http' refuses (Same), 'https' admits: the route is Accepted
    assert lint_tree(tree(route(REF_ALL, HOSTS_SHOP)), select=["GW202", "GW203"]) == []


def _selector_gateway(selector: str) -> str:
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: Selector
        selector:
{selector}"""


@pytest.mark.parametrize("selector,fires", [
    ("          matchLabels:\n            team: shop\n", False),
    ("          matchLabels:\n            team: blog\n", True),
    ("          matchExpressions:\n          - key: team\n            operator: In\n"
     "            values: [blog, shop]\n", False),
    ("          matchExpressions:\n          - key: team\n            operator: NotIn\n"
     "            values: [shop]\n", True),
    ("          matchExpressions:\n          - key: team\n            operator: Exists\n", False),
    ("          matchExpressions:\n          - key: team\n            operator: DoesNotExist\n",
     True),
    ("          matchExpressions:\n          - key: tier\n            operator: NotIn\n"
     "            values: [prod]\n", False),
    # the implicit label every namespace has
    ("          matchLabels:\n            kubernetes.io/metadata.name: app\n", False),
    ("          matchLabels:\n            kubernetes.io/metadata.name: other\n", True),
    # requirements are ANDed
    ("          matchLabels:\n            team: shop\n          matchExpressions:\n"
     "          - key: kubernetes.io/metadata.name\n            operator: In\n"
     "            values: [infra]\n", True),
])
def test_gw202_selector(lint_tree, selector, fires):
    ref = "  - name: web\n    namespace: infra\n"
    out = lint_tree(tree(route(ref), gateway=_selector_gateway(selector)), select=["GW202"])
    assert [(f["rule"], f["severity"]) for f in out] == ([("GW202", "error")] if fires else [])
    if fires:
        assert "does not select namespace 'app'" in out[0]["message"]


def test_gw202_unknown_namespace_labels_are_undecidable(lint_tree):
    ref = "  - name: web\n    namespace: infra\n"
    gateway = _selector_gateway("          matchLabels:\n            team: shop\n")
    out = lint_tree(tree(route(ref), gateway=gateway, namespaces=""), select=ATTACH)
    assert summary(out) == [("GW202", "apps/route0.yaml", 8, "/spec/parentRefs/0")]
    f = out[0]
    assert f["severity"] == "warning"
    assert f["predicts"] is None
    assert "cannot decide" in f["message"] and "'team'" in f["message"]
    assert "Namespace 'app'" in f["hint"]


def test_gw202_implicit_name_label_needs_no_namespace_object(lint_tree):
    ref = "  - name: web\n    namespace: infra\n"
    gateway = _selector_gateway("          matchLabels:\n"
                                "            kubernetes.io/metadata.name: app\n")
    assert lint_tree(tree(route(ref), gateway=gateway, namespaces=""), select=ATTACH) == []
    gateway = _selector_gateway("          matchLabels:\n"
                                "            kubernetes.io/metadata.name: blog\n")
    out = lint_tree(tree(route(ref), gateway=gateway, namespaces=""), select=["GW202"])
    assert [(f["rule"], f["severity"]) for f in out] == [("GW202", "error")]


def test_gw202_allowed_kinds(lint_tree):
    gateway = GATEWAY.replace("    allowedRoutes:\n      namespaces:\n        from: All\n"
                              "  - name: tls",
                              "    allowedRoutes:\n      namespaces:\n        from: All\n"
                              "      kinds:\n      - kind: HTTPRoute\n  - name: tls")
    out = lint_tree(tree(route(REF_HTTPS, HOSTS_SHOP, kind="GRPCRoute")), select=ATTACH)
    assert out == []
    out = lint_tree(tree(route(REF_HTTPS, HOSTS_SHOP, kind="GRPCRoute"), gateway=gateway),
                    select=ATTACH)
    assert summary(out) == [("GW202", "apps/route0.yaml", 8, "/spec/parentRefs/0")]
    assert "allows only kinds HTTPRoute" in out[0]["message"]
    assert "{kind: GRPCRoute}" in out[0]["hint"]


# --- GW203 no-matching-listener-hostname / GW204 hostname-partially-ignored --------------------
def test_gw203_wildcard_does_not_match_apex(lint_tree):
    hosts = "  hostnames:\n  - example.com\n"
    out = lint_tree(tree(route(REF_HTTPS, hosts)), select=ATTACH)
    assert summary(out) == [("GW203", "apps/route0.yaml", 11, "/spec/hostnames")]
    f = out[0]
    assert pred(f) == ("Accepted", "False", "NoMatchingListenerHostname")
    assert f["listener"] == "https"
    assert "matches subdomains only" in f["hint"]
    assert f["related"][0]["line"] == 15  # the listener's hostname


@pytest.mark.parametrize("host", ["shop.example.com", "a.b.example.com", "*.example.com",
                                  "*.shop.example.com"])
def test_gw203_wildcard_listener_matches(lint_tree, host):
    hosts = f"  hostnames:\n  - \"{host}\"\n"
    assert lint_tree(tree(route(REF_HTTPS, hosts)), select=ATTACH) == []


def test_gw203_route_wildcard_matches_exact_listener(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    sectionName: tls\n"
    hosts = "  hostnames:\n  - \"*.example.com\"\n"
    assert lint_tree(tree(tls_route(ref, hosts)), select=ATTACH) == []


def test_gw203_listener_without_hostname_matches_everything(lint_tree):
    ref = "  - name: web\n    sectionName: http\n"
    hosts = "  hostnames:\n  - anything.example.org\n"
    assert lint_tree(tree(route(ref, hosts, namespace="infra")), select=ATTACH) == []


def test_gw203_route_without_hostnames_takes_the_listeners(lint_tree):
    assert lint_tree(tree(route(REF_HTTPS)), select=ATTACH) == []


def test_gw203_other_domain(lint_tree):
    hosts = "  hostnames:\n  - shop.example.net\n"
    out = lint_tree(tree(route(REF_ALL, hosts)), select=ATTACH)
    # 'http' refuses the namespace; 'https' admits it but its hostname does not intersect
    assert summary(out) == [("GW203", "apps/route0.yaml", 10, "/spec/hostnames")]


def test_gw204_some_hostnames_ignored(lint_tree):
    hosts = "  hostnames:\n  - shop.example.com\n  - shop.example.net\n"
    out = lint_tree(tree(route(REF_HTTPS, hosts)), select=ATTACH)
    assert summary(out) == [("GW204", "apps/route0.yaml", 13, "/spec/hostnames/1")]
    f = out[0]
    assert f["severity"] == "warning" and f["predicts"] is None
    assert "'shop.example.net'" in f["message"]
    assert f["listener"] == "https" and f["parent"]["name"] == "web"
    assert f["related"][0]["line"] == 15


def test_gw204_hostname_served_by_another_parent_is_not_ignored(lint_tree):
    other = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: internal
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: shop.example.net
    allowedRoutes:
      namespaces:
        from: All
"""
    refs = REF_HTTPS + "  - name: internal\n    namespace: infra\n"
    hosts = "  hostnames:\n  - shop.example.com\n  - shop.example.net\n"
    files = tree(route(refs, hosts))
    files["infra/internal.yaml"] = other
    assert lint_tree(files, select=ATTACH) == []


def test_gw204_parent_outside_repo_skips(lint_tree):
    refs = REF_HTTPS + "  - name: elsewhere\n    namespace: edge\n"
    hosts = "  hostnames:\n  - shop.example.com\n  - shop.example.net\n"
    assert lint_tree(tree(route(refs, hosts)), select=["GW204"]) == []


# --- GW205 route-kind-protocol-mismatch --------------------------------------------------------
def test_gw205_tlsroute_on_https_listener(lint_tree):
    out = lint_tree(tree(tls_route(REF_HTTPS, "  hostnames:\n  - shop.example.com\n")),
                    select=ATTACH)
    assert summary(out) == [("GW205", "apps/route0.yaml", 8, "/spec/parentRefs/0")]
    f = out[0]
    assert pred(f) == ("Accepted", "False", "NotAllowedByListeners")
    assert f["listener"] == "https"
    assert "TLS listener" in f["hint"]


def test_gw205_fixed_tlsroute_on_tls_listener(lint_tree):
    ref = "  - name: web\n    namespace: infra\n    sectionName: tls\n"
    assert lint_tree(tree(tls_route(ref)), select=ATTACH) == []


def test_gw205_tcproute_on_http_listener(lint_tree):
    ref = "  - name: web\n    sectionName: http\n"
    r = tcp_route(ref).replace("namespace: app", "namespace: infra")
    out = lint_tree(tree(r), select=ATTACH)
    assert summary(out) == [("GW205", "apps/route0.yaml", 8, "/spec/parentRefs/0")]
    assert "HTTP serves HTTPRoute, GRPCRoute" in out[0]["message"]


def test_gw205_other_listener_serving_the_kind_means_no_finding(lint_tree):
    # no sectionName: https refuses the TLSRoute, tls admits it
    assert lint_tree(tree(tls_route(REF_ALL)), select=ATTACH) == []


def test_gw205_grpcroute_on_http_listener_is_fine(lint_tree):
    ref = "  - name: web\n    sectionName: http\n"
    r = route(ref, namespace="infra", kind="GRPCRoute", name="grpc")
    assert lint_tree(tree(r), select=ATTACH) == []


# --- GW212 route-without-parent-refs ------------------------------------------------------------
def test_gw212_no_parent_refs(lint_tree):
    r = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: orphan
  namespace: app
spec:
  hostnames:
  - shop.example.com
  rules:
  - backendRefs:
    - name: web
      port: 80
"""
    out = lint_tree({"route.yaml": r}, select=["GW212"])
    assert summary(out) == [("GW212", "route.yaml", 6, "/spec")]
    assert out[0]["severity"] == "warning"
    assert out[0]["predicts"] is None


def test_gw212_mesh_route_with_service_parent_is_fine(lint_tree):
    ref = "  - group: \"\"\n    kind: Service\n    name: web\n    port: 80\n"
    assert lint_tree({"route.yaml": route(ref)}, select=["GW212", "GW201", "GW202"]) == []


# --- scopes --------------------------------------------------------------------------------------
def test_scopes_do_not_see_each_other(lint_tree):
    files = {}
    for cluster in ("a", "b"):
        files[f"clusters/{cluster}/class.yaml"] = GWC
        files[f"clusters/{cluster}/namespaces.yaml"] = NAMESPACES
    files["clusters/a/gateway.yaml"] = GATEWAY
    # cluster b's Gateway admits 'app' on 'http'; cluster a's does not
    files["clusters/b/gateway.yaml"] = GATEWAY.replace(
        "    port: 80\n    protocol: HTTP\n",
        "    port: 80\n    protocol: HTTP\n    allowedRoutes:\n      namespaces:\n"
        "        from: All\n")
    ref = "  - name: web\n    namespace: infra\n    sectionName: http\n"
    files["clusters/a/route.yaml"] = route(ref)
    files["clusters/b/route.yaml"] = route(ref)
    out = lint_tree(files, select=["GW202"], scopes=["clusters/*"])
    assert summary(out) == [("GW202", "clusters/a/route.yaml", 8, "/spec/parentRefs/0")]


def test_namespace_labels_come_from_the_same_scope(lint_tree):
    gateway = _selector_gateway("          matchLabels:\n            team: shop\n")
    ref = "  - name: web\n    namespace: infra\n"
    files = {
        "clusters/a/class.yaml": GWC, "clusters/a/gateway.yaml": gateway,
        "clusters/a/route.yaml": route(ref),
        # the labelled Namespace lives in another cluster: cluster a cannot use it
        "clusters/b/namespaces.yaml": NAMESPACES,
    }
    out = lint_tree(files, select=["GW202"], scopes=["clusters/*"])
    assert [(f["rule"], f["severity"]) for f in out] == [("GW202", "warning")]


# --- the demo ------------------------------------------------------------------------------------
def test_demo_attachment_rules_clean(lint_tree):
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "examples" / "demo"
    files = {str(p.relative_to(root)): p.read_text() for p in root.rglob("*.yaml")}
    fixed = files["apps/blog/blog.yaml"].replace(
        "  - name: shared-gateway          # no namespace: looked up in blog, not infra\n",
        "  - name: shared-gateway\n    namespace: infra\n")
    # the demo's only attachment mistake: the admin route left outside allowedRoutes (Same)
    expected = [("GW202", "apps/admin/admin.yaml")]
    assert [(f["rule"], f["file"]) for f in lint_tree(files, select=ATTACH)] == expected
    files["apps/blog/blog.yaml"] = fixed
    assert [(f["rule"], f["file"]) for f in lint_tree(files, select=ATTACH)] == expected


def test_invalid_hostnames_are_left_to_the_schema_stage(lint_tree):
    for bad in ("shop.example.com.", "shop.example.com:443"):
        hosts = f"  hostnames:\n  - \"{bad}\"\n"
        assert lint_tree(tree(route(REF_HTTPS, hosts)), select=ATTACH) == []
        hosts = f"  hostnames:\n  - shop.example.com\n  - \"{bad}\"\n"
        assert lint_tree(tree(route(REF_HTTPS, hosts)), select=ATTACH) == []
        out = lint_tree(tree(route(REF_HTTPS, hosts)), select=["GW0"])
        assert out and all(f["rule"].startswith("GW0") for f in out)
