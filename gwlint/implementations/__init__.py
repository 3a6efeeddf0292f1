"""Know the implementation: its conformance reports, and the features the linted objects need.

Public API (for the GW7xx rules, `--implementation` and `gwlint implementations`)::

    implementation_for(controller_name) -> "envoy-gateway" | None       # controllers.py
    resolve("istio@1.28") -> Report; support(name, version, feature) -> Answer   # query.py
    support_matrix(features, names=None) -> {feature: {implementation: status}}
    Report.support(feature) -> "supported" | "unsupported" | "not-claimed"
    standard_channel_only(name, version=None) -> bool
    newest_gateway_api_version(name) -> "v1.6.1"; newer_than_reports(name, release) -> bool
    known_implementations(), known_versions(name), parse_spec("NAME@VERSION")
    detect(resources) -> [Need(feature, resource, path, construct, scope)]   # detection.py
    FEATURES, CONSTRUCTS, PROFILE_CORE                                       # features.py
    Assignment(ctx).served(resource, scope) -> (Served(report, gateway_class), ...)  # assign.py
    judged(ctx) -> [Verdict(need, served, status)]; experimental(ctx)   # verdicts.py (GW7xx)

Modules: `bundled` (the artifact), `query` (questions about reports), `controllers`
(controllerName table), `features` and `detection` (constructs -> features), `assign` (which
report judges which object), `experimental` (experimental-channel kinds and fields per release),
`verdicts` (what GW701-GW705 report, once per lint), `tables` (what `gwlint implementations`
prints; the command runs in `gwlint.commands.implementations`).

Importing the package does no work: each name is imported from its module on first use
(controllers.py is plain data; reports are read on the first query).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "implementation_for": "controllers", "CONTROLLERS": "controllers",
    "FEATURES": "features", "CONSTRUCTS": "features", "PROFILE_CORE": "features",
    "Feature": "features", "Construct": "features", "GATEWAY": "features", "MESH": "features",
    "Need": "detection", "detect": "detection", "needs_of": "detection",
    "service_index": "detection",
    "features_used": "detection", "route_scopes": "detection", "ANY_SCOPE": "detection",
    "Report": "bundled", "Implementation": "bundled", "implementations": "bundled",
    "reports": "bundled", "ReportsArtifactError": "bundled", "SUPPORTED": "bundled",
    "UNSUPPORTED": "bundled", "NOT_CLAIMED": "bundled",
    "Answer": "query", "resolve": "query", "support": "query", "parse_spec": "query",
    "implementation": "query", "known_implementations": "query", "known_versions": "query",
    "standard_channel_only": "query", "newest_gateway_api_version": "query",
    "newer_than_reports": "query", "reports_of_version": "query", "support_matrix": "query",
    "UnknownImplementation": "query", "UnknownVersion": "query", "UnknownMode": "query",
    "Assignment": "assign", "Served": "assign", "Verdict": "verdicts", "judged": "verdicts",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
