"""Judging objects by implementations: the pruned detection, which report judges which object
(per Gateway), experimental kinds and fields per release, and the run-once cache."""

from __future__ import annotations

import itertools

import pytest

import gwlint.implementations as package
from gwlint.context import Context, Options
from gwlint.implementations import verdicts
from gwlint.implementations.assign import Assignment
from gwlint.implementations.bundled import NOT_CLAIMED, UNSUPPORTED, implementations
from gwlint.implementations.detection import DETECTOR_CONSTRUCTS, detect
from gwlint.implementations.experimental import _split, bundled_release, uses
from gwlint.implementations.features import CONSTRUCTS, FEATURES, GATEWAY, MESH
from gwlint.implementations.query import resolve

from .conftest import objects
from .fixtures import FIXTURES

FEATURE_SETS = [
    frozenset(), frozenset({"HTTPRouteMethodMatching"}), frozenset({"Mesh", "ListenerSet"}),
    frozenset({"MeshHTTPRouteQueryParamMatching"}),  # mesh variant only
    frozenset({"GatewayHTTPListenerIsolation", "TLSRouteModeMixed", "HTTPRouteBackendProtocolH2C"}),
    *(verdicts.interesting([impl.reports[0]]) for impl in implementations().values()),
]


def _key(needs: list) -> list:
    return [(n.feature, id(n.resource), n.path, n.construct.id, n.scope) for n in needs]


@pytest.mark.parametrize("cid", sorted(FIXTURES))
def test_pruned_detection_finds_exactly_the_needs_of_its_features(cid):
    fx = FIXTURES[cid]
    resources = objects(fx.needs, fx.release)
    every = detect(resources)
    for features in FEATURE_SETS:
        assert _key(detect(resources, features)) == _key(
            [n for n in every if n.feature in features]), sorted(features)
    own = {n.feature for n in every}
    assert _key(detect(resources, own)) == _key(every)


def test_detector_constructs_are_the_constructs_without_a_pattern():
    listed = set(itertools.chain.from_iterable(DETECTOR_CONSTRUCTS.values()))
    assert listed == {c.id for c in CONSTRUCTS if c.pattern is None}


def test_interesting_features_are_the_ones_not_claimed_as_supported():
    gke = resolve("gke")
    found = verdicts.interesting([gke])
    assert "HTTPRouteMethodMatching" in found and "HTTPRouteQueryParamMatching" not in found
    assert found == {f for f in verdicts.DETECTABLE if gke.support(f) != "supported"}
    assert verdicts.interesting([]) == frozenset()
    # without --implementation no one judges mesh routes: their Mesh* variants are not looked for
    gateway_only = verdicts.interesting([gke], mesh=False)
    assert "MeshHTTPRouteQueryParamMatching" in found
    assert "MeshHTTPRouteQueryParamMatching" not in gateway_only
    assert gateway_only == found & verdicts.DETECTABLE_GATEWAY
    assert set(FEATURES) >= verdicts.DETECTABLE


# --- which report judges which object ---------------------------------------------------------

CLASSES = """
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: envoy}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: gke}
spec: {controllerName: networking.gke.io/gateway}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: acme}
spec: {controllerName: example.com/acme}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: internal, namespace: infra}
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: All}}
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: external, namespace: infra}
spec:
  gatewayClassName: gke
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: custom, namespace: infra}
spec:
  gatewayClassName: acme
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: ListenerSet
metadata: {name: team, namespace: app}
spec:
  parentRef: {name: internal, namespace: infra}
  listeners: [{name: http, protocol: HTTP, port: 80, hostname: team.example.com}]
"""


def _route(name: str, parents: str, kind: str = "HTTPRoute") -> str:
    return f"""
apiVersion: gateway.networking.k8s.io/v1
kind: {kind}
metadata: {{name: {name}, namespace: app}}
spec:
  parentRefs: {parents}
  rules: [{{backendRefs: [{{name: {name}, port: 8080}}]}}]
"""


ROUTES = "\n---\n".join([
    _route("on-internal", "[{name: internal, namespace: infra}]"),
    _route("on-both", "[{name: internal, namespace: infra}, {name: external, namespace: infra},"
                      " {group: gateway.networking.k8s.io, kind: ListenerSet, name: team}]"),
    _route("on-listenerset", "[{group: gateway.networking.k8s.io, kind: ListenerSet, "
                             "name: team}]"),
    _route("on-custom", "[{name: custom, namespace: infra}]"),
    _route("on-missing", "[{name: missing, namespace: infra}]"),
    _route("on-service", "[{group: '', kind: Service, name: on-service}]"),
    _route("on-external", "[{name: external, namespace: infra}]"),
    _route("on-foreign", "[{group: networking.example.com, kind: Gateway, name: internal, "
                         "namespace: infra}]"),
])
POLICIES = """
apiVersion: v1
kind: Service
metadata: {name: on-external, namespace: app}
spec: {ports: [{port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: reached, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: on-external}]
  validation: {hostname: a.example.com, caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: BackendTLSPolicy
metadata: {name: unreached, namespace: app}
spec:
  targetRefs: [{group: '', kind: Service, name: nobody}]
  validation: {hostname: a.example.com, caCertificateRefs: [{group: '', kind: ConfigMap, name: ca}]}
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: grant, namespace: infra}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: app}]
  to: [{group: '', kind: Service}]
"""


def _context(text: str, implementation: str | None = None, **options) -> Context:
    return Context(objects(text), Options(implementation=implementation, **options))


def _names(served) -> list[str]:
    return sorted(s.report.implementation for s in served)


def test_each_object_is_judged_by_the_implementations_of_its_gateways():
    ctx = _context("\n---\n".join([CLASSES, ROUTES, POLICIES]))
    assign = verdicts.assignment(ctx)
    by = {r.name: r for r in ctx.resources if r.kind != "Service"}
    assert _names(assign.in_use()) == ["envoy-gateway", "gke"]
    assert [gc.name for gc in assign.unknown] == ["acme"]
    expect = {
        "internal": ["envoy-gateway"], "external": ["gke"], "custom": [], "team": ["envoy-gateway"],
        "on-internal": ["envoy-gateway"], "on-both": ["envoy-gateway", "gke"],
        "on-listenerset": ["envoy-gateway"], "on-custom": [], "on-missing": [],
        "on-external": ["gke"], "on-foreign": [],  # another API group's Gateway kind
    }
    for name, impls in expect.items():
        assert _names(assign.served(by[name], GATEWAY)) == impls, name
    assert assign.served(by["on-service"], MESH) == ()  # no object names the mesh
    assert _names(assign.served_any(by["gke"])) == ["gke"]
    # a policy by the routes that reach its Service, else by the cluster's implementations
    assert _names(assign.served_any(by["reached"])) == ["gke"]
    assert _names(assign.served_any(by["unreached"])) == ["envoy-gateway", "gke"]
    assert _names(assign.served_any(by["grant"])) == ["envoy-gateway", "gke"]
    # one Served per report, the first GatewayClass named
    assert [s.gateway_class.name for s in assign.served(by["on-both"], GATEWAY)] == ["envoy",
                                                                                     "gke"]


def test_the_chosen_implementation_judges_everything():
    ctx = _context("\n---\n".join([CLASSES, ROUTES]), implementation="istio@1.28")
    assign = verdicts.assignment(ctx)
    assert [s.report.version for s in assign.in_use()] == ["1.28"]
    assert assign.unknown == []  # nothing to report: the user named the implementation
    for res in ctx.resources:
        assert [s.report.version for s in assign.served_any(res)] == ["1.28"], res.name
    assert assign.in_use()[0].via() == "the chosen implementation (--implementation)"


def test_scopes_are_kept_apart():
    text = "\n---\n".join([CLASSES, ROUTES])
    resources = objects(text)
    for res in resources:
        res.scope = "clusters/a" if res.kind in ("GatewayClass", "Gateway") else "clusters/b"
    assign = Assignment(Context(resources, Options()))
    assert all(assign.served_any(r) == () for r in resources if r.scope == "clusters/b")


def test_verdicts_need_no_detection_without_a_known_implementation(monkeypatch):
    calls = []
    monkeypatch.setattr(verdicts, "detect", lambda *a: calls.append(a) or [])
    ctx = _context(_route("web", "[{name: gw}]"))
    assert verdicts.judged(ctx) == [] and verdicts.experimental(ctx) == []
    assert calls == []


def test_detection_runs_once_per_lint(monkeypatch):
    calls = []
    real = verdicts.detect

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(verdicts, "detect", counting)
    ctx = _context("\n---\n".join([CLASSES, ROUTES.replace("rules: [{", "rules: [{matches: "
                                                          "[{method: GET}], ")]))
    first = verdicts.of_status(ctx, UNSUPPORTED)
    second = verdicts.of_status(ctx, NOT_CLAIMED)
    assert len(calls) == 1
    # method matching: unsupported by GKE, supported by Envoy Gateway; once per route and report
    assert sorted((v.need.resource.name, v.served.report.implementation) for v in first
                  if v.need.feature == "HTTPRouteMethodMatching") == [("on-both", "gke"),
                                                                      ("on-external", "gke")]
    assert all(v.status == NOT_CLAIMED for v in second)


# --- experimental kinds and fields ------------------------------------------------------------

@pytest.mark.parametrize("pattern, steps", [
    ("spec.rules[].retry", ("spec", "rules", "[]", "retry")),
    ("spec.useDefaultGateways", ("spec", "useDefaultGateways")),
    ("spec.listeners[].tls.frontendValidation", ("spec", "listeners", "[]", "tls",
                                                 "frontendValidation")),
    ("spec.a[][].b", ("spec", "a", "[]", "[]", "b")),
])
def test_schema_patterns_split_into_steps(pattern, steps):
    assert _split(pattern) == steps


def test_releases_map_to_the_bundled_patch():
    assert bundled_release("v1.6.0") == "v1.6.1"
    assert bundled_release("v1.3.0") == "v1.3.0"
    assert bundled_release("v9.9.9") is None


def test_experimental_uses_per_release():
    cors = _route("web", "[{name: gw}]").replace(
        "rules: [{", "rules: [{filters: [{type: CORS, cors: {allowOrigins: ['https://a.b']}}], ")
    (res,) = objects(cors)
    assert [(u.path, u.what) for u in uses(res, "v1.4.0")] == [
        (("spec", "rules", 0, "filters", 0, "type"), "`spec.rules[].filters[].type: CORS`")]
    assert uses(res, "v1.6.0") == []
    retry = _route("web", "[{name: gw}]").replace("rules: [{", "rules: [{retry: {attempts: 2}}, {")
    (res,) = objects(retry)
    assert [u.path for u in uses(res, "v1.6.1")] == [("spec", "rules", 0, "retry")]
    (tcp,) = objects(_route("db", "[{name: gw}]", kind="TCPRoute").replace(
        "gateway.networking.k8s.io/v1\n", "gateway.networking.k8s.io/v1alpha2\n"),
        validate=False)  # only deprecated (GW502)
    assert [(u.path, u.what) for u in uses(tcp, "v1.6.1")] == [
        (("apiVersion",), "TCPRoute gateway.networking.k8s.io/v1alpha2")]
    (tcp_v1,) = objects(_route("db", "[{name: gw}]", kind="TCPRoute"))
    assert uses(tcp_v1, "v1.6.1") == []
    assert uses(tcp_v1, "v9.0.0") == []  # not a bundled release: nothing is claimed


def test_fields_added_by_crd_defaulting_do_not_count():
    (res,) = objects(_route("web", "[{name: gw}]").replace("rules: [{", "rules: [{name: x, "),
                     release="v1.3.0")
    assert [u.path for u in uses(res, "v1.3.0")] == [("spec", "rules", 0, "name")]
    res.defaulted = frozenset({("spec", "rules", 0, "name")})
    assert uses(res, "v1.3.0") == []


def test_every_package_export_resolves():
    for name in package.__all__:
        assert getattr(package, name) is not None, name
