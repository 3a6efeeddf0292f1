"""Implementation objects that carry an annotation over, and where they apply.

Written from the documented semantics: ingress-nginx `service-upstream` (the Service's cluster IP
and port instead of its endpoints), `backend-protocol` and the `proxy-ssl-*` annotations (TLS or
HTTP/2 towards the backend), GEP-713 (a targetRef's sectionName narrows a policy to one route
rule or listener), Kubernetes DNS (`<service>.<namespace>.svc.<zone>`) and Traefik's
`router.tls` annotation (the Ingress's routers terminate TLS).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.migration.helpers import (HOST, NS, base, gateway, http_listener, https_listener,
                                     ingress, route, rule, run, service)

ANN = "nginx.ingress.kubernetes.io/"
BACKEND_GROUP = "backends.example.com"


def codes(result, key: str) -> set[str]:
    return {r.code for r in result.results if r.annotation == key}


def static_backend(host: str, port: int | None = 8080) -> dict[str, Any]:
    spec: dict[str, Any] = {"host": host}
    if port is not None:
        spec["port"] = port
    return {"apiVersion": f"{BACKEND_GROUP}/v1", "kind": "StaticBackend",
            "metadata": {"name": "api-vip", "namespace": NS}, "spec": spec}


def to_static_backend(s: dict) -> None:
    s["route"]["spec"]["rules"][0]["backendRefs"] = [
        {"group": BACKEND_GROUP, "kind": "StaticBackend", "name": "api-vip"}]


def service_policy(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "policy.example.com/v1", "kind": "BackendPolicy",
            "metadata": {"name": "api", "namespace": NS},
            "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "api"}], **spec}}


# --- a backend addressing the Service's cluster IP ---------------------------------------------
@pytest.mark.parametrize("host", [f"api.{NS}.svc", f"api.{NS}.svc.cluster.local",
                                  f"api.{NS}.svc.cluster.local."])
def test_backend_addressing_the_service_dns_name_serves_it(host):
    s = base({ANN + "service-upstream": "true"})
    s["extra"].append(static_backend(host))
    to_static_backend(s)
    result = run(s)
    assert result.problems() == [], [r.message for r in result.problems()]
    assert codes(result, ANN + "service-upstream") == {"annotation-ok"}


@pytest.mark.parametrize("host,port", [(f"web.{NS}.svc.cluster.local", 8080),
                                       ("api.other.svc.cluster.local", 8080),
                                       (f"api.{NS}.svc.cluster.local", 9090)])
def test_backend_addressing_another_service_or_port_differs(host, port):
    s = base()
    s["extra"].append(static_backend(host, port))
    to_static_backend(s)
    [r] = [r for r in run(s).problems() if r.code == "backend-differs"]
    assert "StaticBackend api-vip" in r.message


def test_backend_not_in_the_files_differs():
    s = base()
    to_static_backend(s)
    assert [r.code for r in run(s).problems()] == ["backend-differs"]


def test_service_upstream_without_replacement_is_reported():
    result = run(base({ANN + "service-upstream": "true"}))
    assert codes(result, ANN + "service-upstream") == {"annotation-no-equivalent"}


# --- policies on the backend Service ------------------------------------------------------------
BACKEND_TLS = {ANN + "backend-protocol": "HTTPS", ANN + "proxy-ssl-verify": "on",
               ANN + "proxy-ssl-name": "api.internal", ANN + "proxy-ssl-secret": f"{NS}/client"}


def test_backend_tls_annotations_missing_without_any_backend_tls():
    result = run(base(BACKEND_TLS))
    for key in BACKEND_TLS:
        assert codes(result, key) == {"annotation-missing"}, key


def test_backend_tls_by_an_implementation_policy_on_the_service():
    s = base(BACKEND_TLS)
    s["extra"].append(service_policy(backend={"tls": {"sni": "api.internal"}}))
    result = run(s)
    assert result.problems() == [], [r.message for r in result.problems()]
    for key in BACKEND_TLS:
        assert codes(result, key) == {"annotation-policy"}, key


def test_backend_tls_not_carried_by_an_unrelated_service_policy():
    s = base(BACKEND_TLS)
    s["extra"].append(service_policy(loadBalancer={"type": "RoundRobin"}))
    assert codes(run(s), ANN + "proxy-ssl-verify") == {"annotation-missing"}


def test_backend_tls_by_a_route_policy_only_when_it_says_backend_tls():
    s = base(BACKEND_TLS)
    route_policy = service_policy(frontend={"tls": {"alpnProtocols": ["h2"]}})
    route_policy["spec"]["targetRefs"] = [{"group": "gateway.networking.k8s.io",
                                           "kind": "HTTPRoute", "name": "web"}]
    s["extra"].append(route_policy)
    assert codes(run(s), ANN + "proxy-ssl-verify") == {"annotation-missing"}
    route_policy["spec"]["backend"] = {"tls": {"sni": "api.internal"}}
    assert codes(run(s), ANN + "proxy-ssl-verify") == {"annotation-policy"}


def test_grpc_backend_by_a_policy_setting_the_backend_http_version():
    s = base({ANN + "backend-protocol": "GRPC"})
    assert codes(run(s), ANN + "backend-protocol") == {"annotation-missing"}
    s["extra"].append(service_policy(backend={"http": {"version": "HTTP2"}}))
    result = run(s)
    assert codes(result, ANN + "backend-protocol") == {"annotation-policy"}


def test_grpc_backend_not_carried_by_an_unrelated_version_field():
    s = base({ANN + "backend-protocol": "GRPC"})
    s["extra"].append(service_policy(upstream={"version": "v2"},
                                     backend={"http": {"idleTimeout": "10s"}}))
    assert codes(run(s), ANN + "backend-protocol") == {"annotation-missing"}


# --- sectionName narrows a policy to one rule ---------------------------------------------------
def rule_policy(section: str | None) -> dict[str, Any]:
    ref: dict[str, Any] = {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                           "name": "web"}
    if section is not None:
        ref["sectionName"] = section
    return {"apiVersion": "policy.example.com/v1", "kind": "TrafficPolicy",
            "metadata": {"name": f"limit-{section}", "namespace": NS},
            "spec": {"targetRefs": [ref], "rateLimit": {"requests": 10}}}


def two_limited_ingresses() -> dict:
    s = base({ANN + "limit-rps": "10"})
    s["ingress_b"] = ingress("web-b", {ANN + "limit-rps": "10"},
                             paths=[("/b", "Prefix", "api", 8080)])
    s["route"] = route(rules=[rule(name="rule-a"), rule("/b", name="rule-b")])
    return s


def limit_codes(s: dict) -> dict[str, set[str]]:
    result = run(s)
    return {i: {r.code for r in result.results if r.annotation == ANN + "limit-rps"
                and r.ingress.resource.name == i} for i in ("web", "web-b")}


def test_policy_for_one_rule_does_not_cover_the_other():
    s = two_limited_ingresses()
    s["extra"].append(rule_policy("rule-a"))
    assert limit_codes(s) == {"web": {"annotation-policy"},
                              "web-b": {"annotation-no-equivalent"}}


def test_policy_per_rule_and_policy_for_the_whole_route():
    s = two_limited_ingresses()
    s["extra"] += [rule_policy("rule-a"), rule_policy("rule-b")]
    assert limit_codes(s) == {"web": {"annotation-policy"}, "web-b": {"annotation-policy"}}
    s = two_limited_ingresses()
    s["extra"].append(rule_policy(None))
    assert limit_codes(s) == {"web": {"annotation-policy"}, "web-b": {"annotation-policy"}}


def test_policy_for_a_listener_covers_only_that_listener():
    s = base({ANN + "limit-rps": "10"})
    s["gateway"] = gateway(listeners=[http_listener(), http_listener("other", "other.example")])
    s["extra"].append({"apiVersion": "policy.example.com/v1", "kind": "TrafficPolicy",
                       "metadata": {"name": "limit", "namespace": NS},
                       "spec": {"targetRefs": [{"group": "gateway.networking.k8s.io",
                                                "kind": "Gateway", "name": "gw",
                                                "sectionName": "other"}],
                                "rateLimit": {"requests": 10}}})
    assert codes(run(s), ANN + "limit-rps") == {"annotation-no-equivalent"}
    s["extra"][0]["spec"]["targetRefs"][0]["sectionName"] = "http"
    assert codes(run(s), ANN + "limit-rps") == {"annotation-policy"}


# --- Traefik router.tls --------------------------------------------------------------------------
def traefik(tls: str | None) -> dict:
    ann = {"traefik.ingress.kubernetes.io/router.tls": tls} if tls is not None else {}
    s = base(ann, cls="nginx")
    s["class"] = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                  "metadata": {"name": "traefik"},
                  "spec": {"controller": "traefik.io/ingress-controller"}}
    s["ingress"]["spec"]["ingressClassName"] = "traefik"
    s["gateway"] = gateway(listeners=[http_listener(), https_listener()])
    return s


def test_traefik_router_tls_is_served_on_https():
    s = traefik("true")
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "https"}]
    assert run(s).problems() == []
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "http"}]
    [r] = run(s).problems()
    assert r.code == "not-served" and "HTTPS" in r.message and HOST in r.message


def test_traefik_without_router_tls_is_served_on_http():
    s = traefik("false")
    s["route"]["spec"]["parentRefs"] = [{"name": "gw", "sectionName": "http"}]
    assert run(s).problems() == []


# --- a canary Ingress without a main Ingress ------------------------------------------------------
# ingress-nginx merges a canary path into the main Ingress's location for the same host and path;
# without one it deletes the canary backend ("unable to find real backend for alternative
# backend"): the path served nothing, so no route has to serve it.
def canary_only(weight: str = "30") -> dict:
    s = base({ANN + "canary": "true", ANN + "canary-weight": weight})
    s["route"] = None
    return s


def test_canary_without_main_needs_no_route():
    result = run(canary_only())
    assert result.problems() == [], [r.message for r in result.problems()]
    [r] = [r for r in result.results if r.code == "served"]
    assert r.severity == "info" and "without a main Ingress path" in r.message


def test_canary_with_main_still_needs_its_split():
    s = canary_only()
    s["main"] = ingress("web-main", paths=[("/api", "Prefix", "api", 8080)])
    s["canary_svc"] = service("api-v2")
    s["ingress"]["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"] = "api-v2"
    s["route"] = route(rules=[rule()])
    assert {r.code for r in run(s).problems()} == {"annotation-missing"}
