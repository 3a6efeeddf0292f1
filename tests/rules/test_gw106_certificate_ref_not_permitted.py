"""GW106 certificate-ref-not-permitted: listener, predicted condition and hints of the fixtures in
tests/rules/GW106/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_listener_certificate_without_grant() -> None:
    [f] = fixture_findings("GW106", "bad_cross_namespace_certificate.yaml")
    assert f["path"] == "/spec/listeners/0/tls/certificateRefs/0" and f["listener"] == "https"
    assert primary(f) == {"type": "ResolvedRefs", "status": "False", "reason": "RefNotPermitted"}
    assert f["message"] == ("certificateRef to Secret 'shop-tls' in namespace 'shop' is not "
                            "permitted: no ReferenceGrant there allows Gateway from namespace "
                            "'infra'")
    assert "from Gateway in 'infra' to Secret 'shop-tls'" in f["hint"]


def test_gateway_grant_does_not_cover_a_listenerset() -> None:
    [f] = fixture_findings("GW106", "bad_gateway_grant_does_not_cover_listenerset.yaml")
    assert f["listener"] == "shop" and f["resource"]["kind"] == "ListenerSet"
    assert "does not apply: it permits references from Gateway, not from ListenerSet" in f["hint"]


def test_client_certificate_ref() -> None:
    [f] = fixture_findings("GW106", "bad_client_certificate_ref.yaml")
    assert (f["path"], f["listener"]) == ("/spec/tls/backend/clientCertificateRef", None)
    assert f["message"].startswith("clientCertificateRef to Secret 'client-tls'")


def test_unknown_namespace_says_how_to_declare_its_grants() -> None:
    [f] = fixture_findings("GW106", "bad_unknown_namespace_warning.yaml")
    assert f["hint"].endswith("--assume-exists 'ReferenceGrant/certs/*'")
