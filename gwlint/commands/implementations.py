"""The `gwlint implementations` runner: list the bundled reports, or (`--features PATH...`) load
the files as `gwlint check` does and compare the implementations on the features they use.

Exit codes: 0, or 2 for usage, configuration or internal errors (an unknown `--implementation`
lists the known ones). Files that cannot be read or parsed are named on standard error.
"""

from __future__ import annotations

from typing import Any

import click

from gwlint.findings import Finding
from gwlint.implementations.detection import detect, features_used
from gwlint.implementations.query import known_implementations, resolve
from gwlint.implementations.tables import FeatureUses, render_listing, render_matrix
from gwlint.locate import locate
from gwlint.runner import load_context, run_text


def run(paths: tuple[str, ...], features: bool, names: tuple[str, ...], fmt: str,
        output: str | None, opts: dict[str, Any]) -> int:
    def work() -> str:
        if paths and not features:
            raise click.UsageError("PATHs are compared with --features: gwlint implementations "
                                   "--features PATH...")
        if not features:
            if names:
                raise click.UsageError("--implementation selects the columns of --features")
            return render_listing(fmt)
        reports = [resolve(n) for n in (names or known_implementations())]
        return render_matrix(uses(paths or (".",), opts, locate_all=fmt == "json"), reports, fmt)

    return run_text(work, output)


def uses(paths: tuple[str, ...], opts: dict[str, Any], locate_all: bool) -> list[FeatureUses]:
    """The features the objects of `paths` need, each with its needs located (all of them, or
    only the first: text and Markdown show the first use)."""
    ctx = load_context(paths, opts, "not compared")
    by_feature = features_used(detect(ctx.resources))
    shown = {f: needs if locate_all else needs[:1] for f, needs in by_feature.items()}
    findings = {f: [Finding(f, resource=n.resource, path=n.path) for n in needs]
                for f, needs in shown.items()}
    locate([x for found in findings.values() for x in found])
    return [FeatureUses(f, tuple(needs), tuple(x.location for x in findings[f]) + (None,) * (
        len(needs) - len(findings[f]))) for f, needs in by_feature.items()]
