"""Rule registry: every rule is documented and selectable; selection semantics."""

from __future__ import annotations

import re

import pytest

from gwlint.findings import CATEGORIES
from gwlint.registry import all_rules, select_rules, unknown_selectors

RULES = all_rules()


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for r in RULES:
        assert re.fullmatch(r"GW\d{3}", r.code), r.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert r.category in CATEGORIES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_documentation_with_bad_and_fixed_examples(rule):
    doc = rule.doc
    assert len(doc.splitlines()[0]) > 20, "first line is the one-sentence summary"
    assert "Bad:" in doc and "Fixed:" in doc, f"{rule.code} lacks a failing and a fixed example"
    assert doc.count("```") >= 4


def test_families_match_categories():
    family = {"0": {"parse", "schema"}, "1": {"reference"}, "2": {"attachment", "listener"},
              "3": {"conflict", "traffic"}, "4": {"security"}, "5": {"version"},
              "6": {"migration"}, "7": {"implementation"}, "8": {"layout"}}
    for r in RULES:
        assert r.category in family[r.code[2]], (r.code, r.category)


def test_selection_by_code_prefix_name_category_and_all():
    codes = lambda rules: {r.code for r in rules}  # noqa: E731
    default = codes(select_rules())
    assert default == {r.code for r in RULES if not r.opt_in}
    assert codes(select_rules(["GW101"])) == {"GW101"}
    assert codes(select_rules(["parent-ref-unresolved"])) == {"GW101"}
    assert all(c.startswith("GW0") for c in codes(select_rules(["GW0"])))
    assert codes(select_rules(["ALL"], ["GW0"])) == {c for c in default if not c.startswith("GW0")}
    assert codes(select_rules(["version"])) == {r.code for r in RULES if r.category == "version"}
    assert unknown_selectors(["GW1", "nope", "ALL"]) == ["nope"]


def test_opt_in_rules_need_explicit_selection():
    opt_in = [r for r in RULES if r.opt_in]
    for r in opt_in:
        assert r.code not in {x.code for x in select_rules(["ALL"])}
        assert r.code in {x.code for x in select_rules([r.code])}
        assert r.code in {x.code for x in select_rules([], [], [r.name])}
