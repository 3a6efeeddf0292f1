"""The load stage: the two-process path gives what the one-process path gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gwlint.config import LintConfig
from gwlint.load import Loaded, load
from support.kustomize_tree import GATEWAY, ROUTE, kustomize_tree

def _summary(loaded: Loaded) -> dict[str, object]:
    return {
        "sources": [s.path for s in loaded.sources],
        "resources": [(r.origin.source.path, r.kind, r.namespace, r.name, sorted(r.defaulted))
                      for r in loaded.resources],
        "issues": sorted((i.code, i.source.path, i.line, i.message) for i in loaded.issues),
        "violations": sorted((r.name, v.code, str(v.path), v.message)
                             for r, v in loaded.violations),
        "choice": loaded.choice, "counts": (loaded.files, loaded.documents, loaded.skipped),
    }


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parallel path needs fork")
def test_two_processes_load_what_one_loads(tmp_path: Path) -> None:
    files = {f"d{i % 3}/f{i}.yaml": GATEWAY.format(i=i) + "---" + ROUTE.format(i=i)
             for i in range(12)}
    files["d0/broken.yaml"] = "kind: [\n"
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        one = load(LintConfig(paths=["."], jobs=1))
        two = load(LintConfig(paths=["."], jobs=2))
    finally:
        os.chdir(old)
    assert _summary(two) == _summary(one)
    assert len(one.resources) == 24 and one.violations and one.issues  # the case is not empty


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parallel path needs fork")
def test_processes_plan_kustomize_trees_as_one_does(tmp_path: Path) -> None:
    """Every process reads a range of the kustomizations and they exchange their index parts:
    whatever the number of processes, the same builds, objects, origins and problems."""
    kustomize_tree(tmp_path)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        loads = {jobs: load(LintConfig(paths=["."], jobs=jobs)) for jobs in (1, 2, 3)}
    finally:
        os.chdir(old)

    def built(loaded: Loaded) -> dict[str, object]:
        layout = loaded.layout
        return {**_summary(loaded),
                "resources": sorted((r.origin.overlay or "", r.origin.source.path, r.kind,
                                     r.namespace, r.name) for r in loaded.resources),
                "sources": sorted(s.path for s in loaded.sources),
                "builds": sorted((b.root, b.objects, b.renames) for b in layout.builds),
                "problems": sorted((p.code, p.file, p.path, tuple(roots))
                                   for p, roots in layout.problems)}

    one = built(loads[1])
    codes = {p.code for p, _ in loads[1].layout.problems}
    assert len(loads[1].layout.builds) >= 80  # the case is not empty
    assert {"invalid-kustomization", "include-cycle"} <= codes
    assert built(loads[2]) == one
    assert built(loads[3]) == one


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the parallel path needs fork")
@pytest.mark.parametrize("where", ["worker", "parent"])
def test_a_process_failing_while_planning_is_an_error_not_a_hang(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """A failure in one process while the processes exchange their Kustomize index parts: the
    run ends at once with the error (a worker waiting for the exchange is not left to time out)."""
    import time

    from gwlint.gitops.kustomize.index import KustomizeIndex

    kustomize_tree(tmp_path, apps=12)
    parent = os.getpid()
    scan = KustomizeIndex.scan.__func__

    def failing(cls, *args, **kwargs):
        if (os.getpid() == parent) == (where == "parent"):
            raise RuntimeError("planted")
        return scan(cls, *args, **kwargs)

    monkeypatch.setattr(KustomizeIndex, "scan", classmethod(failing))
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="planted"):
        load(LintConfig(paths=["."], jobs=2))
    assert time.monotonic() - start < 4
