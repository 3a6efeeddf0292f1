"""Loaded by Python at start-up when this directory is on PYTHONPATH (tests/fuzz/nonet).

Guards a gwlint subprocess for the hostile-input tests:

* network: creating an AF_INET/AF_INET6 socket, connecting, or resolving a name raises and is
  logged (local AF_UNIX socket pairs, which multiprocessing uses, stay allowed);
* execution: every program started through subprocess/os.exec*/os.system/os.posix_spawn is logged.

The log (one JSON object per line) goes to $GWLINT_GUARD_LOG; the tests assert on it, so even an
attempt that gwlint would catch and ignore is seen.
"""

import json
import os
import socket
import sys

_LOG = os.environ.get("GWLINT_GUARD_LOG")


def _log(kind, detail):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": kind, "detail": repr(detail)[:500], "pid": os.getpid()})
                     + "\n")


_NET = {socket.AF_INET, getattr(socket, "AF_INET6", socket.AF_INET)}
_Real = socket.socket


class _GuardedSocket(_Real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        fam = socket.AF_INET if family == -1 else family
        if fileno is None and fam in _NET:
            _log("socket", (fam, type, proto))
            raise PermissionError("network access blocked by tests/fuzz/nonet")
        super().__init__(family, type, proto, fileno)

    def connect(self, address):
        if self.family in _NET:
            _log("connect", address)
            raise PermissionError("network access blocked by tests/fuzz/nonet")
        return super().connect(address)


def _blocked(name):
    def fail(*args, **kwargs):
        _log(name, args)
        raise PermissionError(f"{name} blocked by tests/fuzz/nonet")
    return fail


socket.socket = _GuardedSocket
socket.create_connection = _blocked("create_connection")
socket.getaddrinfo = _blocked("getaddrinfo")
socket.gethostbyname = _blocked("gethostbyname")


def _audit(event, args):
    if event in ("subprocess.Popen", "os.exec", "os.system", "os.posix_spawn", "os.spawn"):
        _log("exec", args[:2] if isinstance(args, tuple) else args)


sys.addaudithook(_audit)
