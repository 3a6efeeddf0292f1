"""Findings are views on the status model: over every `bad*` fixture of the rules that predict a
condition, each such finding predicts at least one condition, the first of its rule's declared
type, and no condition (object, parent or listener, type) is ever predicted two ways by the
findings of one run."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from support.fixtures import fixture_paths, load_fixture, run_fixture

from gwlint.registry import all_rules

PREDICTING = {r.code: r for r in all_rules() if r.predicts is not None}


def _bad_fixtures(code: str) -> list:
    return [load_fixture(c, p) for c, p in fixture_paths() if c == code
            and p.name.startswith("bad")]


@pytest.mark.parametrize("code", sorted(PREDICTING))
def test_findings_of_a_predicting_rule_are_views_on_the_model(code: str) -> None:
    rule = PREDICTING[code]
    fixtures = [fx for fx in _bad_fixtures(code) if not fx.xfail]
    if not fixtures:
        pytest.skip(f"tests/rules/{code}/ has no bad fixture")
    for fx in fixtures:
        findings = run_fixture(fx)
        own = [f for f in findings if f["rule"] == code]
        assert own, fx.id
        for f in own:
            assert f["predicts"], f"{fx.id}:{f['line']}: {f['message']}"
            assert f["predicts"][0]["type"] == rule.predicts.type, (fx.id, f["predicts"][0])
        seen: dict[tuple, set[tuple]] = defaultdict(set)
        for f in findings:
            for p in f["predicts"]:
                where = (json.dumps(p["object"], sort_keys=True),
                         json.dumps(p["parent"], sort_keys=True), p["listener"], p["type"])
                seen[where].add((p["status"], p["reason"], p["likely"]))
        twice = {k: v for k, v in seen.items() if len(v) > 1}
        assert not twice, (fx.id, twice)
