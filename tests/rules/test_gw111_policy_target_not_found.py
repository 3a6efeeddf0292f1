"""GW111 policy-target-not-found: hints and predicted condition, for tests/rules/GW111/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_missing_target_service() -> None:
    [f] = fixture_findings("GW111", "bad_missing_target_service.yaml")
    assert f["path"] == "/spec/targetRefs/0"
    assert primary(f) == {"type": "Accepted", "status": "False", "reason": "TargetNotFound"}
    assert f["hint"] == "did you mean Service 'payments'?"


def test_section_name_is_not_a_port_name() -> None:
    [f] = fixture_findings("GW111", "bad_section_name_is_not_a_port_name.yaml")
    assert f["path"] == "/spec/targetRefs/0/sectionName"
    assert f["hint"] == "sectionName names a Service port by name; port names: 'https'"
