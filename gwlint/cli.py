"""Command line: `gwlint [OPTIONS] [PATH]...`, `gwlint rules`, `gwlint explain CODE`.

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage,
configuration or internal error.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gwlint import __version__
from gwlint.escapes import ESCAPE
from gwlint.sizes import check_file_size, parse_size


class DefaultGroup(click.Group):
    """`gwlint PATH...` means `gwlint check PATH...`, like ruff's and yamllint's bare invocation.

    A first argument that is no file and is close to a command's name (`gwlint rule GW101`) is
    a mistyped command, not two missing files to lint: a usage error that names the command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands
                        and args[0] not in ("--help", "-h", "--version")):
            first = args[0] if args else ""
            if first and not first.startswith("-") and not os.path.lexists(first):
                close = difflib.get_close_matches(first, list(self.commands), n=1, cutoff=0.6)
                if close:
                    raise click.UsageError(f"no such command or file '{first}'; did you mean "
                                           f"`gwlint {close[0]}`?", ctx)
            args = ["check", *args]
        return super().parse_args(ctx, args)


# Generic only from click 8.5 on (the project accepts 8.1): not subscripted at run time.
class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes, with an optional unit (`10M`, `512KiB`; see gwlint.sizes)."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            size = parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        try:
            return check_file_size(size)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gwlint")
def main() -> None:
    """Lint Kubernetes Gateway API manifests offline and predict what the controller will report.

    `gwlint [OPTIONS] [PATH]...` lints (the same as `gwlint check`).
    """


# The options `check` and `graph` share: what to load and how. Declared once.
_INPUT_OPTIONS = (
    click.option("--default-namespace", help="Namespace of objects without metadata.namespace "
                 "(default 'default', as kubectl apply)."),
    click.option("--gateway-api-version", help="Gateway API release to validate against, e.g. "
                 "v1.6.1 or v1.4 (default: detected from CRDs in the input, else the newest "
                 "bundled)."),
    click.option("--channel", type=click.Choice(["standard", "experimental"]),
                 help="Gateway API channel (default: detected, else standard)."),
    click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable)."),
    click.option("--scope", "scopes", multiple=True, help="Glob of directories that are "
                 "separate clusters, e.g. 'clusters/*': each is linted as its own graph "
                 "(repeatable)."),
    click.option("--stdin-filename", default=None, help="Name shown for input read from '-'."),
    click.option("--assume-exists", multiple=True, help="Objects that exist outside the linted "
                 "files, as KIND/NAMESPACE/NAME globs, e.g. 'Service/*/*' (repeatable)."),
    click.option("--gateway-class", "gateway_classes", multiple=True,
                 help="A GatewayClass installed by the controller (repeatable)."),
    click.option("--max-file-size", type=ByteSize(), default=None,
                 help="Largest file to read: bytes, or with a unit, e.g. 10M, 512K, 1G (powers "
                      "of 1024; KB, MB, GB: of 1000). Default 50M."),
    click.option("--helm", "helm", metavar="PATH", help="helm binary that renders the charts "
                 "found (default: helm on PATH; '' never renders: one info finding per chart)."),
    click.option("--helm-values", "helm_values", multiple=True, metavar="FILE",
                 type=click.Path(dir_okay=False), help="Values file for every chart rendered "
                 "(helm template --values; repeatable)."),
    click.option("--kustomize", "kustomize", metavar="PATH", help="kustomize binary that "
                 "builds the Kustomize roots using features gwlint does not apply (default: "
                 "kustomize on PATH; '' never runs it)."),
    click.option("--config", "config_file", type=click.Path(dir_okay=False),
                 help="Configuration file (default: nearest .gwlint.yaml or pyproject.toml)."),
    click.option("--isolated", is_flag=True, help="Ignore all configuration files."),
)

F = TypeVar("F", bound=Callable[..., Any])


def input_options(command: F) -> F:
    """Add the shared input options to a command (in the order of _INPUT_OPTIONS)."""
    for option in reversed(_INPUT_OPTIONS):
        command = option(command)
    return command


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]),
              help="Output format. Default: from --output's extension (.json, .sarif), else "
                   "text; github on standard output when GITHUB_ACTIONS=true.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report to FILE instead of standard output (in GitHub Actions "
                   "the annotations still go to standard output).")
@click.option("--select", multiple=True, help="Rules to enable: code, code prefix (GW1), name, "
              "category or ALL. Repeatable, comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selection "
              "(e.g. opt-in rules).")
@click.option("--ignore", multiple=True, help="Rules to disable (same forms as --select).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--max-findings-per-file", type=click.IntRange(0, 10 ** 9), default=None,
              help="Findings of one rule listed per file; the rest are counted in one summary "
              "finding (default 100; 0: list all).")
@click.option("--implementation", help="The controller the manifests are for: NAME[@VERSION] "
              "of a bundled conformance report (see `gwlint implementations`). Default: "
              "detected per Gateway from its GatewayClass controllerName.")
@input_options
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text output. auto: on a terminal, unless "
              "NO_COLOR is set or TERM=dumb; FORCE_COLOR forces it.")
@click.option("--quiet", "-q", is_flag=True, help="Only print findings, no hints or summary "
              "when clean.")
@click.option("--statistics", is_flag=True, help="Print only the number of findings per rule "
              "(a JSON list with --format json, else text).")
@click.option("--verbose", "-v", is_flag=True, help="Also print the scopes and the documents "
              "skipped because they are not Kubernetes objects, by tool.")
@click.option("--show-scopes", is_flag=True, help="Print the scopes (Kustomize roots, Helm "
              "charts, Argo CD/Flux paths, --scope) and why, then exit.")
@click.option("--report-only", "report_only", multiple=True, metavar="FILE",
              help="Load everything but report only findings in these files (pre-commit; "
                   "repeatable).")
@click.option("--allow-empty", is_flag=True, help="Exit 0 when no file is linted (default: "
              "exit 2, so that a CI step linting the wrong directory cannot pass).")
@click.option("--tracked-only", is_flag=True, help="In a Git work tree, lint only the files "
              "Git tracks or has staged, not untracked ones (the pre-commit hooks use it).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes to use (default: one per available core for large inputs, "
                   "small ones in one; GWLINT_JOBS also sets it). 1: only this process.")
@click.option("--progress/--no-progress", "progress", default=None,
              help="Progress on standard error (default: on a terminal, once a run takes "
                   "more than a second; never in CI).")
@click.option("--show-settings", is_flag=True, help="Print the effective settings and where "
              "each comes from (command line, configuration file and line, default), then exit.")
def check(paths: tuple[str, ...], fmt: str | None, output: str | None, **opts: Any) -> None:
    """Lint PATHs (files or directories; '-' reads a stream from standard input)."""
    gc.disable()  # as for the run (runner.run): collections during the imports only cost time
    from gwlint.runner import run  # imported here to keep `gwlint --help` and `rules` fast

    code = run(paths, fmt, output, opts)
    sys.exit(code)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one line per rule; json: a list of objects.")
def rules_cmd(fmt: str) -> None:
    """List every rule (opt-in rules are marked: enable them with --extend-select)."""
    from gwlint.registry import all_rules  # imported here to keep `gwlint --help` fast

    rules = all_rules()
    if fmt == "json":
        click.echo(json.dumps([{
            "code": r.code, "name": r.name, "category": r.category, "severity": str(r.severity),
            "summary": r.summary, "opt_in": r.opt_in,
            "predicts": r.predicts.as_dict() if r.predicts else None} for r in rules], indent=2))
        return
    for r in rules:
        flag = " (opt-in)" if r.opt_in else ""
        click.echo(f"{r.code}  {r.name:<36} {r.severity!s:<8} {r.category:<14} "
                   f"{r.summary}{flag}")


@main.command("explain")
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation (by code, e.g. GW101, or name, e.g. parent-ref-unresolved)."""
    # imported here to keep `gwlint --help` fast
    from gwlint.registry import all_rules, get_rule
    from gwlint.ruledocs import render_rule

    r = get_rule(rule.strip())
    if r is None:
        raise click.UsageError(f"no rule {rule!r}{_suggest(rule, all_rules())} (`gwlint rules` "
                               "lists them all)")
    click.echo(render_rule(r))


def _suggest(word: str, rules: list[Any]) -> str:
    """ "; did you mean parent-ref-unresolved (GW101)?" for the rules whose code or name is
    close to `word` or contains it."""
    key = word.strip().lower()
    names = {r.name: r for r in rules}
    found = [r for r in rules if key and r.code.lower().startswith(key)]
    found += [names[n] for n in names if key and key in n]
    found += [names[n] for n in difflib.get_close_matches(key, list(names), n=3, cutoff=0.6)]
    unique = list({r.code: r for r in found}.values())[:5]
    if not unique:
        return ""
    return "; did you mean " + ", ".join(f"{r.name} ({r.code})" for r in unique) + "?"


def _pre_commit_staged(files: tuple[str, ...], root: str, fmt: str | None, output: str | None,
                       **opts: Any) -> None:
    from gwlint.runner import run  # imported here to keep `gwlint --help` fast

    if not files:
        sys.exit(0)  # nothing to report on (pre-commit never calls a hook like this, people may)
    opts["report_only"] = tuple(opts.get("report_only") or ()) + tuple(files)
    opts["allow_empty"] = True  # pre-commit chose the files: none left to lint is no failure
    sys.exit(run((root,), fmt, output, opts))


main.add_command(click.Command(
    "pre-commit-staged", callback=_pre_commit_staged,
    params=[click.Argument(["files"], nargs=-1, type=click.Path()),
            click.Option(["--root"], type=click.Path(file_okay=False), default=".",
                         show_default=True, help="Directory to load (the repository).")]
    + [p for p in check.params if p.name != "paths"],
    help="Load the whole repository (--root) but report only on FILES: the `gwlint-staged` "
         "pre-commit hook. Each invocation is complete on its own, so pre-commit may split the "
         "file list.",
    context_settings={"help_option_names": ["-h", "--help"]}))


@main.command("graph")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "json"]), default="mermaid",
              show_default=True, help="Mermaid renders in GitHub Markdown (```mermaid).")
@click.option("--focus", help="Only the neighbourhood of one object: KIND/NAMESPACE/NAME (or "
              "KIND/NAME for cluster-scoped kinds).")
@click.option("--radius", type=click.IntRange(min=0), default=2, show_default=True,
              help="Hops around --focus (a Gateway and its listeners count as one).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the graph to FILE instead of standard output.")
@input_options
@click.option("--progress/--no-progress", "progress", default=None,
              help="Progress on standard error (default: on a terminal, once a run takes "
                   "more than a second; never in CI).")
def graph_cmd(paths: tuple[str, ...], fmt: str, focus: str | None, radius: int,
              output: str | None, **opts: Any) -> None:
    """Draw the GatewayClass -> Gateway/listener -> Route -> Service/Secret graph of PATHs.

    Broken edges (missing objects, references refused for want of a ReferenceGrant, routes that
    do not attach) are dashed, red and labelled with the reason.
    """
    from gwlint.runner import run_graph  # imported here to keep `gwlint --help` fast

    sys.exit(run_graph(paths, fmt, focus, radius, output, opts))


@main.command("status")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--focus", help="Only one object: KIND/NAMESPACE/NAME (or KIND/NAME for "
              "cluster-scoped kinds).")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="YAML: one document per object; JSON: a v1 List.")
@click.option("--causes", is_flag=True, help="Add x-gwlint to every condition: the fields that "
              "cause it, its basis, and what the files cannot decide.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE instead of standard output.")
@click.option("--implementation", help="The controller that writes the status: NAME[@VERSION] "
              "of a bundled conformance report, whose profile overrides the spec where it "
              "writes otherwise. Default: per Gateway from its GatewayClass controllerName.")
@input_options
def status_cmd(paths: tuple[str, ...], fmt: str, focus: str | None, causes: bool,
               output: str | None, **opts: Any) -> None:
    """Print the status a conformant controller would write on every Gateway API object of PATHs
    (as `kubectl get -o yaml` shows it); Unknown, with what is missing, where the files cannot
    decide."""
    from gwlint.commands.status import run  # imported here to keep `gwlint --help` fast

    sys.exit(run(paths, fmt, focus, causes, output, opts))


@main.command("implementations")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--features", is_flag=True, help="Compare the implementations on the Gateway API "
              "features the objects of PATHs use (default: the current directory).")
@click.option("--implementation", "names", multiple=True, metavar="NAME[@VERSION]",
              help="Compare only these (repeatable; default: every bundled implementation, "
              "newest report).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True,
              help="text: a table for the terminal; json: for scripts; markdown: a table for "
                   "a pull request or the job summary.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE instead of standard output.")
@input_options
def implementations_cmd(paths: tuple[str, ...], features: bool, names: tuple[str, ...], fmt: str,
                        output: str | None, **opts: Any) -> None:
    """List the bundled conformance reports; with --features PATH..., show which implementations
    support, do not claim or do not support each feature the linted files use."""
    from gwlint.commands.implementations import run  # imported here to keep `gwlint --help` fast

    sys.exit(run(paths, features, names, fmt, output, opts))


def _escape_unencodable() -> None:
    """Characters the output encoding lacks (PYTHONIOENCODING=latin-1, a cp1252 console) are
    written as backslash escapes instead of raising UnicodeEncodeError mid-report: the report is
    complete, JSON and SARIF still parse (gwlint.escapes), and the exit code stays the lint's."""
    for stream in (sys.stdout, sys.stderr):
        # not a text file (replaced by a caller): nothing to configure. TextIO declares no
        # reconfigure (io.TextIOWrapper does): the AttributeError is the check
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors=ESCAPE)  # type: ignore[union-attr]


@main.command("migration")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="table: for the terminal; json: for scripts; markdown: for "
              "a pull request or $GITHUB_STEP_SUMMARY.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE instead of standard output.")
@input_options
def migration_cmd(paths: tuple[str, ...], fmt: str, output: str | None, **opts: Any) -> None:
    """Report the Ingress -> Gateway API migration of PATHs: per Ingress and host, migrated,
    partial or not started, with the counts (the findings are `gwlint check`'s GW6xx rules)."""
    from gwlint.commands.migration import run  # imported here to keep `gwlint --help` fast

    sys.exit(run(paths, fmt, output, opts))


def entry() -> None:
    """Console script. Exits without tearing down the heap: freeing millions of parsed objects
    one by one takes longer than a small lint, and the operating system frees them at once."""
    _escape_unencodable()
    try:
        main()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            click.echo(exc.code, err=True)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`gwlint | head`)
        pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
