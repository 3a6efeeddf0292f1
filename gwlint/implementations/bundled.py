"""Locate and load the bundled conformance reports (see scripts/gen_reports.py).

Read lazily, once per process, the way `gwlint.schema.artifacts` reads the schemas: from
`$GWLINT_REPORTS_DIR`, the installed package (`gwlint/_reports`, force-included by the wheel)
or the source checkout (`reports/`). A missing or unreadable artifact is a packaging problem
(`ReportsArtifactError`), never a finding; its shape is checked by the test suite
(`ARTIFACT_SCHEMA`), so users never meet a malformed one.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gwlint.implementations.features import PROFILE_CORE

ENV_DIR = "GWLINT_REPORTS_DIR"
SUPPORTED_FORMAT = 1

SUPPORTED = "supported"
UNSUPPORTED = "unsupported"
NOT_CLAIMED = "not-claimed"


class ReportsArtifactError(RuntimeError):
    """The bundled reports are missing or unreadable (a packaging problem, not user error)."""


@dataclass(frozen=True, slots=True)
class Section:
    """The core or extended results of one profile."""

    result: str  # success | partial | failure
    passed: int
    failed: int
    skipped: int
    skipped_tests: tuple[str, ...]
    failed_tests: tuple[str, ...]
    supported: frozenset[str] = frozenset()
    unsupported: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Profile:
    name: str  # GATEWAY-HTTP, MESH-HTTP, ...
    core: Section
    extended: Section | None


@dataclass(frozen=True, slots=True, repr=False)
class Report:
    """One conformance report: an implementation version, mode and Gateway API release."""

    id: str  # the source path without .yaml: v1.6/envoy-gateway/experimental-v1.9.0-default-report
    implementation: str
    organization: str
    project: str
    url: str
    version: str
    gateway_api_version: str
    channel: str
    mode: str
    date: str
    profiles: tuple[Profile, ...]
    provisional_passed: tuple[str, ...]
    supported: frozenset[str]     # listed as supported, or core of a profile it ran
    unsupported: frozenset[str]   # listed as unsupported (and not supported by another profile)

    def __repr__(self) -> str:
        return f"Report({self.id!r})"

    def support(self, feature: str) -> str:
        """SUPPORTED, UNSUPPORTED, or NOT_CLAIMED (neither: the report does not say)."""
        if feature in self.supported:
            return SUPPORTED
        if feature in self.unsupported:
            return UNSUPPORTED
        return NOT_CLAIMED

    def profiles_for(self, feature: str) -> tuple[str, ...]:
        """The profiles whose results say something about `feature` (list it, or imply it as
        core): where the answer of `support` comes from."""
        return tuple(p.name for p in self.profiles
                     if feature in PROFILE_CORE.get(p.name, ()) or (p.extended is not None and (
                         feature in p.extended.supported or feature in p.extended.unsupported)))

    def profile(self, name: str) -> Profile | None:
        return next((p for p in self.profiles if p.name == name), None)

    def skipped_tests(self) -> tuple[str, ...]:
        """Tests the implementation skipped (core and extended, every profile), sorted."""
        return tuple(sorted({t for p in self.profiles for s in (p.core, p.extended) if s
                             for t in s.skipped_tests}))

    def label(self) -> str:
        """`envoy-gateway v1.9.0 (Gateway API v1.6.1, experimental channel, mode default)`."""
        return (f"{self.implementation} {self.version} (Gateway API {self.gateway_api_version}, "
                f"{self.channel} channel, mode {self.mode})")


@dataclass(frozen=True, slots=True)
class Implementation:
    name: str
    aliases: tuple[str, ...]
    organization: str
    project: str
    url: str
    reports: tuple[Report, ...]  # newest first (`newest_first`)


# ------------------------------------------------------------------------------ location


def _candidates() -> Iterator[Path]:
    override = os.environ.get(ENV_DIR)
    if override:
        yield Path(override)
    package = Path(__file__).resolve().parent.parent
    yield package / "_reports"          # installed wheel: force-included as gwlint/_reports
    yield package.parent / "reports"    # source checkout


@functools.cache
def artifact_path() -> Path:
    for folder in _candidates():
        if (folder / "reports.json").is_file():
            return folder / "reports.json"
    tried = ", ".join(str(p) for p in _candidates())
    raise ReportsArtifactError(f"gwlint conformance reports not found (tried {tried}); "
                               "run scripts/gen_reports.py or reinstall gwlint")


@functools.cache
def raw() -> dict[str, Any]:
    """The artifact as stored (checked against ARTIFACT_SCHEMA by the test suite)."""
    path = artifact_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportsArtifactError(f"cannot read {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != SUPPORTED_FORMAT:
        raise ReportsArtifactError(f"{path}: unsupported artifact format "
                                   f"{data.get('format') if isinstance(data, dict) else data!r}")
    return data


# ------------------------------------------------------------------------------ building


def _section(data: dict[str, Any]) -> Section:
    return Section(data["result"], data["passed"], data["failed"], data["skipped"],
                   tuple(data["skipped_tests"]), tuple(data["failed_tests"]),
                   frozenset(data.get("supported", ())), frozenset(data.get("unsupported", ())))


def _report(data: dict[str, Any]) -> Report:
    profiles = tuple(Profile(name, _section(p["core"]),
                             _section(p["extended"]) if "extended" in p else None)
                     for name, p in sorted(data["profiles"].items()))
    supported: set[str] = set()
    unsupported: set[str] = set()
    for prof in profiles:
        if prof.core.result != "failure":
            supported |= PROFILE_CORE.get(prof.name, frozenset())
        if prof.extended is not None:
            supported |= prof.extended.supported
            unsupported |= prof.extended.unsupported
    return Report(data["id"], data["implementation"], data["organization"], data["project"],
                  data["url"], data["version"], data["gateway_api_version"], data["channel"],
                  data["mode"], data["date"], profiles, tuple(data["provisional_passed"]),
                  frozenset(supported), frozenset(unsupported - supported))


_NUMBER = re.compile(r"\d+")


def version_key(text: str) -> tuple[tuple[int, ...], int, tuple[tuple[int, int, str], ...]]:
    """Order implementation versions: numbers as numbers, a release after its pre-releases.

    'v1.20.0' > 'v1.20.0-pre.2' > 'v1.19.0'; 'v3.7.10' > 'v3.7'; '1.28' == 'v1.28'; a version
    without digits ('main') sorts first.
    """
    text = re.sub(r"^\D*", "", text.strip().lower())
    m = re.match(r"[\d.]*\d", text)
    numbers = tuple(int(n) for n in m.group().split(".")) if m else ()
    rest = text[m.end():] if m else text
    pre = rest.lstrip("-+.")
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                  for p in re.split(r"(\d+)", pre) if p)
    return (numbers, 0 if pre else 1, parts)


def release_key(release: str) -> tuple[int, ...]:
    """'v1.6.1' -> (1, 6, 1)."""
    return tuple(int(n) for n in _NUMBER.findall(release))


# implementations whose reports have no "default" mode: the mode a plain installation runs
# (Kong Gateway's kong.conf `router_flavor` defaults to traditional_compatible)
DEFAULT_MODES: Mapping[str, str] = MappingProxyType({"kong": "traditional_compatible"})


def _preference(rep: Report) -> tuple[bool, bool, int, str]:
    """Among reports of one implementation version and release: the default mode first, then
    the experimental channel (it tests the experimental features too) and the run with fewest
    skipped tests; the id decides the rest."""
    skipped = sum(s.skipped for p in rep.profiles for s in (p.core, p.extended) if s)
    default = DEFAULT_MODES.get(rep.implementation, "default")
    return (rep.mode != default, rep.channel != "experimental", skipped, rep.id)


def newest_first(reps: Iterable[Report]) -> list[Report]:
    """Newest Gateway API release first, then newest implementation version, then
    `_preference` (stable sorts, applied from the last criterion to the first)."""
    out = sorted(reps, key=_preference)
    out.sort(key=lambda r: version_key(r.version), reverse=True)
    out.sort(key=lambda r: release_key(r.gateway_api_version), reverse=True)
    return out


@functools.cache
def names() -> tuple[str, ...]:
    """Every bundled implementation's name, sorted (no report is built)."""
    return tuple(sorted(raw()["implementations"]))


@functools.cache
def accepted_names() -> Mapping[str, str]:
    """Every name `--implementation` accepts, in lower case (names and aliases) -> the
    implementation's name (no report is built)."""
    out: dict[str, str] = {}
    for name, meta in raw()["implementations"].items():
        for alias in (name, *meta["aliases"]):
            out[alias.lower()] = name
    return MappingProxyType(out)


@functools.cache
def _raw_reports_of() -> dict[str, list[dict[str, Any]]]:
    by_impl: dict[str, list[dict[str, Any]]] = {}
    for rep in raw()["reports"]:
        by_impl.setdefault(rep["implementation"], []).append(rep)
    return by_impl


@functools.cache
def load_implementation(name: str) -> Implementation:
    """One implementation (its exact name: KeyError otherwise) with its reports newest first,
    built on first use: a lint needs the one or two its GatewayClasses name, and building all
    of them costs twice what reading the artifact does."""
    meta = raw()["implementations"][name]
    reps = newest_first(map(_report, _raw_reports_of().get(name, ())))
    return Implementation(name, tuple(meta["aliases"]), meta["organization"], meta["project"],
                          meta["url"], tuple(reps))


@functools.cache
def implementations() -> Mapping[str, Implementation]:
    """name -> Implementation, names sorted; each implementation's reports newest first."""
    return MappingProxyType({name: load_implementation(name) for name in names()})


def clear_caches() -> None:
    """Forget the artifact and everything built from it (tests point `$GWLINT_REPORTS_DIR`
    elsewhere)."""
    for fn in (artifact_path, raw, names, accepted_names, _raw_reports_of, load_implementation,
               implementations, reports):
        fn.cache_clear()


@functools.cache
def reports() -> tuple[Report, ...]:
    """Every bundled report, by id."""
    return tuple(sorted((r for impl in implementations().values() for r in impl.reports),
                        key=lambda r: r.id))


_NAMES_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
_SECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["result", "passed", "failed", "skipped", "skipped_tests", "failed_tests"],
    "additionalProperties": False,
    "properties": {
        "result": {"enum": ["success", "partial", "failure"]},
        "passed": {"type": "integer", "minimum": 0},
        "failed": {"type": "integer", "minimum": 0},
        "skipped": {"type": "integer", "minimum": 0},
        "skipped_tests": {"type": "array", "items": {"type": "string", "pattern": _NAMES_RE}},
        "failed_tests": {"type": "array", "items": {"type": "string", "pattern": _NAMES_RE}},
        "supported": {"type": "array", "uniqueItems": True,
                      "items": {"type": "string", "pattern": _NAMES_RE}},
        "unsupported": {"type": "array", "uniqueItems": True,
                        "items": {"type": "string", "pattern": _NAMES_RE}},
    },
}

# The artifact's shape, checked by the test suite for every bundled report (so a malformed
# report fails the build, never a user's run); also its reference documentation.
ARTIFACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "implementations", "reports"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": SUPPORTED_FORMAT},
        "implementations": {
            "type": "object", "minProperties": 1,
            "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]*$"},
            "additionalProperties": {
                "type": "object", "additionalProperties": False,
                "required": ["aliases", "organization", "project", "url"],
                "properties": {
                    "aliases": {"type": "array", "uniqueItems": True,
                                "items": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}},
                    "organization": {"type": "string", "minLength": 1},
                    "project": {"type": "string", "minLength": 1},
                    "url": {"type": "string"},
                },
            },
        },
        "reports": {
            "type": "array", "minItems": 1,
            "items": {
                "type": "object", "additionalProperties": False,
                "required": ["id", "implementation", "organization", "project", "url", "version",
                             "gateway_api_version", "channel", "mode", "date", "profiles",
                             "provisional_passed"],
                "properties": {
                    "id": {"type": "string", "pattern": r"^v\d+\.\d+(\.\d+)?/[^/]+/[^/]+$"},
                    "implementation": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "organization": {"type": "string", "minLength": 1},
                    "project": {"type": "string", "minLength": 1},
                    "url": {"type": "string"},
                    "version": {"type": "string", "minLength": 1},
                    "gateway_api_version": {"type": "string", "pattern": r"^v\d+\.\d+\.\d+$"},
                    "channel": {"enum": ["standard", "experimental"]},
                    "mode": {"type": "string", "minLength": 1},
                    "date": {"type": "string"},
                    "provisional_passed": {"type": "array",
                                           "items": {"type": "string", "pattern": _NAMES_RE}},
                    "profiles": {
                        "type": "object", "minProperties": 1,
                        "propertyNames": {"pattern": "^(GATEWAY|MESH)-[A-Z0-9]+$"},
                        "additionalProperties": {
                            "type": "object", "additionalProperties": False,
                            "required": ["core"],
                            "properties": {"core": _SECTION_SCHEMA, "extended": _SECTION_SCHEMA},
                        },
                    },
                },
            },
        },
    },
}
