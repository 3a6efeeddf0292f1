"""GW308 route-match-conflict: the message names both routes, the related locations point at the
other route's match and at the listener."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW308"
DIR = RULES_DIR / CODE


def lines(name: str, needle: str) -> list[int]:
    return [i for i, t in enumerate((DIR / name).read_text().splitlines(), 1) if t == needle]


def test_identical_match_on_same_host_names_both():
    name = "bad_identical_match_on_same_host.yaml"
    [f] = fixture_findings(CODE, name)
    assert f["path"] == "/spec/rules/0/matches/0"
    assert primary(f) is None and f["listener"] == "http"
    assert f["parent"]["name"] == "gw" and f["parent"]["namespace"] == "infra"
    assert "PathPrefix '/cart'" in f["message"] and "'shop.example.com'" in f["message"]
    assert "HTTPRoute a/one" in f["message"] and "apply order" in f["message"]
    # a/one's match, then the listener
    assert [r["line"] for r in f["related"]] == [lines(name, "    - path:")[0],
                                                 lines(name, "  - name: http")[0]]


def test_rule_without_matches_is_a_catch_all():
    name = "bad_rule_without_matches_is_a_catch_all.yaml"
    [f] = fixture_findings(CODE, name)
    assert "any host" in f["message"]
    # the other route's rule: it has no matches to point at
    assert f["related"][0]["line"] == lines(name, "  - backendRefs:")[0]


def test_listener_hostname_is_the_effective_hostname():
    [f] = fixture_findings(CODE, "bad_listener_hostname_is_the_effective_hostname.yaml")
    assert f["listener"] == "api" and "'api.example.com'" in f["message"]


def test_other_route_on_the_shared_port():
    [f] = fixture_findings(CODE, "bad_other_route_on_the_shared_port.yaml")
    assert f["listener"] == "alt"
