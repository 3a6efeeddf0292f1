"""GW301 weights-all-zero: message wording per route kind, related location."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW301"
DIR = RULES_DIR / CODE


def test_all_weights_zero():
    name = "bad_all_weights_zero.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/rules/0/backendRefs/0/weight"
    assert primary(f) is None
    assert "rule 0 forwards nothing" in f["message"] and "HTTP 500" in f["message"]
    weights = [i for i, t in enumerate((DIR / name).read_text().splitlines(), 1)
               if t.strip().startswith("weight: 0")]
    assert [r["line"] for r in f["related"]] == weights[1:]  # the other zero weights


def test_single_zero_weight_grpc_wording():
    [f] = fixture_findings(CODE, "bad_single_zero_weight_grpc.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/0/weight"
    assert "UNAVAILABLE" in f["message"] and "its only backendRef" in f["message"]


def test_tcproute_wording():
    [f] = fixture_findings(CODE, "bad_tcproute_all_weights_zero.yaml")
    assert "connection" in f["message"]
