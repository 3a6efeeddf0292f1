"""Make an arbitrary loaded value JSON-compatible, reporting what had to go.

YAML happily produces dates (``2024-01-01``), binary, NaN or non-string keys; the API
server would reject them (or the client could not send them). jsonschema-rs refuses such
input outright, so when it does we validate a cleaned copy and report each offender.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from .paths import FieldPath, prefix
from .violation import Violation


def sanitize(value: Any, path: FieldPath = ()) -> tuple[Any, list[Violation], set[FieldPath]]:
    """A JSON-compatible copy of ``value``, the violations, and the offending paths."""
    problems: list[Violation] = []
    bad: set[FieldPath] = set()
    clean = _clean(value, path, problems, bad)
    return clean, problems, bad


_DROP = object()


def _clean(value: Any, path: FieldPath, problems: list[Violation], bad: set[FieldPath]) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return _reject(path, value, "not a finite number (JSON has no NaN/Infinity)", None,
                       problems, bad)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                _reject(path + (key,), key,
                        f"keys must be strings, got {type(key).__name__} {key!r}",
                        "quote the key", problems, bad)
                continue
            cleaned = _clean(item, path + (key,), problems, bad)
            if cleaned is not _DROP:
                out[key] = cleaned
        return out
    if isinstance(value, (list, tuple)):
        items = [_clean(item, path + (i,), problems, bad) for i, item in enumerate(value)]
        return [None if item is _DROP else item for item in items]
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return _reject(path, value, f"YAML read {value.isoformat()} as a date/time, not a string",
                       f"quote the value: \"{value.isoformat()}\"", problems, bad)
    if isinstance(value, (bytes, bytearray)):
        return _reject(path, value, "binary data is not valid here", None, problems, bad)
    return _reject(path, value, f"unsupported value of type {type(value).__name__}", None, problems,
                   bad)


def _reject(path: FieldPath, value: Any, why: str, hint: str | None, problems: list[Violation],
            bad: set[FieldPath]) -> Any:
    problems.append(Violation("type", path, f"{prefix(path)}{why}", hint=hint))
    bad.add(path)
    return _DROP
