"""GW102 backend-not-found: messages, hints, predicted condition and related locations of the
fixtures in tests/rules/GW102/ (the markers there pin rule, line, column and severity)."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary

NOT_FOUND = {"type": "ResolvedRefs", "status": "False", "reason": "BackendNotFound"}


def test_typo_in_a_described_namespace() -> None:
    [f] = fixture_findings("GW102", "bad_missing_service_typo.yaml")
    assert f["message"] == "backendRef Service 'storefrnt' not found in namespace 'shop'"
    assert f["path"] == "/spec/rules/0/backendRefs/0"
    assert primary(f) == NOT_FOUND and f["parent"] is None
    assert f["hint"] == "did you mean Service 'storefront'?"
    assert [(r["line"], r["message"]) for r in f["related"]] == [(6, "Service shop/storefront")]


def test_mirror_backend() -> None:
    [f] = fixture_findings("GW102", "bad_mirror_backend_missing.yaml")
    assert f["message"] == "requestMirror backendRef Service 'shadow' not found in namespace 'shop'"
    assert f["path"] == "/spec/rules/0/filters/0/requestMirror/backendRef"


def test_names_the_namespace_where_the_service_lives() -> None:
    [f] = fixture_findings("GW102", "bad_service_in_other_namespace.yaml")
    assert f["hint"] == ("a Service named 'payments' exists in namespace 'payments': set "
                         "backendRef.namespace: payments (and a ReferenceGrant in that namespace)")


def test_unknown_namespace_says_how_to_declare_it() -> None:
    [f] = fixture_findings("GW102", "bad_unknown_namespace_warning.yaml")
    assert f["message"] == ("backendRef Service 'ledger' not found in namespace 'finance' "
                            "(nothing in the linted files is in that namespace)")
    assert "--assume-exists 'Service/finance/*'" in f["hint"]
    assert f["related"] == []
