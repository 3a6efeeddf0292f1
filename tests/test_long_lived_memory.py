"""A long-lived caller of `engine.lint` (an editor integration, a test suite, the fuzz harness)
must not grow with the number of runs: nothing of a run may outlive it in a module-level cache
keyed by the run's paths, directories or input sizes, and the cyclic collector must be left as
the caller had it.

The inputs differ from run to run the way a fuzz run's do: each tree is linted in a fresh
temporary directory (new paths, a new current directory) and each input has another number of
YAML nodes (another size of the parsed tree's node array). What the native parser allocates
outside Python is not traced: it is measured as the resident size of the process."""

from __future__ import annotations

import gc
import os
import tempfile
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from gwlint import native
from gwlint.engine import LintConfig, lint

WARM_UP = 60  # bounded caches (classification, ports) fill and stay full
MEASURED = 140
# Traced bytes a run may leave behind on average once warm: the display-path caches kept ~960 B
# per run of these inputs (the paths and the current directory of every run); what is left,
# ~300 B, is bounded caches (the validators', the re module's) still filling.
MAX_BYTES_PER_RUN = 600
MAX_OBJECTS_PER_RUN = 0.2  # gc-tracked objects


def _route(i: int) -> str:
    """An HTTPRoute with 1-200 finalizers (a tree size of its own for each of 200 runs in a row;
    the same strings every time, so that the validators' bounded caches are full after the
    warm-up) and a finding (its parent Gateway does not exist), so that every stage, locating
    included, runs."""
    finalizers = "  - example.com/keep\n" * ((i * 77) % 200 + 1)
    return ("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
            "metadata:\n  name: web\n  namespace: apps\n  finalizers:\n" + finalizers +
            "spec:\n  parentRefs:\n  - name: missing\n")


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _run(i: int) -> None:
    text = _route(i)
    if i % 2:  # a directory of its own, as `gwlint .` in it
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for rel in ("top.yaml", f"k8s/route-{i}.yaml", "k8s/apps/a.yaml", "k8s/apps/b.yaml"):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_text(text, encoding="utf-8")
            with _cwd(root):
                report = lint(LintConfig(paths=["."], jobs=1))
    else:  # stdin, as `gwlint -`
        report = lint(LintConfig(paths=[], stdin_text=text, stdin_filename="k8s/r.yaml", jobs=1))
    assert report.findings, "every input has a finding: locating must run"


def _settle() -> None:
    """The same small run before each measurement: the process keeps the last document the
    native locator parsed (its one reusable tree, gwlint.native_spans), so both ends of the
    measurement keep the same one; then a full collection."""
    _run(0)
    gc.collect()


def _growth() -> tuple[float, float]:
    """Traced bytes and gc-tracked objects left behind per run, after the warm-up."""
    for i in range(1, WARM_UP):
        _run(i)
    tracemalloc.start()
    try:
        _settle()
        before, objects = tracemalloc.get_traced_memory()[0], len(gc.get_objects())
        for i in range(WARM_UP, WARM_UP + MEASURED):
            _run(i)
        _settle()
        after = tracemalloc.get_traced_memory()[0]
        grown_objects = len(gc.get_objects()) - objects
    finally:
        tracemalloc.stop()
    return (after - before) / MEASURED, grown_objects / MEASURED


def test_repeated_lint_does_not_grow() -> None:
    per_run, objects = _growth()
    assert per_run < MAX_BYTES_PER_RUN, f"{per_run:.0f} traced bytes kept per run"
    assert objects < MAX_OBJECTS_PER_RUN, f"{objects:.2f} objects kept per run"


def test_lint_leaves_the_collector_as_it_found_it() -> None:
    """The command line turns the cyclic collector off for its one run; a library call must not
    leave it off (every reference cycle of a long-lived caller would then be kept forever)."""
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            _run(1)
            _run(2)
            assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def _resident() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm") or not native.available(),
                    reason="resident size read from /proc; rapidyaml/orjson not installed")
def test_native_parse_frees_what_it_emits() -> None:
    """rapidyaml's `emit_json` returned a copy of a C buffer it never freed: the process kept the
    whole JSON text of every text parsed natively (~14 MB over these 300 runs)."""
    text = "finalizers:\n" + "- example.com/keep\n" * 2000  # 38 KB of YAML, 46 KB as JSON
    assert native.parse(text) is not None, "the native path must take this text"
    for _ in range(50):
        native.parse(text)
    before = _resident()
    runs = 300
    for _ in range(runs):
        native.parse(text)
    per_run = (_resident() - before) / runs
    assert per_run < len(text) / 10, f"{per_run:.0f} resident bytes kept per parse"
