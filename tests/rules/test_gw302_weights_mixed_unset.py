"""GW302 weights-mixed-unset: the real split in the message, the hint, and the demo's canary."""

from __future__ import annotations

from pathlib import Path

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW302"
DIR = RULES_DIR / CODE


def test_ninety_and_unset_shows_the_real_split():
    name = "bad_ninety_and_unset.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/rules/0/backendRefs/1"
    assert primary(f) is None
    assert "90:1 (98.9% : 1.1%), not 90:10" in f["message"]
    assert "'web-canary' gets 1.1%" in f["message"]
    assert "weight: 10 gives 90:10" in f["hint"]
    lines = (DIR / name).read_text().splitlines()
    assert [r["line"] for r in f["related"]] == [
        next(i for i, t in enumerate(lines, 1) if t.strip() == "weight: 90")]


def test_each_unset_backend_reported():
    out = fixture_findings(CODE, "bad_each_unset_backend_reported.yaml")
    assert [f["path"] for f in out] == ["/spec/rules/0/backendRefs/0",
                                        "/spec/rules/0/backendRefs/2"]
    assert "splits 1:80:1 (1.2% : 97.6% : 1.2%)" in out[0]["message"]
    assert "not 10:80:10" in out[0]["message"]


def test_demo_shows_the_canary_split_and_the_missing_catch_all(monkeypatch):
    """examples/demo: the 90/unset canary (GW302) and the shop host without '/' (GW311)."""
    from gwlint.engine import LintConfig, lint
    from gwlint.reporters.common import finding_dict

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    report = lint(LintConfig(paths=["examples/demo"], select=["GW3"], ignore=["GW305"]))
    out = [finding_dict(report, f) for f in report.findings]
    assert [(f["rule"], f["file"], f["line"], f["path"]) for f in out] == [
        ("GW311", "examples/demo/apps/shop/route.yaml", 13, "/spec/hostnames/0"),
        ("GW302", "examples/demo/apps/shop/route.yaml", 23, "/spec/rules/0/backendRefs/1"),
    ]
    assert "90:1 (98.9% : 1.1%), not 90:10" in out[1]["message"]
    assert out[0]["listener"] == "https-shop"
