"""GW305 weights-not-percent (opt-in): path and the proportions in the message."""

from __future__ import annotations

from support.fixtures import fixture_findings

CODE = "GW305"


def test_weights_add_up_to_110():
    [f] = fixture_findings(CODE, "bad_weights_add_up_to_110.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs"
    assert "add up to 110, not 100" in f["message"]
    assert "'web' 81.8%, 'web-canary' 18.2%" in f["message"]
