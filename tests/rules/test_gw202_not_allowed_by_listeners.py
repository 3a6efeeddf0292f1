"""GW202 not-allowed-by-listeners: messages, hints, related locations, predicted condition, the
demo (scopes are fixtures: bad_scopes_*, bad_namespace_labels_*)."""

from __future__ import annotations

import pytest
from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW202"
DIR = RULES_DIR / CODE
PREDICTS = {"type": "Accepted", "status": "False", "reason": "NotAllowedByListeners"}



def line(name: str, needle: str) -> int:
    return next(i for i, text in enumerate((DIR / name).read_text().splitlines(), 1)
                if needle in text)


def test_default_same_namespace():
    name = "bad_default_same_namespace.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/parentRefs/0"
    assert primary(f) == PREDICTS and f["severity"] == "error"
    assert f["listener"] == "http"
    assert "from: Same, the default" in f["message"]
    assert "kubernetes.io/metadata.name: app" in f["hint"] and "from: All" in f["hint"]
    # the listener item: allowedRoutes is defaulted, there is nothing else to point at
    assert [r["line"] for r in f["related"]] == [line(name, "  - name: http")]


def test_explicit_same_is_not_called_the_default():
    [f] = fixture_findings(CODE, "bad_explicit_same.yaml")
    assert "from: Same)" in f["message"] and "the default" not in f["message"]


@pytest.mark.parametrize("name", sorted(p.name for p in DIR.glob("bad_selector_*.yaml")
                                        if "undecidable" not in p.name))
def test_selector_refusal_names_the_namespace(name):
    [f] = fixture_findings(CODE, name)
    assert (f["severity"], primary(f)) == ("error", PREDICTS)
    namespace = "infra" if "gateway_namespace" in name else "app"
    assert f"does not select namespace '{namespace}'" in f["message"]


def test_unknown_namespace_labels_are_undecidable():
    [f] = fixture_findings(CODE, "bad_selector_undecidable.yaml")
    assert f["path"] == "/spec/parentRefs/0"
    # undecidable: the likely outcome (a Namespace not in the files has only its name label),
    # marked as such
    assert f["severity"] == "warning" and primary(f) == PREDICTS and f["predicts"][0]["likely"]
    assert "cannot decide" in f["message"] and "'team'" in f["message"]
    assert "Namespace 'app'" in f["hint"]


def test_allowed_kinds():
    [f] = fixture_findings(CODE, "bad_kinds_refuse_grpcroute.yaml")
    assert "allows only kinds HTTPRoute" in f["message"]
    assert "{kind: GRPCRoute}" in f["hint"]


def test_demo_attachment_rules(lint_tree):
    """The demo's only attachment mistake: the admin route left outside allowedRoutes (Same)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "examples" / "demo"
    files = {str(p.relative_to(root)): p.read_text() for p in root.rglob("*.yaml")}
    attach = ["GW201", "GW202", "GW203", "GW204", "GW205", "GW212"]
    expected = [("GW202", "apps/admin/admin.yaml")]
    assert [(f["rule"], f["file"]) for f in lint_tree(files, select=attach)] == expected
    files["apps/blog/blog.yaml"] = files["apps/blog/blog.yaml"].replace(
        "  - name: shared-gateway          # no namespace: looked up in blog, not infra\n",
        "  - name: shared-gateway\n    namespace: infra\n")
    assert [(f["rule"], f["file"]) for f in lint_tree(files, select=attach)] == expected
