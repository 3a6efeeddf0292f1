"""GW010 schema-violation: messages and hints (the API server's wording, plus how to fix it),
for tests/rules/GW010/."""

from __future__ import annotations

import re


from support.fixtures import fixture_findings

RFC1123_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def _by_path(name: str) -> dict[str, dict]:
    return {f["path"]: f for f in fixture_findings("GW010", name)}


def test_enum_names_the_supported_values_and_the_closest() -> None:
    [f] = fixture_findings("GW010", "bad_path_type_enum.yaml")
    assert f["path"] == "/spec/rules/0/matches/0/path/type"
    assert f["message"] == ('spec.rules[0].matches[0].path.type: unsupported value "Prefix"; '
                            'supported values: "Exact", "PathPrefix", "RegularExpression"')
    assert f["hint"] == 'did you mean "PathPrefix"?'


def test_types_required_fields_duplicates_and_bounds() -> None:
    found = _by_path("bad_types_required_patterns_bounds.yaml")
    port = found["/spec/rules/0/backendRefs/0/port"]
    assert port["hint"] == "write the number without quotes: 8080"
    assert found["/spec/parentRefs/1/name"]["message"].endswith("required field is missing")
    assert "duplicate entry" in found["/spec/rules/0/matches/0/headers/1"]["message"]
    assert found["/spec/rules/0/backendRefs/1/weight"]["message"].endswith(
        "must be at least 0 (got integer -1)")
    assert found["/spec/rules/0/backendRefs/2/weight"]["message"].endswith(
        "must be at most 1000000 (got integer 1000001)")


def test_label_values_must_be_strings() -> None:
    found = _by_path("bad_metadata.yaml")
    assert found["/metadata/labels/team"]["hint"] == 'quote the value: "true"'
    assert "RFC 1123 subdomain" in found["/metadata/name"]["message"]


def test_pattern_hint_suggests_a_valid_value() -> None:
    found = _by_path("bad_types_required_patterns_bounds.yaml")
    hint = found["/spec/parentRefs/0/namespace"]["hint"]
    suggestion = hint.split("'")[1]
    assert RFC1123_LABEL.fullmatch(suggestion), hint


def test_evaluation_error_is_reported_like_the_api_server() -> None:
    [f] = fixture_findings("GW010", "bad_tls_rule_cannot_be_evaluated.yaml")
    assert f["path"] == "/spec/listeners/0/tls"
    assert "no such key: options" in f["message"]
