"""GW107 certificate-ref-invalid: messages, predicted conditions and related Secrets of the
fixtures in tests/rules/GW107/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

INVALID = {"type": "ResolvedRefs", "status": "False", "reason": "InvalidCertificateRef"}


def test_missing_secret() -> None:
    [f] = fixture_findings("GW107", "bad_missing_secret.yaml")
    assert f["path"] == "/spec/listeners/0/tls/certificateRefs/0" and f["listener"] == "https"
    assert primary(f) == INVALID
    assert f["message"] == "certificateRef Secret 'shop-tls' not found in namespace 'infra'"


def test_wrong_type_and_missing_keys_are_reported_together() -> None:
    [f] = fixture_findings("GW107", "bad_wrong_type_and_missing_keys.yaml")
    assert f["message"] == ("certificateRef Secret 'shop-tls' in namespace 'infra' has type "
                            "'Opaque', not 'kubernetes.io/tls' and has no tls.crt and tls.key")
    assert [r["line"] for r in f["related"]] == [7]  # the Secret's type


def test_missing_key() -> None:
    [f] = fixture_findings("GW107", "bad_missing_key.yaml")
    assert f["message"].endswith("has no tls.key")


def test_unknown_namespace_says_how_to_declare_the_secret() -> None:
    [f] = fixture_findings("GW107", "bad_unknown_namespace_warning.yaml")
    assert "--assume-exists 'Secret/edge/*'" in f["hint"]


def test_client_certificate_ref_predicts_its_own_reason() -> None:
    [f] = fixture_findings("GW107", "bad_client_certificate_ref_missing.yaml")
    assert f["path"] == "/spec/tls/backend/clientCertificateRef"
    assert primary(f) == {"type": "ResolvedRefs", "status": "False",
                             "reason": "InvalidClientCertificateRef"}
