"""Guarantees, with proof: linting never changes a file, never opens a network socket, and never
executes anything that comes from the input.

The trees are the demo repository (in place and copied) and a corpus of hostile input
(tests/fuzz/strategies.py: alias bomb, 100,000-deep nesting, binary, UTF-16, Latin-1, NULs,
Helm templates, Python object tags, a FIFO, symlink loops, a broken link, undecodable and
escape-sequence file names). Every format runs, to stdout and with --output to a separate file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import harness  # noqa: E402
from fuzz import strategies as S  # noqa: E402
from support import inprocess  # noqa: E402

from gwlint.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo"
FORMATS = S.available_formats()
# the only programs gwlint runs: Git, reading (the file list of a directory, whether a named
# directory is ignored, the repository root for GitHub/SARIF paths), with core.fsmonitor off
GIT_READS = ("ls-files", "check-ignore", "rev-parse")


@pytest.fixture
def hostile_tree(tmp_path):
    """The demo repository plus the hostile corpus, in a Git work tree with a hostile
    .git/config (an fsmonitor command), and the path a code execution would create."""
    tree = tmp_path / "tree"
    shutil.copytree(DEMO, tree / "demo", symlinks=True)
    marker = tmp_path / "pwned"
    S.write_hostile_corpus(tree / "hostile", marker)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(tree)], check=True)
        subprocess.run(["git", "-C", str(tree), "add", "demo"], check=True)
        subprocess.run(["git", "-C", str(tree), "config", "core.fsmonitor",
                        f"touch {marker}; false"], check=True)
    return tree, marker


def _runs(tree: Path, out_dir: Path):
    """(args, cwd) of every run: each format, stdout and --output, directory and stdin."""
    for fmt in FORMATS:
        yield ["--format", fmt, "--isolated", "."], tree
        yield ["--format", fmt, "--isolated", "--output", str(out_dir / f"r.{fmt}"), "."], tree
        yield ["--format", fmt, "--isolated", "--statistics", "hostile", "demo"], tree
    yield ["--isolated", "--color", "always", "."], tree


@pytest.mark.slow  # twenty gwlint processes; the in-process test below checks the same
def test_linting_never_changes_a_file(hostile_tree, tmp_path):
    tree, marker = hostile_tree
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = S.snapshot(tree)
    demo_before = S.snapshot(DEMO)
    for args, cwd in _runs(tree, out_dir):
        run = harness.gwlint(args, cwd=cwd, timeout=180)
        assert not run.timed_out and run.returncode == 1, (args, run.stderr[-3000:])
        assert "Traceback" not in run.stderr, run.stderr[-3000:]
        assert S.snapshot(tree) == before, f"{args} changed the linted tree"
    # the real demo repository, in place
    for fmt in FORMATS:
        run = harness.gwlint(["--format", fmt, "--output", str(out_dir / f"demo.{fmt}"),
                              str(DEMO)], cwd=ROOT, timeout=120)
        assert run.returncode == 1, run.stderr[-3000:]
    assert S.snapshot(DEMO) == demo_before
    assert not marker.exists()
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(
        [f"r.{f}" for f in FORMATS] + [f"demo.{f}" for f in FORMATS])


def test_in_process_runs_change_nothing_open_no_socket_execute_nothing(hostile_tree, tmp_path,
                                                                       monkeypatch):
    """The CLI in this process with sockets and process creation instrumented: any AF_INET/INET6
    socket, name lookup, or program other than a reading `git` (GIT_READS) is recorded and
    refused."""
    tree, marker = hostile_tree
    attempts: list[tuple] = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and (socket.AF_INET if family == -1 else family) in (
                    socket.AF_INET, socket.AF_INET6):
                attempts.append(("socket", family))
                raise PermissionError("network blocked by test")
            super().__init__(family, type, proto, fileno)

    def refuse(name):
        def fail(*args, **kwargs):
            attempts.append((name, args))
            raise PermissionError(f"{name} blocked by test")
        return fail

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    real_popen_init = subprocess.Popen.__init__
    programs: list[list[str]] = []

    def popen_init(self, args, *a, **kw):
        programs.append(list(args) if not isinstance(args, (str, bytes)) else [args])
        return real_popen_init(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", popen_init)
    monkeypatch.setattr(os, "system", refuse("os.system"))
    for name in ("execv", "execve", "execvp", "execvpe", "posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, refuse(f"os.{name}"))

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = S.snapshot(tree)
    old = os.getcwd()
    try:
        for args, cwd in _runs(tree, out_dir):
            os.chdir(cwd)
            result = CliRunner().invoke(main, args, catch_exceptions=True)
            assert isinstance(result.exception, SystemExit), repr(result.exception)
            assert result.exit_code == 1, (args, result.output[-3000:])
            assert "internal error" not in result.output
        # the two-process loader (forked workers) on the same inputs
        os.chdir(tree)
        result = CliRunner(env={"GWLINT_JOBS": "2"}).invoke(main, ["--isolated", "."])
        assert result.exit_code == 1, result.output[-3000:]
    finally:
        os.chdir(old)
    assert attempts == [], attempts
    assert all(p[0] == "git" and any(c in p for c in GIT_READS) for p in programs), programs
    assert all("core.fsmonitor=false" in p for p in programs), programs
    assert not marker.exists()
    assert S.snapshot(tree) == before


def default_first(formats: list[str]) -> list:
    """The formats, all but the first marked slow: the in-process tests check every format, a
    real process (the nonet guard at interpreter start-up) one in the default run."""
    return [formats[0], *(pytest.param(f, marks=pytest.mark.slow) for f in formats[1:])]


@pytest.mark.parametrize("fmt", default_first(["sarif", *(f for f in FORMATS if f != "sarif")]))
def test_subprocess_runs_open_no_socket_and_execute_only_git(hostile_tree, fmt):
    tree, marker = hostile_tree
    run = harness.gwlint(["--format", fmt, "--isolated", "."], cwd=tree, timeout=180)
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.network == [], run.network
    assert all("'git'" in e and any(f"'{c}'" in e for c in GIT_READS)
               and "core.fsmonitor=false" in e for e in run.executed), run.executed
    assert not marker.exists()


STDIN_DATA = (DEMO / "apps" / "shop" / "route.yaml").read_bytes() + b"\n---\n" + \
    S.HOSTILE_ROUTE.encode() + b"\n---\na: !!python/object/apply:os.system ['touch x']\n"


def check_stdin_run(run: harness.Run, where: Path) -> None:
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.network == []
    # at most Git's top level, for the SARIF root (`git rev-parse`, fsmonitor off)
    assert all("'rev-parse'" in e and "core.fsmonitor=false" in e
               for e in run.executed), run.executed
    assert not (where / "x").exists()
    assert list(where.iterdir()) == []  # nothing written next to the run either


@pytest.mark.parametrize("fmt", default_first(["sarif", *(f for f in FORMATS if f != "sarif")]))
def test_stdin_runs_open_no_socket(tmp_path, fmt):
    run = harness.gwlint(["--format", fmt, "--isolated", "-"], cwd=tmp_path, stdin=STDIN_DATA)
    check_stdin_run(run, tmp_path)


def test_stdin_runs_in_process_open_no_socket(tmp_path):
    """Every format, in this process with sockets and programs instrumented alike."""
    for fmt in FORMATS:
        check_stdin_run(inprocess.gwlint(["--format", fmt, "--isolated", "-"], cwd=tmp_path,
                                         stdin=STDIN_DATA), tmp_path)


def test_guard_itself_works(tmp_path):
    """The sitecustomize guard really blocks and logs (else the tests above prove nothing)."""
    log = tmp_path / "log"
    code = ("import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
            "except PermissionError:\n    print('blocked')\n"
            "import subprocess; subprocess.run(['true'])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(harness.NONET),
                              "GWLINT_GUARD_LOG": str(log)})
    assert out.stdout.strip() == "blocked"
    kinds = [line.split('"kind": "')[1].split('"')[0] for line in log.read_text().splitlines()]
    assert kinds == ["create_connection", "exec"]
