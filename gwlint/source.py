"""Source files as gwlint sees them: bytes read once, a display path, and Helm `# Source:` sections."""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

_HELM_SOURCE = re.compile(r"^# Source: (\S.*?)\s*$", re.MULTILINE)


def display_path(path: str | os.PathLike[str]) -> str:
    """Path relative to the current directory with forward slashes, as reports show it."""
    text = os.fspath(path)
    if not os.path.isabs(text):  # fast path: already relative to the current directory
        rel = os.path.normpath(text)
        if rel != ".." and not rel.startswith(".." + os.sep):
            return rel.replace(os.sep, "/")
    p = Path(text)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        rel = str(p)
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = str(p.absolute())
    return rel.replace(os.sep, "/")


@dataclass(eq=False)
class SourceFile:
    """One input: a file on disk or the stdin stream. `text` is kept so spans can be computed lazily."""

    path: str  # display path
    text: str = ""
    is_stdin: bool = False
    _sections: list[tuple[int, str]] | None = field(default=None, repr=False)

    def helm_sections(self) -> list[tuple[int, str]]:
        """(line of the `# Source:` comment, template path) pairs found in rendered Helm output."""
        if self._sections is None:
            sections: list[tuple[int, str]] = []
            if "# Source: " in self.text:
                for m in _HELM_SOURCE.finditer(self.text):
                    line = self.text.count("\n", 0, m.start()) + 1
                    sections.append((line, m.group(1)))
            self._sections = sections
        return self._sections

    def display(self, line: int) -> tuple[str, int]:
        """Map a line of this stream to (file, line) as reported: Helm sections name their template."""
        sections = self.helm_sections() if self.is_stdin else []
        if not sections:
            return self.path, line
        idx = bisect.bisect_right([s[0] for s in sections], line) - 1
        if idx < 0:
            return self.path, line
        start, name = sections[idx]
        return name, line - start
