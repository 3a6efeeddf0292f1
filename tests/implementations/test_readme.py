"""The README's Implementations section agrees with the bundled reports and the command: its table
of bundled implementations and versions, and the demo's support matrix (regenerate both with
`gwlint implementations` after `python scripts/gen_reports.py`)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main
from gwlint.implementations.bundled import implementations, release_key, reports
from gwlint.implementations.controllers import CONTROLLERS
from gwlint.implementations.tables import listing

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NONE = "\N{EN DASH}"  # an implementation without a controllerName of its own (meshes)


def section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Implementations\n")
    return text[start:text.index("\n## ", start + 1)]


def bundled_rows() -> list[list[str]]:
    """Implementation, its controllerNames, its versions newest first (the README's table)."""
    versions: dict[str, list[str]] = {}
    for row in listing():
        versions.setdefault(row.implementation, []).append(
            f"{row.version} ({row.gateway_api_version} {row.channel})")
    names: dict[str, list[str]] = {}
    for controller, impl in CONTROLLERS.items():
        names.setdefault(impl, []).append(f"`{controller}`")
    return [[impl, "<br>".join(names.get(impl, [NONE])), ", ".join(found)]
            for impl, found in versions.items()]


def test_readme_lists_every_bundled_implementation_version_and_controller() -> None:
    rows = [[c.strip() for c in line.strip().strip("|").split(" | ")]
            for line in section().splitlines()
            if line.startswith("| ") and not line.startswith(("| Implementation", "|---"))]
    table = [r for r in rows if len(r) == 3]
    assert table == bundled_rows()


def test_readme_counts_the_bundled_reports() -> None:
    reps = reports()
    releases = sorted({r.gateway_api_version for r in reps}, key=release_key)
    assert (f"Bundled: {len(reps)} reports of {len(implementations())} implementations, "
            f"Gateway API {releases[0]} to {releases[-1]}:") in section()


def test_readme_shows_the_demo_matrix_as_the_command_prints_it() -> None:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["implementations", "--features", "examples/demo"],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code == 0
    blocks = re.findall(r"```text\n\$ gwlint implementations --features examples/demo\n(.*?)```",
                        section(), re.S)
    assert blocks == [result.stdout]
