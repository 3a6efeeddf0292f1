"""Which Gateway API releases are bundled, and how a user's version spec maps to one."""

from __future__ import annotations

import re

from . import artifacts

_SPEC = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?$")


def _key(release: str) -> tuple[int, ...]:
    return tuple(int(x) for x in release.lstrip("v").split("."))


def bundled_versions() -> list[str]:
    """Bundled releases, oldest first, e.g. ``["v1.0.0", ..., "v1.6.1"]``."""
    return sorted(artifacts.releases(), key=_key)


def resolve_version(spec: str | None) -> str:
    """Map ``None``/"latest" to the newest release, "v1.4"/"1.4" to the newest bundled v1.4.x,
    and "v1.4.1"/"1.4.1" to itself; anything else raises ValueError naming what is bundled."""
    versions = bundled_versions()
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "latest")):
        return versions[-1]
    if not isinstance(spec, str):
        raise ValueError(f"Gateway API version must be a string like 'v1.4', got {spec!r}")
    text = spec.strip()
    m = _SPEC.match(text)
    available = ", ".join(versions)
    if not m:
        raise ValueError(f"invalid Gateway API version {spec!r}: expected e.g. 'v1.4' or 'v1.4.1' "
                         f"(bundled: {available})")
    major, minor, patch = m.group(1), m.group(2), m.group(3)
    same_minor = [v for v in versions if _key(v)[:2] == (int(major), int(minor))]
    if patch is None:
        if same_minor:
            return same_minor[-1]
        raise ValueError(f"Gateway API v{major}.{minor} is not bundled (bundled: {available})")
    exact = f"v{int(major)}.{int(minor)}.{int(patch)}"
    if exact in versions:
        return exact
    hint = f"; did you mean {same_minor[-1]} (or 'v{major}.{minor}')?" if same_minor else ""
    raise ValueError(f"Gateway API {exact} is not bundled (bundled: {available}){hint}")
