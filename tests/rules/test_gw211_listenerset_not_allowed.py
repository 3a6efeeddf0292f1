"""GW211 listenerset-not-allowed: predicted condition, parent, hint and the undecidable case."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW211"
DIR = RULES_DIR / CODE


def test_default_allows_none():
    [f] = fixture_findings(CODE, "bad_default_allows_none.yaml")
    assert (f["path"], f["listener"]) == ("/spec/parentRef", None)
    assert primary(f) == {"type": "Accepted", "status": "False", "reason": "NotAllowed"}
    assert f["parent"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                           "namespace": "infra", "name": "web", "sectionName": None,
                           "port": None}
    assert "from: None, the default" in f["message"]
    assert ("spec.allowedListeners: {namespaces: {from: Selector, selector: {matchLabels: "
            "{kubernetes.io/metadata.name: shop}}}}") in f["hint"]


def test_same_refuses_other_namespace():
    name = "bad_same_refuses_other_namespace.yaml"
    [f] = fixture_findings(CODE, name)
    lines = (DIR / name).read_text().splitlines()
    assert f["related"][0]["line"] == next(
        i for i, t in enumerate(lines, 1) if t == "      from: Same")


def test_selector_unknown_namespace():
    [f] = fixture_findings(CODE, "bad_selector_unknown_namespace.yaml")
    # undecidable: the likely outcome (the Namespace carries only its name label), marked so
    assert (f["severity"], primary(f)) == ("warning", {"type": "Accepted", "status": "False",
                                                       "reason": "NotAllowed"})
    assert f["predicts"][0]["likely"]
    assert "cannot decide" in f["message"]
