"""GW204 hostname-partially-ignored: message, listener, parent and related location."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW204"
DIR = RULES_DIR / CODE


def test_some_hostnames_ignored():
    name = "bad_some_hostnames_ignored.yaml"
    [f] = fixture_findings(CODE, name)
    lines = (DIR / name).read_text().splitlines()
    assert f["path"] == "/spec/hostnames/1"
    assert f["severity"] == "warning" and primary(f) is None
    assert "'shop.example.net'" in f["message"]
    assert f["listener"] == "https" and f["parent"]["name"] == "web"
    assert [r["line"] for r in f["related"]] == [
        next(i for i, t in enumerate(lines, 1) if 'hostname: "*.example.com"' in t)]
