"""The codec error handler for output the console's encoding cannot hold.

`PYTHONIOENCODING=latin-1`, or a cp1252 console on a Windows runner, lacks most of Unicode; a name
it cannot encode must not end the report with a UnicodeEncodeError. Python's `backslashreplace`
writes `\\U0001f600` for characters beyond U+FFFF, which is no JSON escape: a JSON or SARIF
report would no longer parse. This handler writes what JSON writes, `\\u65e5` and a surrogate
pair (`\\ud83d\\ude00`) above U+FFFF: readable in the text report, and the same data once a JSON
report is parsed.
"""

from __future__ import annotations

import codecs

ESCAPE = "gwlint-escape"  # the handler's name, for `errors=`


def _escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start:error.end]
    units = chunk.encode("utf-16-be", "surrogatepass")  # a lone surrogate is one unit too
    escaped = "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
    return escaped, error.end


codecs.register_error(ESCAPE, _escape)
