"""Read, parse and validate large inputs in worker processes.

Parsing and CEL validation are CPU-bound Python; on the 2-core CI machine two workers cut a
10,000-resource lint by about a third. Each worker parses its share of the files, reports the
Gateway API CRD annotations it saw, waits for the release/channel the parent chooses from all
workers' reports, validates, and sends back its sources, resources, issues and violations in one
pickle (so object identities inside a share survive). Small inputs stay in one process: starting
workers costs more than it saves.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from gwlint.versions import choose_version, detect

if TYPE_CHECKING:
    from gwlint.engine import LintConfig, Loaded

MIN_FILES_PER_JOB = 200  # below this, one process is faster
MAX_JOBS = 2


def jobs_for(files: int, requested: int | None) -> int:
    """How many worker processes to use (1 means: do it in this process)."""
    env = os.environ.get("GWLINT_JOBS")
    if requested is None and env and env.isdigit():
        requested = int(env)
    if requested is not None:
        return max(1, requested)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_JOBS, cpus or 1, files // MIN_FILES_PER_JOB))


def _worker(conn: Connection, config: "LintConfig", files: list[tuple[str, str]]) -> None:
    from gwlint import engine

    try:
        gc.disable()
        sources, issues = engine.read_inputs(config, files)
        read_failures = len(issues)
        extraction, documents, parse_issues = engine.parse_inputs(sources, config)
        conn.send(("detected", detect(extraction.resources)))
        choice = conn.recv()
        violations = engine.validate(extraction.resources, choice)
        payload = (sources, extraction.resources, issues + parse_issues + extraction.issues,
                   violations, len(sources) + read_failures, documents, extraction.skipped)
        conn.send_bytes(pickle.dumps(("done", payload), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001 - the parent turns it into an internal error
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _receive(conn: Connection) -> Any:
    try:
        kind, value = conn.recv()
    except EOFError:
        raise RuntimeError("a gwlint worker process died unexpectedly") from None
    if kind == "error":
        raise RuntimeError(f"a gwlint worker failed:\n{value}")
    return value


def load(config: "LintConfig", files: list[tuple[str, str]], jobs: int) -> "Loaded":
    """The parallel equivalent of engine.load for file inputs."""
    from gwlint.engine import Loaded

    methods = multiprocessing.get_all_start_methods()
    mp = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    shares = [files[i::jobs] for i in range(jobs)]
    conns, procs = [], []
    for share in shares:
        parent, child = mp.Pipe()
        proc = mp.Process(target=_worker, args=(child, config, share), daemon=True)
        proc.start()
        child.close()
        conns.append(parent)
        procs.append(proc)
    try:
        found = [f for f in (_receive(c) for c in conns) if f]
        found.sort(key=lambda f: f[2])  # deterministic: the first file in path order wins
        choice = choose_version(config.gateway_api_version, config.channel,
                                found[0] if found else None)
        for c in conns:
            c.send(choice)
        enabled = gc.isenabled()
        gc.disable()
        try:
            results = [_receive_payload(c) for c in conns]
        finally:
            gc.freeze()
            if enabled:
                gc.enable()
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
    order = {shown: i for i, (_, shown) in enumerate(files)}
    sources = sorted((s for r in results for s in r[0]), key=lambda s: order.get(s.path, 0))
    resources = sorted((x for r in results for x in r[1]),
                       key=lambda x: (order.get(x.origin.source.path, 0), x.origin.doc_index,
                                      x.origin.prefix))
    return Loaded(sources, resources, [i for r in results for i in r[2]],
                  [v for r in results for v in r[3]], choice, sum(r[4] for r in results),
                  sum(r[5] for r in results), sum(r[6] for r in results))


def _receive_payload(conn: Connection) -> tuple:
    try:
        kind, value = pickle.loads(conn.recv_bytes())
    except EOFError:
        raise RuntimeError("a gwlint worker process died unexpectedly") from None
    if kind == "error":
        raise RuntimeError(f"a gwlint worker failed:\n{value}")
    return value
