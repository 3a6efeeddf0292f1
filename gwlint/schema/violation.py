"""The Violation record every check in gwlint.schema returns."""

from __future__ import annotations

from dataclasses import dataclass

from .paths import FieldPath

CODES = frozenset({
    "type", "required", "enum", "pattern", "format", "bounds", "unknown-field",
    "experimental-field", "cel", "api-version-unserved", "api-version-deprecated", "invalid",
})


@dataclass(frozen=True, slots=True)
class Violation:
    """One problem found in one object.

    ``path`` is the JSON path inside the object body (``()`` = the object itself);
    ``message`` is self-contained (it starts with the formatted path); ``reason`` is the
    CEL rule's reason (FieldValueInvalid, ...) when it declares one.
    """

    code: str
    path: FieldPath
    message: str
    hint: str | None = None
    reason: str | None = None
