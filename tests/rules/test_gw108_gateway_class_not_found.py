"""GW108 gateway-class-not-found: hint and predicted condition, for tests/rules/GW108/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_suggests_the_defined_class_and_how_to_declare_one() -> None:
    [f] = fixture_findings("GW108", "bad_unknown_class.yaml")
    assert f["path"] == "/spec/gatewayClassName"
    assert primary(f) == {"type": "Accepted", "status": "Unknown", "reason": "Pending"}
    assert f["hint"].startswith("did you mean 'envoy'?")
    assert "--gateway-class envoy-gateway" in f["hint"]
    assert [r["line"] for r in f["related"]] == [6]
