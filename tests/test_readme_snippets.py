"""Every snippet of the README works as written.

The fenced blocks are extracted from README.md and, by kind:

* YAML and TOML parse; the `.gwlint.yaml` and `[tool.gwlint]` examples are valid gwlint
  configurations;
* GitHub workflows use only inputs the action declares and pin the release tag; the pre-commit
  configuration passes `pre-commit validate-config`, names hooks the manifest declares and pins
  the release tag; and (slow) it runs as written with the real pre-commit against a copy of this
  repository tagged by `scripts/release.py` (only the repository URL is replaced: there is no
  network);
* every `gwlint ...` command line of a shell block runs against a copy of the demo repository and
  exits 0 or 1 (findings), never 2 (a usage error: the snippet would be wrong); a plain
  `gwlint ARGS` line runs gwlint's click command in this process, any other line bash. Lines
  that need other programs (helm, kustomize, dot) or install/test the project are listed in
  SKIPPED, with the reason, so a new snippet is run unless someone decides otherwise.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
import release  # noqa: E402 - the release script is the source of the tag name

from support import inprocess  # noqa: E402

from gwlint.configfile import parse_config  # noqa: E402

TAG = release.release_tag()
_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)

# shell lines that are not run, and why
SKIPPED = {
    "helm template": "needs helm",
    "kustomize build": "needs kustomize",
    "| dot ": "needs Graphviz",
    "pip install": "installs the project (CI runs these lines: .ci/run)",
    "python -m pytest": "the test suite itself",
    "python3 -m venv": "creates a virtualenv (.ci/run)",
    "python scripts/": "regenerates the repository's artifacts",
    "python benchmarks/": "the benchmark",
    "python tests/fuzz/": "the long fuzz run",
}


def blocks(lang: str | None = None) -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    found = [(m.group(1), m.group(2)) for m in _FENCE.finditer(text)]
    return [b for b in found if lang is None or b[0] == lang]


def yaml_blocks() -> list[str]:
    return [body for lang, body in blocks("yaml")]


def workflows() -> list[dict]:
    docs = [yaml.safe_load(body) for body in yaml_blocks()]
    return [d for d in docs if isinstance(d, dict) and "jobs" in d]


def pre_commit_configs() -> list[str]:
    return [body for body in yaml_blocks() if re.search(r"^repos:", body, re.MULTILINE)]


def gwlint_lines() -> list[str]:
    lines = []
    for _, body in blocks("shell"):
        for line in body.splitlines():
            command = line.split(" #", 1)[0].strip()
            if "gwlint" in command and not any(key in command for key in SKIPPED):
                lines.append(command)
    return lines


def test_the_readme_has_the_snippets_this_test_expects():
    assert len(workflows()) >= 2 and len(pre_commit_configs()) == 1
    assert len(gwlint_lines()) >= 10


@pytest.mark.parametrize("body", yaml_blocks())
def test_yaml_snippets_parse(body):
    assert list(yaml.safe_load_all(body)) is not None


@pytest.mark.parametrize("body", [b for lang, b in blocks("toml")])
def test_toml_snippets_parse_and_configure_gwlint(tmp_path, body):
    tomllib.loads(body)
    if "[tool.gwlint]" in body:
        (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
        assert parse_config(tmp_path / "pyproject.toml")


def test_the_configuration_example_is_valid(tmp_path):
    [example] = [b for b in yaml_blocks() if b.startswith("# .gwlint.yaml")]
    (tmp_path / ".gwlint.yaml").write_text(example, encoding="utf-8")
    assert parse_config(tmp_path / ".gwlint.yaml")


def test_every_release_ref_is_the_release_tag():
    refs = release.readme_refs()
    assert len(refs) >= 4  # pre-commit rev, two workflows, pip install
    assert set(refs) == {TAG}, f"the README names {sorted(set(refs))}, the release tag is {TAG}"


def test_workflows_use_only_the_inputs_the_action_declares():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    ours = [step for wf in workflows() for job in wf["jobs"].values() for step in job["steps"]
            if str(step.get("uses", "")).startswith("gwlint/gwlint@")]
    assert len(ours) >= 2
    for step in ours:
        assert step["uses"] == f"gwlint/gwlint@{TAG}"
        assert set(step.get("with", {})) <= set(action["inputs"]), step
        fmt = step.get("with", {}).get("format", "github")
        assert fmt in ("github", "sarif", "text", "json")
        if "args" in step.get("with", {}):
            shlex.split(step["with"]["args"])  # the action reads it shell-style


def test_the_sarif_workflow_uploads_the_file_the_action_writes():
    for wf in workflows():
        steps = [s for job in wf["jobs"].values() for s in job["steps"]]
        uploads = [s for s in steps if "upload-sarif" in str(s.get("uses", ""))]
        for upload in uploads:
            ours = next(s for s in steps if str(s.get("uses", "")).startswith("gwlint/"))
            assert ours["with"]["format"] == "sarif"
            assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]
            assert wf["permissions"]["security-events"] == "write"


def test_the_pre_commit_snippet_names_declared_hooks_and_is_valid(tmp_path):
    [body] = pre_commit_configs()
    config = yaml.safe_load(body)
    manifest = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    [repo] = config["repos"]
    assert repo["rev"] == TAG
    assert {h["id"] for h in repo["hooks"]} <= manifest
    commented = re.findall(r"#\s*- id: (\S+)", body)  # the alternative shown as a comment
    assert set(commented) <= manifest
    pytest.importorskip("pre_commit")
    (tmp_path / ".pre-commit-config.yaml").write_text(body, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config",
                           str(tmp_path / ".pre-commit-config.yaml")],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A directory with what the snippets name: k8s/ and clusters/ (the demo repository)."""
    root = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples" / "demo", root / "k8s")
    for cluster in ("prod", "staging"):
        shutil.copytree(ROOT / "examples" / "demo", root / "clusters" / cluster)
    return root


def plain_gwlint(line: str) -> list[str] | None:
    """The arguments of a line that is only `gwlint ARGS` (no pipe, redirection, variable or
    second command: bash would pass exactly these words), else None."""
    unquoted = re.sub(r"'[^']*'", "", line)  # bash expands $ and ` inside double quotes
    if any(c in unquoted for c in "|&;<>()$`\\*?[{~#\n"):
        return None
    words = shlex.split(line)
    return words[1:] if words[:1] == ["gwlint"] else None


def run_shell_line(line: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("line", gwlint_lines())
def test_every_gwlint_command_line_runs(workspace, line):
    """A plain `gwlint ARGS` line runs gwlint's click command in this process (the words bash
    would pass; 0.25 s of start-up saved per line); any other line runs in bash. The console
    script and bash's reading of a plain line are tested once, below."""
    args = plain_gwlint(line)
    if args is None:
        if not (BIN / "gwlint").exists():
            pytest.skip("gwlint is not installed next to the test interpreter")
        proc = run_shell_line(line, workspace)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    else:
        run = inprocess.gwlint(args, cwd=workspace, stdin=b"")
        code, out, err = run.returncode, run.stdout, run.stderr
    assert code in (0, 1), f"{line}\n{out[-2000:]}{err[-2000:]}"
    assert "Usage:" not in err and "error:" not in err, err


@pytest.mark.skipif(not (BIN / "gwlint").exists(), reason="gwlint is not installed next to the "
                                                         "test interpreter")
def test_a_plain_command_line_runs_the_console_script_in_bash(workspace):
    """The in-process runs above stand for `bash -c LINE`: the installed console script, given
    the same words, exits alike and prints the same report."""
    line = next(line for line in gwlint_lines() if plain_gwlint(line) and "--statistics" in line)
    proc = run_shell_line(line, workspace)
    run = inprocess.gwlint(plain_gwlint(line) or [], cwd=workspace, stdin=b"")
    assert proc.returncode == run.returncode == 1, (proc.stderr, run.stderr)
    assert proc.stdout == run.stdout and "GW" in proc.stdout, (proc.stdout, run.stdout)
    assert proc.stderr == "", proc.stderr


def test_release_script_refuses_a_readme_that_names_another_ref(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.3"\n')
    (tmp_path / "README.md").write_text("    rev: v1.2.3\nuses: gwlint/gwlint@v1\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert release.release_tag(tmp_path) == "v1.2.3"
    assert release.problems(tmp_path) == ["README names v1, the release is v1.2.3"]


def test_release_script_tags_a_clean_tree_once(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "1.2.3"\n')
    (tmp_path / "README.md").write_text("    rev: v1.2.3\nuses: gwlint/gwlint@v1.2.3\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t.invalid",
           "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "c"], check=True)
    assert release.problems(tmp_path) == []
    (tmp_path / "README.md").write_text("    rev: v1.2.3\n")  # uncommitted
    assert release.problems(tmp_path) == ["the work tree has uncommitted changes"]
    subprocess.run([*git, "commit", "-q", "-am", "d"], check=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid",
           "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "tag.gpgsign",
           "GIT_CONFIG_VALUE_0": "false"}
    script = [sys.executable, str(ROOT / "scripts" / "release.py"), "--repo", str(tmp_path)]
    tagged = subprocess.run(script, capture_output=True, text=True, env=env)
    assert tagged.returncode == 0, tagged.stderr
    assert subprocess.run([*git, "tag", "--list"], capture_output=True, text=True,
                          check=True).stdout.split() == ["v1.2.3"]
    again = subprocess.run(script, capture_output=True, text=True, env=env)
    assert again.returncode == 1
    assert "tag v1.2.3 exists already" in again.stderr


@pytest.mark.slow
def test_the_pre_commit_snippet_runs_as_written(tmp_path):
    """The README's .pre-commit-config.yaml, verbatim but for the repository URL (a local copy
    of this repository, tagged by the release script), installs and runs its hook."""
    pytest.importorskip("pre_commit")
    from test_integrations_precommit import GATEWAY, copy_project, git, pre_commit, route, write

    src = copy_project(tmp_path / "gwlint-src")
    tagged = subprocess.run([sys.executable, str(ROOT / "scripts" / "release.py"), "--repo",
                             str(src)], capture_output=True, text=True)
    assert tagged.returncode == 0, tagged.stdout + tagged.stderr
    assert git(src, "tag", "--list").split() == [TAG]
    [body] = pre_commit_configs()
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    config = body.replace("https://github.com/gwlint/gwlint", str(src))
    assert config.count(str(src)) == 1 and f"rev: {TAG}" in config
    write(work, {".pre-commit-config.yaml": config, "infra/gateway.yaml": GATEWAY,
                 "apps/bad.yaml": route("bad", gateway="nope")})
    git(work, "add", "-A")
    proc = pre_commit(work, tmp_path / "home", "run", "--verbose")
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "apps/bad.yaml:8:5: GW101" in proc.stdout
