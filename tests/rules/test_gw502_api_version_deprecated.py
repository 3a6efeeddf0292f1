"""GW502 api-version-deprecated through the whole pipeline: the replacement and the CRD's own
deprecation warning."""

from __future__ import annotations

from support.fixtures import fixture_findings

CODE = "GW502"


def test_reference_grant_v1alpha2_in_v1_0():
    [f] = fixture_findings(CODE, "bad_reference_grant_v1alpha2_v1_0.yaml")
    assert f["path"] == "/apiVersion"
    assert f["hint"] == "change apiVersion to gateway.networking.k8s.io/v1beta1"
    assert "Please upgrade to v1beta1" in f["message"]  # the CRD's deprecationWarning


def test_deprecated_version_is_still_validated():
    assert len(fixture_findings(CODE, "bad_deprecated_version_is_still_validated.yaml")) == 1
    [schema] = fixture_findings(CODE, "bad_deprecated_version_is_still_validated.yaml", "GW010")
    assert schema["path"] == "/spec/hostnames/0"
