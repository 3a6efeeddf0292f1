"""Source files as gwlint sees them: bytes read once, a display path, and Helm `# Source:`
sections."""

from __future__ import annotations

import bisect
import functools
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from gwlint.lines import BREAK, Lines

# a `# Source:` comment on a line of its own (LF, CRLF and CR end a line: gwlint.lines);
# linear: no lazy `.*?\s*$`
_HELM_SOURCE = re.compile(r"(?:^|(?<=\r))# Source: (\S[^\r\n]*)(?=[\r\n]|\Z)", re.MULTILINE)


def display_path(path: str | os.PathLike[str]) -> str:
    """Path relative to the current directory with forward slashes, as reports show it."""
    return _display_path(os.fspath(path), os.getcwd())


@functools.cache  # one entry per path of the run: a Kustomize build asks again for every root
def _display_path(text: str, cwd: str) -> str:
    """display_path (`cwd`: part of the key, the answer depends on it)."""
    if not os.path.isabs(text):  # fast path: already relative to the current directory
        rel = os.path.normpath(text)
        if rel != ".." and not rel.startswith(".." + os.sep):
            return rel.replace(os.sep, "/")
    head, tail = os.path.split(text)
    normal = os.path.normpath(text)
    if tail in ("", ".", "..") or not head or cwd == normal \
            or cwd.startswith(normal.rstrip(os.sep) + os.sep):  # the current directory or above
        return _display(text)
    shown = _display_directory(head, cwd)  # the files of a directory share the work
    return tail if shown == "." else shown + ("" if shown.endswith("/") else "/") + tail


@functools.cache  # one entry per directory of the run: a bounded cache thrashed on 1,000+
def _display_directory(directory: str, cwd: str) -> str:
    """display_path of a directory (`cwd`: part of the key, the answer depends on it)."""
    return _display(directory)


def forget_display_paths() -> None:
    """Empty the display-path caches at the end of a run (engine.lint): their keys hold the
    run's paths and current directory, so a long-lived caller linting a fresh temporary
    directory each time would otherwise keep every one of them."""
    _display_path.cache_clear()
    _display_directory.cache_clear()


def _display(text: str) -> str:
    p = Path(text)
    try:
        rel = os.path.relpath(p)
    except ValueError:  # another drive on Windows
        rel = str(p)
    if rel.startswith(".." + os.sep) or rel == "..":
        # outside the current directory: absolute, with `..` folded away lexically (a base read
        # from an overlay is /repo/base/route.yaml, not /repo/overlays/prod/../../base/...);
        # symbolic links are not resolved: the path stays the one the user gave
        rel = os.path.abspath(p)
    return rel.replace(os.sep, "/")


PACK_MIN_CHARS = 1024
DIRECTIVE_MARKER = "gwlint:"  # suppression comments start with it (see gwlint.suppress)


@dataclass(eq=False, slots=True)
class SourceFile:
    """One input: a file on disk or the stdin stream. `text` is kept so spans can be computed
    lazily.

    After parsing, `pack()` keeps the text zlib-compressed: only files with findings are ever
    read again, and at 100,000 resources the plain texts would be a fifth of the memory. Slots:
    no attribute dict per file (~300 bytes each, tens of thousands of files).
    """

    path: str  # display path
    _text: str | None = field(default="", repr=False)
    is_stdin: bool = False
    _sections: list[tuple[int, str]] | None = field(default=None, repr=False)
    _offsets: list[int] = field(default_factory=list, repr=False)
    _starts: list[int] = field(default_factory=list, repr=False)
    _packed: bytes | None = field(default=None, repr=False)
    has_directives: bool = field(default=False, repr=False)  # contains "gwlint:" comments
    _lines: Lines | None = field(default=None, repr=False)  # built when a line's text is needed
    native: bool = field(default=False, repr=False)  # parsed by gwlint.native: located by it too

    def __post_init__(self) -> None:
        self.text = self._text or ""

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._packed is not None
            self._text = self.unblob(self._packed)
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text, self._packed, self._lines = value, None, None
        self.has_directives = DIRECTIVE_MARKER in value

    def pack(self) -> None:
        """Compress the text until it is needed again (a finding's span, a suppression)."""
        text = self._text
        if text is not None and len(text) >= PACK_MIN_CHARS and not self.is_stdin:
            self._packed = zlib.compress(text.encode("utf-8", "surrogatepass"), 1)
            self._text = self._lines = None

    def blob(self) -> str | bytes:
        """The text as held now: plain, or zlib-packed (`unblob` restores it) without unpacking."""
        # one of the two is set: packing replaces the text
        return self._text if self._text is not None else self._packed  # type: ignore[return-value]

    @staticmethod
    def unblob(blob: str | bytes) -> str:
        return blob if isinstance(blob, str) else zlib.decompress(blob).decode("utf-8",
                                                                              "surrogatepass")

    def helm_sections(self) -> list[tuple[int, str]]:
        """(line of the `# Source:` comment, template path) pairs found in rendered Helm output."""
        if self._sections is None:
            sections: list[tuple[int, str]] = []
            if "# Source: " in self.text:
                line, pos = 1, 0
                text = self.text
                for m in _HELM_SOURCE.finditer(text):
                    line += (text.count("\n", pos, m.start()) + text.count("\r", pos, m.start())
                             - text.count("\r\n", pos, m.start()))
                    pos = m.start()
                    sections.append((line, m.group(1).rstrip()))
            self._offsets = self._template_offsets(sections)
            self._starts = [s[0] for s in sections]
            self._sections = sections
        return self._sections

    def _template_offsets(self, sections: list[tuple[int, str]]) -> list[int]:
        """Lines of the template before each section. Helm splits a template with several
        documents at `---` and emits each part under its own `# Source:` comment: the second part
        of a template continues the numbering of its first (plus the `---` line between them)."""
        if not sections:
            return []
        lines = BREAK.split(self.text)
        seen: dict[str, int] = {}
        offsets = []
        for i, (start, name) in enumerate(sections):
            offset = seen.get(name, 0)
            offsets.append(offset)
            end = sections[i + 1][0] - 1 if i + 1 < len(sections) else len(lines)
            while end > start and lines[end - 1].strip() in ("---", ""):
                end -= 1  # Helm's separator before the next `# Source:` is not template text
            seen[name] = offset + (end - start) + 1
        return offsets

    def display(self, line: int) -> tuple[str, int]:
        """Map a line of this stream to (file, line) as reported: Helm sections name their template
        (line 1 is the line after the `# Source:` comment)."""
        sections = self.helm_sections() if self.is_stdin else []
        if not sections:
            return self.path, line
        idx = bisect.bisect_right(self._starts, line) - 1
        if idx < 0:
            return self.path, line
        start, name = sections[idx]
        return name, max(1, self._offsets[idx] + line - start)

    def display_span(self, line: int, column: int, end_line: int,
                     end_column: int) -> tuple[str, int, int, int]:
        """(file, line, end line, end column) as reported. A span that crosses a Helm `# Source:`
        comment would end in another template: it is cut at the end of its first line."""
        if not self.is_stdin and end_line >= line:  # a file: no Helm sections to map
            return self.path, line, end_line, end_column
        file, shown = self.display(line)
        end_file, end_shown = self.display(end_line)
        if end_file == file and end_shown >= shown:
            return file, shown, end_shown, end_column
        if self._lines is None:
            self._lines = Lines(self.text)
        first = self._lines.text_of(line) if line >= 1 else ""
        return file, shown, shown, max(column, len(first) + 1)
