"""Helm charts: find them, and render them when a `helm` binary is available.

A directory with `Chart.yaml` is a chart (https://helm.sh/docs/topics/charts/). Its `templates/`
hold Go templates, never YAML to lint as such. With `helm` on PATH (or given), a chart is rendered
with `helm template` and its default values (plus `--values` files), and the output carries
Helm's `# Source: chart/templates/x.yaml` comments that gwlint already maps back to templates.
Without the binary, the chart is reported as not rendered, with the command that lints it.

`helm template` renders locally: no cluster, no network unless the chart has undeclared remote
dependencies (they must be vendored in `charts/`; `--dependency-update` is never passed). The
binary is run with a timeout, no shell, and a minimal environment (`gitops.tools`).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable
from dataclasses import dataclass, field

from gwlint.gitops.tools import environment, find_tool, run

TIMEOUT = 60  # seconds per chart
MAX_OUTPUT = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart directory (filesystem path) and its display path."""

    dir: str
    shown: str

    def owns(self, path: str) -> bool:
        """True for files of the chart that are templates (or chart-internal files)."""
        rel = os.path.relpath(path, self.dir).replace(os.sep, "/")
        return not rel.startswith("../") and (rel.startswith("templates/")
                                              or rel.startswith("charts/"))


@dataclass
class Rendered:
    """The outcome of rendering one chart: `text` (with `# Source:` comments) or a note."""

    chart: Chart
    text: str | None = None
    command: list[str] = field(default_factory=list)
    note: str | None = None  # why it was not rendered (no binary, helm failed, timeout)

    @property
    def rendered(self) -> bool:
        return self.text is not None


def find_charts(paths: Iterable[str]) -> list[Chart]:
    """Charts among candidate files: the directories that hold a `Chart.yaml`, except subcharts
    (`PARENT/charts/NAME` of a chart PARENT): `helm template PARENT` renders them with the
    parent's values (https://helm.sh/docs/topics/charts/#chart-dependencies), so they are part
    of the parent's rendering and scope, not charts of their own."""
    found = {os.path.normpath(os.path.dirname(p) or ".") for p in paths
             if os.path.basename(p) == "Chart.yaml"}
    charts = []
    for d in sorted(found):
        holder = os.path.dirname(d)
        if os.path.basename(holder) == "charts" and (os.path.dirname(holder) or ".") in found:
            continue
        charts.append(Chart(d, d.replace(os.sep, "/")))
    return charts


def chart_of(path: str, charts: Iterable[Chart]) -> Chart | None:
    """The chart whose templates include `path` (the innermost chart), or None."""
    best: Chart | None = None
    for chart in charts:
        if chart.owns(path) and (best is None or len(chart.dir) > len(best.dir)):
            best = chart
    return best


def lint_command(chart: Chart, values: Iterable[str] = ()) -> str:
    """The command line that lints a chart's rendered output."""
    args = ["helm", "template", os.path.basename(os.path.abspath(chart.dir)) or "release",
            chart.shown]
    for v in values:
        args += ["--values", v]
    return " ".join(shlex.quote(a) for a in args) + " | gwlint -"


def find_helm(explicit: str | None = None) -> str | None:
    """The helm binary: the given path (if executable), else `helm` on PATH ('': none)."""
    return find_tool("helm", explicit)


def render(chart: Chart, helm: str | None, values: Iterable[str] = (),
           timeout: float = TIMEOUT) -> Rendered:
    """`helm template RELEASE CHART [--values F]...`, or a note saying why not."""
    values = list(values)
    release = os.path.basename(os.path.abspath(chart.dir)) or "release"
    if helm is None:
        return Rendered(chart, note=f"chart {chart.shown} not rendered: no helm binary found; "
                        f"lint it with `{lint_command(chart, values)}`")
    command = [helm, "template", release, chart.dir]
    for v in values:
        command += ["--values", v]
    # plugins are code from the repository's environment
    ran = run(command, timeout=timeout, max_output=MAX_OUTPUT,
              env=environment({"HELM_NO_PLUGINS": "1"}))
    if ran.stdout is None:
        why = ran.failure
        if ran.exited:
            error = ran.stderr.strip().splitlines()
            why = f"helm template failed: {error[-1] if error else ran.failure}"
        elif why and why.startswith("took"):
            why = f"helm {why}"
        return Rendered(chart, command=command, note=f"chart {chart.shown} not rendered: {why}")
    return Rendered(chart, ran.stdout.decode("utf-8", "replace"), command)
