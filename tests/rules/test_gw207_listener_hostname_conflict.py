"""GW207 listener-hostname-conflict: predicted condition, precedence messages, related listener."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings
from support.predicts import primary

CODE = "GW207"
DIR = RULES_DIR / CODE


def test_listenerset_duplicates_gateway_hostname():
    name = "bad_listenerset_duplicates_gateway_hostname.yaml"
    [f] = fixture_findings(CODE, name)
    assert (f["path"], f["listener"]) == ("/spec/listeners/0/hostname", "https")
    assert primary(f) == {"type": "Conflicted", "status": "True",
                             "reason": "HostnameConflict"}
    assert "Gateway infra/web takes precedence" in f["message"]
    # the Gateway's listener (the first of the two identical listener items)
    lines = (DIR / name).read_text().splitlines()
    assert f["related"][0]["line"] == next(
        i for i, t in enumerate(lines, 1) if t == "  - name: https")


def test_empty_hostname_counts_as_a_value():
    [f] = fixture_findings(CODE, "bad_empty_hostname_counts_as_a_value.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/0", "http")
    assert "no hostname" in f["message"]


def test_between_two_listenersets_is_order_dependent():
    [f] = fixture_findings(CODE, "bad_between_two_listenersets.yaml")
    assert (f["path"], f["listener"]) == ("/spec/listeners/0/hostname", "b")
    assert "depends on their creation times" in f["message"]
