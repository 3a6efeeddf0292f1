"""Everything derived from one schema blob, built lazily and shared by the whole process.

Many releases share the same blob, so compiled validators, default appliers and CEL
programs are keyed by blob id, not by release.
"""

from __future__ import annotations

import functools
from typing import Any

from . import artifacts
from .celplan import CelPlan
from .defaults import Applier, compile_defaults
from .paths import FieldPath
from .structural import compile_validator


class CompiledSchema:
    """Validator, defaulter and CEL plan of one structural schema (each built on first use)."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._validator: Any = None
        self._defaults: Applier | None = None
        self._defaults_ready = False
        self._cel: CelPlan | None = None

    @property
    def validator(self) -> Any:
        if self._validator is None:
            self._validator = compile_validator(self.schema)
        return self._validator

    @property
    def defaults(self) -> Applier | None:
        if not self._defaults_ready:
            self._defaults = compile_defaults(self.schema)
            self._defaults_ready = True
        return self._defaults

    @property
    def cel(self) -> CelPlan:
        if self._cel is None:
            self._cel = CelPlan(self.schema)
        return self._cel

    def apply_defaults(self, body: dict[str, Any], out: set[FieldPath]) -> None:
        applier = self.defaults
        if applier is not None:
            applier(body, (), out)


@functools.cache
def compiled(blob_id: str) -> CompiledSchema:
    return CompiledSchema(artifacts.blob(blob_id))
