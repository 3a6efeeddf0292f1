"""GW101 parent-ref-unresolved: what the markers of tests/rules/GW101/ cannot say (message, hint,
related location, the parent it resolved to, no predicted condition)."""

from __future__ import annotations

from support.fixtures import fixture_findings
from support.predicts import primary


def test_names_the_namespace_where_the_gateway_lives() -> None:
    [f] = fixture_findings("GW101", "bad_gateway_in_other_namespace.yaml")
    assert f["message"] == "parentRef Gateway 'shared' not found in namespace 'app'"
    assert f["hint"] == "a Gateway named 'shared' exists in namespace 'infra': add namespace: infra"
    assert [(r["line"], r["message"]) for r in f["related"]] == [(13, "Gateway infra/shared")]
    assert f["path"] == "/spec/parentRefs/0"
    assert f["parent"] == {"group": "gateway.networking.k8s.io", "kind": "Gateway",
                           "namespace": "app", "name": "shared", "sectionName": None, "port": None}
    # No controller writes status on a route for a parent it cannot find.
    assert primary(f) is None


def test_unknown_namespace_hint_declares_the_gateway() -> None:
    [f] = fixture_findings("GW101", "bad_unknown_namespace_warning.yaml")
    assert f["message"].endswith("(nothing in the linted files is in that namespace)")
    assert f["hint"] == ("if it is managed elsewhere, declare it: --assume-exists "
                         "'Gateway/edge/edge-gateway'")


def test_missing_in_a_described_namespace() -> None:
    found = fixture_findings("GW101", "bad_missing_in_known_namespace.yaml")
    assert [f["parent"]["name"] for f in found] == ["internal", "internl"]
    assert all(f["related"] == [] and "parentRefs[].namespace" in f["hint"] for f in found)
