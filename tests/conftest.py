"""Shared test helpers: lint small in-memory repositories written to a temporary directory."""

from __future__ import annotations

import compileall
import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import hypothesis
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


# ------------------------------------------------------------------ property tests: quick and long
# A property test (hypothesis) of LONG_FROM examples or more runs twice in CI: in the default run
# with a QUICK_SHARE of its examples (at least QUICK_MIN: the explicit @example cases always run),
# and under `-m slow` with all of them. Its ids end in `[quick]` and `[long]`. The derandomized
# generator makes the quick examples the start of the long run's sequence. GWLINT_FUZZ_EXAMPLES
# (tests/fuzz/strategies.budget) turns this off: the given number runs once, in the default run.
LONG_FROM = 20
QUICK_SHARE = 4
QUICK_MIN = 10
_SETTINGS = "_hypothesis_internal_use_settings"  # where @settings/@given keep a test's settings


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    settings = getattr(metafunc.function, _SETTINGS, None)
    if (not getattr(metafunc.function, "is_hypothesis_test", False) or settings is None
            or settings.max_examples < LONG_FROM or os.environ.get("GWLINT_FUZZ_EXAMPLES")):
        return
    quick = max(QUICK_MIN, settings.max_examples // QUICK_SHARE)
    metafunc.parametrize("property_examples", [
        pytest.param(quick, id="quick"),
        pytest.param(settings.max_examples, id="long", marks=pytest.mark.slow)], indirect=True)


@pytest.fixture(autouse=True)
def property_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    """A property test parametrized by pytest_generate_tests runs with request.param examples
    (autouse: only so can pytest_generate_tests parametrize it; other tests pass through)."""
    examples = getattr(request, "param", None)
    if examples is None:
        yield
        return
    test = request.function
    original = getattr(test, _SETTINGS)
    setattr(test, _SETTINGS, hypothesis.settings(original, max_examples=examples))
    try:
        yield
    finally:
        setattr(test, _SETTINGS, original)
