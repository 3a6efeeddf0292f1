"""Files of several concatenated JSON values (`{...}\\n{...}`), read as kubectl reads them.

`kubectl apply -f` decodes a JSON file as a stream of values, one object after another; YAML
sees the second value as garbage after the first document. When a text that starts like JSON
fails to parse as YAML, it is split into its JSON values (with Python's JSON scanner, only to
find where each ends) and each value is composed as a YAML document of its own, with its node
positions moved to where it stands in the file, so spans and suppressions stay exact.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_VALUES = 100_000  # as many as the loader reads documents from one file
_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\r\n"
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks as libyaml counts them


def looks_like_json(text: str) -> bool:
    """The text starts (after whitespace and a BOM) with `{` or `[`."""
    head = text.lstrip(_WHITESPACE + "\ufeff")[:1]
    return head in ("{", "[")


def segments(text: str) -> list[tuple[int, int]] | None:
    """(start, end) offsets of the JSON values of `text`, or None unless it is a stream of two
    or more JSON values separated only by whitespace."""
    out: list[tuple[int, int]] = []
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in _WHITESPACE + "\ufeff":
            pos += 1
        if pos >= size:
            break
        if len(out) >= MAX_VALUES:
            return None
        try:
            _, end = _DECODER.raw_decode(text, pos)
        except (ValueError, RecursionError):
            return None
        out.append((pos, end))
        pos = end
    return out if len(out) > 1 else None


def stream_error(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of the JSON error in a text of concatenated JSON values whose
    first value is complete and a later one is not; None for any other text (YAML reports)."""
    if not looks_like_json(text):
        return None
    pos, size, count = 0, len(text), 0
    while True:
        while pos < size and text[pos] in _WHITESPACE + "\ufeff":
            pos += 1
        if pos >= size or count >= MAX_VALUES:
            return None
        try:
            _, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            return (exc.lineno, exc.colno, f"invalid JSON: {exc.msg}") if count else None
        except (ValueError, RecursionError):
            return None
        count += 1


def _moved(mark: Any, lines: int, first_line_columns: int, offset: int) -> Mark:
    column = mark.column + first_line_columns if mark.line == 0 else mark.column
    # no buffer, so PyYAML never reads the pointer (the stubs want an int)
    return Mark(mark.name, mark.index + offset, mark.line + lines, column, None, 0)


def _shift(node: Node, lines: int, first_line_columns: int, offset: int) -> None:
    """Move every mark of a composed value by `lines` (and, on its first line, by columns),
    and its character index by `offset` (libyaml's marks are read-only: they are replaced)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        n.start_mark = _moved(n.start_mark, lines, first_line_columns, offset)
        n.end_mark = _moved(n.end_mark, lines, first_line_columns, offset)
        if isinstance(n, MappingNode):
            for key, value in n.value:
                stack.extend((key, value))
        elif isinstance(n, SequenceNode):
            stack.extend(n.value)


def compose(text: str, loader: Any) -> list[Node] | None:
    """The values of a JSON stream as YAML nodes positioned in `text` (None: not a stream)."""
    if not looks_like_json(text):
        return None
    found = segments(text)
    if found is None:
        return None
    nodes: list[Node] = []
    line, last, line_start = 0, 0, 0
    for start, end in found:
        for m in _YAML_BREAK.finditer(text, last, start):
            line, line_start = line + 1, m.end()
        last = start
        column = start - line_start
        try:
            node = yaml.compose(text[start:end], Loader=loader)
        except (yaml.YAMLError, RecursionError):
            return None
        if node is not None:
            _shift(node, line, column, start)
            nodes.append(node)
    return nodes
