"""Rendered input on stdin: `helm template … | gwlint -` (findings attributed to the template
named by `# Source:`, with template line numbers) and `kustomize build … | gwlint -` (the stdin
name)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main

# What `helm template web ./chart` prints: every document after `---` and a `# Source:` comment;
# a template with two documents (routes.yaml) is split into two sections of the same name.
HELM = """\
---
# Source: chart/templates/gateway.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: http
    protocol: HTTP
    port: 80
    allowedRoutes:
      namespaces:
        from: All
---
# Source: chart/templates/routes.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: a
  namespace: app
spec:
  parentRefs:
  - name: web
---
# Source: chart/templates/routes.yaml
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: b
  namespace: app
spec:
  parentRefs:
  - name: web
    namespace: infra
  - name: other
"""

# chart/templates/routes.yaml as the chart author wrote it: the two findings are on its lines 8 and
# 18 (the second document starts after the first one's 8 lines and the `---`).
ROUTES_TEMPLATE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: a
  namespace: app
spec:
  parentRefs:
  - name: web
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: b
  namespace: app
spec:
  parentRefs:
  - name: web
    namespace: infra
  - name: other
"""


def run(args: list[str], stdin: str, cwd: Path) -> list[dict]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["--format", "json", *args], input=stdin,
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def test_findings_point_at_template_lines(tmp_path):
    out = run(["-", "--select", "GW101"], HELM, tmp_path)
    assert [(f["file"], f["line"], f["column"], f["message"]) for f in out] == [
        ("chart/templates/routes.yaml", 8, 5, "parentRef Gateway 'web' not found in namespace "
                                              "'app'"),
        ("chart/templates/routes.yaml", 19, 5, "parentRef Gateway 'other' not found in "
                                               "namespace 'app'"),
    ]
    template = ROUTES_TEMPLATE.splitlines()
    assert template[8 - 1].strip() == "- name: web"
    assert template[19 - 1].strip() == "- name: other"
    # the other side of the hint lives in another template, at its own line
    assert out[0]["related"] == [{"file": "chart/templates/gateway.yaml", "line": 4, "column": 3,
                                  "message": "Gateway infra/web"}]


def test_references_resolve_across_templates(tmp_path):
    out = run(["-", "--select", "GW101"], HELM, tmp_path)
    assert not any("'web' not found in namespace 'infra'" in f["message"] for f in out)


def test_lines_before_the_first_source_comment_use_the_stdin_name(tmp_path):
    stream = "a: [1\n" + HELM
    out = run(["-", "--stdin-filename", "rendered.yaml", "--select", "GW001"], stream, tmp_path)
    assert [(f["rule"], f["file"]) for f in out] == [("GW001", "rendered.yaml")]


def test_kustomize_output_is_attributed_to_the_stdin_filename(tmp_path):
    kustomize = HELM.replace("# Source: chart/templates/gateway.yaml\n", "").replace(
        "# Source: chart/templates/routes.yaml\n", "")
    out = run(["-", "--stdin-filename", "overlays/prod", "--select", "GW101"], kustomize,
              tmp_path)
    assert [(f["file"], f["line"]) for f in out] == [("overlays/prod", 24), ("overlays/prod", 35)]
    out = run(["-", "--select", "GW101"], kustomize, tmp_path)
    assert {f["file"] for f in out} == {"<stdin>"}


def test_a_saved_rendering_keeps_its_own_file_name(tmp_path):
    (tmp_path / "rendered.yaml").write_text(HELM, encoding="utf-8")
    out = run(["rendered.yaml", "--select", "GW101"], "", tmp_path)
    assert [(f["file"], f["line"]) for f in out] == [("rendered.yaml", 26), ("rendered.yaml", 38)]


def test_suppression_comments_in_templates_survive_helm(tmp_path):
    stream = HELM.replace("  - name: other\n", "  - name: other  # gwlint: ignore[GW101]\n")
    out = run(["-", "--select", "GW101,GW008"], stream, tmp_path)
    assert [(f["file"], f["line"]) for f in out] == [("chart/templates/routes.yaml", 8)]
    # ignore-file in a template covers that template only, in all its sections
    stream = HELM.replace("# Source: chart/templates/routes.yaml\napiVersion",
                          "# Source: chart/templates/routes.yaml\n# gwlint: ignore-file[GW101]\n"
                          "apiVersion", 1)
    out = run(["-", "--select", "GW101,GW008"], stream, tmp_path)
    assert out == []
    gateway_only = HELM.replace("# Source: chart/templates/gateway.yaml\n",
                                "# Source: chart/templates/gateway.yaml\n"
                                "# gwlint: ignore-file[GW101]\n")
    out = run(["-", "--select", "GW101,GW008"], gateway_only, tmp_path)
    assert [(f["rule"], f["file"], f["line"]) for f in out] == [
        ("GW008", "chart/templates/gateway.yaml", 1),
        ("GW101", "chart/templates/routes.yaml", 8),
        ("GW101", "chart/templates/routes.yaml", 19)]
