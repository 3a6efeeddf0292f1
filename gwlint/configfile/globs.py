"""Paths in a configuration file are relative to the file's directory. Reports and the discovery
stage match display paths, which are relative to the current directory, so the globs are rebased:
running gwlint from a subdirectory (or from above the configuration's directory) matches the same
files as running it next to the configuration. A glob without a slash (`*.tmpl.yaml`, `vendor/`)
matches a file or directory name at any depth and needs no rebasing."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path


def rebase_glob(pattern: str, base: str, cwd: str) -> list[str]:
    """Globs matching display paths (relative to `cwd`) for a glob written relative to `base`."""
    pat = pattern.strip()
    while pat.startswith("./"):
        pat = pat[2:]
    if "/" not in pat.rstrip("/"):
        return [pat]  # a name: matches at any depth, wherever gwlint runs
    pat = pat.lstrip("/")
    base, cwd = os.path.normpath(base), os.path.normpath(cwd)
    try:
        rel = os.path.relpath(base, cwd)
    except ValueError:  # another drive
        return [Path(base, pat).as_posix()]
    if rel == ".":
        return [pat]
    if rel != ".." and not rel.startswith(".." + os.sep):
        return [Path(rel).as_posix() + "/" + pat]  # the configuration is below cwd
    # the configuration is above cwd: files below cwd are shown relative to it, others absolutely
    out = [Path(base).as_posix().rstrip("/") + "/" + pat]
    down = os.path.relpath(cwd, base)
    if down != ".." and not down.startswith(".." + os.sep):
        segs, psegs = Path(down).as_posix().split("/"), pat.split("/")
        if psegs[0] == "**":
            out.append(pat)
        if len(psegs) > len(segs) and all(fnmatch.fnmatchcase(s, p)
                                              for s, p in zip(segs, psegs, strict=False)):
            out.append("/".join(psegs[len(segs):]))
    return out
