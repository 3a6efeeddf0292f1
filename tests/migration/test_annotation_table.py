"""The annotation table: its content and every entry, firing and fixed.

For each annotation (and Kong plugin) of the table, a scenario whose HTTPRoute serves the
Ingress path but lacks the replacement must report that annotation; the same scenario with the
replacement (a standard filter or field, or an implementation policy that names what the
annotation did) must not. Annotations without any Gateway API equivalent (snippets, Lua code)
are reported in both cases. Annotations that only configure another one (`with`) are checked
together with it and never reported on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from gwlint.migration import annotations
from gwlint.migration.annotations import (CHECKS, EXPECTATION_CHECKS, KONG, KONG_PLUGIN, NGINX,
                                          NGINX_INC, Replacement, table)
from gwlint.migration.replacements import CHECKERS
from tests.migration.helpers import (HOST, NS, base, http_listener, https_listener, ingress,
                                     ingress_class, route, rule, run, service)

TBL = table()
NGINX_PREFIX = "nginx.ingress.kubernetes.io/"


# --- the table itself -------------------------------------------------------------------------
# The most used ingress-nginx annotations (the issue's list; the ingress-nginx annotations page).
REQUIRED_NGINX = ["rewrite-target", "use-regex", "app-root", "ssl-redirect", "force-ssl-redirect",
    "permanent-redirect", "permanent-redirect-code", "temporal-redirect", "canary",
    "canary-weight", "canary-by-header", "canary-by-header-value", "canary-by-header-pattern",
    "canary-by-cookie", "upstream-vhost", "proxy-connect-timeout", "proxy-read-timeout",
    "proxy-send-timeout", "proxy-body-size", "backend-protocol", "limit-rps", "limit-rpm",
    "limit-connections", "enable-cors", "cors-allow-origin", "cors-allow-methods",
    "cors-allow-headers", "auth-url", "auth-signin", "auth-type", "auth-secret",
    "whitelist-source-range", "denylist-source-range", "configuration-snippet", "server-snippet",
    "affinity", "session-cookie-name", "ssl-passthrough", "default-backend", "custom-http-errors",
    "x-forwarded-prefix", "proxy-ssl-secret", "proxy-ssl-verify", "satisfy", "mirror-target",
    # newer names of the ingress-nginx source (internal/ingress/annotations): without an entry
    # they would be reported as unknown, and an allow list would vanish unchecked
    "custom-headers", "temporal-redirect-code", "allowlist-source-range", "limit-allowlist"]
REQUIRED_KONG = ["strip-path", "plugins", "protocols", "https-redirect-status-code",
    "preserve-host", "methods", "headers.*", "path-handling", "regex-priority"]
# NGINX Inc / F5 NGINX Ingress Controller: the annotations of its docs page's summary in common
# use (docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/
# advanced-configuration-with-annotations/)
REQUIRED_NGINX_INC = ["nginx.org/rewrites", "nginx.org/redirect-to-https", "nginx.org/ssl-redirect",
    "nginx.org/ssl-services", "nginx.org/websocket-services", "nginx.org/grpc-services",
    "nginx.org/proxy-connect-timeout", "nginx.org/proxy-read-timeout",
    "nginx.org/proxy-send-timeout", "nginx.org/client-max-body-size", "nginx.org/server-snippets",
    "nginx.org/location-snippets", "nginx.org/lb-method", "nginx.org/mergeable-ingress-type",
    "nginx.org/path-regex", "nginx.org/hsts", "nginx.org/basic-auth-secret",
    "nginx.org/limit-req-rate", "nginx.org/use-cluster-ip", "nginx.org/listen-ports",
    "nginx.com/jwt-key", "nginx.com/health-checks", "nginx.com/sticky-cookie-services"]
REQUIRED_PLUGINS = ["redirect", "request-transformer", "response-transformer", "rate-limiting",
    "cors", "key-auth", "jwt", "basic-auth", "ip-restriction"]


def test_table_covers_the_common_annotations():
    nginx = [e for e in TBL.entries() if e.provider == NGINX]
    assert len(nginx) >= 100
    for short in REQUIRED_NGINX:
        assert TBL.lookup(NGINX_PREFIX + short) is not None, short
    for short in REQUIRED_KONG:
        assert TBL.lookup("konghq.com/" + short.replace("*", "x-env")) is not None, short
    assert TBL.lookup("ingress.kubernetes.io/force-ssl-redirect").provider == KONG
    for name in REQUIRED_PLUGINS:
        assert TBL.plugin(name) is not None, name
    for key in REQUIRED_NGINX_INC:
        assert TBL.lookup(key).provider == NGINX_INC, key
    assert TBL.provider_of("nginx.com/anything").name == NGINX_INC
    # the shared default class `nginx` still guesses ingress-nginx (the annotations decide)
    assert TBL.by_class_name("nginx").name == NGINX
    assert TBL.by_controller("nginx.org/ingress-controller").name == NGINX_INC


def test_every_entry_is_well_formed():
    for e in TBL.entries():
        assert e.check in CHECKS and e.check in CHECKERS, e.key
        assert e.doc_url.startswith("https://"), e.key
        assert e.replacement and e.severity in ("error", "warning", "info"), e.key
    assert set(CHECKERS) == CHECKS


def test_doc_links_point_at_the_provider_pages():
    e = TBL.lookup(NGINX_PREFIX + "rewrite-target")
    assert e.doc_url == ("https://kubernetes.github.io/ingress-nginx/user-guide/"
                         "nginx-configuration/annotations/#rewrite")
    assert TBL.lookup("konghq.com/strip-path").doc_url.startswith(
        "https://developer.konghq.com/kubernetes-ingress-controller/reference/annotations/#")
    assert TBL.plugin("rate-limiting").doc_url == "https://developer.konghq.com/plugins/rate-limiting/"


def test_snippets_are_flagged_as_the_retirement_flaw():
    for short in ("configuration-snippet", "server-snippet"):
        e = TBL.lookup(NGINX_PREFIX + short)
        assert e.support == "none" and e.check == "none" and e.severity == "warning"
    assert "CVE-2025-1974" in TBL.lookup(NGINX_PREFIX + "configuration-snippet").note


def test_lookup_wildcards_and_suggestions():
    assert TBL.lookup("konghq.com/headers.x-env").key == "konghq.com/headers.*"
    assert TBL.lookup("konghq.com/headers.") is None
    assert TBL.suggest(NGINX_PREFIX + "rewrite-targt") == NGINX_PREFIX + "rewrite-target"
    assert TBL.suggest("example.com/foo") is None


def test_table_is_loaded_once():
    assert table() is TBL


def test_bad_table_data_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "annotations.yaml"
    text = annotations.DATA.read_text().replace("check: url-rewrite", "check: no-such-check", 1)
    bad.write_text(text)
    monkeypatch.setattr(annotations, "DATA", bad)
    with pytest.raises(ValueError, match="unknown check"):
        annotations.table.__wrapped__()  # the loader itself, bypassing the process cache


# --- every entry, firing and fixed ------------------------------------------------------------
def _rule(s: dict) -> dict:
    return s["route"]["spec"]["rules"][0]


FILTER_FIELDS = {"URLRewrite": "urlRewrite", "CORS": "cors"}


def _filter(ftype: str, body: dict | None = None) -> Callable[[dict, Replacement], None]:
    def fix(s: dict, e: Replacement) -> None:
        f: dict[str, Any] = {"type": ftype}
        if body is not None:
            f[FILTER_FIELDS.get(ftype, ftype[0].lower() + ftype[1:])] = body
        _rule(s).setdefault("filters", []).append(f)
    return fix


def _field(name: str, value: Any) -> Callable[[dict, Replacement], None]:
    def fix(s: dict, e: Replacement) -> None:
        _rule(s)[name] = value
    return fix


def _policy(target_kind: str = "HTTPRoute", target: str = "web") -> Callable:
    """An implementation policy whose spec names the first keyword of the entry."""
    def fix(s: dict, e: Replacement) -> None:
        field = e.keywords[0] if e.keywords else "settings"
        group = "gateway.networking.k8s.io" if target_kind == "HTTPRoute" else ""
        s["extra"].append({"apiVersion": "policy.example.com/v1", "kind": "TrafficPolicy",
                           "metadata": {"name": "p", "namespace": NS},
                           "spec": {"targetRefs": [{"group": group, "kind": target_kind,
                                                    "name": target}],
                                    field: {"enabled": True}}})
    return fix


def _backend_tls(s: dict, e: Replacement) -> None:
    s["extra"].append({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "BackendTLSPolicy",
                       "metadata": {"name": "api-tls", "namespace": NS},
                       "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "api"}],
                                "validation": {"hostname": "api.app.svc",
                                               "wellKnownCACertificates": "System"}}})


def _client_cert(s: dict, e: Replacement) -> None:
    s["gateway"]["spec"]["tls"] = {"frontend": {"default": {"validation": {
        "caCertificateRefs": [{"kind": "ConfigMap", "name": "client-ca"}]}}}}


def _app_root(s: dict, e: Replacement) -> None:
    s["route"]["spec"]["rules"].append(rule("/", "Exact", backends=[], filters=[{
        "type": "RequestRedirect", "requestRedirect": {"path": {
            "type": "ReplaceFullPath", "replaceFullPath": "/app"}}}]))


def _www(s: dict, e: Replacement) -> None:
    redirect = {"type": "RequestRedirect", "requestRedirect": {"hostname": HOST}}
    s["extra"].append(route("www", hostnames=["www." + HOST],
                            rules=[rule("/", backends=[], filters=[redirect])]))


def _alias(s: dict, e: Replacement) -> None:
    s["route"]["spec"]["hostnames"].append("alias.example.com")


def _plugin_ref(s: dict, e: Replacement) -> None:
    _rule(s).setdefault("filters", []).append({"type": "ExtensionRef", "extensionRef": {
        "group": "configuration.konghq.com", "kind": "KongPlugin", "name": "p1"}})


def _strip(s: dict, e: Replacement) -> None:
    _filter("URLRewrite", {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}})(s, e)


def _methods(s: dict, e: Replacement) -> None:
    _rule(s)["matches"][0]["method"] = "GET"


def _kong_header(s: dict, e: Replacement) -> None:
    _rule(s)["matches"][0]["headers"] = [{"name": "x-env", "value": "canary"}]


def _host_rewrite(s: dict, e: Replacement) -> None:
    _filter("URLRewrite", {"hostname": "internal.example"})(s, e)


def _grpc(s: dict, e: Replacement) -> None:
    s["service"]["spec"]["ports"][0]["appProtocol"] = "kubernetes.io/h2c"


def _service_vip(s: dict, e: Replacement) -> None:
    """service-upstream: the rule forwards to an implementation backend that addresses the
    Service by its cluster DNS name and port (the Service's cluster IP, not its endpoints)."""
    s["extra"].append({"apiVersion": "backends.example.com/v1", "kind": "StaticBackend",
                       "metadata": {"name": "api-vip", "namespace": NS},
                       "spec": {"host": f"api.{NS}.svc.cluster.local", "port": 8080}})
    for r in s["route"]["spec"]["rules"]:
        r["backendRefs"] = [{"group": "backends.example.com", "kind": "StaticBackend",
                             "name": "api-vip"}]


FIXES: dict[str, Callable[[dict, Replacement], None]] = {
    "policy": _policy("Service", "api"),
    "service-upstream": _service_vip,
    "url-rewrite": _filter("URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                   "replacePrefixMatch": "/"}}),
    "host-rewrite": _host_rewrite,
    "response-header": _filter("ResponseHeaderModifier", {"set": [{"name": "x", "value": "1"}]}),
    "timeouts": _field("timeouts", {"request": "30s"}),
    "retry": _field("retry", {"attempts": 3}),
    "session-persistence": _field("sessionPersistence", {"type": "Cookie"}),
    "cors": _filter("CORS", {"allowOrigins": ["https://a.example"]}),
    "external-auth": _filter("ExternalAuth", {"protocol": "HTTP", "backendRef": {
        "name": "auth", "port": 80}}),
    "mirror": _filter("RequestMirror", {"backendRef": {"name": "mirror", "port": 80}}),
    "backend-tls": _backend_tls,
    "client-cert": _client_cert,
    "app-root": _app_root,
    "www-redirect": _www,
    "hostnames": _alias,
    "kong-strip-path": _strip,
    "kong-preserve-host": _host_rewrite,
    "kong-methods": _methods,
    "kong-headers": _kong_header,
    "kong-plugins": _plugin_ref,
}

VALUES = {
    "rewrite-target": "/", "app-root": "/app", "upstream-vhost": "internal.example",
    "server-alias": "alias.example.com", "backend-protocol": "HTTPS", "proxy-ssl-verify": "on",
    "x-forwarded-prefix": "/shop", "connection-proxy-header": "keep-alive",
    "konghq.com/methods": "GET", "konghq.com/headers.*": "canary", "konghq.com/plugins": "p1",
    "konghq.com/preserve-host": "false", "konghq.com/host-aliases": "alias.example.com",
    "konghq.com/rewrite": "/v2",
    # NGINX Inc: per-Service values name the scenario's Service `api`
    "nginx.org/rewrites": "serviceName=api rewrite=/", "nginx.org/ssl-services": "api",
}


def _value(e: Replacement) -> str:
    short = e.key.removeprefix(NGINX_PREFIX)
    if short in VALUES:
        return VALUES[short]
    if e.key in VALUES:
        return VALUES[e.key]
    return {"true": "true", "false": "false", "on": "on"}.get(e.when or "", "1")


def _key(e: Replacement) -> str:
    return e.key.replace("*", "x-env")


def _grouped(e: Replacement) -> bool:
    head = TBL.annotations.get(e.with_ or "")
    return head is not None and head.check == e.check


PROVIDERS = (NGINX, KONG, NGINX_INC)
NGINX_INC_CLASS = ingress_class("nginx", "nginx.org/ingress-controller")

ROUTE_ENTRIES = [e for e in TBL.entries()
                 if e.provider in PROVIDERS and e.check not in EXPECTATION_CHECKS
                 and not e.check.startswith("canary") and not _grouped(e)]


def _scenario(e: Replacement) -> dict:
    cls = "kong" if e.provider == KONG else "nginx"
    extra_ann: dict[str, str] = {}
    s = base({_key(e): _value(e), **extra_ann}, tls=e.check == "client-cert", cls=cls)
    if e.provider == NGINX_INC:
        s["class"] = NGINX_INC_CLASS
    if e.check in ("request-header", "response-header", "host-rewrite") and e.header:
        pass
    if e.key == "konghq.com/plugins":
        s["extra"].append({"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
                           "metadata": {"name": "p1", "namespace": NS}, "plugin": "acl"})
    if e.check in ("hostnames",):
        s["gateway"]["spec"]["listeners"] = [http_listener()]
    return s


def _annotation_problems(result, key: str) -> list:
    return [r for r in result.problems() if r.annotation == key]


def _fix(e: Replacement) -> Callable[[dict, Replacement], None] | None:
    if e.check == "request-header":
        return _filter("RequestHeaderModifier", {"set": [{"name": e.header, "value": "x"}]})
    if e.check == "backend-protocol":
        return _backend_tls
    return FIXES.get(e.check)


@pytest.mark.parametrize("entry", ROUTE_ENTRIES, ids=lambda e: e.key)
def test_entry_fires_without_its_replacement(entry):
    result = run(_scenario(entry))
    found = _annotation_problems(result, _key(entry))
    assert len(found) == 1, [r.message for r in result.problems()]
    r = found[0]
    assert r.severity == entry.severity
    assert r.path == ("metadata", "annotations", _key(entry))
    expected = "annotation-missing" if entry.standard and entry.check != "none" \
        else "annotation-no-equivalent"
    assert r.code == expected, r.message


@pytest.mark.parametrize("entry", ROUTE_ENTRIES, ids=lambda e: e.key)
def test_entry_is_quiet_with_its_replacement(entry):
    s = _scenario(entry)
    fix = _fix(entry)
    if entry.check == "none":
        pytest.skip("nothing can replace it: always reported (see the firing test)")
    assert fix is not None, entry.check
    fix(s, entry)
    result = run(s)
    assert _annotation_problems(result, _key(entry)) == [], [
        r.message for r in result.problems()]
    codes = {r.code for r in result.results if r.annotation == _key(entry)}
    assert codes & {"annotation-ok", "annotation-policy"}, codes


@pytest.mark.parametrize("entry", [e for e in TBL.entries() if e.provider in PROVIDERS
                                   and _grouped(e)], ids=lambda e: e.key)
def test_grouped_entry_is_checked_with_its_head(entry):
    head = TBL.annotations[entry.with_]
    s = _scenario(entry)
    result = run(s)
    assert _annotation_problems(result, _key(entry)) == []
    assert not [r for r in result.results if r.annotation == _key(entry)]
    assert head.check == entry.check


# --- Kong plugins ------------------------------------------------------------------------------
PLUGINS = [e for e in TBL.entries() if e.provider == KONG_PLUGIN]
PLUGIN_CONFIG = {"redirect": {"location": "https://new.example/", "status_code": 301},
                 "request-transformer": {"add": {"headers": ["x-a:1"]}},
                 "request-transformer-advanced": {"add": {"headers": ["x-a:1"]}}}
PLUGIN_FIXES = {
    "redirect": _filter("RequestRedirect", {"hostname": "new.example", "statusCode": 301}),
    "request-transformer": _filter("RequestHeaderModifier", {"add": [{"name": "x-a",
                                                                      "value": "1"}]}),
    "request-transformer-advanced": _filter("RequestHeaderModifier", {"add": [{
        "name": "x-a", "value": "1"}]}),
    "response-transformer": _filter("ResponseHeaderModifier", {"set": [{"name": "x",
                                                                        "value": "1"}]}),
    "response-transformer-advanced": _filter("ResponseHeaderModifier", {"set": [{
        "name": "x", "value": "1"}]}),
    "cors": _filter("CORS", {"allowOrigins": ["https://a.example"]}),
}


def _plugin_scenario(e: Replacement) -> dict:
    s = base({"konghq.com/plugins": "p1"}, cls="kong")
    plugin: dict[str, Any] = {"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
                              "metadata": {"name": "p1", "namespace": NS}, "plugin": e.key}
    if e.key in PLUGIN_CONFIG:
        plugin["config"] = PLUGIN_CONFIG[e.key]
    s["extra"].append(plugin)
    return s


def _plugin_problems(result) -> list:
    return [r for r in result.problems() if r.annotation == "konghq.com/plugins"]


@pytest.mark.parametrize("entry", PLUGINS, ids=lambda e: e.key)
def test_kong_plugin_fires_without_its_replacement(entry):
    found = _plugin_problems(run(_plugin_scenario(entry)))
    assert len(found) == 1 and found[0].subject == "p1" and found[0].entry is entry
    assert found[0].severity == entry.severity


@pytest.mark.parametrize("entry", PLUGINS, ids=lambda e: e.key)
def test_kong_plugin_attached_to_the_route_is_quiet(entry):
    s = _plugin_scenario(entry)
    _plugin_ref(s, entry)
    assert _plugin_problems(run(s)) == []


@pytest.mark.parametrize("name", sorted(PLUGIN_FIXES))
def test_kong_plugin_replaced_by_a_standard_filter(name):
    entry = TBL.plugin(name)
    s = _plugin_scenario(entry)
    PLUGIN_FIXES[name](s, entry)
    result = run(s)
    assert _plugin_problems(result) == []
    assert any(r.code == "annotation-ok" and r.subject == "p1" for r in result.results)


def test_kong_plugin_policy_keywords_matter():
    """A rate-limiting KongPlugin is replaced by a policy that rate-limits, not by a CORS one."""
    entry = TBL.plugin("rate-limiting")
    s = _plugin_scenario(entry)
    s["extra"].append({"apiVersion": "policy.example.com/v1", "kind": "TrafficPolicy",
                       "metadata": {"name": "cors", "namespace": NS},
                       "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io",
                                                "kind": "HTTPRoute", "name": "web"}],
                                "cors": {"allowOrigins": ["*"]}}})
    assert len(_plugin_problems(run(s))) == 1
    s["extra"][-1]["spec"]["rateLimit"] = {"local": {"requests": 10}}
    assert _plugin_problems(run(s)) == []


def test_kong_plugin_in_the_route_annotation_counts():
    s = _plugin_scenario(TBL.plugin("key-auth"))
    s["route"]["metadata"]["annotations"] = {"konghq.com/plugins": "p1"}
    assert _plugin_problems(run(s)) == []


# --- entries decided by the path and redirect comparison --------------------------------------
def _problems_at(result, code: str) -> list:
    return [r for r in result.problems() if r.code == code]


def test_use_regex_needs_a_regular_expression_match():
    s = base({NGINX_PREFIX + "use-regex": "true"}, paths=[("/api/v[0-9]+", "ImplementationSpecific",
                                                           "api", 8080)])
    s["route"] = route(rules=[rule("/api/v[0-9]+")])
    found = _problems_at(run(s), "match-differs")
    assert len(found) == 1 and "RegularExpression" in found[0].hint
    s["route"] = route(rules=[rule("/api/v[0-9]+.*", "RegularExpression")])
    assert run(s).problems() == []


def test_rewrite_target_makes_the_host_regex_for_regex_paths():
    """ingress-nginx enforces regex locations host-wide when rewrite-target is set."""
    s = base({NGINX_PREFIX + "rewrite-target": "/$2"},
             paths=[("/something(/|$)(.*)", "ImplementationSpecific", "api", 8080)])
    s["route"] = route(rules=[rule("/something(/|$)(.*)", "RegularExpression", filters=[{
        "type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath",
                                                      "replaceFullPath": "/"}}}])])
    assert run(s).problems() == []


def test_kong_regex_prefix():
    s = base({"konghq.com/regex-prefix": "/@"}, cls="kong",
             paths=[("/@/items/[0-9]+", "ImplementationSpecific", "api", 8080)])
    s["route"] = route(rules=[rule("/items/[0-9]+", "RegularExpression")])
    assert run(s).problems() == []
    s["route"] = route(rules=[rule("/@/items/[0-9]+")])
    assert [r.code for r in run(s).problems()] == ["not-served"]


@pytest.mark.parametrize("key,value,code", [
    (NGINX_PREFIX + "permanent-redirect", "https://new.example/", 301),
    (NGINX_PREFIX + "temporal-redirect", "https://new.example/", 302),
])
def test_redirect_annotations(key, value, code):
    s = base({key: value})
    found = [r for r in run(s).problems() if r.annotation == key]
    assert len(found) == 1 and found[0].code == "annotation-missing"
    assert f"statusCode: {code}" in found[0].hint and "hostname: new.example" in found[0].hint
    s["route"] = route(rules=[rule(backends=[], filters=[{"type": "RequestRedirect",
                                                         "requestRedirect": {
                                                             "hostname": "new.example",
                                                             "statusCode": code}}])])
    result = run(s)
    assert result.problems() == []
    assert any(r.code == "redirected" for r in result.results)


def test_permanent_redirect_code_is_compared():
    key = NGINX_PREFIX + "permanent-redirect"
    s = base({key: "https://new.example/", NGINX_PREFIX + "permanent-redirect-code": "308"})
    s["route"] = route(rules=[rule(backends=[], filters=[{"type": "RequestRedirect",
                                                         "requestRedirect": {
                                                             "hostname": "new.example",
                                                             "statusCode": 301}}])])
    found = run(s).problems()
    assert len(found) == 1 and "with 301" in found[0].message and "308" in found[0].message


def _redirect_route(code: int) -> dict:
    return route(rules=[rule(backends=[], filters=[{"type": "RequestRedirect", "requestRedirect": {
        "hostname": "new.example", "statusCode": code}}])])


@pytest.mark.parametrize("value,code", [("307", 307), ("303", 303), ("418", 302), ("308", 302)])
def test_temporal_redirect_code_is_compared(value, code):
    """ingress-nginx answers temporal-redirect with temporal-redirect-code when it is a
    redirect status up to 307, else with 302 (its redirect parser's tests: 307 kept, 418 -> 302)."""
    key = NGINX_PREFIX + "temporal-redirect"
    s = base({key: "https://new.example/", NGINX_PREFIX + "temporal-redirect-code": value})
    s["route"] = _redirect_route(code)
    assert run(s).problems() == []
    s["route"] = _redirect_route(302 if code != 302 else 307)
    [found] = run(s).problems()
    assert found.annotation == key and f"the Ingress answered {code}" in found.message


def test_temporal_redirect_answers_before_permanent():
    """With both annotations ingress-nginx answers with the temporal redirect."""
    s = base({NGINX_PREFIX + "permanent-redirect": "https://old.example/",
              NGINX_PREFIX + "temporal-redirect": "https://new.example/"})
    s["route"] = _redirect_route(302)
    assert run(s).problems() == []
    s["route"] = _redirect_route(301)
    assert [r.annotation for r in run(s).problems()] == [NGINX_PREFIX + "temporal-redirect"]


def test_kong_strip_path_needs_the_whole_prefix_removed():
    """strip-path removes the matched prefix: only ReplacePrefixMatch '/' does that."""
    key = "konghq.com/strip-path"
    s = base({key: "true"}, cls="kong")
    _filter("URLRewrite", {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}})(
        s, TBL.lookup(key))
    assert [r.annotation for r in run(s).problems()] == [key]


@pytest.mark.parametrize("redirect", [{"hostname": "new.example", "statusCode": 302},
                                      {"hostname": "other.example", "statusCode": 301}])
def test_kong_redirect_plugin_compares_status_and_location(redirect):
    s = _plugin_scenario(TBL.plugin("redirect"))
    _filter("RequestRedirect", redirect)(s, TBL.plugin("redirect"))
    found = _plugin_problems(run(s))
    assert len(found) == 1 and found[0].code == "annotation-missing"


def _tls_routes(s: dict, redirect: bool = True, code: int = 301) -> None:
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "https"}]
    if redirect:
        s["extra"].append(route("redirect", parents=[{"name": "gw", "sectionName": "http"}],
                                rules=[rule("/", backends=[], filters=[{
                                    "type": "RequestRedirect", "requestRedirect": {
                                        "scheme": "https", "statusCode": code}}])]))


def test_ssl_redirect_default_with_tls():
    s = base(tls=True)  # no annotation: the default is to redirect
    found = [r.code for r in run(s).problems()]
    assert found == ["https-redirect-missing"]  # the route also serves plain HTTP
    _tls_routes(s)
    assert run(s).problems() == []


def test_ssl_redirect_false_keeps_http_served():
    s = base({NGINX_PREFIX + "ssl-redirect": "false"}, tls=True)
    assert run(s).problems() == []  # attached to both listeners: HTTPS and plain HTTP served
    _tls_routes(s, redirect=False)
    # plain HTTP is no longer served: that is not a problem for ingress-nginx's TLS host, whose
    # primary scheme is HTTPS; the HTTP side was served in plain text before
    assert [r.code for r in run(s).problems()] == []


def test_force_ssl_redirect_without_tls():
    s = base({NGINX_PREFIX + "force-ssl-redirect": "true"})
    s["gateway"]["spec"]["listeners"].append(https_listener())
    codes = sorted(r.code for r in run(s).problems())
    assert codes == ["https-redirect-missing"]
    _tls_routes(s)
    assert run(s).problems() == []


@pytest.mark.parametrize("annotations", [
    {"konghq.com/protocols": "https", "konghq.com/https-redirect-status-code": "301"},
    {"konghq.com/protocols": "https", "ingress.kubernetes.io/force-ssl-redirect": "true"},
])
def test_kong_https_redirect(annotations):
    s = base(annotations, tls=True, cls="kong")
    found = run(s).problems()
    assert [r.code for r in found] == ["https-redirect-missing"]
    code = 301 if "konghq.com/https-redirect-status-code" in annotations else 302
    _tls_routes(s, code=code)
    assert run(s).problems() == []


def test_ssl_passthrough_needs_a_tls_route():
    s = base({NGINX_PREFIX + "ssl-passthrough": "true"})
    assert [r.code for r in run(s).problems()] == ["not-served"]
    s["gateway"]["spec"]["listeners"].append({
        "name": "tls", "port": 443, "protocol": "TLS", "hostname": HOST,
        "tls": {"mode": "Passthrough"}, "allowedRoutes": {"namespaces": {"from": "All"}}})
    s["route"] = route(kind="TLSRoute", parents=[{"name": "gw", "sectionName": "tls"}],
                       rules=[{"backendRefs": [{"name": "api", "port": 8080}]}])
    s["route"]["apiVersion"] = "gateway.networking.k8s.io/v1alpha2"
    assert run(s).problems() == []


# --- canaries ---------------------------------------------------------------------------------
def _canary(annotations: dict) -> dict:
    s = base()
    s["canary"] = ingress("web-canary", {NGINX_PREFIX + "canary": "true", **annotations},
                          paths=[("/api", "Prefix", "api-canary", 8080)])
    s["canary-svc"] = service("api-canary")
    return s


def _canary_problems(result) -> list:
    return [r for r in result.problems() if r.ingress.resource.name == "web-canary"]


def test_canary_weight():
    s = _canary({NGINX_PREFIX + "canary-weight": "30"})
    found = _canary_problems(run(s))
    assert [(r.code, r.annotation) for r in found] == [
        ("annotation-missing", NGINX_PREFIX + "canary-weight")]
    s["route"] = route(rules=[rule(backends=[("api", 8080, 70), ("api-canary", 8080, 30)])])
    result = run(s)
    assert result.problems() == []  # the main path accepts the canary backend too
    s["route"] = route(rules=[rule(backends=[("api", 8080, 50), ("api-canary", 8080, 50)])])
    found = _canary_problems(run(s))
    assert len(found) == 1 and "50.0%" in found[0].message and "30.0%" in found[0].message


def test_canary_weight_total():
    s = _canary({NGINX_PREFIX + "canary-weight": "3", NGINX_PREFIX + "canary-weight-total": "10"})
    s["route"] = route(rules=[rule(backends=[("api", 8080, 7), ("api-canary", 8080, 3)])])
    assert run(s).problems() == []


@pytest.mark.parametrize("annotations,match", [
    ({"canary-by-header": "x-canary"}, {"name": "x-canary", "value": "always"}),
    ({"canary-by-header": "x-canary", "canary-by-header-value": "yes"},
     {"name": "x-canary", "value": "yes"}),
    ({"canary-by-header": "x-canary", "canary-by-header-pattern": "^(yes|1)$"},
     {"name": "x-canary", "type": "RegularExpression", "value": "^(yes|1)$"}),
])
def test_canary_by_header(annotations, match):
    s = _canary({NGINX_PREFIX + k: v for k, v in annotations.items()})
    found = _canary_problems(run(s))
    assert [r.annotation for r in found] == [NGINX_PREFIX + "canary-by-header"]
    header_rule = rule(backends=[("api-canary", 8080)])
    header_rule["matches"][0]["headers"] = [match]
    s["route"] = route(rules=[rule(), header_rule])
    assert run(s).problems() == []


def test_canary_by_cookie():
    s = _canary({NGINX_PREFIX + "canary-by-cookie": "beta"})
    found = _canary_problems(run(s))
    assert [r.code for r in found] == ["annotation-no-equivalent"]
    cookie_rule = rule(backends=[("api-canary", 8080)])
    cookie_rule["matches"][0]["headers"] = [{"name": "Cookie", "type": "RegularExpression",
                                             "value": "(^|; )beta=always(;|$)"}]
    s["route"] = route(rules=[rule(), cookie_rule])
    assert run(s).problems() == []


def test_canary_flag_alone_is_not_reported():
    s = _canary({})
    assert run(s).problems() == []
    assert not [r for r in run(s).results if r.annotation == NGINX_PREFIX + "canary"]


def test_canary_without_main_ingress_has_no_effect():
    """ingress-nginx deletes a canary backend with no main Ingress path to merge into ("unable
    to find real backend for alternative backend"): nothing was served, nothing is required."""
    s = _canary({NGINX_PREFIX + "canary-weight": "10"})
    s["ingress"] = None
    result = run(s)
    assert result.problems() == [], [r.message for r in result.problems()]
    assert [(r.code, r.ingress.resource.name) for r in result.results
            if r.ingress_path is not None] == [("served", "web-canary")]


# --- NGINX Inc / F5 NGINX Ingress Controller ----------------------------------------------------
def _nginx_inc(annotations: dict, tls: bool = False, with_class: bool = True) -> dict:
    s = base(annotations, tls=tls)
    s["class"] = NGINX_INC_CLASS if with_class else None
    return s


@pytest.mark.parametrize("with_class", [True, False])
def test_nginx_inc_redirect_to_https(with_class):
    # docs: "Sets the 301 redirect rule based on the value of the http_x_forwarded_proto header";
    # without an IngressClass, class `nginx` with nginx.org/ annotations is NGINX Inc's
    s = _nginx_inc({"nginx.org/redirect-to-https": "true"}, with_class=with_class)
    s["gateway"]["spec"]["listeners"].append(https_listener())
    found = run(s).problems()
    assert [(r.code, r.annotation) for r in found] == [
        ("https-redirect-missing", "nginx.org/redirect-to-https")]
    assert "statusCode: 301" in found[0].hint
    _tls_routes(s)
    assert run(s).problems() == []


def test_nginx_inc_redirect_to_https_false_is_quiet():
    assert run(_nginx_inc({"nginx.org/redirect-to-https": "false"})).problems() == []


def test_nginx_inc_ssl_redirect_default_with_tls():
    s = _nginx_inc({}, tls=True)
    assert [r.code for r in run(s).problems()] == ["https-redirect-missing"]
    _tls_routes(s)
    assert run(s).problems() == []
    quiet = _nginx_inc({"nginx.org/ssl-redirect": "false"}, tls=True)
    assert run(quiet).problems() == []


def test_nginx_inc_per_service_annotations_apply_to_their_services():
    for key, value in (("nginx.org/ssl-services", "other-svc"),
                       ("nginx.org/rewrites", "serviceName=other-svc rewrite=/")):
        result = run(_nginx_inc({key: value}))
        assert _annotation_problems(result, key) == [], key
        result = run(_nginx_inc({key: value.replace("other-svc", "api")}))
        assert [r.code for r in _annotation_problems(result, key)] == ["annotation-missing"]


def _input_problems(s: dict) -> dict:
    model = run(s).model
    return {p.path[-1]: p for info in model.ingresses for p in info.problems}


def test_nginx_inc_unknown_annotations_are_reported():
    s = _nginx_inc({"nginx.org/proxy-read-timout": "20s", "nginx.com/made-up": "on",
                    "nginx.ingress.kubernetes.io/rewrite-target": "/"})
    found = _input_problems(s)
    typo = found["nginx.org/proxy-read-timout"]
    assert typo.code == "annotation-unknown" and "NGINX Ingress Controller" in typo.message
    assert "did you mean 'nginx.org/proxy-read-timeout'" in typo.message
    assert found["nginx.com/made-up"].code == "annotation-unknown"
    # an ingress-nginx annotation on an Ingress NGINX Inc's controller serves has no effect
    assert found["nginx.ingress.kubernetes.io/rewrite-target"].code == "annotation-ignored"


def test_nginx_org_annotation_on_ingress_nginx_is_ignored_not_silent():
    s = base({"nginx.org/redirect-to-https": "true"})  # IngressClass of ingress-nginx
    found = _input_problems(s)
    assert found["nginx.org/redirect-to-https"].code == "annotation-ignored"
    assert run(s).problems() == []  # ingress-nginx never read it: nothing to migrate
