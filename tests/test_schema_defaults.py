"""CRD defaults are applied in place, and the defaulted paths are reported."""

from __future__ import annotations

import pytest

from gwlint.schema import SchemaSet, artifacts, bundled_versions, defaults

GW = "gateway.networking.k8s.io"


def process(obj: dict, release: str = "v1.6.1", channel: str = "standard"):
    return SchemaSet(release, channel).process(obj["apiVersion"], obj["kind"], obj)


def minimal_route() -> dict:
    return {"apiVersion": f"{GW}/v1", "kind": "HTTPRoute",
            "metadata": {"name": "r", "namespace": "default"},
            "spec": {"parentRefs": [{"name": "gw"}],
                     "rules": [{"backendRefs": [{"name": "svc", "port": 80}]},
                               {"matches": [{"path": {"value": "/x"}}],
                                "backendRefs": [{"name": "svc2", "port": 80, "weight": 1}]}]}}


@pytest.mark.parametrize("release", bundled_versions())
def test_parent_ref_group_and_kind_are_defaulted(release):
    route = minimal_route()
    violations, defaulted = process(route, release)
    assert violations == []
    assert route["spec"]["parentRefs"][0]["group"] == GW
    assert route["spec"]["parentRefs"][0]["kind"] == "Gateway"
    assert ("spec", "parentRefs", 0, "group") in defaulted
    assert ("spec", "parentRefs", 0, "kind") in defaulted


def test_backend_ref_weight_default_is_recorded():
    route = minimal_route()
    _, defaulted = process(route)
    assert route["spec"]["rules"][0]["backendRefs"][0]["weight"] == 1
    assert ("spec", "rules", 0, "backendRefs", 0, "weight") in defaulted
    # an explicit weight: 1 is not a default
    assert route["spec"]["rules"][1]["backendRefs"][0]["weight"] == 1
    assert ("spec", "rules", 1, "backendRefs", 0, "weight") not in defaulted
    assert route["spec"]["rules"][0]["backendRefs"][0]["group"] == ""
    assert route["spec"]["rules"][0]["backendRefs"][0]["kind"] == "Service"


def test_rule_without_matches_gets_path_prefix_slash():
    route = minimal_route()
    _, defaulted = process(route)
    assert route["spec"]["rules"][0]["matches"] == [{"path": {"type": "PathPrefix", "value": "/"}}]
    assert ("spec", "rules", 0, "matches") in defaulted
    # defaults inside list items: a match whose path lacks a type gets PathPrefix
    assert route["spec"]["rules"][1]["matches"][0]["path"] == {"type": "PathPrefix", "value": "/x"}
    assert ("spec", "rules", 1, "matches", 0, "path", "type") in defaulted
    assert ("spec", "rules", 1, "matches", 0, "path", "value") not in defaulted


def test_route_without_rules_gets_the_default_rule():
    route = minimal_route()
    del route["spec"]["rules"]
    violations, defaulted = process(route)
    assert violations == []
    assert route["spec"]["rules"] == [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}]}]
    assert ("spec", "rules") in defaulted


def test_gateway_listener_allowed_routes_from_same():
    gw = {"apiVersion": f"{GW}/v1", "kind": "Gateway",
          "metadata": {"name": "g", "namespace": "infra"},
          "spec": {"gatewayClassName": "c",
                   "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]}}
    violations, defaulted = process(gw)
    assert violations == []
    listener = gw["spec"]["listeners"][0]
    assert listener["allowedRoutes"]["namespaces"]["from"] == "Same"
    assert ("spec", "listeners", 0, "allowedRoutes") in defaulted
    # an explicit allowedRoutes without namespaces gets namespaces.from defaulted inside it
    gw["spec"]["listeners"][0]["allowedRoutes"] = {"kinds": [{"kind": "HTTPRoute"}]}
    _, defaulted = process(gw)
    assert gw["spec"]["listeners"][0]["allowedRoutes"]["namespaces"] == {"from": "Same"}
    assert ("spec", "listeners", 0, "allowedRoutes", "namespaces") in defaulted
    assert gw["spec"]["listeners"][0]["allowedRoutes"]["kinds"][0]["group"] == GW


def test_https_listener_tls_mode_defaults_to_terminate():
    gw = {"apiVersion": f"{GW}/v1", "kind": "Gateway", "metadata": {"name": "g"},
          "spec": {"gatewayClassName": "c", "listeners": [
              {"name": "https", "protocol": "HTTPS", "port": 443,
               "tls": {"certificateRefs": [{"name": "c"}]}}]}}
    violations, defaulted = process(gw)
    assert violations == []
    assert gw["spec"]["listeners"][0]["tls"]["mode"] == "Terminate"
    assert gw["spec"]["listeners"][0]["tls"]["certificateRefs"][0]["kind"] == "Secret"
    assert ("spec", "listeners", 0, "tls", "mode") in defaulted


def test_defaults_are_copies():
    a, b = minimal_route(), minimal_route()
    process(a)
    process(b)
    a["spec"]["rules"][0]["matches"][0]["path"]["value"] = "/changed"
    assert b["spec"]["rules"][0]["matches"][0]["path"]["value"] == "/"


def test_null_replaced_by_default():
    route = minimal_route()
    route["spec"]["parentRefs"][0]["kind"] = None
    _, defaulted = process(route)
    assert route["spec"]["parentRefs"][0]["kind"] == "Gateway"
    assert ("spec", "parentRefs", 0, "kind") in defaulted


def test_defaulting_tolerates_wrong_types():
    route = minimal_route()
    route["spec"]["rules"] = {"not": "a list"}
    route["spec"]["parentRefs"] = ["gw", 3]
    violations, _ = process(route)
    assert {v.code for v in violations} == {"type"}


def test_service_port_protocol_default():
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"},
           "spec": {"ports": [{"port": 80}]}}
    violations, defaulted = process(svc)
    assert violations == []
    assert svc["spec"]["ports"][0]["protocol"] == "TCP"
    assert ("spec", "ports", 0, "protocol") in defaulted


def test_the_defaulting_code_of_every_bundled_schema_compiles():
    """Each node's function is compiled when an object first reaches the node, so the samples
    above compile only part of it: compile every node of every schema here."""
    blobs = {blob for *_, blob in artifacts.iter_served_schemas()}
    blobs |= {core["schema"] for core in artifacts.core_kinds().values()}
    functions = 0
    for blob in sorted(blobs):
        gen = defaults._Gen()
        if gen.node(artifacts.blob(blob)) is not None:
            compile("\n".join(gen.chunks.values()), "<defaults>", "exec")
            functions += len(gen.chunks)
    assert functions > 100
