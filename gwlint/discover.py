"""Find the files to lint and read them safely (regular files only, bounded size, UTF-8)."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from gwlint.loader import LoadIssue
from gwlint.source import SourceFile, display_path

if TYPE_CHECKING:
    import subprocess

EXTENSIONS = (".yaml", ".yml", ".json")
# gwlint's own configuration files (gwlint.configfile reads them): never linted, never counted
CONFIG_NAMES = (".gwlint.yaml", ".gwlint.yml")
DEFAULT_MAX_FILE_SIZE = 50 * 1024 * 1024


@dataclass
class Discovery:
    sources: list[SourceFile] = field(default_factory=list)
    issues: list[LoadIssue] = field(default_factory=list)


def _git(directory: str, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    import subprocess  # imported here to keep start-up fast: only directories ask Git

    try:
        # core.fsmonitor names a command that Git runs: a .git/config in the linted tree is
        # input, and input must never execute anything
        return subprocess.run(["git", "-c", "core.fsmonitor=false", "-C", directory, *args],
                              capture_output=True, timeout=60, check=False,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None


def _git_files(directory: str, tracked_only: bool = False) -> list[str] | None:
    """The files Git would show below `directory`: tracked (the index: staged files included)
    and, unless `tracked_only`, untracked-but-not-ignored ones. None outside a work tree, and
    for a directory that is itself ignored: an ignore rule prunes discovery, never a PATH
    argument (as in ruff and pre-commit), so such a directory is walked whole."""
    which = ["--cached"] if tracked_only else ["--cached", "--others", "--exclude-standard"]
    out = _git(directory, "ls-files", "-z", *which, "--deduplicate", "--", ".")
    if out is None or out.returncode != 0:
        return None
    if not tracked_only:  # `.` too: `cd rendered && gwlint .` names the ignored directory
        ignored = _git(directory, "check-ignore", "-q", "--", ".")
        if ignored is not None and ignored.returncode == 0:
            return None
    names = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    found = [os.path.join(directory, n) for n in names if n]
    if tracked_only:  # deleted from the work tree but not from the index: nothing to lint
        found = [f for f in found if os.path.lexists(f)]
    return found


def _walk(directory: str) -> Iterator[str]:
    """Every file below `directory`; never follows directory symlinks (no loops), skips .git."""
    for root, dirs, files in os.walk(directory, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".git")
        for name in sorted(files):
            yield os.path.join(root, name)


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """A glob matches the display path, its file name, or any of its parent directories."""
    parts = path.split("/")
    candidates = [path, parts[-1]] + ["/".join(parts[:i]) for i in range(1, len(parts))]
    return any(fnmatch.fnmatch(c, p.rstrip("/")) for p in patterns for c in candidates)


def _is_candidate(path: str) -> bool:
    """A manifest to lint found in a directory: YAML or JSON (or a kustomization file named
    `Kustomization`, which kustomize reads too), not in .git, not gwlint's own configuration
    file (it is read as configuration, never linted or counted)."""
    return ((path.lower().endswith(EXTENSIONS) or os.path.basename(path) == "Kustomization")
            and "/.git/" not in path.replace(os.sep, "/")
            and os.path.basename(path) not in CONFIG_NAMES)


def candidate_files(paths: Iterable[str], exclude: Iterable[str] = (),
                    tracked_only: bool = False) -> list[tuple[str, str]]:
    """Expand PATH arguments to (filesystem path, display path) of the files to lint, de-duplicated.
    `tracked_only`: inside a Git work tree, only the files of the index (the pre-commit hooks:
    an untracked scratch file must not block an unrelated commit)."""
    exclude = list(exclude)
    seen: set[str] = set()
    result: list[tuple[str, str]] = []
    for arg in paths:
        if os.path.isdir(arg):
            files = _git_files(arg, tracked_only)
            found = sorted(files) if files is not None else list(_walk(arg))
            found = [f for f in found if _is_candidate(f)]
        else:
            found = [arg]  # an explicit file is linted whatever its extension
        for f in found:
            shown = display_path(f)
            if shown in seen or (exclude and excluded(shown, exclude)):
                continue
            seen.add(shown)
            result.append((f, shown))
    return result


def read_source(path: str, shown: str | None = None,
                max_size: int = DEFAULT_MAX_FILE_SIZE) -> tuple[SourceFile, LoadIssue | None]:
    """Read one file; anything that is not a readable, reasonably sized UTF-8 text file is an
    issue."""
    source = SourceFile(printable_name(shown or display_path(path)))
    try:
        st = os.stat(path)
    except OSError as exc:
        return source, _issue(source, f"cannot read file: {exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode):
        return source, _issue(source, "is a directory, not a file")
    if not stat.S_ISREG(st.st_mode):  # never opened: reading a FIFO or a device could block
        return source, _issue(source, "not a regular file (FIFO, socket or device); not read")
    if st.st_size > max_size:
        return source, _too_big(source, st.st_size, max_size)
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the stat, opening it must not
        # block
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        return source, _issue(source, f"cannot read file: {exc.strerror or exc}")
    with os.fdopen(fd, "rb") as fh:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return source, _issue(source,
                                      "not a regular file (FIFO, socket or device); not read")
            data = read_bounded(fh, max_size, st.st_size)
        except OSError as exc:
            return source, _issue(source, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_size:  # it grew after the stat
        return source, _too_big(source, len(data), max_size)
    return decode(source, data)


_CHUNK = 1 << 20


def read_bounded(stream: BinaryIO, max_size: int, expected: int = 0) -> bytes:
    """At most `max_size` + 1 bytes of `stream` (one more than allowed tells a file that is too
    big), read in pieces: a limit of 100 GB is never a buffer of 100 GB allocated up front.
    `expected`: the size the file had when it was looked at (read at once)."""
    chunks: list[bytes] = []
    total = 0
    size = min(max_size + 1, max(expected + 1, _CHUNK))
    while total <= max_size:
        chunk = stream.read(min(size, max_size + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        size = _CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _too_big(source: SourceFile, size: int, max_size: int) -> LoadIssue:
    return _issue(source, f"file is {size:,} bytes, above the limit of {max_size:,}; not linted",
                  hint="raise it with --max-file-size")


def printable_name(name: str) -> str:
    """A file name that every output can encode: bytes that are not UTF-8 (kept by the OS as lone
    surrogates, `surrogateescape`) become U+FFFD instead of crashing the JSON/SARIF/text writers."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that no OS decoding produces: replace it too
        return name.encode("utf-8", "replace").decode("utf-8")


def decode(source: SourceFile, data: bytes) -> tuple[SourceFile, LoadIssue | None]:
    """Bytes -> text; binary or non-UTF-8 content is reported, never guessed at."""
    source.path = printable_name(source.path)  # e.g. --stdin-filename given undecodable bytes
    if b"\0" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return source, _issue(source, "binary file (contains NUL bytes); not linted")
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = (1 + data.count(b"\n", 0, exc.start) + data.count(b"\r", 0, exc.start)
                - data.count(b"\r\n", 0, exc.start))  # LF, CRLF and CR end a line (gwlint.lines)
        return source, _issue(source, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                              f"{exc.start}); not linted", line=line)
    if "\0" in text:
        return source, _issue(source, "binary file (contains NUL characters); not linted")
    source.text = text
    return source, None


def _issue(source: SourceFile, message: str, hint: str | None = None, line: int = 1) -> LoadIssue:
    return LoadIssue("GW004", source, line, 1, message, hint=hint)


def scope_of(path: str, scopes: Iterable[str]) -> str:
    """The directory matched by one of the `--scope` globs that contains `path` ('' for none).

    Globs match whole path segments (`clusters/*` matches `clusters/prod`, not
    `clusters/prod/apps`).
    """
    parts = path.split("/")[:-1]
    for pattern in scopes:
        pat = [p for p in pattern.strip("/").split("/") if p]
        if pat and len(parts) >= len(pat) and all(
                fnmatch.fnmatchcase(parts[i], pat[i]) for i in range(len(pat))):
            return "/".join(parts[:len(pat)])
    return ""
