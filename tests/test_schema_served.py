"""apiVersion/kind serving: unserved, removed, deprecated, wrong channel, wrong group."""

from __future__ import annotations

import pytest

from gwlint.schema import SchemaSet

from support import samples as S

GW = "gateway.networking.k8s.io"


def process(obj: dict, release: str, channel: str = "standard"):
    return SchemaSet(release, channel).process(obj["apiVersion"], obj["kind"], obj)


@pytest.mark.parametrize("release", ["v1.2.1", "v1.3.0", "v1.4.1", "v1.5.1", "v1.6.1"])
def test_reference_grant_v1alpha2_removed_in_v1_2(release):
    grant = S.reference_grant(release, "standard", version="v1alpha2")
    violations, defaulted = process(grant, release)
    assert [v.code for v in violations] == ["api-version-unserved"]
    message = violations[0].message
    assert "v1alpha2" in message and "v1beta1" in message  # names the served versions
    assert violations[0].path == ("apiVersion",)
    assert defaulted == frozenset()


def test_reference_grant_v1alpha2_unserved_in_v1_1_standard_but_served_in_experimental():
    grant = S.reference_grant("v1.1.0", "standard", version="v1alpha2")
    violations, _ = process(grant, "v1.1.0", "standard")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "deprecated" in violations[0].message
    assert "experimental channel of v1.1.0" in violations[0].message
    violations, _ = process(S.reference_grant("v1.1.0", "experimental", version="v1alpha2"),
                            "v1.1.0", "experimental")
    assert [v.code for v in violations] == ["api-version-deprecated"]


def test_reference_grant_v1alpha2_deprecated_in_v1_0():
    grant = S.reference_grant("v1.0.0", "standard", version="v1alpha2")
    violations, _ = process(grant, "v1.0.0")
    assert [v.code for v in violations] == ["api-version-deprecated"]
    assert violations[0].hint == f"change apiVersion to {GW}/v1beta1"
    assert "Please upgrade to v1beta1" in violations[0].message  # the CRD's deprecationWarning


@pytest.mark.parametrize("release", ["v1.2.1", "v1.6.1"])
def test_grpc_route_v1alpha2_gone(release):
    route = S.grpc_route(release, "standard", version="v1alpha2")
    violations, _ = process(route, release)
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert f"{GW}/v1" in violations[0].message


def test_deprecated_version_is_still_validated():
    route = S.tls_route("v1.6.1", "experimental", version="v1alpha2")
    route["spec"]["hostnames"] = ["Bad.Example.com"]
    violations, _ = process(route, "v1.6.1", "experimental")
    codes = [v.code for v in violations]
    assert codes == ["api-version-deprecated", "pattern"]


def test_kind_only_in_experimental_channel():
    route = S.tcp_route("v1.0.0", "experimental")
    violations, _ = process(route, "v1.0.0", "standard")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "experimental" in violations[0].message


def test_listener_set_not_in_v1_0():
    ls = S.listener_set("v1.6.1", "standard")
    violations, _ = process(ls, "v1.0.0")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "v1.5.1" in violations[0].message


def test_listener_set_before_graduation_points_to_the_experimental_kind():
    ls = S.listener_set("v1.6.1", "standard")
    violations, _ = process(ls, "v1.3.0", "experimental")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "XListenerSet" in violations[0].message
    assert violations[0].hint == ("use apiVersion gateway.networking.x-k8s.io/v1alpha1 "
                                  "and kind XListenerSet")


def test_xbackend_in_standard():
    body = {"apiVersion": "gateway.networking.x-k8s.io/v1alpha1", "kind": "XBackend",
            "metadata": {"name": "x"},
            "spec": {}}
    violations, _ = process(body, "v1.6.1", "standard")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "experimental" in violations[0].message


def test_kind_removed_in_later_release():
    body = {"apiVersion": f"{GW}/v1alpha2", "kind": "BackendLBPolicy", "metadata": {"name": "x"},
            "spec": {}}
    violations, _ = process(body, "v1.6.1", "experimental")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "removed after v1.2.1" in violations[0].message


def test_wrong_group():
    route = S.http_route("v1.6.1", "standard")
    route["apiVersion"] = "gateway.networking.x-k8s.io/v1"
    violations, _ = process(route, "v1.6.1")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert violations[0].hint == f"use apiVersion {GW}/v1"


def test_nonexistent_version():
    route = S.http_route("v1.6.1", "standard", version="v2")
    violations, _ = process(route, "v1.6.1")
    assert [v.code for v in violations] == ["api-version-unserved"]
    assert "v1beta1" in violations[0].message


@pytest.mark.parametrize("api_version, kind, expected", [
    (f"{GW}/v1", "HTTPRoute", True),
    (f"{GW}/v1alpha2", "ReferenceGrant", True),       # any release's kinds, even unserved versions
    (f"{GW}/v1", "ListenerSet", True),
    ("gateway.networking.x-k8s.io/v1alpha1", "XListenerSet", True),
    ("v1", "Service", True), ("v1", "Secret", True), ("v1", "Namespace",
                                                      True), ("v1", "ConfigMap", True),
    ("v1", "Pod", False), ("apps/v1", "Deployment", False), ("example.com/v1", "HTTPRoute", False),
    (f"{GW}/v1", "Frobnicator", False), (None, "HTTPRoute", False),
])
def test_handles(api_version, kind, expected):
    assert SchemaSet("v1.0.0", "standard").handles(api_version, kind) is expected


def test_schema_set_arguments():
    assert SchemaSet("1.4", "standard").version == "v1.4.1"
    assert SchemaSet(None, "experimental").version == "v1.6.1"
    with pytest.raises(ValueError, match="channel"):
        SchemaSet("v1.6.1", "beta")
    with pytest.raises(ValueError):
        SchemaSet("v9", "standard")
