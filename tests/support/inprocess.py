"""Run the gwlint command line in this process, with the guards of the subprocess harness.

Starting `python -m gwlint.cli` costs about 0.25 s of CPU (interpreter and imports), more than
linting a small tree. Where the process boundary is not what a test is about (exit codes and
outputs of hostile *content*, not crashes or hangs), the test runs gwlint's own click command
here instead (`click.testing.CliRunner`, in the given directory) and gets the same `Run` as
tests/fuzz/harness.py: exit code, standard output and error, and every network or process
attempt, recorded as tests/fuzz/nonet/sitecustomize.py records them (sockets to the network and
name lookups refused, programs logged).

Keep the subprocess harness for what a process boundary proves: a crash or hang of the
interpreter (deep nesting, FIFOs, devices), peak memory, encodings of a real standard output,
the console script itself.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

from click.testing import CliRunner

from fuzz.harness import Run
from gwlint.cli import main

_NET = (socket.AF_INET, socket.AF_INET6)


@contextlib.contextmanager
def guarded(log: list[dict]) -> Iterator[None]:
    """Refuse network sockets and name lookups, refuse os.system/exec*, log every program
    started through subprocess (gwlint runs reading `git` commands), as the nonet guard does."""

    real_socket = socket.socket

    class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
        def __init__(self, family: Any = -1, type: Any = -1, proto: Any = -1,
                     fileno: Any = None) -> None:
            if fileno is None and (socket.AF_INET if family == -1 else family) in _NET:
                log.append({"kind": "socket", "detail": repr((family, type, proto))})
                raise PermissionError("network access blocked by tests/support/inprocess")
            super().__init__(family, type, proto, fileno)

        def connect(self, address: Any) -> None:
            if self.family in _NET:
                log.append({"kind": "connect", "detail": repr(address)})
                raise PermissionError("network access blocked by tests/support/inprocess")
            super().connect(address)

    def refuse(name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            log.append({"kind": name, "detail": repr(args)[:500]})
            raise PermissionError(f"{name} blocked by tests/support/inprocess")
        return fail

    real_init = subprocess.Popen.__init__

    def popen_init(self: subprocess.Popen, args: Any, *a: Any, **kw: Any) -> None:
        log.append({"kind": "exec", "detail": repr((kw.get("executable"), args))[:500]})
        real_init(self, args, *a, **kw)

    patches: list[tuple[Any, str, Any]] = [
        (socket, "socket", GuardedSocket),
        (socket, "create_connection", refuse("create_connection")),
        (socket, "getaddrinfo", refuse("getaddrinfo")),
        (socket, "gethostbyname", refuse("gethostbyname")),
        (subprocess.Popen, "__init__", popen_init),
        (os, "system", refuse("exec")),
    ]
    patches += [(os, name, refuse("exec")) for name in
                ("execv", "execve", "execvp", "execvpe", "posix_spawn", "posix_spawnp")
                if hasattr(os, name)]
    saved = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    try:
        for obj, name, value in patches:
            setattr(obj, name, value)
        yield
    finally:
        for obj, name, value in saved:
            setattr(obj, name, value)


def gwlint(args: list[str], cwd: str | os.PathLike[str], stdin: bytes | None = None,
           env: dict[str, str | None] | None = None) -> Run:
    """`gwlint ARGS` in `cwd`, in this process: a `Run` as tests/fuzz/harness.gwlint returns
    (without peak memory: rss_mb is 0). An exception that escapes the command is a failure of
    the test (the console script would print a traceback), not an exit code."""
    full_env: dict[str, str | None] = {"NO_COLOR": "1", "GITHUB_ACTIONS": None,
                                       "GITHUB_STEP_SUMMARY": None}
    full_env.update(env or {})
    log: list[dict] = []
    old = os.getcwd()
    t0 = time.monotonic()
    os.chdir(cwd)
    try:
        with guarded(log):
            result = CliRunner(env=full_env).invoke(main, args, input=stdin,
                                                    catch_exceptions=True)
    finally:
        os.chdir(old)
    seconds = time.monotonic() - t0
    exc = result.exception
    if not isinstance(exc, SystemExit | None):
        raise exc  # with its traceback, as the test's own failure
    code, stderr = result.exit_code, result.stderr
    if isinstance(exc, SystemExit) and isinstance(exc.code, str):  # as gwlint.cli.entry does
        code, stderr = 2, stderr + exc.code + "\n"
    return Run(code, result.stdout, stderr, seconds, 0.0, log)

