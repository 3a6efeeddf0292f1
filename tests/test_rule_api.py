"""The rule-authoring API: `Rule.run` stamps the code and the predicted condition declared in
`@rule`, and `ctx.rule_option(name)` answers with the running rule's configured or default value.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gwlint.context import Context, Options
from gwlint.findings import NO_PREDICTION, Finding, Predicts, Severity
from gwlint.registry import Rule, all_rules

DECLARED = Predicts("Accepted", "False", "NoMatchingParent")
OTHER = Predicts("ResolvedRefs", "False", "RefNotPermitted")


def make_rule(check: Callable[[Context], Iterator[Finding]], predicts: Predicts | None = DECLARED,
              options: dict[str, Any] | None = None) -> Rule:
    return Rule("GW999", "test-rule", "reference", Severity.ERROR, "a test rule", "", check,
                predicts, False, options or {})


def context(rule_options: dict[str, dict[str, Any]] | None = None) -> Context:
    return Context([], Options(rule_options=rule_options or {}))


def test_run_stamps_code_and_declared_prediction() -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        yield Finding("inherits")
        yield Finding("own condition", predicts=OTHER)
        yield Finding("cannot decide", predicts=NO_PREDICTION)
        yield Finding("reported for another code", rule="GW001")

    found = make_rule(check).run(context())
    assert [(f.message, f.rule, f.predicts) for f in found] == [
        ("inherits", "GW999", DECLARED),
        ("own condition", "GW999", OTHER),
        ("cannot decide", "GW999", None),
        ("reported for another code", "GW001", DECLARED),
    ]


def test_rule_without_prediction_stamps_none() -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        yield Finding("plain")
        yield Finding("still none", predicts=NO_PREDICTION)

    found = make_rule(check, predicts=None).run(context())
    assert [f.predicts for f in found] == [None, None]


@pytest.mark.parametrize("configured, expected", [
    ({}, 2),                                              # the @rule default
    ({"GW999": {"max_things": 5}}, 5),                    # by code, declared spelling
    ({"test-rule": {"max-things": 7}}, 7),                # by name, dashes
    ({"test-rule": {"max_things": 1}, "GW999": {"max_things": 3}}, 3),  # the code wins
    ({"GW998": {"max_things": 9}}, 2),                    # another rule's options
])
def test_rule_option_reads_the_running_rules_value(configured: dict[str, dict[str, Any]],
                                                   expected: int) -> None:
    seen = []

    def check(ctx: Context) -> Iterator[Finding]:
        seen.append(ctx.rule_option("max_things"))
        return iter(())

    ctx = context(configured)
    make_rule(check, options={"max_things": 2}).run(ctx)
    assert seen == [expected]
    with pytest.raises(KeyError):  # outside a running rule there is no option
        ctx.rule_option("max_things")


def test_an_undeclared_option_is_a_programming_error() -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        ctx.rule_option("typo")
        return iter(())

    with pytest.raises(KeyError):
        make_rule(check, options={"max_things": 2}).run(context())


def test_registered_rules_pass_no_code_and_repeat_no_prediction() -> None:
    """The registry is the single source: no rule module writes its own code into a Finding or
    a second copy of its predicted condition."""
    for rule in all_rules():
        source = inspect.getsource(sys.modules[rule.check.__module__])
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding":
                assert not any(k.arg == "rule" for k in node.keywords), rule.code
                first = node.args[0] if node.args else None
                assert not (isinstance(first, ast.Constant) and first.value == rule.code), \
                    rule.code
            if (rule.predicts is not None and isinstance(node, ast.Call)
                    and getattr(node.func, "id", None) == "Predicts"):
                values = tuple(a.value for a in node.args if isinstance(a, ast.Constant))
                assert values != (rule.predicts.type, rule.predicts.status,
                                  rule.predicts.reason), f"{rule.code} repeats its predicts"
