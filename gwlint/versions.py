"""Which Gateway API release and channel to validate against: option, detected CRDs, or newest."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from gwlint.model import Resource
from gwlint.schema import resolve_version

BUNDLE_ANNOTATION = "gateway.networking.k8s.io/bundle-version"
CHANNEL_ANNOTATION = "gateway.networking.k8s.io/channel"
DEFAULT_CHANNEL = "standard"
CHANNELS = (DEFAULT_CHANNEL, "experimental")
DEFAULT_SOURCE = "default"  # VersionChoice.source when neither an option nor CRDs chose


@dataclass(frozen=True)
class VersionChoice:
    version: str
    channel: str
    source: str  # "option", "detected" or "default"
    detected_from: str | None = None  # the file whose CRDs told the release

    def as_dict(self) -> dict[str, str | None]:
        return {"version": self.version, "channel": self.channel, "source": self.source,
                "detected_from": self.detected_from}


def _resolve(spec: str | None) -> str:
    return resolve_version(spec)


def newest() -> str:
    """The newest bundled release: the one validated against when nothing chooses one."""
    return _resolve(None)


def detect(resources: Iterable[Resource]) -> tuple[str, str, str] | None:
    """(release, channel, file) from Gateway API CRDs among the linted objects, if any."""
    for res in resources:
        if res.kind != "CustomResourceDefinition" or res.group != "apiextensions.k8s.io":
            continue
        if res.spec.get("group") not in ("gateway.networking.k8s.io",
                                         "gateway.networking.x-k8s.io"):
            continue
        annotations = res.metadata.get("annotations")
        if not isinstance(annotations, dict):
            continue
        bundle = annotations.get(BUNDLE_ANNOTATION)
        channel = annotations.get(CHANNEL_ANNOTATION)
        if isinstance(bundle, str) and bundle:
            channel = channel if channel in CHANNELS else DEFAULT_CHANNEL
            return bundle, channel, res.origin.source.path
    return None


def choose_version(version: str | None, channel: str | None,
                   found: tuple[str, str, str] | None) -> VersionChoice:
    """An explicit option wins over CRDs found in the repository (`found`, from `detect`), which
    win over the default.

    Raises ValueError for a release that is not bundled (a usage error).
    """
    if channel is not None and channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}: use standard or experimental")
    if version is not None:
        return VersionChoice(_resolve(version), channel or (found[1] if found else DEFAULT_CHANNEL),
                             "option")
    if found:
        for spec in (found[0], ".".join(found[0].split(".")[:2])):
            try:
                return VersionChoice(_resolve(spec), channel or found[1], "detected", found[2])
            except ValueError:
                continue  # a release gwlint does not bundle: fall back to the newest
    return VersionChoice(newest(), channel or DEFAULT_CHANNEL, DEFAULT_SOURCE)
