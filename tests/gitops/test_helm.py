"""Helm charts: detection, and rendering with a fake `helm` on PATH (no binary is installable
here; the fake checks the arguments and prints output shaped like `helm template`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gwlint.gitops.helm import Chart, chart_of, find_charts, find_helm, lint_command, render

from .conftest import Tree

FAKE_HELM = """#!/bin/sh
# fake helm: `helm template RELEASE CHART [--values F]...`
[ "$1" = template ] || { echo "unexpected: $*" >&2; exit 3; }
[ "$HELM_NO_PLUGINS" = 1 ] || { echo "plugins not disabled" >&2; exit 4; }
echo "---"
echo "# Source: $2/templates/route.yaml"
echo "apiVersion: gateway.networking.k8s.io/v1"
echo "kind: HTTPRoute"
echo "metadata:"
echo "  name: $2"
echo "  annotations: {args: \\"$*\\"}"
"""


def _install(directory: Path, script: str) -> str:
    path = directory / "helm"
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_find_charts_and_template_ownership(tree: Tree) -> None:
    tree({"charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
          "charts/web/templates/route.yaml": "{{ .Values.x }}\n",
          "charts/web/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
          "charts/web/charts/sub/templates/a.yaml": "a\n"})
    charts = find_charts(["charts/web/Chart.yaml", "charts/web/values.yaml",
                          "charts/web/charts/sub/Chart.yaml"])
    # a subchart is rendered by its parent's `helm template`: not a chart of its own
    assert [c.shown for c in charts] == ["charts/web"]
    assert chart_of("charts/web/templates/route.yaml", charts) == charts[0]
    assert chart_of("charts/web/charts/sub/templates/a.yaml", charts) == charts[0]
    # a repository's charts/ folder holds charts, unless the repository itself is a chart
    assert [c.shown for c in find_charts(["charts/a/Chart.yaml"])] == ["charts/a"]
    assert [c.shown for c in find_charts(["charts/a/Chart.yaml", "Chart.yaml"])] == ["."]
    assert chart_of("charts/web/crds/crd.yaml", charts) is None  # plain YAML: linted as is
    assert chart_of("other/route.yaml", charts) is None


def test_not_rendered_without_binary() -> None:
    result = render(Chart("charts/web", "charts/web"), None, ["prod-values.yaml"])
    assert not result.rendered
    assert result.note is not None and "no helm binary" in result.note
    assert "helm template web charts/web --values prod-values.yaml | gwlint -" in result.note
    assert lint_command(Chart("charts/my web", "charts/my web")) == (
        "helm template 'my web' 'charts/my web' | gwlint -")


def test_rendered_with_helm_on_path(tree: Tree, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = tmp_path / "bin"
    bindir.mkdir()
    _install(bindir, FAKE_HELM)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    helm = find_helm()
    assert helm == str(bindir / "helm")
    result = render(Chart("web", "web"), helm, ["v.yaml"])
    assert result.rendered and result.text is not None
    assert "# Source: web/templates/route.yaml" in result.text
    assert "template web web --values v.yaml" in result.text
    assert result.command == [helm, "template", "web", "web", "--values", "v.yaml"]


def test_given_path_failures_and_timeout(tmp_path: Path) -> None:
    assert find_helm(str(tmp_path / "missing")) is None
    failing = _install(tmp_path,
                       "#!/bin/sh\necho 'Error: chart requires kubeVersion' >&2\nexit 1\n")
    assert find_helm(failing) == failing
    result = render(Chart("web", "web"), failing)
    assert result.note is not None and "chart requires kubeVersion" in result.note
    slow = tmp_path / "slow"
    slow.mkdir()
    sleeper = _install(slow, "#!/bin/sh\nsleep 5\n")
    result = render(Chart("web", "web"), sleeper, timeout=0.5)
    assert result.note is not None and "more than 0.5 s" in result.note
