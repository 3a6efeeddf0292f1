"""Feature detection: one fixture per construct (needs / does not need), scopes, robustness,
linearity."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from gwlint.config import LintConfig
from gwlint.engine import build_context
from gwlint.implementations.detection import ANY_SCOPE, detect, needs_of, route_scopes
from gwlint.implementations.features import CONSTRUCTS, FEATURES, GATEWAY, MESH

from .conftest import objects
from .fixtures import FIXTURES, GATEWAY_PARENT, PLAIN_RULE, SERVICE_PARENT, route, service

BY_ID = {c.id: c for c in CONSTRUCTS}


def test_every_construct_has_a_fixture():
    assert set(FIXTURES) == set(BY_ID)


def test_construct_ids_are_unique_and_features_known():
    assert len(BY_ID) == len(CONSTRUCTS)
    for c in CONSTRUCTS:
        assert c.feature in FEATURES, c.id
        assert c.mesh_feature is None or c.mesh_feature in FEATURES, c.id
        assert c.label and c.cite, c.id


@pytest.mark.parametrize("cid", sorted(FIXTURES))
def test_construct_needs_its_feature(cid):
    fx, construct = FIXTURES[cid], BY_ID[cid]
    needs = [n for n in detect(objects(fx.needs, fx.release)) if n.construct is construct]
    hits = [n for n in needs if n.resource.name == fx.where and n.path == fx.path]
    assert hits, [(n.path, n.scope) for n in needs]
    assert {n.scope for n in hits} == {fx.scope}
    want = construct.mesh_feature if fx.scope == MESH else construct.feature
    assert {n.feature for n in hits} == {want}


@pytest.mark.parametrize("cid", sorted(FIXTURES))
def test_construct_not_needed_without_it(cid):
    fx, construct = FIXTURES[cid], BY_ID[cid]
    assert not [n for n in detect(objects(fx.clean, fx.release)) if n.construct is construct]


def _features(text: str, **kw) -> set[str]:
    return {n.feature for n in detect(objects(text, **kw))}


def test_defaulted_objects_need_only_their_core_feature():
    # the CRDs default matches (PathPrefix /), weights, allowedRoutes, redirect status 302...
    assert _features(route(PLAIN_RULE)) == {"HTTPRoute"}
    assert _features(route("  - filters: [{type: RequestRedirect, requestRedirect: "
                           "{hostname: example.org}}]\n")) == {"HTTPRoute"}
    gw = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: gw, namespace: app}
    spec:
      gatewayClassName: eg
      listeners:
      - {name: http, protocol: HTTP, port: 80}
      - {name: https, protocol: HTTPS, port: 443, hostname: a.example.com,
         tls: {certificateRefs: [{name: cert}]}}
    """
    assert _features(gw) == {"Gateway"}


def test_mesh_routes_need_the_mesh_variants():
    rules = ("  - matches: [{queryParams: [{name: q, value: v}], method: GET}]\n"
             "    filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, "
             "replaceFullPath: /v2}}}]\n    backendRefs: [{name: web, port: 8080}]\n")
    mesh = {(n.feature, n.scope) for n in detect(objects(route(rules, parents=SERVICE_PARENT)))}
    assert ("MeshHTTPRouteQueryParamMatching", MESH) in mesh
    assert ("MeshHTTPRouteRewritePath", MESH) in mesh
    assert ("HTTPRouteMethodMatching", MESH) in mesh  # no mesh variant: the suite's own name
    assert ("Mesh", MESH) in mesh and ("HTTPRoute", MESH) in mesh
    assert not {f for f, _ in mesh} & {"HTTPRouteQueryParamMatching", "HTTPRoutePathRewrite"}
    both = "[{name: gw}, {group: '', kind: Service, name: web}]"
    found = {(n.feature, n.scope) for n in detect(objects(route(rules, parents=both)))}
    assert {("HTTPRouteQueryParamMatching", GATEWAY),
            ("MeshHTTPRouteQueryParamMatching", MESH)} <= found


def test_route_scopes_follow_parent_kinds():
    def scopes(parents: str) -> tuple[str, ...]:
        return route_scopes(objects(route(PLAIN_RULE, parents=parents))[0])

    assert scopes(GATEWAY_PARENT) == (GATEWAY,)
    assert scopes(SERVICE_PARENT) == (MESH,)
    assert scopes("[{name: gw}, {group: '', kind: Service, name: web}]") == (GATEWAY, MESH)
    assert scopes("[{group: gateway.networking.k8s.io, kind: ListenerSet, name: ls}]") == (GATEWAY,)


def _listener(name: str, host: str | None, cert: str, port: int = 443, **ref: str) -> str:
    hostname = f", hostname: '{host}'" if host else ""
    extra = "".join(f", {k}: {v}" for k, v in ref.items())
    return (f"  - {{name: {name}, protocol: HTTPS, port: {port}{hostname}, "
            f"tls: {{certificateRefs: [{{name: {cert}{extra}}}]}}}}\n")


@pytest.mark.parametrize("listeners, hit", [
    # distinct hostnames, distinct certificates: no client reuses one connection for both
    ([("a", "a.example.com", "a"), ("b", "b.example.com", "b")], None),
    ([("a", "*.example.com", "a"), ("b", "*.example.net", "b")], None),
    # the same Secret (defaults or spelled out), or hostnames one connection's certificate covers
    ([("a", "a.example.com", "x"), ("b", "b.example.com", "x")], 1),
    ([("a", "a.example.com", "x"), ("b", "b.example.com", "x", "app")], 1),
    ([("a", "*.example.com", "a"), ("b", "foo.example.com", "b")], 1),
    ([("a", None, "a"), ("b", "b.example.com", "b"), ("c", "c.example.com", "c")], 1),
    ([("a", "a.example.com", "a"), ("b", "b.example.com", "b"), ("c", "*.example.com", "c")], 2),
    # another namespace's Secret of the same name is another certificate
    ([("a", "a.example.com", "x"), ("b", "b.example.com", "x", "other")], None),
])
def test_misdirected_requests_need_listeners_one_connection_reaches(listeners, hit):
    def text(parts: list[str]) -> str:
        return FIXTURES["misdirected-requests"].needs.split("  listeners:\n")[0] + \
            "  listeners:\n" + "".join(parts)

    rows = [_listener(name, host, cert, **({"namespace": ns[0]} if ns else {}))
            for name, host, cert, *ns in listeners]
    found = [n.path for n in detect(objects(text(rows)))
             if n.feature == "GatewayHTTPSListenerDetectMisdirectedRequests"]
    assert found == ([] if hit is None else [("spec", "listeners", hit)])


def test_policies_and_grants_are_needed_by_any_implementation():
    fx = FIXTURES["backendtlspolicy"]
    assert {n.scope for n in detect(objects(fx.needs))} == {ANY_SCOPE}


def test_backend_protocol_needs_the_service_in_the_same_scope():
    text = route(PLAIN_RULE) + "\n---\n" + service("kubernetes.io/h2c")
    assert "HTTPRouteBackendProtocolH2C" in _features(text)
    route_res, svc = objects(text)
    svc.scope = "clusters/b"
    assert "HTTPRouteBackendProtocolH2C" not in {n.feature for n in detect([route_res, svc])}
    # a backendRef to another port of the Service does not use the h2c port
    other_port = route("  - backendRefs: [{name: web, port: 9090}]\n") + "\n---\n" + service(
        "kubernetes.io/h2c")
    assert "HTTPRouteBackendProtocolH2C" not in _features(other_port)
    # cross-namespace backendRef finds the Service in its namespace
    cross = route("  - backendRefs: [{name: web, namespace: other, port: 8080}]\n") + \
        "\n---\n" + service("kubernetes.io/ws", "other")
    assert "HTTPRouteBackendProtocolWebSocket" in _features(cross)


def test_other_groups_and_virtual_objects_are_ignored():
    text = route(PLAIN_RULE, api="example.com/v1") + "\n---\n" + route(PLAIN_RULE)
    res = objects(text, validate=False)
    assert [n.resource for n in detect(res)] == [res[1]]
    res[1].virtual = True
    assert detect(res) == []


@pytest.mark.parametrize("spec", [
    {"rules": "oops"},
    {"rules": [None, 3, {"filters": {"type": "CORS"}}, {"matches": [1, None]},
               {"filters": [None, {"type": "RequestMirror", "requestMirror": 3}]},
               {"backendRefs": [{"port": "x", "filters": "no"}], "timeouts": [1]}]},
    {"parentRefs": [None, {"kind": 3, "port": "80", "group": 7}], "rules": [{"backendRefs": 1}]},
    {"listeners": [1, None, {"port": "80"}, {"port": 80, "protocol": 7},
                   {"port": 80, "tls": 5, "protocol": "TLS"}, {"port": 80, "hostname": 3}]},
    {"addresses": {"value": 1}, "infrastructure": [1], "tls": "x"},
    {"addresses": [None, "x"], "tls": {"frontend": {"perPort": "x", "default": []}}},
])
def test_mistyped_objects_never_raise(spec):
    for kind in ("HTTPRoute", "Gateway", "GRPCRoute", "ListenerSet", "BackendTLSPolicy",
                 "XBackend"):
        res = objects(route(PLAIN_RULE), validate=False)[0]
        res.kind, res.body["spec"] = kind, spec
        needs_of(res, {})
    body_not_dict = objects(route(PLAIN_RULE))[0]
    body_not_dict.body["spec"] = ["not", "a", "mapping"]
    assert [n.feature for n in needs_of(body_not_dict)] == ["HTTPRoute"]


def _corpus(n: int) -> list:
    """n HTTPRoutes with rich rules, their Services and a Gateway per 10 routes."""
    docs = []
    for i in range(n):
        docs.append(route(
            "  - matches: [{path: {type: PathPrefix, value: /a},"
            " queryParams: [{name: q, value: v}]}, {method: GET}]\n"
            "    filters: [{type: RequestMirror, requestMirror: {backendRef: {name: m, port: 80},"
            " percent: 5}}, {type: ResponseHeaderModifier, responseHeaderModifier:"
            " {set: [{name: x, value: y}]}}]\n"
            "    timeouts: {request: 10s}\n"
            "    backendRefs: [{name: web, port: 8080, filters: [{type: RequestHeaderModifier,"
            " requestHeaderModifier: {set: [{name: a, value: b}]}}]}]\n" + PLAIN_RULE,
            parents="[{name: gw, port: 80}]", namespace=f"ns{i}"))
        docs.append(service("kubernetes.io/h2c", f"ns{i}"))
        if i % 10 == 0:
            docs.append(FIXTURES["listener-isolation"].needs)
    return objects("\n---\n".join(docs), validate=False)


def _best(resources: list, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()  # CPU time: other processes do not count
        detect(resources)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.slow  # a timing ratio over large inputs (CI runs it: python -m pytest -m slow)
def test_detection_is_linear():
    small, large = _corpus(300), _corpus(1200)
    assert len(detect(large)) == 4 * len(detect(small))
    ratio = _best(large) / _best(small)
    assert ratio < 6, ratio


def demo_resources() -> list:
    """The demo's resources through the real pipeline."""
    demo = str(Path(__file__).resolve().parents[2] / "examples" / "demo")
    return build_context(LintConfig(paths=[demo])).resources


def test_demo_needs():
    # examples/demo: two Gateways (HTTP 80 + HTTPS 443; internal HTTP on 8080), three plain
    # HTTPRoutes, one ReferenceGrant: only the internal listener's port is an extended feature
    needs = detect(demo_resources())
    assert {n.feature for n in needs} == {"Gateway", "HTTPRoute", "ReferenceGrant",
                                          "GatewayPort8080"}
    [port] = [n for n in needs if n.feature == "GatewayPort8080"]
    assert port.resource.name == "internal-gateway" and port.path == ("spec", "listeners", 0,
                                                                      "port")


def test_a_boolean_listener_port_is_not_a_port_other_than_80():
    # `port: true` is no integer (the API server refuses it); Python's bool is an int
    gw = """
    apiVersion: gateway.networking.k8s.io/v1
    kind: Gateway
    metadata: {name: gw}
    spec:
      gatewayClassName: c
      listeners: [{name: http, port: true, protocol: HTTP}, {name: web, port: 8080, protocol: HTTP}]
    """
    needs = [n for n in detect(objects(gw, validate=False)) if n.feature == "GatewayPort8080"]
    assert [n.path for n in needs] == [("spec", "listeners", 1, "port")]
