"""Traffic rules GW301-GW307: fire (exact line, path, predicts), near-misses, fixed is clean."""

from __future__ import annotations

import pytest

from gwlint.rules._routes import HostIndex, pct

SERVICES = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: app
spec:
  ports:
  - port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web-canary
  namespace: app
spec:
  ports:
  - port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: pay
  namespace: payments
spec:
  ports:
  - port: 8443
"""


def route(rules: str, kind: str = "HTTPRoute", name: str = "web") -> str:
    """A route in namespace app; `rules` is the YAML below `rules:` (indented 2). The first rule
    starts on line 10."""
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: {kind}
metadata:
  name: {name}
  namespace: app
spec:
  parentRefs:
  - name: gw
  rules:
{rules}"""


def backends(*weights: int | None, names: tuple[str, ...] = ("web", "web-canary")) -> str:
    """One rule (line 10) whose backendRefs (2 or 3 lines each, from line 11) have these weights."""
    out = "  - backendRefs:\n"
    for i, w in enumerate(weights):
        out += f"    - name: {names[i % len(names)]}\n      port: 8080\n"
        if w is not None:
            out += f"      weight: {w}\n"
    return out


def where(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["path"]) for f in findings]


# --- GW301 weights-all-zero -------------------------------------------------------------------
def test_gw301_all_weights_zero_fires_at_first_weight(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(0, 0))}, select=["GW301"])
    assert where(out) == [("GW301", "r.yaml", 13, "/spec/rules/0/backendRefs/0/weight")]
    f = out[0]
    assert f["severity"] == "error" and f["predicts"] is None
    assert "rule 0 forwards nothing" in f["message"] and "HTTP 500" in f["message"]
    assert [r["line"] for r in f["related"]] == [16]


def test_gw301_single_zero_weight_and_grpc_wording(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(0), kind="GRPCRoute")},
                    select=["GW301"])
    assert where(out) == [("GW301", "r.yaml", 13, "/spec/rules/0/backendRefs/0/weight")]
    assert "UNAVAILABLE" in out[0]["message"] and "its only backendRef" in out[0]["message"]


@pytest.mark.parametrize("weights", [(0, 1), (0, None), (None,), (0, 0, 5)])
def test_gw301_near_misses(lint_tree, weights):
    """One nonzero weight (explicit or the implicit 1) keeps the rule forwarding."""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(*weights))},
                    select=["GW301"])
    assert out == []


def test_gw301_redirect_rule_and_rule_without_backends_not_reported(lint_tree):
    rules = """\
  - filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
    backendRefs:
    - name: web
      port: 8080
      weight: 0
  - matches:
    - path:
        value: /x
"""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW301"])
    assert out == []


# --- GW302 weights-mixed-unset ----------------------------------------------------------------
def test_gw302_ninety_and_unset_shows_real_split(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(90, None))},
                    select=["GW302"])
    assert where(out) == [("GW302", "r.yaml", 14, "/spec/rules/0/backendRefs/1")]
    f = out[0]
    assert f["severity"] == "warning" and f["predicts"] is None
    assert "90:1 (98.9% : 1.1%), not 90:10" in f["message"]
    assert "'web-canary' gets 1.1%" in f["message"]
    assert "weight: 10 gives 90:10" in f["hint"]
    assert [r["line"] for r in f["related"]] == [13]


def test_gw302_each_unset_backend_reported(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES,
                     "r.yaml": route(backends(None, 80, None, names=("web", "web-canary",
                                                                     "web")))},
                    select=["GW302"])
    assert where(out) == [("GW302", "r.yaml", 11, "/spec/rules/0/backendRefs/0"),
                          ("GW302", "r.yaml", 16, "/spec/rules/0/backendRefs/2")]
    assert "splits 1:80:1 (1.2% : 97.6% : 1.2%)" in out[0]["message"]
    assert "not 10:80:10" in out[0]["message"]


@pytest.mark.parametrize("weights", [
    (None, None),          # implicit weight 1 everywhere: 50/50 as written
    (1, None),             # explicit 1 next to unset 1: equal, as the author expects
    (0, None),             # drained backend next to the live one
    (90, 10),              # every weight explicit
    (90,),                 # a single backend
])
def test_gw302_near_misses(lint_tree, weights):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(*weights))},
                    select=["GW302"])
    assert out == []


def test_gw302_explicit_weight_one_is_not_mistaken_for_unset(lint_tree):
    """The CRD defaulting writes weight: 1 into the body; only the author's text counts."""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(backends(90, 1))},
                    select=["GW302"])
    assert out == []


# --- GW303 unresolved-backend-traffic ---------------------------------------------------------
def test_gw303_missing_service_share(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES,
                     "r.yaml": route(backends(3, 1, names=("web", "nope")))},
                    select=["GW303"])
    assert where(out) == [("GW303", "r.yaml", 14, "/spec/rules/0/backendRefs/1")]
    f = out[0]
    assert f["message"].startswith("25% of requests to rule 0 get HTTP 500: backendRef 'nope'")
    assert "weight 1 of 4" in f["message"]
    assert f["predicts"] == {"type": "ResolvedRefs", "status": "False",
                             "reason": "BackendNotFound"}
    assert f["severity"] == "error"


CROSS = """\
  - backendRefs:
    - name: web
      port: 8080
    - name: pay
      namespace: payments
      port: 8443
"""

GRANT = """\
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-app
  namespace: payments
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: app
  to:
  - group: ""
    kind: Service
"""


def test_gw303_cross_namespace_without_grant_is_ref_not_permitted(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(CROSS)}, select=["GW303"])
    assert where(out) == [("GW303", "r.yaml", 13, "/spec/rules/0/backendRefs/1")]
    assert out[0]["message"].startswith("50% of requests to rule 0 get HTTP 500")
    assert out[0]["predicts"]["reason"] == "RefNotPermitted"


def test_gw303_fixed_with_grant(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(CROSS), "grant.yaml": GRANT},
                    select=["GW303"])
    assert out == []


def test_gw303_grant_in_wrong_namespace_does_not_count(lint_tree):
    wrong = GRANT.replace("namespace: payments", "namespace: app")
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(CROSS), "grant.yaml": wrong},
                    select=["GW303"])
    assert [f["predicts"]["reason"] for f in out] == ["RefNotPermitted"]


def test_gw303_grpc_wording(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES,
                     "r.yaml": route(backends(1, 1, 2, names=("web", "gone", "web-canary")),
                                     kind="GRPCRoute")},
                    select=["GW303"])
    assert where(out) == [("GW303", "r.yaml", 14, "/spec/rules/0/backendRefs/1")]
    assert out[0]["message"].startswith(
        "25% of requests to rule 0 get gRPC status UNAVAILABLE: backendRef 'gone'")


def test_gw303_silent_when_no_backend_resolves(lint_tree):
    """All traffic fails: GW102/GW105 report each reference; no second error at the same place."""
    files = {"svc.yaml": SERVICES, "r.yaml": route(backends(1, 3, names=("gone", "nope")))}
    assert lint_tree(files, select=["GW303"]) == []
    files = {"svc.yaml": SERVICES, "r.yaml": route(backends(None, names=("gone",)))}
    assert lint_tree(files, select=["GW303"]) == []


def test_gw303_unknown_namespace_lowers_confidence(lint_tree):
    rules = """\
  - backendRefs:
    - name: web
      port: 8080
      weight: 9
    - name: elsewhere
      namespace: other
      port: 80
"""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW303"])
    assert [(f["severity"], f["predicts"]["reason"]) for f in out] == [
        ("warning", "RefNotPermitted")]
    assert out[0]["message"].startswith("10% of requests")
    assert "nothing in the linted files is in that namespace" in out[0]["message"]


def test_gw303_near_misses(lint_tree):
    """Weight 0 carries no traffic; declared-external Services resolve."""
    files = {"svc.yaml": SERVICES, "r.yaml": route(backends(1, 0, names=("web", "nope")))}
    assert lint_tree(files, select=["GW303"]) == []
    files = {"r.yaml": route(backends(1, 1, names=("web", "nope")))}
    assert lint_tree(files, select=["GW303"], assume_exists=["Service/app/*"]) == []


# --- GW304 duplicate-backend ------------------------------------------------------------------
def test_gw304_same_backend_twice(lint_tree):
    out = lint_tree({"svc.yaml": SERVICES,
                     "r.yaml": route(backends(None, None, None,
                                              names=("web", "web-canary", "web")))},
                    select=["GW304"])
    assert where(out) == [("GW304", "r.yaml", 15, "/spec/rules/0/backendRefs/2")]
    assert "listed twice in rule 0 (backendRefs[0], backendRefs[2])" in out[0]["message"]
    assert "add up to 2 of 3 = 66.7%" in out[0]["message"]
    assert [r["line"] for r in out[0]["related"]] == [11]


def test_gw304_near_misses(lint_tree):
    rules = """\
  - backendRefs:
    - name: web
      port: 8080
    - name: web
      port: 9090
  - backendRefs:
    - name: web
      port: 8080
  - backendRefs:
    - name: web
      port: 8080
      filters:
      - type: RequestHeaderModifier
        requestHeaderModifier:
          set:
          - name: x-variant
            value: b
    - name: web
      port: 8080
"""
    # other port; same backend in another rule; entries with different per-backend filters
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW304"])
    assert out == []


# --- GW305 weights-not-percent (opt-in) -------------------------------------------------------
def test_gw305_is_opt_in(lint_tree):
    files = {"svc.yaml": SERVICES, "r.yaml": route(backends(90, 20))}
    assert [f for f in lint_tree(files) if f["rule"] == "GW305"] == []
    out = lint_tree(files, select=["GW305"])
    assert where(out) == [("GW305", "r.yaml", 10, "/spec/rules/0/backendRefs")]
    assert out[0]["severity"] == "info"
    assert "add up to 110, not 100" in out[0]["message"]
    assert "'web' 81.8%, 'web-canary' 18.2%" in out[0]["message"]


def test_gw305_option_total_and_near_misses(lint_tree):
    files = {"svc.yaml": SERVICES, "r.yaml": route(backends(600, 400))}
    assert lint_tree(files, select=["GW305"], rule_options={"GW305": {"total": 1000}}) == []
    assert len(lint_tree(files, select=["GW305"])) == 1
    for weights in [(90, 10), (None,), (0, 0), (100,)]:
        files = {"svc.yaml": SERVICES, "r.yaml": route(backends(*weights))}
        assert lint_tree(files, select=["GW305"]) == [], weights


# --- GW306 duplicate-rule ---------------------------------------------------------------------
def test_gw306_identical_match_with_defaults_normalized(lint_tree):
    rules = """\
  - matches:
    - path:
        value: /api
      headers:
      - name: X-Env
        value: canary
      - name: x-team
        value: a
    backendRefs:
    - name: web
      port: 8080
  - matches:
    - path:
        type: PathPrefix
        value: /api/
      headers:
      - name: x-team
        type: Exact
        value: a
      - name: x-env
        value: canary
    backendRefs:
    - name: web-canary
      port: 8080
"""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW306"])
    assert where(out) == [("GW306", "r.yaml", 22, "/spec/rules/1/matches/0")]
    f = out[0]
    assert "match 0 of rule 1" in f["message"] and "repeats match 0 of rule 0" in f["message"]
    assert "rule 1 is unreachable" in f["message"]
    assert [r["line"] for r in f["related"]] == [11]


def test_gw306_rule_without_matches_is_a_catch_all(lint_tree):
    rules = """\
  - matches:
    - path:
        type: PathPrefix
        value: /
    backendRefs:
    - name: web
      port: 8080
  - backendRefs:
    - name: web-canary
      port: 8080
"""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW306"])
    # the rule has no matches: the finding points at the rule itself
    assert where(out) == [("GW306", "r.yaml", 17, "/spec/rules/1")]
    assert out[0]["message"].startswith("rule 1 (PathPrefix '/') repeats match 0 of rule 0")


def test_gw306_partial_overlap_names_only_the_dead_match(lint_tree):
    rules = """\
  - matches:
    - path:
        value: /a
    backendRefs:
    - name: web
      port: 8080
  - matches:
    - path:
        value: /b
    - path:
        value: /a
    backendRefs:
    - name: web-canary
      port: 8080
"""
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW306"])
    assert where(out) == [("GW306", "r.yaml", 19, "/spec/rules/1/matches/1")]
    assert "rule 1 never gets these requests" in out[0]["message"]


API = "    - path:\n        value: /api\n"


@pytest.mark.parametrize("first,second", [
    (API, API + "      method: POST\n"),                                  # method vs none
    (API + "      method: GET\n", API + "      method: POST\n"),        # different methods
    (API, "    - path:\n        type: Exact\n        value: /api\n"),  # path type
    (API + "      queryParams:\n      - name: v\n        value: '1'\n",
     API + "      queryParams:\n      - name: V\n        value: '1'\n"),  # query names: case
    (API + "      headers:\n      - name: x-env\n        value: canary\n",
     API + "      headers:\n      - name: x-env\n        value: Canary\n"),  # header values
])
def test_gw306_near_misses(lint_tree, first, second):
    rules = ("  - matches:\n" + first + "    backendRefs:\n    - name: web\n      port: 8080\n"
             "  - matches:\n" + second
             + "    backendRefs:\n    - name: web-canary\n      port: 8080\n")
    out = lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW306", "GW0"])
    assert out == []


def test_gw306_grpc_methods(lint_tree):
    rules = """\
  - matches:
    - method:
        service: shop.Cart
        method: Get
  - matches:
    - method:
        type: Exact
        service: shop.Cart
        method: Get
  - matches:
    - method:
        service: shop.Cart
        method: Put
"""
    out = lint_tree({"r.yaml": route(rules, kind="GRPCRoute")}, select=["GW306"])
    assert where(out) == [("GW306", "r.yaml", 15, "/spec/rules/1/matches/0")]
    assert "method shop.Cart/Get" in out[0]["message"]


# --- GW307 rule-without-backends --------------------------------------------------------------
def test_gw307_rule_with_only_a_header_filter(lint_tree):
    rules = """\
  - matches:
    - path:
        value: /api
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier:
        set:
        - name: x-team
          value: api
"""
    out = lint_tree({"r.yaml": route(rules)}, select=["GW307"])
    assert where(out) == [("GW307", "r.yaml", 10, "/spec/rules/0")]
    assert out[0]["severity"] == "error"
    assert "rule 0 has no backendRefs and no RequestRedirect filter" in out[0]["message"]
    assert "HTTP 500" in out[0]["message"]


def test_gw307_empty_list_and_grpc(lint_tree):
    out = lint_tree({"r.yaml": route("  - backendRefs: []\n", kind="GRPCRoute")},
                    select=["GW307"])
    assert where(out) == [("GW307", "r.yaml", 10, "/spec/rules/0/backendRefs")]
    assert "UNAVAILABLE" in out[0]["message"]


def test_gw307_extension_ref_lowers_confidence(lint_tree):
    rules = """\
  - filters:
    - type: ExtensionRef
      extensionRef:
        group: example.com
        kind: DirectResponse
        name: maintenance
"""
    out = lint_tree({"r.yaml": route(rules)}, select=["GW307"])
    assert [(f["rule"], f["severity"]) for f in out] == [("GW307", "warning")]


def test_gw307_route_without_rules_gets_the_default_rule(lint_tree):
    text = route("").replace("  rules:\n", "")
    out = lint_tree({"r.yaml": text}, select=["GW307"])
    assert [(f["rule"], f["path"]) for f in out] == [("GW307", "/spec")]
    assert "has no rules" in out[0]["message"]


def test_gw307_near_misses(lint_tree):
    rules = """\
  - filters:
    - type: RequestRedirect
      requestRedirect:
        scheme: https
        statusCode: 301
  - backendRefs:
    - name: web
      port: 8080
"""
    assert lint_tree({"svc.yaml": SERVICES, "r.yaml": route(rules)}, select=["GW307"]) == []
    tcp = """\
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: db
  namespace: app
spec:
  parentRefs:
  - name: gw
  rules:
  - backendRefs:
    - name: web
      port: 8080
"""
    assert lint_tree({"svc.yaml": SERVICES, "tcp.yaml": tcp}, select=["GW307"]) == []


# --- fixtures are schema-valid; fixed versions are clean ------------------------------------
def test_fixtures_are_schema_valid(lint_tree):
    files = {"svc.yaml": SERVICES, "grant.yaml": GRANT,
             "a.yaml": route(backends(0, 0), name="a"),
             "b.yaml": route(backends(90, None), name="b"),
             "c.yaml": route(CROSS, name="c"),
             "d.yaml": route(backends(None, None, None, names=("web", "web-canary", "web")),
                             name="d")}
    out = lint_tree(files, select=["GW0"])
    assert out == [], out


def test_fixed_route_is_clean_for_all_traffic_rules(lint_tree):
    rules = """\
  - matches:
    - path:
        value: /cart
    backendRefs:
    - name: web
      port: 8080
      weight: 90
    - name: web-canary
      port: 8080
      weight: 10
  - matches:
    - path:
        value: /pay
    backendRefs:
    - name: pay
      namespace: payments
      port: 8443
  - backendRefs:
    - name: web
      port: 8080
"""
    out = lint_tree({"svc.yaml": SERVICES, "grant.yaml": GRANT, "r.yaml": route(rules)},
                    select=["GW301", "GW302", "GW303", "GW304", "GW305", "GW306", "GW307",
                            "GW0"])
    assert out == [], out


# --- helpers ----------------------------------------------------------------------------------
def test_pct_formatting():
    assert [pct(90, 91), pct(1, 91), pct(1, 4), pct(1, 10000), pct(9999, 10000), pct(0, 3),
            pct(3, 3)] == ["98.9%", "1.1%", "25%", "0.01%", "99.99%", "0%", "100%"]


def test_host_index_overlap_rules():
    idx = HostIndex()
    idx.add("*.example.com", "wild")
    assert idx.overlapping("a.example.com") == "wild"
    assert idx.overlapping("a.b.example.com") == "wild"
    assert idx.overlapping("*.b.example.com") == "wild"
    assert idx.overlapping("example.com") is None
    assert idx.overlapping("a.example.net") is None
    assert idx.overlapping("*") == "wild"
    exact = HostIndex()
    exact.add("api.example.com", "api")
    assert exact.overlapping("*.example.com") == "api"
    assert exact.overlapping("API.example.com") == "api"
    assert exact.overlapping("*.com") == "api"
    assert exact.overlapping("*.other.com") is None
    anyhost = HostIndex()
    anyhost.add("*", "any")
    assert anyhost.overlapping("x.y") == "any"


def test_rules_survive_bad_types(lint_tree):
    """The schema stage reports type errors; the traffic and conflict rules must not crash."""
    bad = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
  namespace: app
spec:
  parentRefs: [{name: gw, namespace: infra}, 7, {sectionName: [1]}]
  hostnames: [7, null, "a.example.com", {x: 1}]
  rules:
  - 5
  - matches: "all"
    backendRefs: {name: web}
  - matches: [7, {path: 3, headers: [{name: 1}, 2, {name: X, value: {a: 1}}]}, {method: [1]}]
    backendRefs: [3, {name: web, weight: "90"}, {name: web, port: "x", weight: -3}, {port: 1}]
    filters: [1, {type: 3}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: bad
  namespace: app
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: "x"
  rules: [{matches: [{method: 3, headers: "h"}, {method: {service: 1}}]}, null]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: Selector, selector: [1]}}
  listeners:
  - 3
  - {name: http, port: 80, protocol: HTTP, hostname: 7,
     allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: [1],
                                                            matchExpressions: [3, {key: 4}]}}}}
  - {name: all, port: 81, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
"""
    out = lint_tree({"bad.yaml": bad}, select=["GW3", "GW4", "GW305"])
    assert all(f["rule"].startswith(("GW3", "GW4")) for f in out)
