"""Regular expressions with Go RE2 semantics, fast.

The API server evaluates schema ``pattern`` and CEL ``matches()`` with Go's RE2: linear
time, ``$`` only at the very end (Python's ``re`` also matches before a trailing newline),
``\\d``/``\\w``/``\\b`` ASCII-only, no lookaround or backreferences.

* Schema patterns run in jsonschema-rs on the ``regex`` crate engine (RE2 family).
* Everything matched from Python (CEL ``matches()`` with a constant pattern, metadata
  names, the Kubernetes format library) goes through :func:`compile` here. google-re2 is
  the reference engine, but its Python wrapper costs ~5 us per search; for patterns that
  only use constructs whose meaning is identical in both engines we translate to Python's
  ``re`` (``$`` -> ``\\Z``, ASCII classes), which is ~15x faster. Anything else (flags,
  lookaround, Unicode classes, ``\\s``, ``{,n}``, ...) stays on google-re2.
  tests/test_schema_regex.py checks the translation differentially against RE2.
"""

from __future__ import annotations

import functools
import re
from typing import Any
from collections.abc import Callable

try:  # google-re2 is a declared dependency; the fallback only keeps a broken install usable
    import re2 as _re2
except ImportError:  # pragma: no cover
    _re2 = None

# Escapes with the same meaning in RE2 (ASCII classes) and Python re with re.ASCII.
_SAFE_ESCAPES = frozenset("\\.-/^$*+?()[]{}|dwDWbBtnrfva'\"!#%&,:;<=>@`~_ ")
_HEX = frozenset("0123456789abcdefABCDEF")


def translate(pattern: str) -> str | None:
    """An equivalent Python ``re`` pattern (for re.ASCII), or None if not provably equal."""
    return _translate(pattern)[0]


def _translate(pattern: str) -> tuple[str | None, int]:
    """(Python pattern, re flags). A leading ``(?i)`` (possibly after ``^``) becomes
    re.IGNORECASE without re.ASCII: Python's Unicode case folding then agrees with RE2's
    (Kelvin sign, long s...), provided no ``\\d``/``\\w``/``\\b`` (Unicode-aware without
    re.ASCII) appear."""
    flags = re.ASCII
    for prefix in ("(?i)", "^(?i)"):
        if pattern.startswith(prefix):
            rest = pattern[len(prefix):]
            if re.search(r"\\[dDwWbB]", rest):
                return None, 0
            translated = _translate_body(rest)
            if translated is None:
                return None, 0
            return ("^" if prefix.startswith("^") else "") + translated, re.IGNORECASE
    return _translate_body(pattern), flags


def _translate_body(pattern: str) -> str | None:
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            e = pattern[i + 1]
            if e == "x":  # \xHH only (RE2's \x{...} has no Python equivalent)
                digits = pattern[i + 2:i + 4]
                if len(digits) == 2 and all(h in _HEX for h in digits):
                    out.append(pattern[i:i + 4])
                    i += 4
                    continue
                return None
            if e not in _SAFE_ESCAPES or (in_class and e in "bB"):
                return None
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" and i + 1 < n and pattern[i + 1] in ":=.":  # POSIX classes / collating
                return None
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # leading ']' is a literal in both engines
                out.append("\\]")
                i += 1
            continue
        if c == "(" and pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            return None  # flags, lookaround, named groups: leave to RE2
        if c == "{" and pattern.startswith("{,", i):
            return None  # RE2 reads "{,n}" literally, Python as a repetition
        if c in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            return None  # possessive quantifier: an error in RE2
        out.append("\\Z" if c == "$" else c)
        i += 1
    if in_class:
        return None
    return "".join(out)


class _Compiled:
    """search/fullmatch over either engine."""

    __slots__ = ("fullmatch", "search")

    def __init__(self, pattern: str) -> None:
        python_pattern, flags = _translate(pattern)
        compiled: Any = None
        if python_pattern is not None:
            try:
                compiled = re.compile(python_pattern, flags)
            except re.error:
                compiled = None
        if compiled is None:
            if _re2 is not None:
                compiled = _re2.compile(pattern)
            else:  # pragma: no cover
                compiled = re.compile(python_pattern or pattern)
        self.search = compiled.search
        self.fullmatch = compiled.fullmatch


@functools.lru_cache(maxsize=4096)
def compile(pattern: str) -> _Compiled:  # noqa: A001 - mirrors re.compile
    return _Compiled(pattern)


def search(pattern: str, text: str) -> bool:
    """Unanchored match, as JSON Schema ``pattern`` and CEL ``matches()`` define it."""
    return compile(pattern).search(text) is not None


def cel_matches(text: str, pattern: str) -> bool:
    """CEL ``text.matches(pattern)`` (member-call argument order)."""
    return compile(pattern).search(text) is not None


def fullmatch(pattern: str, text: str) -> bool:
    return compile(pattern).fullmatch(text) is not None


def matcher(pattern: str) -> Callable[[str], bool]:
    """A compiled unanchored matcher."""
    search_fn = compile(pattern).search
    return lambda text: search_fn(text) is not None


def re2_search(pattern: str, text: str) -> bool:
    """The reference RE2 engine, always (tests compare the fast path against it)."""
    if _re2 is None:  # pragma: no cover
        raise RuntimeError("google-re2 is not installed")
    return _re2.compile(pattern).search(text) is not None


def jsonschema_pattern_options() -> Any:
    """jsonschema-rs options selecting the linear-time ``regex`` crate (RE2-like) engine.

    The default fancy-regex engine supports backtracking constructs RE2 rejects; the
    ``regex`` crate matches Go's syntax and semantics for every pattern the CRDs contain
    (tests/test_schema_regex.py checks them against RE2 differentially).
    """
    import jsonschema_rs

    return jsonschema_rs.RegexOptions()
