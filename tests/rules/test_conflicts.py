"""Conflict rules GW308-GW311 (need route attachment): fire, near-misses, fixed versions clean."""

from __future__ import annotations

import pytest

# listeners: http (80, any host, from: All), api (8080, api.example.com, from: All),
# internal (9090, any host, from: Same), alt (80, alt.example.com, from: All)
GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: envoy
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    allowedRoutes:
      namespaces:
        from: All
  - name: api
    port: 8080
    protocol: HTTP
    hostname: api.example.com
    allowedRoutes:
      namespaces:
        from: All
  - name: internal
    port: 9090
    protocol: HTTP
  - name: alt
    port: 80
    protocol: HTTP
    hostname: alt.example.com
    allowedRoutes:
      namespaces:
        from: All
"""


def route(namespace: str, name: str, hostnames: list[str] | None, rules: str,
          kind: str = "HTTPRoute", section: str = "http") -> str:
    """A route attached to listener `section` of infra/gw. Lines: parentRef 8, hostnames entries
    from 12; the first rule starts on line 12 + len(hostnames) + 1 (12 without hostnames)."""
    hosts = ""
    if hostnames is not None:
        hosts = "  hostnames:\n" + "".join(f"  - \"{h}\"\n" for h in hostnames)
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: {kind}
metadata:
  name: {name}
  namespace: {namespace}
spec:
  parentRefs:
  - name: gw
    namespace: infra
    sectionName: {section}
{hosts}  rules:
{rules}"""


def prefix(path: str, extra: str = "") -> str:
    """One rule with one PathPrefix match (match item on the rule's second line)."""
    return (f"  - matches:\n    - path:\n        type: PathPrefix\n        value: {path}\n{extra}"
            f"    backendRefs:\n    - name: web\n      port: 8080\n")


CATCH_ALL = "  - backendRefs:\n    - name: web\n      port: 8080\n"

GRPC_RULE = "  - backendRefs:\n    - name: grpc\n      port: 9000\n"


def where(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"]) for f in findings]


def files(**routes: str) -> dict[str, str]:
    return {"gw.yaml": GATEWAY, **{f"{k}.yaml": v for k, v in routes.items()}}


# --- GW308 route-match-conflict ---------------------------------------------------------------
def test_gw308_identical_match_on_same_host_names_both(lint_tree):
    out = lint_tree(files(one=route("a", "one", ["shop.example.com"], prefix("/cart")),
                          two=route("b", "two", ["shop.example.com"], prefix("/cart/"))),
                    select=["GW308"])
    # reported once, at the route that sorts second ("b/two"), naming "a/one"
    assert where(out) == [("GW308", "two.yaml", 15, "/spec/rules/0/matches/0")]
    f = out[0]
    assert f["severity"] == "warning" and f["predicts"] is None and f["listener"] == "http"
    assert f["parent"]["name"] == "gw" and f["parent"]["namespace"] == "infra"
    assert "PathPrefix '/cart'" in f["message"] and "'shop.example.com'" in f["message"]
    assert "HTTPRoute a/one" in f["message"] and "apply order" in f["message"]
    assert [(r["file"], r["line"]) for r in f["related"]] == [("one.yaml", 15), ("gw.yaml", 9)]


def test_gw308_header_names_differing_in_case_are_the_same_match(lint_tree):
    h1 = "      headers:\n      - name: X-Canary\n        value: 'yes'\n"
    h2 = "      headers:\n      - name: x-canary\n        value: 'yes'\n"
    out = lint_tree(files(one=route("a", "one", ["shop.example.com"], prefix("/", h1)),
                          two=route("a", "two", ["shop.example.com"], prefix("/", h2))),
                    select=["GW308"])
    assert where(out) == [("GW308", "two.yaml", 15, "/spec/rules/0/matches/0")]


def test_gw308_rule_without_matches_is_a_catch_all(lint_tree):
    out = lint_tree(files(one=route("a", "one", None, CATCH_ALL),
                          two=route("a", "two", None, prefix("/"))),
                    select=["GW308"])
    assert where(out) == [("GW308", "two.yaml", 13, "/spec/rules/0/matches/0")]
    assert "any host" in out[0]["message"]
    # the related location is the other route's rule (it has no matches to point at)
    assert out[0]["related"][0]["line"] == 12


def test_gw308_listener_hostname_is_the_effective_hostname(lint_tree):
    """No route hostnames on listener 'api': both serve api.example.com."""
    out = lint_tree(files(one=route("a", "one", None, prefix("/v1"), section="api"),
                          two=route("b", "two", ["api.example.com"], prefix("/v1"),
                                    section="api")),
                    select=["GW308"])
    assert where(out) == [("GW308", "two.yaml", 15, "/spec/rules/0/matches/0")]
    assert out[0]["listener"] == "api"


@pytest.mark.parametrize("h1,h2,r1,r2", [
    (["a.example.com"], ["b.example.com"], prefix("/x"), prefix("/x")),  # different hosts
    (["*.example.com"], ["shop.example.com"], prefix("/x"), prefix("/x")),  # exact wins
    (["*.example.com"], ["example.com"], prefix("/x"), prefix("/x")),  # no overlap at all
    (["s.example.com"], ["s.example.com"], prefix("/x", "      method: GET\n"),
     prefix("/x", "      method: POST\n")),  # different methods
    (["s.example.com"], ["s.example.com"], prefix("/x"), prefix("/x/y")),  # different paths
    (["s.example.com"], ["s.example.com"], CATCH_ALL,
     prefix("/", "      headers:\n      - name: x\n        value: y\n")),  # header is specific
])
def test_gw308_near_misses(lint_tree, h1, h2, r1, r2):
    out = lint_tree(files(one=route("a", "one", h1, r1), two=route("b", "two", h2, r2)),
                    select=["GW308", "GW0"])
    assert out == []


def test_gw308_routes_in_different_scopes_never_conflict(lint_tree):
    tree = {}
    for c in ("east", "west"):
        tree[f"clusters/{c}/gw.yaml"] = GATEWAY
        tree[f"clusters/{c}/r.yaml"] = route("a", "one", ["s.example.com"], prefix("/x"))
    assert lint_tree(tree, select=["GW308"], scopes=["clusters/*"]) == []
    assert len(lint_tree(tree, select=["GW308"])) == 1  # one shared graph: a conflict


def test_gw308_not_attached_routes_are_ignored(lint_tree):
    """Listener 'internal' only admits routes of namespace infra."""
    out = lint_tree(files(one=route("a", "one", None, CATCH_ALL, section="internal"),
                          two=route("b", "two", None, CATCH_ALL, section="internal")),
                    select=["GW308"])
    assert out == []


def test_gw308_one_route_attached_twice_does_not_conflict_with_itself(lint_tree):
    """Listeners 'http' and 'alt' share port 80: the route serves alt.example.com on both."""
    text = route("a", "one", ["alt.example.com"], CATCH_ALL).replace(
        "    sectionName: http\n",
        "    sectionName: http\n  - name: gw\n    namespace: infra\n    sectionName: alt\n")
    assert lint_tree(files(one=text), select=["GW308", "GW0"]) == []
    other = route("b", "two", ["alt.example.com"], CATCH_ALL, section="alt")
    out = lint_tree(files(one=text, two=other), select=["GW308"])
    assert [(f["file"], f["listener"]) for f in out] == [("two.yaml", "alt")]


# --- GW309 http-grpc-hostname-conflict --------------------------------------------------------
def test_gw309_grpc_and_http_on_overlapping_hostnames(lint_tree):
    out = lint_tree(files(web=route("a", "web", ["api.example.com"], CATCH_ALL),
                          rpc=route("b", "rpc", ["*.example.com"], GRPC_RULE,
                                    kind="GRPCRoute")),
                    select=["GW309"])
    assert where(out) == [("GW309", "rpc.yaml", 12, "/spec/hostnames/0"),
                          ("GW309", "web.yaml", 12, "/spec/hostnames/0")]
    for f in out:
        assert f["severity"] == "error" and f["listener"] == "http"
        assert f["predicts"] == {"type": "Accepted", "status": "False",
                                 "reason": "HostnameConflict"}
        assert "only the older of the two is accepted" in f["message"]
    assert "GRPCRoute b/rpc" in out[1]["message"]
    assert "(overlapping 'api.example.com')" in out[0]["message"]
    assert [(r["file"], r["line"]) for r in out[1]["related"]] == [("rpc.yaml", 12),
                                                                   ("gw.yaml", 9)]


def test_gw309_route_without_hostnames_on_open_listener(lint_tree):
    out = lint_tree(files(web=route("a", "web", None, CATCH_ALL),
                          rpc=route("a", "rpc", ["grpc.example.com"], GRPC_RULE,
                                    kind="GRPCRoute")),
                    select=["GW309"])
    # the HTTPRoute serves any host: it is located at its parentRef
    assert where(out) == [("GW309", "rpc.yaml", 12, "/spec/hostnames/0"),
                          ("GW309", "web.yaml", 8, "/spec/parentRefs/0")]


@pytest.mark.parametrize("h_http,h_grpc,section", [
    (["api.example.com"], ["grpc.example.com"], "http"),
    (["example.com"], ["*.example.com"], "http"),       # a wildcard does not cover its apex
    (["api.example.com"], ["api.example.com"], None),   # different listeners
])
def test_gw309_near_misses(lint_tree, h_http, h_grpc, section):
    web = route("a", "web", h_http, CATCH_ALL)
    rpc = route("b", "rpc", h_grpc, GRPC_RULE, kind="GRPCRoute",
                section=section or "api")
    assert lint_tree(files(web=web, rpc=rpc), select=["GW309", "GW0"]) == []


# --- GW310 cross-namespace-host-sharing -------------------------------------------------------
def test_gw310_same_host_from_two_namespaces(lint_tree):
    out = lint_tree(files(shop=route("shop", "store", ["shop.example.com"], CATCH_ALL),
                          evil=route("promo", "deal", ["shop.example.com"],
                                     prefix("/checkout/pay"))),
                    select=["GW310"])
    assert where(out) == [("GW310", "evil.yaml", 12, "/spec/hostnames/0"),
                          ("GW310", "shop.yaml", 12, "/spec/hostnames/0")]
    promo, shop = out
    assert shop["severity"] == "warning" and shop["listener"] == "http"
    assert "also served by HTTPRoute promo/deal (routes from namespace 'promo')" in \
        shop["message"]
    assert "HTTPRoute shop/store" in promo["message"]
    assert [(r["file"], r["line"]) for r in shop["related"]] == [("evil.yaml", 12),
                                                                ("gw.yaml", 9)]


def test_gw310_one_finding_per_namespace(lint_tree):
    out = lint_tree(files(a1=route("a", "one", ["s.example.com"], prefix("/1")),
                          a2=route("a", "two", ["s.example.com"], prefix("/2")),
                          b1=route("b", "one", ["s.example.com"], prefix("/3"))),
                    select=["GW310"])
    assert [(f["file"], f["line"]) for f in out] == [("a1.yaml", 12), ("b1.yaml", 12)]


@pytest.mark.parametrize("h1,h2,ns2", [
    (["s.example.com"], ["s.example.com"], "a"),         # same namespace
    (["a.example.com"], ["b.example.com"], "b"),         # different hostnames, same listener
    (["*.example.com"], ["s.example.com"], "b"),         # wildcard vs exact: different hosts
    (["*.example.com"], ["example.com"], "b"),
])
def test_gw310_near_misses(lint_tree, h1, h2, ns2):
    out = lint_tree(files(one=route("a", "one", h1, prefix("/1")),
                          two=route(ns2, "two", h2, prefix("/2"))),
                    select=["GW310", "GW0"])
    assert out == []


# --- GW311 no-catch-all -----------------------------------------------------------------------
def test_gw311_host_without_catch_all(lint_tree):
    out = lint_tree(files(shop=route("shop", "store", ["www.example.com", "shop.example.com"],
                                     prefix("/cart") + prefix("/checkout"))),
                    select=["GW311"])
    assert where(out) == [("GW311", "shop.yaml", 12, "/spec/hostnames/0"),
                          ("GW311", "shop.yaml", 13, "/spec/hostnames/1")]
    f = out[1]
    assert f["severity"] == "info" and f["predicts"] is None and f["listener"] == "http"
    assert f["message"] == ("no rule for 'shop.example.com' on listener 'http' of Gateway "
                            "infra/gw matches every path (its route has no PathPrefix '/' "
                            "rule): requests to other paths get 404")


def test_gw311_once_per_listener_and_host(lint_tree):
    out = lint_tree(files(one=route("a", "one", ["s.example.com"], prefix("/1")),
                          two=route("a", "two", ["s.example.com"], prefix("/2"))),
                    select=["GW311"])
    assert where(out) == [("GW311", "one.yaml", 12, "/spec/hostnames/0")]
    assert "none of its 2 routes" in out[0]["message"]


def test_gw311_catch_all_with_header_is_not_a_catch_all(lint_tree):
    rules = prefix("/", "      headers:\n      - name: x-beta\n        value: 'on'\n")
    out = lint_tree(files(one=route("a", "one", ["s.example.com"], rules)), select=["GW311"])
    assert len(out) == 1


def test_gw311_listener_hostname_route_without_hostnames(lint_tree):
    out = lint_tree(files(one=route("a", "one", None, prefix("/v1"), section="api")),
                    select=["GW311"])
    assert where(out) == [("GW311", "one.yaml", 8, "/spec/parentRefs/0")]
    assert "'api.example.com'" in out[0]["message"] and out[0]["listener"] == "api"


@pytest.mark.parametrize("routes", [
    # a rule without matches IS a catch-all
    {"one": route("a", "one", ["s.example.com"], prefix("/1") + CATCH_ALL)},
    # an explicit PathPrefix / (trailing defaults: type PathPrefix)
    {"one": route("a", "one", ["s.example.com"],
                  "  - matches:\n    - path:\n        value: /\n    backendRefs:\n"
                  "    - name: web\n      port: 8080\n")},
    # another route of the same host has the catch-all
    {"one": route("a", "one", ["s.example.com"], prefix("/1")),
     "two": route("b", "two", ["s.example.com"], CATCH_ALL)},
    # a wildcard route with a catch-all covers the host
    {"one": route("a", "one", ["s.example.com"], prefix("/1")),
     "two": route("b", "two", ["*.example.com"], CATCH_ALL)},
    # a redirect catch-all (http -> https) answers everything
    {"one": route("a", "one", ["s.example.com"],
                  "  - filters:\n    - type: RequestRedirect\n      requestRedirect:\n"
                  "        scheme: https\n")},
    # not attached: nothing to say
    {"one": route("a", "one", ["s.example.com"], prefix("/1"), section="internal")},
    # GRPCRoutes have no paths
    {"one": route("a", "one", ["s.example.com"], GRPC_RULE, kind="GRPCRoute")},
])
def test_gw311_near_misses(lint_tree, routes):
    assert lint_tree(files(**routes), select=["GW311", "GW0"]) == []


def test_gw311_wildcard_catch_all_does_not_cover_apex(lint_tree):
    out = lint_tree(files(one=route("a", "one", ["example.com"], prefix("/1")),
                          two=route("b", "two", ["*.example.com"], CATCH_ALL)),
                    select=["GW311"])
    assert where(out) == [("GW311", "one.yaml", 12, "/spec/hostnames/0")]


# --- fixtures are schema-valid; the fixed setup is clean --------------------------------------
def test_fixtures_are_schema_valid(lint_tree):
    out = lint_tree(files(one=route("a", "one", ["shop.example.com"], prefix("/cart")),
                          rpc=route("b", "rpc", ["*.example.com"], GRPC_RULE,
                                    kind="GRPCRoute"),
                          api=route("a", "api", None, prefix("/v1"), section="api")),
                    select=["GW0"])
    assert out == [], out


def test_fixed_setup_is_clean(lint_tree):
    out = lint_tree(files(shop=route("shop", "store", ["shop.example.com"],
                                     prefix("/cart") + CATCH_ALL),
                          promo=route("promo", "deal", ["promo.example.com"], CATCH_ALL),
                          rpc=route("promo", "rpc", ["grpc.example.com"], GRPC_RULE,
                                    kind="GRPCRoute")),
                    select=["GW308", "GW309", "GW310", "GW311", "GW0"])
    assert out == [], out


def test_demo_shows_the_canary_split_and_the_missing_catch_all(monkeypatch):
    """examples/demo: the 90/unset canary (GW302) and the shop host without '/' (GW311)."""
    from pathlib import Path

    from gwlint.engine import LintConfig, lint
    from gwlint.reporters.common import finding_dict

    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)
    report = lint(LintConfig(paths=["examples/demo"], select=["GW3"], ignore=["GW305"]))
    out = [finding_dict(report, f) for f in report.findings]
    assert [(f["rule"], f["file"], f["line"], f["path"]) for f in out] == [
        ("GW311", "examples/demo/apps/shop/route.yaml", 13, "/spec/hostnames/0"),
        ("GW302", "examples/demo/apps/shop/route.yaml", 23, "/spec/rules/0/backendRefs/1"),
    ]
    assert "90:1 (98.9% : 1.1%), not 90:10" in out[1]["message"]
    assert out[0]["listener"] == "https-shop"
