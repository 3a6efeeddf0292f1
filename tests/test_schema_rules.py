"""Manifests breaking each CEL rule family / structural constraint are rejected precisely.

Expected messages are the CRDs' own rule messages (the API server shows the same text).
"""

from __future__ import annotations

import copy

import pytest

from gwlint.schema import SchemaSet, Violation, bundled_versions

from support import samples as S

ALL = bundled_versions()
V = "v1.6.1"


@pytest.fixture(params=["python", "cel"], autouse=True)
def fast_path(request, monkeypatch):
    """Run every test with both fast paths: the verdict must not depend on it."""
    monkeypatch.setenv("GWLINT_CEL_FASTPATH", request.param)
    return request.param


def check(obj: dict, release: str = V, channel: str = "standard") -> list[Violation]:
    return SchemaSet(release, channel).process(obj["apiVersion"], obj["kind"],
                                               copy.deepcopy(obj))[0]


def find(violations: list[Violation], code: str, path: tuple, fragment: str = "") -> Violation:
    for v in violations:
        if v.code == code and v.path == path and fragment in v.message:
            return v
    raise AssertionError(f"no {code} at {path} containing {fragment!r} in {violations}")


def _since(first: str) -> list[str]:
    return [r for r in ALL
            if tuple(map(int, r[1:].split("."))) >= tuple(map(int, first[1:].split(".")))]


# ------------------------------------------------------------------ Gateway listeners

@pytest.mark.parametrize("release", ALL)
def test_duplicate_listener_names(release):
    gw = S.gateway(release, "standard")
    gw["spec"]["listeners"][1]["name"] = "http"
    found = check(gw, release)
    v = find(found, "cel", ("spec", "listeners", 0), "Listener name must be unique")
    assert v.message.startswith("spec.listeners[0]: ") and "[1]" in (v.hint or "")


@pytest.mark.parametrize("release", ALL)
def test_hostname_on_tcp_listener(release):
    gw = S.gateway(release, "standard")
    tcp = next(i for i, listener in enumerate(gw["spec"]["listeners"])
               if listener["protocol"] == "TCP")
    gw["spec"]["listeners"][tcp]["hostname"] = "db.example.com"
    find(check(gw, release), "cel", ("spec", "listeners", tcp),
         "hostname must not be specified for protocols")


@pytest.mark.parametrize("release", ALL)
def test_tls_on_http_listener(release):
    gw = S.gateway(release, "standard")
    gw["spec"]["listeners"][0]["tls"] = {"mode": "Terminate", "certificateRefs": [{"name": "c"}]}
    find(check(gw, release), "cel", ("spec", "listeners", 0),
         "tls must not be specified for protocols")


@pytest.mark.parametrize("release", ALL)
def test_same_port_protocol_hostname_twice(release):
    gw = S.gateway(release, "standard")
    gw["spec"]["listeners"].append(dict(gw["spec"]["listeners"][0], name="http-copy"))
    find(check(gw, release), "cel", ("spec", "listeners", 0),
         "Combination of port, protocol and hostname")


def test_https_listener_without_tls_v1_0():
    gw = S.gateway("v1.0.0", "standard")
    del gw["spec"]["listeners"][1]["tls"]
    find(check(gw, "v1.0.0"), "cel", ("spec", "listeners", 1),
         "tls must be specified for protocols")


@pytest.mark.parametrize("release", _since("v1.1.0"))
def test_terminate_without_certificates(release):
    gw = S.gateway(release, "standard")
    gw["spec"]["listeners"][1]["tls"] = {"mode": "Terminate", "certificateRefs": [], "options": {}}
    find(check(gw, release), "cel", ("spec", "listeners", 1, "tls"),
         "certificateRefs or options must be specified")


@pytest.mark.parametrize("release", _since("v1.1.0"))
def test_terminate_with_empty_certificates_and_no_options_fails_to_evaluate(release):
    """`size(self.certificateRefs) > 0 || size(self.options) > 0`: with no options key the
    second operand is an error (no such key), so the API server reports an evaluation error."""
    gw = S.gateway(release, "standard")
    gw["spec"]["listeners"][1]["tls"] = {"mode": "Terminate", "certificateRefs": []}
    v = find(check(gw, release), "invalid", ("spec", "listeners", 1, "tls"),
             "certificateRefs or options")
    assert "no such key: options" in v.message


def test_terminate_without_certificate_refs_key_is_an_evaluation_error():
    """certificateRefs absent: the rule reads it without has(), so the API server reports
    an evaluation error ("no such key") and rejects the object."""
    gw = S.gateway(V, "standard")
    gw["spec"]["listeners"][1]["tls"] = {"mode": "Terminate"}
    v = find(check(gw), "invalid", ("spec", "listeners", 1, "tls"), "could not be evaluated")
    assert "certificateRefs" in v.message


def test_duplicate_ip_addresses():
    gw = S.gateway(V, "standard")
    gw["spec"]["addresses"].append(dict(gw["spec"]["addresses"][0]))
    find(check(gw), "cel", ("spec", "addresses", 0), "IPAddress values must be unique")


def test_invalid_ip_address_value():
    gw = S.gateway(V, "standard")
    gw["spec"]["addresses"][0]["value"] = "10.0.0.300"
    v = find(check(gw), "format", ("spec", "addresses", 0, "value"))
    assert "IPv4" in v.message and "IPv6" in v.message


# ------------------------------------------------------------------ HTTPRoute rules

def _route(release: str = V, channel: str = "standard") -> dict:
    return S.http_route(release, channel, rules=4)


@pytest.mark.parametrize("release", ALL)
def test_request_redirect_with_backend_refs(release):
    route = _route(release)
    route["spec"]["rules"][1]["backendRefs"] = [{"name": "svc", "port": 80}]
    find(check(route, release), "cel", ("spec", "rules", 1),
         "RequestRedirect filter must not be used together with backendRefs")


@pytest.mark.parametrize("release", ALL)
def test_request_redirect_and_url_rewrite_in_one_rule(release):
    route = _route(release)
    route["spec"]["rules"][1]["filters"].append({"type": "URLRewrite",
                                                 "urlRewrite": {"hostname": "a.example.com"}})
    v = find(check(route, release), "cel", ("spec", "rules", 1, "filters"),
             "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite")
    assert v.message.endswith("(CEL rule)")


@pytest.mark.parametrize("release", ALL)
def test_duplicate_header_matches(release):
    route = _route(release)
    headers = route["spec"]["rules"][0]["matches"][0]["headers"]
    headers.append({"name": headers[0]["name"], "value": "other"})
    v = find(check(route, release), "invalid", ("spec", "rules", 0, "matches", 0, "headers", 2),
             "duplicate entry")
    assert v.reason == "FieldValueDuplicate" and "X-Tenant" in v.message


@pytest.mark.parametrize("release", ALL)
def test_portless_service_backend_ref(release):
    route = _route(release)
    del route["spec"]["rules"][0]["backendRefs"][1]["port"]
    find(check(route, release), "cel", ("spec", "rules", 0, "backendRefs", 1),
         "Must have port for Service reference")


def test_portless_non_service_backend_ref_is_fine():
    route = _route()
    ref = route["spec"]["rules"][0]["backendRefs"][1]
    del ref["port"]
    ref.update(group="example.com", kind="Bucket")
    assert check(route) == []


@pytest.mark.parametrize("name", ["X Bad", "X:Tenant", "", "Ünïcode"])
def test_bad_header_names(name):
    route = _route()
    route["spec"]["rules"][0]["matches"][0]["headers"][0]["name"] = name
    code = "bounds" if name == "" else "pattern"
    find(check(route), code, ("spec", "rules", 0, "matches", 0, "headers", 0, "name"))


@pytest.mark.parametrize("hostname",
                         ["Foo.example.com", "example.com:8080", "*", "foo..com", "-a.com",
                          "a.*.com"])
def test_invalid_route_hostnames(hostname):
    route = _route()
    route["spec"]["hostnames"][1] = hostname
    find(check(route), "pattern", ("spec", "hostnames", 1))


@pytest.mark.parametrize("release", _since("v1.5.1"))
@pytest.mark.parametrize("hostname", ["10.0.0.1", "2001:db8::1"])
def test_ip_as_tls_route_hostname(release, hostname):
    route = S.tls_route(release, "standard")
    route["spec"]["hostnames"] = ["ok.example.com", hostname]
    found = check(route, release)
    if ":" in hostname:  # the schema pattern already rejects it; CEL still runs on a pattern error
        find(found, "pattern", ("spec", "hostnames", 1))
    find(found, "cel", ("spec", "hostnames", 1), "Hostnames cannot contain an IP")


def test_invalid_listener_hostname():
    gw = S.gateway(V, "standard")
    gw["spec"]["listeners"][0]["hostname"] = "WWW.Example.com"
    v = find(check(gw), "pattern", ("spec", "listeners", 0, "hostname"))
    assert v.hint and "lowercase" in v.hint


@pytest.mark.parametrize("release", ALL)
@pytest.mark.parametrize("value, fragment", [
    ("api", "must be an absolute path"), ("/a//b",
                                          "must not contain '//'"),
                                          ("/a/../b", "must not contain '/../'"),
    ("/a#frag", "must not contain '#'"), ("/a%2Fb", "must not contain '%2F'"),
    ("/a b", "must only contain valid characters"),
])
def test_path_match_values(release, value, fragment):
    route = _route(release)
    route["spec"]["rules"][0]["matches"][0]["path"]["value"] = value
    find(check(route, release), "cel", ("spec", "rules", 0, "matches", 0, "path"), fragment)


def test_regular_expression_paths_are_not_checked_as_paths():
    route = _route()
    route["spec"]["rules"][0]["matches"][0]["path"] = {"type": "RegularExpression",
                                                       "value": "^/api/v[0-9]+"}
    assert check(route) == []


@pytest.mark.parametrize("release", _since("v1.2.1"))
def test_too_many_matches_across_rules(release):
    route = _route(release)
    route["spec"]["rules"] = [
        {"matches": [{"path": {"type": "PathPrefix", "value": f"/r{r}/m{m}"}} for m in range(50)],
         "backendRefs": [{"name": "svc", "port": 80}]}
        for r in range(3)]
    find(check(route, release), "cel", ("spec", "rules"),
         "total number of matches across all rules")


def test_too_many_matches_in_one_rule_is_a_bounds_error():
    route = _route()
    route["spec"]["rules"][0]["matches"] = [{"path": {"type": "PathPrefix",
                                                      "value": f"/m{m}"}} for m in range(65)]
    find(check(route), "bounds", ("spec", "rules", 0, "matches"), "at most 64")


def test_replace_prefix_match_needs_a_single_path_prefix_match():
    route = _route()
    route["spec"]["rules"][1]["matches"].append({"path": {"type": "Exact", "value": "/x"}})
    find(check(route), "cel", ("spec", "rules", 1),
         "exactly one PathPrefix match must be specified")


def test_filter_type_without_its_config():
    route = _route()
    route["spec"]["rules"][0]["filters"][0] = {"type": "RequestHeaderModifier"}
    find(check(route), "cel", ("spec", "rules", 0, "filters", 0),
         "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type")


def test_repeated_filter():
    route = _route()
    route["spec"]["rules"][0]["filters"].append(copy.deepcopy(route["spec"]["rules"][0]["filters"][0]))
    find(check(route), "cel", ("spec", "rules", 0, "filters"),
         "RequestHeaderModifier filter cannot be repeated")


@pytest.mark.parametrize("release", _since("v1.1.0"))
def test_parent_refs_to_the_same_gateway_need_distinct_sections(release):
    route = _route(release)
    route["spec"]["parentRefs"] = [{"name": "gw"}, {"name": "gw"}]
    found = check(route, release)
    assert any(v.code == "cel" and v.path[:2] == ("spec", "parentRefs")
               and "parentRefs" in v.message for v in found)


@pytest.mark.parametrize("release", _since("v1.2.1"))
def test_backend_request_timeout_longer_than_request(release):
    route = _route(release)
    route["spec"]["rules"][0]["timeouts"] = {"request": "1s", "backendRequest": "5s"}
    find(check(route, release), "cel", ("spec", "rules", 0, "timeouts"),
         "backendRequest timeout cannot be longer than request timeout")


def test_zero_request_timeout_disables_the_comparison():
    route = _route()
    route["spec"]["rules"][0]["timeouts"] = {"request": "0s", "backendRequest": "5s"}
    assert check(route) == []


def test_grpc_method_match_needs_service_or_method():
    route = S.grpc_route(V, "standard")
    route["spec"]["rules"][0]["matches"][0]["method"] = {"type": "Exact"}
    find(check(route), "cel", ("spec", "rules", 0, "matches", 0, "method"),
         "One or both of 'service' or 'method'")


def test_grpc_service_name_characters():
    route = S.grpc_route(V, "standard")
    route["spec"]["rules"][0]["matches"][0]["method"]["service"] = "com.example-bad"
    find(check(route), "cel", ("spec", "rules", 0, "matches", 0, "method"),
         "service must only contain valid characters")


def test_backend_tls_policy_san_rules():
    policy = S.backend_tls_policy(V, "standard")
    policy["spec"]["validation"]["subjectAltNames"][0] = {"type": "Hostname"}
    find(check(policy), "cel", ("spec", "validation", "subjectAltNames", 0),
         "SubjectAltName element must contain Hostname")


def test_backend_tls_policy_needs_ca_or_well_known():
    policy = S.backend_tls_policy(V, "standard")
    del policy["spec"]["validation"]["caCertificateRefs"]
    find(check(policy), "cel", ("spec", "validation"),
         "must specify either CACertificateRefs or WellKnownCACertificates")


def test_listener_set_rules():
    ls = S.listener_set(V, "standard")
    ls["spec"]["listeners"][1]["name"] = "team-http"
    find(check(ls), "cel", ("spec", "listeners", 0), "Listener name must be unique")


def test_xbackend_dns_label_format_rule():
    """The one rule using format.dns1123Label(): a valid label passes, an invalid one fails."""
    body = {"apiVersion": "gateway.networking.x-k8s.io/v1alpha1", "kind": "XBackend",
            "metadata": {"name": "b", "namespace": "default"},
            "spec": {"type": "ExternalHostname",
                     "externalHostname": {"hostname": "api.example.com"},
                     "port": {"name": "https", "port": 443}}}
    schemas = SchemaSet(V, "experimental")
    ok = copy.deepcopy(body)
    found = schemas.process(ok["apiVersion"], ok["kind"], ok)[0]
    assert not [v for v in found if v.path[:2] == ("spec", "port")], found
    bad = copy.deepcopy(body)
    bad["spec"]["port"]["name"] = "Not_A_Label"
    found = schemas.process(bad["apiVersion"], bad["kind"], bad)[0]
    find(found, "cel", ("spec", "port", "name"), "Name must be a valid DNS label")


# ------------------------------------------------------------------ structural

def test_unknown_field_with_a_hint():
    route = _route()
    route["spec"]["rules"][0]["backendRef"] = route["spec"]["rules"][0].pop("backendRefs")
    v = find(check(route), "unknown-field", ("spec", "rules", 0, "backendRef"), "unknown field")
    assert v.hint == "did you mean `backendRefs`?"


def test_unknown_top_level_and_metadata_fields():
    route = _route()
    route["sepc"] = {}
    route["metadata"]["label"] = {"a": "b"}
    found = check(route)
    assert find(found, "unknown-field", ("sepc",)).hint == "did you mean `spec`?"
    assert find(found, "unknown-field", ("metadata", "label")).hint == "did you mean `labels`?"


def test_known_object_meta_fields_are_not_flagged():
    route = _route()
    route["metadata"].update(annotations={"a/b": "c"}, finalizers=["x/y"], generateName="r-",
                             resourceVersion="1", uid="u", generation=2, creationTimestamp=None)
    assert check(route) == []


def test_field_from_a_newer_release_is_explained():
    route = S.http_route("v1.0.0", "standard", rules=1)
    route["spec"]["rules"][0]["name"] = "main"         # standard from v1.4.1
    route["spec"]["rules"][0]["timeouts"] = {"request": "5s"}  # experimental-only in v1.0.0
    found = check(route, "v1.0.0")
    v = find(found, "unknown-field", ("spec", "rules", 0, "name"))
    assert "v1.4.1" in (v.hint or "") and "v1.0.0" in (v.hint or "")
    find(found, "experimental-field", ("spec", "rules", 0, "timeouts"),
         "experimental in Gateway API v1.0.0")


@pytest.mark.parametrize("release", _since("v1.1.0"))
def test_experimental_field_in_standard_channel(release):
    persistence = {"sessionName": "s", "type": "Cookie",
                   "cookieConfig": {"lifetimeType": "Session"}}
    route = _route(release, "standard")
    route["spec"]["rules"][0]["sessionPersistence"] = copy.deepcopy(persistence)
    v = find(check(route, release), "experimental-field",
             ("spec", "rules", 0, "sessionPersistence"))
    assert release in v.message and "standard" in v.message
    route = _route(release, "experimental")
    route["spec"]["rules"][0]["sessionPersistence"] = copy.deepcopy(persistence)
    assert check(route, release, "experimental") == []


def test_v1_1_session_persistence_rule_needs_cookie_config():
    """v1.1.0's rule reads self.cookieConfig.lifetimeType without has(self.cookieConfig):
    without cookieConfig the API server cannot evaluate it (fixed in v1.2)."""
    route = _route("v1.1.0", "experimental")
    route["spec"]["rules"][0]["sessionPersistence"] = {"sessionName": "s", "type": "Cookie"}
    v = find(check(route, "v1.1.0", "experimental"), "invalid",
             ("spec", "rules", 0, "sessionPersistence"))
    assert "no such key: cookieConfig" in v.message
    route = _route("v1.2.1", "experimental")
    route["spec"]["rules"][0]["sessionPersistence"] = {"sessionName": "s", "type": "Cookie"}
    assert check(route, "v1.2.1", "experimental") == []


def test_experimental_enum_value_in_standard_channel():
    route = _route()
    route["spec"]["rules"][0]["filters"][0] = {"type": "ExternalAuth", "externalAuth": {
        "protocol": "HTTP", "backendRef": {"name": "auth", "port": 80}, "http": {}}}
    found = check(route)
    find(found, "experimental-field", ("spec", "rules", 0, "filters", 0, "type"),
         "experimental channel")
    find(found, "experimental-field", ("spec", "rules", 0, "filters", 0, "externalAuth"))


def test_wrong_type():
    route = _route()
    route["spec"]["rules"][0]["backendRefs"][0]["port"] = "8080"
    v = find(check(route), "type", ("spec", "rules", 0, "backendRefs", 0, "port"),
             "must be an integer")
    assert v.hint == "write the number without quotes: 8080"


def test_wrong_type_skips_cel_on_the_ill_typed_subtree_only():
    route = _route()
    route["spec"]["rules"][0]["matches"] = "/api"           # ill-typed: no cascade of CEL errors
    route["spec"]["rules"][2]["backendRefs"][0].pop("port")  # a sibling rule's CEL still runs
    found = check(route)
    find(found, "type", ("spec", "rules", 0, "matches"))
    find(found, "cel", ("spec", "rules", 2, "backendRefs", 0), "Must have port")
    assert not [v for v in found if v.code == "invalid"], found


def test_missing_required():
    route = _route()
    del route["spec"]["parentRefs"][0]["name"]
    find(check(route), "required", ("spec", "parentRefs", 0, "name"), "required field is missing")


def test_enum_with_close_match_hint():
    route = _route()
    route["spec"]["rules"][0]["matches"][0]["path"]["type"] = "Prefix"
    v = find(check(route), "enum", ("spec", "rules", 0, "matches", 0, "path", "type"),
             "unsupported value")
    assert '"PathPrefix"' in (v.hint or "")


def test_enum_case_mismatch_hint():
    gw = S.gateway(V, "standard")
    gw["spec"]["listeners"][1]["tls"]["mode"] = "terminate"
    v = find(check(gw), "enum", ("spec", "listeners", 1, "tls", "mode"))
    assert "Terminate" in (v.hint or "") and "case-sensitive" in (v.hint or "")


def test_pattern():
    route = _route()
    route["spec"]["parentRefs"][0]["namespace"] = "Infra_NS"
    find(check(route), "pattern", ("spec", "parentRefs", 0, "namespace"))


@pytest.mark.parametrize("weight", [-1, 1000001])
def test_bounds(weight):
    route = _route()
    route["spec"]["rules"][0]["backendRefs"][0]["weight"] = weight
    find(check(route), "bounds", ("spec", "rules", 0, "backendRefs", 0, "weight"))


def test_metadata_name_and_labels():
    route = _route()
    route["metadata"]["name"] = "My_Route"
    route["metadata"]["labels"] = {"team": True, "bad key!": "x"}
    found = check(route)
    find(found, "pattern", ("metadata", "name"), "RFC 1123 subdomain")
    v = find(found, "type", ("metadata", "labels", "team"), "must be strings")
    assert 'quote the value: "true"' in (v.hint or "")
    find(found, "pattern", ("metadata", "labels", "bad key!"))


def test_missing_metadata_name():
    route = _route()
    del route["metadata"]["name"]
    find(check(route), "required", ("metadata", "name"))


def test_status_is_ignored():
    route = _route()
    route["status"] = {"parents": "not even the right type", "whatever": 1}
    assert check(route) == []


def test_null_fields_are_dropped_like_the_api_server_does():
    route = _route()
    route["spec"]["rules"][0]["filters"] = None
    route["spec"]["hostnames"] = None
    assert check(route) == []


# ------------------------------------------------------------------ core kinds

def test_service_ports():
    svc = S.service(0, ports=2)
    svc["spec"]["ports"][0]["port"] = 70000
    svc["spec"]["ports"][1]["protocol"] = "HTTP"
    svc["spec"]["ports"].append({"port": 443, "targetPort": "https"})
    found = check(svc)
    find(found, "bounds", ("spec", "ports", 0, "port"))
    find(found, "enum", ("spec", "ports", 1, "protocol"))
    find(found, "cel", ("spec", "ports"), "every port must have a name")


def test_service_unknown_fields_are_allowed_and_duplicate_ports_flagged():
    svc = S.service(0, ports=1)
    svc["spec"]["sessionAffinity"] = "ClientIP"
    svc["spec"]["ports"].append({"name": "again", "port": 80, "protocol": "TCP"})
    found = check(svc)
    find(found, "invalid", ("spec", "ports", 1), "duplicate entry")
    assert not [v for v in found if v.code == "unknown-field"]


def test_service_name_is_a_dns_1035_label():
    svc = S.service(0)
    svc["metadata"]["name"] = "1api"
    find(check(svc), "pattern", ("metadata", "name"), "DNS-1035")


def test_secret_data_must_be_base64():
    secret = S.secret(0)
    secret["data"]["tls.key"] = "not base64!"
    find(check(secret), "pattern", ("data", "tls.key"))


def test_namespace_and_config_map():
    assert check(S.namespace(0)) == []
    cm = S.config_map(0)
    cm["data"]["bad key"] = "x"
    find(check(cm), "cel", ("data",), "keys must consist of alphanumeric")
