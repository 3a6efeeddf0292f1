"""GW312 backendtlspolicy-conflict: only the policy that loses is reported, decided or likely."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_without_timestamps_the_first_by_name_likely_wins() -> None:
    [f] = fixture_findings("GW312", "bad_same_service.yaml")
    assert f["resource"]["name"] == "b" and "BackendTLSPolicy payments/a takes precedence" \
        in f["message"]
    assert primary(f) == {"type": "Accepted", "status": "False", "reason": "Conflicted"}
    assert f["predicts"][0]["likely"] and "creationTimestamp" in f["predicts"][0]["undecided"]


def test_the_older_policy_wins() -> None:
    """Decided by the timestamps; still `likely` as a status entry, since no route uses the
    Service: no ancestor entry is written until one does."""
    [f] = fixture_findings("GW312", "bad_older_policy_wins.yaml")
    assert f["resource"]["name"] == "a" and "it is older" in f["message"]
    assert primary(f) == {"type": "Accepted", "status": "False", "reason": "Conflicted"}
    assert "no parent or ancestor entry" in f["predicts"][0]["undecided"]
