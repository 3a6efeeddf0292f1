"""The README's Architecture table names every module and package of gwlint, and the files its
Architecture and Development sections point contributors to exist.

A newcomer finds a concern through that table: a module missing from it is a room nobody knows
about, a path that no longer exists sends them nowhere. Top-level modules (`gwlint/x.py`) and
packages (`gwlint/x/`) must each be named in a row; what lives inside a package is the row's
business.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gwlint"
README = ROOT / "README.md"
# a path in backticks inside the README: `gwlint/load.py`, `tests/rules/GW101/`, `scripts/x.py`
_PATH = re.compile(r"`((?:gwlint|tests|scripts)/[\w./-]*)`")
NOT_MODULES = {"__init__.py", "__main__.py"}  # the package itself, `python -m gwlint`
WHEEL_ONLY = {"gwlint/_schemas", "gwlint/_reports"}  # data the wheel build copies in (pyproject)


def section(title: str, text: str | None = None) -> str:
    text = README.read_text(encoding="utf-8") if text is None else text
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def table_paths(markdown: str) -> set[str]:
    """The paths named in the first cell of the section's table rows."""
    rows = [line for line in markdown.splitlines() if line.startswith("| `")]
    return {p for row in rows for p in _PATH.findall(row.split(" | ")[0])}


def package_parts() -> set[str]:
    """`gwlint/x.py` for every top-level module, `gwlint/x/` for every package."""
    modules = {f"gwlint/{p.name}" for p in PACKAGE.glob("*.py") if p.name not in NOT_MODULES}
    packages = {f"gwlint/{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return modules | packages


def test_architecture_names_every_module_and_package() -> None:
    named = table_paths(section("Architecture"))
    missing = sorted(package_parts() - named)
    assert not missing, f"add a row for each to the README's Architecture table: {missing}"


def test_paths_of_architecture_and_development_exist() -> None:
    text = README.read_text(encoding="utf-8")
    named = {p for title in ("Architecture", "Development")
             for p in _PATH.findall(section(title, text))}
    assert "gwlint/rules/parent_ref_unresolved.py" in named  # the rule the README walks through
    gone = sorted(p for p in named - WHEEL_ONLY if not (ROOT / p).exists())
    assert not gone, f"the README names files that do not exist: {gone}"


def test_the_check_notices_a_module_without_a_row() -> None:
    table = "| Module | Concern |\n|---|---|\n| `gwlint/load.py`, `gwlint/graph/` | the load |\n"
    assert table_paths("\n" + table) == {"gwlint/load.py", "gwlint/graph/"}
    assert {"gwlint/load.py", "gwlint/graph/", "gwlint/engine.py"} <= package_parts()
    assert "gwlint/__main__.py" not in package_parts()
