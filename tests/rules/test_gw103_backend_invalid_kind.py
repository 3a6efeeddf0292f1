"""GW103 backend-invalid-kind: why a kind is refused, for tests/rules/GW103/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_core_kind_is_not_a_backend() -> None:
    first = fixture_findings("GW103", "bad_core_kinds.yaml")[0]
    assert first["path"] == "/spec/rules/0/backendRefs/0/kind"
    assert first["message"] == ("backendRef kind 'Secret' (core group) is not a supported backend "
                                "kind")
    assert first["hint"].startswith("Secret is not a backend: routes forward to a Service")
    assert primary(first) == {"type": "ResolvedRefs", "status": "False", "reason": "InvalidKind"}


def test_custom_kinds_point_at_kind_or_group() -> None:
    found = fixture_findings("GW103", "bad_custom_kinds_are_warnings.yaml")
    assert [f["path"] for f in found] == ["/spec/rules/0/backendRefs/0/kind",
                                          "/spec/rules/0/backendRefs/1/group"]
    assert "allowed_kinds of GW103" in found[0]["hint"]


def test_xbackend_hint_names_the_channel() -> None:
    [f] = fixture_findings("GW103", "bad_xbackend_standard_channel.yaml")
    assert "experimental-channel kind" in f["hint"]
