"""Run gwlint in a guarded subprocess and measure it: exit code, output, wall time, peak RSS, and
every network or exec attempt (tests/fuzz/nonet/sitecustomize.py logs them)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

NONET = Path(__file__).resolve().parent / "nonet"
ROOT = Path(__file__).resolve().parents[2]

# The wrapper runs gwlint as its only child, then reports the child's peak RSS (ru_maxrss of
# RUSAGE_CHILDREN covers exactly that child and its own children).
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "print('GWLINT_RSS_KB=%d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    " file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    rss_mb: float
    guard: list[dict]
    timed_out: bool = False

    @property
    def network(self) -> list[dict]:
        return [g for g in self.guard if g["kind"] != "exec"]

    @property
    def executed(self) -> list[str]:
        return [g["detail"] for g in self.guard if g["kind"] == "exec"]


def gwlint(args: list[str], cwd: str | os.PathLike, stdin: bytes | None = None,
           timeout: float = 120, env: dict | None = None) -> Run:
    """`python -m gwlint.cli ARGS` in `cwd` with sockets blocked; never hangs past `timeout`."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "guard.log"
        full_env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NONET), str(ROOT)]),
                    "GWLINT_GUARD_LOG": str(log), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
        full_env.pop("GITHUB_ACTIONS", None)
        full_env.update(env or {})
        cmd = [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "gwlint.cli", *args]
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        timed_out = False
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        seconds = time.monotonic() - t0
        stderr = err.decode("utf-8", "replace")
        rss = 0.0
        lines = stderr.splitlines()
        if lines and lines[-1].startswith("GWLINT_RSS_KB="):
            rss = int(lines[-1].split("=", 1)[1]) / 1024
            stderr = "\n".join(lines[:-1])
        guard = []
        if log.exists():
            guard = [g for g in map(json.loads, log.read_text(encoding="utf-8").splitlines())
                     if g["pid"] != proc.pid]  # the wrapper's own start of gwlint
        return Run(proc.returncode, out.decode("utf-8", "replace"), stderr, seconds, rss, guard,
                   timed_out)
