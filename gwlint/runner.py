"""The command runners: `gwlint check` and `gwlint graph` from settings to output and exit code,
and what the other commands' runners (`gwlint.commands`) share: loading as `check` does, one
text out, the exit codes.

Every failure becomes a message and exit code 2, never a traceback; so does a run that lints no
file at all (unless `--allow-empty`): a CI step that can never fail is worse than one that fails.
Around the report: colour as the conventions say (`--color`, FORCE_COLOR, NO_COLOR, TERM=dumb),
progress on standard error for long runs (`gwlint.progress`), and in GitHub Actions the job
summary (`$GITHUB_STEP_SUMMARY`) and annotations even when the report goes to a file.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import click

from gwlint import progress, showsettings
from gwlint.escapes import ESCAPE, sanitize
from gwlint.config import ConfigError, LintConfig, build_config
from gwlint.engine import build_context, lint
from gwlint.findings import Severity
from gwlint.gitops.summary import scope_lines
from gwlint.registry import unknown_selectors
from gwlint.report import Report
from gwlint.reporters import render

if TYPE_CHECKING:
    from gwlint.context import Context

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
UNREAD = frozenset({"GW001", "GW003", "GW004"})  # input not parsed: its objects are unknown
# Characters of a report encoded at a time when writing it to a file: encoding a 70-million-
# character report whole allocated up to three bytes a character at once (the run's peak memory
# at 44,000 findings).
WRITE_CHUNK = 1 << 20

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


class EmptyRun(Exception):
    """No file was linted: the PATHs hold nothing to lint (or all of it is excluded)."""


def default_format(output: str | None, environ: Mapping[str, str]) -> str:
    """--format's default: the --output file's extension (.json, .sarif, .sarif.json), else
    text; on standard output in GitHub Actions (GITHUB_ACTIONS=true) github."""
    if output and output != "-":
        name = output.lower()
        if name.endswith((".sarif", ".sarif.json")):
            return "sarif"
        return "json" if name.endswith(".json") else "text"
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def use_color(choice: str, output: str | None, environ: Mapping[str, str],
              isatty: Callable[[], bool] = sys.stdout.isatty) -> bool:
    """--color always/never decide. `auto`: never into a file; FORCE_COLOR (any non-empty
    value, force-color.org) forces colour; NO_COLOR (any non-empty value, no-color.org) and
    TERM=dumb turn it off; otherwise colour when standard output is a terminal."""
    if choice in ("always", "never"):
        return choice == "always"
    if output not in (None, "-"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    try:
        return isatty()
    except (ValueError, OSError):  # a closed standard output
        return False


def check_not_empty(report: Report, paths: tuple[str, ...], opts: dict[str, Any]) -> None:
    if report.files or opts.get("allow_empty"):
        return
    where = " ".join(paths) or "."
    raise EmptyRun(f"no file to lint: {where} holds no YAML or JSON file that is not excluded "
                   "(--exclude, the configuration's exclude, .gitignore inside directories); "
                   "pass --allow-empty if an empty run is expected")


def _guarded(work: Callable[[], T]) -> T | None:
    """What `work` returns, or None after printing why it failed (usage, configuration or
    internal error)."""
    try:
        return work()
    except click.UsageError as exc:
        click.echo(f"gwlint: error: {exc.message}", err=True)
    except (ConfigError, ValueError, EmptyRun) as exc:
        click.echo(f"gwlint: error: {exc}", err=True)
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 - an internal error must be reported, not shown as findings
        import traceback  # imported here to keep start-up fast: only internal errors need it

        click.echo("gwlint: internal error, please report it with this trace:", err=True)
        click.echo(traceback.format_exc(), err=True)
    return None


def _write(text: str, output: str | None, color: bool = False) -> bool:
    """Write to FILE or standard output; False (after saying why) when that fails. With
    `color`, escape sequences reach standard output whatever it is (`--color always | less -R`:
    click would otherwise strip them from a pipe)."""
    try:
        if output and output != "-":
            with open(output, "w", encoding="utf-8") as fh:
                for start in range(0, len(text), WRITE_CHUNK):  # encoded a piece at a time:
                    fh.write(text[start:start + WRITE_CHUNK])  # see WRITE_CHUNK
        else:
            try:
                click.echo(text, nl=False, color=True if color else None)
            except UnicodeEncodeError:  # an output encoding that lacks characters: escape them
                encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
                click.echo(text.encode(encoding, ESCAPE).decode(encoding), nl=False,
                           color=True if color else None)
    except OSError as exc:
        click.echo(f"gwlint: error: cannot write {output}: {exc.strerror}", err=True)
        return False
    return True


def _progress(option: bool | None, paths: tuple[str, ...]) -> progress.Display | None:
    """Progress on standard error if wanted (`gwlint.progress.wanted`), started now."""
    state = progress.reset()
    if "-" in paths:
        state.phase("reading standard input")
    if not progress.wanted(option, sys.stderr):
        return None
    return progress.Display(state, sys.stderr, tty=_isatty(sys.stderr)).start()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _github_extras(report: Report, fmt: str, output: str | None) -> None:
    """In GitHub Actions: the job summary, and the annotations on standard output when the
    report went to a file (the runner reads workflow commands from the log only)."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    to_file = output not in (None, "-")
    annotate = to_file and fmt != "github" and os.environ.get("GITHUB_ACTIONS") == "true"
    if not path and not annotate:
        return
    # imported here to keep start-up fast: only GitHub Actions runs need these reporters
    from gwlint.reporters import github_report, summary

    if path:
        try:
            used = os.path.getsize(path) if os.path.exists(path) else 0
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(summary.render(report, os.environ, budget=summary.LIMIT - used))
        except OSError as exc:
            click.echo(f"gwlint: warning: cannot write the job summary {path}: "
                       f"{exc.strerror}", err=True)
    if annotate:
        lines = github_report.annotation_commands(report, elsewhere=f"{output} ({fmt})")
        click.echo("\n".join(lines + [f"gwlint: {fmt} report written to {output}"]))


def run(paths: tuple[str, ...], fmt: str | None, output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint check`: lint, report, and exit 0 (clean), 1 (findings at the fail level) or 2."""
    gc.disable()  # a short-lived process: collections over the parsed trees only cost time
    fmt = fmt or default_format(output, os.environ)
    color = use_color(opts.get("color") or "auto", output, os.environ) and fmt == "text"
    display = _progress(opts.get("progress"), paths)

    def work() -> tuple[str, int, Report | None]:
        for warning in showsettings.warnings(paths, opts):
            click.echo(f"gwlint: {warning}", err=True)
        config = build_config(paths, opts)
        check_selectors(config)
        if opts.get("show_settings"):
            return showsettings.render(config, paths, opts), EXIT_CLEAN, None
        if opts.get("show_scopes"):
            return "\n".join(scope_lines(build_context(config).layout)) + "\n", EXIT_CLEAN, None
        report = lint(config)
        check_not_empty(report, paths, opts)
        progress.phase("writing the report")
        if opts.get("statistics"):  # only the counts, as ruff's --statistics (json or text)
            # imported here to keep start-up fast: only --statistics needs it
            from gwlint.reporters.statistics import render as render_statistics

            text = render_statistics(report, fmt, color=color)
            return text, exit_code(report, config.fail_on, bool(opts.get("exit_zero"))), report
        text = render(report, fmt, color=color, statistics=bool(opts.get("statistics")),
                      quiet=bool(opts.get("quiet")), verbose=bool(opts.get("verbose")))
        return text, exit_code(report, config.fail_on, bool(opts.get("exit_zero"))), report

    try:
        done = _guarded(work)
    finally:
        if display is not None:
            display.stop()
    if done is None or not _write(done[0], output, color):
        return EXIT_ERROR
    report = done[2]
    if report is not None:
        _github_extras(report, fmt, output)
    return done[1]


def run_graph(paths: tuple[str, ...], fmt: str, focus_on: str | None, radius: int,
              output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint graph`: exit 0, or 2 for usage/configuration/internal errors (never 1)."""
    display = _progress(opts.get("progress"), paths)

    def work() -> str:
        # imported here to keep start-up fast: `gwlint check` draws no graph
        from gwlint.graph import RENDERERS, build_view, focus

        config = build_config(paths, opts)
        progress.phase("finding files")
        context = build_context(config)
        progress.phase("drawing the graph")
        view = build_view(context)
        if focus_on:
            view = focus(view, focus_on, radius)
        return RENDERERS[fmt](view)

    try:
        text = _guarded(work)
    finally:
        if display is not None:
            display.stop()
    if text is None or not _write(text, output):
        return EXIT_ERROR
    return EXIT_CLEAN


def load_context(paths: tuple[str, ...], opts: dict[str, Any], unread: str) -> Context:
    """The Context of PATHs loaded as `gwlint check` loads them, for a command that builds a
    model instead of linting; each file that could not be read or parsed is named on standard
    error with what that costs (`unread`: "its objects are not predicted")."""
    ctx = build_context(build_config(paths, opts))
    for issue in ctx.load_issues:
        if issue.code in UNREAD:
            click.echo(sanitize(f"gwlint: warning: {issue.source.path}:{issue.line or 1}: "
                                f"{issue.message}; {unread} (see `gwlint check`)"), err=True)
    return ctx


def run_text(work: Callable[[], str], output: str | None) -> int:
    """A command that prints one text: exit 0, or 2 when `work` fails (usage, configuration or
    internal error) or the text cannot be written."""
    text = _guarded(work)
    if text is None or not _write(text, output):
        return EXIT_ERROR
    return EXIT_CLEAN
