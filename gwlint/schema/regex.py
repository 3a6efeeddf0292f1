"""Regular expressions with Go RE2 semantics.

The API server evaluates schema ``pattern`` and CEL ``matches()`` with Go's RE2: linear
time, ``$`` only at the very end (Python's ``re`` also matches before a trailing newline),
``\\d``/``\\w`` ASCII-only. CEL ``matches()`` runs inside cel-expr-python, which uses
Google's RE2; schema patterns run in jsonschema-rs with the ``regex`` crate engine (same
RE2 family, linear time). Python-side checks (metadata, the Kubernetes format library) go
through :func:`search`/:func:`fullmatch` here, backed by google-re2.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

try:  # google-re2 is a declared dependency; the fallback only keeps a broken install usable
    import re2 as _re2  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    _re2 = None


@functools.cache
def _compile(pattern: str) -> Any:
    if _re2 is not None:
        return _re2.compile(pattern)
    import re  # pragma: no cover

    # Emulate RE2's "$ = end of text" for the patterns gwlint itself writes.
    return re.compile(pattern.replace("$", r"\Z"))  # pragma: no cover


def search(pattern: str, text: str) -> bool:
    """Unanchored match, as JSON Schema ``pattern`` and CEL ``matches()`` define it."""
    return _compile(pattern).search(text) is not None


def cel_matches(text: str, pattern: str) -> bool:
    """CEL ``text.matches(pattern)`` with the compiled pattern cached per process."""
    return _compile(pattern).search(text) is not None


def fullmatch(pattern: str, text: str) -> bool:
    return _compile(pattern).fullmatch(text) is not None


def matcher(pattern: str) -> Callable[[str], bool]:
    """A compiled unanchored matcher (compiled once per process)."""
    compiled = _compile(pattern)
    return lambda text: compiled.search(text) is not None


def jsonschema_pattern_options() -> Any:
    """jsonschema-rs options selecting the linear-time ``regex`` crate (RE2-like) engine.

    The default fancy-regex engine supports backtracking constructs RE2 rejects; the
    ``regex`` crate matches Go's syntax and semantics for every pattern the CRDs contain
    (tests/test_schema_regex.py checks them against RE2 differentially).
    """
    import jsonschema_rs

    return jsonschema_rs.RegexOptions()
