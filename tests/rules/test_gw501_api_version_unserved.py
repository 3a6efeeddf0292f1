"""GW501 api-version-unserved through the whole pipeline: where it points, what it names (the
version table itself is tested on SchemaSet in tests/test_schema_served.py)."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW501"
GW = "gateway.networking.k8s.io"


def test_removed_version_names_the_served_ones():
    [f] = fixture_findings(CODE, "bad_reference_grant_v1alpha2_removed.yaml")
    assert f["path"] == "/apiVersion" and primary(f) is None
    assert "v1alpha2" in f["message"] and "v1beta1" in f["message"]


def test_unserved_in_standard_but_served_in_experimental():
    [f] = fixture_findings(CODE, "bad_reference_grant_v1alpha2_v1_1_standard.yaml")
    assert "deprecated" in f["message"] and "experimental channel of v1.1.0" in f["message"]


def test_grpcroute_points_to_v1():
    [f] = fixture_findings(CODE, "bad_grpcroute_v1alpha2_v1_2.yaml")
    assert f"{GW}/v1" in f["message"]


def test_listenerset_before_graduation_points_to_the_experimental_kind():
    [f] = fixture_findings(CODE, "bad_listenerset_before_graduation.yaml")
    assert "XListenerSet" in f["message"]
    assert f["hint"] == "use apiVersion gateway.networking.x-k8s.io/v1alpha1 and kind XListenerSet"


def test_kind_of_a_later_release():
    [f] = fixture_findings(CODE, "bad_listenerset_v1_0.yaml")
    assert "v1.5.1" in f["message"]


def test_kind_removed_in_a_later_release():
    [f] = fixture_findings(CODE, "bad_kind_removed_in_later_release.yaml")
    assert "removed after v1.2.1" in f["message"]


def test_experimental_only_kinds():
    for name in ("bad_kind_only_in_experimental.yaml", "bad_xbackend_in_standard.yaml"):
        [f] = fixture_findings(CODE, name)
        assert "experimental" in f["message"]


def test_wrong_group_hint():
    [f] = fixture_findings(CODE, "bad_wrong_group.yaml")
    assert f["hint"] == f"use apiVersion {GW}/v1"


def test_nonexistent_version_names_the_served_ones():
    [f] = fixture_findings(CODE, "bad_nonexistent_version.yaml")
    assert "v1beta1" in f["message"]
