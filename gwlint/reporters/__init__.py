"""Output formats. Each module renders a finished `Report` to a string; none of them lints."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlint.report import Report

FORMATS = ("text", "json", "github", "sarif")


def render(report: Report, fmt: str, *, color: bool = False, statistics: bool = False,
           quiet: bool = False, verbose: bool = False) -> str:
    """Render `report` in format `fmt` (one of FORMATS)."""
    module = importlib.import_module(f"gwlint.reporters.{fmt}_report")
    if verbose and fmt == "text":
        verbose_text: str = module.render(report, color=color, statistics=statistics,
                                          quiet=quiet, verbose=True)
        return verbose_text
    text: str = module.render(report, color=color, statistics=statistics, quiet=quiet)
    return text
