"""GW402 namespace-selector-unsafe-label: paths of the label, the rewritten selector in the hint."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

CODE = "GW402"
SELECTOR = "/spec/listeners/0/allowedRoutes/namespaces/selector/"


def test_match_labels_on_custom_label():
    [f] = fixture_findings(CODE, "bad_match_labels_on_custom_label.yaml")
    assert (f["path"], f["listener"]) == (SELECTOR + "matchLabels/gateway-access", "http")
    assert primary(f) is None
    assert "labelled 'gateway-access'" in f["message"]
    # the hint lists the namespaces the selector admits today, as a name selector
    assert "values: [blog, shop]" in f["hint"]


def test_match_expressions_and_allowed_listeners():
    listeners, routes = fixture_findings(CODE, "bad_match_expressions_and_allowed_listeners.yaml")
    assert (listeners["path"], listeners["listener"]) == (
        "/spec/allowedListeners/namespaces/selector/matchLabels/listeners", None)
    assert (routes["path"], routes["listener"]) == (SELECTOR + "matchExpressions/1/key", "http")
    assert "admits ListenerSets" in listeners["message"]
    assert "operator: In" in routes["hint"]
