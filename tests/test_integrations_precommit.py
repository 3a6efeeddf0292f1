"""pre-commit: the shipped hooks, run by the real `pre-commit` in temporary Git repositories.

* `gwlint` lints the whole repository graph (pass_filenames: false): what Git tracks plus what
  is staged, never an untracked scratch file.
* `gwlint-staged` loads the whole repository but reports only on the staged files; when pre-commit
  splits a long file list over several invocations, each one reports exactly its own files.
* A file filter that matched nothing leaves both green.

One test installs the hooks exactly as users get them (`pre-commit try-repo`, and a
.pre-commit-config.yaml naming the repository and a rev; language: python: pre-commit builds a
virtualenv and pip-installs this project from a Git copy of the working tree).
The split test uses a local `language: system` hook with the manifest's own settings, so that it
runs against the gwlint under test without another install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
GWLINT = Path(sys.executable).parent / "gwlint"

GIT = ["git", "-c", "user.name=gwlint tests", "-c", "user.email=tests@gwlint.invalid",
       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]

GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: shared
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
"""


def route(name: str, gateway: str = "shared", namespace: str = "infra") -> str:
    return textwrap.dedent(f"""\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: {name}
          namespace: app
        spec:
          parentRefs:
          - name: {gateway}
            namespace: {namespace}
        """)


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True,
                         stdin=subprocess.DEVNULL)
    return out.stdout


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def pre_commit(cwd: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1",
               GIT_AUTHOR_NAME="gwlint tests", GIT_AUTHOR_EMAIL="tests@gwlint.invalid",
               GIT_COMMITTER_NAME="gwlint tests", GIT_COMMITTER_EMAIL="tests@gwlint.invalid")
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def needs_pre_commit() -> None:
    pytest.importorskip("pre_commit", reason="the `pre-commit` package is not installed "
                                             "(pip install '.[test]')")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")


def project_files() -> list[str]:
    """The working tree's files as Git would commit them (tracked + untracked, not ignored)."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], capture_output=True, check=True)
        names = [n for n in out.stdout.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis"}
        names = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("*")
                 if p.is_file() and not skip & set(p.relative_to(ROOT).parts)]
    return [n for n in names if (ROOT / n).is_file()]


def copy_project(dest: Path) -> Path:
    """A Git repository holding this working tree (uncommitted changes included), for try-repo."""
    for name in project_files():
        if name.startswith(("benchmarks/corpus", "benchmarks/out")):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return dest


def work_repo(root: Path) -> Path:
    """A repository whose Gateway lives in a committed file the commits below never touch."""
    root.mkdir()
    git(root, "init", "-q")
    write(root, {".gwlint.yaml": "select: [GW101]\n", "infra/gateway.yaml": GATEWAY})
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "gateway")
    return root


def findings_in(output: str) -> list[str]:
    return sorted(line.split(": GW101 ")[0] for line in output.splitlines() if ": GW101 " in line)


# --- the manifest -----------------------------------------------------------------------------
def test_manifest_declares_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["gwlint"]["pass_filenames"] is False
    assert hooks["gwlint"]["entry"] == "gwlint --tracked-only --allow-empty"
    assert hooks["gwlint"]["require_serial"] is True
    assert hooks["gwlint"]["types_or"] == ["yaml", "json"]
    assert hooks["gwlint-staged"]["entry"] == "gwlint pre-commit-staged --tracked-only"
    assert hooks["gwlint-staged"]["pass_filenames"] is True
    assert hooks["gwlint-staged"]["types_or"] == ["yaml", "json"]
    assert all(h["language"] == "python" for h in hooks.values())


def test_manifest_is_valid_for_pre_commit():
    needs_pre_commit()
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- the staged-files command itself ----------------------------------------------------------
def test_pre_commit_staged_reports_only_its_files_but_loads_everything(tmp_path):
    write(tmp_path, {
        "infra/gateway.yaml": GATEWAY,
        "apps/good.yaml": route("good"),
        "apps/bad1.yaml": route("bad1", gateway="nope"),
        "apps/bad2.yaml": route("bad2", gateway="nope"),
        "apps/other-bad.yaml": route("other", gateway="nope"),
    })

    def staged(*files: str):
        old = os.getcwd()
        os.chdir(tmp_path)
        try:
            result = CliRunner().invoke(main, ["pre-commit-staged", "--select", "GW101",
                                               "--format", "json", *files])
        finally:
            os.chdir(old)
        doc = json.loads(result.stdout) if result.stdout else {"findings": []}
        return result.exit_code, sorted(f["file"] for f in doc["findings"])

    assert staged("apps/good.yaml") == (0, [])  # its Gateway is in an unstaged file
    both = staged("apps/bad1.yaml", "apps/good.yaml", "apps/bad2.yaml")
    assert both == (1, ["apps/bad1.yaml", "apps/bad2.yaml"])
    # pre-commit may split the list: each part reports exactly its own files
    assert staged("apps/bad1.yaml") == (1, ["apps/bad1.yaml"])
    assert staged("./apps/good.yaml", "apps/bad2.yaml") == (1, ["apps/bad2.yaml"])
    assert staged() == (0, [])


# --- the real pre-commit ----------------------------------------------------------------------
@pytest.mark.slow
def test_hooks_installed_by_pre_commit(tmp_path):
    """As users get them: `try-repo`, then a .pre-commit-config.yaml naming the repo and a rev."""
    needs_pre_commit()
    src = copy_project(tmp_path / "gwlint-src")
    rev = git(src, "rev-parse", "HEAD").strip()
    work = work_repo(tmp_path / "work")
    home = tmp_path / "pre-commit-home"
    config = {"repos": [{"repo": str(src), "rev": rev,
                         "hooks": [{"id": "gwlint"}, {"id": "gwlint-staged"}]}]}
    write(work, {".pre-commit-config.yaml": yaml.safe_dump(config)})
    git(work, "add", ".pre-commit-config.yaml")
    git(work, "commit", "-q", "-m", "hooks")
    write(work, {"apps/good.yaml": route("good"), "apps/bad.yaml": route("bad", gateway="nope"),
                 "notes.txt": "not yaml: the hooks do not run for it\n"})
    git(work, "add", "apps/good.yaml", "apps/bad.yaml")
    write(work, {"apps/untracked-bad.yaml": route("untracked", gateway="nope")})

    # try-repo installs the hook in a throw-away store: once is enough
    staged = pre_commit(work, home, "try-repo", str(src), "gwlint-staged", "--verbose")
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert findings_in(staged.stdout) == ["apps/bad.yaml:8:5"]

    staged = pre_commit(work, home, "run", "gwlint-staged", "--verbose")
    assert staged.returncode == 1, staged.stdout + staged.stderr
    assert findings_in(staged.stdout) == ["apps/bad.yaml:8:5"]

    # the whole graph: what Git tracks plus what is staged, not the untracked scratch file
    whole = pre_commit(work, home, "run", "gwlint", "--verbose")
    assert whole.returncode == 1, whole.stdout + whole.stderr
    assert findings_in(whole.stdout) == ["apps/bad.yaml:8:5"]

    # fixed: both hooks pass; a commit that stages no YAML skips them (types_or)
    write(work, {"apps/bad.yaml": route("bad")})
    (work / "apps" / "untracked-bad.yaml").unlink()
    git(work, "add", "apps/bad.yaml")
    ok = pre_commit(work, home, "run")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("Passed") == 2
    git(work, "commit", "-q", "-m", "routes")
    git(work, "add", "notes.txt")
    skipped = pre_commit(work, home, "run")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert skipped.stdout.count("(no files to check)Skipped") == 2


@pytest.mark.slow  # the real pre-commit and Git (CI runs it: python -m pytest -m slow)
@pytest.mark.skipif(not GWLINT.exists(), reason="gwlint is not installed next to the test "
                                                "interpreter")
def test_staged_hook_is_correct_when_pre_commit_splits_the_file_list(tmp_path):
    needs_pre_commit()
    work = work_repo(tmp_path / "work")
    manifest = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    shipped = manifest["gwlint-staged"]
    wrapper = tmp_path / "hook.py"
    wrapper.write_text(textwrap.dedent(f"""\
        import subprocess, sys
        print(f"INVOCATION {{len(sys.argv) - 1}}", flush=True)
        sys.exit(subprocess.call([{str(GWLINT)!r}, *{shipped["entry"].split()[1:]!r},
                                  *sys.argv[1:]]))
        """), encoding="utf-8")
    hook = {k: shipped[k] for k in ("pass_filenames", "require_serial", "types_or")}
    hook.update(id="gwlint-staged", name="gwlint staged", language="system",
                entry=f"{sys.executable} {wrapper}")
    write(work, {".pre-commit-config.yaml": yaml.safe_dump(
        {"repos": [{"repo": "local", "hooks": [hook]}]})})
    git(work, "add", ".pre-commit-config.yaml")
    git(work, "commit", "-q", "-m", "hooks")
    # Enough long paths that the file list exceeds pre-commit's command-line limit (128 KiB):
    # pre-commit must split it over several invocations. Each path stays under the 2,000
    # characters a report shows of a value (gwlint.budget), so findings name them whole.
    deep = "/".join(["d" * 200] * 7)
    files, count = {}, 120
    for i in range(count):
        bad = i % 4 == 0
        files[f"apps/{i:03}/{deep}/route.yaml"] = route(f"r{i}",
                                                        gateway="nope" if bad else "shared")
    write(work, files)
    git(work, "add", "apps")
    write(work, {"untracked/bad.yaml": route("untracked", gateway="nope")})

    proc = pre_commit(work, tmp_path / "home", "run", "--verbose")
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    invocations = [int(line.split()[1]) for line in proc.stdout.splitlines()
                   if line.startswith("INVOCATION")]
    assert len(invocations) >= 2, proc.stdout[-3000:]
    assert sum(invocations) == count  # every staged YAML file exactly once
    reported = findings_in(proc.stdout)
    expected = sorted(f"apps/{i:03}/{deep}/route.yaml:8:5" for i in range(0, count, 4))
    assert reported == expected  # each once, none for routes whose Gateway is not staged


@pytest.mark.slow
def test_a_file_filter_that_matches_nothing_stays_green(tmp_path):
    """pre-commit skips a hook whose filter matched nothing; with `always_run` it calls it with
    no file (gwlint-staged) or on a repository with nothing to lint (gwlint): green either way,
    while the same empty run on the command line exits 2."""
    needs_pre_commit()
    src = copy_project(tmp_path / "gwlint-src")
    rev = git(src, "rev-parse", "HEAD").strip()
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    hooks = [{"id": "gwlint", "files": "^k8s/"}, {"id": "gwlint-staged", "files": "^k8s/"},
             {"id": "gwlint", "alias": "always", "name": "gwlint always", "always_run": True,
              "args": ["k8s"]},
             {"id": "gwlint-staged", "alias": "always-staged", "name": "staged always",
              "always_run": True, "files": "^k8s/"}]
    write(work, {".pre-commit-config.yaml": yaml.safe_dump(
        {"repos": [{"repo": str(src), "rev": rev, "hooks": hooks}]}),
        "docs/notes.yaml": "title: not a manifest\n", "k8s/.keep": ""})
    git(work, "add", "-A")
    proc = pre_commit(work, tmp_path / "home", "run", "--verbose")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert proc.stdout.count("(no files to check)Skipped") == 2
    assert proc.stdout.count("Passed") == 2
    alone = subprocess.run([str(GWLINT), "k8s"], cwd=work, capture_output=True, text=True)
    assert alone.returncode == 2 and "no file to lint" in alone.stderr
