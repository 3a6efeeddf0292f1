"""The one line model of every position gwlint reports: LF, CRLF and CR end a line.

GitHub (annotations, the file view) and SARIF consumers count lines this way, so reported lines and
columns are counted this way too (columns in Unicode code points, 1-based). NEL (U+0085), LINE
SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) do *not* end a line here: GitHub does not break
lines on them, nor does YAML 1.2. libyaml (a YAML 1.1 parser) does, so the line and column of its
marks are wrong for a text that contains one of them; such marks are converted through their
character index (`MarkMap`). Texts without these three characters need no conversion: libyaml
counts LF, CRLF and CR exactly as above.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

BREAK = re.compile("\r\n|\r|\n")
_ANY_BREAK = re.compile("[\r\n\x85\u2028\u2029]")  # what ends a line for libyaml (and a comment)
_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")


def yaml_only_breaks(text: str) -> bool:
    """Whether libyaml would count lines of `text` differently from the report model."""
    return any(c in text for c in _YAML_ONLY_BREAKS)


def extent(text: str) -> tuple[int, int]:
    """(number of lines, length of the last line) of `text`."""
    lines = 1 + text.count("\n") + text.count("\r") - text.count("\r\n")
    return lines, len(text) - max(text.rfind("\r"), text.rfind("\n")) - 1


def clamp(ext: tuple[int, int], line: int, column: int) -> tuple[int, int]:
    """Keep a 1-based position inside a text of extent `ext`: libyaml puts the end of a stream
    that does not end with a line break (and empty nodes there) on the line after the last one."""
    lines, last = ext
    if line > lines:
        return lines, last + 1
    return max(line, 1), max(column, 1)


def next_break(text: str, index: int) -> int:
    """Index just after the end of the (libyaml) line holding `index`, or len(text)."""
    m = _ANY_BREAK.search(text, index)
    if m is None:
        return len(text)
    return m.end() + (1 if m.group() == "\r" and text.startswith("\n", m.end()) else 0)


class Lines:
    """Line starts of one text, built once (linear), for position lookups in O(log n)."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in BREAK.finditer(text))

    def __len__(self) -> int:
        return len(self.starts)

    def line_of(self, index: int) -> int:
        """1-based line of character `index`."""
        return bisect.bisect_right(self.starts, max(0, min(index, len(self.text))))

    def position(self, index: int) -> tuple[int, int]:
        """1-based (line, column) of character `index`."""
        index = max(0, min(index, len(self.text)))
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def start(self, line: int) -> int:
        """Index of the first character of 1-based `line`."""
        return self.starts[max(1, min(line, len(self.starts))) - 1]

    def end(self, line: int) -> int:
        """Index just past the last character of 1-based `line` (before its line break)."""
        line = max(1, min(line, len(self.starts)))
        if line == len(self.starts):
            return len(self.text)
        end = self.starts[line] - 1
        if self.text[end] == "\n" and end > 0 and self.text[end - 1] == "\r" \
                and end - 1 >= self.starts[line - 1]:
            end -= 1
        return end

    def text_of(self, line: int) -> str:
        """The text of 1-based `line`, without its line break."""
        return self.text[self.start(line):self.end(line)]


class MarkMap:
    """libyaml marks of one text -> 1-based (line, column) of the report model, inside the text."""

    __slots__ = ("extent", "lines")

    def __init__(self, text: str) -> None:
        self.extent = extent(text)
        self.lines = Lines(text) if yaml_only_breaks(text) else None

    def __call__(self, mark: Any) -> tuple[int, int]:
        if self.lines is not None:
            return self.lines.position(mark.index)
        return clamp(self.extent, mark.line + 1, mark.column + 1)
