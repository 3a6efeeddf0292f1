"""GW011 unknown-field: the hint names the closest field, or the release that has it, for
tests/rules/GW011/."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_closest_known_field() -> None:
    hints = {f["path"]: f["hint"] for f in fixture_findings("GW011", "bad_typos.yaml")}
    assert hints == {"/metadata/label": "did you mean `labels`?",
                     "/spec/hostname": "did you mean `hostnames`?",
                     "/spec/rules/0/backendRef": "did you mean `backendRefs`?",
                     "/sepc": "did you mean `spec`?"}


def test_field_of_a_newer_release() -> None:
    [f] = fixture_findings("GW011", "bad_field_from_a_newer_release.yaml")
    assert f["hint"] == ("`spec.rules[].name` exists in the standard channel of Gateway API v1.4.1 "
                         "and later; you are validating against v1.0.0")
