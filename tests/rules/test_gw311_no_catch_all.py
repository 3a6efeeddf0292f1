"""GW311 no-catch-all: the message, the listener-hostname case, and the fixed setup."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW311"


def test_host_without_catch_all():
    www, shop = fixture_findings(CODE, "bad_host_without_catch_all.yaml")
    assert (www["path"], shop["path"]) == ("/spec/hostnames/0", "/spec/hostnames/1")
    assert primary(shop) is None and shop["listener"] == "http"
    assert shop["message"] == ("no rule for 'shop.example.com' on listener 'http' of Gateway "
                               "infra/gw matches every path (its route has no PathPrefix '/' "
                               "rule): requests to other paths get 404")


def test_once_per_listener_and_host():
    [f] = fixture_findings(CODE, "bad_once_per_listener_and_host.yaml")
    assert "none of its 2 routes" in f["message"]


def test_listener_hostname_route_without_hostnames():
    [f] = fixture_findings(CODE, "bad_listener_hostname_route_without_hostnames.yaml")
    assert f["path"] == "/spec/parentRefs/0"
    assert "'api.example.com'" in f["message"] and f["listener"] == "api"


def test_fixed_setup_is_clean_for_every_conflict_rule():
    out = run_fixture(load_fixture(CODE, RULES_DIR / CODE / "good_fixed_setup.yaml"))
    conflict = ("GW308", "GW309", "GW310", "GW311")
    assert [f["rule"] for f in out if f["rule"] in conflict or f["rule"].startswith("GW0")] == []
