"""GW008 unused-suppression: suppressions that suppressed nothing, unknown codes, malformed
directives. Like ruff's RUF100: only when GW008 is selected, and only for codes whose rule was
selected (a suppression for a rule that did not run cannot be judged)."""

from __future__ import annotations

from gwlint.findings import Finding, Location
from gwlint.locate import locate
from gwlint.registry import all_rules, get_rule
from gwlint.suppress.directives import ANNOTATION, UNUSED, Directive

def _describe(codes: list[str]) -> str:
    parts = []
    for code in codes:
        rule = get_rule(code)
        parts.append(f"{code} {rule.name}" if rule else code)
    return ", ".join(parts)


def unused_findings(directives: list[Directive], selected: set[str]) -> list[Finding]:
    """GW008 findings: malformed directives, unknown codes, and suppressions of selected rules
    that suppressed nothing (blanket ones only when every default rule ran)."""
    default_rules = {r.code for r in all_rules() if not r.opt_in}
    every_default_selected = default_rules <= selected
    out: list[Finding] = []
    for d in directives:
        if d.bad:
            out.append(_finding(d, d.bad, "write e.g. `# gwlint: ignore[GW101]`"))
            continue
        if d.unknown:
            names = ", ".join(f"'{u}'" for u in d.unknown)
            out.append(_finding(d, f"unknown rule {names} in suppression",
                                "`gwlint rules` lists the codes and names"))
        if d.codes is None:
            if not d.used and every_default_selected:
                out.append(_finding(d, f"unused blanket suppression: {_scope(d)}",
                                    "remove it"))
            continue
        unused = sorted(c for c in d.codes if c in selected and c not in d.used and c != UNUSED)
        if unused:
            out.append(_finding(d, f"unused suppression of {_describe(unused)}: {_scope(d)}",
                                "remove it (or the codes that are no longer needed)"))
    locate([f for f in out if f.location is None])  # all at once: each file is composed once
    return out


def _scope(d: Directive) -> str:
    if d.kind == "annotation":
        assert d.resource is not None
        return f"no such finding on {d.resource.label()}"
    if d.kind == "ignore-file":
        return "no such finding in this file"
    if d.kind == "ignore-document":
        return "no such finding in this document"
    return "no such finding starts in the node it covers"


def _finding(d: Directive, message: str, hint: str) -> Finding:
    if d.resource is not None:  # located by unused_findings, with the others
        return Finding(message, rule=UNUSED, resource=d.resource, hint=hint,
                       path=("metadata", "annotations", ANNOTATION))
    assert d.source is not None
    f = Finding(message, rule=UNUSED, hint=hint, source=d.source, line=d.line, column=d.column,
                end_line=d.line, end_column=d.end_column)
    file, shown = d.source.display(d.line)
    f.location = Location(file, shown, d.column, shown, d.end_column)
    return f
