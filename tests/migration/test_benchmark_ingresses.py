"""The benchmark corpus's Ingresses (benchmarks/generate.py): a migration in progress. The
faithful Ingresses lint clean of every migration rule, and each unfaithful one gives exactly the
finding its gap is listed with in manifest.json."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from gwlint.config import LintConfig
from gwlint.engine import lint
from gwlint.reporters import render

ROOT = Path(__file__).resolve().parents[2]
N = 600


def _generator():
    spec = importlib.util.spec_from_file_location("gwlint_bench_generate_ingress",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen = _generator()


def migration_findings(root: Path) -> set[tuple[str, str, str]]:
    report = lint(LintConfig(paths=[str(root / "clusters")], select=["migration", "GW311"]))
    findings = json.loads(render(report, "json"))["findings"]
    return {(f["rule"], str(Path(f["file"]).relative_to(root)), f["resource"]["name"])
            for f in findings}


@pytest.mark.parametrize("fraction", [0.0, 0.1])
def test_corpus_ingresses(fraction: float, tmp_path: Path):
    manifest = gen.generate(tmp_path, N, broken_fraction=fraction)
    ingresses = manifest["ingresses"]
    assert ingresses["count"] == manifest["kinds"]["Ingress"] == N // gen.CELL_SIZE
    assert manifest["kinds"]["IngressClass"] == 1
    expected = {(i["rule"], i["file"], i["name"]) for i in ingresses["unfaithful"]}
    if fraction == 0:
        assert expected == set() and ingresses["faithful"] == ingresses["count"]
    else:  # every second Ingress, each gap as often as the others
        assert len(expected) == ingresses["count"] // 2
        assert set(ingresses["gaps"].values()) == {ingresses["count"] // 2 // 3}
    assert migration_findings(tmp_path) == expected
