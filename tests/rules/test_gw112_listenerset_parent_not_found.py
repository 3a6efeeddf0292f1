"""GW112 listenerset-parent-not-found: hint and predicted condition, for tests/rules/GW112/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_parent_in_the_wrong_namespace() -> None:
    [f] = fixture_findings("GW112", "bad_parent_in_wrong_namespace.yaml")
    assert f["path"] == "/spec/parentRef"
    assert primary(f) == {"type": "Accepted", "status": "Unknown", "reason": "Pending"}
    assert f["hint"] == ("a Gateway named 'secure' exists in namespace 'infra': set "
                         "parentRef.namespace: infra")
