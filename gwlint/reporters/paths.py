"""Paths for GitHub: relative to the repository root, whatever directory gwlint runs from.

GitHub resolves annotation files, code-scanning (SARIF) locations and job-summary links against
the repository root, while the text report shows paths relative to the current directory
(`cd apps && gwlint ..` shows `/repo/infra/gateway.yaml`: outside it, absolute with `..`
folded). The root is Git's top level (`git rev-parse --show-toplevel`), else the current
directory.
"""

from __future__ import annotations

import functools
import os


@functools.cache
def _root_of(cwd: str) -> str:
    import subprocess  # imported here to keep start-up fast: only GitHub and SARIF paths ask

    try:
        out = subprocess.run(
            # core.fsmonitor names a command that Git runs: never execute anything from input
            ["git", "-c", "core.fsmonitor=false", "rev-parse", "--show-toplevel"], cwd=cwd,
            capture_output=True, timeout=30, check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return cwd
    top = out.stdout.decode("utf-8", "surrogateescape").strip()
    return os.path.realpath(top) if out.returncode == 0 and top else cwd


def forget() -> None:
    """Empty the caches keyed by the current directory and file names (engine.lint, when a run
    ends, before its report is rendered): a long-lived caller would otherwise keep an entry per
    directory and file it ever reported on, and a file's existence from an earlier run."""
    _root_of.cache_clear()
    _repo_path.cache_clear()


def repo_root() -> str:
    """The repository root of the current directory (real path): Git's top level, else the
    current directory."""
    cwd = os.path.realpath(os.getcwd())
    return _root_of(cwd)


def repo_path(file: str) -> str | None:
    """`file` (as a report shows it: relative to the current directory, or absolute) relative
    to the repository root with forward slashes; None for a name that is not a file here
    (`<stdin>`, a Helm template name) or a file outside the repository."""
    return _repo_path(os.getcwd(), file)


@functools.lru_cache(maxsize=65536)  # SARIF asks twice per finding (location, fingerprint)
def _repo_path(cwd: str, file: str) -> str | None:
    if not os.path.lexists(file):
        return None
    root = _root_of(os.path.realpath(cwd))
    absolute = os.path.abspath(file)
    # the directory's real path (the root is one), the file's own name: a symlinked file is
    # reported where it is, not where it points
    real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    try:
        rel = os.path.relpath(real, root)
    except ValueError:  # another drive (Windows)
        return None
    if rel == ".." or rel.startswith(".." + os.sep):
        return None
    return rel.replace(os.sep, "/")


def shown_path(file: str) -> str:
    """The path GitHub should get: relative to the repository root where it can be, else the
    name as the report shows it."""
    return repo_path(file) or file.replace(os.sep, "/")
