"""Listener rules GW206-GW211: fire, near-misses, fixed versions clean."""

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

NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: infra
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    listeners: allowed
"""

LISTENERS = ["GW206", "GW207", "GW208", "GW209", "GW210", "GW211"]


def gateway(listeners: str, allowed: str = "", name: str = "web") -> str:
    """A Gateway in infra; `listeners` are YAML list items indented 2, `allowed` the
    spec.allowedListeners block (indented 2)."""
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: {name}
  namespace: infra
spec:
  gatewayClassName: envoy
{allowed}  listeners:
{listeners}"""


def listenerset(listeners: str, name: str = "shop", namespace: str = "shop") -> str:
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: {name}
  namespace: {namespace}
spec:
  parentRef:
    name: web
    namespace: infra
  listeners:
{listeners}"""


def http(name: str, port: int = 80, hostname: str | None = None) -> str:
    host = f"    hostname: \"{hostname}\"\n" if hostname else ""
    return f"  - name: {name}\n    port: {port}\n    protocol: HTTP\n{host}"


def https(name: str, port: int = 443, hostname: str | None = None, kinds: str = "") -> str:
    host = f"    hostname: \"{hostname}\"\n" if hostname else ""
    return (f"  - name: {name}\n    port: {port}\n    protocol: HTTPS\n{host}"
            f"    tls:\n      certificateRefs:\n      - name: {name}-cert\n{kinds}")


def tls(name: str, port: int = 443, hostname: str | None = None, mode: str = "Passthrough",
        kinds: str = "") -> str:
    host = f"    hostname: \"{hostname}\"\n" if hostname else ""
    certs = "      certificateRefs:\n      - name: tls-cert\n" if mode == "Terminate" else ""
    return (f"  - name: {name}\n    port: {port}\n    protocol: TLS\n{host}"
            f"    tls:\n      mode: {mode}\n{certs}{kinds}")


def l4(name: str, port: int, protocol: str) -> str:
    return f"  - name: {name}\n    port: {port}\n    protocol: {protocol}\n"


def kinds(*names: str) -> str:
    items = "".join(f"      - kind: {k}\n" for k in names)
    return f"    allowedRoutes:\n      kinds:\n{items}"


ALLOW_SAME = "  allowedListeners:\n    namespaces:\n      from: Same\n"
ALLOW_ALL = "  allowedListeners:\n    namespaces:\n      from: All\n"


def tree(gw: str, *extra: str) -> dict[str, str]:
    files = {"class.yaml": GWC, "gateway.yaml": gw}
    for i, text in enumerate(extra):
        files[f"extra{i}.yaml"] = text
    return files


def summary(out: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"], f["listener"]) for f in out]


def pred(f: dict) -> tuple | None:
    p = f["predicts"]
    return (p["type"], p["status"], p["reason"]) if p else None


def test_fixtures_are_schema_valid(lint_tree):
    gw = gateway(http("http") + https("https", hostname="*.example.com", kinds=kinds("HTTPRoute"))
                 + tls("tls", hostname="db.example.com") + tls("tls-t", 8443, mode="Terminate")
                 + l4("tcp", 9000, "TCP") + l4("udp", 9000, "UDP"), ALLOW_ALL)
    files = tree(gw, listenerset(https("shop", hostname="shop.example.com")), NAMESPACES)
    assert lint_tree(files, select=["GW0"]) == []


# --- GW206 listener-protocol-conflict ----------------------------------------------------------
def test_gw206_http_and_tcp_on_one_port(lint_tree):
    out = lint_tree(tree(gateway(http("http") + l4("tcp", 80, "TCP"))), select=LISTENERS)
    assert summary(out) == [("GW206", "gateway.yaml", 9, "/spec/listeners/0", "http"),
                            ("GW206", "gateway.yaml", 12, "/spec/listeners/1", "tcp")]
    assert pred(out[0]) == ("Conflicted", "True", "ProtocolConflict")
    assert out[0]["related"][0]["line"] == 12
    assert out[1]["related"][0]["line"] == 9


def test_gw206_fixed_other_port(lint_tree):
    assert lint_tree(tree(gateway(http("http") + l4("tcp", 8080, "TCP"))),
                     select=LISTENERS) == []


def test_gw206_http_and_https_on_one_port(lint_tree):
    out = lint_tree(tree(gateway(http("http", 8443) + https("https", 8443))), select=["GW206"])
    assert [f["listener"] for f in out] == ["http", "https"]


def test_gw206_https_and_tls_with_different_hostnames_share_a_port(lint_tree):
    # conformance test GatewayHTTPSAndTLSPassthroughSamePort
    gw = gateway(https("https", 8884, "*.example.com")
                 + tls("tls-passthrough", 8884, "abc.example.com"))
    assert lint_tree(tree(gw), select=LISTENERS) == []


def test_gw206_https_and_tls_without_hostnames_conflict(lint_tree):
    # conformance test GatewayListenerProtocolAndRouteKindConflicts
    gw = gateway(https("conflicted-https", 8443, kinds=kinds("HTTPRoute"))
                 + tls("conflicted-tls", 8443, kinds=kinds("TLSRoute")))
    out = lint_tree(tree(gw), select=LISTENERS)
    assert [(f["rule"], f["listener"]) for f in out] == [("GW206", "conflicted-https"),
                                                        ("GW206", "conflicted-tls")]
    assert "no hostname cannot be told apart" in out[0]["message"]


def test_gw206_udp_shares_ports(lint_tree):
    gw = gateway(l4("dns-tcp", 53, "TCP") + l4("dns-udp", 53, "UDP"))
    assert lint_tree(tree(gw), select=LISTENERS) == []


def test_gw206_listenerset_listener_loses_to_gateway(lint_tree):
    files = tree(gateway(http("http"), ALLOW_ALL), listenerset(l4("raw", 80, "TCP")))
    out = lint_tree(files, select=LISTENERS)
    assert summary(out) == [("GW206", "extra0.yaml", 11, "/spec/listeners/0", "raw")]
    assert "the listener merged later is rejected" in out[0]["message"]
    assert out[0]["related"][0]["file"] == "gateway.yaml"


def test_gw206_listenerset_not_attached_does_not_conflict(lint_tree):
    files = tree(gateway(http("http")), listenerset(l4("raw", 80, "TCP")))
    assert lint_tree(files, select=["GW206"]) == []


# --- GW207 listener-hostname-conflict ----------------------------------------------------------
def test_gw207_listenerset_duplicates_gateway_hostname(lint_tree):
    files = tree(gateway(https("https", hostname="shop.example.com"), ALLOW_ALL),
                 listenerset(https("https", hostname="shop.example.com")))
    out = lint_tree(files, select=LISTENERS)
    assert summary(out) == [("GW207", "extra0.yaml", 14, "/spec/listeners/0/hostname", "https")]
    f = out[0]
    assert pred(f) == ("Conflicted", "True", "HostnameConflict")
    assert "Gateway infra/web takes precedence" in f["message"]
    assert f["related"][0]["file"] == "gateway.yaml" and f["related"][0]["line"] == 12


def test_gw207_fixed_other_hostname(lint_tree):
    files = tree(gateway(https("https", hostname="shop.example.com"), ALLOW_ALL),
                 listenerset(https("https", hostname="checkout.example.com")))
    assert lint_tree(files, select=["GW207"]) == []


def test_gw207_empty_hostname_counts_as_a_value(lint_tree):
    files = tree(gateway(http("http"), ALLOW_ALL), listenerset(http("http")))
    out = lint_tree(files, select=["GW207"])
    assert summary(out) == [("GW207", "extra0.yaml", 11, "/spec/listeners/0", "http")]
    assert "no hostname" in out[0]["message"]


def test_gw207_empty_and_set_hostname_are_distinct(lint_tree):
    files = tree(gateway(http("http"), ALLOW_ALL),
                 listenerset(http("shop", 80, "shop.example.com")))
    assert lint_tree(files, select=LISTENERS) == []


def test_gw207_between_two_listenersets_is_order_dependent(lint_tree):
    files = tree(gateway(http("http"), ALLOW_ALL),
                 listenerset(http("a", 8080, "shop.example.com"), name="a"),
                 listenerset(http("b", 8080, "shop.example.com"), name="b"))
    out = lint_tree(files, select=["GW207"])
    assert summary(out) == [("GW207", "extra1.yaml", 14, "/spec/listeners/0/hostname", "b")]
    assert "depends on their creation times" in out[0]["message"]


def test_gw207_listenerset_not_allowed_is_not_merged(lint_tree):
    files = tree(gateway(http("http")), listenerset(http("http")))
    assert lint_tree(files, select=["GW207"]) == []


# --- GW208 invalid-route-kinds ------------------------------------------------------------------
def test_gw208_tlsroute_on_https(lint_tree):
    gw = gateway(https("https", kinds=kinds("HTTPRoute", "TLSRoute")))
    out = lint_tree(tree(gw), select=LISTENERS)
    assert summary(out) == [("GW208", "gateway.yaml", 18, "/spec/listeners/0/allowedRoutes/kinds/1",
                             "https")]
    assert pred(out[0]) == ("ResolvedRefs", "False", "InvalidRouteKinds")
    assert "no route can attach" not in out[0]["message"]


def test_gw208_only_invalid_kinds(lint_tree):
    # conformance test GatewayInvalidRouteKind
    gw = gateway(http("http", 80) + kinds("InvalidRoute"))
    out = lint_tree(tree(gw), select=["GW208"])
    assert summary(out) == [("GW208", "gateway.yaml", 14, "/spec/listeners/0/allowedRoutes/kinds/0",
                             "http")]
    assert "no route can attach" in out[0]["message"]


@pytest.mark.parametrize("listener", [
    https("https", kinds=kinds("HTTPRoute", "GRPCRoute")),
    tls("tls", mode="Terminate", kinds=kinds("TLSRoute", "TCPRoute")),
    tls("tls", kinds=kinds("TLSRoute")),
    l4("tcp", 9000, "TCP") + kinds("TCPRoute"),
    l4("udp", 9000, "UDP") + kinds("UDPRoute"),
    https("https"),
])
def test_gw208_valid_kinds(lint_tree, listener):
    assert lint_tree(tree(gateway(listener)), select=["GW208"]) == []


# --- GW209 overlapping-tls-config ---------------------------------------------------------------
def test_gw209_conformance_manifest(lint_tree):
    # conformance test GatewayOverlappingTLSConfigHostnames
    gw = gateway(https("foo-example-https", 443, "foo.example.com")
                 + https("bar-example-https", 443, "bar.bar.example.com")
                 + https("wildcard-example-https", 443, "*.example.com")
                 + https("wildcard-other-https", 443, "*.other.com")
                 + https("wildcard-bar-other-https", 443, "*.bar.other.com")
                 + https("not-overlapping-https", 443, "example.com")
                 + https("not-overlapping-wildcard-https", 443, "*.example.io")
                 + https("not-overlapping-other-port", 9443, "foo.example.com"))
    out = lint_tree(tree(gw), select=["GW209"])
    assert sorted(f["listener"] for f in out) == sorted([
        "foo-example-https", "bar-example-https", "wildcard-example-https",
        "wildcard-other-https", "wildcard-bar-other-https"])
    first = out[0]
    assert first["path"] == "/spec/listeners/0/hostname"
    assert pred(first) == ("OverlappingTLSConfig", "True", "OverlappingHostnames")
    assert first["severity"] == "warning"


def test_gw209_listener_without_hostname_overlaps(lint_tree):
    gw = gateway(https("fallback") + https("shop", hostname="shop.example.com"))
    out = lint_tree(tree(gw), select=["GW209"])
    assert summary(out) == [("GW209", "gateway.yaml", 9, "/spec/listeners/0", "fallback"),
                            ("GW209", "gateway.yaml", 18, "/spec/listeners/1/hostname", "shop")]


def test_gw209_passthrough_is_not_tls_config(lint_tree):
    gw = gateway(https("https", hostname="*.example.com") + tls("db", hostname="db.example.com"))
    assert lint_tree(tree(gw), select=["GW209"]) == []


def test_gw209_across_listenerset(lint_tree):
    files = tree(gateway(https("wild", hostname="*.example.com"), ALLOW_ALL),
                 listenerset(https("shop", hostname="shop.example.com")))
    out = lint_tree(files, select=["GW209"])
    assert [(f["file"], f["listener"]) for f in out] == [("extra0.yaml", "shop"),
                                                         ("gateway.yaml", "wild")]


# --- GW210 listener-unused ----------------------------------------------------------------------
ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: {ns}
spec:
  parentRefs:
  - name: web
    namespace: infra
    sectionName: http
  rules:
  - backendRefs:
    - name: web
      port: 80
"""


def test_gw210_unused_listener(lint_tree):
    gw = gateway(http("http") + http("legacy", 8080))
    out = lint_tree(tree(gw, ROUTE.format(ns="infra")), select=LISTENERS)
    assert summary(out) == [("GW210", "gateway.yaml", 12, "/spec/listeners/1", "legacy")]
    assert out[0]["severity"] == "info" and out[0]["predicts"] is None


def test_gw210_fixed(lint_tree):
    out = lint_tree(tree(gateway(http("http")), ROUTE.format(ns="infra")), select=LISTENERS)
    assert out == []


def test_gw210_refused_route_counts_as_unused(lint_tree):
    out = lint_tree(tree(gateway(http("http")), ROUTE.format(ns="shop"), NAMESPACES),
                    select=["GW210"])
    assert summary(out) == [("GW210", "gateway.yaml", 9, "/spec/listeners/0", "http")]
    assert "1 parentRef(s) select it but are refused" in out[0]["message"]


def test_gw210_no_routes_in_repo(lint_tree):
    assert lint_tree(tree(gateway(http("http") + http("legacy", 8080))), select=["GW210"]) == []


def test_gw210_undecidable_attachment_is_not_judged(lint_tree):
    listener = ("  - name: http\n    port: 80\n    protocol: HTTP\n    allowedRoutes:\n"
                "      namespaces:\n        from: Selector\n        selector:\n"
                "          matchLabels:\n            team: web\n")
    assert lint_tree(tree(gateway(listener), ROUTE.format(ns="nowhere")),
                     select=["GW210"]) == []


def test_gw210_misdirected_route_suspends_judgement(lint_tree):
    misdirected = ROUTE.format(ns="app").replace("    namespace: infra\n", "")
    assert lint_tree(tree(gateway(http("http")), misdirected), select=["GW210"]) == []


# --- GW211 listenerset-not-allowed --------------------------------------------------------------
def test_gw211_default_allows_none(lint_tree):
    files = tree(gateway(http("http")), listenerset(http("shop", 8080)), NAMESPACES)
    out = lint_tree(files, select=LISTENERS)
    assert summary(out) == [("GW211", "extra0.yaml", 7, "/spec/parentRef", None)]
    f = out[0]
    assert pred(f) == ("Accepted", "False", "NotAllowed")
    assert f["parent"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                           "namespace": "infra", "name": "web", "sectionName": None,
                           "port": None}
    assert "from: None, the default" in f["message"]
    assert ("spec.allowedListeners: {namespaces: {from: Selector, selector: {matchLabels: "
            "{kubernetes.io/metadata.name: shop}}}}") in f["hint"]


def test_gw211_same_refuses_other_namespace(lint_tree):
    files = tree(gateway(http("http"), ALLOW_SAME), listenerset(http("shop", 8080)), NAMESPACES)
    out = lint_tree(files, select=["GW211"])
    assert summary(out) == [("GW211", "extra0.yaml", 7, "/spec/parentRef", None)]
    assert out[0]["related"][0]["line"] == 10


def test_gw211_fixed(lint_tree):
    files = tree(gateway(http("http"), ALLOW_ALL), listenerset(http("shop", 8080)), NAMESPACES)
    assert lint_tree(files, select=["GW211"]) == []
    files = tree(gateway(http("http"), ALLOW_SAME),
                 listenerset(http("shop", 8080), namespace="infra"))
    assert lint_tree(files, select=["GW211"]) == []


SELECTOR = ("  allowedListeners:\n    namespaces:\n      from: Selector\n      selector:\n"
            "        matchLabels:\n          listeners: allowed\n")


def test_gw211_selector(lint_tree):
    files = tree(gateway(http("http"), SELECTOR), listenerset(http("shop", 8080)), NAMESPACES)
    assert lint_tree(files, select=["GW211"]) == []


def test_gw211_selector_unknown_namespace(lint_tree):
    files = tree(gateway(http("http"), SELECTOR), listenerset(http("shop", 8080)))
    out = lint_tree(files, select=["GW211"])
    assert [(f["rule"], f["severity"], f["predicts"]) for f in out] == [
        ("GW211", "warning", None)]
    assert "cannot decide" in out[0]["message"]


def test_gw211_gateway_not_in_repo(lint_tree):
    assert lint_tree({"ls.yaml": listenerset(http("shop", 8080))}, select=["GW211"]) == []


# --- scopes --------------------------------------------------------------------------------------
def test_listenersets_only_merge_within_their_scope(lint_tree):
    files = {
        "clusters/a/class.yaml": GWC,
        "clusters/a/gateway.yaml": gateway(http("http"), ALLOW_ALL),
        "clusters/b/class.yaml": GWC,
        "clusters/b/gateway.yaml": gateway(http("http"), ALLOW_ALL),
        "clusters/b/ls.yaml": listenerset(http("http")),
    }
    out = lint_tree(files, select=["GW207"], scopes=["clusters/*"])
    assert [(f["file"], f["listener"]) for f in out] == [("clusters/b/ls.yaml", "http")]


def test_gw210_mistyped_section_name_suspends_judgement(lint_tree):
    mistyped = ROUTE.format(ns="infra").replace("sectionName: http", "sectionName: htp")
    out = lint_tree(tree(gateway(http("http")), mistyped), select=["GW201", "GW210"])
    assert [f["rule"] for f in out] == ["GW201"]
