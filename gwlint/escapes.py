"""Untrusted text made safe to show, and output the console's encoding cannot hold.

Manifest text (names, messages, file names) is data: `sanitize` shows its control and invisible
characters as visible escapes before it reaches a terminal or a CI log, and `cell` makes it one
literal Markdown table cell (the GitHub job summary, `gwlint migration --format markdown`).

The codec error handler `ESCAPE`: `PYTHONIOENCODING=latin-1`, or a cp1252 console on a Windows
runner, lacks most of Unicode; a name it cannot encode must not end the report with a
UnicodeEncodeError. Python's `backslashreplace`
writes `\\U0001f600` for characters beyond U+FFFF, which is no JSON escape: a JSON or SARIF
report would no longer parse. This handler writes what JSON writes, `\\u65e5` and a surrogate
pair (`\\ud83d\\ude00`) above U+FFFF: readable in the text report, and the same data once a JSON
report is parsed.
"""

from __future__ import annotations

import codecs
import re

from gwlint.budget import shorten

ESCAPE = "gwlint-escape"  # the handler's name, for `errors=`

# C0/C1 controls (ESC starts terminal escape sequences) except tab; manifest text must not reach a
# terminal or a CI log raw. Also the invisible format characters that reorder or hide text
# ("Trojan Source" bidi overrides and isolates, zero-width characters, Unicode line separators,
# BOM) and lone surrogates (undecodable file name bytes), which no terminal can print.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e"
                      "\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")

# CommonMark lets any ASCII punctuation be escaped with a backslash: these are the ones that
# could start emphasis, code, a link, an HTML tag or entity, a table cell or a mention.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#!|~@&])")


def sanitize(text: str) -> str:
    """Replace control and invisible characters with visible escapes (`\\x1b`, `\\n`, `\\u202e`),
    in text cut to a readable length (gwlint.budget)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], shorten(text))


def cell(text: str) -> str:
    """Untrusted text as one literal Markdown table cell."""
    return _MARKDOWN.sub(r"\\\1", sanitize(text))


def _escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start:error.end]
    units = chunk.encode("utf-16-be", "surrogatepass")  # a lone surrogate is one unit too
    escaped = "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    return escaped, error.end


codecs.register_error(ESCAPE, _escape)
