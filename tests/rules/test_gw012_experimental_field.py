"""GW012 experimental-field: the message names the release and the channel, for
tests/rules/GW012/."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_message_names_release_and_channel() -> None:
    [f] = fixture_findings("GW012", "bad_session_persistence.yaml")
    assert f["message"] == ("spec.rules[0].sessionPersistence: `spec.rules[].sessionPersistence` "
                            "is experimental in Gateway API v1.6.1; with the standard-channel "
                            "CRDs the API server drops it")
    assert "channel 'experimental'" in f["hint"]


def test_older_release_names_its_own_version() -> None:
    [f] = fixture_findings("GW011", "bad_field_from_a_newer_release.yaml", rule="GW012")
    assert "experimental in Gateway API v1.0.0" in f["message"]
