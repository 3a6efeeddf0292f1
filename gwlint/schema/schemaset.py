"""SchemaSet: validate objects against one Gateway API release and channel."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from . import artifacts, served
from .compiled import CompiledSchema, compiled
from .messages import KindContext, structural_violations
from .metadata import check_metadata
from .paths import FieldPath
from .sanitize import sanitize
from .structural import RawError, describe_value, raw_errors
from .versions import resolve_version
from .violation import Violation

CHANNELS = ("standard", "experimental")
# Structural errors after which the API server evaluates no CEL rule of the object (apiextensions
# strategy.go, hasBlockingErr: ErrorTypeTooMany). A list over its maxItems is where CEL rules
# that compare every pair of items (uniqueness) would cost quadratic time, so gwlint stops there
# too and says so.
_BLOCKING = frozenset({"maxItems", "maxProperties"})
_NOT_CHECKED = ("the API server rejects the object with this error before it evaluates the "
                "CEL validation rules, so they were not checked")


@dataclass(frozen=True, slots=True)
class _Target:
    """A served kind/version of this SchemaSet, ready to validate."""

    compiled: CompiledSchema
    context: KindContext
    namespaced: bool
    notes: tuple[Violation, ...]  # e.g. api-version-deprecated


class SchemaSet:
    """Validates objects like the API server with one release's CRDs installed.

    Nothing is loaded until the first object of a kind is processed.
    """

    def __init__(self, version: str, channel: str) -> None:
        if channel not in CHANNELS:
            raise ValueError(f"unknown Gateway API channel {channel!r}: use 'standard' or "
                             f"'experimental'")
        self.version = resolve_version(version)
        self.channel = channel
        # fast-path engine for CEL ("python", "cel" or "off"), read once: see celplan.py
        self._cel_mode = os.environ.get("GWLINT_CEL_FASTPATH", "python").strip().lower() or "python"
        self._targets: dict[tuple[str, str], _Target | tuple[Violation, ...]] = {}
        # Objects of one kind mostly get the same defaults: share one frozenset per distinct set
        # (a set per object cost ~40 MB at 100,000 resources).
        self._defaulted: dict[frozenset[FieldPath], frozenset[FieldPath]] = {}

    def __repr__(self) -> str:
        return f"SchemaSet({self.version!r}, {self.channel!r})"

    # ------------------------------------------------------------------ public API

    def handles(self, api_version: str, kind: str) -> bool:
        """True for Gateway API kinds of any release (in a Gateway API group) and the core kinds."""
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return False
        group, _ = served.split_api_version(api_version)
        if group == "" and api_version == "v1":
            return kind in artifacts.core_kinds()
        kinds = artifacts.gateway_kinds()
        return kind in kinds and group in artifacts.index()["groups"]

    def process(self, api_version: str, kind: str, body: dict[str, Any]
                ) -> tuple[list[Violation], frozenset[FieldPath]]:
        """Served check, defaulting (in place), structural validation and CEL rules.

        Returns the violations and the set of JSON paths that were defaulted. Never raises.
        """
        try:
            return self._process(api_version, kind, body)
        except Exception as exc:  # a linter must not crash on any input: report instead
            return [Violation("invalid", (), f"internal error while validating {kind!r}: "
                              f"{type(exc).__name__}: {exc}",
                              hint="this is a gwlint bug; please report it with the manifest")
                    ], frozenset()

    # ------------------------------------------------------------------ internals

    def _process(self, api_version: Any, kind: Any, body: Any
                 ) -> tuple[list[Violation], frozenset[FieldPath]]:
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return [Violation("invalid", (), "apiVersion and kind must be strings")], frozenset()
        if not isinstance(body, dict):
            return [Violation("type", (), f"a {kind} must be a mapping (object), "
                              f"got {describe_value(body)}")], frozenset()
        target = self._target(api_version, kind)
        if not isinstance(target, _Target):
            return list(target), frozenset()
        violations: list[Violation] = list(target.notes)
        defaulted: set[FieldPath] = set()
        target.compiled.apply_defaults(body, defaulted)
        meta_violations, ill_typed = check_metadata(body.get("metadata"), kind, target.namespaced)
        violations.extend(meta_violations)
        struct_violations, struct_ill, blocking = self._structural(target, body, defaulted)
        if blocking:  # no CEL, as the API server: say so on the errors that stopped it
            violations.extend(_with_note(v) if v.code == "bounds" and v.path in blocking else v
                              for v in struct_violations)
        else:
            violations.extend(struct_violations)
            ill_typed |= struct_ill
            violations.extend(target.compiled.cel.check(body, ill_typed, self._cel_mode))
        shared = frozenset(defaulted)
        return violations, self._defaulted.setdefault(shared, shared)

    def _target(self, api_version: str, kind: str) -> _Target | tuple[Violation, ...]:
        key = (api_version, kind)
        cached = self._targets.get(key)
        if cached is None:
            cached = self._targets[key] = self._resolve(api_version, kind)
        return cached

    def _resolve(self, api_version: str, kind: str) -> _Target | tuple[Violation, ...]:
        core = artifacts.core_kinds().get(kind)
        if core is not None and api_version == core["apiVersion"]:
            schema = compiled(core["schema"])
            ctx = KindContext(self.version, self.channel, kind, api_version, schema.schema,
                              gateway_api=False)
            return _Target(schema, ctx, core["scope"] == "Namespaced", ())
        if not self.handles(api_version, kind):
            return (Violation("api-version-unserved", ("apiVersion",),
                              f"{kind} {api_version} is not a kind gwlint validates"),)
        result = served.check(self.version, self.channel, api_version, kind)
        if result.version_entry is None or result.kind_entry is None:
            return result.violations
        ver = result.version_entry
        schema = compiled(ver["schema"])
        ctx = KindContext(
            self.version, self.channel, kind, api_version, schema.schema,
            experimental_fields=frozenset(ver.get("experimentalFields") or ()),
            experimental_enums=dict(ver.get("experimentalEnums") or {}),
        )
        return _Target(schema, ctx, result.kind_entry.get("scope") == "Namespaced",
                       result.violations)

    def _structural(self, target: _Target, body: dict[str, Any], defaulted: set[FieldPath]
                    ) -> tuple[list[Violation], set[FieldPath], set[FieldPath]]:
        """(violations, ill-typed paths, paths of errors that block CEL)."""
        try:
            return self._validate(target, body, body, defaulted, [], set())
        except (ValueError, TypeError, OverflowError):
            # jsonschema-rs refuses non-JSON input (dates, int keys, ...): validate a cleaned
            # copy and report what had to be removed
            subject, extra, bad = sanitize(body)
            return self._validate(target, body, subject, defaulted, extra, bad)

    def _validate(self, target: _Target, body: dict[str, Any], subject: Any,
                  defaulted: set[FieldPath], extra: list[Violation], bad: set[FieldPath]
                  ) -> tuple[list[Violation], set[FieldPath], set[FieldPath]]:
        validator = target.compiled.validator
        if validator.is_valid(subject):
            return extra, bad, set()
        errors = raw_errors(validator, subject)
        if subject is body and self._prune_nulls(body, errors):
            # the API server drops `field: null` before defaulting and validation
            target.compiled.apply_defaults(body, defaulted)
            if validator.is_valid(body):
                return extra, bad, set()
            errors = raw_errors(validator, body)
        if bad:
            errors = [e for e in errors if not _covered(e, bad)]
        violations, ill_typed = structural_violations(errors, target.context)
        blocking = {e.path for e in errors if e.kind in _BLOCKING}
        return extra + violations, ill_typed | bad, blocking

    @staticmethod
    def _prune_nulls(body: dict[str, Any], errors: list[RawError]) -> bool:
        pruned = False
        for err in errors:
            if err.kind != "type" or not err.path or not isinstance(err.path[-1], str):
                continue
            parent: Any = body
            for seg in err.path[:-1]:
                try:
                    parent = parent[seg]
                except (KeyError, IndexError, TypeError):
                    parent = None
                    break
            if isinstance(parent, dict) and err.path[-1] in parent and parent[err.path[-1]] is None:
                del parent[err.path[-1]]
                pruned = True
        return pruned


def _with_note(v: Violation) -> Violation:
    hint = f"{v.hint}; {_NOT_CHECKED}" if v.hint else _NOT_CHECKED
    return Violation(v.code, v.path, v.message, hint=hint, reason=v.reason)


def _covered(err: RawError, bad: set[FieldPath]) -> bool:
    """Errors that only echo a value sanitize() already reported (or dropped)."""
    if err.path in bad:
        return True
    if err.kind == "required":
        return err.path + (err.detail.get("property"),) in bad
    return False
