"""Hand-written conversions as ground truth: Ingress inputs written from the documented
behaviour of ingress-nginx and Kong, with the Gateway API output that does the same
(fixtures/conversions/, each file's header names the documentation it follows).

A faithful conversion has no parity problem; deleting one rule, TLS block, redirect or policy
from the output produces exactly the problem that deletion causes for clients - and nothing when
the deletion changes nothing for them (a rule that a broader rule to the same Service covers).
Expected problems are derived by hand from the Ingress semantics noted on each case.
"""

from __future__ import annotations

import copy
import functools

import pytest
import yaml

from gwlint.migration import check_parity
from tests.migration.helpers import context, fixture_text

FAITHFUL = ["ssl_redirect", "rewrite_target", "timeouts", "several_gateways", "kong_matching"]
ANN = "nginx.ingress.kubernetes.io/"


def load(name: str) -> tuple[str, list[dict]]:
    text = fixture_text(f"conversions/{name}.output.yaml")
    return fixture_text(f"conversions/{name}.input.yaml"), [
        d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d]


def run(inputs: str, outputs: list[dict]):
    return check_parity(context(inputs, yaml.dump_all(outputs, Dumper=yaml.CSafeDumper)))


def problems(result) -> set[tuple]:
    return {(r.code, r.ingress.resource.name, r.path) for r in result.problems()}


def find(docs: list[dict], kind: str, name: str) -> dict:
    return next(d for d in docs if d["kind"] == kind and d["metadata"]["name"] == name)


@pytest.mark.parametrize("name", FAITHFUL)
def test_faithful_conversion_has_no_parity_problem(name):
    inputs, outputs = load(name)
    result = run(inputs, outputs)
    assert problems(result) == set()
    # every Ingress path is confirmed served (not merely unreported)
    served = {id(r.ingress_path) for r in result.results if r.code == "served"}
    paths = [p for i in result.model.ingresses for p in i.paths]
    assert paths and all(id(p) in served for p in paths)


@pytest.mark.parametrize("name", FAITHFUL + ["implementation_policy"])
def test_inputs_are_valid_ingresses(name):
    inputs, outputs = load(name)
    assert [p.code for p in run(inputs, outputs).model.problems] == []


def test_ssl_redirect_confirms_tls_and_redirect():
    result = run(*load("ssl_redirect"))
    codes = [(r.code, r.host) for r in result.results]
    assert ("tls-ok", "shop.example.net") in codes and ("tls-ok", "pay.example.net") in codes
    assert ("redirected", "shop.example.net") in codes
    assert ("redirected", "pay.example.net") in codes


# --- deletions --------------------------------------------------------------------------------
def _delete_rule(docs, kind, name, index):
    del find(docs, kind, name)["spec"]["rules"][index]


def _delete_doc(docs, kind, name):
    docs.remove(find(docs, kind, name))


def _delete_listener_tls(docs, gateway, listener):
    gw = find(docs, "Gateway", gateway)
    del next(ls for ls in gw["spec"]["listeners"] if ls["name"] == listener)["tls"]


PATH0 = ("spec", "rules", 0, "http", "paths", 0)
TLS0 = ("spec", "tls", 0)
KEY = ("metadata", "annotations")

SSL = "ssl_redirect"
KONG = "kong_matching"


def _pop_from_matches(docs, route, field):
    for m in find(docs, "HTTPRoute", route)["spec"]["rules"][0]["matches"]:
        m.pop(field)


DELETIONS = [
    # the HTTPS rule for '/' of shop.example.net: every path of the host but /cart and /account
    # gets 404
    ("https rule /", SSL, lambda d: _delete_rule(d, "HTTPRoute", "shop", 0),
     {("not-served", "shop-web", PATH0)}),
    # the HTTPS rule for /cart and /account: their requests now reach frontend:8080 through the
    # '/' rule - the same Service, so nothing changes for clients
    ("https rule /cart /account (covered)", SSL,
     lambda d: _delete_rule(d, "HTTPRoute", "shop", 1), set()),
    # the HTTP redirect for '/': plain HTTP requests for / are forwarded nowhere (/cart and
    # /account keep their redirect rule)
    ("http redirect /", SSL, lambda d: _delete_rule(d, "HTTPRoute", "shop-to-https", 0),
     {("https-redirect-missing", "shop-web", KEY + (ANN + "ssl-redirect",))}),
    # the HTTP redirect for /cart and /account: the '/' redirect still redirects them
    ("http redirect /cart /account (covered)", SSL,
     lambda d: _delete_rule(d, "HTTPRoute", "shop-to-https", 1), set()),
    # the whole redirect route of pay.example.net
    ("payments redirect route", SSL, lambda d: _delete_doc(d, "HTTPRoute", "pay-to-https"),
     {("https-redirect-missing", "payments", KEY + (ANN + "force-ssl-redirect",))}),
    # the TLS block of the shop.example.net listener: both Ingresses listing the host in
    # spec.tls lose their certificate
    ("tls block shop", SSL, lambda d: _delete_listener_tls(d, "edge", "shop-tls"),
     {("tls-wrong-secret", "shop-web", TLS0 + ("secretName",)),
      ("tls-wrong-secret", "shop-extras", TLS0 + ("secretName",))}),
    ("tls block pay", SSL, lambda d: _delete_listener_tls(d, "edge", "pay-tls"),
     {("tls-wrong-secret", "payments", TLS0 + ("secretName",))}),
    # the whole HTTPS listener of pay.example.net: no listener terminates the TLS host, and the
    # route naming it by sectionName no longer attaches, so the path is not served
    ("https listener pay", SSL,
     lambda d: find(d, "Gateway", "edge")["spec"]["listeners"].pop(2),
     {("tls-no-listener", "payments", TLS0 + ("hosts", 0)),
      ("not-served", "payments", PATH0)}),
    # rewrite-target: the standard URLRewrite filter, then the implementation's filter object
    # (its ExtensionRef is left pointing at nothing)
    ("URLRewrite filter", "rewrite_target",
     lambda d: find(d, "HTTPRoute", "docs-site")["spec"]["rules"][0].pop("filters"),
     {("annotation-missing", "handbook", KEY + (ANN + "rewrite-target",))}),
    ("rewrite filter object", "rewrite_target",
     lambda d: _delete_doc(d, "HTTPRouteFilter", "v1-to-v2"),
     {("annotation-missing", "legacy-api", KEY + (ANN + "rewrite-target",))}),
    ("route rule /search", "rewrite_target",
     lambda d: _delete_rule(d, "HTTPRoute", "docs-site", 1),
     {("not-served", "search", PATH0)}),
    # the rule's standard timeouts carried both the read and the send timeout of exports
    ("rule timeouts", "timeouts",
     lambda d: find(d, "HTTPRoute", "exports")["spec"]["rules"][0].pop("timeouts"),
     {("annotation-missing", "exports", KEY + (ANN + "proxy-send-timeout",)),
      ("annotation-missing", "exports", KEY + (ANN + "proxy-read-timeout",))}),
    ("request timeout policy", "timeouts",
     lambda d: _delete_doc(d, "BackendTrafficPolicy", "dashboards-request-timeout"),
     {("annotation-missing", "dashboards", KEY + (ANN + "proxy-read-timeout",))}),
    # the connect timeout policy on the Gateway served both Ingresses' annotations
    ("gateway connect timeout policy", "timeouts",
     lambda d: _delete_doc(d, "BackendTrafficPolicy", "reports-connect-timeout"),
     {("annotation-no-equivalent", "exports", KEY + (ANN + "proxy-connect-timeout",)),
      ("annotation-no-equivalent", "dashboards", KEY + (ANN + "proxy-connect-timeout",))}),
    ("exact rule catalog", "several_gateways",
     lambda d: _delete_rule(d, "HTTPRoute", "catalog", 0),
     {("not-served", "catalog", PATH0)}),
    ("prefix route partner-feed", "several_gateways",
     lambda d: _delete_doc(d, "HTTPRoute", "partner-feed"),
     {("not-served", "partner-feed", PATH0)}),
    # the Gateway of one class: only the Ingress of that class loses its route
    ("gateway internal", "several_gateways", lambda d: _delete_doc(d, "Gateway", "internal"),
     {("not-served", "status-page", PATH0)}),
    # Kong: the plugin filter (the KongPlugin is key-auth, replaced only by an attached
    # policy), the method and header matches, the regex rule
    ("kong plugin filter", KONG,
     lambda d: find(d, "HTTPRoute", "cart-write")["spec"]["rules"][0].pop("filters"),
     {("annotation-no-equivalent", "cart-write", KEY + ("konghq.com/plugins",))}),
    ("kong methods", KONG, lambda d: _pop_from_matches(d, "cart-write", "method"),
     {("annotation-missing", "cart-write", KEY + ("konghq.com/methods",))}),
    ("kong headers", KONG, lambda d: _pop_from_matches(d, "cart-write", "headers"),
     {("annotation-missing", "cart-write", KEY + ("konghq.com/headers.x-client",))}),
    # the regex route: /cart/[0-9]+/lines$ lies under /cart, so the PathPrefix /cart route
    # still forwards its requests to the same Service, but it also serves paths the regex did not
    ("kong regex route", KONG, lambda d: _delete_doc(d, "HTTPRoute", "cart-lines"),
     {("match-differs", "cart-lines", PATH0 + ("pathType",))}),
    # ... unless that route goes too: both paths lose their route (the '/' route left requires
    # the methods and header values of its own Ingress)
    ("kong regex and prefix routes", KONG,
     lambda d: [_delete_doc(d, "HTTPRoute", n) for n in ("cart-lines", "cart-view")],
     {("not-served", "cart-lines", PATH0), ("not-served", "cart-view", PATH0)}),
]


@pytest.mark.parametrize("case,name,mutate,expected", DELETIONS, ids=[d[0] for d in DELETIONS])
def test_deleting_from_the_output_gives_exactly_its_problem(case, name, mutate, expected):
    inputs, outputs = load(name)
    outputs = copy.deepcopy(outputs)
    mutate(outputs)
    assert problems(run(inputs, outputs)) == expected


# --- every single deletion, systematically -----------------------------------------------------
def _key(r) -> tuple:
    """What a result is about: an annotation, an Ingress path, or a host of one Ingress."""
    name = r.ingress.resource.name
    if r.annotation:
        return (name, "annotation", r.annotation)
    if r.ingress_path is not None:
        return (name, "path", r.ingress_path.json_path)
    return (name, "host", r.host)


def _units(docs: list[dict]) -> list[tuple[str, tuple, object]]:
    """Every deletable part of an output: each route rule, each route, each listener's TLS
    block, each other document (policies); with the object and JSON path it removes."""
    out: list[tuple[str, tuple, object]] = []
    for di, d in enumerate(docs):
        kind, name = d["kind"], d["metadata"]["name"]
        if kind.endswith("Route"):
            for ri in range(len(d["spec"].get("rules", []))):
                out.append((f"{kind} {name} rule {ri}", (kind, name, ("spec", "rules", ri)),
                            lambda o, di=di, ri=ri: o[di]["spec"]["rules"].pop(ri)))
            out.append((f"{kind} {name}", (kind, name, ()), lambda o, di=di: o.pop(di)))
        elif kind == "Gateway":
            for li, ls in enumerate(d["spec"]["listeners"]):
                if "tls" in ls:
                    out.append((f"tls of {name}/{ls['name']}",
                                (kind, name, ("spec", "listeners", li)),
                                lambda o, di=di, li=li: o[di]["spec"]["listeners"][li].pop("tls")))
        else:
            out.append((f"{kind} {name}", (kind, name, ()), lambda o, di=di: o.pop(di)))
    return out


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _covered(docs: list[dict], unit: tuple) -> bool:
    """A deleted rule changes nothing for clients when another rule of its route does the same
    (same backendRefs and filters) for a PathPrefix that covers each of its paths element-wise
    (the spec's PathPrefix semantics): an oracle independent of gwlint's index."""
    kind, name, path = unit
    if path[:2] != ("spec", "rules"):
        return False
    rules = next(d for d in docs if (d["kind"], d["metadata"]["name"]) == (kind, name))["spec"][
        "rules"]
    gone = rules[path[2]]
    values = [m.get("path", {}) for m in gone.get("matches", [])]
    if not values or any(v.get("type") != "PathPrefix" for v in values):
        return False
    for other in rules:
        if other is gone or (other.get("backendRefs"), other.get("filters")) != (
                gone.get("backendRefs"), gone.get("filters")):
            continue
        prefixes = [_segments(m["path"]["value"]) for m in other.get("matches", [])
                    if m.get("path", {}).get("type") == "PathPrefix"]
        if all(any(_segments(v["value"])[:len(p)] == p for p in prefixes) for v in values):
            return True
    return False


@functools.cache
def faithful_results(name: str) -> tuple:
    """The results of the faithful conversion `name`: computed once, read by each of its
    deletions."""
    inputs, outputs = load(name)
    return tuple(run(inputs, outputs).results)


SINGLE_DELETIONS = [(name, label, unit, mutate) for name in FAITHFUL
                    for label, unit, mutate in _units(load(name)[1])]


@pytest.mark.parametrize("name,label,unit,mutate", SINGLE_DELETIONS,
                         ids=[f"{d[0]}: {d[1]}" for d in SINGLE_DELETIONS])
def test_every_single_deletion_is_reported_for_what_it_served(name, label, unit, mutate):
    """Deleting any one rule, route, TLS block or policy from a faithful conversion reports
    only what the deleted part served in the faithful run (the Ingress paths, hosts and
    annotations whose confirmation named it), and something unless the deletion is covered."""
    inputs, outputs = load(name)
    kind, obj, path = unit
    served = {_key(r) for r in faithful_results(name)
              if any((rel.resource.kind, rel.resource.name) == (kind, obj)
                     and tuple(rel.path[:len(path)]) == path for rel in r.related)}
    mutated = copy.deepcopy(outputs)
    mutate(mutated)
    found = {_key(r) for r in run(inputs, mutated).problems()}
    assert found <= served
    assert bool(found) != _covered(outputs, unit), found


def test_covered_deletion_is_confirmed_through_the_broader_rule():
    inputs, outputs = load(SSL)
    _delete_rule(outputs, "HTTPRoute", "shop", 1)
    result = run(inputs, outputs)
    for path in ("/cart", "/account"):
        served = [r for r in result.results if r.code == "served" and r.ingress_path is not None
                  and r.ingress_path.path == path]
        assert len(served) == 1 and "broader" in served[0].message, path


# --- an implementation's policies with gaps --------------------------------------------------
def test_implementation_policy_gaps_are_reported():
    """uploads: its TrafficPolicy (ExtensionRef filter) covers CORS, the rate limit and the body
    size, the BackendConfigPolicy on its Service the connect timeout; nothing replaces auth-url.
    thumbnails: its TrafficPolicy names a route that does not exist, so it attaches to nothing:
    every annotation is unreplaced (auth-secret only configures auth-type; it is judged with
    it)."""
    result = run(*load("implementation_policy"))
    up, th = "uploads", "thumbnails"
    assert problems(result) == {
        ("annotation-missing", up, KEY + (ANN + "auth-url",)),
        ("annotation-missing", th, KEY + (ANN + "enable-cors",)),
        ("annotation-no-equivalent", th, KEY + (ANN + "limit-rpm",)),
        ("annotation-missing", th, KEY + (ANN + "proxy-read-timeout",)),
        ("annotation-missing", th, KEY + (ANN + "proxy-send-timeout",)),
        ("annotation-no-equivalent", th, KEY + (ANN + "auth-type",)),
    }
    severity = {(r.ingress.resource.name, r.annotation): r.severity for r in result.problems()}
    # both paths became public
    assert severity[(up, ANN + "auth-url")] == severity[(th, ANN + "auth-type")] == "error"
    policy = {r.annotation for r in result.results if r.code == "annotation-policy"}
    assert policy == {ANN + a for a in ("proxy-body-size", "enable-cors", "limit-rps",
                                         "proxy-connect-timeout")}


def test_fixed_target_ref_attaches_the_thumbnails_policy():
    inputs, outputs = load("implementation_policy")
    find(outputs, "TrafficPolicy", "thumbnails")["spec"]["targetRefs"][0]["name"] = "thumbnails"
    left = {(r.annotation or "").rsplit("/", 1)[-1] for r in run(inputs, outputs).problems()
            if r.ingress.resource.name == "thumbnails"}
    # CORS, the rate limit and the timeouts are in the policy; basic auth is not
    assert left == {"auth-type"}
