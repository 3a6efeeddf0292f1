"""One finding per problem, whatever the number of overlays that build it.

A base included by three overlays is linted in three builds (three scopes), so a mistake written
once in the base is found three times, at the same line of the same file. Those findings become
one, naming the overlays ("in overlays/prod, overlays/staging"). Findings are grouped by rule,
span and severity; in a group, findings with the same message merge, and so do findings whose
messages differ only because each overlay renamed the objects, as long as no overlay appears
twice (two findings of one build at one place are two problems).

A reference that a Kustomize rename left behind (GW802) also makes the reference unresolved:
the not-found finding at the same reference says less than GW802 and is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from gwlint.findings import Finding

STALE_REFERENCE = "GW802"
# Rules that report a reference whose target does not exist or is not permitted
NOT_FOUND = frozenset({"GW101", "GW102", "GW105", "GW106", "GW107", "GW108", "GW110", "GW111",
                       "GW112", "GW113", "GW303"})


def _overlay(f: Finding) -> str | None:
    return f.resource.origin.overlay if f.resource is not None else None


def merge_overlays(findings: list[Finding]) -> list[Finding]:
    """`findings` with the overlays of each set, repeated ones merged, explained ones dropped."""
    for f in findings:
        if not f.overlays:
            root = _overlay(f)
            if root:
                f.overlays = [root]
    findings = _drop_explained(findings)  # also outside builds (Argo CD, Flux renames)
    if not any(f.overlays for f in findings):
        return findings
    out: list[Finding] = []
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        loc = f.location
        if not f.overlays or loc is None:
            out.append(f)
            continue
        key = (f.rule, loc.file, loc.line, loc.column, loc.end_line, loc.end_column, f.severity)
        groups.setdefault(key, []).append(f)
    for group in groups.values():
        out.extend(_merge_group(group))
    return out


def _merge_group(group: list[Finding]) -> list[Finding]:
    if len(group) == 1:
        return group
    roots = [r for f in group for r in f.overlays]
    if len(roots) == len(set(roots)):
        return [_merged(group)]
    by_message: dict[str, list[Finding]] = {}
    for f in group:
        by_message.setdefault(f.message, []).append(f)
    return [_merged(same) for same in by_message.values()]


def _merged(same: list[Finding]) -> Finding:
    same.sort(key=lambda f: f.overlays)
    first = same[0]
    first.overlays = sorted({r for f in same for r in f.overlays})
    return first


def _drop_explained(findings: Iterable[Finding]) -> list[Finding]:
    findings = list(findings)
    stale = {(id(f.resource), tuple(f.path[:-1])) for f in findings
             if f.rule == STALE_REFERENCE and f.resource is not None and f.path}
    if not stale:
        return findings
    kept = []
    for f in findings:
        if f.rule in NOT_FOUND and f.resource is not None and any(
                (id(f.resource), tuple(f.path[:n])) in stale for n in range(len(f.path) + 1)):
            continue
        kept.append(f)
    return kept
