"""Parity of Ingress paths, TLS hosts, redirects and default backends with what the routes serve."""

from __future__ import annotations

import gc
import time

import pytest
import yaml

from gwlint.context import Context, Options
from gwlint.migration import catch_all_sources, check_parity
import gwlint.migration.ingress as migration_ingress
import gwlint.migration.parity as migration_parity
import gwlint.migration.routes as migration_routes
from tests.migration.helpers import (HOST, NS, base, context, docs, docs_context, gateway,
                                     http_listener, https_listener, ingress, objects_context,
                                     resources, route, rule, run, service)

PATH0 = ("spec", "rules", 0, "http", "paths", 0)


def problems(result) -> list[tuple[str, tuple]]:
    return sorted((r.code, r.path) for r in result.problems())


def one(result, code: str):
    found = [r for r in result.problems() if r.code == code]
    assert len(found) == 1, [(r.code, r.message) for r in result.problems()]
    return found[0]


# --- served -----------------------------------------------------------------------------------
def test_served_path_is_confirmed_with_the_route():
    result = run(base())
    assert result.problems() == []
    [served] = [r for r in result.results if r.code == "served"]
    assert served.path == PATH0 and served.scheme == "http" and served.host == HOST
    [rel] = served.related
    assert rel.resource.name == "web" and rel.path == ("spec", "rules", 0, "matches", 0)


def test_trailing_slash_of_a_prefix_is_ignored():
    s = base(paths=[("/api/", "Prefix", "api", 8080)])
    assert run(s).problems() == []


def test_port_name_is_resolved_through_the_service():
    s = base(paths=[("/api", "Prefix", "api", "http")])
    assert run(s).problems() == []
    s["route"] = route(rules=[rule(backends=[("api", 9090)])])
    r = one(run(s), "backend-differs")
    assert "api:9090" in r.message and r.path == PATH0 + ("backend",)


# --- not served -------------------------------------------------------------------------------
def test_no_route_is_not_served_with_a_hint():
    s = base()
    s["route"] = None
    r = one(run(s), "not-served")
    assert r.severity == "error" and r.path == PATH0
    assert "no HTTPRoute matches it" in r.message
    assert "PathPrefix, value: '/api'" in r.hint and "name: api, port: 8080" in r.hint


def test_route_refused_by_the_listener_says_why():
    s = base()
    s["gateway"] = gateway(listeners=[{"name": "http", "port": 80, "protocol": "HTTP"}],
                           namespace="infra")
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "namespace": "infra"}]
    r = one(run(s), "not-served")
    assert "HTTPRoute app/web would serve it, but Gateway infra/gw refuses it " \
           "(NotAllowedByListeners)" in r.message
    assert r.related[0].resource.name == "web"
    assert r.related[0].path == ("spec", "parentRefs", 0)


def test_route_whose_hostname_no_listener_admits():
    s = base()
    s["gateway"] = gateway(listeners=[http_listener(hostname="other.example.com")])
    r = one(run(s), "not-served")
    assert "(NoMatchingListenerHostname)" in r.message


def test_route_without_parents_or_with_a_missing_parent():
    s = base()
    s["route"]["spec"]["parentRefs"] = []
    assert "it has no parentRefs" in one(run(s), "not-served").message
    s["route"]["spec"]["parentRefs"] = [{"name": "nowhere"}]
    assert "name no Gateway or ListenerSet" in one(run(s), "not-served").message


def test_tls_host_served_only_on_http():
    s = base(tls=True)
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "http"}]
    result = run(s)
    r = one(result, "not-served")
    assert r.scheme == "https" and "serves it only on HTTP listeners" in r.message


def test_scopes_do_not_serve_each_other():
    s = base()
    ing = yaml.safe_dump_all([s["class"], s["ingress"]])
    gw = yaml.safe_dump_all([s["service"], s["gateway"], s["route"]])
    assert check_parity(context(ing, gw)).problems() == []
    split = Context(resources(ing, scope="a") + resources(gw, scope="b"), Options())
    assert [r.code for r in check_parity(split).problems()] == ["not-served"]


# --- different backend ------------------------------------------------------------------------
@pytest.mark.parametrize("backends,text", [
    ([("web", 8080)], "forwards to web:8080 instead of api:8080"),
    ([("api", 8080), ("beta", 8080)], "also forwards 50% of requests to beta:8080"),
    ([("api", 8080, 0)], "weight 0"),
    ([], "no backendRefs"),
])
def test_backend_differs(backends, text):
    s = base()
    s["route"] = route(rules=[rule(backends=backends)])
    r = one(run(s), "backend-differs")
    assert text in r.message and r.related[0].path == ("spec", "rules", 0, "backendRefs")


def test_redirect_instead_of_backend():
    s = base()
    s["route"] = route(rules=[rule(backends=[], filters=[{
        "type": "RequestRedirect", "requestRedirect": {"hostname": "elsewhere.example"}}])])
    assert "redirects (RequestRedirect)" in one(run(s), "backend-differs").message


def test_broader_prefix_same_backend_is_served():
    s = base(paths=[("/api/v1/items", "Prefix", "api", 8080)])
    result = run(s)
    assert result.problems() == []
    [served] = [r for r in result.results if r.code == "served"]
    assert "broader" in served.message


def test_broader_prefix_other_backend_is_a_backend_difference():
    s = base()
    s["route"] = route(rules=[rule("/", backends=[("web", 8080)])])
    r = one(run(s), "backend-differs")
    assert "broader" in r.message and "add a rule matching PathPrefix '/api'" in r.hint


def test_prefix_match_is_element_wise():
    """/apiv2 is not under the PathPrefix /api: a rule for /api does not serve it."""
    s = base(paths=[("/apiv2", "Prefix", "api", 8080)])
    assert [r.code for r in run(s).problems()] == ["not-served"]


def test_hostname_precedence_before_path():
    """A request for shop.example.com/api matches the exact-hostname route's '/' rule before
    the wildcard route's '/api' rule (the spec orders by hostname first)."""
    s = base()
    s["route"] = route(rules=[rule("/", backends=[("web", 8080)])])
    s["extra"].append(route("wild", hostnames=["*.example.com"], rules=[rule()]))
    r = one(run(s), "backend-differs")
    assert "HTTPRoute app/web" in r.message
    s["route"] = None
    assert run(s).problems() == []  # the wildcard route serves it when alone


# --- match semantics --------------------------------------------------------------------------
@pytest.mark.parametrize("ingress_type,route_type,text", [
    ("Prefix", "Exact", "Exact matches only '/api'"),
    ("Exact", "PathPrefix", "PathPrefix also matches the paths below '/api'"),
    ("Prefix", "RegularExpression", "implementation-specific"),
])
def test_match_semantics_differ(ingress_type, route_type, text):
    s = base(paths=[("/api", ingress_type, "api", 8080)])
    s["route"] = route(rules=[rule("/api", route_type)])
    r = one(run(s), "match-differs")
    assert text in r.message and r.path == PATH0 + ("pathType",)


def test_conditional_match_only():
    s = base()
    s["route"]["spec"]["rules"][0]["matches"][0]["headers"] = [{"name": "x-beta", "value": "1"}]
    r = one(run(s), "match-differs")
    assert "only for requests with header x-beta=1" in r.message


def test_implementation_specific_prefix_is_served_with_a_note():
    s = base(paths=[("/api", "ImplementationSpecific", "api", 8080)])
    result = run(s)
    assert result.problems() == []
    [served] = [r for r in result.results if r.code == "served"]
    assert "string prefix" in served.hint


def test_use_regex_applies_to_every_ingress_of_the_host():
    s = base({"nginx.ingress.kubernetes.io/use-regex": "true"})
    s["extra"].append(ingress("other", paths=[("/items/[0-9]+", "Prefix", "api", 8080)]))
    s["route"]["spec"]["rules"].append(rule("/items/[0-9]+"))
    result = run(s)
    r = one(result, "match-differs")
    assert r.ingress.resource.name == "other" and "RegularExpression" in r.hint


@pytest.mark.parametrize("regex", ["/blog(/|$)(.*)", "/blog(/.*)?", "^/blog(/|$)"])
def test_regex_prefix_idioms_are_a_path_prefix(regex):
    s = base({"nginx.ingress.kubernetes.io/use-regex": "true"},
             paths=[(regex, "ImplementationSpecific", "api", 8080)])
    s["route"] = route(rules=[rule("/blog")])
    assert run(s).problems() == []


def test_regex_served_through_a_prefix_says_so():
    s = base({"nginx.ingress.kubernetes.io/use-regex": "true"},
             paths=[("/archive/[0-9]{4}", "ImplementationSpecific", "api", 8080)])
    s["route"] = route(rules=[rule("/archive")])
    r = one(run(s), "match-differs")
    assert "is a regular expression; PathPrefix '/archive' also matches paths it did not" in \
        r.message and "RegularExpression" in r.hint
    s["route"] = route(rules=[rule("/archive/[0-9]{4}", "RegularExpression")])
    assert run(s).problems() == []


# --- hosts ------------------------------------------------------------------------------------
def test_wildcard_ingress_host():
    s = base(host="*.example.com")
    s["route"]["spec"]["hostnames"] = ["*.example.com"]
    assert run(s).problems() == []
    s["route"]["spec"]["hostnames"] = ["shop.example.com"]
    assert [r.code for r in run(s).problems()] == ["not-served"]


def test_rule_without_host_needs_a_route_for_every_host():
    s = base(host=None)
    assert [r.code for r in run(s).problems()] == ["not-served"]
    s["route"]["spec"]["hostnames"] = []
    assert run(s).problems() == []


def test_route_hostname_wildcard_covers_the_ingress_host():
    s = base()
    s["route"]["spec"]["hostnames"] = ["*.example.com"]
    assert run(s).problems() == []


# --- TLS --------------------------------------------------------------------------------------
def _tls(s: dict) -> None:
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "https"}]
    s["extra"].append(route("redirect", parents=[{"name": "gw", "sectionName": "http"}],
                            rules=[rule("/", backends=[], filters=[{
                                "type": "RequestRedirect",
                                "requestRedirect": {"scheme": "https"}}])]))


def test_tls_host_terminated_with_the_same_secret():
    s = base(tls=True)
    _tls(s)
    result = run(s)
    assert result.problems() == []
    [ok] = [r for r in result.results if r.code == "tls-ok"]
    assert ok.path == ("spec", "tls", 0, "hosts", 0)
    assert ok.related[0].path == ("spec", "listeners", 1)


def test_tls_wrong_secret():
    s = base(tls=True)
    _tls(s)
    s["gateway"]["spec"]["listeners"][1] = https_listener(secret="other-tls")
    r = one(run(s), "tls-wrong-secret")
    assert "app/other-tls" in r.message and "app/shop-tls" in r.message
    assert r.path == ("spec", "tls", 0, "secretName")


def test_tls_no_listener():
    s = base(tls=True)
    s["gateway"]["spec"]["listeners"] = [http_listener(),
                                         https_listener(hostname="other.example.com")]
    result = run(s)
    r = one(result, "tls-no-listener")
    assert r.path == ("spec", "tls", 0, "hosts", 0) and "hostname: shop.example.com" in r.hint


@pytest.mark.parametrize("hostname", [None, "*.example.com", HOST])
def test_tls_listener_hostnames_that_cover(hostname):
    s = base(tls=True)
    _tls(s)
    s["gateway"]["spec"]["listeners"][1] = https_listener(hostname=hostname)
    assert run(s).problems() == []


def test_tls_secret_across_namespaces_needs_a_grant():
    s = base(tls=True)
    s["gateway"] = gateway(namespace="infra", listeners=[
        http_listener(), https_listener(secret="shop-tls", secret_ns=NS)])
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "namespace": "infra",
                                         "sectionName": "https"}]
    s["extra"].append(route("redirect", parents=[{"name": "gw", "namespace": "infra",
                                                  "sectionName": "http"}],
                            rules=[rule("/", backends=[], filters=[{
                                "type": "RequestRedirect",
                                "requestRedirect": {"scheme": "https"}}])]))
    r = one(run(s), "tls-secret-not-permitted")
    assert "kind: Gateway, namespace: infra" in r.hint
    s["extra"].append({"apiVersion": "gateway.networking.k8s.io/v1beta1",
                       "kind": "ReferenceGrant", "metadata": {"name": "certs", "namespace": NS},
                       "spec": {"from": [{"group": "gateway.networking.k8s.io",
                                          "kind": "Gateway", "namespace": "infra"}],
                                "to": [{"group": "", "kind": "Secret", "name": "shop-tls"}]}})
    assert run(s).problems() == []


def test_https_redirect_missing_without_http_listener():
    s = base(tls=True)
    s["gateway"]["spec"]["listeners"] = [https_listener()]
    r = one(run(s), "https-redirect-missing")
    assert "no route on an HTTP listener" in r.message
    assert r.path == ("spec", "tls", 0, "hosts", 0) and "scheme: https" in r.hint


def test_https_redirect_missing_when_http_is_served_in_plain_text():
    s = base(tls=True)  # the route attaches to both listeners
    r = one(run(s), "https-redirect-missing")
    assert "served in plain HTTP" in r.message and r.related[0].resource.name == "web"


def test_kong_tls_host_is_also_served_on_http():
    s = base(tls=True, cls="kong")
    assert run(s).problems() == []
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "https"}]
    r = one(run(s), "not-served")
    assert r.scheme == "http" and r.severity == "warning"


# --- default backends and catch-alls ----------------------------------------------------------
def test_default_backend():
    s = base(default_backend={"service": {"name": "fallback", "port": {"number": 80}}})
    r = one(run(s), "default-backend-missing")
    assert r.path == ("spec", "defaultBackend") and r.catch_all
    s["route"]["spec"]["rules"].append(rule(None, backends=[("other", 80)]))
    assert "sends them to other:80" in one(run(s), "default-backend-differs").message
    s["route"]["spec"]["rules"][-1] = rule(None, backends=[("fallback", 80)])
    assert run(s).problems() == []


def test_default_backend_only_ingress_needs_a_route_for_any_host():
    s = base(paths=[], default_backend={"service": {"name": "fallback", "port": {"number": 80}}})
    assert [r.code for r in run(s).problems()] == ["default-backend-missing"]
    s["route"] = route(hostnames=[], rules=[rule(None, backends=[("fallback", 80)])])
    assert run(s).problems() == []


def test_slash_prefix_path_is_a_catch_all():
    s = base(paths=[("/", "Prefix", "api", 8080)])
    s["route"] = None
    r = one(run(s), "not-served")
    assert r.catch_all


def test_catch_all_sources_for_gw311():
    s = base(paths=[("/", "Prefix", "api", 8080)])
    # an Ingress with only a default backend catches every host
    s["extra"].append(ingress("fallback", paths=[],
                              default_backend={"service": {"name": "f", "port": {"number": 80}}}))
    s["extra"].append(ingress("wild", host="*.example.com", paths=[("/", "Prefix", "w", 80)]))
    ctx = docs_context(docs(s))
    found = catch_all_sources(ctx, "", HOST)
    assert [(i.resource.name, p) for i, p in found] == [
        ("web", PATH0), ("wild", PATH0), ("fallback", ("spec", "defaultBackend"))]
    found = catch_all_sources(ctx, "", "other.org")
    assert [i.resource.name for i, _ in found] == ["fallback"]
    assert catch_all_sources(ctx, "elsewhere", HOST) == []


# --- gRPC -------------------------------------------------------------------------------------
def test_grpc_backend_protocol_served_by_a_grpc_route():
    s = base({"nginx.ingress.kubernetes.io/backend-protocol": "GRPC"})
    s["route"] = route(kind="GRPCRoute", rules=[{"backendRefs": [{"name": "api", "port": 8080}]}])
    result = run(s)
    assert [r.code for r in result.problems()] == []
    assert any(r.code == "served" and "GRPCRoute" in r.message for r in result.results)


def test_results_are_cached_per_run():
    ctx = docs_context(docs(base()))
    assert check_parity(ctx) is check_parity(ctx)


# --- linear -----------------------------------------------------------------------------------
def _repo(n: int) -> list[dict]:
    out: list[dict] = [base()["class"]]
    listeners = [http_listener(), https_listener(hostname="*.example.com", secret="wild")]
    out.append(gateway(listeners=listeners))
    for i in range(n):
        host = f"h{i}.example.com"
        paths = [(f"/p{j}", "Prefix", f"s{i}", 8080) for j in range(3)]
        out.append(ingress(f"i{i}", {"nginx.ingress.kubernetes.io/proxy-read-timeout": "30"},
                           paths=paths, host=host, tls=[{"hosts": [host], "secretName": "wild"}]))
        out.append(service(f"s{i}"))
        rules = [rule(f"/p{j}", backends=[(f"s{i}", 8080)], timeouts={"request": "30s"})
                 for j in range(2)]  # one path of three missing
        out.append(route(f"r{i}", hostnames=[host], rules=rules))
    return out


def _seconds(n: int) -> float:
    """Best of 3, with the cyclic collector off as in the CLI (its pauses grow with the heap, not
    with the work measured here)."""
    best = float("inf")
    for _ in range(3):
        ctx = objects_context(_repo(n))
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()  # CPU time: other processes do not count
            result = check_parity(ctx)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
        assert len([r for r in result.problems() if r.code == "not-served"]) == n
    return best


@pytest.mark.slow  # a timing ratio over large inputs (CI runs it: python -m pytest -m slow)
def test_parity_is_linear():
    small, large = _seconds(150), _seconds(600)
    assert large / small < 6, (small, large)


def test_repository_without_ingresses_costs_nothing(monkeypatch):
    def boom(*a, **k):
        raise AssertionError("built for a repository without Ingresses")

    monkeypatch.setattr(migration_routes, "GatewayIndex", boom)
    monkeypatch.setattr(migration_ingress, "table", boom)
    monkeypatch.setattr(migration_parity, "table", boom)
    result = check_parity(docs_context([gateway(), route()]))
    assert result.results == [] and result.model.ingresses == []
    with pytest.raises(AssertionError):  # the patches do bite when there is an Ingress
        check_parity(docs_context(docs(base())))
