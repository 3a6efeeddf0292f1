"""ingress2gateway's own test data as ground truth: Ingress inputs with the Gateway API output the
tool produces (fixtures/ingress2gateway/, see its README).

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

FAITHFUL = ["ssl_redirect", "rewrite_target", "timeouts", "multi_gateways", "kong"]
ANN = "nginx.ingress.kubernetes.io/"


def load(name: str) -> tuple[str, list[dict]]:
    text = fixture_text(f"ingress2gateway/{name}.output.yaml")
    return fixture_text(f"ingress2gateway/{name}.input.yaml"), [
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


def test_faithful_inputs_are_valid_ingresses():
    for name in FAITHFUL:
        inputs, outputs = load(name)
        codes = {p.code for p in run(inputs, outputs).model.problems}
        # the Kong case names a KongPlugin that the test data does not contain
        assert codes <= {"kong-plugin-not-found"}, name


def test_ssl_redirect_confirms_tls_and_redirect():
    result = run(*load("ssl_redirect"))
    codes = [(r.code, r.host) for r in result.results]
    assert ("tls-ok", "redirect.example") in codes and ("tls-ok", "force-redirect.example") in codes
    assert ("redirected", "redirect.example") in codes
    assert ("redirected", "force-redirect.example") in codes


# --- deletions --------------------------------------------------------------------------------
def _delete_rule(docs, kind, name, index):
    del find(docs, kind, name)["spec"]["rules"][index]


def _delete_doc(docs, kind, name):
    docs.remove(find(docs, kind, name))


def _delete_listener_tls(docs, gateway, listener):
    gw = find(docs, "Gateway", gateway)
    del next(ls for ls in gw["spec"]["listeners"] if ls["name"] == listener)["tls"]


PATH0 = ("spec", "rules", 0, "http", "paths", 0)
PATH1 = ("spec", "rules", 0, "http", "paths", 1)

SSL = "ssl_redirect"
HTTPS_ROUTE = "ingress-ssl-redirect-redirect-example-https"
HTTP_ROUTE = "ingress-ssl-redirect-redirect-example-http-redirect"

DELETIONS = [
    # the HTTPS rule for '/' of redirect.example: requests for / (and every path but /api, /web)
    # get 404
    ("https rule /", SSL, lambda d: _delete_rule(d, "HTTPRoute", HTTPS_ROUTE, 0),
     {("not-served", "ingress-ssl-redirect", PATH0)}),
    # the HTTPS rule for /web: its requests now reach myservice through the '/' rule - the same
    # Service, so nothing changes for clients
    ("https rule /web (covered)", SSL, lambda d: _delete_rule(d, "HTTPRoute", HTTPS_ROUTE, 2),
     set()),
    # the HTTP redirect for '/': plain HTTP requests for / are no longer redirected (/api and /web
    # keep their redirect rules)
    ("http redirect /", SSL, lambda d: _delete_rule(d, "HTTPRoute", HTTP_ROUTE, 0),
     {("https-redirect-missing", "ingress-ssl-redirect",
       ("metadata", "annotations", ANN + "ssl-redirect"))}),
    # the HTTP redirect for /api: the '/' redirect still redirects /api
    ("http redirect /api (covered)", SSL, lambda d: _delete_rule(d, "HTTPRoute", HTTP_ROUTE, 1),
     set()),
    # the whole redirect route of force-redirect.example
    ("force redirect route", SSL,
     lambda d: _delete_doc(d, "HTTPRoute",
                           "ingress-force-ssl-redirect-force-redirect-example-http-redirect"),
     {("https-redirect-missing", "ingress-force-ssl-redirect",
       ("metadata", "annotations", ANN + "force-ssl-redirect"))}),
    # the TLS block of the redirect.example listener: both Ingresses listing the host in
    # spec.tls lose their certificate
    ("tls block redirect.example", SSL,
     lambda d: _delete_listener_tls(d, "nginx", "redirect-example-https"),
     {("tls-wrong-secret", "ingress-ssl-redirect", ("spec", "tls", 0, "secretName")),
      ("tls-wrong-secret", "ingress-ssl-redirect-multiple-paths",
       ("spec", "tls", 0, "secretName"))}),
    ("tls block force-redirect.example", SSL,
     lambda d: _delete_listener_tls(d, "nginx", "force-redirect-example-https"),
     {("tls-wrong-secret", "ingress-force-ssl-redirect", ("spec", "tls", 0, "secretName"))}),
    # the whole HTTPS listener: no listener covers the TLS host, and the route naming it by
    # sectionName no longer attaches, so the path is not served
    ("https listener force-redirect.example", SSL,
     lambda d: find(d, "Gateway", "nginx")["spec"]["listeners"].pop(1),
     {("tls-no-listener", "ingress-force-ssl-redirect", ("spec", "tls", 0, "hosts", 0)),
      ("not-served", "ingress-force-ssl-redirect", PATH0)}),
    # rewrite-target was replaced by an implementation policy on the route
    ("rewrite policy", "rewrite_target",
     lambda d: _delete_doc(d, "AgentgatewayPolicy", "ingress-myservicea1"),
     {("annotation-missing", "ingress-myservicea1",
       ("metadata", "annotations", ANN + "rewrite-target"))}),
    ("route /path2", "rewrite_target",
     lambda d: _delete_rule(d, "HTTPRoute", "ingress-myserviceb-myserviceb-foo-org", 0),
     {("not-served", "ingress-myserviceb", PATH0)}),
    # one policy carried both request timeouts of one Ingress
    ("timeout policy", "timeouts",
     lambda d: _delete_doc(d, "AgentgatewayPolicy", "ingress-timeout-proxy-send"),
     {("annotation-missing", "ingress-timeout-proxy-send",
       ("metadata", "annotations", ANN + "proxy-send-timeout")),
      ("annotation-missing", "ingress-timeout-proxy-send",
       ("metadata", "annotations", ANN + "proxy-read-timeout"))}),
    # the connect timeout policy on the Service served both Ingresses' annotations
    ("connect timeout policy", "timeouts",
     lambda d: _delete_doc(d, "AgentgatewayPolicy", "myservice-backend-connect-timeout"),
     {("annotation-no-equivalent", "ingress-timeout-proxy-send",
       ("metadata", "annotations", ANN + "proxy-connect-timeout")),
      ("annotation-no-equivalent", "ingress-timeout-proxy-read",
       ("metadata", "annotations", ANN + "proxy-connect-timeout"))}),
    ("exact route gateway-2", "multi_gateways",
     lambda d: _delete_rule(d, "HTTPRoute", "gateway-2", 0),
     {("not-served", "ingress-gateway-2", PATH0)}),
    ("prefix route gateway-3", "multi_gateways",
     lambda d: _delete_doc(d, "HTTPRoute", "gateway-3"),
     {("not-served", "ingress-gateway-3", PATH0)}),
    # Kong: the plugin filter, the method and header matches, the regex rule
    ("kong plugin filter", "kong",
     lambda d: find(d, "HTTPRoute", "multiple-matching-single-rule-test-mydomain-com")[
         "spec"]["rules"][0].pop("filters"),
     {("annotation-missing", "multiple-matching-single-rule",
       ("metadata", "annotations", "konghq.com/plugins"))}),
    ("kong methods", "kong",
     lambda d: [m.pop("method") for m in find(
         d, "HTTPRoute", "multiple-matching-single-rule-test-mydomain-com")["spec"]["rules"][0][
             "matches"]],
     {("annotation-missing", "multiple-matching-single-rule",
       ("metadata", "annotations", "konghq.com/methods"))}),
    ("kong headers", "kong",
     lambda d: [m.pop("headers") for m in find(
         d, "HTTPRoute", "multiple-matching-single-rule-test-mydomain-com")["spec"]["rules"][0][
             "matches"]],
     {("annotation-missing", "multiple-matching-single-rule",
       ("metadata", "annotations", "konghq.com/headers.key1"))}),
    # the regex route: /echo/**/test is anchored under /echo/, so the PathPrefix /echo route
    # still forwards its requests to the same Service, but it serves paths the regex did not
    ("kong regex rule", "kong",
     lambda d: _delete_doc(d, "HTTPRoute", "implementation-specific-regex-test-mydomain-com"),
     {("match-differs", "implementation-specific-regex", PATH0 + ("pathType",))}),
    # ... unless that route goes too: both paths lose their route (the '/' route left requires
    # the methods and header of its own Ingress)
    ("kong regex and prefix rules", "kong",
     lambda d: [_delete_doc(d, "HTTPRoute", n) for n in (
         "implementation-specific-regex-test-mydomain-com",
         "implementation-specific-no-regex-test-mydomain-com")],
     {("not-served", "implementation-specific-regex", PATH0),
      ("not-served", "implementation-specific-no-regex", PATH0)}),
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
    _delete_rule(outputs, "HTTPRoute", HTTPS_ROUTE, 2)
    result = run(inputs, outputs)
    web = [r for r in result.results if r.code == "served" and r.ingress_path is not None
           and r.ingress_path.path == "/web"]
    assert len(web) == 1 and "broader" in web[0].message


# --- what ingress2gateway's kgateway output leaves out ----------------------------------------
def test_kgateway_output_drops_are_reported():
    """In this output, ingress-myservicea1's TrafficPolicy (attached by ExtensionRef) has no
    external auth and no access log, so auth-url and enable-access-log are not replaced; and the
    TrafficPolicy of ingress-myserviceb names its route with `kind: ""`, so it attaches to
    nothing: every annotation of that Ingress but the connect timeout (a BackendConfigPolicy on
    the Service) is unreplaced, and auth-type basic was not converted at all."""
    result = run(*load("kgateway"))
    a1, b = "ingress-myservicea1", "ingress-myserviceb"
    key = ("metadata", "annotations")
    assert problems(result) == {
        ("annotation-missing", a1, key + (ANN + "auth-url",)),
        ("annotation-no-equivalent", a1, key + (ANN + "enable-access-log",)),
        ("annotation-no-equivalent", b, key + (ANN + "client-body-buffer-size",)),
        ("annotation-missing", b, key + (ANN + "enable-cors",)),
        ("annotation-no-equivalent", b, key + (ANN + "limit-rps",)),
        ("annotation-no-equivalent", b, key + (ANN + "limit-burst-multiplier",)),
        ("annotation-no-equivalent", b, key + (ANN + "proxy-body-size",)),
        ("annotation-missing", b, key + (ANN + "proxy-send-timeout",)),
        ("annotation-missing", b, key + (ANN + "proxy-read-timeout",)),
        ("annotation-no-equivalent", b, key + (ANN + "auth-type",)),
    }
    severity = {r.annotation: r.severity for r in result.problems() if r.ingress.resource.name == b}
    assert severity[ANN + "auth-type"] == "error"  # the path became public


def test_kgateway_output_fixed_target_ref_resolves_myserviceb():
    inputs, outputs = load("kgateway")
    find(outputs, "TrafficPolicy", "ingress-myserviceb")["spec"]["targetRefs"][0].update(
        group="gateway.networking.k8s.io", kind="HTTPRoute")
    left = {(r.annotation or "").rsplit("/", 1)[-1] for r in run(inputs, outputs).problems()
            if r.ingress.resource.name == "ingress-myserviceb"}
    # cors, rate limit, buffer/body size and timeouts are in the policy; basic auth is not
    assert left == {"auth-type"}
