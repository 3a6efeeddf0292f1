"""Glue between the command line and the engine: settings, output, exit code, error handling."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from typing import Any

import click

from gwlint.engine import LintConfig, Report, lint
from gwlint.findings import Severity

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def build_config(paths: tuple[str, ...], opts: dict[str, Any]) -> tuple[LintConfig, dict[str, Any]]:
    """LintConfig from CLI options merged over configuration files; also returns output settings."""
    from gwlint.config import load_settings

    settings = load_settings(paths, opts)
    config = LintConfig(
        paths=[p for p in paths if p != "-"] or ([] if "-" in paths else ["."]),
        exclude=settings["exclude"], scopes=settings["scopes"],
        select=settings["select"], ignore=settings["ignore"],
        extend_select=settings["extend_select"], severity=settings["severity"],
        gateway_api_version=settings["gateway_api_version"], channel=settings["channel"],
        default_namespace=settings["default_namespace"],
        assume_exists=settings["assume_exists"], gateway_classes=settings["gateway_classes"],
        rule_options=settings["rule_options"], per_file_ignores=settings["per_file_ignores"],
        report_files=settings["report_only"] or None,
        stdin_filename=opts.get("stdin_filename") or "<stdin>")
    if settings["max_file_size"]:
        config.max_file_size = settings["max_file_size"]
    if "-" in paths:
        data = sys.stdin.buffer.read(config.max_file_size + 1)  # never an endless stream
        config.stdin_text = data.decode("utf-8", "surrogateescape")
    return config, settings


def check_selectors(config: LintConfig) -> None:
    """A typo in --select/--ignore must not silently lint nothing: it is a usage error."""
    from gwlint.registry import unknown_selectors

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


def run(paths: tuple[str, ...], fmt: str | None, output: str | None, opts: dict[str, Any]) -> int:
    """Lint and report; every failure becomes a message and exit code 2, never a traceback."""
    from gwlint.config import ConfigError
    from gwlint.reporters import render

    gc.disable()  # a short-lived process: collections over the parsed trees only cost time

    try:
        config, settings = build_config(paths, opts)
        check_selectors(config)
        report = lint(config)
    except (ConfigError, ValueError) as exc:
        click.echo(f"gwlint: error: {exc}", err=True)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_ERROR
    except Exception:  # noqa: BLE001 - an internal error must be reported, not shown as findings
        click.echo("gwlint: internal error, please report it with this trace:", err=True)
        click.echo(traceback.format_exc(), err=True)
        return EXIT_ERROR
    fmt = fmt or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    color = _use_color(opts.get("color") or "auto", output) and fmt == "text"
    text = render(report, fmt, color=color, statistics=bool(opts.get("statistics")),
                  quiet=bool(opts.get("quiet")))
    try:
        if output and output != "-":
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            click.echo(text, nl=False)
    except OSError as exc:
        click.echo(f"gwlint: error: cannot write {output}: {exc.strerror}", err=True)
        return EXIT_ERROR
    return exit_code(report, settings["fail_on"], bool(opts.get("exit_zero")))
