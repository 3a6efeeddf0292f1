"""GW205 route-kind-protocol-mismatch: predicted condition, listener, message and hint."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW205"
DIR = RULES_DIR / CODE



def test_tlsroute_on_https_listener():
    [f] = fixture_findings(CODE, "bad_tlsroute_on_https_listener.yaml")
    assert f["path"] == "/spec/parentRefs/0"
    assert primary(f) == {"type": "Accepted", "status": "False",
                             "reason": "NotAllowedByListeners"}
    assert f["listener"] == "https"
    assert "TLS listener" in f["hint"]


def test_tcproute_on_http_listener():
    [f] = fixture_findings(CODE, "bad_tcproute_on_http_listener.yaml")
    assert "HTTP serves HTTPRoute, GRPCRoute" in f["message"]
