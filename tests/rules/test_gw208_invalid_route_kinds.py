"""GW208 invalid-route-kinds: path of the kind, predicted condition, "no route can attach"."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW208"


def test_invalid_kind_next_to_a_valid_one():
    [f] = fixture_findings(CODE, "bad_tlsroute_on_https.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/0/allowedRoutes/kinds/1", "https")
    assert primary(f) == {"type": "ResolvedRefs", "status": "False",
                             "reason": "InvalidRouteKinds"}
    assert "no route can attach" not in f["message"]


def test_only_invalid_kinds():
    [f] = fixture_findings(CODE, "bad_only_invalid_kinds.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/0/allowedRoutes/kinds/0", "http")
    assert "no route can attach" in f["message"]
