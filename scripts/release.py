#!/usr/bin/env python3
"""Tag a release: the annotated Git tag `v<project.version>` on HEAD.

The README's snippets pin that tag (`rev:` of the pre-commit hooks, `uses: gwlint/gwlint@...` of
the GitHub Action, `pip install git+...@...`): a test checks they name exactly
`v<project.version>`, and this script refuses to tag unless they do, unless the work tree is
clean, and unless the tag is new. Push it afterwards: `git push origin v<version>`.

Usage: python scripts/release.py [--check] [--repo DIR]
  --check  only say which tag a release would create and whether it may (exit 1 if not)
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# where the README names a release of this repository
_REFS = (re.compile(r"^\s*rev:\s*(\S+)", re.MULTILINE),  # pre-commit
         re.compile(r"uses:\s*gwlint/gwlint@(\S+)"),  # the Action
         re.compile(r"git\+https://github\.com/gwlint/gwlint@([^\"'\s]+)"))  # pip


def release_tag(root: Path = ROOT) -> str:
    """`v` + the version in pyproject.toml."""
    with open(root / "pyproject.toml", "rb") as fh:
        return "v" + tomllib.load(fh)["project"]["version"]


def readme_refs(root: Path = ROOT) -> list[str]:
    """Every release ref the README's snippets name."""
    text = (root / "README.md").read_text(encoding="utf-8")
    return [m.group(1) for pattern in _REFS for m in pattern.finditer(text)]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=False)


def problems(root: Path) -> list[str]:
    tag = release_tag(root)
    out = [f"README names {ref}, the release is {tag}" for ref in readme_refs(root) if ref != tag]
    if _git(root, "status", "--porcelain", "--untracked-files=no").stdout.strip():
        out.append("the work tree has uncommitted changes")
    if _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag}").returncode == 0:
        out.append(f"tag {tag} exists already: raise project.version in pyproject.toml")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--repo", type=Path, default=ROOT)
    args = parser.parse_args()
    tag = release_tag(args.repo)
    found = problems(args.repo)
    for problem in found:
        print(f"release: {problem}", file=sys.stderr)
    if found or args.check:
        print(f"release: {'would create' if not found else 'cannot create'} tag {tag}")
        return 1 if found else 0
    made = _git(args.repo, "tag", "-a", tag, "-m", f"gwlint {tag[1:]}")
    if made.returncode != 0:
        print(made.stderr, file=sys.stderr, end="")
        return 1
    print(f"release: tagged {tag}; publish it with `git push origin {tag}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
