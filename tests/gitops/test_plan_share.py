"""The Kustomize plan made by several processes, each reading a range of the kustomizations and
exchanging index parts, is the plan one process makes (simulated here with threads)."""

from __future__ import annotations

import copy
import os
import threading
from pathlib import Path

import pytest

from gwlint.discover import candidate_files
from gwlint.gitops.kustomize import KustomizeIndex, LocalFiles
from gwlint.gitops.kustomize.index import IndexPart
from support.kustomize_tree import kustomize_tree

from gwlint.gitops.layout import (
    Plan,
    Work,
    _mark_unlisted,
    _scan_ranges,
    plan_share,
    prepare,
)

REPO = Path(__file__).parent / "repo"


def _in_parallel(files: list[tuple[str, str]], jobs: int) -> list[tuple[Plan, list[Work]]]:
    prepared = prepare(files, ["."], [], 50 * 1024 * 1024, helm="", kustomize="")
    barrier = threading.Barrier(jobs)
    parts: list[IndexPart | None] = [None] * jobs
    results: list[tuple[Plan, list[Work]] | None] = [None] * jobs

    def run(share: int) -> None:
        def exchange(part: IndexPart) -> list[IndexPart]:
            parts[share] = part
            barrier.wait()
            return [p for p in parts if p is not None]

        plan = copy.deepcopy(prepared)  # each process has its own
        results[share] = (plan, plan_share(plan, files, share, jobs, exchange))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


def _index(index: KustomizeIndex | None) -> dict[str, object]:
    assert index is not None
    return {"kustomizations": index.kustomizations, "includes": index.includes,
            "included_by": dict(index.included_by), "components": index.components,
            "roles": {k: v for k, v in index.roles.items() if v}, "problems": index.problems}


def _scanned(files: list[tuple[str, str]]) -> KustomizeIndex:
    """The index one scan of every kustomization makes (what the plan must hold)."""
    paths = [p for p, _ in files]
    index = KustomizeIndex.scan(paths, LocalFiles("."))
    _mark_unlisted(index, files, [p for p in paths if os.path.basename(p) == "kustomization.yaml"])
    return index


@pytest.mark.parametrize("jobs", [2, 3])
@pytest.mark.parametrize("tree", ["fixture repository", "generated"])
def test_the_plan_of_several_processes_is_the_plan_of_one(
        jobs: int, tree: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if tree == "generated":  # enough kustomizations for every process to read a range
        kustomize_tree(tmp_path, apps=12)
        monkeypatch.chdir(tmp_path)
    else:
        monkeypatch.chdir(REPO)
    files = candidate_files(["."])
    one = prepare(files, ["."], [], 50 * 1024 * 1024, helm="", kustomize="")  # one process
    plan_share(one, files, 0, 1, lambda part: [part])
    assert one.index is not None and len(one.index.kustomizations) >= 4
    assert _index(one.index) == _index(_scanned(files))
    results = _in_parallel(files, jobs)
    for plan, works in results:
        assert _index(plan.index) == _index(one.index)
        assert (plan.role_files, plan.components) == (one.role_files, one.components)
        shared = sorted(f for w in works for f in w.files)
        assert shared == sorted(files)  # every file in exactly one share
        built = sorted(r for w in works for c in w.components for r in c)
        assert built == sorted(r for c in one.components for r in c)
    first = [(w.files, w.components) for w in results[0][1]]
    assert all([(w.files, w.components) for w in works] == first for _, works in results)


def test_scan_ranges_cover_the_directories_in_order() -> None:
    dirs = sorted(f"apps/a{a:03d}/{sub}" for a in range(50)
                  for sub in ("base", "overlays/dev", "overlays/prod"))
    for jobs in (1, 2, 3, 4, 7):
        ranges = _scan_ranges(dirs, jobs)
        assert len(ranges) == jobs
        assert [d for r in ranges for d in r] == dirs  # contiguous, in order, all of them
        assert all(abs(len(r) - len(dirs) / jobs) <= 12 for r in ranges)  # about equal
        for r in ranges[1:]:  # an application is read whole by one process
            assert r[0].endswith("/base")
    assert _scan_ranges(dirs[:3], 2) == [dirs[:3], []]  # too few to share


def test_scan_ranges_do_not_wait_for_a_change_that_never_comes() -> None:
    dirs = sorted(os.path.join("apps", "one", f"d{i:04d}") for i in range(1000))
    ranges = _scan_ranges(dirs, 2)
    assert [len(r) for r in ranges] == [500, 500]


def test_scan_ranges_cut_between_applications_below_any_common_parent() -> None:
    dirs = sorted(os.path.join("/srv", "repo", "apps", f"a{a:03d}", sub) for a in range(50)
                  for sub in ("base", os.path.join("overlays", "dev")))
    for r in _scan_ranges(dirs, 3)[1:]:
        assert r[0].endswith("base")
