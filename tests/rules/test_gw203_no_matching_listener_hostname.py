"""GW203 no-matching-listener-hostname: path, listener, hint and related location."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW203"
DIR = RULES_DIR / CODE



def line(name: str, needle: str) -> int:
    return next(i for i, text in enumerate((DIR / name).read_text().splitlines(), 1)
                if needle in text)


def test_wildcard_does_not_match_apex():
    name = "bad_wildcard_does_not_match_apex.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/hostnames"
    assert primary(f) == {"type": "Accepted", "status": "False",
                             "reason": "NoMatchingListenerHostname"}
    assert f["listener"] == "https"
    assert "matches subdomains only" in f["hint"]
    assert [r["line"] for r in f["related"]] == [line(name, 'hostname: "*.example.com"')]


def test_hostname_refusal_wins_over_namespace_refusal():
    """'http' refuses the namespace, 'https' the hostname: the report is about hostnames."""
    [f] = fixture_findings(CODE, "bad_other_domain.yaml")
    assert f["path"] == "/spec/hostnames"
    assert primary(f)["reason"] == "NoMatchingListenerHostname"


def test_invalid_hostnames_are_reported_by_the_schema_stage_only():
    out = run_fixture(load_fixture(CODE, DIR / "good_invalid_hostname_left_to_schema.yaml"))
    attach = {"GW201", "GW202", "GW203", "GW204", "GW205", "GW212"}
    assert [f for f in out if f["rule"] in attach] == []
    assert [f["rule"] for f in out if f["rule"].startswith("GW0")] == ["GW010", "GW010"]
