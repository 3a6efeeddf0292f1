"""GW209 overlapping-tls-config: listeners, paths and the predicted condition."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW209"


def test_conformance_manifest():
    out = fixture_findings(CODE, "bad_conformance_overlapping_hostnames.yaml")
    assert sorted(f["listener"] for f in out) == sorted([
        "foo-example-https", "bar-example-https", "wildcard-example-https",
        "wildcard-other-https", "wildcard-bar-other-https"])
    first = out[0]
    assert first["path"] == "/spec/listeners/0/hostname"
    assert primary(first) == {"type": "OverlappingTLSConfig", "status": "True",
                                 "reason": "OverlappingHostnames"}


def test_listener_without_hostname_is_located_at_the_listener():
    out = fixture_findings(CODE, "bad_listener_without_hostname_overlaps.yaml")
    assert [(f["path"], f["listener"]) for f in out] == [
        ("/spec/listeners/0", "fallback"), ("/spec/listeners/1/hostname", "shop")]


def test_shared_certificate_is_still_overlapping_hostnames():
    """Both listeners use the same Secret: still OverlappingHostnames
    (GatewayOverlappingTLSConfigHostnames)."""
    found = fixture_findings(CODE, "bad_shared_certificate.yaml")
    assert [primary(f) for f in found] == [{"type": "OverlappingTLSConfig", "status": "True",
                                            "reason": "OverlappingHostnames"}] * 2
