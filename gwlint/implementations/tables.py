"""`gwlint implementations`: the bundled reports, and the features a repository uses compared
across implementations (text, JSON or Markdown).

The comparison is what a user makes when choosing a controller: one row per implementation (its
newest report, or the `NAME[@VERSION]` asked for), one column per feature the linted files use,
each cell supported / unsupported / not claimed, rows ordered by how much they lack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gwlint.escapes import sanitize
from gwlint.findings import Location, json_pointer
from gwlint.implementations.bundled import (
    NOT_CLAIMED,
    SUPPORTED,
    UNSUPPORTED,
    Report,
    implementations,
    release_key,
    version_key,
)
from gwlint.implementations.detection import Need
from gwlint.implementations.features import FEATURES

FORMATS = ("text", "json", "markdown")
# cell of each status in the text and Markdown tables, and the legend that explains them
CELLS = {SUPPORTED: "yes", UNSUPPORTED: "NO", NOT_CLAIMED: "-"}
LEGEND = ("yes: supported (the report claims it); NO: listed as unsupported; -: not claimed "
          "(the report says neither: untested)")


# ------------------------------------------------------------------------------ the listing


@dataclass(frozen=True, slots=True)
class Row:
    """One implementation version on one Gateway API release and channel (its modes merged)."""

    implementation: str
    version: str
    gateway_api_version: str
    channel: str
    modes: tuple[str, ...]
    reports: tuple[Report, ...]


def listing() -> list[Row]:
    """Every bundled report, one row per implementation version, release and channel; by name,
    then newest release and version first."""
    rows: list[Row] = []
    for impl in implementations().values():
        groups: dict[tuple[str, str, str], list[Report]] = {}
        for rep in impl.reports:
            groups.setdefault((rep.version, rep.gateway_api_version, rep.channel), []).append(rep)
        for (version, release, channel), reps in sorted(
                groups.items(), key=lambda kv: (release_key(kv[0][1]), version_key(kv[0][0]),
                                                kv[0][2]), reverse=True):
            modes = tuple(sorted({r.mode for r in reps}))
            rows.append(Row(impl.name, version, release, channel, modes, tuple(reps)))
    return rows


def render_listing(fmt: str) -> str:
    rows = listing()
    if fmt == "json":
        return _json({"implementations": [
            {"name": impl.name, "aliases": list(impl.aliases), "organization": impl.organization,
             "project": impl.project, "url": impl.url,
             "reports": [_report_dict(r) for r in impl.reports]}
            for impl in implementations().values()]})
    header = ["Implementation", "Version", "Gateway API", "Channel", "Modes"]
    body = [[r.implementation, r.version, r.gateway_api_version, r.channel, ", ".join(r.modes)]
            for r in rows]
    if fmt == "markdown":
        return _markdown(header, body)
    count = len(implementations())
    return _text_table(header, body) + (
        f"\n{len(rows)} implementation versions of {count} implementations "
        f"({sum(len(r.reports) for r in rows)} reports); `gwlint implementations --features "
        f"PATH` compares them on what PATH uses\n")


def _report_dict(rep: Report) -> dict[str, Any]:
    return {"id": rep.id, "version": rep.version, "gateway_api_version": rep.gateway_api_version,
            "channel": rep.channel, "mode": rep.mode, "date": rep.date,
            "profiles": [p.name for p in rep.profiles],
            "supported": sorted(rep.supported), "unsupported": sorted(rep.unsupported)}


# ------------------------------------------------------------------------------ the matrix


@dataclass(frozen=True, slots=True)
class FeatureUses:
    """Where a feature is used: the first need's location (and how many needs there are)."""

    feature: str
    needs: tuple[Need, ...]
    locations: tuple[Location | None, ...]  # one per need (None: not located)


def matrix_rows(reports: Iterable[Report], features: list[str]) -> list[tuple[Report, list[str]]]:
    """(report, status per feature), the implementations that lack least first."""
    rows = [(rep, [rep.support(f) for f in features]) for rep in reports]
    rows.sort(key=lambda row: (row[1].count(UNSUPPORTED), row[1].count(NOT_CLAIMED),
                               row[0].implementation))
    return rows


def render_matrix(uses: list[FeatureUses], reports: list[Report], fmt: str) -> str:
    features = [u.feature for u in uses]
    rows = matrix_rows(reports, features)
    if fmt == "json":
        return _json({
            "features": [{
                "name": u.feature, "summary": _summary(u.feature), "uses": len(u.needs),
                "locations": [_location_dict(n, loc) for n, loc in zip(u.needs, u.locations,
                                                                        strict=True)]}
                for u in uses],
            "implementations": [{
                "name": rep.implementation, "version": rep.version,
                "gateway_api_version": rep.gateway_api_version, "channel": rep.channel,
                "mode": rep.mode, "report": rep.id,
                "support": dict(zip(features, statuses, strict=True)),
                "counts": {s: statuses.count(s) for s in (SUPPORTED, UNSUPPORTED, NOT_CLAIMED)}}
                for rep, statuses in rows]})
    if not uses:
        return "The linted files use no Gateway API feature (no Gateway API objects found).\n"
    lead = ["Implementation", "Version", "Gateway API"]
    if fmt == "markdown":
        header = lead + [f"`{f}`" for f in features]
        body = [[rep.implementation, rep.version, rep.gateway_api_version,
                 *(CELLS[s] if s != UNSUPPORTED else "**NO**" for s in statuses)]
                for rep, statuses in rows]
        return (_markdown(header, body) + f"\n{LEGEND}. Features used: "
                + "; ".join(f"`{u.feature}` ({_uses(u)})" for u in uses) + ".\n")
    numbered = [[str(i), u.feature, str(len(u.needs)), _first(u)]
                for i, u in enumerate(uses, start=1)]
    header = lead + [str(i) for i in range(1, len(features) + 1)] + ["Unsupported",
                                                                    "Not claimed"]
    body = [[rep.implementation, rep.version, rep.gateway_api_version,
             *(CELLS[s] for s in statuses), str(statuses.count(UNSUPPORTED)),
             str(statuses.count(NOT_CLAIMED))] for rep, statuses in rows]
    return (f"Features the linted files use ({len(uses)}):\n\n"
            + _text_table(["#", "Feature", "Uses", "First use"], numbered)
            + "\nSupport by implementation (newest bundled report unless asked for):\n\n"
            + _text_table(header, body) + f"\n{LEGEND}\n")


def _summary(feature: str) -> str:
    known = FEATURES.get(feature)
    return known.summary if known else ""


def _uses(u: FeatureUses) -> str:
    return f"{len(u.needs)} use" + ("" if len(u.needs) == 1 else "s")


def _first(u: FeatureUses) -> str:
    loc = u.locations[0] if u.locations else None
    return sanitize(f"{loc.file}:{loc.line}:{loc.column}") if loc else ""


def _location_dict(need: Need, loc: Location | None) -> dict[str, Any]:
    res = need.resource
    return {"file": loc.file if loc else res.origin.source.path,
            "line": loc.line if loc else None, "column": loc.column if loc else None,
            "path": json_pointer(tuple(res.origin.prefix) + tuple(need.path)),
            "resource": {"apiVersion": res.api_version, "kind": res.kind,
                         "namespace": res.namespace, "name": res.name},
            "construct": need.construct.label, "scope": need.scope}


# ------------------------------------------------------------------------------ formats


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _text_table(header: list[str], body: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), *map(line, body)]) + "\n"


def _cell(text: str) -> str:
    return sanitize(text).replace("|", "\\|")


def _markdown(header: list[str], body: list[list[str]]) -> str:
    rows = [header, ["---"] * len(header), *body]
    return "\n".join("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows) + "\n"
