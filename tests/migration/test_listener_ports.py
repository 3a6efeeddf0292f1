"""Listener ports: clients reached the Ingress controller on 80 (HTTP) and 443 (HTTPS); the
Gateway API spec (Gateway `spec.addresses`) says the implementation MUST bind all listeners to
every address it assigns to the Gateway, each on its own `port`. A host served only through
listeners on other ports needs a port mapping outside the manifests."""

from __future__ import annotations

from gwlint.migration.results import LISTENER_PORT, RULE_OF
from tests.migration.helpers import base, problems, run


def _ports(s: dict, http: int, https: int | None = None) -> dict:
    listeners = s["gateway"]["spec"]["listeners"]
    listeners[0]["port"] = http
    if https is not None:
        listeners[1]["port"] = https
    return s


def test_standard_ports_are_quiet():
    assert not problems(run(base(tls=True)), LISTENER_PORT)


def test_https_listener_on_8443_is_reported_once_per_host():
    found = problems(run(_ports(base(tls=True, paths=[("/api", "Prefix", "api", 8080),
                                                      ("/api/v1", "Prefix", "api", 8080)]),
                                80, 8443)), LISTENER_PORT)
    assert [(r.scheme, r.severity, r.path) for r in found] == [
        ("https", "warning", ("spec", "rules", 0, "host"))]
    assert "8443" in found[0].message and "443" in found[0].message
    assert [(x.resource.kind, x.path) for x in found[0].related] == [
        ("Gateway", ("spec", "listeners", 1, "port"))]
    assert RULE_OF[LISTENER_PORT] == "GW601"


def test_http_listener_on_8080():
    found = problems(run(_ports(base(), 8080)), LISTENER_PORT)
    assert [(r.scheme, r.host) for r in found] == [("http", "shop.example.com")]
