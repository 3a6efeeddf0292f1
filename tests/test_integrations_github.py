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


def test_most_severe_first_and_everything_in_the_text_report(tmp_path):
    # 12 errors (more than GitHub shows per step) and a warning-level GW101 (unknown namespace)
    for i in range(12):
        (tmp_path / f"r{i:02}.yaml").write_text(route(f"r{i}", "missing"), encoding="utf-8")
    elsewhere = route("z", "gw").replace("- name: gw\n", "- name: gw\n    namespace: elsewhere\n")
    (tmp_path / "z.yaml").write_text(elsewhere, encoding="utf-8")
    (tmp_path / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n",
                                      encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101"], tmp_path)
    lines = result.stdout.splitlines()
    stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
    kinds = [line.split(" ", 1)[0] for line in lines[:stop]]
    assert kinds == ["::error"] * 12 + ["::warning"]
    body = "\n".join(lines[stop + 1:])
    assert body.count(": GW101 ") == 13
    assert "12 errors, 1 warning, 0 infos" in body


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


def test_annotation_paths_are_relative_to_the_workspace(tmp_path):
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    result = invoke(["--format", "github", "--select", "GW101", "."], tmp_path / "k8s",
                    env={"GITHUB_WORKSPACE": str(tmp_path)})
    _, props, _ = parse_command(result.stdout.splitlines()[0])
    assert props["file"] == "k8s/r.yaml"
    assert "\nr.yaml:8:5: GW101" in result.stdout  # the text report keeps local paths


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
                   "GWLINT_SARIF_FILE": "${{ inputs.sarif-file }}"}


def _run_action_step(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.CompletedProcess,
                                                                     dict[str, str]]:
    """Run the action's `Run gwlint` script with bash, as the runner would (after the install step,
    whose venv is the one running these tests)."""
    step = next(s for s in load_action()["runs"]["steps"] if s.get("id") == "run")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    (runner_temp / "gwlint-venv").symlink_to(sys.prefix, target_is_directory=True)
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    full_env = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output),
                "GITHUB_ACTIONS": "true", **env}
    proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path / "repo", env=full_env,
                          capture_output=True, text=True, timeout=300)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if line)
    return proc, outputs


@pytest.mark.skipif(not (Path(sys.prefix) / "bin" / "gwlint").exists(),
                    reason="gwlint is not installed in the test interpreter's environment")
def test_action_run_step_annotations_and_sarif(tmp_path):
    repo = tmp_path / "repo"
    (repo / "k 8s").mkdir(parents=True)
    (repo / "k 8s" / "r.yaml").write_text(route("web", "missing"), encoding="utf-8")
    proc, outputs = _run_action_step(tmp_path, {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --fail-on error",
        "GWLINT_FORMAT": "github", "GWLINT_SARIF_FILE": "gwlint.sarif"})
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("::error file=k 8s/r.yaml,line=8,")
    assert outputs == {"exit-code": "1", "sarif-file": ""}

    (tmp_path / "runner-temp").rename(tmp_path / "runner-temp-1")
    proc, outputs = _run_action_step(tmp_path, {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --exit-zero",
        "GWLINT_FORMAT": "sarif", "GWLINT_SARIF_FILE": "out/gwlint.sarif"})
    assert proc.returncode == 2 and "cannot write out/gwlint.sarif" in proc.stderr
    (repo / "out").mkdir()
    (tmp_path / "runner-temp").rename(tmp_path / "runner-temp-2")
    proc, outputs = _run_action_step(tmp_path, {
        "GWLINT_PATHS": "'k 8s'", "GWLINT_ARGS": "--select GW101 --exit-zero",
        "GWLINT_FORMAT": "sarif", "GWLINT_SARIF_FILE": "out/gwlint.sarif"})
    assert proc.returncode == 0, proc.stderr
    assert outputs == {"exit-code": "0", "sarif-file": "out/gwlint.sarif"}
    sarif = json.loads((repo / "out" / "gwlint.sarif").read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["GW101"]
    assert "1 result(s) written to out/gwlint.sarif" in proc.stdout


def test_action_rejects_an_unknown_format(tmp_path):
    (tmp_path / "repo").mkdir()
    proc, outputs = _run_action_step(tmp_path, {"GWLINT_FORMAT": "xml"})
    assert proc.returncode == 2
    assert proc.stdout.startswith("::error title=gwlint action::unknown format input")
