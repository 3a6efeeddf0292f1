"""File access for the Kustomize builder: parsed once, never outside the linted tree.

The builder asks for files by filesystem path. `LocalFiles` reads and parses them with gwlint's
own safe reader and YAML loader (size limit, UTF-8, nesting and alias-bomb limits, custom tags
never constructed) and caches every file, so a base included by ten overlays is parsed once. The
pipeline can hand over documents it has already parsed (`preload`), so nothing is parsed twice.
Paths outside `boundary` (the linted tree) are never read: `resources: [/etc]` is a problem, not
a read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gwlint.discover import read_source
from gwlint.loader import parse_source
from gwlint.source import SourceFile, display_path


@dataclass
class Parsed:
    """The documents of one file: (document index, data) pairs, and the first read/parse error."""

    shown: str  # display path
    documents: list[tuple[int, Any]] = field(default_factory=list)
    error: str | None = None
    error_line: int = 1
    source: SourceFile | None = None  # the text, for locating findings (None: not read)
    lines: dict[int, int] = field(default_factory=dict)  # document index -> its first line


class LocalFiles:
    """Reads below `boundary` (a directory); caches parsed files and directory listings."""

    def __init__(self, boundary: str = ".", preload: dict[str, Parsed] | None = None,
                 max_size: int = 50 * 1024 * 1024) -> None:
        self.boundary = os.path.realpath(boundary)
        self._parsed: dict[str, Parsed] = {}
        self._by_shown: dict[str, Parsed] = {}
        for path, parsed in (preload or {}).items():
            self._parsed[os.path.normpath(path)] = parsed
            self._by_shown[parsed.shown] = parsed
        self._max_size = max_size
        # answers about paths, cached: the tree does not change during a run, and every root
        # asks again about the files of the bases it shares with the others
        self._inside: dict[str, bool] = {}
        self._real_dirs: dict[str, str] = {}
        self._listings: dict[str, list[str]] = {}
        self._kind: dict[str, str] = {}  # path -> "file", "dir" or ""
        self._links: dict[str, bool] = {}  # path -> a symbolic link (one lstat per path)

    def add(self, path: str, parsed: Parsed) -> None:
        """Documents the pipeline has already parsed (never parsed again)."""
        self._parsed[os.path.normpath(path)] = parsed
        self._by_shown[parsed.shown] = parsed

    def read(self) -> list[Parsed]:
        """Every file parsed so far."""
        return list(self._parsed.values())

    def cached(self, path: str) -> Parsed | None:
        """The file at `path` if it was parsed already (None: not yet)."""
        return self._parsed.get(os.path.normpath(path))

    def shown(self, display: str) -> Parsed | None:
        """A file parsed already, by its display path."""
        return self._by_shown.get(display)

    def inside(self, path: str) -> bool:
        """True when `path` (after resolving symlinks) lies in the linted tree."""
        known = self._inside.get(path)
        if known is None:
            parent, name = os.path.split(path)
            if parent and name and not self._is_link(path):  # resolve each directory once
                real = os.path.join(self._real_dir(parent), name)
            else:
                real = os.path.realpath(path)
            known = self._inside[path] = (
                real == self.boundary or real.startswith(self.boundary.rstrip(os.sep) + os.sep))
        return known

    def _real_dir(self, directory: str) -> str:
        """realpath, one lstat per directory: the parent's real path (cached) and this name,
        unless this directory is itself a link."""
        real = self._real_dirs.get(directory)
        if real is None:
            parent, name = os.path.split(directory)
            if parent and name and name not in (".", "..") and not self._is_link(directory):
                real = os.path.join(self._real_dir(parent), name)
            else:
                real = os.path.realpath(directory)
            self._real_dirs[directory] = real
        return real

    def _is_link(self, path: str) -> bool:
        """os.path.islink, cached: `inside` asks about a directory, then about its parent while
        resolving it, then `known_files` asks again."""
        link = self._links.get(path)
        if link is None:
            link = self._links[path] = os.path.islink(path)
        return link

    def known_files(self, paths: Iterable[str]) -> None:
        """Files known to exist (discovery listed them): answered without a system call, as are
        the directories that hold them. Only files inside the tree are taken."""
        for path in paths:
            path = os.path.normpath(path)
            d = os.path.dirname(path)
            if not d or not self.inside(d):
                continue
            # discovery read it as a file of this directory, as the rest of the run does
            self._inside[path] = True
            self._kind[path] = "file"
            while d and self._kind.get(d) is None and self.inside(d):
                self._kind[d] = "dir" if not self._is_link(d) else ""
                d = os.path.dirname(d)

    def _what(self, path: str) -> str:
        kind = self._kind.get(path)
        if kind is None:
            kind = self._kind[path] = ("" if not self.inside(path) else
                                       "file" if os.path.isfile(path) else
                                       "dir" if os.path.isdir(path) and not os.path.islink(path)
                                       else "")
        return kind

    def is_file(self, path: str) -> bool:
        return self._what(path) == "file"

    def is_dir(self, path: str) -> bool:
        return self._what(path) == "dir"

    def list_dir(self, path: str) -> list[str]:
        """The names in a directory of the tree (cached; [] outside it or when unreadable)."""
        names = self._listings.get(path)
        if names is None:
            try:
                names = sorted(os.listdir(path)) if self.is_dir(path) else []
            except OSError:
                names = []
            self._listings[path] = names
        return names

    def parsed(self, path: str) -> Parsed:
        """The documents of the YAML file at `path` (cached)."""
        key = os.path.normpath(path)
        cached = self._parsed.get(key)
        if cached is not None:
            return cached
        source, issue = read_source(path, display_path(path), self._max_size)
        result = Parsed(source.path, source=source)
        if issue is not None:
            result.error, result.error_line = issue.message, issue.line or 1
        else:
            parse = parse_source(source)
            result.documents = [(d.index, d.data) for d in parse.documents]
            result.lines = {d.index: d.line for d in parse.documents}
            for load_issue in parse.issues:
                if load_issue.code in ("GW001", "GW003", "GW004"):
                    result.error, result.error_line = load_issue.message, load_issue.line or 1
                    break
        self._parsed[key] = result
        self._by_shown[result.shown] = result
        return result

    def text(self, path: str) -> tuple[str | None, str | None]:
        """(text, None) of a data file for a generator, or (None, error)."""
        source, issue = read_source(path, display_path(path), self._max_size)
        if issue is not None:
            return None, issue.message
        return source.text, None
