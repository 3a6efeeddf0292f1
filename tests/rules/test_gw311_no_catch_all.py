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


# --- while the repository still holds the Ingresses being migrated ----------------------------


def test_names_the_ingress_default_backend_it_replaces():
    [f] = fixture_findings(CODE, "bad_ingress_default_backend.yaml")
    assert f["message"].endswith(", where Ingress shop/shop sent them to storefront:http (its "
                                 "default backend)")
    # the port name is resolved through the Service: a backendRef needs the number
    assert f["hint"].startswith("add a rule without matches (it matches PathPrefix '/') with "
                                "backendRefs [{name: storefront, port: 8080}]")
    ingress = f["related"][0]
    assert (ingress["message"], ingress["line"]) == ("Ingress shop/shop: its default backend", 9)
    assert f["related"][1]["message"] == "listener 'http' of Gateway shop/web"


def test_names_the_ingress_root_path_it_replaces():
    [f] = fixture_findings(CODE, "bad_ingress_root_path.yaml")
    assert "where Ingress shop/shop sent them to storefront:8080 (its '/' path)" in f["message"]
    assert f["related"][0]["line"] == 13  # the "- path: /" entry


def test_silent_only_for_hosts_the_ingresses_routed():
    """No finding for a host whose Ingresses had no catch-all; a host no Ingress routed is
    reported with the message of a repository without Ingresses."""
    [f] = fixture_findings(CODE, "bad_host_no_ingress_routed.yaml")
    assert "where Ingress" not in f["message"] and len(f["related"]) == 1
    assert fixture_findings(CODE, "good_ingress_had_no_catch_all.yaml") == []
