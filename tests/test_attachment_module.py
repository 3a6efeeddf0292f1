"""gwlint.attachment: the shared listener/attachment model other rules build on."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from gwlint import attachment
from gwlint.attachment import (ANY_HOST, hostname_intersection, hostnames_overlap,
                               selector_matches)
from gwlint.config import LintConfig
from gwlint.context import Context, Options
from gwlint.load import load
from gwlint.model import GATEWAY_GROUP
from gwlint.refs import PARENT
from gwlint.registry import rule_settings


def make_ctx(tmp_path: Path, files: dict[str, str], **config) -> Context:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        loaded = load(LintConfig(paths=["."], **config))
    finally:
        os.chdir(old)
    return Context(loaded.resources, Options(settings=rule_settings({})), loaded.issues,
                   loaded.violations)


# --- hostnames -------------------------------------------------------------------------------
@pytest.mark.parametrize("listener,route,expected", [
    ("*.example.com", "foo.example.com", "foo.example.com"),
    ("*.example.com", "a.b.example.com", "a.b.example.com"),   # one or more labels
    ("*.example.com", "example.com", None),                     # not the apex
    ("*.example.com", "fooexample.com", None),                  # label boundary
    ("*.example.com", "test.example.net", None),
    ("test.example.com", "*.example.com", "test.example.com"),
    ("test.example.com", "test.example.com", "test.example.com"),
    ("test.example.com", "other.example.com", None),
    ("example.com", "*.example.com", None),
    ("*.example.com", "*.example.com", "*.example.com"),
    ("*.example.com", "*.foo.example.com", "*.foo.example.com"),  # the narrower wildcard
    ("*.foo.example.com", "*.example.com", "*.foo.example.com"),
    ("*.example.com", "*.example.net", None),
    (None, "anything.example.org", "anything.example.org"),      # no listener hostname
    ("", "anything.example.org", "anything.example.org"),
    ("shop.example.com", ANY_HOST, "shop.example.com"),
])
def test_hostname_intersection(listener, route, expected):
    assert hostname_intersection(listener, route) == expected


def test_hostnames_overlap():
    assert hostnames_overlap("*.example.com", "bar.bar.example.com")
    assert hostnames_overlap(None, "x.example.com")
    assert not hostnames_overlap("*.example.com", "example.com")
    assert not hostnames_overlap("*.example.com", "*.example.io")


# --- selectors -------------------------------------------------------------------------------
LABELS = {"team": "shop", "kubernetes.io/metadata.name": "app"}


@pytest.mark.parametrize("selector,labels,expected", [
    ({}, LABELS, True),                                      # empty selector: everything
    (None, LABELS, False),                                   # no selector: nothing
    ({"matchLabels": {"team": "shop"}}, LABELS, True),
    ({"matchLabels": {"team": "blog"}}, LABELS, False),
    ({"matchExpressions": [{"key": "team", "operator": "In", "values": ["a", "shop"]}]},
     LABELS, True),
    ({"matchExpressions": [{"key": "team", "operator": "NotIn", "values": ["shop"]}]},
     LABELS, False),
    ({"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["x"]}]}, LABELS, True),
    ({"matchExpressions": [{"key": "team", "operator": "Exists"}]}, LABELS, True),
    ({"matchExpressions": [{"key": "team", "operator": "DoesNotExist"}]}, LABELS, False),
    ({"matchExpressions": [{"key": "team", "operator": "Bogus"}]}, LABELS, None),
    # labels unknown (no Namespace object): only the implicit name label can be decided
    ({"matchLabels": {"team": "shop"}}, None, None),
    ({"matchLabels": {"kubernetes.io/metadata.name": "app"}}, None, True),
    ({"matchLabels": {"kubernetes.io/metadata.name": "blog"}}, None, False),
    ({"matchLabels": {"kubernetes.io/metadata.name": "blog", "team": "x"}}, None, False),
    ({"matchExpressions": [{"key": "kubernetes.io/metadata.name", "operator": "NotIn",
                            "values": ["kube-system"]}]}, None, True),
])
def test_selector_matches(selector, labels, expected):
    assert selector_matches(selector, "app", labels) is expected


# --- the index -------------------------------------------------------------------------------
FILES = {
    "class.yaml": """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: envoy}
        spec: {controllerName: example.com/gateway-controller}
    """,
    "gateway.yaml": """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: infra}
        spec:
          gatewayClassName: envoy
          allowedListeners:
            namespaces: {from: All}
          listeners:
          - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
          - name: https
            port: 443
            protocol: HTTPS
            hostname: "*.example.com"
            tls: {certificateRefs: [{name: wildcard}]}
            allowedRoutes: {namespaces: {from: All}}
          - {name: raw, port: 9000, protocol: TCP}
    """,
    "ls.yaml": """
        apiVersion: gateway.networking.k8s.io/v1
        kind: ListenerSet
        metadata: {name: shop, namespace: shop}
        spec:
          parentRef: {name: web, namespace: infra}
          listeners:
          - {name: http, port: 8080, protocol: HTTP, hostname: shop.example.com}
    """,
    "routes.yaml": """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: app}
        spec:
          parentRefs:
          - {name: web, namespace: infra}
          hostnames: [shop.example.com, shop.example.net]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: any, namespace: app}
        spec:
          parentRefs:
          - {name: web, namespace: infra, sectionName: http}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: via-set, namespace: shop}
        spec:
          parentRefs:
          - {kind: ListenerSet, name: shop}
    """,
}


@pytest.fixture
def ctx(tmp_path):
    return make_ctx(tmp_path, FILES)


def _route(ctx, name):
    return next(r for r in ctx.of_kind("HTTPRoute") if r.name == name)


def _ref(ctx, route_name):
    return next(r for r in ctx.refs(PARENT) if r.source.name == route_name)


def test_index_is_cached(ctx):
    idx = attachment.index(ctx)
    assert attachment.index(ctx) is idx
    assert ctx.cache["attachments"] is idx


def test_listeners_merge_allowed_listenersets(ctx):
    gw = ctx.of_kind("Gateway")[0]
    merged = attachment.listeners(ctx, gw)
    assert [(ls.owner.kind, ls.name, ls.port, ls.protocol, ls.hostname) for ls in merged] == [
        ("Gateway", "http", 80, "HTTP", None),
        ("Gateway", "https", 443, "HTTPS", "*.example.com"),
        ("Gateway", "raw", 9000, "TCP", None),
        ("ListenerSet", "http", 8080, "HTTP", "shop.example.com"),
    ]
    ls_listener = merged[3]
    assert ls_listener.gateway is gw and ls_listener.path == ("spec", "listeners", 0)
    assert ls_listener.allowed_from == "Same"  # the CRD default
    assert merged[0].allowed_kinds == ((GATEWAY_GROUP, "HTTPRoute"), (GATEWAY_GROUP, "GRPCRoute"))
    assert merged[2].allowed_kinds == ((GATEWAY_GROUP, "TCPRoute"),)
    assert merged[1].tls_mode == "Terminate"
    assert len(attachment.index(ctx).all_listeners()) == 4


def test_for_ref_gives_every_candidate_with_its_verdict(ctx):
    idx = attachment.index(ctx)
    atts = idx.for_ref(_ref(ctx, "web"))
    # a parentRef to the Gateway selects the Gateway's own listeners, not the ListenerSet's
    assert [(a.listener.name, a.accepted, a.reason, a.cause, a.hostnames) for a in atts] == [
        ("http", True, None, None, ("shop.example.com", "shop.example.net")),
        ("https", True, None, None, ("shop.example.com",)),
        ("raw", False, "NotAllowedByListeners", "protocol", ()),
    ]
    v = idx.verdict(_ref(ctx, "web"))
    assert v.accepted is True and v.reason is None and v.parent.kind == "Gateway"


def test_any_host_convention(ctx):
    idx = attachment.index(ctx)
    [att] = idx.for_ref(_ref(ctx, "any"))
    assert att.accepted and att.hostnames == (ANY_HOST,)


def test_route_attaches_to_listenerset_listeners_via_the_listenerset(ctx):
    idx = attachment.index(ctx)
    [att] = idx.for_ref(_ref(ctx, "via-set"))
    assert att.listener.owner.kind == "ListenerSet"
    assert att.accepted and att.hostnames == ("shop.example.com",)


def test_accepted_and_on_listener(ctx):
    idx = attachment.index(ctx)
    accepted = list(idx.accepted())
    assert sorted((a.route.name, a.listener.name, a.listener.owner.kind) for a in accepted) == [
        ("any", "http", "Gateway"), ("via-set", "http", "ListenerSet"),
        ("web", "http", "Gateway"), ("web", "https", "Gateway")]
    gw = ctx.of_kind("Gateway")[0]
    http, _https, raw, _ = attachment.listeners(ctx, gw)
    assert sorted(a.route.name for a in idx.on_listener(http)) == ["any", "web"]
    assert idx.on_listener(raw) == []
    assert [a.route.name for a in idx.candidates_on(raw)] == ["web"]


def test_no_matching_parent_verdict(tmp_path):
    files = dict(FILES)
    files["routes.yaml"] = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: app}
        spec:
          parentRefs:
          - {name: web, namespace: infra, sectionName: nope}
    """
    ctx = make_ctx(tmp_path, files)
    idx = attachment.index(ctx)
    ref = _ref(ctx, "web")
    assert idx.for_ref(ref) == []
    v = idx.verdict(ref)
    assert (v.accepted, v.reason) == (False, "NoMatchingParent")
    assert [ls.name for ls in v.listeners] == ["http", "https", "raw"]


def test_unknown_verdict(tmp_path):
    files = dict(FILES)
    files["gateway.yaml"] = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: web, namespace: infra}
        spec:
          gatewayClassName: envoy
          listeners:
          - name: http
            port: 80
            protocol: HTTP
            allowedRoutes:
              namespaces: {from: Selector, selector: {matchLabels: {team: web}}}
    """
    ctx = make_ctx(tmp_path, files)
    v = attachment.index(ctx).verdict(_ref(ctx, "any"))
    assert (v.accepted, v.reason) == (None, "Unknown")
    [att] = v.candidates
    assert (att.accepted, att.reason, att.cause, att.namespace_ok) == (
        False, "Unknown", "namespace-unknown", None)


def test_listenerset_allowed(ctx):
    idx = attachment.index(ctx)
    ls = ctx.of_kind("ListenerSet")[0]
    assert idx.listenerset_allowed(ls) is True
    assert idx.listenerset_parent(ls).target.name == "web"


def test_bad_types_do_not_crash(tmp_path):
    files = {
        "gateway.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: web, namespace: infra}
            spec:
              gatewayClassName: 7
              allowedListeners: [1, 2]
              listeners:
              - name: [x]
                port: "80"
                protocol: {a: b}
                hostname: 5
                allowedRoutes: {namespaces: {from: Selector, selector: [1]}, kinds: [1, {kind: 2}]}
              - 17
              - {name: tls, port: 443, protocol: TLS, tls: "x"}
        """,
        "route.yaml": """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: web, namespace: infra}
            spec:
              parentRefs: [{name: web, port: true, sectionName: 3}, 5]
              hostnames: [1, null, "*.example.com"]
        """,
    }
    ctx = make_ctx(tmp_path, files)
    idx = attachment.index(ctx)
    list(idx.accepted())
    idx.conflicts()
    from gwlint.registry import all_rules
    for r in all_rules():
        if r.code.startswith("GW2"):
            list(r.check(ctx))


@pytest.mark.slow  # loads 10,000 routes (CI runs it: python -m pytest -m slow)
def test_scale_linear(tmp_path):
    """10,000 routes on 100 Gateways: building the index stays well under a second."""
    docs = ["""\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec: {controllerName: example.com/gateway-controller}
"""]
    for g in range(100):
        docs.append(f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {{name: gw{g}, namespace: infra}}
spec:
  gatewayClassName: envoy
  listeners:
  - {{name: http, port: 80, protocol: HTTP, allowedRoutes: {{namespaces: {{from: All}}}}}}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: "*.example.com"
    tls: {{certificateRefs: [{{name: c}}]}}
    allowedRoutes: {{namespaces: {{from: All}}}}
""")
    for r in range(10_000):
        docs.append(f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r{r}, namespace: ns{r % 50}}}
spec:
  parentRefs: [{{name: gw{r % 100}, namespace: infra}}]
  hostnames: [h{r}.example.com]
""")
    ctx = make_ctx(tmp_path, {"all.yaml": "---\n".join(docs)}, select=["GW2"])
    start = time.process_time()  # CPU time: other processes do not count
    idx = attachment.index(ctx)
    idx.conflicts()
    elapsed = time.process_time() - start
    assert sum(1 for _ in idx.accepted()) == 20_000
    assert elapsed < 1.0, elapsed


def test_refused_listenerset_gives_no_verdict(tmp_path):
    files = dict(FILES)
    files["gateway.yaml"] = files["gateway.yaml"].replace(
        "          allowedListeners:\n            namespaces: {from: All}\n", "")
    ctx = make_ctx(tmp_path, files)
    idx = attachment.index(ctx)
    ls = ctx.of_kind("ListenerSet")[0]
    assert idx.listenerset_allowed(ls) is False
    assert idx.verdict(_ref(ctx, "via-set")) is None
    gw = ctx.of_kind("Gateway")[0]
    assert [x.owner.kind for x in attachment.listeners(ctx, gw)] == ["Gateway"] * 3
