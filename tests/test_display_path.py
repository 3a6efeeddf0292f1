"""Display paths: relative to the current directory inside it, absolute and normalised outside."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from gwlint.source import display_path
from support.inprocess import gwlint

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: missing
"""


def _repo(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "base").mkdir()
    (root / "overlays" / "prod").mkdir(parents=True)
    (root / "base" / "route.yaml").write_text(ROUTE, encoding="utf-8")
    (root / "base" / "kustomization.yaml").write_text("resources: [route.yaml]\n",
                                                      encoding="utf-8")
    (root / "overlays" / "prod" / "kustomization.yaml").write_text(
        "resources: [../../base]\nnamePrefix: prod-\n", encoding="utf-8")
    return root / "overlays" / "prod"


def test_a_base_read_from_an_overlay_has_no_dot_dot_in_its_path(tmp_path: Path) -> None:
    overlay = _repo(tmp_path)
    run = gwlint(["--format", "json", "--select", "GW101", "."], overlay)
    [finding] = json.loads(run.stdout)["findings"]
    assert finding["file"] == os.path.join(str(tmp_path), "base", "route.yaml").replace(
        os.sep, "/")
    # GitHub resolves paths against the repository root
    run = gwlint(["--format", "github", "--select", "GW101", "."], overlay)
    assert "::error file=base/route.yaml,line=7," in run.stdout


def test_outside_the_current_directory_links_are_not_resolved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    overlay = _repo(tmp_path)
    (tmp_path / "link").symlink_to(tmp_path / "base", target_is_directory=True)
    monkeypatch.chdir(overlay)
    shown = display_path("../../link/route.yaml")
    assert shown == os.path.join(str(tmp_path), "link", "route.yaml").replace(os.sep, "/")
    assert display_path("../prod/kustomization.yaml") == "kustomization.yaml"
