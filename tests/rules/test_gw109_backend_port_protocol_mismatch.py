"""GW109 backend-port-protocol-mismatch: messages explain Kubernetes' TCP default, for
tests/rules/GW109/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_udproute_to_a_port_without_protocol() -> None:
    [f] = fixture_findings("GW109", "bad_udproute_to_default_tcp_port.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/0/port"
    assert f["message"] == ("UDPRoute backendRef needs a UDP port but port 53 of Service 'dns' is "
                            "TCP (protocol unset: Kubernetes defaults it to TCP)")
    assert primary(f) == {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound"}
    assert [r["line"] for r in f["related"]] == [9]  # spec.ports[0] of the Service


def test_tcp_based_routes_to_a_udp_port() -> None:
    assert [f["message"] for f in fixture_findings("GW109", "bad_tcp_routes_to_udp_port.yaml")] == [
        "TCPRoute backendRef needs a TCP port but port 514 of Service 'dns' is UDP",
        "TLSRoute backendRef needs a TCP port but port 514 of Service 'dns' is UDP"]
