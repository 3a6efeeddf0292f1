"""CLI contract tests: exit codes, formats, selection, stdin, bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.parallel import available_cores, jobs_for
from gwlint.registry import all_rules
from gwlint.sizes import parse_size

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


def invoke(args: list[str], stdin: str | None = None, cwd: Path | None = None,
           env: dict[str, str] | None = None):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        return runner.invoke(main, args, input=stdin, catch_exceptions=False, env=env)
    finally:
        os.chdir(old)


def write_files(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def test_demo_has_findings_and_exits_1():
    result = invoke(["examples/demo"])
    assert result.exit_code == 1
    assert "examples/demo/apps/blog/blog.yaml:21:5: GW101 error" in result.output


def test_json_contract_shape():
    result = invoke(["--format", "json", "examples/demo"])
    doc = json.loads(result.output)
    assert set(doc) == {"gwlint", "format_version", "gateway_api", "summary", "findings"}
    assert set(doc["summary"]) == {"files", "documents", "resources", "skipped_documents",
                                   "findings",
                                   "skipped_by_tool", "scopes", "kustomize_builds", "helm_charts"}
    assert doc["gateway_api"]["version"] == "v1.6.1"
    finding = next(f for f in doc["findings"] if f["rule"] == "GW101")
    assert set(finding) == {"rule", "name", "category", "severity", "message", "hint", "file",
                            "line", "column", "end_line", "end_column", "path", "resource",
                            "parent", "listener", "overlays", "predicts", "related", "truncated"}
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
    (tmp_path / "list.yaml").write_text(GATEWAY + "---\napiVersion: v1\nkind: List\nitems:\n"
                                        + items)
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


# --- issue: no silent passes ----------------------------------------------------------------------
def git_repo(root: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_gitignore_prunes_discovery_but_an_empty_run_exits_2(tmp_path):
    git_repo(tmp_path)
    (tmp_path / ".gitignore").write_text("ignored/\n")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "bad.yaml").write_text("a: [\n")
    (tmp_path / "ok.yaml").write_text("a: 1\n")
    result = invoke(["--format", "json", "."], cwd=tmp_path)
    assert json.loads(result.stdout)["summary"]["files"] == 1
    empty = invoke(["--format", "json", "--exclude", "ok.yaml", "."], cwd=tmp_path)
    assert empty.exit_code == 2 and empty.stdout == ""
    allowed = invoke(["--format", "json", "--exclude", "ok.yaml", "--allow-empty", "."],
                     cwd=tmp_path)
    assert allowed.exit_code == 0 and json.loads(allowed.stdout)["summary"]["files"] == 0


def test_an_explicit_path_is_linted_whatever_gitignore_says(tmp_path):
    # rendered Helm/Kustomize output is usually ignored; naming it must still lint it (ruff and
    # pre-commit: ignores prune discovery, never an argument)
    git_repo(tmp_path)
    (tmp_path / ".gitignore").write_text("rendered/\nbuild/\n")
    write_files(tmp_path, {"rendered/r.yaml": ROUTE_WRONG_NS, "build/out/r.yaml": ROUTE_WRONG_NS,
                           "gw.yaml": GATEWAY})
    for path in ("rendered", "rendered/", "build/out", "rendered/r.yaml"):
        result = invoke(["--format", "json", "--select", "GW101", path], cwd=tmp_path)
        assert result.exit_code == 1, (path, result.output)
        assert json.loads(result.stdout)["summary"]["files"] == 1, path
    # `.` names the directory as well (`cd rendered && gwlint .`, or no PATH at all)
    for args in (["."], []):
        inside = invoke(["--format", "json", "--select", "GW101", *args], cwd=tmp_path / "rendered")
        assert inside.exit_code == 1, (args, inside.output)
        assert json.loads(inside.stdout)["summary"]["files"] == 1
    whole = json.loads(invoke(["--format", "json", "."], cwd=tmp_path).stdout)
    assert whole["summary"]["files"] == 1  # gw.yaml only: discovery still prunes
    # --exclude still applies to an explicit directory: nothing left is an empty run
    excluded = invoke(["--exclude", "rendered", "rendered"], cwd=tmp_path)
    assert excluded.exit_code == 2
    assert "no file to lint" in excluded.stderr and "--allow-empty" in excluded.stderr


@pytest.mark.parametrize("args", [["."], ["-q", "."], ["--format", "json", "."],
                                  ["--exclude", "*.yaml", "."], ["sub"]])
def test_a_run_that_lints_no_file_says_so_and_exits_2(tmp_path, args):
    (tmp_path / "sub").mkdir()
    (tmp_path / "notes.txt").write_text("not a manifest\n")
    if "--exclude" in args:
        (tmp_path / "r.yaml").write_text(GATEWAY)
    result = invoke(args, cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("gwlint: error: no file to lint:")
    assert invoke(["--allow-empty", *args], cwd=tmp_path).exit_code == 0


def test_standard_input_is_a_file_to_lint(tmp_path):
    assert invoke(["-"], stdin="", cwd=tmp_path).exit_code == 0


def test_characters_the_output_encoding_lacks_are_escaped(tmp_path):
    # a latin-1 standard output (the console script reconfigures its streams; a caller's may
    # not be reconfigurable): the report is complete, the exit code the lint's
    (tmp_path / "r.yaml").write_text(ROUTE_WRONG_NS.replace("name: gw", "name: 网关"),
                                     encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner(charset="latin-1").invoke(main, ["--select", "GW101", "r.yaml"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.exception
    assert "parentRef Gateway '\\u7f51\\u5173' not found" in result.stdout_bytes.decode("latin-1")


def test_the_configuration_file_is_not_a_linted_file(tmp_path):
    (tmp_path / ".gwlint.yaml").write_text("select: [GW101]\n")
    (tmp_path / ".gwlint.yml").write_text("select: [GW101]\n")
    (tmp_path / "gw.yaml").write_text(GATEWAY)
    doc = json.loads(invoke(["--format", "json", "."], cwd=tmp_path).stdout)
    assert doc["summary"]["files"] == 1 and doc["summary"]["skipped_documents"] == 0
    text = invoke(["."], cwd=tmp_path).stdout
    assert "in 1 file (1 resource)" in text
    # named on the command line, it is linted like any file
    named = json.loads(invoke(["--format", "json", "--allow-empty", ".gwlint.yaml"],
                              cwd=tmp_path).stdout)
    assert named["summary"]["files"] == 1


@pytest.mark.parametrize("typo,command", [("rule", "rules"), ("explian", "explain"),
                                          ("grpah", "graph"), ("chek", "check")])
def test_a_mistyped_command_is_a_usage_error(tmp_path, typo, command):
    result = invoke([typo, "GW101"], cwd=tmp_path)
    assert result.exit_code == 2
    assert f"did you mean `gwlint {command}`?" in result.output
    assert "GW004" not in result.output


def test_a_file_named_like_a_command_is_linted(tmp_path):
    (tmp_path / "rule").write_text(GATEWAY)
    result = invoke(["--format", "json", "rule"], cwd=tmp_path)
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["files"] == 1
    # far from every command: a missing file, reported as such
    missing = invoke(["--format", "json", "k8s-prod.yaml"], cwd=tmp_path)
    assert [f["rule"] for f in json.loads(missing.stdout)["findings"]] == ["GW004"]


def test_tracked_only_lints_what_git_tracks_and_stages(tmp_path):
    git_repo(tmp_path)
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: infra}\n"
    write_files(tmp_path, {"committed.yaml": GATEWAY, "staged.yaml": namespace,
                           "scratch.yaml": "a: [\n", "gone.yaml": "a: 1\n"})
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    subprocess.run([*git, "add", "committed.yaml", "gone.yaml"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "c"], check=True)
    subprocess.run([*git, "add", "staged.yaml"], check=True)
    (tmp_path / "gone.yaml").unlink()  # deleted in the work tree, still in the index
    tracked = invoke(["--format", "json", "--tracked-only", "."], cwd=tmp_path)
    assert tracked.exit_code == 0, tracked.output
    assert json.loads(tracked.stdout)["summary"]["files"] == 2
    everything = invoke(["--format", "json", "."], cwd=tmp_path)
    assert everything.exit_code == 1  # the untracked scratch file and the deleted one


# --- issue: terminal options ----------------------------------------------------------------------
def test_statistics_prints_only_the_counts():
    result = invoke(["--statistics", "examples/demo"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert not any(":" in line.split()[0] for line in lines)  # no `file:line:col:` finding lines
    assert lines[0].split() == ["2", "GW402", "namespace-selector-unsafe-label"]
    assert lines[-1].startswith("3 errors, 3 warnings, 2 infos in 9 files")
    counts = json.loads(invoke(["--statistics", "--format", "json", "examples/demo"]).stdout)
    assert counts[0] == {"code": "GW402", "name": "namespace-selector-unsafe-label", "count": 2}
    assert sum(c["count"] for c in counts) == 8
    as_sarif = invoke(["--statistics", "--format", "sarif", "examples/demo"])  # as ruff: text
    assert as_sarif.exit_code == 1 and as_sarif.stdout == result.stdout


def test_every_option_of_every_command_has_help():
    missing = [f"{name} {'/'.join(p.opts)}" for name, command in main.commands.items()
               for p in command.params
               if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert missing == []


def test_rules_all_is_gone_and_the_listing_marks_opt_in_rules():
    assert invoke(["rules", "--all"]).exit_code == 2
    listing = invoke(["rules"]).stdout.splitlines()
    opt_in = [r.code for r in all_rules() if r.opt_in]
    assert opt_in and all(any(line.startswith(code) and line.endswith("(opt-in)")
                              for line in listing) for code in opt_in)
    assert len(listing) == len(all_rules())


@pytest.mark.parametrize("size,accepted", [("10M", True), ("512K", True), ("1G", True),
                                           ("5MiB", True), ("2MB", True), ("4096", True),
                                           ("10X", False), ("0", False), ("1.5M", False)])
def test_max_file_size_accepts_units(tmp_path, size, accepted):
    (tmp_path / "gw.yaml").write_text(GATEWAY)
    result = invoke(["--max-file-size", size, "."], cwd=tmp_path)
    assert result.exit_code == (0 if accepted else 2), result.output


def test_max_file_size_units_are_the_documented_ones(tmp_path):
    (tmp_path / "gw.yaml").write_text(GATEWAY)  # 203 bytes
    size = len(GATEWAY.encode())
    assert size < 1000

    def refused(limit: str) -> bool:
        doc = json.loads(invoke(["--format", "json", "--max-file-size", limit, "."],
                                cwd=tmp_path).stdout)
        return [f["rule"] for f in doc["findings"]] == ["GW004"]

    assert refused(str(size - 1)) and not refused(str(size))
    assert parse_size("1K") == parse_size("1KiB") == 1024 and parse_size("1KB") == 1000
    assert parse_size("10M") == 10 * 1024 * 1024 and parse_size("1GB") == 10 ** 9


@pytest.mark.parametrize("config,limit", [
    (".gwlint.yaml", "max-file-size: 1K\n"), (".gwlint.yaml", "max-file-size: 1024\n"),
    (".gwlint.yaml", "max-file-size: 1 KiB\n"), ("pyproject.toml", "max-file-size = \"1K\"\n"),
])
def test_max_file_size_units_in_the_configuration_file(tmp_path, config, limit):
    head = "[tool.gwlint]\n" if config == "pyproject.toml" else ""
    (tmp_path / config).write_text(head + limit)
    (tmp_path / "small.yaml").write_text(GATEWAY)  # 203 bytes: read
    (tmp_path / "big.yaml").write_text(GATEWAY + "#" * 1000 + "\n")  # over 1 KiB: refused
    doc = json.loads(invoke(["--format", "json", "."], cwd=tmp_path).stdout)
    assert [(f["file"], f["rule"]) for f in doc["findings"]] == [("big.yaml", "GW004")]
    assert "above the limit of 1,024" in doc["findings"][0]["message"]
    shown = invoke(["--show-settings", "."], cwd=tmp_path).stdout
    assert re.search(rf"^max-file-size += 1024 +# {re.escape(config)}:\d$", shown, re.MULTILINE)


def test_explain_accepts_names_and_suggests_close_ones():
    assert invoke(["explain", "parent-ref-unresolved"]).output.startswith("# GW101")
    assert invoke(["explain", "gw101"]).output.startswith("# GW101")
    result = invoke(["explain", "parent-ref"])
    assert result.exit_code == 2
    assert "did you mean parent-ref-unresolved (GW101)" in result.output
    typo = invoke(["explain", "parent-ref-unresolve"])
    assert "did you mean parent-ref-unresolved (GW101)" in typo.output
    assert "did you mean" not in invoke(["explain", "zzzz"]).output


def test_show_settings_says_where_each_value_comes_from(tmp_path):
    (tmp_path / ".gwlint.yaml").write_text("select: [GW1]\nfail-on: warning\n"
                                           "exclude: [\"legacy/*\"]\n")
    (tmp_path / "gw.yaml").write_text(GATEWAY)
    result = invoke(["--show-settings", "--exclude", "tmp", "--default-namespace", "apps",
                     "-j", "3", "."], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    rows = {line.split(" = ")[0].strip(): line for line in result.stdout.splitlines()
            if " = " in line}
    assert rows["select"].endswith("# .gwlint.yaml:1")
    assert rows["fail-on"].endswith("# .gwlint.yaml:2") and "= warning" in rows["fail-on"]
    assert rows["exclude"].endswith("# .gwlint.yaml:3, command line (--exclude)")
    assert '["legacy/*", "tmp"]' in rows["exclude"]
    assert rows["default-namespace"].endswith("# command line (--default-namespace)")
    assert rows["jobs"].endswith("# command line (--jobs)") and "= 3" in rows["jobs"]
    assert rows["ignore"].endswith("# default")
    assert result.stdout.startswith("configuration file: .gwlint.yaml")
    assert "No problems" not in result.stdout  # nothing is linted
    env = invoke(["--show-settings", "."], cwd=tmp_path, env={"GWLINT_JOBS": "1"})
    assert "# GWLINT_JOBS" in env.stdout


def test_both_yaml_and_pyproject_configure_gwlint_warns_which_wins(tmp_path):
    (tmp_path / ".gwlint.yaml").write_text("select: [GW1]\n")
    (tmp_path / "pyproject.toml").write_text('[tool.gwlint]\nselect = ["GW2"]\n')
    (tmp_path / "gw.yaml").write_text(GATEWAY)
    result = invoke(["."], cwd=tmp_path)
    assert result.exit_code == 0
    assert ("gwlint: warning: both .gwlint.yaml and pyproject.toml ([tool.gwlint]) configure "
            "gwlint; .gwlint.yaml wins") in result.stderr
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # not a gwlint config
    assert "warning" not in invoke(["."], cwd=tmp_path).stderr


def test_jobs_option_gives_the_same_findings(tmp_path, monkeypatch):
    monkeypatch.delenv("GWLINT_JOBS", raising=False)
    for i in range(6):
        (tmp_path / f"r{i}.yaml").write_text(ROUTE_WRONG_NS.replace("name: web", f"name: r{i}"))
    one = invoke(["--format", "json", "-j", "1", "."], cwd=tmp_path)
    three = invoke(["--format", "json", "--jobs", "3", "."], cwd=tmp_path)
    assert one.exit_code == three.exit_code == 1
    assert json.loads(one.stdout)["findings"] == json.loads(three.stdout)["findings"]
    assert invoke(["-j", "0", "."], cwd=tmp_path).exit_code == 2
    assert jobs_for(10, 1) == 1 and jobs_for(10, 4) == 4 and jobs_for(2, 4) == 2
    assert jobs_for(100_000, None) == available_cores()  # the default: the available cores
    assert jobs_for(10, None) == 1  # small inputs stay in one process


@pytest.mark.parametrize("name,fmt", [("report.json", "json"), ("report.sarif", "sarif"),
                                      ("out.sarif.json", "sarif"), ("report.txt", "text"),
                                      ("REPORT.JSON", "json"), ("report", "text")])
def test_output_format_follows_the_file_extension(tmp_path, name, fmt):
    (tmp_path / "r.yaml").write_text(ROUTE_WRONG_NS)
    result = invoke(["--select", "GW101", "-o", name, "r.yaml"], cwd=tmp_path)
    assert result.exit_code == 1 and result.stdout == ""
    text = (tmp_path / name).read_text()
    if fmt == "json":
        assert "findings" in json.loads(text)
    elif fmt == "sarif":
        assert json.loads(text)["version"] == "2.1.0"
    else:
        assert text.startswith("r.yaml:8:5: GW101")
    explicit = invoke(["--select", "GW101", "--format", "text", "-o", name, "r.yaml"],
                      cwd=tmp_path)
    assert explicit.exit_code == 1 and (tmp_path / name).read_text().startswith("r.yaml:8:5:")


def test_objects_run_together_are_one_missing_separator_each(tmp_path):
    # `cat a.yaml b.yaml c.yaml | gwlint -` of files that do not start with `---`
    stream = GATEWAY + ROUTE_WRONG_NS + ROUTE_WRONG_NS.replace("name: web", "name: other")
    result = invoke(["--format", "json", "-"], stdin=stream, cwd=tmp_path)
    found = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "GW002"]
    second, third = GATEWAY.count("\n") + 1, GATEWAY.count("\n") + ROUTE_WRONG_NS.count("\n") + 1
    assert [f["line"] for f in found] == [second, third]
    assert all("`---` document separator is missing" in f["message"] for f in found)
    # a genuine duplicate key is still a duplicate key
    dup = invoke(["--format", "json", "-"], stdin=GATEWAY + "spec: {}\n", cwd=tmp_path)
    [f] = [f for f in json.loads(dup.stdout)["findings"] if f["rule"] == "GW002"]
    assert f["message"].startswith("duplicate key 'spec'")


def test_gw101_hint_names_the_close_namespace(tmp_path):
    route = ROUTE_WRONG_NS.replace("  - name: gw\n", "  - name: gw\n    namespace: infr\n")
    (tmp_path / "r.yaml").write_text(GATEWAY + "---\n" + route)
    doc = json.loads(invoke(["--format", "json", "--select", "GW101", "."], cwd=tmp_path).stdout)
    [f] = doc["findings"]
    assert f["hint"].startswith("did you mean namespace 'infra'?")
    (tmp_path / "r.yaml").write_text(GATEWAY + "---\n" + ROUTE_WRONG_NS)  # no namespace written
    doc = json.loads(invoke(["--format", "json", "--select", "GW101", "."], cwd=tmp_path).stdout)
    assert doc["findings"][0]["hint"].endswith("add namespace: infra")
    # a namespace written that is no typo of any candidate is replaced, not added
    far = ROUTE_WRONG_NS.replace("  - name: gw\n", "  - name: gw\n    namespace: payments\n")
    (tmp_path / "r.yaml").write_text(GATEWAY + "---\n" + far)
    doc = json.loads(invoke(["--format", "json", "--select", "GW101", "."], cwd=tmp_path).stdout)
    assert doc["findings"][0]["hint"].endswith("exists in namespace 'infra': set namespace: infra")
