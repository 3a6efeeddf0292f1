"""GW304 duplicate-backend: the entries named, the added-up share, the related entry."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings

CODE = "GW304"


def test_same_backend_twice():
    name = "bad_same_backend_twice.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/rules/0/backendRefs/2"
    assert "listed twice in rule 0 (backendRefs[0], backendRefs[2])" in f["message"]
    assert "add up to 2 of 3 = 66.7%" in f["message"]
    lines = (RULES_DIR / CODE / name).read_text().splitlines()
    assert [r["line"] for r in f["related"]] == [
        next(i for i, t in enumerate(lines, 1) if t == "    - name: web")]
