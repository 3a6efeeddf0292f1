"""What the GW7xx rules report, computed once per lint and shared through `ctx.cache`.

Feature detection runs in the rules' pass, once, and only for what matters: the features some
implementation in use does not claim as supported (`interesting`). A repository whose
implementations support everything it uses costs one pruned walk; one without any known
implementation (no `--implementation`, no GatewayClass of a known controller) costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from gwlint.findings import Related
from gwlint.implementations.assign import CONTROLLER_PATH, Assignment, Served
from gwlint.implementations.bundled import SUPPORTED, Report, release_key
from gwlint.implementations.detection import Need, detect
from gwlint.implementations.experimental import Use, uses
from gwlint.implementations.features import CONSTRUCTS, FEATURES, GATEWAY, MESH
from gwlint.implementations.query import standard_channel_only
from gwlint.model import GATEWAY_GROUP, GATEWAY_X_GROUP, FieldPath, Resource

if TYPE_CHECKING:
    from gwlint.context import Context

_ASSIGNMENT = "implementations.assignment"
_JUDGED = "implementations.judged"
_EXPERIMENTAL = "implementations.experimental"

# every feature a construct can need: served by a Gateway (or read by any implementation), and
# in mesh routes (the suite's Mesh* variants)
DETECTABLE_GATEWAY = frozenset(c.feature for c in CONSTRUCTS)
DETECTABLE_MESH = frozenset(c.mesh_feature for c in CONSTRUCTS if c.mesh_feature)
DETECTABLE = DETECTABLE_GATEWAY | DETECTABLE_MESH


class Verdict(NamedTuple):
    """`need` judged by `served`'s report: UNSUPPORTED or NOT_CLAIMED."""

    need: Need
    served: Served
    status: str


def assignment(ctx: Context) -> Assignment:
    found = ctx.cache.get(_ASSIGNMENT)
    if found is None:
        found = ctx.cache[_ASSIGNMENT] = Assignment(ctx)
    return found


def interesting(reports: Iterable[Report], mesh: bool = True) -> frozenset[str]:
    """The detectable features at least one of `reports` does not claim as supported (without
    `mesh`, not the Mesh* features: nothing judges mesh routes then)."""
    reps = list(reports)
    return frozenset(f for f in (DETECTABLE if mesh else DETECTABLE_GATEWAY)
                     if any(r.support(f) != SUPPORTED for r in reps))


def judged(ctx: Context) -> list[Verdict]:
    """Every need some implementation that judges it does not support (unsupported or not
    claimed), in input order, once per (object, field, feature, report)."""
    found = ctx.cache.get(_JUDGED)
    if found is None:
        found = ctx.cache[_JUDGED] = _judge(ctx)
    return found


def _judge(ctx: Context) -> list[Verdict]:
    assign = assignment(ctx)
    reports = assign.reports()
    if not reports:
        return []
    out: list[Verdict] = []
    seen: set[tuple[int, FieldPath, str, str]] = set()
    for need in detect(ctx.resources, interesting(reports, mesh=assign.option is not None)):
        for served in assign.served(need.resource, need.scope):
            status = served.report.support(need.feature)
            if status == SUPPORTED:
                continue
            key = (id(need.resource), need.path, need.feature, served.report.id)
            if key not in seen:
                seen.add(key)
                out.append(Verdict(need, served, status))
    return out


def of_status(ctx: Context, status: str) -> list[Verdict]:
    return [v for v in judged(ctx) if v.status == status]


@cache
def _standard_only(report: Report) -> bool:
    return standard_channel_only(report.implementation, report.version)


def experimental(ctx: Context) -> list[tuple[Use, Served]]:
    """Experimental-channel kinds and fields (of the release each report ran) used by objects an
    implementation judges whose reports of that version all ran on the standard channel."""
    found = ctx.cache.get(_EXPERIMENTAL)
    if found is None:
        found = ctx.cache[_EXPERIMENTAL] = _experimental(ctx)
    return found


def _experimental(ctx: Context) -> list[tuple[Use, Served]]:
    assign = assignment(ctx)
    if not any(_standard_only(r) for r in assign.reports()):
        return []
    lint_standard = ctx.options.channel == "standard"
    out: list[tuple[Use, Served]] = []
    for res in ctx.resources:
        if res.group not in (GATEWAY_GROUP, GATEWAY_X_GROUP) or res.virtual:
            continue
        # with standard-channel CRDs, GW012 / GW501 already report the lint release's own
        reported = _paths(uses(res, ctx.options.gateway_api_version)) if lint_standard else set()
        for served in assign.served_any(res):
            if not _standard_only(served.report):
                continue
            out.extend((use, served) for use in uses(res, served.report.gateway_api_version)
                       if use.path not in reported)
    return out


def _paths(found: list[Use]) -> set[FieldPath]:
    return {u.path for u in found}


def not_claimed_reason(feature: str, report: Report, scope: str = GATEWAY) -> str:
    """Why `report` does not claim `feature` (needed in `scope`), when that can be told (for
    GW702 messages)."""
    known = FEATURES.get(feature)
    if known is None or known.since is None:
        return "no bundled conformance report lists it"
    if _minor(known.since) > _minor(report.gateway_api_version):
        return (f"the conformance suite of Gateway API {report.gateway_api_version} did not "
                f"test it (first reported with {known.since})")
    ran = {p.name for p in report.profiles}
    profiles = [p for p in known.implied_by if p.startswith("MESH-") == (scope == MESH)]
    if profiles and not ran & set(profiles):
        return f"the report did not run the {' or '.join(profiles)} profile"
    return "the report lists it neither as supported nor as unsupported"


def _minor(release: str) -> tuple[int, ...]:
    return release_key(release)[:2]


# ------------------------------------------------------------------------------ messages


def named(report: Report) -> str:
    """'gke 1.36.2-gke.2154000'."""
    return f"{report.implementation} {report.version}"


def source(report: Report) -> str:
    """Which report an answer comes from, for messages."""
    return (f"conformance report {report.id}: Gateway API {report.gateway_api_version}, "
            f"{report.channel} channel, mode {report.mode}")


def related(served: Served) -> list[Related]:
    """The GatewayClass that chose the implementation (nothing when the user chose it)."""
    gc = served.gateway_class
    if gc is None:
        return []
    return [Related(f"GatewayClass {gc.name}: controllerName "
                    f"{gc.spec.get('controllerName')} is {served.report.implementation}",
                    gc, CONTROLLER_PATH)]


def anchors(ctx: Context) -> list[tuple[Resource, FieldPath, Served]]:
    """Where to say something about each implementation in use, once: its GatewayClass's
    controllerName; for the chosen implementation the first GatewayClass, else the first
    Gateway's gatewayClassName, else the first Gateway API object's apiVersion."""
    assign = assignment(ctx)
    if assign.option is None:
        return [(s.gateway_class, CONTROLLER_PATH, s) for s in assign.in_use()
                if s.gateway_class is not None]
    for kind, path in (("GatewayClass", CONTROLLER_PATH),
                       ("Gateway", ("spec", "gatewayClassName"))):
        found = ctx.of_kind(kind)
        if found:
            return [(found[0], path, assign.option)]
    first = next((r for r in ctx.resources
                  if r.group in (GATEWAY_GROUP, GATEWAY_X_GROUP) and not r.virtual), None)
    return [(first, ("apiVersion",), assign.option)] if first is not None else []
