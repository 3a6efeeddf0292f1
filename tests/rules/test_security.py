"""Security rules GW401-GW402: fire (exact line, path, listener), near-misses, fixed is clean."""

from __future__ import annotations

import pytest


def gateway(*listeners: str, extra: str = "") -> str:
    """A Gateway infra/gw; listener items start on line 9."""
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\n"
            "  namespace: infra\nspec:\n  gatewayClassName: envoy\n" + extra
            + "  listeners:\n" + "".join(listeners))


def listener(name: str, protocol: str = "HTTP", port: int = 80, hostname: str | None = None,
             allowed: str = "") -> str:
    out = f"  - name: {name}\n    port: {port}\n    protocol: {protocol}\n"
    if hostname:
        out += f"    hostname: \"{hostname}\"\n"
    if protocol in ("HTTPS", "TLS"):
        out += "    tls:\n      mode: Passthrough\n" if protocol == "TLS" else \
            "    tls:\n      certificateRefs:\n      - name: cert\n"
    if allowed:
        out += "    allowedRoutes:\n      namespaces:\n" + allowed
    return out


ALL = "        from: All\n"
SAME = "        from: Same\n"


def selector(body: str) -> str:
    return "        from: Selector\n        selector:\n" + body


NAMESPACES = """\
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    gateway-access: "true"
---
apiVersion: v1
kind: Namespace
metadata:
  name: blog
  labels:
    gateway-access: "true"
---
apiVersion: v1
kind: Namespace
metadata:
  name: tools
"""


def where(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"], f["listener"]) for f in findings]


# --- GW401 open-listener-all-namespaces -------------------------------------------------------
def test_gw401_no_hostname_and_from_all(lint_tree):
    out = lint_tree({"gw.yaml": gateway(listener("http", allowed=ALL))}, select=["GW401"])
    assert where(out) == [("GW401", "gw.yaml", 14,
                           "/spec/listeners/0/allowedRoutes/namespaces/from", "http")]
    f = out[0]
    assert f["severity"] == "warning" and f["predicts"] is None
    assert f["message"] == ("listener 'http' of Gateway infra/gw has no hostname and admits "
                            "routes from all namespaces: any namespace can claim any hostname")


def test_gw401_wildcard_hostname_https(lint_tree):
    out = lint_tree({"gw.yaml": gateway(listener("http", hostname="a.example.com", allowed=ALL),
                                        listener("https", "HTTPS", 443, "*.example.com", ALL))},
                    select=["GW401"])
    assert where(out) == [("GW401", "gw.yaml", 25,
                           "/spec/listeners/1/allowedRoutes/namespaces/from", "https")]
    assert "any host under 'example.com'" in out[0]["message"]


def test_gw401_listenerset_listener(lint_tree):
    gw = gateway(listener("http", hostname="a.example.com"),
                 extra="  allowedListeners:\n    namespaces:\n      from: All\n")
    ls = """\
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata:
  name: team
  namespace: team
spec:
  parentRef:
    name: gw
    namespace: infra
  listeners:
  - name: open
    port: 8080
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
"""
    out = lint_tree({"gw.yaml": gw, "ls.yaml": ls}, select=["GW401", "GW0"])
    assert where(out) == [("GW401", "ls.yaml", 16,
                           "/spec/listeners/0/allowedRoutes/namespaces/from", "open")]
    assert "ListenerSet team/team" in out[0]["message"]


@pytest.mark.parametrize("items", [
    [listener("http")],                                             # default: from Same
    [listener("http", allowed=SAME)],
    [listener("http", hostname="shop.example.com", allowed=ALL)],   # a specific hostname
    [listener("db", "TCP", 5432, allowed=ALL)],                     # no hostnames in TCP
    [listener("http", allowed=selector(
        "          matchLabels:\n            kubernetes.io/metadata.name: shop\n"))],
])
def test_gw401_near_misses(lint_tree, items):
    assert lint_tree({"gw.yaml": gateway(*items)}, select=["GW401", "GW0"]) == []


# --- GW402 namespace-selector-unsafe-label ----------------------------------------------------
def test_gw402_match_labels_on_custom_label(lint_tree):
    gw = gateway(listener("http", allowed=selector(
        "          matchLabels:\n            gateway-access: \"true\"\n")))
    out = lint_tree({"gw.yaml": gw, "ns.yaml": NAMESPACES}, select=["GW402"])
    assert where(out) == [("GW402", "gw.yaml", 17, "/spec/listeners/0/allowedRoutes/namespaces/"
                           "selector/matchLabels/gateway-access", "http")]
    f = out[0]
    assert f["severity"] == "warning" and f["predicts"] is None
    assert "labelled 'gateway-access'" in f["message"]
    # the hint lists the namespaces the selector admits today, as a name selector
    assert "values: [blog, shop]" in f["hint"]


def test_gw402_match_expressions_and_allowed_listeners(lint_tree):
    expr = ("          matchExpressions:\n          - key: kubernetes.io/metadata.name\n"
            "            operator: NotIn\n            values: [kube-system]\n"
            "          - key: team\n            operator: Exists\n")
    gw = gateway(listener("http", hostname="a.example.com", allowed=selector(expr)),
                 extra="  allowedListeners:\n    namespaces:\n      from: Selector\n"
                       "      selector:\n        matchLabels:\n          listeners: ok\n")
    out = lint_tree({"gw.yaml": gw}, select=["GW402", "GW0"])
    assert where(out) == [
        ("GW402", "gw.yaml", 13, "/spec/allowedListeners/namespaces/selector/matchLabels/"
         "listeners", None),
        ("GW402", "gw.yaml", 27, "/spec/listeners/0/allowedRoutes/namespaces/selector/"
         "matchExpressions/1/key", "http")]
    assert "admits ListenerSets" in out[0]["message"]
    assert "operator: In" in out[1]["hint"]


@pytest.mark.parametrize("allowed", [
    selector("          matchLabels:\n            kubernetes.io/metadata.name: shop\n"),
    selector("          matchExpressions:\n          - key: kubernetes.io/metadata.name\n"
             "            operator: In\n            values: [shop, blog]\n"),
    # pinned by name: a further label only narrows the named set
    selector("          matchLabels:\n            kubernetes.io/metadata.name: shop\n"
             "            team: web\n"),
    # the selector is ignored unless from is Selector
    "        from: Same\n        selector:\n          matchLabels:\n            team: web\n",
])
def test_gw402_near_misses(lint_tree, allowed):
    gw = gateway(listener("http", hostname="a.example.com", allowed=allowed))
    assert lint_tree({"gw.yaml": gw}, select=["GW402", "GW0"]) == []


# --- fixed versions are clean -----------------------------------------------------------------
def test_fixed_gateway_is_clean(lint_tree):
    gw = gateway(
        listener("http", allowed=selector(
            "          matchExpressions:\n          - key: kubernetes.io/metadata.name\n"
            "            operator: In\n            values: [shop, blog]\n")),
        listener("https", "HTTPS", 443, "shop.example.com", ALL))
    out = lint_tree({"gw.yaml": gw, "ns.yaml": NAMESPACES}, select=["GW4", "GW0"])
    assert [f for f in out if f["rule"] in ("GW401", "GW402") or f["rule"].startswith("GW0")] \
        == []
