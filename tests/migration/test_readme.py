"""The README's "Migrating from Ingress" section agrees with what it describes: the annotation
table's counts per controller and support level are the table's (gwlint/migration/annotations.yaml),
and the demo's two outputs are what `gwlint migration examples/migration` and `gwlint
examples/migration ...` print today, run as written from the repository root."""

from __future__ import annotations

import os
import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.migration.annotations import KONG, KONG_PLUGIN, NGINX, NGINX_INC, table

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NONE = "\N{EN DASH}"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Migrating from Ingress\n")
    return text[start:text.index("\n## ", start + 1)]


def table_row(label: str) -> list[str]:
    """The cells of the annotation table's row whose first cell starts with `label`."""
    for line in section().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith(label):
            return cells
    raise AssertionError(f"no row {label!r} in the README's annotation table")


@pytest.mark.parametrize("provider,label", [(NGINX, "ingress-nginx"),
                                            (KONG, "Kong Ingress Controller"),
                                            (KONG_PLUGIN, "Kong plugins"),
                                            (NGINX_INC, "NGINX Inc")])
def test_annotation_table_counts(provider: str, label: str) -> None:
    entries = [e for e in table().entries() if e.provider == provider]
    support = Counter(e.support for e in entries)
    cells = table_row(label)
    assert int(cells[1].split()[0]) == len(entries)
    shown = [int(c) if c != NONE else 0 for c in cells[2:6]]
    assert shown == [support[s] for s in ("standard", "experimental", "implementation", "none")]


def demo_blocks() -> list[tuple[str, list[str]]]:
    """Each ```text block of the demo that starts with a `$ gwlint ...` command line."""
    demo = section()[section().index("### The demo"):]
    blocks = re.findall(r"```text\n\$ (gwlint [^\n]*)\n(.*?)```", demo, re.S)
    return [(command, body.splitlines()) for command, body in blocks]


def test_the_readme_shows_both_demo_commands() -> None:
    commands = [c for c, _ in demo_blocks()]
    assert "gwlint migration examples/migration" in commands
    assert any(c.startswith("gwlint examples/migration") for c in commands)


@pytest.mark.parametrize("command,shown", demo_blocks(), ids=[c for c, _ in demo_blocks()])
def test_the_readme_shows_the_demo_output_as_it_is(command: str, shown: list[str]) -> None:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        args = shlex.split(command)[1:]
        # plain text, whatever the environment asks (`gwlint migration` writes no colour)
        result = CliRunner().invoke(main, args + ([] if args[0] == "migration" else
                                                  ["--color", "never"]))
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    assert result.output.splitlines() == shown



def test_the_plain_run_is_as_the_readme_says() -> None:
    """The paragraph after the demo's outputs: a plain `gwlint examples/migration` reports the
    migration findings and the Gateway API side's rules it names, with the closing counts."""
    text = section()
    said = text[text.index("A plain `gwlint examples/migration`"):] + "\n\n"
    said = " ".join(said[:said.index("\n\n")].split())
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        plain = CliRunner().invoke(main, ["examples/migration", "--color", "never", "-q"])
        only = CliRunner().invoke(main, ["examples/migration", "--color", "never", "-q",
                                         "--select", "migration"])
    finally:
        os.chdir(old)

    def findings(output: str) -> list[str]:
        return [line for line in output.splitlines() if re.match(r"\S+:\d+:\d+: GW", line)]

    migration = [line for line in findings(plain.output) if line.split()[1].startswith("GW6")]
    others = {line.split()[1] for line in findings(plain.output)} - {
        line.split()[1] for line in migration}
    assert migration == findings(only.output)
    assert f"the same {len(migration)} findings" in said
    assert set(re.findall(r"GW\d{3}", said)) == others
    counts = re.match(r"(\d+) errors?, (\d+) warnings?, (\d+) infos?",
                      plain.output.splitlines()[-1])
    assert counts is not None
    assert "{} errors, {} warnings, {} info".format(*counts.groups()) in said
