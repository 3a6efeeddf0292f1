"""Validate Kubernetes objects against the Gateway API CRD schemas and their CEL rules.

Public API (kept stable for the rest of gwlint)::

    Violation(code, path, message, hint=None, reason=None)
    bundled_versions() -> ["v1.0.0", ..., "v1.6.1"]
    resolve_version(spec) -> "v1.6.1"
    SchemaSet(version, channel).handles(api_version, kind) -> bool
    SchemaSet(version, channel).process(api_version, kind, body) -> (violations, defaulted_paths)

Importing this package does no work: artifacts, validators and CEL programs are loaded
and compiled on first use, once per process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .violation import Violation

if TYPE_CHECKING:  # pragma: no cover
    from .schemaset import SchemaSet

__all__ = ["SchemaSet", "Violation", "bundled_versions", "resolve_version"]


def bundled_versions() -> list[str]:
    """The bundled Gateway API releases, oldest first."""
    from .versions import bundled_versions as _bundled

    return _bundled()


def resolve_version(spec: str | None) -> str:
    """None -> newest; "v1.4"/"1.4" -> newest bundled v1.4.x; exact versions as is.

    Raises ValueError (listing the bundled releases) for anything else.
    """
    from .versions import resolve_version as _resolve

    return _resolve(spec)


def __getattr__(name: str) -> Any:
    if name == "SchemaSet":  # lazy: keeps `import gwlint.schema` free of heavy imports
        from .schemaset import SchemaSet

        return SchemaSet
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
