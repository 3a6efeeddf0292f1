"""Queries over the bundled reports: NAME@VERSION, report choice, support, channels, releases,
and the controllerName table."""

from __future__ import annotations

import pytest

from gwlint.implementations import bundled, query
from gwlint.implementations.bundled import (NOT_CLAIMED, SUPPORTED, UNSUPPORTED, raw,
                                            release_key, version_key)
from gwlint.implementations.controllers import CONTROLLERS, implementation_for
from gwlint.implementations.features import PROFILE_CORE
from gwlint.implementations.query import (UnknownImplementation, UnknownMode, UnknownVersion,
                                          known_implementations, known_versions,
                                          newer_than_reports, newest_gateway_api_version,
                                          parse_spec, resolve, standard_channel_only, support,
                                          support_matrix)


@pytest.mark.parametrize("spec, expected", [
    ("istio", ("istio", None)), ("istio@1.28", ("istio", "1.28")),
    (" envoy-gateway@v1.9.0 ", ("envoy-gateway", "v1.9.0")),
])
def test_parse_spec(spec, expected):
    assert parse_spec(spec) == expected


@pytest.mark.parametrize("spec", ["", "@1.2", "istio@", "  @ "])
def test_parse_spec_rejects_malformed(spec):
    with pytest.raises(ValueError, match="NAME@VERSION"):
        parse_spec(spec)


@pytest.mark.parametrize("a, b", [
    ("v1.20.0", "v1.20.0-pre.2"), ("v1.20.0-pre.2", "1.19.0-pre.2"), ("v3.7.10", "v3.7"),
    ("v2.10.0", "v2.9.0"), ("v1.0.0", "main"), ("v2.3.0-rc.3", "v2.3.0-beta.3"),
    ("1.30.1", "1.28"), ("v2.0.0-rc.10", "v2.0.0-rc.9"),
])
def test_version_key_orders_releases_after_prereleases(a, b):
    assert version_key(a) > version_key(b)


def test_version_key_ignores_v_prefix():
    assert version_key("v1.28") == version_key("1.28") == version_key("version-1.28")


def _raw_reports(impl: str) -> list[dict]:
    return [r for r in raw()["reports"] if r["implementation"] == impl]


def test_newest_report_is_from_the_newest_release_then_version():
    for name in known_implementations():
        rep = resolve(name)
        reps = _raw_reports(name)
        newest_release = max((r["gateway_api_version"] for r in reps), key=release_key)
        assert rep.gateway_api_version == newest_release, name
        same = [r for r in reps if r["gateway_api_version"] == newest_release]
        assert version_key(rep.version) == max(version_key(r["version"]) for r in same), name


def test_default_mode_preferred_then_experimental_channel():
    envoy = resolve("envoy-gateway@v1.9.0")
    assert envoy.mode == "default"
    assert resolve("envoy-gateway@v1.9.0", mode="gateway-namespace-mode").mode == \
        "gateway-namespace-mode"
    with pytest.raises(UnknownMode, match="default, gateway-namespace-mode"):
        resolve("envoy-gateway@v1.9.0", mode="nope")
    cilium = resolve("cilium@v1.20.0")  # v1.6.1 reports on both channels
    assert cilium.channel == "experimental"
    # Kong has no "default" mode: its routers' default flavor, then the run with fewest skips
    kong = resolve("kong@v2.3.0-rc.3")
    assert kong.mode == "traditional_compatible"
    assert kong.id.endswith("traditional_compatible-standard-report")


@pytest.mark.parametrize("spec, version", [
    ("envoy-gateway@v1.8", "v1.8.0"), ("envoy-gateway@1.8.0", "v1.8.0"),
    ("traefik@3.7", "v3.7"), ("traefik@v3.7.10", "v3.7.10"), ("cilium@1.20", "v1.20.0"),
    ("cilium@v1.20.0-pre.2", "v1.20.0-pre.2"), ("istio@1.28", "1.28"),
    ("ISTIO-istio@1.26.1", "1.26.1"), ("ngf@2.2", "2.2.0"),
])
def test_resolve_versions(spec, version):
    assert resolve(spec).version == version


def test_version_prefix_stops_at_a_separator():
    with pytest.raises(UnknownVersion):
        resolve("envoy-gateway@v1.")
    with pytest.raises(UnknownVersion, match=r"bundled versions: v1\.9\.0, v1\.8\.0"):
        resolve("envoy-gateway@1.1")  # not v1.10..., not v1.1x


def test_unknown_names_list_the_known_ones():
    with pytest.raises(UnknownImplementation) as exc:
        resolve("envoy-gatway")
    assert "did you mean envoy-gateway" in str(exc.value)
    assert "istio" in str(exc.value) and exc.value.known == known_implementations()
    with pytest.raises(UnknownVersion) as ver:
        resolve("istio@9.9")
    assert ver.value.known == known_versions("istio")
    assert all(v in str(ver.value) for v in known_versions("istio"))


def test_support_follows_the_report_lists():
    for rep in bundled.reports():
        for prof in rep.profiles:
            if prof.extended is None:
                continue
            for feature in prof.extended.supported:
                assert rep.support(feature) == SUPPORTED
            for feature in prof.extended.unsupported:
                assert rep.support(feature) in (SUPPORTED, UNSUPPORTED)
        assert rep.support("NoSuchFeature") == NOT_CLAIMED


def test_core_features_come_from_the_profiles_run():
    for rep in bundled.reports():
        ran = {p.name for p in rep.profiles}
        for core in PROFILE_CORE.values():
            for feature in core:
                implied = any(feature in PROFILE_CORE[p] for p in ran if p in PROFILE_CORE)
                listed = feature in rep.supported
                assert listed == (implied or any(
                    p.extended and feature in p.extended.supported for p in rep.profiles))


def test_support_examples_checked_against_the_source_reports():
    # v1.6/envoy-gateway/experimental-v1.9.0-default-report.yaml: GATEWAY-HTTP extended
    # supportedFeatures has HTTPRouteCORS, unsupportedFeatures GatewayInfrastructurePropagation
    answer = support("envoy-gateway", "v1.9.0", "HTTPRouteCORS")
    assert answer.status == SUPPORTED and answer.report.gateway_api_version == "v1.6.1"
    assert support("envoy-gateway", None, "GatewayInfrastructurePropagation").status == UNSUPPORTED
    # gke reports run GATEWAY-HTTP only: GRPCRoute is not claimed, HTTPRoute is core
    assert support("gke", None, "GRPCRoute").status == NOT_CLAIMED
    assert support("gke", None, "HTTPRoute").status == SUPPORTED
    # v1.6/cilium standard report: GATEWAY-UDP profile lists UDPRoute
    assert support("cilium", "v1.20.0", "UDPRoute").status == SUPPORTED


def test_standard_channel_only():
    assert standard_channel_only("gke") is True              # every gke report: standard
    assert standard_channel_only("aws-load-balancer-controller", "v3.5.0") is True
    assert standard_channel_only("aws-load-balancer-controller", "v3.0.0") is False
    assert standard_channel_only("cilium", "v1.20.0") is False  # both channels at v1.6.1
    assert standard_channel_only("airlock-microgateway", "5.1.0") is False
    for name in known_implementations():
        channels = {r["channel"] for r in _raw_reports(name)
                    if r["version"] == resolve(name).version}
        assert standard_channel_only(name) == (channels == {"standard"})


def test_newest_gateway_api_version():
    assert newest_gateway_api_version("istio") == "v1.5.1"
    assert newest_gateway_api_version("gke") == "v1.6.0"
    assert newer_than_reports("istio", "v1.6.1") is True
    assert newer_than_reports("envoy-gateway", "v1.6.1") is False
    assert newer_than_reports("envoy-gateway", "v1.6.0") is False


def test_known_versions_newest_first():
    versions = known_versions("nginx-gateway-fabric")
    assert versions[0] == "v2.7.0-pre-release" and versions[-1] == "v2.0.0"
    assert len(versions) == len(set(versions))


def test_label_names_implementation_version_release_and_mode():
    assert resolve("envoy-gateway@v1.9.0").label() == (
        "envoy-gateway v1.9.0 (Gateway API v1.6.1, experimental channel, mode default)")


def test_controller_table_targets_bundled_implementations():
    known = set(known_implementations())
    assert set(CONTROLLERS.values()) <= known
    assert implementation_for("gateway.envoyproxy.io/gatewayclass-controller") == "envoy-gateway"
    assert implementation_for(" istio.io/gateway-controller ") == "istio"
    assert implementation_for("gateway.k8s.aws/nlb") == "aws-load-balancer-controller"
    assert implementation_for("example.com/unknown") is None
    assert implementation_for(None) is None and implementation_for(7) is None  # type: ignore[arg-type]
    # exact names only: a prefix of a known one is not guessed
    assert implementation_for("gateway.envoyproxy.io/other") is None


def test_every_name_and_alias_resolves_to_its_implementation():
    for name, impl in bundled.implementations().items():
        for alias in (name, *impl.aliases):
            assert query.implementation(alias).name == name
            assert query.implementation(alias.upper()).name == name


def test_answer_names_the_profiles_it_comes_from():
    answer = support("cilium", "v1.20.0", "UDPRoute")
    assert answer.profiles == ("GATEWAY-UDP",)
    assert support("gke", None, "HTTPRoute").profiles == ("GATEWAY-HTTP",)
    assert support("gke", None, "GRPCRoute").profiles == ()


def test_support_matrix():
    matrix = support_matrix(["HTTPRoute", "GRPCRoute"])
    assert list(matrix) == ["HTTPRoute", "GRPCRoute"]
    assert set(matrix["GRPCRoute"]) == set(known_implementations())
    assert matrix["GRPCRoute"]["gke"] == NOT_CLAIMED
    picked = support_matrix(["HTTPRouteCORS"], ["envoy-gateway@v1.9", "istio"])
    assert picked == {"HTTPRouteCORS": {"envoy-gateway@v1.9.0": SUPPORTED,
                                        "istio@1.30.1": SUPPORTED}}
