"""GW401 open-listener-all-namespaces: path, listener, message; the fixed Gateway is clean."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW401"
FROM = "/spec/listeners/0/allowedRoutes/namespaces/from"


def test_no_hostname_and_from_all():
    [f] = fixture_findings(CODE, "bad_no_hostname_and_from_all.yaml")
    assert (f["path"], f["listener"], primary(f)) == (FROM, "http", None)
    assert f["message"] == ("listener 'http' of Gateway infra/gw has no hostname and admits "
                            "routes from all namespaces: any namespace can claim any hostname")


def test_wildcard_hostname_https():
    [f] = fixture_findings(CODE, "bad_wildcard_hostname_https.yaml")
    assert (f["path"], f["listener"]) == (FROM.replace("/0/", "/1/"), "https")
    assert "any host under 'example.com'" in f["message"]


def test_listenerset_listener():
    [f] = fixture_findings(CODE, "bad_listenerset_listener.yaml")
    assert (f["path"], f["listener"]) == (FROM, "open")
    assert "ListenerSet team/team" in f["message"]


def test_fixed_gateway_is_clean_for_both_security_rules():
    out = run_fixture(load_fixture(CODE, RULES_DIR / CODE / "good_fixed_gateway.yaml"))
    assert [f["rule"] for f in out
            if f["rule"] in ("GW401", "GW402") or f["rule"].startswith("GW0")] == []
