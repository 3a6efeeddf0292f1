"""The rule registry: every rule is one module in `gwlint.rules`, registered by `@rule`."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlint.findings import CATEGORIES, NO_PREDICTION, Finding, Predicts, Severity

if TYPE_CHECKING:
    from gwlint.context import Context

CheckFn = Callable[["Context"], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule's identity, documentation and check function."""

    code: str
    name: str
    category: str
    severity: Severity
    summary: str
    doc: str
    check: CheckFn
    predicts: Predicts | None = None
    opt_in: bool = False  # off unless selected explicitly (by code, name or prefix)
    options: dict[str, Any] = field(default_factory=dict)  # option name -> default value

    def run(self, ctx: Context,
            keep: Callable[[Iterable[Finding]], list[Finding]] = list) -> list[Finding]:
        """The check's findings, stamped with this rule's code and, for a rule that declares
        `predicts` (or a finding that names a `Predicts` of its own), every condition the status
        model says the finding implies, that type first (a list, empty for NO_PREDICTION and for
        rules that predict nothing). `ctx.rule_option(name)` answers with this rule's options
        while the check runs. `keep`: the findings kept of those the check yields, as they come
        (the engine's `budget.FindingsCap.keep`); every one by default."""
        ctx.rule_settings = self.settings(ctx.options.rule_options)
        try:
            findings = keep(self._stamped(ctx))
        finally:
            ctx.rule_settings = {}
        for finding in findings:
            if isinstance(finding.predicts, list):
                continue
            declared = finding.predicts or self.predicts  # a finding may name another type
            if finding.predicts is NO_PREDICTION or declared is None:
                finding.predicts = []
            else:
                # imported here: `gwlint --help` and `gwlint rules` need no status model
                from gwlint.status.view import predicted

                finding.predicts = predicted(ctx, finding, declared)
        return findings

    def _stamped(self, ctx: Context) -> Iterator[Finding]:
        """The check's findings with this rule's code (what `keep` groups them by)."""
        for finding in self.check(ctx):
            finding.rule = finding.rule or self.code
            yield finding

    def settings(self, configured: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """This rule's options: the `@rule(options=...)` defaults overlaid with the configured
        values, which may be keyed by the rule's code or name and use dashes for underscores."""
        values = dict(self.options)
        for key in (self.name, self.code):
            for option, value in configured.get(key, {}).items():
                values[option.replace("-", "_")] = value
        return values


_RULES: dict[str, Rule] = {}


def rule(code: str, name: str, *, category: str, severity: str, summary: str,
         predicts: tuple[str, str, str] | None = None, opt_in: bool = False,
         options: dict[str, Any] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated check function; the module docstring is the rule's documentation."""
    if category not in CATEGORIES:
        raise ValueError(f"{code}: unknown category {category!r}")

    def register(check: CheckFn) -> CheckFn:
        doc = sys.modules[check.__module__].__doc__ or ""
        if code in _RULES and _RULES[code].check.__module__ != check.__module__:
            raise ValueError(f"duplicate rule code {code}")
        _RULES[code] = Rule(code, name, category, Severity.parse(severity), summary,
                            doc.strip(), check, Predicts(*predicts) if predicts else None,
                            opt_in, dict(options or {}))
        return check

    return register


def all_rules() -> list[Rule]:
    """Every registered rule, sorted by code (imports the rule modules on first use)."""
    if not _RULES:
        import gwlint.rules as package

        for info in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{info.name}")
    return sorted(_RULES.values(), key=lambda r: r.code)


def rule_settings(configured: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every rule's options by code, as `Rule.settings` resolves them (the `@rule` defaults
    overlaid with the configured values): `Options.settings`, for the stages before the rules
    that decide with a rule's option (the status model reads GW103's `allowed_kinds`)."""
    return {r.code: r.settings(configured) for r in all_rules()}


def get_rule(code_or_name: str) -> Rule | None:
    for r in all_rules():
        if code_or_name.upper() == r.code or code_or_name.lower() == r.name:
            return r
    return None


def _matches(r: Rule, selector: str) -> bool:
    sel = selector.strip()
    if sel.upper() == "ALL":
        return True
    return r.code.startswith(sel.upper()) or r.name == sel.lower() or r.category == sel.lower()


def unknown_selectors(selectors: Iterable[str]) -> list[str]:
    """Selectors that match no rule: a typo in --select must not silently disable linting."""
    rules = all_rules()
    return [s for s in selectors if s.strip() and not any(_matches(r, s) for r in rules)]


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = (),
                 extend_select: Iterable[str] = ()) -> list[Rule]:
    """Rules enabled by selection: opt-in rules only when named by exact code, name or prefix."""
    select = [s for s in select if s.strip()]
    extend = [s for s in extend_select if s.strip()]
    chosen = []
    for r in all_rules():
        explicit = any(_matches(r, s) and s.strip().upper() != "ALL" for s in [*select, *extend])
        on = any(_matches(r, s) for s in select) if select else True
        on = on or any(_matches(r, s) for s in extend)
        if r.opt_in and not explicit:
            on = False
        if any(_matches(r, s) for s in ignore if s.strip()):
            on = False
        if on:
            chosen.append(r)
    return chosen
