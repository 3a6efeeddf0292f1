"""The feature table against the names the bundled reports actually use."""

from __future__ import annotations

from gwlint.implementations import bundled
from gwlint.implementations.bundled import release_key
from gwlint.implementations.features import CONSTRUCTS, CORE, EXTENDED, FEATURES, PROFILE_CORE

FIRST_BUNDLED = "v1.3.0"


def _first_listed() -> dict[str, str]:
    """feature -> the oldest Gateway API release of a report listing it (either way)."""
    first: dict[str, str] = {}
    for rep in bundled.reports():
        for prof in rep.profiles:
            if prof.extended is None:
                continue
            for feature in prof.extended.supported | prof.extended.unsupported:
                old = first.get(feature)
                if old is None or release_key(rep.gateway_api_version) < release_key(old):
                    first[feature] = rep.gateway_api_version
    return first


def test_every_reported_feature_is_in_the_table():
    assert set(_first_listed()) - set(FEATURES) == set()


def test_since_agrees_with_the_bundled_reports():
    first = _first_listed()
    for name, feature in FEATURES.items():
        if feature.since is None:
            assert name not in first, f"{name} is reported since {first[name]}"
        elif release_key(feature.since) >= release_key(FIRST_BUNDLED):
            if feature.implied_by and name not in first:
                continue  # a core feature claimed by running its profile
            assert first.get(name) == feature.since, name
        elif not feature.implied_by:
            # older than the bundled reports: listed from the first bundled release on
            assert first.get(name) == FIRST_BUNDLED, name


def test_levels_and_profiles():
    assert {f.level for f in FEATURES.values()} == {CORE, EXTENDED}
    assert PROFILE_CORE["GATEWAY-HTTP"] == {"Gateway", "ReferenceGrant", "HTTPRoute"}
    assert PROFILE_CORE["GATEWAY-TLS"] == {"Gateway", "ReferenceGrant", "TLSRoute"}
    assert PROFILE_CORE["GATEWAY-GRPC"] == {"Gateway", "ReferenceGrant", "GRPCRoute"}
    assert PROFILE_CORE["GATEWAY-TCP"] == {"Gateway", "TCPRoute"}
    assert PROFILE_CORE["MESH-HTTP"] == {"Mesh", "HTTPRoute"}
    assert PROFILE_CORE["MESH-GRPC"] == {"Mesh", "GRPCRoute"}
    for feature in FEATURES.values():
        assert feature.level == CORE or not feature.implied_by, feature.name


def test_every_profile_run_is_known():
    ran = {p.name for rep in bundled.reports() for p in rep.profiles}
    assert ran <= set(PROFILE_CORE)


def test_every_feature_is_detected_or_says_why_not():
    # a feature no construct needs is a behaviour the files cannot show: its summary says so
    detected = {c.feature for c in CONSTRUCTS} | {c.mesh_feature for c in CONSTRUCTS
                                                  if c.mesh_feature}
    assert set(FEATURES) - detected == {name for name, f in FEATURES.items()
                                        if "not detected" in f.summary}
