"""Progress on standard error for runs that take a while (30,000 files: ten seconds).

The pipeline stages say what they are doing (`phase`, `advance`); they never print. A `Display`,
started by the command runner only when it is wanted, shows it:

* on a terminal, one line redrawn in place (`\\r`, no escape sequences, so `TERM=dumb` is fine),
  only once the run has taken more than DELAY seconds (most runs finish sooner and print
  nothing), erased before the report is written;
* with `--progress` on something that is not a terminal (a CI log), one plain line per phase and
  every PLAIN_INTERVAL seconds, from the start.

Not a progress-bar library: those are tens to hundreds of milliseconds of imports (rich: ~170 ms,
tqdm: ~50 ms measured) on a command whose one-file run takes a quarter of a second, for one line
of text. Worker processes forked while a display runs count into it too: each has one 8-byte slot
of a shared anonymous mapping (claimed at the fork, written only by its owner), and the display
adds them up, so "parsing files 1,200/5,334" counts every process. Where workers are not forked
(Windows spawns them) only this process's own items are counted.
"""

from __future__ import annotations

import mmap
import os
import struct
import threading
import time
from collections.abc import Callable
from typing import TextIO

DELAY = 1.0  # seconds before a terminal shows anything
INTERVAL = 0.1  # seconds between redraws on a terminal
PLAIN_INTERVAL = 5.0  # seconds between lines in a log (--progress without a terminal)
SLOTS = 256  # worker processes that can count into a display (more count only for themselves)
_SLOT = struct.Struct("q")


class Progress:
    """What the run is doing now: a phase, items done of a total, since when."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.started = clock()
        self.name = "starting"
        self.done = 0
        self.total: int | None = None
        self.note = ""
        self.changes = 0  # incremented on every new phase
        self.workers: mmap.mmap | None = None  # the items forked workers did, one slot each
        self.slot = 0  # this process's slot: 0 the process that shows, -1 none, else a worker's
        self.forks = 0  # slots handed out to workers

    def phase(self, name: str, total: int | None = None, note: str = "") -> None:
        self.name, self.done, self.total, self.note = name, 0, total, note
        self.changes += 1
        if self.workers is not None and self.slot == 0:  # a new phase: the workers' too
            self.workers[:] = bytes(len(self.workers))

    def count_workers(self) -> None:
        """Let worker processes forked from now on count into this state (only a state that is
        shown needs it: the mapping and the fork hooks cost nothing otherwise)."""
        if self.workers is None and hasattr(os, "register_at_fork"):
            self.workers = mmap.mmap(-1, SLOTS * _SLOT.size)
            _hook_forks()

    def all_done(self) -> int:
        """Items done by this process and the workers counting into it."""
        done = self.done
        if self.workers is not None:
            done += sum(n for (n,) in _SLOT.iter_unpack(self.workers))
        return done

    def text(self) -> str:
        out = f"gwlint: {self.name}"
        if self.total is not None:
            out += f" {min(self.all_done(), self.total):,}/{self.total:,}"
        if self.note:
            out += f" {self.note}"
        return out + f" ({self.clock() - self.started:.0f} s)"


current = Progress()  # the run's progress: one command per process


def phase(name: str, total: int | None = None, note: str = "") -> None:
    """The run enters a new phase (`total`: items it will go through, if known)."""
    current.phase(name, total, note)


def advance(n: int = 1) -> None:
    """`n` more items of the current phase are done (cheap: called once per file)."""
    state = current
    state.done += n
    if state.slot > 0 and state.workers is not None:
        _SLOT.pack_into(state.workers, state.slot * _SLOT.size, state.done)


def shared_phase(name: str, total: int, processes: int) -> None:
    """A phase whose `total` items `processes` processes share (this one and forked workers):
    counted whole when the workers count into this state, else this process's part of it."""
    note = f"(in {processes} processes)" if processes > 1 else ""
    if processes > 1 and current.workers is None:
        total = -(-total // processes)  # only this process's items are counted
        note = f"(+{processes - 1} worker process{'es' if processes > 2 else ''})"
    phase(name, total, note)


_hooked = False


def _hook_forks() -> None:
    global _hooked
    if not _hooked:
        _hooked = True
        os.register_at_fork(before=_before_fork, after_in_child=_in_child)


def _before_fork() -> None:
    """In the parent, just before a fork: the next slot goes to the child."""
    current.forks += 1


def _in_child() -> None:
    """In the forked child: its slot (the parent's count of forks when it forked), its own
    count from zero. A process forked by a worker counts for nobody."""
    state = current
    state.slot = state.forks if state.slot == 0 and state.forks < SLOTS else -1
    state.done = 0


def reset() -> Progress:
    """A fresh state for a new run (the library API may lint many times in one process)."""
    global current
    current = Progress()
    return current


def wanted(option: bool | None, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """`--progress`/`--no-progress` decide; by default only on a terminal and never in CI."""
    if option is not None:
        return option
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("GITHUB_ACTIONS") == "true":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


class Display:
    """Shows `progress` on `stream` from a background thread until `stop()`."""

    def __init__(self, progress: Progress, stream: TextIO, *, tty: bool,
                 delay: float = DELAY) -> None:
        self.progress = progress
        self.stream = stream
        self.tty = tty
        self.delay = delay if tty else 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._shown = 0  # characters of the line on the terminal
        self._seen = -1  # the phase (Progress.changes) a log last got a line for
        self._thread = threading.Thread(target=self._run, name="gwlint-progress", daemon=True)

    def start(self) -> Display:
        self.progress.count_workers()
        if not self.tty:  # a log gets the first phase at once, however short the run
            with self._lock:
                self._seen = self.progress.changes
                self._write(self.progress.text() + "\n")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop and erase the line (before the report is written to the same terminal)."""
        self._stop.set()
        self._thread.join(timeout=1)
        with self._lock:
            if self._shown:
                self._write("\r" + " " * self._shown + "\r")
                self._shown = 0

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        seen, last = self._seen, time.monotonic()
        while not self._stop.is_set():
            with self._lock:
                if self._stop.is_set():
                    return
                if self.tty:
                    self._draw()
                elif self.progress.changes != seen or time.monotonic() - last >= PLAIN_INTERVAL:
                    seen, last = self.progress.changes, time.monotonic()
                    self._write(self.progress.text() + "\n")
            self._stop.wait(INTERVAL if self.tty else 0.5)

    def _draw(self) -> None:
        text = self.progress.text()[:max(_width(self.stream) - 1, 20)]
        self._write("\r" + text.ljust(self._shown))
        self._shown = len(text)

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed terminal: progress is not worth an error
            self._stop.set()


def _width(stream: TextIO) -> int:
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 80
    return columns if columns > 0 else 80  # a pseudo-terminal nobody sized says 0
