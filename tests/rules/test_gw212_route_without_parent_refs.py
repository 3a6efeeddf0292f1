"""GW212 route-without-parent-refs: path and the absence of a predicted condition."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW212"


def test_no_parent_refs():
    [f] = fixture_findings(CODE, "bad_no_parent_refs.yaml")
    assert f["path"] == "/spec"
    assert primary(f) is None
