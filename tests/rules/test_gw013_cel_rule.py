"""GW013 cel-rule: the CRD rule's own message at the field, and the other items a uniqueness
rule involves, for tests/rules/GW013/."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_rule_message_and_field() -> None:
    [f] = fixture_findings("GW013", "bad_redirect_with_backend_refs.yaml")
    assert f["path"] == "/spec/rules/0"
    assert f["message"] == ("spec.rules[0]: RequestRedirect filter must not be used together with "
                            "backendRefs (CEL rule)")


def test_uniqueness_rules_name_the_other_items() -> None:
    found = fixture_findings("GW013", "bad_listeners.yaml")
    unique = [f for f in found if "must be unique" in f["message"]]
    assert [(f["path"], f["hint"]) for f in unique] == [
        ("/spec/listeners/0", "also fails for items [1] of spec.listeners"),
        ("/spec/listeners/3", "also fails for items [4] of spec.listeners")]
