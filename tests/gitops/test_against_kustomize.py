"""The native builder against the real thing: where `kustomize` (or `kubectl kustomize`) is
installed, every root of the fixture repositories builds to the same objects.

Skipped without the binary: gwlint never needs it, and the feature tests compare the builder
with the outputs documented for kustomize v5. This test catches what the documentation leaves
out, on the layouts gwlint is tested with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from gwlint.gitops.kustomize import KustomizeIndex, LocalFiles

HERE = Path(__file__).resolve().parent
ROOTS = [
    (HERE / "repo", "apps/shop/overlays/prod"),
    (HERE / "repo", "apps/shop/overlays/staging"),
    (HERE.parents[1] / "examples" / "gitops", "overlays/prod"),
    (HERE.parents[1] / "examples" / "gitops", "overlays/staging"),
    (HERE.parent / "rules" / "GW802" / "bad_name_prefix", "overlays/prod"),
    (HERE.parent / "rules" / "GW802" / "bad_namespace_moved", "overlays/prod"),
    (HERE.parent / "rules" / "GW802" / "bad_generator_hash", "overlays/prod"),
    (HERE.parent / "rules" / "GW802" / "bad_referencegrant", "overlays/prod"),
    (HERE.parent / "rules" / "GW802" / "good_configurations", "overlays/prod"),
    (HERE.parent / "rules" / "GW801" / "good_overlay_with_patches", "overlays/prod"),
]


def _kustomize() -> list[str] | None:
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return None


def _key(obj: dict[str, Any]) -> tuple[str, str, str, str]:
    meta = obj.get("metadata") or {}
    return (str(obj.get("apiVersion")), str(obj.get("kind")), str(meta.get("namespace")),
            str(meta.get("name")))


@pytest.mark.skipif(_kustomize() is None, reason="no kustomize or kubectl binary")
@pytest.mark.parametrize(("repo", "root"), ROOTS, ids=lambda v: str(v).split("tests/")[-1])
def test_native_build_equals_kustomize(repo: Path, root: str) -> None:
    command = _kustomize()
    assert command is not None
    try:
        proc = subprocess.run([*command, root], cwd=repo, capture_output=True, timeout=120,
                              check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.skip("kustomize timed out")
    if proc.returncode != 0:
        pytest.skip(f"kustomize failed: {proc.stderr.decode(errors='replace')[-300:]}")
    expected = {_key(o): o for o in yaml.safe_load_all(proc.stdout) if o}
    old = os.getcwd()
    os.chdir(repo)
    try:
        paths = [str(p) for p in Path(".").rglob("kustomization.yaml")]
        build = KustomizeIndex.scan(paths, LocalFiles(".")).build(root)
    finally:
        os.chdir(old)
    built = {_key(o.body): o.body for o in build.objects}
    assert sorted(built) == sorted(expected)
    for key, body in built.items():
        assert body == expected[key], key
