"""`--format github` (workflow commands that no manifest content can inject into) and action.yml."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.engine import LintConfig, lint
from gwlint.reporters import summary
from gwlint.reporters.github_report import escape_data, escape_property

ROOT = Path(__file__).resolve().parent.parent

HOSTILE = "gw%25\r\n::error file=x.yaml,line=1::pwned,a:b"
HOSTILE_YAML = r'"gw%25\r\n::error file=x.yaml,line=1::pwned,a:b"'


def invoke(args: list[str], cwd: Path, env: dict[str, str] | None = None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


def route(name: str, parent: str, namespace: str = "app", hostname: str = "web.example.com") -> str:
    return textwrap.dedent(f"""\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {name}
          namespace: {namespace}
        spec:
          parentRefs:
          - name: {parent}
          hostnames:
          - {hostname}
        """)


_UNESCAPE = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: _UNESCAPE[m.group(0)], text)


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one line the way the Actions runner does (ActionCommand.TryParseV2)."""
    assert line.startswith("::"), line
    head, sep, data = line[2:].partition("::")
    assert sep, line
    name, _, props = head.partition(" ")
    properties = {}
    for prop in props.split(",") if props else []:
        key, eq, value = prop.partition("=")
        assert eq, prop
        properties[key] = unescape(value)
    return name, properties, unescape(data)


def test_escaping_matches_the_toolkit():
    # @actions/core command.ts: escapeData and escapeProperty
    assert escape_data("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext: a,b"
    assert escape_property("100% done\r\nnext: a,b") == "100%25 done%0D%0Anext%3A a%2Cb"
    assert escape_data("%0A") == "%250A"  # escaped first, so an escape can't be smuggled in
    assert escape_data("\x1b[31mred") == "\\x1b[31mred"  # other controls made visible


def test_hostile_strings_cannot_inject_workflow_commands(tmp_path):
    files = {
        "we,ird:name%0A.yaml": route("web", HOSTILE_YAML),
        "ok.yaml": route("other", "missing", hostname="api.example.com"),
    }
    for rel, text in files.items():
        (tmp_path / rel).write_text(text, encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101", "."], tmp_path)
    assert result.exit_code == 1
    lines = result.stdout.split("\n")
    assert lines[-1] == ""
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    token = lines[stop].split("::")[2]
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    assert lines[-2] == f"::{token}::"  # commands resume only after the whole text report
    assert token not in "\n".join(lines[stop + 1:-2])

    annotations = [parse_command(line) for line in lines[:stop]]
    assert len(annotations) == 2  # one line per finding: CR/LF could not split a command
    by_file = {props["file"]: (name, props, data) for name, props, data in annotations}
    name, props, data = by_file["we,ird:name%0A.yaml"]
    assert name == "error"
    assert set(props) == {"file", "line", "endLine", "col", "endColumn", "title"}
    assert props["title"] == "GW101 parent-ref-unresolved"
    assert (props["line"], props["endLine"], props["col"]) == ("8", "8", "5")
    assert data.startswith(f"parentRef Gateway '{HOSTILE}' not found in namespace 'app'")
    # the raw escaped line keeps every separator escaped
    raw = next(line for line in lines[:stop] if "pwned" in line)
    assert "\r" not in raw and "%0D%0A::error file=x.yaml" in raw  # data may contain "::"
    assert "file=we%2Cird%3Aname%250A.yaml," in raw

    # the full text report follows, without colour and with control characters visible
    body = lines[stop + 1:-2]
    assert not any("\x1b" in line or "\r" in line for line in body)
    assert any(line.startswith("we,ird:name%0A.yaml:8:5: GW101 error") and "\\r\\n" in line
               for line in body)
    assert body[-1].startswith("2 errors, 0 warnings, 0 infos")


def _commands(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    lines = stdout.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    return [parse_command(line) for line in lines[:stop]]


def test_at_most_ten_per_level_then_a_notice_and_everything_in_the_text_report(tmp_path):
    # 12 errors (more than GitHub shows per step) and a warning-level GW101 (unknown namespace)
    for i in range(12):
        (tmp_path / f"r{i:02}.yaml").write_text(route(f"r{i}", "missing"), encoding="utf-8")
    elsewhere = route("z", "gw").replace("- name: gw\n", "- name: gw\n    namespace: elsewhere\n")
    (tmp_path / "z.yaml").write_text(elsewhere, encoding="utf-8")
    (tmp_path / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n",
                                      encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101"], tmp_path)
    commands = _commands(result.stdout)
    assert [c[0] for c in commands] == ["error"] * 10 + ["warning", "notice"]
    assert [c[1]["file"] for c in commands[:10]] == [f"r{i:02}.yaml" for i in range(10)]
    _, props, data = commands[-1]
    assert "file" not in props and props["title"] == "gwlint: 2 more not annotated"
    assert data.startswith("2 errors not shown as annotations: GitHub shows at most 10 error")
    assert "Every finding is in the report that follows in this step's log." in data
    body = result.stdout.split("::stop-commands::", 1)[1]
    assert body.count(": GW101 ") == 13
    assert "12 errors, 1 warning, 0 infos" in body


def test_nothing_cut_means_no_closing_notice(tmp_path):
    for i in range(10):
        (tmp_path / f"r{i:02}.yaml").write_text(route(f"r{i}", "missing"), encoding="utf-8")
    commands = _commands(invoke(["--format", "github", "--select", "GW101"], tmp_path).stdout)
    assert [c[0] for c in commands] == ["error"] * 10


def test_more_than_ten_infos_leave_room_for_the_closing_notice(tmp_path):
    (tmp_path / ".gwlint.yaml").write_text("severity: {GW101: info}\n", encoding="utf-8")
    for i in range(11):
        (tmp_path / f"r{i:02}.yaml").write_text(route(f"r{i}", "missing"), encoding="utf-8")
    commands = _commands(invoke(["--format", "github", "--select", "GW101"], tmp_path).stdout)
    assert [c[0] for c in commands] == ["notice"] * 10  # 9 findings and the closing notice
    assert commands[-1][2].startswith("2 infos not shown as annotations")


def test_annotations_most_worth_seeing_first(tmp_path):
    # both warnings: GW101 (an error-level rule made a warning) before GW302 (a warning rule),
    # even though its file sorts last; errors before both
    (tmp_path / ".gwlint.yaml").write_text("severity: {GW101: warning}\n", encoding="utf-8")
    split = textwrap.dedent("""\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: split, namespace: app}
        spec:
          rules:
          - backendRefs:
            - {name: a, port: 80, weight: 90}
            - {name: b, port: 80}
        """)
    (tmp_path / "a.yaml").write_text(split, encoding="utf-8")
    (tmp_path / "z.yaml").write_text(route("web", "missing"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text("a: [\n", encoding="utf-8")  # GW001, an error
    result = invoke(["--format", "github", "--select", "GW001,GW101,GW302"], tmp_path)
    order = [(c[0], c[1]["title"].split()[0]) for c in _commands(result.stdout)]
    assert order == [("error", "GW001"), ("warning", "GW101"), ("warning", "GW302")]


def test_info_is_a_notice_with_columns_on_one_line(tmp_path):
    (tmp_path / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    (tmp_path / ".gwlint.yaml").write_text("severity: {GW101: info}\n", encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101", "."], tmp_path)
    first = result.stdout.splitlines()[0]
    name, props, _ = parse_command(first)
    assert name == "notice"
    assert props["line"] == props["endLine"] and "col" in props


def test_multi_line_region_has_no_columns(tmp_path):
    text = route("web", "missing").replace("  - name: missing\n",
                                           "  - name: missing\n    sectionName: http\n")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101", "."], tmp_path)
    _, props, _ = parse_command(result.stdout.splitlines()[0])
    assert (props["line"], props["endLine"]) == ("8", "9")
    assert "col" not in props and "endColumn" not in props


def test_github_format_is_automatic_in_actions(tmp_path):
    (tmp_path / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    auto = invoke(["--select", "GW101", "."], tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert auto.stdout.startswith("::error file=r.yaml,line=8,")
    explicit = invoke(["--select", "GW101", "--format", "text", "."], tmp_path,
                      env={"GITHUB_ACTIONS": "true"})
    assert explicit.stdout.startswith("r.yaml:8:5: GW101")
    plain = invoke(["--select", "GW101", "."], tmp_path, env={"GITHUB_ACTIONS": "false"})
    assert plain.stdout.startswith("r.yaml:8:5: GW101")


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def test_annotation_paths_are_relative_to_the_repository_root(tmp_path):
    git_init(tmp_path)
    for rel in ("apps/r.yaml", "infra/gw.yaml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "apps" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    (tmp_path / "infra" / "gw.yaml").write_text(route("other", "missing"), encoding="utf-8")
    for cwd, args in ((tmp_path / "apps", [".."]), (tmp_path / "apps", ["../infra", "."]),
                      (tmp_path, ["."]), (tmp_path / "infra", ["../apps/r.yaml", "gw.yaml"])):
        result = invoke(["--format", "github", "--select", "GW101", *args], cwd)
        files = sorted(c[1]["file"] for c in _commands(result.stdout))
        assert files == ["apps/r.yaml", "infra/gw.yaml"], (cwd, args)
    # the text report that follows keeps the paths as given, relative to the current directory
    result = invoke(["--format", "github", "--select", "GW101", ".."], tmp_path / "apps")
    assert "\nr.yaml:8:5: GW101" in result.stdout


def test_annotation_paths_outside_git_are_relative_to_the_current_directory(tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101", "k8s"], tmp_path,
                    env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert _commands(result.stdout)[0][1]["file"] == "k8s/r.yaml"


def test_output_file_in_actions_keeps_the_annotations_in_the_log(tmp_path):
    (tmp_path / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    result = invoke(["--select", "GW101", "-o", "report.txt", "."], tmp_path,
                    env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert (tmp_path / "report.txt").read_text().startswith("r.yaml:8:5: GW101")  # text
    lines = result.stdout.splitlines()
    assert parse_command(lines[0])[:2] == ("error", {**parse_command(lines[0])[1],
                                                      "file": "r.yaml"})
    assert lines[-1] == "gwlint: text report written to report.txt"
    sarif = invoke(["--select", "GW101", "-o", "out.sarif", "."], tmp_path,
                   env={"GITHUB_ACTIONS": "true"})
    assert json.loads((tmp_path / "out.sarif").read_text())["version"] == "2.1.0"
    assert sarif.stdout.startswith("::error file=r.yaml,")
    local = invoke(["--select", "GW101", "-o", "report.txt", "."], tmp_path,
                   env={"GITHUB_ACTIONS": "false"})
    assert local.stdout == ""


# --- the job summary ------------------------------------------------------------------------------
SUMMARY_ENV = {"GITHUB_SERVER_URL": "https://github.example", "GITHUB_REPOSITORY": "acme/k8s",
               "GITHUB_SHA": "0123abcd"}


def test_job_summary_counts_and_findings_with_links(tmp_path):
    git_init(tmp_path)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    hostile = route("evil", "x|<img src=x onerror=alert(1)>*@admin*")
    (tmp_path / "apps" / "evil.yaml").write_text(hostile, encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("earlier step output\n", encoding="utf-8")
    result = invoke(["--select", "GW101", "--format", "json", "."], tmp_path / "apps",
                    env={"GITHUB_STEP_SUMMARY": str(summary_file), **SUMMARY_ENV})
    assert result.exit_code == 1
    text = summary_file.read_text(encoding="utf-8")
    assert text.startswith("earlier step output\n## gwlint: 2 errors, 0 warnings, 0 infos")
    assert "| error | 2 |" in text and "| warning | 0 |" in text
    assert "| GW101 | parent\\-ref\\-unresolved | 2 | 0 | 0 |" not in text  # names as written
    assert "| GW101 | parent-ref-unresolved | 2 | 0 | 0 |" in text
    assert ("[apps/r.yaml:8](https://github.example/acme/k8s/blob/0123abcd/apps/r.yaml#L8)"
            in text)
    row = next(line for line in text.splitlines() if "apps/evil.yaml" in line)
    assert not re.search(r"(?<!\\)[<>|@*]", row.strip("| ").replace(" | ", ""))
    assert "\\<img" in row and "\\|" in row and "\\@admin" in row
    assert row.count(" | ") == 3  # the pipe in the name did not add a cell


def test_job_summary_rows_name_the_predicted_condition(tmp_path):
    # a route in `app` for a listener that admits only its own namespace (allowedRoutes
    # defaults to Same): the controller writes Accepted=False NotAllowedByListeners on the route
    gateway = textwrap.dedent("""\
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: gw, namespace: infra}
        spec:
          gatewayClassName: example
          listeners:
          - {name: http, protocol: HTTP, port: 80}
        """)
    attached = route("web", "gw").replace("- name: gw\n", "- name: gw\n    namespace: infra\n")
    (tmp_path / "gw.yaml").write_text(gateway, encoding="utf-8")
    (tmp_path / "r.yaml").write_text(attached, encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    invoke(["--select", "GW202", "-q", "."], tmp_path,
           env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    rows = [line for line in summary_file.read_text(encoding="utf-8").splitlines()
            if line.startswith("| r.yaml:")]
    assert len(rows) == 1 and rows[0].startswith("| r.yaml:8 | GW202 error | HTTPRoute app/web ")
    assert rows[0].endswith(" | Accepted=False NotAllowedByListeners |")


def test_job_summary_without_commit_variables_has_plain_locations(tmp_path):
    (tmp_path / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    invoke(["--select", "GW101", "-q", "."], tmp_path,
           env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    text = summary_file.read_text(encoding="utf-8")
    assert "| r.yaml:8 | GW101 error |" in text and "](" not in text


def test_clean_run_summary_and_no_summary_without_the_variable(tmp_path):
    (tmp_path / "gw.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
                                      encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    assert invoke(["."], tmp_path, env={"GITHUB_STEP_SUMMARY": str(summary_file)}).exit_code == 0
    assert summary_file.read_text().startswith("## gwlint: no problems found")
    assert "### Findings" not in summary_file.read_text()
    summary_file.unlink()
    invoke(["."], tmp_path, env={"GITHUB_STEP_SUMMARY": ""})
    assert not summary_file.exists()


def test_job_summary_stops_before_githubs_size_limit(tmp_path):
    for i in range(30):
        (tmp_path / f"r{i:02}.yaml").write_text(route(f"r{i}", "missing"), encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        report = lint(LintConfig(paths=["."], select=["GW101"]))
        whole = summary.render(report, SUMMARY_ENV)
        assert whole.count("| GW101 error |") == 30 and "findings are listed" not in whole
        budget = len(whole.encode()) // 2
        cut = summary.render(report, SUMMARY_ENV, budget=budget)
    finally:
        os.chdir(old)
    assert len(cut.encode("utf-8")) <= budget
    shown = cut.count("| GW101 error |")
    assert 0 < shown < 30
    assert f"_{shown} of 30 findings are listed: GitHub accepts at most 1 MiB" in cut
    assert summary.LIMIT == 1024 * 1024


def test_job_summary_respects_what_the_step_already_wrote(tmp_path):
    (tmp_path / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    summary_file.write_text("x" * (summary.LIMIT - 300), encoding="utf-8")
    invoke(["--select", "GW101", "-q", "."], tmp_path,
           env={"GITHUB_STEP_SUMMARY": str(summary_file)})
    assert summary_file.stat().st_size <= summary.LIMIT


# --- action.yml -------------------------------------------------------------------------------
def load_action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_action_is_composite_with_the_documented_inputs():
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert {"paths", "args", "format", "sarif-file"} <= set(action["inputs"])
    assert action["inputs"]["format"]["default"] == "github"
    run_steps = [s for s in action["runs"]["steps"] if "run" in s]
    assert run_steps and all(s.get("shell") == "bash" for s in run_steps)
    install = next(s for s in run_steps if "pip install" in s["run"])
    assert '"$GITHUB_ACTION_PATH"' in install["run"]


def test_action_never_interpolates_expressions_into_scripts():
    action = load_action()
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step.get("name")
    env = next(s for s in action["runs"]["steps"] if s.get("id") == "run")["env"]
    assert env == {"GWLINT_PATHS": "${{ inputs.paths }}", "GWLINT_ARGS": "${{ inputs.args }}",
                   "GWLINT_FORMAT": "${{ inputs.format }}",
                   "GWLINT_SARIF_FILE": "${{ inputs.sarif-file }}",
                   "GWLINT_JOB_SUMMARY": "${{ inputs.job-summary }}"}


def action_step(step_id: str) -> dict:
    return next(s for s in load_action()["runs"]["steps"] if s.get("id") == step_id)


def run_action_step(tmp_path: Path, step_id: str, env: dict[str, str]
                    ) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    """Run one of the action's bash steps as the runner would: its script with `bash -e`, in the
    repository, with RUNNER_TEMP holding the install step's venv (the one running these tests),
    GITHUB_OUTPUT a fresh file; returns the process and the outputs it set."""
    runner_temp = tmp_path / "runner-temp"
    if not runner_temp.exists():
        runner_temp.mkdir()
        (runner_temp / "gwlint-venv").symlink_to(sys.prefix, target_is_directory=True)
    output = tmp_path / f"github-output-{step_id}"
    output.write_text("", encoding="utf-8")
    full_env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output),
                "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(ROOT), **env}
    if "GITHUB_STEP_SUMMARY" not in env:  # the job summary only where a test asks for one
        full_env.pop("GITHUB_STEP_SUMMARY", None)
    proc = subprocess.run(["bash", "-e", "-c", action_step(step_id)["run"]],
                          cwd=tmp_path / "repo", env=full_env, capture_output=True, text=True,
                          timeout=300, stdin=subprocess.DEVNULL)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return proc, outputs


GOOD_INPUTS = {"GWLINT_FORMAT": "github", "GWLINT_JOB_SUMMARY": "true",
               "GWLINT_SARIF_FILE": "gwlint.sarif", "GWLINT_PYTHON_VERSION": "3.12"}


def final_outputs(tmp_path: Path, run_outputs: dict[str, str]) -> dict[str, str]:
    """The `Outputs` step (if: always()) given what the run step set (nothing if it never ran)."""
    _, outputs = run_action_step(tmp_path, "result", {
        "GWLINT_EXIT_CODE": run_outputs.get("exit-code", ""),
        "GWLINT_SARIF_WRITTEN": run_outputs.get("sarif-file", "")})
    return outputs


def test_action_outputs_come_from_a_step_that_always_runs():
    action = load_action()
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.result.outputs.exit-code }}"
    assert action["outputs"]["sarif-file"]["value"] == "${{ steps.result.outputs.sarif-file }}"
    assert action_step("result")["if"] == "always()"
    assert action["runs"]["steps"][-1]["id"] == "result"
    assert action["runs"]["steps"][0]["id"] == "inputs"  # bad inputs fail before installing
    cache = next(s for s in action["runs"]["steps"]
                 if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"] == {"path": "${{ steps.pip-cache.outputs.dir }}",
                             "key": "${{ steps.pip-cache.outputs.key }}"}


@pytest.mark.parametrize("bad,message", [
    ({"GWLINT_FORMAT": "xml"}, "unknown format input 'xml': use github, sarif, text or json"),
    ({"GWLINT_JOB_SUMMARY": "yes"}, "job-summary input must be true or false"),
    ({"GWLINT_FORMAT": "sarif", "GWLINT_SARIF_FILE": ""}, "format sarif needs a sarif-file"),
    ({"GWLINT_PYTHON_VERSION": ""}, "python-version input is empty"),
])
def test_action_bad_inputs_fail_first_with_a_clear_message(tmp_path, bad, message):
    (tmp_path / "repo").mkdir()
    proc, _ = run_action_step(tmp_path, "inputs", {**GOOD_INPUTS, **bad})
    assert proc.returncode == 2
    assert proc.stdout.startswith("::error title=gwlint action::" + message)
    assert final_outputs(tmp_path, {}) == {"exit-code": "2", "sarif-file": ""}


def test_action_good_inputs_pass_the_check(tmp_path):
    (tmp_path / "repo").mkdir()
    for fmt in ("github", "sarif", "text", "json"):
        proc, _ = run_action_step(tmp_path, "inputs", {**GOOD_INPUTS, "GWLINT_FORMAT": fmt})
        assert proc.returncode == 0 and proc.stdout == "", proc.stdout


def test_action_pip_cache_key_step(tmp_path):
    (tmp_path / "repo").mkdir()
    proc, outputs = run_action_step(tmp_path, "pip-cache", {"GWLINT_PYTHON": sys.executable,
                                                            "RUNNER_OS": "Linux"})
    assert proc.returncode == 0, proc.stderr
    version = "{}.{}".format(*sys.version_info[:2])
    assert re.fullmatch(rf"gwlint-pip-Linux-{re.escape(version)}-[0-9a-f]{{16}}", outputs["key"])
    assert outputs["dir"]


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
def test_action_run_step_annotations_summary_and_sarif(tmp_path):
    repo = tmp_path / "repo"
    (repo / "k 8s").mkdir(parents=True)
    (repo / "k 8s" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    summary_file = tmp_path / "summary.md"
    proc, outputs = run_action_step(tmp_path, "run", {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --fail-on error",
        "GWLINT_FORMAT": "github", "GWLINT_SARIF_FILE": "gwlint.sarif",
        "GWLINT_JOB_SUMMARY": "true", "GITHUB_STEP_SUMMARY": str(summary_file)})
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=k 8s/r.yaml,line=8,")
    assert outputs == {"exit-code": "1", "sarif-file": ""}
    assert final_outputs(tmp_path, outputs) == outputs
    assert summary_file.read_text().startswith("## gwlint: 1 error")

    summary_file.unlink()
    proc, outputs = run_action_step(tmp_path, "run", {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --exit-zero",
        "GWLINT_FORMAT": "sarif", "GWLINT_SARIF_FILE": "out/gwlint.sarif",
        "GWLINT_JOB_SUMMARY": "false", "GITHUB_STEP_SUMMARY": str(summary_file)})
    assert proc.returncode == 2 and "cannot write out/gwlint.sarif" in proc.stderr
    assert outputs == {"exit-code": "2", "sarif-file": ""}
    assert "no SARIF file was written" in proc.stdout
    (repo / "out").mkdir()
    proc, outputs = run_action_step(tmp_path, "run", {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --exit-zero",
        "GWLINT_FORMAT": "sarif", "GWLINT_SARIF_FILE": "out/gwlint.sarif",
        "GWLINT_JOB_SUMMARY": "false", "GITHUB_STEP_SUMMARY": str(summary_file)})
    assert proc.returncode == 0, proc.stderr
    assert outputs == {"exit-code": "0", "sarif-file": "out/gwlint.sarif"}
    assert final_outputs(tmp_path, outputs) == outputs
    sarif = json.loads((repo / "out" / "gwlint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["GW101"]
    assert "1 result(s) written to out/gwlint.sarif" in proc.stdout
    assert proc.stdout.startswith("::error file=k 8s/r.yaml,")  # annotations still in the log
    assert not summary_file.exists()  # job-summary: false


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
@pytest.mark.parametrize("env,message", [
    ({"GWLINT_ARGS": "--select 'GW101"}, "cannot read the args input (No closing quotation)"),
    ({"GWLINT_PATHS": "'k8s"}, "cannot read the paths input (No closing quotation)"),
    ({"GWLINT_FORMAT": "xml"}, "unknown format input"),
])
def test_action_run_step_bad_inputs_set_the_outputs(tmp_path, env, message):
    (tmp_path / "repo").mkdir()
    proc, outputs = run_action_step(tmp_path, "run", {**GOOD_INPUTS, **env})
    assert proc.returncode == 2
    assert proc.stdout.startswith(f"::error title=gwlint action::{message}")
    assert outputs == {"exit-code": "2", "sarif-file": ""}


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
def test_action_bad_args_never_output_a_stale_sarif_file(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "gwlint.sarif").write_text("{}", encoding="utf-8")  # from an earlier run
    (repo / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    proc, outputs = run_action_step(tmp_path, "run", {
        **GOOD_INPUTS, "GWLINT_FORMAT": "sarif", "GWLINT_ARGS": "--select GW999x",
        "GWLINT_PATHS": "."})
    assert proc.returncode == 2 and "unknown rule selector" in proc.stderr
    assert outputs == {"exit-code": "2", "sarif-file": ""}


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
@pytest.mark.parametrize("fmt,args,name", [
    ("sarif", "--select GW101 -o other.sarif", "-o"),
    ("sarif", "--output=other.sarif", "--output"),
    ("sarif", "--statistics", "--statistics"),
    ("sarif", "--format json", "--format"),
    ("github", "--format=json", "--format"),
])
def test_action_args_may_not_override_the_format_and_sarif_file_inputs(tmp_path, fmt, args,
                                                                       name):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    proc, outputs = run_action_step(tmp_path, "run", {
        **GOOD_INPUTS, "GWLINT_FORMAT": fmt, "GWLINT_ARGS": args, "GWLINT_PATHS": "."})
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"::error title=gwlint action::the args input may not "
                                  f"contain {name} with format {fmt}: use the format and "
                                  "sarif-file inputs")
    assert outputs == {"exit-code": "2", "sarif-file": ""}
    assert not (repo / "other.sarif").exists()


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
def test_action_never_outputs_an_earlier_runs_sarif_file(tmp_path):
    # a run that exits 1 without writing sarif-file (the report went elsewhere: `-qo`, which
    # the args check does not parse) must not hand an earlier run's valid SARIF to the upload
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    earlier = {"version": "2.1.0", "runs": [{"results": [{"ruleId": "GW999"}]}]}
    (repo / "gwlint.sarif").write_text(json.dumps(earlier), encoding="utf-8")
    proc, outputs = run_action_step(tmp_path, "run", {
        **GOOD_INPUTS, "GWLINT_FORMAT": "sarif", "GWLINT_ARGS": "--select GW101 -qo x.sarif",
        "GWLINT_PATHS": "."})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert outputs == {"exit-code": "1", "sarif-file": ""}
    assert "gwlint exited 1: no SARIF file was written" in proc.stdout
    assert not (repo / "gwlint.sarif").exists()
