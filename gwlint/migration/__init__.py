"""Ingress -> Gateway API migration checks: do the new routes serve what the Ingresses served?

Public API (everything takes the run's `gwlint.context.Context` and caches in `ctx.cache`):

* `read_ingresses(ctx) -> IngressModel`: every Ingress (v1 and the removed v1beta1 APIs)
  normalised (`IngressInfo`: paths, TLS, default backend, class/controller, annotations) with
  the input `Problem`s (no rules, path without pathType, resource backends, mistyped fields,
  unknown or ignored annotations, removed API versions).
* `check_parity(ctx) -> Parity`: one `Result` per Ingress path, TLS host, HTTPS redirect, default
  backend and annotation: a problem (`Result.problem`, codes in `PROBLEM_CODES`) or a
  confirmation, with the Ingress JSON path and the serving route as related locations.
* `build_inventory(ctx, parity=None) -> Inventory`: per Ingress and host `migrated` /
  `partial` / `not started` with counts; `render_table`, `render_markdown`, `render_json`
  (`Inventory.as_dict`) for output.
* `annotation_table() -> Table`: the annotation knowledge (`annotations.yaml`).
* `catch_all_sources(ctx, scope, host)`: the Ingresses a catch-all rule for `host` replaces;
  `routed_by_ingress(ctx, scope, host)`: whether any Ingress routed that host.

Modules: `ingress` (the model), `annotations` (+ `annotations.yaml`, the table), `routes` (what
the Gateway API side serves), `replacements` (one check per table `check`), `results`, `parity`
(paths, redirects, annotations), `tls`, `default_backend`, `inventory` (what `gwlint migration`
prints; the command runs in `gwlint.commands.migration`).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gwlint.migration.annotations import Replacement, Table
    from gwlint.migration.annotations import table as annotation_table
    from gwlint.migration.ingress import (IngressInfo, IngressModel, IngressPath, IngressTLS,
                                          Problem)
    from gwlint.migration.ingress import read as read_ingresses
    from gwlint.migration.inventory import (HostStatus, IngressStatus, Inventory, render_json,
                                            render_markdown, render_table)
    from gwlint.migration.inventory import build as build_inventory
    from gwlint.migration.default_backend import catch_all_sources, routed_by_ingress
    from gwlint.migration.parity import check as check_parity
    from gwlint.migration.replacements import Related
    from gwlint.migration.results import OK_CODES, PROBLEM_CODES, Parity, Result

# Public name -> (module, name in it). Imported on first use, to keep start-up fast: a lint
# without Ingresses asks the model whether there are any (`ingress`), and never loads the parity
# checks, the routes index or the inventory.
_PUBLIC = {
    "Replacement": ("annotations", "Replacement"), "Table": ("annotations", "Table"),
    "annotation_table": ("annotations", "table"),
    **{name: ("ingress", name) for name in ("IngressInfo", "IngressModel", "IngressPath",
                                            "IngressTLS", "Problem")},
    "read_ingresses": ("ingress", "read"),
    **{name: ("inventory", name) for name in ("HostStatus", "IngressStatus", "Inventory",
                                              "render_json", "render_markdown", "render_table")},
    "build_inventory": ("inventory", "build"),
    "catch_all_sources": ("default_backend", "catch_all_sources"),
    "routed_by_ingress": ("default_backend", "routed_by_ingress"),
    "check_parity": ("parity", "check"),
    "Related": ("replacements", "Related"),
    **{name: ("results", name) for name in ("OK_CODES", "PROBLEM_CODES", "Parity", "Result")},
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


__all__ = ["OK_CODES", "PROBLEM_CODES", "HostStatus", "IngressInfo", "IngressModel",
           "IngressPath", "IngressStatus", "IngressTLS", "Inventory", "Parity", "Problem",
           "Related", "Replacement", "Result", "Table", "annotation_table", "build_inventory",
           "catch_all_sources", "check_parity", "read_ingresses", "render_json",
           "render_markdown", "render_table", "routed_by_ingress"]
