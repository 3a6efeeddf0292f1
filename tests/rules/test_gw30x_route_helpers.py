"""Helpers shared by the traffic and conflict rules (gwlint/rules/_routes.py), and robustness of
GW3xx/GW4xx against mistyped input (the schema stage reports it; the rules must not crash)."""

from __future__ import annotations

from gwlint.rules._routes import HostIndex, pct


def test_pct_formatting():
    assert [pct(90, 91), pct(1, 91), pct(1, 4), pct(1, 10000), pct(9999, 10000), pct(0, 3),
            pct(3, 3)] == ["98.9%", "1.1%", "25%", "0.01%", "99.99%", "0%", "100%"]


def test_host_index_overlap_rules():
    idx = HostIndex()
    idx.add("*.example.com", "wild")
    assert idx.overlapping("a.example.com") == "wild"
    assert idx.overlapping("a.b.example.com") == "wild"
    assert idx.overlapping("*.b.example.com") == "wild"
    assert idx.overlapping("example.com") is None
    assert idx.overlapping("a.example.net") is None
    assert idx.overlapping("*") == "wild"
    exact = HostIndex()
    exact.add("api.example.com", "api")
    assert exact.overlapping("*.example.com") == "api"
    assert exact.overlapping("API.example.com") == "api"
    assert exact.overlapping("*.com") == "api"
    assert exact.overlapping("*.other.com") is None
    anyhost = HostIndex()
    anyhost.add("*", "any")
    assert anyhost.overlapping("x.y") == "any"


BAD = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: bad
  namespace: app
spec:
  parentRefs: [{name: gw, namespace: infra}, 7, {sectionName: [1]}]
  hostnames: [7, null, "a.example.com", {x: 1}]
  rules:
  - 5
  - matches: "all"
    backendRefs: {name: web}
  - matches: [7, {path: 3, headers: [{name: 1}, 2, {name: X, value: {a: 1}}]}, {method: [1]}]
    backendRefs: [3, {name: web, weight: "90"}, {name: web, port: "x", weight: -3}, {port: 1}]
    filters: [1, {type: 3}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: bad
  namespace: app
spec:
  parentRefs: [{name: gw, namespace: infra}]
  hostnames: "x"
  rules: [{matches: [{method: 3, headers: "h"}, {method: {service: 1}}]}, null]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: envoy
  allowedListeners: {namespaces: {from: Selector, selector: [1]}}
  listeners:
  - 3
  - {name: http, port: 80, protocol: HTTP, hostname: 7,
     allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: [1],
                                                            matchExpressions: [3, {key: 4}]}}}}
  - {name: all, port: 81, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
"""


def test_rules_survive_bad_types(lint_tree):
    out = lint_tree({"bad.yaml": BAD}, select=["GW3", "GW4", "GW305"])
    assert all(f["rule"].startswith(("GW3", "GW4")) for f in out)
