"""GW105 backend-ref-not-permitted: why a reference is refused and the grant to add, for the
fixtures in tests/rules/GW105/."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_message_predicts_and_the_grant_to_add() -> None:
    [f] = fixture_findings("GW105", "bad_cross_namespace_without_grant.yaml")
    assert f["path"] == "/spec/rules/0/backendRefs/0" and f["parent"] is None
    assert primary(f) == {"type": "ResolvedRefs", "status": "False", "reason": "RefNotPermitted"}
    assert f["message"] == ("backendRef to Service 'payments' in namespace 'payments' is not "
                            "permitted: no ReferenceGrant there allows HTTPRoute from namespace "
                            "'shop'")
    assert f["hint"].startswith("add a ReferenceGrant in namespace 'payments' from HTTPRoute in "
                                "'shop' to Service 'payments': {apiVersion: ")
    assert 'to: [{group: "", kind: Service, name: payments}]' in f["hint"]


def test_grant_in_the_route_namespace_is_named() -> None:
    [f] = fixture_findings("GW105", "bad_grant_in_the_route_namespace.yaml")
    assert f["hint"] == ("a ReferenceGrant exists in namespace 'shop' but grants must live in the "
                         "target namespace 'payments': move 'allow' there")
    assert [r["line"] for r in f["related"]] == [36]  # the grant's metadata.namespace


def test_near_misses_say_why_the_grant_does_not_apply() -> None:
    reasons = {
        "bad_httproute_grant_used_by_grpcroute.yaml":
            "ReferenceGrant 'allow' does not apply: it permits references from HTTPRoute, not "
            "from GRPCRoute; add a ReferenceGrant in namespace 'payments' from GRPCRoute",
        "bad_grant_names_another_service.yaml":
            "ReferenceGrant 'allow' does not apply: it permits only Service 'ledger', not "
            "'payments'",
        "bad_grant_from_another_namespace.yaml":
            "ReferenceGrant 'allow' does not apply: it permits references from namespace "
            "'blog', not 'shop'",
        "bad_grant_to_another_kind.yaml":
            "ReferenceGrant 'allow' does not apply: it permits references to Secret, not to "
            "Service",
    }
    for name, start in reasons.items():
        [f] = fixture_findings("GW105", name)
        assert f["hint"].startswith(start), (name, f["hint"])
        assert len(f["related"]) == 1, name


def test_mirror_backend_message() -> None:
    [f] = fixture_findings("GW105", "bad_mirror_backend_needs_a_grant_too.yaml")
    assert f["path"] == "/spec/rules/0/filters/0/requestMirror/backendRef"
    assert f["message"].startswith("requestMirror backendRef to Service 'payments'")


def test_unknown_target_namespace_says_how_to_declare_its_grants() -> None:
    [f] = fixture_findings("GW105", "bad_unknown_target_namespace_warning.yaml")
    assert f["message"].endswith("(nothing in the linted files is in that namespace)")
    assert f["hint"].endswith("--assume-exists 'ReferenceGrant/finance/*'")
