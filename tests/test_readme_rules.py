"""The README's rule tables agree with the registry (`@rule` is the single source).

Every registered rule has exactly one row in the README's Rules section, and the row's code, name,
default severity (with "opt-in" for opt-in rules), predicted condition and option names are the
registered ones; a row for a rule that does not exist fails too. The prose columns stay
hand-written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gwlint.registry import Rule, all_rules

README = Path(__file__).resolve().parent.parent / "README.md"
COLUMNS = ["Code", "Name", "Severity", "Predicts", "Finds"]
_CELL_SPLIT = re.compile(r"(?<!\\)\|")  # `\|` inside a cell is a literal pipe
_CONDITION = re.compile(r"`(\w+)=(\w+) (\w+)`")
NONE = "\N{EN DASH}"  # what the Predicts column says for rules that predict no condition


def rules_section(text: str) -> str:
    start = text.index("\n## Rules\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def table_rows(section: str) -> list[dict[str, str]]:
    """Rows of every table of the section whose header is COLUMNS."""
    rows, header = [], None
    for line in section.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in _CELL_SPLIT.split(line)[1:-1]]
        if cells[0] == "Code":
            header = cells
        elif header is not None and not set(line) <= set("|- "):
            rows.append(dict(zip(header, cells, strict=True)))
    return rows


def readme_rows() -> dict[str, dict[str, str]]:
    rows = table_rows(rules_section(README.read_text(encoding="utf-8")))
    codes = [r["Code"] for r in rows]
    assert len(codes) == len(set(codes)), f"rules listed twice: {sorted(codes)}"
    return {r["Code"]: r for r in rows}


def problems(rule: Rule, row: dict[str, str]) -> list[str]:
    """How one README row disagrees with the rule's registration."""
    out = []
    if list(row) != COLUMNS:
        out.append(f"columns {list(row)}, expected {COLUMNS}")
    if row["Name"].strip("`") != rule.name:
        out.append(f"name {row['Name']!r}, registered {rule.name!r}")
    severity = row["Severity"].split(",")[0].strip()
    if severity != str(rule.severity):
        out.append(f"severity {severity!r}, registered {str(rule.severity)!r}")
    if ("opt-in" in row["Severity"]) != rule.opt_in:
        out.append(f"severity cell {row['Severity']!r} and opt_in={rule.opt_in} disagree")
    condition = _CONDITION.match(row["Predicts"])
    if rule.predicts is None:
        if not row["Predicts"].startswith(NONE):
            out.append(f"predicts {row['Predicts']!r}, registered none (write {NONE})")
    elif condition is None or condition.groups() != (
            rule.predicts.type, rule.predicts.status, rule.predicts.reason):
        p = rule.predicts
        out.append(f"predicts {row['Predicts']!r}, registered `{p.type}={p.status} {p.reason}` "
                   "(first in the cell)")
    out += [f"option `{o}` not mentioned" for o in rule.options if f"`{o}`" not in row["Finds"]]
    for option, default in rule.options.items():  # a default the row states is the registered one
        stated = re.search(rf"`{option}` \((?:default )?([^)]+)\)", row["Finds"])
        if stated and stated.group(1) != str(default):
            out.append(f"option `{option}` default {stated.group(1)!r}, registered {default!r}")
    return out


def test_every_rule_has_a_row_and_no_row_names_an_unknown_rule() -> None:
    rows = readme_rows()
    registered = {r.code for r in all_rules()}
    assert sorted(registered - set(rows)) == [], "rules missing from the README's rule tables"
    assert sorted(set(rows) - registered) == [], "README rows for rules that do not exist"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_row_matches_the_registry(rule: Rule) -> None:
    row = readme_rows().get(rule.code)
    if row is None:
        pytest.skip("reported by test_every_rule_has_a_row_and_no_row_names_an_unknown_rule")
    assert problems(rule, row) == []


def test_the_check_notices_drift() -> None:
    """The comparison itself: a changed severity, prediction, name or option is reported."""
    rule = next(r for r in all_rules() if r.code == "GW404")
    row = dict(readme_rows()["GW404"])
    assert problems(rule, row) == []
    for column, value, expected in [
        ("Severity", "error", "severity 'error'"),
        ("Severity", "warning, opt-in", "opt_in=False"),
        ("Predicts", "`Accepted=False NotAllowed`", "registered none"),
        ("Name", "referencegrant-broad", "name"),
        ("Finds", "grants without names", "option `max_secret_namespaces`"),
        ("Finds", "more than `max_secret_namespaces` (3) namespaces", "default '3'"),
    ]:
        changed = {**row, column: value}
        assert any(expected in p for p in problems(rule, changed)), (column, value)
    predicting = next(r for r in all_rules() if r.code == "GW102")
    row = dict(readme_rows()["GW102"])
    assert problems(predicting, row) == []
    for value in [NONE, "`ResolvedRefs=False RefNotPermitted`", "BackendNotFound"]:
        assert problems(predicting, {**row, "Predicts": value}), value


def test_table_parsing_keeps_escaped_pipes_in_a_cell() -> None:
    section = ("\n| Code | Name | Severity | Predicts | Finds |\n|---|---|---|---|---|\n"
               f"| GW003 | unrendered-template | error | {NONE} | "
               "pipe it (`helm template \\| gwlint -`) |\n")
    (row,) = table_rows(section)
    assert row["Finds"] == "pipe it (`helm template \\| gwlint -`)"
