"""GW307 rule-without-backends: paths and wording per route kind."""

from __future__ import annotations

from support.fixtures import fixture_findings

CODE = "GW307"


def test_rule_with_only_a_header_filter():
    [f] = fixture_findings(CODE, "bad_only_a_header_filter.yaml")
    assert f["path"] == "/spec/rules/0"
    assert "rule 0 has no backendRefs and no RequestRedirect filter" in f["message"]
    assert "HTTP 500" in f["message"]


def test_empty_list_grpc():
    [f] = fixture_findings(CODE, "bad_empty_list_grpc.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs"
    assert "UNAVAILABLE" in f["message"]


def test_route_without_rules_gets_the_default_rule():
    [f] = fixture_findings(CODE, "bad_route_without_rules.yaml")
    assert f["path"] == "/spec"
    assert "has no rules" in f["message"]
