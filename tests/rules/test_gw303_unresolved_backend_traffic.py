"""GW303 unresolved-backend-traffic: the failing share, the predicted reason, the fixed route."""

from __future__ import annotations

from support.fixtures import RULES_DIR, fixture_findings, load_fixture, run_fixture
from support.predicts import primary

CODE = "GW303"


def test_missing_service_share():
    [f] = fixture_findings(CODE, "bad_missing_service_share.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/1"
    assert f["message"].startswith("25% of requests to rule 0 get HTTP 500: backendRef 'nope'")
    assert "weight 1 of 4" in f["message"]
    assert primary(f) == {"type": "ResolvedRefs", "status": "False",
                             "reason": "BackendNotFound"}


def test_cross_namespace_without_grant_is_ref_not_permitted():
    [f] = fixture_findings(CODE, "bad_cross_namespace_without_grant.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/1"
    assert f["message"].startswith("50% of requests to rule 0 get HTTP 500")
    assert primary(f)["reason"] == "RefNotPermitted"


def test_grant_in_wrong_namespace_does_not_count():
    out = fixture_findings(CODE, "bad_grant_in_wrong_namespace.yaml")
    assert [primary(f)["reason"] for f in out] == ["RefNotPermitted"]


def test_grpc_wording():
    [f] = fixture_findings(CODE, "bad_grpc_share.yaml")
    assert f["message"].startswith(
        "25% of requests to rule 0 get gRPC status UNAVAILABLE: backendRef 'gone'")


def test_unknown_namespace_lowers_confidence():
    [f] = fixture_findings(CODE, "bad_unknown_namespace_is_a_warning.yaml")
    # undecidable (a grant may live outside the files): the model's likely outcome, marked so
    assert (f["severity"], primary(f)["reason"]) == ("warning", "RefNotPermitted")
    assert f["predicts"][0]["likely"] and "ReferenceGrant" in f["predicts"][0]["undecided"]
    assert f["message"].startswith("10% of requests")
    assert "nothing in the linted files is in that namespace" in f["message"]


TRAFFIC = ("GW301", "GW302", "GW303", "GW304", "GW305", "GW306", "GW307")


def test_fixed_route_is_clean_for_every_traffic_rule():
    fx = load_fixture(CODE, RULES_DIR / CODE / "good_fixed_route.yaml")
    out = run_fixture(fx)
    assert [f["rule"] for f in out if f["rule"] in TRAFFIC or f["rule"].startswith("GW0")] == []
