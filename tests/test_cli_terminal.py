"""The terminal: colour as the conventions say, progress on standard error for long runs only.

The pseudo-terminal tests run the installed `gwlint` with its standard output and error on a
pty (`pty.openpty`), as a user's terminal is; the others run it with pipes, as CI and `| cat` do.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pty
import select
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from gwlint import progress
from gwlint.runner import use_color

ROOT = Path(__file__).resolve().parent.parent
GWLINT = Path(sys.executable).parent / "gwlint"
ESC = "\x1b["

needs_gwlint = pytest.mark.skipif(not GWLINT.exists(), reason="gwlint is not installed next to "
                                                              "the test interpreter")

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  parentRefs: [{name: missing}]
"""

# the variables that decide colour and progress, removed so that each test sets its own
_DECIDING = ("NO_COLOR", "FORCE_COLOR", "TERM", "CI", "GITHUB_ACTIONS", "CLICOLOR_FORCE")


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DECIDING}
    env["TERM"] = "xterm"
    env.update(extra)
    return env


def run_on_pty(args: list[str], cwd: Path, env: dict[str, str], stdin_text: str | None = None,
               stdin_delay: float = 0.0, stdin_after: str | None = None) -> tuple[int, str]:
    """Run gwlint with standard output and error on one pseudo-terminal; standard input from a
    pipe written after `stdin_delay` seconds, or once the terminal shows `stdin_after` (a slow
    producer: the run lasts at least that long, however slowly a loaded machine starts it)."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(GWLINT), *args], cwd=cwd, env=env, stdout=follower,
                            stderr=follower, stdin=subprocess.PIPE if stdin_text is not None
                            else subprocess.DEVNULL, close_fds=True)
    os.close(follower)
    chunks: list[bytes] = []
    if stdin_text is not None:
        assert proc.stdin is not None
        started = time.monotonic()
        while time.monotonic() - started < (60 if stdin_after else stdin_delay):
            if stdin_after and stdin_after.encode() in b"".join(chunks):
                break
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                chunks.append(os.read(leader, 65536))
        proc.stdin.write(stdin_text.encode())
        proc.stdin.close()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the follower side closed (Linux raises EIO)
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    return proc.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")


def run_piped(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(GWLINT), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=120)


# --- colour ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("choice,env,tty,expected", [
    ("always", {}, False, True),                       # `--color always | cat`
    ("always", {"NO_COLOR": "1"}, False, True),        # the command line wins
    ("never", {"FORCE_COLOR": "1"}, True, False),
    ("auto", {}, True, True),
    ("auto", {}, False, False),
    ("auto", {"NO_COLOR": "1"}, True, False),          # no-color.org: any non-empty value
    ("auto", {"NO_COLOR": ""}, True, True),            # ... an empty one is unset
    ("auto", {"FORCE_COLOR": "1"}, False, True),       # force-color.org: even into a pipe
    ("auto", {"FORCE_COLOR": "0"}, False, True),       # ... whatever the value
    ("auto", {"FORCE_COLOR": ""}, False, False),
    ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, True),
    ("auto", {"TERM": "dumb"}, True, False),
])
def test_colour_decision_follows_the_conventions(choice, env, tty, expected):
    assert use_color(choice, None, env, isatty=lambda: tty) is expected


def test_no_colour_into_a_file_unless_asked():
    assert use_color("auto", "report.txt", {"FORCE_COLOR": "1"}, isatty=lambda: True) is False
    assert use_color("always", "report.txt", {}, isatty=lambda: False) is True


@needs_gwlint
def test_color_always_reaches_a_pipe(tmp_path):
    (tmp_path / "r.yaml").write_text(ROUTE)
    piped = run_piped(["--color", "always", "--select", "GW101", "."], tmp_path, clean_env())
    assert piped.returncode == 1 and ESC in piped.stdout
    forced = run_piped(["--select", "GW101", "."], tmp_path, clean_env(FORCE_COLOR="1"))
    assert ESC in forced.stdout
    plain = run_piped(["--select", "GW101", "."], tmp_path, clean_env())
    assert ESC not in plain.stdout and plain.stdout.startswith("r.yaml:5:")


@needs_gwlint
def test_colour_on_a_terminal_follows_no_color_and_term(tmp_path):
    (tmp_path / "r.yaml").write_text(ROUTE)
    args = ["--select", "GW101", "."]
    code, out = run_on_pty(args, tmp_path, clean_env())
    assert code == 1 and ESC in out
    for env in (clean_env(NO_COLOR="1"), clean_env(TERM="dumb")):
        code, out = run_on_pty(args, tmp_path, env)
        assert code == 1 and ESC not in out and "r.yaml:5:" in out


# --- progress -------------------------------------------------------------------------------------
@needs_gwlint
def test_progress_on_a_terminal_for_a_long_run_only(tmp_path):
    # a run that waits for its standard input until the progress line shows (after the 1 s
    # delay) takes longer than a second
    slow_args = ["-", "--select", "GW101", "--stdin-filename", "r.yaml"]
    code, out = run_on_pty(slow_args, tmp_path, clean_env(), stdin_text=ROUTE,
                           stdin_after="gwlint: reading standard input")
    assert code == 1, out
    assert "gwlint: reading standard input" in out
    assert "\r" in out  # redrawn in place ...
    # ... and erased before the report: the report's first line starts on a clean line
    report = out[out.index("r.yaml:5:"):]
    assert "gwlint: reading" not in report
    # a short run shows nothing
    (tmp_path / "r.yaml").write_text(ROUTE)
    code, out = run_on_pty(["--select", "GW101", "."], tmp_path, clean_env())
    assert code == 1 and "gwlint:" not in out
    # in CI, never (unless --progress); with --no-progress, never: two runs that last 1.5 s,
    # side by side (each on its own terminal)
    with ThreadPoolExecutor(2) as pool:
        in_ci = pool.submit(run_on_pty, slow_args, tmp_path, clean_env(CI="true"),
                            stdin_text=ROUTE, stdin_delay=1.5)
        refused = pool.submit(run_on_pty, ["--no-progress", *slow_args], tmp_path, clean_env(),
                              stdin_text=ROUTE, stdin_delay=1.5)
        for run in (in_ci, refused):
            code, out = run.result()
            assert code == 1 and "r.yaml:5:" in out, out
            assert "gwlint: reading" not in out


@needs_gwlint
def test_progress_option_writes_plain_lines_to_a_log(tmp_path):
    (tmp_path / "r.yaml").write_text(ROUTE)
    logged = run_piped(["--progress", "--select", "GW101", "."], tmp_path, clean_env(CI="true"))
    assert logged.returncode == 1
    lines = logged.stderr.splitlines()
    assert lines and all(line.startswith("gwlint: ") for line in lines), logged.stderr
    assert "\r" not in logged.stderr and ESC not in logged.stderr
    assert logged.stdout.startswith("r.yaml:5:")  # the report itself is untouched
    quiet = run_piped(["--select", "GW101", "."], tmp_path, clean_env(CI="true"))
    assert quiet.stderr == ""


@needs_gwlint
def test_graph_shows_progress_too(tmp_path):
    (tmp_path / "r.yaml").write_text(ROUTE)
    logged = run_piped(["graph", "--progress", "."], tmp_path, clean_env(CI="true"))
    assert logged.returncode == 0 and logged.stdout.startswith("flowchart LR")
    lines = logged.stderr.splitlines()
    assert lines and all(line.startswith("gwlint: ") for line in lines), logged.stderr
    quiet = run_piped(["graph", "."], tmp_path, clean_env(CI="true"))
    assert quiet.returncode == 0 and quiet.stderr == ""
    # on a terminal, a run that waits for its input shows the line and erases it
    code, out = run_on_pty(["graph", "-", "--stdin-filename", "r.yaml"], tmp_path, clean_env(),
                           stdin_text=ROUTE, stdin_after="gwlint: reading standard input")
    assert code == 0 and "\r" in out, out
    assert "gwlint: reading" not in out[out.index("flowchart LR"):]


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no terminal size")


def test_progress_text_counts_and_phases():
    now = [100.0]
    state = progress.Progress(clock=lambda: now[0])
    state.phase("parsing files", 5_334, "(+1 worker process)")
    state.done = 1_200
    now[0] += 3.2
    assert state.text() == "gwlint: parsing files 1,200/5,334 (+1 worker process) (3 s)"
    state.phase("running rules", 60)
    assert state.done == 0 and state.text().startswith("gwlint: running rules 0/60")


def test_display_waits_then_redraws_and_erases():
    stream = FakeTTY()
    state = progress.Progress()
    state.phase("parsing files", 10)
    display = progress.Display(state, stream, tty=True, delay=0.05).start()
    deadline = time.monotonic() + 30
    while "gwlint:" not in stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    display.stop()
    text = stream.getvalue()
    assert text.startswith("\rgwlint: parsing files 0/10")
    assert text.endswith("\r")  # erased: spaces over the line, back to its start
    assert text.rstrip("\r").endswith(" ")
    stream = FakeTTY()
    progress.Display(state, stream, tty=True, delay=5).start().stop()  # a short run
    assert stream.getvalue() == ""


def test_progress_is_wanted_on_a_terminal_outside_ci_only():
    tty, pipe = FakeTTY(), io.StringIO()
    assert progress.wanted(None, tty, {}) is True
    assert progress.wanted(None, pipe, {}) is False
    assert progress.wanted(None, tty, {"CI": "true"}) is False
    assert progress.wanted(None, tty, {"GITHUB_ACTIONS": "true"}) is False
    assert progress.wanted(True, pipe, {"CI": "true"}) is True
    assert progress.wanted(False, tty, {}) is False


def test_progress_in_a_log_says_the_first_phase_however_short_the_run():
    stream = io.StringIO()
    state = progress.Progress()
    state.phase("finding files")
    progress.Display(state, stream, tty=False).start().stop()
    assert stream.getvalue().startswith("gwlint: finding files (")
    assert stream.getvalue().count("\n") == 1 and "\r" not in stream.getvalue()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                    reason="worker processes are forked only where the system can fork")
def test_forked_workers_count_into_the_display():
    # `-j N`: the parent shows "parsing files" for every file, its workers' included
    state = progress.reset()
    try:
        state.count_workers()
        progress.shared_phase("parsing files", 10, 3)
        assert state.text().startswith("gwlint: parsing files 0/10 (in 3 processes)")
        fork = multiprocessing.get_context("fork")
        for n in (2, 3):
            worker = fork.Process(target=progress.advance, args=(n,))
            worker.start()
            worker.join(timeout=60)
            assert worker.exitcode == 0
        progress.advance()
        assert state.done == 1 and state.all_done() == 6
        assert state.text().startswith("gwlint: parsing files 6/10 (in 3 processes)")
        progress.phase("running rules", 4)  # a new phase starts every count from zero
        assert state.all_done() == 0
    finally:
        progress.reset()


def test_without_worker_counts_a_shared_phase_counts_this_process_s_part():
    state = progress.reset()  # not shown: the workers do not count into it
    progress.shared_phase("parsing files", 10, 3)
    assert state.text().startswith("gwlint: parsing files 0/4 (+2 worker processes)")
    progress.shared_phase("parsing files", 10, 1)
    assert state.text().startswith("gwlint: parsing files 0/10 (")
