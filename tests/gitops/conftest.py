"""Helpers: write a repository tree in a temporary directory and build kustomizations there."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from gwlint.gitops.kustomize import Build, BuiltObject, Builder, KustomizeIndex, LocalFiles

Tree = Callable[[dict[str, str]], Path]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Tree:
    """Write {relative path: text} below a temporary directory and chdir there."""
    monkeypatch.chdir(tmp_path)

    def write(files: dict[str, str]) -> Path:
        for rel, text in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return tmp_path

    return write


def build(root: str, **options: object) -> Build:
    return Builder(LocalFiles("."), **options).build(root)  # type: ignore[arg-type]


def index(paths: list[str]) -> KustomizeIndex:
    return KustomizeIndex.scan(paths, LocalFiles("."))


def by_name(result: Build) -> dict[str, BuiltObject]:
    """Built objects by 'Kind/name'."""
    return {f"{o.current().kind}/{o.current().name}": o for o in result.objects}


def codes(result: Build) -> list[str]:
    return [p.code for p in result.problems]
