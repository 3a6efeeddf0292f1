"""GW306 duplicate-rule: which match of which rule is dead, and where the first one is."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings

CODE = "GW306"
DIR = RULES_DIR / CODE


def test_identical_match_with_defaults_normalized():
    name = "bad_identical_match_after_defaults.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/rules/1/matches/0"
    assert "match 0 of rule 1" in f["message"] and "repeats match 0 of rule 0" in f["message"]
    assert "rule 1 is unreachable" in f["message"]
    lines = (DIR / name).read_text().splitlines()
    assert [r["line"] for r in f["related"]] == [
        next(i for i, t in enumerate(lines, 1) if t == "    - path:")]


def test_rule_without_matches_is_located_at_the_rule():
    [f] = fixture_findings(CODE, "bad_rule_without_matches_is_a_catch_all.yaml")
    assert f["path"] == "/spec/rules/1"
    assert f["message"].startswith("rule 1 (PathPrefix '/') repeats match 0 of rule 0")


def test_partial_overlap_names_only_the_dead_match():
    [f] = fixture_findings(CODE, "bad_partial_overlap.yaml")
    assert f["path"] == "/spec/rules/1/matches/1"
    assert "rule 1 never gets these requests" in f["message"]


def test_grpc_methods():
    [f] = fixture_findings(CODE, "bad_grpc_methods.yaml")
    assert f["path"] == "/spec/rules/1/matches/0"
    assert "method shop.Cart/Get" in f["message"]
