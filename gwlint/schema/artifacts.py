"""Locate and load the generated schema artifacts (see scripts/gen_schemas.py).

Everything is read lazily and cached per process: the index on first use, each schema blob
the first time a kind/version that uses it is validated.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
from pathlib import Path
from typing import Any
from collections.abc import Iterator

ENV_DIR = "GWLINT_SCHEMAS_DIR"
SUPPORTED_FORMAT = 1


class ArtifactError(RuntimeError):
    """The schema artifacts are missing or unreadable (a packaging problem, not user error)."""


def _candidates() -> Iterator[Path]:
    override = os.environ.get(ENV_DIR)
    if override:
        yield Path(override)
    here = Path(__file__).resolve().parent
    yield here.parent / "_schemas"          # installed wheel: force-included as gwlint/_schemas
    yield here.parent.parent / "schemas"    # source checkout


@functools.cache
def artifacts_dir() -> Path:
    for path in _candidates():
        if (path / "index.json").is_file():
            return path
    tried = ", ".join(str(p) for p in _candidates())
    raise ArtifactError(f"gwlint schema artifacts not found (tried {tried}); "
                        "run scripts/gen_schemas.py or reinstall gwlint")


@functools.cache
def index() -> dict[str, Any]:
    path = artifacts_dir() / "index.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read {path}: {exc}") from exc
    if data.get("format") != SUPPORTED_FORMAT:
        raise ArtifactError(f"{path}: unsupported artifact format {data.get('format')!r}")
    return data


@functools.cache
def blob(blob_id: str) -> dict[str, Any]:
    """The structural schema stored under ``blob_id`` (shared by every release using it)."""
    path = artifacts_dir() / "blobs" / f"{blob_id}.json.gz"
    try:
        schema: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError) as exc:
        raise ArtifactError(f"cannot read schema blob {path}: {exc}") from exc
    return schema


@functools.cache
def field_history() -> dict[str, Any]:
    """Per kind and field path: bitmasks of the releases having it, per channel."""
    path = artifacts_dir() / "fields.json.gz"
    try:
        history: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return {"releases": [], "channels": [], "kinds": {}}
    return history


def releases() -> list[str]:
    return list(index()["releases"])


def bundle(release: str, channel: str) -> dict[str, Any]:
    """``{"kinds": {Kind: {group, plural, scope, versions: {...}}}}`` of one release/channel."""
    found: dict[str, Any] = index()["bundles"][release][channel]
    return found


def core_kinds() -> dict[str, Any]:
    core: dict[str, Any] = index()["core"]
    return core


@functools.cache
def gateway_kinds() -> dict[str, frozenset[str]]:
    """Every Gateway API kind of any release and channel -> the groups it appeared in."""
    found: dict[str, set[str]] = {}
    for per_channel in index()["bundles"].values():
        for ch in per_channel.values():
            for kind, entry in ch["kinds"].items():
                found.setdefault(kind, set()).add(entry["group"])
    return {k: frozenset(v) for k, v in found.items()}


def iter_served_schemas() -> Iterator[tuple[str, str, str, str, str]]:
    """Yield (release, channel, kind, version, blob_id) for every served CRD version."""
    data = index()
    for release in data["releases"]:
        for channel in data["channels"]:
            for kind, entry in sorted(bundle(release, channel)["kinds"].items()):
                for version, ver in sorted(entry["versions"].items()):
                    if ver.get("served") and ver.get("schema"):
                        yield release, channel, kind, version, ver["schema"]
