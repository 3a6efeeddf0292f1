"""Shared test helpers: lint small in-memory repositories written to a temporary directory."""

from __future__ import annotations

import compileall
import os
import sys
import textwrap
from pathlib import Path

import pytest

from gwlint.engine import LintConfig, Report, lint
from gwlint.reporters.common import finding_dict

ROOT = Path(__file__).resolve().parent.parent
_NO_BYTECODE = sys.dont_write_bytecode  # PYTHONDONTWRITEBYTECODE
# Every text of the suite goes through the native YAML front end (gwlint.native), as in large runs
# (small runs leave it to PyYAML); tests/test_native_pipeline.py compares with GWLINT_NATIVE=0.
os.environ.setdefault("GWLINT_NATIVE", "1")


def pytest_configure(config: pytest.Config) -> None:
    """Compile gwlint's bytecode once, before any test starts a process that imports it.

    The suite starts about two hundred such processes (the CLI, the guarded runs of
    tests/fuzz/harness.py, hooks). Where bytecode is not written (PYTHONDONTWRITEBYTECODE: some CI
    and sandboxes set it, the guarded runs always do) each of them compiled the whole package
    again, 0.2 s of CPU apiece, more than the lint itself. With fresh caches this is a stat per
    file; __pycache__ is ignored by Git and by the wheel.

    Likewise every test worker imports every test module, and pytest keeps the rewritten modules
    only where bytecode is written: collection may write them (half its time); the tests
    themselves run as the environment asks (pytest_collection_finish).
    """
    compileall.compile_dir(ROOT / "gwlint", quiet=2)  # a syntax error shows at import
    sys.dont_write_bytecode = False


def pytest_collection_finish(session: pytest.Session) -> None:
    sys.dont_write_bytecode = _NO_BYTECODE


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write {relative path: YAML text} below root (text is dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def run_lint(root: Path, files: dict[str, str] | None = None, **config: object) -> Report:
    """Lint `files` written below `root` (paths in findings are relative to root)."""
    if files:
        write_tree(root, files)
    old = os.getcwd()
    os.chdir(root)
    try:
        return lint(LintConfig(paths=["."], **config))  # type: ignore[arg-type]
    finally:
        os.chdir(old)


def as_dicts(report: Report) -> list[dict]:
    return [finding_dict(report, f) for f in report.findings]


@pytest.fixture
def lint_tree(tmp_path: Path):
    """lint_tree({"a.yaml": "..."}, select=["GW101"]) -> list of JSON finding dicts."""

    def _lint(files: dict[str, str], **config: object) -> list[dict]:
        return as_dicts(run_lint(tmp_path, files, **config))

    return _lint
