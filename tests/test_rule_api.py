"""The rule-authoring API: `Rule.run` stamps the code and, for a rule that declares `@rule(predicts=
...)`, every condition the status model says the finding's field causes; `ctx.rule_option(name)`
answers with the running rule's configured or default value.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gwlint import status
from gwlint.context import Context, Options
from gwlint.engine import LintConfig, build_context
from gwlint.findings import NO_PREDICTION, Finding, Predicts, Severity
from gwlint.registry import Rule, all_rules

DECLARED = Predicts("Accepted", "False", "NoMatchingParent")


def make_rule(check: Callable[[Context], Iterator[Finding]], predicts: Predicts | None = DECLARED,
              options: dict[str, Any] | None = None) -> Rule:
    return Rule("GW999", "test-rule", "reference", Severity.ERROR, "a test rule", "", check,
                predicts, False, options or {})


def context(rule_options: dict[str, dict[str, Any]] | None = None) -> Context:
    return Context([], Options(rule_options=rule_options or {}))


GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: cls
  listeners:
  - {name: https, port: 443, protocol: HTTPS, tls: {certificateRefs: [{name: missing}]}}
"""
CERT = ("spec", "listeners", 0, "tls", "certificateRefs", 0)
INVALID_CERT = Predicts("ResolvedRefs", "False", "InvalidCertificateRef")
PROGRAMMED = Predicts("Programmed", "False", "Invalid")


def _gateway_context(tmp_path) -> tuple[Context, Any]:
    (tmp_path / "gw.yaml").write_text(GATEWAY, encoding="utf-8")
    ctx = build_context(LintConfig(paths=[str(tmp_path / "gw.yaml")]))
    return ctx, ctx.of_kind("Gateway")[0]


def _conditions(found: Finding) -> list[tuple]:
    assert isinstance(found.predicts, list)
    return [(p.kind, p.listener, p.type, p.status, p.reason) for p in found.predicts]


def test_run_stamps_code_and_every_condition_the_model_says_the_field_causes(tmp_path) -> None:
    """A finding is a view on the status model: its field's conditions, the declared type
    first; NO_PREDICTION and findings without a resource predict nothing."""
    ctx, gateway = _gateway_context(tmp_path)

    def check(ctx: Context) -> Iterator[Finding]:
        yield Finding("the certificateRef", resource=gateway, path=CERT)
        yield Finding("cannot decide", resource=gateway, path=CERT, predicts=NO_PREDICTION)
        yield Finding("no resource")
        yield Finding("reported for another code", rule="GW001", resource=gateway,
                      path=("spec", "listeners", 0, "hostname"))

    found = make_rule(check, predicts=INVALID_CERT).run(ctx)
    assert [(f.message, f.rule) for f in found] == [
        ("the certificateRef", "GW999"), ("cannot decide", "GW999"), ("no resource", "GW999"),
        ("reported for another code", "GW001")]
    assert _conditions(found[0]) == [
        ("Gateway", "https", "ResolvedRefs", "False", "InvalidCertificateRef"),
        ("Gateway", "https", "Programmed", "False", "Invalid"),
        ("Gateway", None, "Accepted", "False", "ListenersNotValid"),
        ("Gateway", None, "Programmed", "False", "Invalid")]
    assert [f.predicts for f in found[1:]] == [[], [], []]


def test_a_finding_may_put_another_condition_first(tmp_path) -> None:
    """By naming the model's condition it is a view on, or another declared type."""
    ctx, gateway = _gateway_context(tmp_path)
    programmed = status.model(ctx).of(gateway).listener("https").conditions.get("Programmed")

    def check(ctx: Context) -> Iterator[Finding]:
        yield Finding("the listener", resource=gateway, path=("spec", "listeners", 0),
                      condition=programmed)
        yield Finding("another type", resource=gateway, path=CERT, predicts=PROGRAMMED)

    by_condition, by_type = make_rule(check, predicts=INVALID_CERT).run(ctx)
    for found in (by_condition, by_type):
        assert _conditions(found)[0] == ("Gateway", "https", "Programmed", "False", "Invalid")


def test_rule_without_prediction_stamps_an_empty_list() -> None:
    def check(ctx: Context) -> Iterator[Finding]:
        yield Finding("plain")
        yield Finding("still none", predicts=NO_PREDICTION)

    found = make_rule(check, predicts=None).run(context())
    assert [f.predicts for f in found] == [[], []]


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


ROUTE_TO_THING = """
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  rules:
  - backendRefs: [{group: example.com, kind: Thing, name: thing}]
"""


@pytest.mark.parametrize("configured, reason", [
    ({}, "InvalidKind"),                                             # the @rule default: none
    ({"backend-invalid-kind": {"allowed-kinds": ["example.com/Thing"]}}, None),  # name, dashes
    ({"GW103": {"allowed_kinds": ["example.com/Thing"]}}, None),     # code, declared spelling
])
def test_a_stage_before_the_rules_reads_a_rules_option_as_the_registry_resolves_it(
        tmp_path, configured: dict[str, dict[str, Any]], reason: str | None) -> None:
    """The status model decides InvalidKind with GW103's `allowed_kinds`: the engine hands it
    every rule's options, resolved by the registry (`Options.settings`), as the rule sees them."""
    (tmp_path / "route.yaml").write_text(ROUTE_TO_THING, encoding="utf-8")
    ctx = build_context(LintConfig(paths=[str(tmp_path / "route.yaml")],
                                   rule_options=configured))
    gw103 = next(r for r in all_rules() if r.code == "GW103")
    assert ctx.options.settings["GW103"] == gw103.settings(configured)
    [ref] = ctx.refs("backendRef")
    problem = status.model(ctx).reference(ref)
    assert (problem.reason if problem else None) == reason
