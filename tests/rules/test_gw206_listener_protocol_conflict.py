"""GW206 listener-protocol-conflict: predicted condition, paths, related listener, messages."""

from __future__ import annotations

import pytest
from support.fixtures import RULES_DIR, fixture_findings, fixture_paths, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW206"
DIR = RULES_DIR / CODE


def line(name: str, needle: str) -> int:
    return next(i for i, text in enumerate((DIR / name).read_text().splitlines(), 1)
                if needle in text)


def test_http_and_tcp_on_one_port():
    name = "bad_http_and_tcp_on_one_port.yaml"
    out = fixture_findings(CODE, name)
    assert [(f["path"], f["listener"]) for f in out] == [("/spec/listeners/0", "http"),
                                                         ("/spec/listeners/1", "tcp")]
    assert primary(out[0]) == {"type": "Conflicted", "status": "True",
                                  "reason": "ProtocolConflict"}
    # each names the other
    assert out[0]["related"][0]["line"] == line(name, "- name: tcp")
    assert out[1]["related"][0]["line"] == line(name, "- name: http")


def test_https_and_tls_without_hostnames():
    out = fixture_findings(CODE, "bad_https_and_tls_without_hostnames.yaml")
    assert [f["listener"] for f in out] == ["conflicted-https", "conflicted-tls"]
    assert "no hostname cannot be told apart" in out[0]["message"]


def test_listenerset_listener_loses_to_gateway():
    name = "bad_listenerset_listener_loses_to_gateway.yaml"
    [f] = fixture_findings(CODE, name)
    assert (f["path"], f["listener"]) == ("/spec/listeners/0", "raw")
    assert "the listener merged later is rejected" in f["message"]
    assert f["related"][0]["line"] == line(name, "- name: http")


LISTENER_RULES = ("GW206", "GW207", "GW208", "GW209", "GW210", "GW211")


@pytest.mark.parametrize("code,path", [(c, p) for c, p in fixture_paths() if c in LISTENER_RULES
                                       and p.name.startswith("good")],
                         ids=lambda v: v.name if hasattr(v, "name") else v)
def test_good_fixtures_are_clean_for_every_listener_rule(code, path):
    """A fixed Gateway must not trade one listener mistake for another (unless marked)."""
    fx = load_fixture(code, path)
    marked = {(m.code, m.line) for m in fx.markers}
    assert [(f["rule"], f["line"]) for f in run_fixture(fx)
            if f["rule"] in LISTENER_RULES and (f["rule"], f["line"]) not in marked] == []
