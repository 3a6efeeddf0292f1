"""Run an external tool (`helm`, `kustomize`) the one safe way: no shell, no standard input, a
minimal environment, a timeout and a cap on what it may print.

The tools render or build the user's repository locally; gwlint never uses the network. The
callers decide what may run (they never pass a remote source); the environment adds a second
fence: proxies that lead nowhere and Git limited to local repositories, so a fetch a caller
did not foresee fails at once instead of reaching the network. A tool and everything it starts
run in a session of their own and are killed together on a timeout or an oversized output.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess

_KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
_NOWHERE = "http://127.0.0.1:9"  # the discard port: nothing answers there
OFFLINE = {
    "HTTP_PROXY": _NOWHERE, "HTTPS_PROXY": _NOWHERE, "ALL_PROXY": _NOWHERE,
    "http_proxy": _NOWHERE, "https_proxy": _NOWHERE, "all_proxy": _NOWHERE,
    "GIT_ALLOW_PROTOCOL": "file",  # git clones local repositories only
    "GIT_TERMINAL_PROMPT": "0",
}
MAX_STDERR = 64 * 1024  # bytes of standard error kept (the rest is read and dropped)


@dataclass(frozen=True, slots=True)
class Ran:
    """What a tool did: `stdout` when it exited 0 within the limits, else `failure` (a phrase:
    'took more than 60 s', 'exit code 1', ...) and the start of its standard error."""

    stdout: bytes | None
    stderr: str = ""
    failure: str | None = None
    exited: bool = False  # it ran to its end and exited non-zero (not killed, not unstartable)

    def error_lines(self, limit: int = 5) -> list[str]:
        """The first non-empty lines of standard error."""
        return [line.rstrip() for line in self.stderr.splitlines() if line.strip()][:limit]


def find_tool(name: str, explicit: str | None = None) -> str | None:
    """A tool's binary: `explicit` if it is an executable file, else `name` on PATH when
    `explicit` is None; '' means never."""
    if explicit == "":
        return None
    if explicit is not None:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    import shutil  # imported here to keep start-up fast: only charts and Kustomize roots

    return shutil.which(name)


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment a tool runs in: locale, PATH, HOME and TMPDIR only, offline."""
    env = {k: v for k, v in os.environ.items() if k in _KEPT}
    env.update(OFFLINE)
    env.update(extra or {})
    return env


class _Drain(threading.Thread):
    """Reads a pipe to its end, keeping at most `limit` bytes; `over` when there was more."""

    def __init__(self, pipe: IO[bytes], limit: int,
                 on_over: Callable[[], None] | None = None) -> None:
        super().__init__(daemon=True)
        self.pipe, self.limit, self.on_over = pipe, limit, on_over
        self.chunks: list[bytes] = []
        self.size = 0
        self.over = False

    def run(self) -> None:
        while chunk := self.pipe.read(65536):
            if self.size + len(chunk) > self.limit:
                self.over = True
                self.chunks.append(chunk[:self.limit - self.size])
                self.size = self.limit
                if self.on_over is not None:
                    self.on_over()
                    return
                continue  # stderr: keep draining so the tool never blocks on a full pipe
            self.chunks.append(chunk)
            self.size += len(chunk)

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """End the tool and whatever it started (its own session)."""
    import signal  # imported here to keep start-up fast (as subprocess in `run`)

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        with contextlib.suppress(OSError):
            proc.kill()


def run(command: Sequence[str], *, timeout: float, max_output: int,
        env: Mapping[str, str] | None = None) -> Ran:
    """Run `command` (no shell), its standard output capped at `max_output` bytes."""
    # imported here to keep start-up fast: a run without charts or Kustomize features to
    # build runs no tool
    import subprocess

    try:
        proc = subprocess.Popen(list(command), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=dict(env or environment()),
                                start_new_session=True)
    except OSError as exc:
        return Ran(None, failure=f"cannot run {command[0]}: {exc}")
    assert proc.stdout is not None and proc.stderr is not None
    out = _Drain(proc.stdout, max_output, lambda: _kill(proc))
    err = _Drain(proc.stderr, MAX_STDERR)
    out.start()
    err.start()
    try:
        code = proc.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.wait()
        return _end(proc, out, err, f"took more than {timeout:g} s")
    if out.over:
        return _end(proc, out, err, f"output over {max_output:,} bytes")
    failure = f"exit code {code}" if code != 0 else None
    return _end(proc, out, err, failure, exited=code != 0)


def _end(proc: subprocess.Popen[bytes], out: _Drain, err: _Drain, failure: str | None,
         exited: bool = False) -> Ran:
    """Collect the readers (the pipes close once the tool and its children are gone; a child
    that outlives the tool and keeps them open is killed with the session)."""
    for reader in (out, err):
        reader.join(5)
        if reader.is_alive():
            _kill(proc)
            reader.join(5)
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    stderr = err.data().decode("utf-8", "replace")
    if failure is not None or out.over:
        return Ran(None, stderr, failure or "output over the limit", exited)
    return Ran(out.data(), stderr)
