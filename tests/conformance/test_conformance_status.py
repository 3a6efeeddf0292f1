"""gwlint's predicted status against the Gateway API conformance suite's expectations.

The score may only go up: the floors below are the values measured when the data was recorded
(see README.md here); raise them when gwlint gets better. `python scripts/conformance_score.py`
prints the full report; this test prints every check gwlint gets wrong.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.conformance.scoring import (
    BASE,
    Case,
    Check,
    Observed,
    Ref,
    load_cases,
    mismatch_table,
    score,
    summarize,
)

# Measured on the non-provisional tests. Totals pin the data: change them with the data only.
TOTAL_CHECKS = 434
TOTAL_PROBLEMS = 108
TOTAL_HEALTHY_OBJECTS = 69
FLOOR_MODEL_MATCH = 415  # every check the status model gets exactly right
FLOOR_PROBLEM_MODEL_MATCH = 95  # problem conditions the status model gets right
FLOOR_PROBLEM_FINDINGS_MATCH = 95  # problem conditions some finding's `predicts` holds
CEILING_HEALTHY_MODEL_WRONG = 5  # healthy conditions the status model gets wrong
CEILING_HEALTHY_FINDINGS_CONTRADICT = 0  # healthy conditions some finding's `predicts` denies
CEILING_HEALTHY_OBJECTS_FLAGGED = 0  # healthy objects a finding contradicts or errors on


def test_score_does_not_regress() -> None:
    cases = load_cases()
    report = score(cases)
    summary = summarize(report, cases)
    table = "\n".join(["", *summary.lines(), "", "Mismatches:", *mismatch_table(report)])
    print(table)
    assert (summary.model_total, summary.problem_total, summary.healthy_objects) == (
        TOTAL_CHECKS, TOTAL_PROBLEMS, TOTAL_HEALTHY_OBJECTS), "the data changed: re-record"
    assert summary.model_match >= FLOOR_MODEL_MATCH, table
    assert summary.problem_model_match >= FLOOR_PROBLEM_MODEL_MATCH, table
    assert summary.problem_findings_match >= FLOOR_PROBLEM_FINDINGS_MATCH, table
    assert summary.healthy_model_wrong <= CEILING_HEALTHY_MODEL_WRONG, table
    assert summary.healthy_findings_contradict <= CEILING_HEALTHY_FINDINGS_CONTRADICT, table
    assert summary.healthy_objects_flagged <= CEILING_HEALTHY_OBJECTS_FLAGGED, table


def test_every_checked_object_is_in_the_manifests() -> None:
    """A typo in expected.yaml would score as gwlint's mistake."""
    base = _objects(BASE)
    for case in load_cases():
        known = base | _objects(case.path)
        for check in case.checks:
            for ref in (check.object, check.parent, check.ancestor):
                assert ref is None or ref in known, f"{case.name}: {ref} is in no manifest"


def _objects(folder: Any) -> set[Ref]:
    found = set()
    for path in folder.glob("*.yaml"):
        if path.name == "expected.yaml":
            continue
        for doc in yaml.load_all(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader):
            if doc:
                meta = doc["metadata"]
                found.add(Ref(doc["kind"], meta.get("namespace", ""), meta["name"]))
    return found


# -- the scorer itself, on made-up observations ----------------------------------------------

GW = Ref("Gateway", "ns", "gw")
ROUTE = Ref("HTTPRoute", "ns", "r")


def _case(*checks: Check) -> Case:
    return Case("Made", BASE, False, list(checks))


def _check(obj: Ref, **spec: Any) -> Check:
    listener = spec.pop("listener", None)
    parent = spec.pop("parent", None)
    return Check("Made", obj, listener, parent, None, spec)


def _gateway(listener_conditions: list[dict[str, Any]], kinds: list[str]) -> dict[str, Any]:
    return {"kind": "Gateway", "metadata": {"name": "gw", "namespace": "ns"},
            "status": {"conditions": [], "listeners": [{
                "name": "l", "attachedRoutes": 1, "conditions": listener_conditions,
                "supportedKinds": [{"group": "gateway.networking.k8s.io", "kind": k}
                                   for k in kinds]}]}}


def _outcomes(case: Case, seen: Observed) -> list[tuple[str, str | None]]:
    return [(o.model, o.finding) for o in score([case], lambda _c: seen).outcomes]


@pytest.mark.parametrize(("cond", "expected"), [
    ({"type": "ResolvedRefs", "status": "False", "reason": "RefNotPermitted"}, "match"),
    ({"type": "ResolvedRefs", "status": "False", "reason": "InvalidCertificateRef"}, "mismatch"),
    ({"type": "ResolvedRefs", "status": "Unknown", "reason": "RefNotPermitted",
      "x-gwlint": {"likely": {"status": "False", "reason": "RefNotPermitted"}}}, "likely"),
    ({"type": "Programmed", "status": "False", "reason": "Invalid"}, "missing"),
])
def test_condition_outcomes(cond: dict[str, Any], expected: str) -> None:
    check = _check(GW, listener="l", type="ResolvedRefs", status="False", reason="RefNotPermitted")
    assert _outcomes(_case(check), Observed([_gateway([cond], [])], []))[0][0] == expected


def test_supported_kinds_empty_means_none_and_a_list_means_these_at_least() -> None:
    gw = _gateway([], ["HTTPRoute", "GRPCRoute"])
    none, some, other = (_check(GW, listener="l", supportedKinds=k)
                         for k in ([], ["HTTPRoute"], ["TLSRoute"]))
    outcomes = _outcomes(_case(none, some, other), Observed([gw], []))
    assert [o[0] for o in outcomes] == ["mismatch", "match", "mismatch"]


def test_problem_recall_reads_predicts_of_the_right_parent() -> None:
    route = {"kind": "HTTPRoute", "metadata": {"name": "r", "namespace": "ns"},
             "status": {"parents": []}}
    check = _check(ROUTE, parent=GW, type="Accepted", status="False",
                   reason="NotAllowedByListeners")

    def finding(parent_name: str, likely: bool) -> dict[str, Any]:
        return {"rule": "GW202", "severity": "error", "resource": None, "predicts": [{
            "object": {"kind": "HTTPRoute", "namespace": "ns", "name": "r"},
            "parent": {"kind": "Gateway", "namespace": "ns", "name": parent_name},
            "listener": None, "type": "Accepted", "status": "False",
            "reason": "NotAllowedByListeners", "likely": likely}]}

    assert _outcomes(_case(check), Observed([route], [finding("gw", False)])) == [
        ("missing", "match")]
    assert _outcomes(_case(check), Observed([route], [finding("gw", True)])) == [
        ("missing", "likely")]
    assert _outcomes(_case(check), Observed([route], [finding("other", False)])) == [
        ("missing", "none")]


def test_a_contradicting_prediction_flags_a_healthy_object() -> None:
    check = _check(GW, listener="l", type="Accepted", status="True")
    flagging = {"rule": "GW213", "severity": "error", "message": "m",
                "resource": {"kind": "Gateway", "namespace": "ns", "name": "gw"},
                "predicts": [{"object": {"kind": "Gateway", "namespace": "ns", "name": "gw"},
                              "parent": None, "listener": "l", "type": "Accepted",
                              "status": "False", "reason": "UnsupportedProtocol"}]}
    cond = {"type": "Accepted", "status": "True", "reason": "Accepted"}
    report = score([_case(check)], lambda _c: Observed([_gateway([cond], [])], [flagging]))
    summary = summarize(report, [_case(check)])
    assert (summary.healthy_objects_flagged, summary.healthy_findings_contradict) == (1, 1)
    report = score([_case(check)], lambda _c: Observed([_gateway([cond], [])], []))
    summary = summarize(report, [_case(check)])
    assert (summary.healthy_objects_flagged, summary.healthy_findings_contradict) == (0, 0)
