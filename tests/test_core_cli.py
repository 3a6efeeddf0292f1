"""CLI contract tests: exit codes, formats, selection, stdin, bad input."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"

ROUTE_WRONG_NS = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  parentRefs:
  - name: gw
  rules:
  - backendRefs:
    - name: web
      port: 80
"""
GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: http
    protocol: HTTP
    port: 80
"""


def invoke(args: list[str], stdin: str | None = None, cwd: Path | None = None):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        return runner.invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)


def test_demo_has_findings_and_exits_1():
    result = invoke(["examples/demo"])
    assert result.exit_code == 1
    assert "examples/demo/apps/blog/blog.yaml:21:5: GW101 error" in result.output


def test_json_contract_shape():
    result = invoke(["--format", "json", "examples/demo"])
    doc = json.loads(result.output)
    assert set(doc) == {"gwlint", "format_version", "gateway_api", "summary", "findings"}
    assert set(doc["summary"]) == {"files", "documents", "resources", "skipped_documents", "findings",
                                   "skipped_by_tool", "scopes", "kustomize_builds", "helm_charts"}
    assert doc["gateway_api"]["version"] == "v1.6.1"
    finding = next(f for f in doc["findings"] if f["rule"] == "GW101")
    assert set(finding) == {"rule", "name", "category", "severity", "message", "hint", "file",
                            "line", "column", "end_line", "end_column", "path", "resource",
                            "parent", "listener", "overlays", "predicts", "related"}
    assert finding["path"] == "/spec/parentRefs/0"
    assert finding["parent"]["namespace"] == "blog"
    assert finding["related"][0]["file"] == "examples/demo/infra/gateway.yaml"


def test_stdin_with_filename(tmp_path):
    result = invoke(["-", "--stdin-filename", "k8s/route.yaml", "--select", "GW101"],
                    stdin="---\n" + GATEWAY + "---\n" + ROUTE_WRONG_NS, cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith("k8s/route.yaml:21:5: GW101")
    assert "exists in namespace 'infra'" in result.output


def test_exit_zero_and_fail_on(tmp_path):
    (tmp_path / "r.yaml").write_text(GATEWAY + "---\n" + ROUTE_WRONG_NS)
    assert invoke(["--exit-zero", "."], cwd=tmp_path).exit_code == 0
    assert invoke(["--ignore", "GW1", "."], cwd=tmp_path).exit_code == 0
    assert invoke(["--select", "GW101", "--fail-on", "info", "."], cwd=tmp_path).exit_code == 1


def test_usage_errors_exit_2(tmp_path):
    assert invoke(["--bogus"], cwd=tmp_path).exit_code == 2
    assert invoke(["--select", "GW999x", "."], cwd=tmp_path).exit_code == 2
    assert invoke(["--gateway-api-version", "v0.1", "."], cwd=tmp_path).exit_code == 2
    assert invoke(["does-not-exist.yaml"], cwd=tmp_path).exit_code in (1, 2)


def test_clean_input_exits_0(tmp_path):
    (tmp_path / "values.yaml").write_text("replicas: 3\nimage: nginx\n")
    result = invoke(["."], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output


@pytest.mark.parametrize("content,code", [
    (b"\x00\x01\x02binary", "GW004"),
    (b"a: \xff\xfe\xfa\n", "GW004"),
    (b"a: [1, 2\n", "GW001"),
    (b"name: {{ .Values.x }}\n  bad: [\n", "GW003"),
    (b"a: 1\na: 2\n", "GW002"),
])
def test_bad_input_is_a_finding_not_a_traceback(tmp_path, content, code):
    (tmp_path / "bad.yaml").write_bytes(content)
    result = invoke(["--format", "json", "."], cwd=tmp_path)
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert [f["rule"] for f in doc["findings"]] == [code]
    assert doc["findings"][0]["file"] == "bad.yaml"


def test_unknown_kinds_and_values_files_are_not_findings(tmp_path):
    (tmp_path / "x.yaml").write_text(
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n---\nfoo: bar\n")
    result = invoke(["--format", "json", "."], cwd=tmp_path)
    doc = json.loads(result.output)
    assert result.exit_code == 0
    assert doc["summary"]["resources"] == 1 and doc["summary"]["skipped_documents"] == 1


def test_list_items_are_expanded_with_their_own_spans(tmp_path):
    items = "".join("  - " + line + "\n" if i == 0 else "    " + line + "\n"
                    for i, line in enumerate(ROUTE_WRONG_NS.splitlines()))
    (tmp_path / "list.yaml").write_text(GATEWAY + "---\napiVersion: v1\nkind: List\nitems:\n" + items)
    doc = json.loads(invoke(["--format", "json", "--select", "GW101", "."], cwd=tmp_path).output)
    [f] = doc["findings"]
    assert f["path"] == "/items/0/spec/parentRefs/0"
    assert f["line"] == 23
    assert f["resource"]["name"] == "web"


def test_rules_and_explain():
    listing = invoke(["rules", "--format", "json"])
    codes = [r["code"] for r in json.loads(listing.output)]
    assert "GW101" in codes and codes == sorted(codes)
    explained = invoke(["explain", "GW101"])
    assert explained.exit_code == 0 and "Bad:" in explained.output and "Fixed:" in explained.output
    assert invoke(["explain", "GW9999"]).exit_code == 2


def test_gitignore_is_honoured(tmp_path):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "bad.yaml").write_text("a: [\n")
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    result = invoke(["--format", "json", "."], cwd=tmp_path)
    assert json.loads(result.output)["summary"]["files"] == 1
    assert invoke(["--format", "json", "--exclude", "ok.yaml", "."],
                  cwd=tmp_path).output.count('"files": 0') == 1
