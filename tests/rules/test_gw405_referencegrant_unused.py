"""GW405 referencegrant-unused: the hint says where the grant should live, for
tests/rules/GW405/."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_grant_in_the_wrong_namespace() -> None:
    [f] = fixture_findings("GW405", "bad_grant_in_wrong_namespace.yaml")
    assert f["path"] == "/metadata/name"
    assert f["hint"].startswith("it would permit HTTPRoute shop/web -> Service payments/payments "
                                "if it lived in namespace 'payments'")
    assert [r["line"] for r in f["related"]] == [28]  # the backendRef it would permit


def test_grant_for_nothing() -> None:
    [f] = fixture_findings("GW405", "bad_grant_for_nothing.yaml")
    assert f["hint"] == "delete it, or check its from/to entries against the references it is for"
