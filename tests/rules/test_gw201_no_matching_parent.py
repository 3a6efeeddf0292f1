"""GW201 no-matching-parent: what the fixture markers cannot say (path, hint, parent, predicts)."""

from __future__ import annotations

import pytest
from support.fixtures import RULES_DIR, fixture_findings, fixture_paths, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW201"
DIR = RULES_DIR / CODE



def line(name: str, needle: str) -> int:
    return next(i for i, text in enumerate((DIR / name).read_text().splitlines(), 1)
                if needle in text)


def test_section_name_typo():
    name = "bad_section_name_typo.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/parentRefs/0/sectionName"
    assert primary(f) == {"type": "Accepted", "status": "False", "reason": "NoMatchingParent"}
    assert f["parent"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                           "namespace": "infra", "name": "web", "sectionName": "htps",
                           "port": None}
    assert f["listener"] == "htps"
    assert "did you mean sectionName: https" in f["hint"]
    assert "'http' (80/HTTP, any host)" in f["hint"]
    assert [r["line"] for r in f["related"]] == [line(name, "  listeners:")]


def test_port_matches_no_listener():
    [f] = fixture_findings(CODE, "bad_port_no_listener.yaml")
    assert f["path"] == "/spec/parentRefs/0/port"
    assert "port 8443 matches no listener" in f["message"]


def test_section_name_and_port_must_both_match():
    [f] = fixture_findings(CODE, "bad_section_and_port_disagree.yaml")
    assert f["path"] == "/spec/parentRefs/0/port"
    assert "listens on port 443" in f["message"]
    assert "set port: 443 or drop port" in f["hint"]


def test_listenerset_parent_lists_its_own_listeners():
    [f] = fixture_findings(CODE, "bad_listenerset_section_name.yaml")
    assert f["parent"]["kind"] == "ListenerSet" and f["parent"]["name"] == "shop"
    assert "listeners of ListenerSet shop/shop: 'shop' (8080/HTTP, any host)" in f["hint"]


def test_missing_gateway_is_gw101s_business():
    out = run_fixture(load_fixture(CODE, DIR / "good_gateway_not_in_files.yaml"))
    assert [f["rule"] for f in out if f["rule"] in ("GW201", "GW202", "GW203")] == []
    assert [f["rule"] for f in out if f["rule"] == "GW101"] == ["GW101"]


ATTACHMENT = ("GW201", "GW202", "GW203", "GW204", "GW205", "GW212")


@pytest.mark.parametrize("code,path", [(c, p) for c, p in fixture_paths() if c in ATTACHMENT
                                       and p.name.startswith("good")],
                         ids=lambda v: v.name if hasattr(v, "name") else v)
def test_good_fixtures_are_clean_for_every_attachment_rule(code, path):
    """A fixed example must not trade one attachment mistake for another (unless marked)."""
    fx = load_fixture(code, path)
    marked = {(m.code, m.line) for m in fx.markers}
    assert [(f["rule"], f["line"]) for f in run_fixture(fx)
            if f["rule"] in ATTACHMENT and (f["rule"], f["line"]) not in marked] == []
