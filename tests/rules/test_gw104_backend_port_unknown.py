"""GW104 backend-port-unknown: the hint names the port to use, for tests/rules/GW104/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_target_port_used_by_mistake() -> None:
    [f] = fixture_findings("GW104", "bad_target_port_instead_of_service_port.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/0/port"
    assert f["message"] == ("backendRef port 8080 is not a port of Service 'storefront' in "
                            "namespace 'shop'")
    assert f["hint"] == ("8080 is the targetPort of Service port 80: a backendRef names the "
                         "Service port, use port: 80")
    assert primary(f) == {"type": "ResolvedRefs", "status": "False",
                             "reason": "BackendNotFound"}
    assert [(r["line"], r["message"]) for r in f["related"]] == [
        (8, "ports of Service shop/storefront")]


def test_single_port_is_named() -> None:
    [f] = fixture_findings("GW104", "bad_port_of_cross_namespace_service.yaml")
    assert f["hint"] == "Service 'payments' exposes only port 8443 (https): use port: 8443"


def test_several_ports_are_listed() -> None:
    [f] = fixture_findings("GW104", "bad_mirror_and_multi_port.yaml")
    assert f["message"].startswith("requestMirror backendRef port 8080")
    assert f["hint"] == "Service 'storefront' exposes port(s) 80 (http), 9090 (metrics)"
