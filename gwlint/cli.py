"""Command line: `gwlint [OPTIONS] [PATH]...`, `gwlint rules`, `gwlint explain CODE`.

Exit codes: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage,
configuration or internal error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from gwlint import __version__


class DefaultGroup(click.Group):
    """`gwlint PATH...` means `gwlint check PATH...`, like ruff's and yamllint's bare invocation."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


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
    click.option("--max-file-size", type=click.IntRange(min=1), default=None,
                 help="Largest file to read, in bytes (default 50 MiB)."),
    click.option("--helm", "helm", metavar="PATH", help="helm binary that renders the charts "
                 "found (default: helm on PATH; '' never renders: one info finding per chart)."),
    click.option("--helm-values", "helm_values", multiple=True, metavar="FILE",
                 type=click.Path(dir_okay=False), help="Values file for every chart rendered "
                 "(helm template --values; repeatable)."),
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
              help="Output format (default text; github when GITHUB_ACTIONS=true).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write the report to FILE instead of standard output.")
@click.option("--select", multiple=True, help="Rules to enable: code, code prefix (GW1), name, "
              "category or ALL. Repeatable, comma-separated.")
@click.option("--extend-select", multiple=True, help="Rules to enable on top of the selection "
              "(e.g. opt-in rules).")
@click.option("--ignore", multiple=True, help="Rules to disable (same forms as --select).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Lowest severity that makes the exit code 1 (default error).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--implementation", help="The controller the manifests are for: NAME[@VERSION] "
              "of a bundled conformance report (see `gwlint implementations`). Default: "
              "detected per Gateway from its GatewayClass controllerName.")
@input_options
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Colour the text output (NO_COLOR disables 'auto').")
@click.option("--quiet", "-q", is_flag=True, help="Only print findings, no hints or summary "
              "when clean.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--verbose", "-v", is_flag=True, help="Also print the scopes and the documents "
              "skipped because they are not Kubernetes objects, by tool.")
@click.option("--show-scopes", is_flag=True, help="Print the scopes (Kustomize roots, Helm "
              "charts, Argo CD/Flux paths, --scope) and why, then exit.")
@click.option("--report-only", "report_only", multiple=True,
              help="Load everything but report only findings in these files (pre-commit).")
def check(paths: tuple[str, ...], fmt: str | None, output: str | None, **opts: Any) -> None:
    """Lint PATHs (files or directories; '-' reads a stream from standard input)."""
    from gwlint.runner import run  # imported here to keep `gwlint --help` and `rules` fast

    code = run(paths, fmt, output, opts)
    sys.exit(code)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also mark opt-in rules.")
def rules_cmd(fmt: str, show_all: bool) -> None:
    """List every rule."""
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
        click.echo(f"{r.code}  {r.name:<36} {str(r.severity):<8} {r.category:<14} {r.summary}{flag}")


@main.command("explain")
@click.argument("rule")
def explain(rule: str) -> None:
    """Print a rule's documentation (by code or name)."""
    # imported here to keep `gwlint --help` fast
    from gwlint.registry import get_rule
    from gwlint.ruledocs import render_rule

    r = get_rule(rule)
    if r is None:
        raise click.UsageError(f"no rule {rule!r}; `gwlint rules` lists them")
    click.echo(render_rule(r))


def _pre_commit_staged(files: tuple[str, ...], root: str, fmt: str | None, output: str | None,
                       **opts: Any) -> None:
    from gwlint.runner import run  # imported here to keep `gwlint --help` fast

    if not files:
        sys.exit(0)  # nothing to report on (pre-commit never calls a hook like this, people may)
    opts["report_only"] = tuple(opts.get("report_only") or ()) + tuple(files)
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
@input_options
def status_cmd(paths: tuple[str, ...], fmt: str, focus: str | None, causes: bool,
               output: str | None, **opts: Any) -> None:
    """Print the status a conformant controller would write on every Gateway API object of PATHs
    (as `kubectl get -o yaml` shows it); Unknown, with what is missing, where the files cannot
    decide."""
    from gwlint.status.command import run  # imported here to keep `gwlint --help` fast

    sys.exit(run(paths, fmt, focus, causes, output, opts))


@main.command("implementations")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--features", is_flag=True, help="Compare the implementations on the Gateway API "
              "features the objects of PATHs use (default: the current directory).")
@click.option("--implementation", "names", multiple=True, metavar="NAME[@VERSION]",
              help="Compare only these (repeatable; default: every bundled implementation, "
              "newest report).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE instead of standard output.")
@input_options
def implementations_cmd(paths: tuple[str, ...], features: bool, names: tuple[str, ...], fmt: str,
                        output: str | None, **opts: Any) -> None:
    """List the bundled conformance reports; with --features PATH..., show which implementations
    support, do not claim or do not support each feature the linted files use."""
    from gwlint.implementations.command import run  # imported here to keep `gwlint --help` fast

    sys.exit(run(paths, features, names, fmt, output, opts))


def entry() -> None:
    """Console script. Exits without tearing down the heap: freeing millions of parsed objects
    one by one takes longer than a small lint, and the operating system frees them at once."""
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
