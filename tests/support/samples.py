"""Realistic, valid sample objects for every kind of every bundled release.

Used by the schema tests (valid manifests must produce zero violations) and by
benchmarks/bench_schema.py (corpus generation). Builders take the release and channel
because fields and apiVersions appear over time (e.g. HTTPRoute ``timeouts`` reached the
standard channel in v1.2, ListenerSet in v1.5).
"""

from __future__ import annotations

import copy
from typing import Any
from collections.abc import Callable, Iterator

GW = "gateway.networking.k8s.io"
XGW = "gateway.networking.x-k8s.io"


def rel(release: str) -> tuple[int, ...]:
    return tuple(int(x) for x in release.lstrip("v").split("."))


class Features:
    """When a field is available, per channel (taken from the CRDs' field history)."""

    def __init__(self, release: str, channel: str) -> None:
        self.r = rel(release)[:2]
        self.exp = channel == "experimental"

    def since(self, standard: tuple[int, int] | None,
              experimental: tuple[int, int] | None = None) -> bool:
        exp = experimental if experimental is not None else standard
        if self.exp:
            return exp is not None and self.r >= exp
        return standard is not None and self.r >= standard


def _meta(name: str, namespace: str | None = "default", **labels: str) -> dict:
    meta: dict[str, Any] = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    if labels:
        meta["labels"] = dict(labels)
    return meta


def gateway_class(release: str, channel: str, i: int = 0, version: str = "v1") -> dict:
    return {
        "apiVersion": f"{GW}/{version}", "kind": "GatewayClass",
        "metadata": _meta(f"class-{i}", None),
        "spec": {"controllerName": "example.com/gateway-controller",
                 "description": "Example class"},
    }


def _listeners(f: Features, i: int, with_l4: bool) -> list[dict]:
    listeners: list[dict] = [
        {"name": "http", "protocol": "HTTP", "port": 80, "hostname": f"*.app{i}.example.com",
         "allowedRoutes": {"namespaces": {"from": "All"}}},
        {"name": "https", "protocol": "HTTPS", "port": 443, "hostname": f"www.app{i}.example.com",
         "tls": {"mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": f"cert-{i}"}]},
         "allowedRoutes": {"namespaces": {"from": "Selector",
                                          "selector": {"matchLabels": {"team": "web"}}},
                           "kinds": [{"kind": "HTTPRoute"}]}},
        {"name": "tls-passthrough", "protocol": "TLS", "port": 8443,
         "hostname": f"db{i}.example.com",
         "tls": {"mode": "Passthrough"}, "allowedRoutes": {"kinds": [{"kind": "TLSRoute"}]}},
    ]
    if with_l4:
        listeners.append({"name": "tcp", "protocol": "TCP", "port": 5432,
                          "allowedRoutes": {"kinds": [{"kind": "TCPRoute"}]}})
        listeners.append({"name": "dns", "protocol": "UDP", "port": 53,
                          "allowedRoutes": {"kinds": [{"kind": "UDPRoute"}]}})
    return listeners


def gateway(release: str, channel: str, i: int = 0, version: str = "v1") -> dict:
    f = Features(release, channel)
    spec: dict[str, Any] = {
        "gatewayClassName": "example",
        "listeners": _listeners(f, i, with_l4=True),
        "addresses": [{"type": "IPAddress", "value": f"10.0.{i % 250}.1"}],
    }
    if f.since((1, 2), (1, 0)):
        spec["infrastructure"] = {"labels": {"app.kubernetes.io/part-of": "edge"},
                                  "annotations": {"example.com/owner": "platform"}}
    if f.since((1, 5), (1, 3)):
        spec["allowedListeners"] = {"namespaces": {
            "from": "Selector", "selector": {"matchLabels": {"gateway-access": "true"}}}}
    if f.since((1, 5), (1, 4)):
        spec["tls"] = {"frontend": {"default": {"validation": {
            "caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "client-ca"}]}}}}
    spec["listeners"][1]["tls"]["options"] = {"example.com/min-tls-version": "1.2"}
    return {"apiVersion": f"{GW}/{version}", "kind": "Gateway", "metadata": _meta(f"gw-{i}"),
            "spec": spec}


def http_route(release: str, channel: str, i: int = 0, version: str = "v1", rules: int = 3) -> dict:
    f = Features(release, channel)
    all_rules: list[dict] = [
        {
            "matches": [
                {"path": {"type": "PathPrefix", "value": f"/api/v{i % 3 + 1}"},
                 "headers": [{"name": "X-Tenant", "value": f"t{i}"}, {"type": "RegularExpression",
                                                                      "name": "X-Env",
                                                                      "value": "prod|staging"}],
                 "queryParams": [{"name": "debug", "value": "0"}], "method": "GET"},
                {"path": {"type": "Exact", "value": "/healthz"}},
            ],
            "filters": [
                {"type": "RequestHeaderModifier",
                 "requestHeaderModifier": {"set": [{"name": "X-Route", "value": f"r{i}"}],
                                           "remove": ["X-Debug"]}},
                {"type": "ResponseHeaderModifier",
                 "responseHeaderModifier": {"add": [{"name": "X-Served-By", "value": "gw"}]}},
            ],
            "backendRefs": [
                {"name": f"api-{i}", "port": 8080, "weight": 90},
                {"name": f"api-canary-{i}", "port": 8080, "weight": 10},
            ],
        },
        {
            "matches": [{"path": {"type": "PathPrefix", "value": "/old"}}],
            "filters": [{"type": "RequestRedirect",
                         "requestRedirect": {"scheme": "https", "statusCode": 301,
                                             "path": {"type": "ReplacePrefixMatch",
                                                      "replacePrefixMatch": "/new"}}}],
        },
        {
            "matches": [{"path": {"type": "PathPrefix", "value": "/static"}}],
            "filters": [
                {"type": "URLRewrite", "urlRewrite": {
                    "hostname": "cdn.example.com",
                    "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}},
                {"type": "RequestMirror",
                 "requestMirror": {"backendRef": {"name": f"shadow-{i}", "port": 80}}},
            ],
            "backendRefs": [{"name": f"static-{i}", "port": 80}],
        },
        {"backendRefs": [{"name": f"web-{i}", "port": 80}]},
    ]
    chosen = [copy.deepcopy(all_rules[k % len(all_rules)]) for k in range(rules)]
    if rules >= 3:
        # per-backend filter
        chosen[2]["backendRefs"][0]["filters"] = [
            {"type": "RequestHeaderModifier",
             "requestHeaderModifier": {"add": [{"name": "X-Backend", "value": "s"}]}}]
        if f.since((1, 3), (1, 2)):
            chosen[2]["filters"][1]["requestMirror"]["percent"] = 10
    if rules >= 4 and f.since((1, 5), (1, 3)):
        chosen[3]["filters"] = [{"type": "CORS", "cors": {
            "allowOrigins": ["https://app.example.com", "https://*.example.org"],
            "allowMethods": ["GET", "POST"],
            "allowHeaders": ["Authorization"], "exposeHeaders": ["X-Request-Id"],
            "allowCredentials": True,
            "maxAge": 600}}]
    if rules >= 4 and f.since(None, (1, 4)):
        chosen[3]["filters"] = chosen[3].get("filters", []) + [{
            "type": "ExternalAuth", "externalAuth": {
            "protocol": "HTTP", "backendRef": {"name": "authz", "port": 8080},
            "http": {"path": "/check"}}}]
    if f.since((1, 2), (1, 0)):
        chosen[0]["timeouts"] = {"request": "10s", "backendRequest": "2s"}
    if f.since((1, 4), (1, 2)):
        for k, rule in enumerate(chosen):
            rule["name"] = f"rule-{k}"
    if f.since(None, (1, 1)):
        chosen[-1]["sessionPersistence"] = {"sessionName": "sticky", "type": "Cookie",
                                            "absoluteTimeout": "1h",
                                            "cookieConfig": {"lifetimeType": "Permanent"}}
    if f.since(None, (1, 2)):
        chosen[0]["retry"] = {"codes": [502, 503], "attempts": 2, "backoff": "100ms"}
    return {
        "apiVersion": f"{GW}/{version}", "kind": "HTTPRoute",
        "metadata": _meta(f"route-{i}", "default", app=f"app-{i}"),
        "spec": {
            "parentRefs": [{"name": f"gw-{i % 7}", "namespace": "infra", "sectionName": "https"},
                           {"name": f"gw-{i % 7}", "namespace": "infra", "sectionName": "http"}],
            "hostnames": [f"www.app{i}.example.com", f"api.app{i}.example.com"],
            "rules": chosen,
        },
    }


def grpc_route(release: str, channel: str, i: int = 0, version: str | None = None) -> dict:
    version = version or ("v1" if rel(release) >= (1, 1) else "v1alpha2")
    return {
        "apiVersion": f"{GW}/{version}", "kind": "GRPCRoute",
        "metadata": _meta(f"grpc-{i}"),
        "spec": {
            "parentRefs": [{"name": f"gw-{i % 7}", "sectionName": "https"}],
            "hostnames": [f"grpc{i}.example.com"],
            "rules": [
                {"matches": [{"method": {"service": "com.example.User", "method": "Login"},
                              "headers": [{"name": "x-tenant", "value": "a"}]}],
                 "filters": [{"type": "RequestHeaderModifier",
                              "requestHeaderModifier": {
                                  "add": [{"name": "x-grpc", "value": "1"}]}}],
                 "backendRefs": [{"name": f"user-{i}", "port": 9000, "weight": 1}]},
                {"matches": [{"method": {"type": "Exact", "service": "com.example.Health"}}],
                 "backendRefs": [{"name": f"health-{i}", "port": 9001}]},
            ],
        },
    }


def tls_route(release: str, channel: str, i: int = 0, version: str | None = None) -> dict:
    version = version or ("v1" if rel(release) >= (1, 5) else "v1alpha2")
    return {
        "apiVersion": f"{GW}/{version}", "kind": "TLSRoute", "metadata": _meta(f"tls-{i}"),
        "spec": {"parentRefs": [{"name": "gw-0", "sectionName": "tls-passthrough"}],
                 "hostnames": [f"db{i}.example.com", "*.db.example.com"],
                 "rules": [{"backendRefs": [{"name": f"db-{i}", "port": 5432}]}]},
    }


def tcp_route(release: str, channel: str, i: int = 0, version: str | None = None) -> dict:
    version = version or ("v1" if rel(release) >= (1, 6) else "v1alpha2")
    return {
        "apiVersion": f"{GW}/{version}", "kind": "TCPRoute", "metadata": _meta(f"tcp-{i}"),
        "spec": {"parentRefs": [{"name": "gw-0", "sectionName": "tcp"}],
                 "rules": [{"backendRefs": [{"name": f"pg-{i}", "port": 5432}]}]},
    }


def udp_route(release: str, channel: str, i: int = 0, version: str | None = None) -> dict:
    version = version or ("v1" if rel(release) >= (1, 6) else "v1alpha2")
    return {
        "apiVersion": f"{GW}/{version}", "kind": "UDPRoute", "metadata": _meta(f"udp-{i}"),
        "spec": {"parentRefs": [{"name": "gw-0", "sectionName": "dns"}],
                 "rules": [{"backendRefs": [{"name": f"coredns-{i}", "port": 53}]}]},
    }


def reference_grant(release: str, channel: str, i: int = 0, version: str = "v1beta1") -> dict:
    return {
        "apiVersion": f"{GW}/{version}", "kind": "ReferenceGrant",
        "metadata": _meta(f"allow-routes-{i}", f"backend-{i % 5}"),
        "spec": {"from": [{"group": GW, "kind": "HTTPRoute", "namespace": "default"},
                          {"group": GW, "kind": "GRPCRoute", "namespace": "default"}],
                 "to": [{"group": "", "kind": "Service"},
                        {"group": "", "kind": "Secret", "name": f"cert-{i}"}]},
    }


def backend_tls_policy(release: str, channel: str, i: int = 0, version: str | None = None) -> dict:
    r = rel(release)
    if version is None:
        version = "v1" if r >= (1, 4) else ("v1alpha3" if r >= (1, 1) else "v1alpha2")
    meta = _meta(f"backend-tls-{i}")
    if version == "v1alpha2":
        spec: dict[str, Any] = {
            "targetRef": {"group": "", "kind": "Service", "name": f"api-{i}"},
            "tls": {"caCertRefs": [{"group": "", "kind": "ConfigMap", "name": "ca"}],
                    "hostname": "api.internal"},
        }
    else:
        spec = {
            "targetRefs": [{"group": "", "kind": "Service", "name": f"api-{i}",
                            "sectionName": "https"}],
            "validation": {"caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": "ca"}],
                           "hostname": "api.internal"},
        }
        if r >= (1, 2):
            spec["validation"]["subjectAltNames"] = [{"type": "Hostname",
                                                      "hostname": "api.internal"},
                                                     {"type": "URI", "uri": "spiffe://cluster.local/ns/default/sa/api"}]
    return {"apiVersion": f"{GW}/{version}", "kind": "BackendTLSPolicy", "metadata": meta,
            "spec": spec}


def listener_set(release: str, channel: str, i: int = 0) -> dict | None:
    r = rel(release)[:2]
    if r >= (1, 5):
        api, kind = f"{GW}/v1", "ListenerSet"
    elif channel == "experimental" and r >= (1, 3):
        api, kind = f"{XGW}/v1alpha1", "XListenerSet"
    else:
        return None
    return {
        "apiVersion": api, "kind": kind, "metadata": _meta(f"team-listeners-{i}"),
        "spec": {
            "parentRef": {"name": "gw-0", "namespace": "infra"},
            "listeners": [
                {"name": "team-http", "protocol": "HTTP", "port": 8080,
                 "hostname": f"team{i}.example.com"},
                {"name": "team-https", "protocol": "HTTPS", "port": 8443,
                 "hostname": f"team{i}.example.com",
                 "tls": {"mode": "Terminate", "certificateRefs": [{"name": f"team-cert-{i}"}]}},
            ],
        },
    }


def service(i: int = 0, ports: int = 2) -> dict:
    all_ports = [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"},
                 {"name": "https", "port": 443, "targetPort": "https"},
                 {"name": "grpc", "port": 9000, "targetPort": 9000,
                  "appProtocol": "kubernetes.io/h2c"}]
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": _meta(f"api-{i}", "default", app=f"api-{i}"),
            "spec": {"selector": {"app": f"api-{i}"}, "ports": all_ports[:max(1, ports)]}}


def secret(i: int = 0) -> dict:
    return {"apiVersion": "v1", "kind": "Secret", "metadata": _meta(f"cert-{i}"),
            "type": "kubernetes.io/tls",
            "data": {"tls.crt": "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t",
                     "tls.key": "LS0tLS1CRUdJTg=="}}


def namespace(i: int = 0) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace",
            "metadata": _meta(f"team-{i}", None, team="web")}


def config_map(i: int = 0) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(f"ca-{i}"),
            "data": {"ca.crt": "-----BEGIN CERTIFICATE-----"}}


def gateway_api_samples(release: str, channel: str) -> Iterator[dict]:
    """One valid object of every Gateway API kind the release/channel serves."""
    r = rel(release)[:2]
    exp = channel == "experimental"
    yield gateway_class(release, channel)
    yield gateway(release, channel)
    yield http_route(release, channel, rules=4)
    yield reference_grant(release, channel)
    if r >= (1, 1) or exp:
        yield grpc_route(release, channel)
    if exp or r >= (1, 5):
        yield tls_route(release, channel)
    if exp or r >= (1, 6):
        yield tcp_route(release, channel)
        yield udp_route(release, channel)
    if exp or r >= (1, 4):
        yield backend_tls_policy(release, channel)
    ls = listener_set(release, channel)
    if ls is not None:
        yield ls


def core_samples() -> Iterator[dict]:
    yield service()
    yield secret()
    yield namespace()
    yield config_map()


Builder = Callable[..., dict]
