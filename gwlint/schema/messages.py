"""Turn structural errors into messages a user understands without reading the CRD."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from . import artifacts, regex
from .paths import FieldPath, field_pattern, prefix, schema_at
from .structural import ILL_TYPED_KINDS, RawError, describe_value
from .violation import Violation


@dataclass(frozen=True, slots=True)
class KindContext:
    """What messages need to know about the kind/version being validated."""

    release: str
    channel: str
    kind: str
    api_version: str
    schema: dict[str, Any]
    experimental_fields: frozenset[str] = frozenset()
    experimental_enums: dict[str, Any] = field(default_factory=dict)
    gateway_api: bool = True


# Friendly wording for the patterns the Gateway API CRDs use most.
PATTERN_HELP = {
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$":
        "a lowercase RFC 1123 DNS name (letters, digits, '-' and '.'), e.g. example.com",
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$":
        "a lowercase hostname, optionally with a leading '*.' wildcard label; "
        "no port, no IP address",
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$":
        "a lowercase RFC 1123 label (letters, digits and '-', at most 63 characters)",
    r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$": "a kind name such as Service or Gateway",
    r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$":
        'an API group such as gateway.networking.k8s.io ("" for the core group)',
    "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$":
        "an HTTP header name (no spaces, ':' or other separators)",
    r"^([0-9]{1,5}(h|m|s|ms)){1,4}$": "a duration such as 500ms, 10s or 1m30s",
    "^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$":
        "URL path characters (use %XX escapes for anything else)",
}

_BOUNDS = {
    "minimum": "must be at least {limit}",
    "maximum": "must be at most {limit}",
    "exclusiveMinimum": "must be greater than {limit}",
    "exclusiveMaximum": "must be less than {limit}",
    "minLength": "must be at least {limit} characters long",
    "maxLength": "must be at most {limit} characters long",
    "minItems": "must have at least {limit} item(s)",
    "maxItems": "must have at most {limit} item(s)",
    "minProperties": "must have at least {limit} entries",
    "maxProperties": "must have at most {limit} entries",
    "multipleOf": "must be a multiple of {limit}",
}
_TYPE_WORDS = {"integer": "an integer", "string": "a string", "boolean": "a boolean",
               "number": "a number",
               "array": "a list", "object": "a mapping (object)", "null": "null"}


def structural_violations(errors: list[RawError],
                          ctx: KindContext) -> tuple[list[Violation], set[FieldPath]]:
    """Violations for ``errors``, plus the paths whose values are ill-typed for CEL."""
    out: list[Violation] = []
    ill_typed: set[FieldPath] = set()
    seen: set[tuple[str, FieldPath, str]] = set()
    for err in errors:
        key = (err.kind, err.path,
               json.dumps(err.detail.get("property") or err.detail.get("unexpected"), default=str))
        if key in seen:
            continue
        seen.add(key)
        if err.kind in ILL_TYPED_KINDS:
            ill_typed.add(err.path)
        out.extend(_one(err, ctx))
    return out, ill_typed


def _one(err: RawError, ctx: KindContext) -> list[Violation]:
    path, value, detail = err.path, err.instance, err.detail
    at = prefix(path)
    kind = err.kind
    if kind == "type":
        expected = [t for t in detail.get("types", []) if t != "null"] or ["a different type"]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in expected)
        return [Violation("type", path, f"{at}must be {words}, got {describe_value(value)}",
                          hint=_type_hint(expected, value))]
    if kind == "required":
        prop = str(detail.get("property", "?"))
        where = path + (prop,)
        return [Violation("required", where, f"{prefix(where)}required field is missing",
                          hint=f"add `{prop}` to {prefix(path)[:-2] or 'the object'}")]
    if kind == "enum":
        return [_enum(path, value, list(detail.get("options") or []), ctx)]
    if kind == "pattern":
        pattern = str(detail.get("pattern", ""))
        help_text = PATTERN_HELP.get(pattern)
        text = (f"must be {help_text}" if help_text
                else f"must match the regular expression {pattern}")
        return [Violation("pattern", path, f"{at}{describe_value(value)} is invalid: {text}",
                          hint=_pattern_hint(pattern, value))]
    if kind == "format":
        names = detail.get("formats") or [detail.get("format", "")]
        shown = " or ".join(_format_word(n) for n in names)
        return [Violation("format", path, f"{at}{describe_value(value)} is not a valid {shown}")]
    if kind in _BOUNDS:
        limit = detail.get("limit")
        return [Violation("bounds", path,
                          f"{at}{_BOUNDS[kind].format(limit=limit)} (got {_size(kind, value)})")]
    if kind == "additionalProperties":
        return [unknown_field(path, str(name), ctx) for name in detail.get("unexpected") or []]
    if kind == "uniqueItems":
        return [Violation("invalid", path, f"{at}items must be unique")]
    message = detail.get("message") or kind
    return [Violation("invalid", path, f"{at}{message}")]


def _size(kind: str, value: Any) -> str:
    if kind.endswith("Length") and isinstance(value, str):
        return f"{len(value)} characters"
    if kind.endswith("Items") and isinstance(value, list):
        return f"{len(value)} items"
    if kind.endswith("Properties") and isinstance(value, dict):
        return f"{len(value)} entries"
    return describe_value(value)


def _format_word(name: str) -> str:
    return {"ipv4": "IPv4 address", "ipv6": "IPv6 address",
            "date-time": "RFC 3339 date-time"}.get(name, name)


def _type_hint(expected: list[str], value: Any) -> str | None:
    if "integer" in expected and isinstance(value, str) and value.strip().isdigit():
        return f"write the number without quotes: {value.strip()}"
    if "integer" in expected and isinstance(value, float) and value.is_integer():
        return f"write it as an integer: {int(value)}"
    if "string" in expected and isinstance(value, bool):
        return "YAML reads yes/no/on/off/true/false as booleans: quote the value"
    if "string" in expected and isinstance(value, (int, float)):
        return f"quote the value: \"{value}\""
    if "array" in expected and isinstance(value, dict):
        return "this field is a list: write each entry on its own line starting with '- '"
    if "object" in expected and isinstance(value, list):
        return "this field is a mapping, not a list: remove the leading '- '"
    return None


def _pattern_hint(pattern: str, value: Any) -> str | None:
    """A fix that is valid itself: a suggested value must match the pattern."""
    if (isinstance(value, str) and value != value.lower() and "a-z" in pattern
            and "A-Z" not in pattern):
        for candidate in (value.lower(), re.sub(r"[^a-z0-9.-]+", "-", value.lower()).strip("-.")):
            if candidate and regex.search(pattern, candidate):
                return f"use lowercase: {candidate!r}"
        return "use lowercase letters, digits and '-'"
    if isinstance(value, str) and value != value.strip():
        return "remove the surrounding whitespace"
    return None


def _enum(path: FieldPath, value: Any, options: list[Any], ctx: KindContext) -> Violation:
    at = prefix(path)
    pattern = field_pattern(ctx.schema, path) or ""
    experimental = ctx.experimental_enums.get(pattern) or ()
    if value in experimental:
        return Violation(
            "experimental-field", path,
            f"{at}{json.dumps(value)} is only accepted by the experimental channel of Gateway API "
            f"{ctx.release}; the standard-channel CRDs reject it",
            hint="install the experimental-channel CRDs (validate with channel 'experimental') or "
                 "use a standard value: " + ", ".join(json.dumps(o) for o in options))
    shown = ", ".join(json.dumps(o) for o in options)
    hint = None
    if isinstance(value, str):
        folded = [o for o in options if isinstance(o, str) and o.lower() == value.lower()]
        strings = [o for o in options if isinstance(o, str)]
        close = folded or difflib.get_close_matches(value, strings, n=1, cutoff=0.6)
        if close:
            hint = (f"did you mean {json.dumps(close[0])}? (values are case-sensitive)" if folded
                    else f"did you mean {json.dumps(close[0])}?")
    return Violation("enum", path,
                     f"{at}unsupported value {json.dumps(value, default=str)}; "
                     f"supported values: {shown}", hint=hint)


def unknown_field(parent: FieldPath, name: str, ctx: KindContext) -> Violation:
    """An unknown property: experimental-only, a typo, or from another release."""
    path = parent + (name,)
    at = prefix(path)
    pattern = field_pattern(ctx.schema, path) or name
    if pattern in ctx.experimental_fields:
        return Violation(
            "experimental-field", path,
            f"{at}`{pattern}` is experimental in Gateway API {ctx.release}; with the "
            "standard-channel CRDs the API server drops it",
            hint="install the experimental-channel CRDs (validate with channel 'experimental') or "
                 "remove the field")
    node = schema_at(ctx.schema, parent) or {}
    known = sorted((node.get("properties") or {}).keys())
    hint = None
    close = ([k for k in known if k.lower() == name.lower()]
             or difflib.get_close_matches(name, known, n=1, cutoff=0.6))
    if close:
        hint = f"did you mean `{close[0]}`?"
    else:
        hint = _availability(ctx, pattern)
        if hint is None and known and len(known) <= 15:
            hint = "known fields here: " + ", ".join(known)
    return Violation(
        "unknown-field", path,
        f"{at}unknown field \"{name}\" (the API server silently drops unknown fields, so this "
        "setting would be ignored)",
        hint=hint)


def _availability(ctx: KindContext, pattern: str) -> str | None:
    """Where else the field exists: "added in v1.1.0", "only in the experimental channel"..."""
    if not ctx.gateway_api:
        return None
    history = artifacts.field_history()
    masks = history.get("kinds", {}).get(ctx.kind, {}).get(pattern)
    if not masks:
        return None
    releases = history.get("releases", [])
    std = [r for i, r in enumerate(releases) if masks[0] >> i & 1]
    exp = [r for i, r in enumerate(releases) if masks[1] >> i & 1]
    if std:
        return (f"`{pattern}` exists in the standard channel of Gateway API "
                f"{_span(std, releases)}; "
                f"you are validating against {ctx.release}")
    if exp:
        return (f"`{pattern}` exists only in the experimental channel of Gateway API "
                f"{_span(exp, releases)}; "
                f"you are validating against {ctx.release} ({ctx.channel})")
    return None


def _span(found: list[str], releases: list[str]) -> str:
    first = releases.index(found[0])
    if found == releases[first:first + len(found)]:
        if found[-1] == releases[-1]:
            return f"{found[0]} and later"
        return found[0] if len(found) == 1 else f"{found[0]} to {found[-1]}"
    return ", ".join(found)
