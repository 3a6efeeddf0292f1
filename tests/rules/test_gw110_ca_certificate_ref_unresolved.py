"""GW110 ca-certificate-ref-unresolved: predicted reasons and messages, for tests/rules/GW110/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

INVALID = {"type": "ResolvedRefs", "status": "False", "reason": "InvalidCACertificateRef"}


def test_missing_configmap() -> None:
    [f] = fixture_findings("GW110", "bad_missing_configmap.yaml")
    assert f["path"] == "/spec/validation/caCertificateRefs/0" and primary(f) == INVALID


def test_configmap_without_ca_crt() -> None:
    [f] = fixture_findings("GW110", "bad_configmap_without_ca_crt.yaml")
    assert f["message"] == "caCertificateRef ConfigMap 'payments-ca' has no key 'ca.crt'"
    assert primary(f) == INVALID


def test_frontend_reference_across_namespaces_is_not_permitted() -> None:
    [f] = fixture_findings("GW110", "bad_frontend_cross_namespace_without_grant.yaml")
    assert f["path"] == "/spec/tls/frontend/default/validation/caCertificateRefs/0"
    assert primary(f) == {"type": "ResolvedRefs", "status": "False", "reason": "RefNotPermitted"}
