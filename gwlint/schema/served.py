"""Is an apiVersion/kind served by the selected release and channel? Explain when not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import artifacts
from .violation import Violation

PATH = ("apiVersion",)
_VERSION = re.compile(r"^v(\d+)(?:(alpha|beta)(\d+))?$")


def version_priority(version: str) -> tuple[int, int, int, int, str]:
    """Kubernetes version priority: v1 > v1beta2 > v1beta1 > v1alpha1 > anything else."""
    m = _VERSION.match(version)
    if not m:
        return (0, 0, 0, 0, version)
    stability = {"alpha": 1, "beta": 2, None: 3}[m.group(2)]
    return (1, stability, int(m.group(1)), int(m.group(3) or 0), version)


def split_api_version(api_version: str) -> tuple[str, str]:
    group, _, version = api_version.rpartition("/")
    return group, version


@dataclass(frozen=True, slots=True)
class Served:
    """The outcome: a kind entry + version entry when served, plus any violations."""

    violations: tuple[Violation, ...]
    kind_entry: dict[str, Any] | None = None
    version_entry: dict[str, Any] | None = None


def check(release: str, channel: str, api_version: str, kind: str) -> Served:
    group, version = split_api_version(api_version)
    kinds = artifacts.bundle(release, channel)["kinds"]
    where = f"Gateway API {release} ({channel} channel)"
    entry = kinds.get(kind)
    if entry is None:
        text = f"{kind} is not served by {where}: {_kind_elsewhere(kind, release, channel)}"
        hint = _kind_hint(kind, release, channel)
        alias = kinds.get(f"X{kind}")
        if alias is not None:  # e.g. ListenerSet was XListenerSet (x-k8s.io) before it graduated
            preferred = _preferred(alias)
            text += f"; this release has it as X{kind} ({alias['group']}/{preferred})"
            hint = f"use apiVersion {alias['group']}/{preferred} and kind X{kind}"
        return Served((Violation("api-version-unserved", PATH, text, hint=hint),))
    if entry["group"] != group:
        return Served((Violation(
            "api-version-unserved", PATH,
            f"apiVersion {api_version!r}: {kind} belongs to API group {entry['group']}, "
            f"not {group or 'the core group'}",
            hint=f"use apiVersion {entry['group']}/{_preferred(entry)}"),))
    served = sorted((v for v, e in entry["versions"].items() if e.get("served")),
                    key=version_priority, reverse=True)
    ver = entry["versions"].get(version)
    if ver is None or not ver.get("served"):
        detail = []
        if ver is not None and ver.get("deprecated"):
            detail.append("it is deprecated and no longer served")
        elif ver is None:
            last = _last_served(kind, group, version, release)
            detail.append(f"it was last served in {last}" if last
                          else "this version does not exist")
        other = [c for c in artifacts.index()["channels"] if c != channel]
        for ch in other:
            other_kind = artifacts.bundle(release, ch)["kinds"].get(kind, {})
            other_entry = other_kind.get("versions", {}).get(version)
            if other_entry and other_entry.get("served"):
                detail.append(f"the {ch} channel of {release} still serves it")
        listing = ", ".join(f"{group}/{v}" for v in served) or "none"
        return Served((Violation(
            "api-version-unserved", PATH,
            f"{kind} {api_version} is not served by {where}: {'; '.join(detail)}; "
            f"served versions: {listing}",
            hint=f"change apiVersion to {group}/{served[0]}" if served else None),))
    violations: tuple[Violation, ...] = ()
    if ver.get("deprecated"):
        replacement = _preferred(entry, exclude_deprecated=True)
        warning = ver.get("deprecationWarning") or f"{group}/{version} {kind} is deprecated"
        if replacement and replacement not in warning:
            warning += f" Use {group}/{replacement}."
        violations = (Violation(
            "api-version-deprecated", PATH,
            f"{kind} {api_version} is deprecated in {where}: {warning}",
            hint=f"change apiVersion to {group}/{replacement}" if replacement else None),)
    return Served(violations, entry, ver)


def _preferred(entry: dict[str, Any], exclude_deprecated: bool = False) -> str | None:
    """The storage version if served, else the highest-priority served version."""
    versions = entry["versions"]
    usable: list[str] = [v for v, e in versions.items()
                         if e.get("served") and not (exclude_deprecated and e.get("deprecated"))]
    storage = [v for v in usable if versions[v].get("storage")]
    if storage:
        return storage[0]
    return max(usable, key=version_priority) if usable else None


def _occurrences(kind: str) -> list[tuple[str, str, dict[str, Any]]]:
    data = artifacts.index()
    out = []
    for release in data["releases"]:
        for channel in data["channels"]:
            entry = artifacts.bundle(release, channel)["kinds"].get(kind)
            if entry is not None:
                out.append((release, channel, entry))
    return out


def _kind_elsewhere(kind: str, release: str, channel: str) -> str:
    found = _occurrences(kind)
    if not found:
        return "it is not a Gateway API kind"
    same_release = [ch for r, ch, _ in found if r == release]
    if same_release:
        return (f"it is only part of the {' and '.join(same_release)} channel of {release}; "
                f"the {channel}-channel CRDs do not define it")
    releases = artifacts.index()["releases"]
    pos = releases.index(release)
    later = [(r, ch) for r, ch, _ in found if releases.index(r) > pos]
    earlier = [(r, ch) for r, ch, _ in found if releases.index(r) < pos]
    if later:
        first = later[0]
        std = [r for r, ch in later if ch == "standard"]
        text = f"it was added in {first[0]} ({first[1]} channel)"
        if std and std[0] != first[0]:
            text += f" and reached the standard channel in {std[0]}"
        return text
    last = earlier[-1]
    return f"it was removed after {last[0]} (last in the {last[1]} channel)"


def _kind_hint(kind: str, release: str, channel: str) -> str | None:
    found = _occurrences(kind)
    if any(r == release for r, _, _ in found):
        return ("validate with channel 'experimental' if your cluster has the "
                "experimental-channel CRDs installed")
    if found:
        return "validate against the Gateway API version your cluster runs"
    return None


def _last_served(kind: str, group: str, version: str, before: str) -> str | None:
    releases = artifacts.index()["releases"]
    limit = releases.index(before)
    last = None
    for release, channel, entry in _occurrences(kind):
        if releases.index(release) >= limit or entry["group"] != group:
            continue
        ver = entry["versions"].get(version)
        if ver and ver.get("served"):
            last = f"{release} ({channel} channel)"
    return last
