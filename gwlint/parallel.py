"""Read, parse and validate large inputs in several processes: this one and forked workers (one
per available core by default, `-j/--jobs N` or GWLINT_JOBS to choose).

Parsing and CEL validation are CPU-bound Python; on the 2-core CI machine sharing the files with
one worker process cuts a 10,000-resource lint by about a third. Each process plans its share
(it may `exchange` one message with the others first: the Kustomize index, each process scanning
a part of the kustomizations), parses it and reports the Gateway API CRD annotations it saw; this
process chooses the release and channel from every report, all validate, and the workers send
back their sources, resources, issues and violations in chunks (object identities inside a share
survive). This process keeps its own share as it is, so only the workers' shares are ever
pickled. Small inputs stay in one process: starting a worker costs more than it saves.

This module is only the process mechanics: what a share's parse and validate steps are is
`gwlint.load`'s business (it passes them in), so the dependency runs one way, load -> parallel.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwlint.versions import VersionChoice, choose_version, detect

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from gwlint.config import LintConfig
    from gwlint.gitops.layout import Layout
    from gwlint.loader import LoadIssue
    from gwlint.model import Resource
    from gwlint.source import SourceFile

MIN_FILES_PER_JOB = 200  # below this, one process is faster


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the OS has one)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpus or 1


def jobs_for(files: int, requested: int | None) -> int:
    """How many processes to use (1 means: everything in this process): `-j N`, else
    GWLINT_JOBS, else one per available core, at most one per MIN_FILES_PER_JOB files. Never
    more processes than files."""
    env = os.environ.get("GWLINT_JOBS")
    if requested is None and env and env.isdigit():
        requested = int(env)
    if requested is not None:
        return max(1, min(requested, files))
    return max(1, min(available_cores(), files // MIN_FILES_PER_JOB))


@dataclass
class Share:
    """One process's part of the input, parsed; validated once the release is chosen."""

    sources: list[SourceFile]
    resources: list[Resource]
    issues: list[LoadIssue]
    files: int
    documents: int
    skipped: int
    violations: list[tuple[Resource, Any]] | None = None
    layout: Layout | None = None  # Kustomize builds, charts, skipped documents by tool


# What every process sends the others once (a part of the plan), and gets back: all parts, in
# process order. Every process calls it, or none does (all decide from the same input).
Exchange = Callable[[Any], list[Any]]
# The two steps a process runs: plan and parse share `i` of `jobs` (gwlint.load), then validate.
ParseFn = Callable[[int, Exchange], Share]
ValidateFn = Callable[[Share, VersionChoice], Share]


def alone(part: Any) -> list[Any]:
    """The exchange of a run in one process."""
    return [part]

CHUNK_FILES = 500  # files per message back to the parent


def _chunks(share: Share) -> list[Share]:
    """Split a validated share by file, so it can be sent (and freed) piece by piece."""
    by_source: dict[int, Share] = {}
    for src in share.sources:
        by_source[id(src)] = Share([src], [], [], 0, 0, 0, [])
    extra = Share([], [], [], share.files, share.documents, share.skipped, [], share.layout)
    for res in share.resources:
        by_source.get(id(res.origin.source), extra).resources.append(res)
    for issue in share.issues:
        by_source.get(id(issue.source), extra).issues.append(issue)
    for pair in share.violations or []:  # the pieces are made with a list of violations
        by_source.get(id(pair[0].origin.source), extra).violations.append(pair)  # type: ignore[union-attr]
    pieces = list(by_source.values())
    chunks = [extra]
    for i in range(0, len(pieces), CHUNK_FILES):
        chunk = Share([], [], [], 0, 0, 0, [])
        for piece in pieces[i:i + CHUNK_FILES]:
            chunk.sources += piece.sources
            chunk.resources += piece.resources
            chunk.issues += piece.issues
            chunk.violations += piece.violations  # type: ignore[operator]  # lists, made above
        chunks.append(chunk)
    return chunks


def _worker(conn: Connection, index: int, parse: ParseFn, validate: ValidateFn) -> None:
    """Plan and parse, report the CRDs seen, validate with the parent's choice, then stream the
    results back in chunks, freeing each as it goes: no process ever holds the share twice."""
    # imported here to keep start-up fast: a small run starts no process
    import pickle
    import traceback

    def exchange(part: Any) -> list[Any]:
        conn.send(("part", part))
        return list(_receive(conn))

    try:
        gc.disable()
        share = parse(index, exchange)
        conn.send(("detected", detect(share.resources)))
        _, choice = conn.recv()
        chunks = _chunks(validate(share, choice))
        del share
        conn.send(("chunks", len(chunks)))
        while chunks:
            chunk = chunks.pop()
            conn.send_bytes(pickle.dumps(("chunk", chunk), protocol=pickle.HIGHEST_PROTOCOL))
            del chunk
    except BaseException:  # noqa: BLE001 - the parent turns it into an internal error
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _receive_share(conn: Connection) -> Share:
    """Reassemble a worker's streamed chunks into one share."""
    whole = Share([], [], [], 0, 0, 0, [])
    for _ in range(_receive(conn)):
        chunk = _receive(conn, raw=True)
        whole.sources += chunk.sources
        whole.resources += chunk.resources
        whole.issues += chunk.issues
        whole.violations += chunk.violations
        whole.files += chunk.files
        whole.documents += chunk.documents
        whole.skipped += chunk.skipped
        if chunk.layout is not None:
            whole.layout = chunk.layout
    return whole


def _receive(conn: Connection, raw: bool = False) -> Any:
    import pickle  # imported here to keep start-up fast: a small run starts no process

    try:
        kind, value = pickle.loads(conn.recv_bytes()) if raw else conn.recv()
    except EOFError:
        raise RuntimeError("a gwlint worker process died unexpectedly") from None
    if kind == "error":
        raise RuntimeError(f"a gwlint worker failed:\n{value}")
    return value


def _start(jobs: int, parse: ParseFn,
           validate: ValidateFn) -> tuple[list[Connection], list[BaseProcess]]:
    import multiprocessing  # imported here to keep start-up fast: only large inputs fork

    methods = multiprocessing.get_all_start_methods()
    mp = (multiprocessing.get_context("fork") if "fork" in methods
          else multiprocessing.get_context("spawn"))
    conns: list[Connection] = []
    procs: list[BaseProcess] = []
    for index in range(1, jobs):
        parent, child = mp.Pipe()
        proc = mp.Process(target=_worker, args=(child, index, parse, validate), daemon=True)
        proc.start()
        child.close()
        conns.append(parent)
        procs.append(proc)
    return conns, procs


def run(config: LintConfig, jobs: int, parse: ParseFn,
        validate: ValidateFn) -> tuple[list[Share], VersionChoice]:
    """Shares 0..jobs-1 planned, parsed and validated (share 0 in this process), and the
    release chosen from the CRDs all of them saw. `parse` decides what share i is (for the
    Kustomize plan, after one `exchange` between the processes)."""
    conns, procs = _start(jobs, parse, validate)

    def exchange(part: Any) -> list[Any]:
        parts = [part, *(_receive(c) for c in conns)]
        for c in conns:
            c.send(("parts", parts))
        return parts

    try:
        mine = parse(0, exchange)
        found = [f for f in [detect(mine.resources), *(_receive(c) for c in conns)] if f]
        found.sort(key=lambda f: f[2])  # deterministic: the first file in path order wins
        choice = choose_version(config.gateway_api_version, config.channel,
                                found[0] if found else None)
        for c in conns:
            c.send(("choice", choice))
        results = [validate(mine, choice)]
        enabled = gc.isenabled()
        gc.disable()
        try:
            results += [_receive_share(c) for c in conns]
        finally:
            if enabled:
                gc.enable()
    except BaseException:
        for proc in procs:  # a failure here: workers may wait for a message that never comes
            proc.kill()
        raise
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    return results, choice
