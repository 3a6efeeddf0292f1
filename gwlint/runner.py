"""The command runners: `gwlint check` and `gwlint graph` from settings to output and exit code.

Every failure becomes a message and exit code 2, never a traceback.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gwlint.config import ConfigError, LintConfig, build_config
from gwlint.engine import build_context, lint
from gwlint.findings import Severity
from gwlint.gitops.summary import scope_lines
from gwlint.graph import RENDERERS, build_view, focus
from gwlint.registry import unknown_selectors
from gwlint.report import Report
from gwlint.reporters import render

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

T = TypeVar("T")


def check_selectors(config: LintConfig) -> None:
    """A typo in --select/--ignore must not silently lint nothing: it is a usage error."""
    bad = unknown_selectors([*config.select, *config.ignore, *config.extend_select])
    if bad:
        raise ValueError(f"unknown rule selector(s): {', '.join(bad)} (see `gwlint rules`)")


def exit_code(report: Report, fail_on: Severity, exit_zero: bool) -> int:
    if exit_zero:
        return EXIT_CLEAN
    worst = max((report.severity_of(f) for f in report.findings), default=None)
    return EXIT_FINDINGS if worst is not None and worst >= fail_on else EXIT_CLEAN


def _use_color(choice: str, output: str | None) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return output in (None, "-") and sys.stdout.isatty()


def _guarded(work: Callable[[], T]) -> T | None:
    """What `work` returns, or None after printing why it failed (usage, configuration or
    internal error)."""
    try:
        return work()
    except click.UsageError as exc:
        click.echo(f"gwlint: error: {exc.message}", err=True)
    except (ConfigError, ValueError) as exc:
        click.echo(f"gwlint: error: {exc}", err=True)
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 - an internal error must be reported, not shown as findings
        click.echo("gwlint: internal error, please report it with this trace:", err=True)
        click.echo(traceback.format_exc(), err=True)
    return None


def _write(text: str, output: str | None) -> bool:
    """Write to FILE or standard output; False (after saying why) when that fails."""
    try:
        if output and output != "-":
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            click.echo(text, nl=False)
    except OSError as exc:
        click.echo(f"gwlint: error: cannot write {output}: {exc.strerror}", err=True)
        return False
    return True


def run(paths: tuple[str, ...], fmt: str | None, output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint check`: lint, report, and exit 0 (clean), 1 (findings at the fail level) or 2."""
    gc.disable()  # a short-lived process: collections over the parsed trees only cost time
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = _use_color(opts.get("color") or "auto", output) and fmt == "text"

    def work() -> tuple[str, int]:
        config = build_config(paths, opts)
        check_selectors(config)
        if opts.get("show_scopes"):
            return "\n".join(scope_lines(build_context(config).layout)) + "\n", EXIT_CLEAN
        report = lint(config)
        text = render(report, fmt, color=color, statistics=bool(opts.get("statistics")),
                      quiet=bool(opts.get("quiet")), verbose=bool(opts.get("verbose")))
        return text, exit_code(report, config.fail_on, bool(opts.get("exit_zero")))

    done = _guarded(work)
    if done is None or not _write(done[0], output):
        return EXIT_ERROR
    return done[1]


def run_graph(paths: tuple[str, ...], fmt: str, focus_on: str | None, radius: int,
              output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint graph`: exit 0, or 2 for usage/configuration/internal errors (never 1)."""

    def work() -> str:
        view = build_view(build_context(build_config(paths, opts)))
        if focus_on:
            view = focus(view, focus_on, radius)
        return RENDERERS[fmt](view)

    text = _guarded(work)
    if text is None or not _write(text, output):
        return EXIT_ERROR
    return EXIT_CLEAN
