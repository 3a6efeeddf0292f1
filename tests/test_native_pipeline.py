"""The native front end changes nothing but speed: the same reports, byte for byte.

Every output format of the demo repository, and the JSON report of a generated repository with
hundreds of findings (located natively, with PyYAML only where the native locator cannot tell),
are compared between GWLINT_NATIVE=1 (the fast path for every text) and GWLINT_NATIVE=0 (PyYAML
alone, as on a platform without the rapidyaml and orjson wheels).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwlint import native

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not native.available(), reason="rapidyaml/orjson not installed")


def gwlint(mode: str, *args: str, cwd: Path = ROOT) -> str:
    env = {**os.environ, "GWLINT_NATIVE": mode, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run([sys.executable, "-m", "gwlint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("fmt", [  # JSON holds every location and message the others render
    "json", pytest.param("text", marks=pytest.mark.slow),
    pytest.param("sarif", marks=pytest.mark.slow)])
def test_demo_reports_are_byte_identical(fmt: str) -> None:
    fast, reference = (gwlint(mode, "examples/demo", "--format", fmt) for mode in ("1", "0"))
    assert fast == reference
    assert "GW" in fast


def _generate(outdir: Path) -> None:
    spec = importlib.util.spec_from_file_location("bench_generate_pipeline",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.generate(outdir, 600, broken_fraction=0.3, seed=11)


def test_generated_repository_reports_are_byte_identical(tmp_path: Path) -> None:
    _generate(tmp_path / "corpus")
    tree = tmp_path / "corpus" / "clusters"
    fast, reference = (gwlint(mode, "--format", "json", str(tree)) for mode in ("1", "0"))
    assert fast == reference
    report = json.loads(fast)
    assert len(report["findings"]) > 100
    assert any(f.get("related") for f in report["findings"])
