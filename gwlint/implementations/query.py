"""Questions about implementations, answered from their bundled conformance reports.

    resolve("envoy-gateway@v1.8") -> Report      # NAME[@VERSION]; newest report without VERSION
    support("istio", None, "HTTPRouteCORS") -> Answer(status, feature, report)
    standard_channel_only("gke") -> True           # no experimental-channel report for that version
    newest_gateway_api_version("gke") -> "v1.6.0"  # any report of the implementation

Unknown names and versions raise `UnknownImplementation` / `UnknownVersion` (ValueErrors whose
message lists the known ones: a usage error for the command line).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from gwlint.implementations.bundled import (
    Implementation,
    Report,
    accepted_names,
    load_implementation,
    names,
    newest_first,
    release_key,
    version_key,
)


class UnknownImplementation(ValueError):
    def __init__(self, name: str, known: list[str]) -> None:
        key = name.strip().lower()
        close = [k for k in known if k.startswith(key)][:1] or difflib.get_close_matches(
            key, known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        super().__init__(f"unknown implementation {name!r}{hint}; known: {', '.join(known)}")
        self.name, self.known = name, known


class UnknownVersion(ValueError):
    def __init__(self, implementation: str, version: str, known: list[str]) -> None:
        super().__init__(f"no bundled conformance report of {implementation} {version}; "
                         f"bundled versions: {', '.join(known)}")
        self.implementation, self.version, self.known = implementation, version, known


class UnknownMode(ValueError):
    def __init__(self, implementation: str, mode: str, known: list[str]) -> None:
        super().__init__(f"no bundled conformance report of {implementation} in mode {mode!r}; "
                         f"modes: {', '.join(known)}")
        self.implementation, self.mode, self.known = implementation, mode, known


@dataclass(frozen=True, slots=True)
class Answer:
    """Whether `report`'s implementation supports `feature`: SUPPORTED, UNSUPPORTED or
    NOT_CLAIMED (the report lists it neither way: weaker than unsupported)."""

    status: str
    feature: str
    report: Report

    @property
    def profiles(self) -> tuple[str, ...]:
        """The report's profiles the answer comes from (empty when NOT_CLAIMED)."""
        return self.report.profiles_for(self.feature)


def known_implementations() -> list[str]:
    return list(names())


def implementation(name: str) -> Implementation:
    """The implementation called `name` (or one of its aliases, any case)."""
    found = accepted_names().get(name.strip().lower())
    if found is None:
        raise UnknownImplementation(name, known_implementations())
    return load_implementation(found)


def parse_spec(spec: str) -> tuple[str, str | None]:
    """'NAME@VERSION' -> (NAME, VERSION); 'NAME' -> (NAME, None)."""
    name, sep, version = spec.strip().partition("@")
    if not name.strip() or (sep and not version.strip()):
        raise ValueError(f"invalid implementation {spec!r}: use NAME or NAME@VERSION "
                         "(e.g. envoy-gateway@v1.9)")
    return name.strip(), (version.strip() or None)


def known_versions(name: str) -> list[str]:
    """The implementation versions with a bundled report, newest first (duplicates dropped)."""
    return list(dict.fromkeys(r.version for r in sorted(
        implementation(name).reports, key=lambda r: version_key(r.version), reverse=True)))


def _matching(impl: Implementation, version: str) -> list[Report]:
    """Reports of exactly `version` ('v' and case ignored), else of the versions it prefixes at a
    dot or dash ('1.20' -> v1.20.0, v1.20.0-pre.2; 'v3.7' -> v3.7, v3.7.10)."""
    want = version.strip().lower().removeprefix("v")
    norm = [(r, r.version.strip().lower().removeprefix("v")) for r in impl.reports]
    exact = [r for r, v in norm if v == want]
    return exact or [r for r, v in norm if v.startswith((want + ".", want + "-"))]


def resolve(spec: str, version: str | None = None, mode: str | None = None) -> Report:
    """The report for NAME[@VERSION] (or `version`), newest first: the newest Gateway API
    release, then the newest implementation version, then the default mode, the experimental
    channel, the run with fewest skips. `mode` restricts to one mode."""
    name, at = parse_spec(spec)
    impl = implementation(name)
    version = version or at
    reps = list(impl.reports)
    if version is not None:
        reps = newest_first(_matching(impl, version))
        if not reps:
            raise UnknownVersion(impl.name, version, known_versions(impl.name))
    if mode is not None:
        modes = sorted({r.mode for r in reps})
        reps = [r for r in reps if r.mode == mode]
        if not reps:
            raise UnknownMode(impl.name, mode, modes)
    return reps[0]


def support(name: str, version: str | None, feature: str, mode: str | None = None) -> Answer:
    """Whether implementation `name` (at `version`, else its newest report) supports `feature`."""
    rep = resolve(name, version, mode)
    return Answer(rep.support(feature), feature, rep)


def reports_of_version(name: str, version: str | None = None) -> list[Report]:
    """Every report of the resolved implementation version (all modes, releases, channels)."""
    rep = resolve(name, version)
    return [r for r in implementation(rep.implementation).reports if r.version == rep.version]


def standard_channel_only(name: str, version: str | None = None) -> bool:
    """Whether every report of that implementation version ran on the standard channel: its
    experimental-channel kinds and fields are untested by the conformance suite."""
    return all(r.channel == "standard" for r in reports_of_version(name, version))


def newest_gateway_api_version(name: str) -> str:
    """The newest Gateway API release any bundled report of the implementation covers."""
    return max((r.gateway_api_version for r in implementation(name).reports), key=release_key)


def newer_than_reports(name: str, release: str) -> bool:
    """Whether Gateway API `release` (v1.6.1) is newer than every report of the implementation."""
    return release_key(release) > release_key(newest_gateway_api_version(name))


def support_matrix(features: Iterable[str], names: Iterable[str] | None = None,
                   ) -> dict[str, dict[str, str]]:
    """feature -> implementation -> status, from each implementation's newest report (or the
    report `names` select: NAME[@VERSION]); the table `gwlint implementations --features` prints."""
    chosen = [resolve(n) for n in (names if names is not None else known_implementations())]
    return {f: {rep.implementation if names is None else _spec_label(rep): rep.support(f)
                for rep in chosen} for f in features}


def _spec_label(rep: Report) -> str:
    return f"{rep.implementation}@{rep.version}"
