"""GW210 listener-unused: path, listener, and the refused-route explanation."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW210"


def test_unused_listener():
    [f] = fixture_findings(CODE, "bad_unused_listener.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/1", "legacy")
    assert primary(f) is None


def test_refused_route_counts_as_unused():
    [f] = fixture_findings(CODE, "bad_refused_route_counts_as_unused.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/0", "http")
    assert "1 parentRef(s) select it but are refused" in f["message"]
