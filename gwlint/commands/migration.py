"""The `gwlint migration` runner: the inventory and progress report of an Ingress migration.

Loads PATHs as `gwlint check` does (the same input options), checks the parity of every Ingress
with the Gateway API routes and prints, per Ingress and host, `migrated` / `partial` / `not
started` with the counts (Ingresses, hosts, TLS hosts, paths served as before, annotations without
a standard equivalent): the report migration guides build by hand from `kubectl get ingress -A -o
json`. Formats: `table` for the terminal, `json` for scripts, `markdown` for a pull request or
`$GITHUB_STEP_SUMMARY` (manifest text escaped). The findings themselves are `gwlint check`'s
(GW601-GW612).

Exit codes: 0, or 2 for usage, configuration or internal errors. Files that cannot be read or
parsed are named on standard error: their Ingresses are not in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwlint.migration.inventory import Inventory, render_json, render_markdown, render_table
from gwlint.migration.inventory import build as build_inventory
from gwlint.runner import load_context, run_text

RENDERERS: dict[str, Callable[[Inventory], str]] = {
    "table": render_table, "json": lambda inv: render_json(inv) + "\n", "markdown": render_markdown}
FORMATS = tuple(RENDERERS)


def run(paths: tuple[str, ...], fmt: str, output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint migration`: print the report, exit 0; or 2 for usage/configuration/internal
    errors."""

    def work() -> str:
        ctx = load_context(paths or (".",), opts, "its Ingresses are not in the report")
        return RENDERERS[fmt](build_inventory(ctx))

    return run_text(work, output)
