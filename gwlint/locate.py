"""Resolve findings to file/line/column spans, recomposing only the files that have findings.

Each file is composed once for all the locations in it (findings and their related locations,
grouped by file). With findings in many files, the files are shared with one forked process: the
spans are pure functions of text already in memory, and a fork shares that memory for free.
"""

from __future__ import annotations

import multiprocessing
import pickle
from collections.abc import Iterable

from gwlint.findings import Finding, Location, Related
from gwlint.model import Resource
from gwlint.spans import SpanIndex

PARALLEL_MIN_FILES = 400

_Job = tuple[int, Finding, Related | None]


def _source_of(f: Finding) -> int:
    return id(f.resource.origin.source) if f.resource is not None else id(f.source)


def locate(findings: Iterable[Finding]) -> None:
    """Fill `location` of every finding and of its related locations."""
    jobs: list[_Job] = []
    for f in findings:
        jobs.append((_source_of(f), f, None))
        jobs.extend((id(r.resource.origin.source), f, r) for r in f.related if r.resource)
    jobs.sort(key=lambda job: job[0])  # grouped by file: each file is composed once
    sources = sorted({job[0] for job in jobs})
    if len(sources) >= PARALLEL_MIN_FILES and "fork" in multiprocessing.get_all_start_methods():
        theirs = set(sources[1::2])
        _in_parallel([j for j in jobs if j[0] not in theirs], [j for j in jobs if j[0] in theirs])
    else:
        _assign(jobs, _compute(jobs))


def _compute(jobs: list[_Job]) -> list[Location]:
    index = SpanIndex()
    return [_location(index, f) if rel is None
            else _resource_location(index, rel.resource, rel.path)  # type: ignore[arg-type]
            for _, f, rel in jobs]


def _assign(jobs: list[_Job], locations: list[Location]) -> None:
    for (_, f, rel), loc in zip(jobs, locations):
        if rel is None:
            f.location = loc
        else:
            rel.location = loc


def _child(conn, jobs: list[_Job]) -> None:  # type: ignore[no-untyped-def]
    try:
        conn.send_bytes(pickle.dumps(("ok", _compute(jobs))))
    except BaseException as exc:  # noqa: BLE001 - the parent computes them itself instead
        conn.send_bytes(pickle.dumps(("error", repr(exc))))
    finally:
        conn.close()


def _in_parallel(mine: list[_Job], theirs: list[_Job]) -> None:
    mp = multiprocessing.get_context("fork")
    parent, child = mp.Pipe()
    proc = mp.Process(target=_child, args=(child, theirs), daemon=True)
    proc.start()
    child.close()
    _assign(mine, _compute(mine))
    try:
        kind, value = pickle.loads(parent.recv_bytes())
    except EOFError:
        kind, value = "error", None
    proc.join(timeout=5)
    _assign(theirs, value if kind == "ok" else _compute(theirs))


def _location(index: SpanIndex, f: Finding) -> Location:
    if f.resource is not None:
        return _resource_location(index, f.resource, f.path)
    source = f.source
    assert source is not None, f"finding {f.rule} has neither resource nor source"
    if not f.line and f.doc_index is not None:
        span, _ = index.locate(source, f.doc_index, tuple(f.path))
        f.line, f.column, f.end_line, f.end_column = (span.line, span.column, span.end_line,
                                                       span.end_column)
    line, column = f.line or 1, f.column or 1
    return Location(*_shown(source, line, column, f.end_line or line, f.end_column or column))


def _resource_location(index: SpanIndex, res: Resource, path: tuple) -> Location:
    origin = res.origin
    span, _ = index.locate(origin.source, origin.doc_index, origin.prefix + tuple(path))
    return Location(*_shown(origin.source, span.line, span.column, span.end_line, span.end_column))


def _shown(source, line: int, column: int, end_line: int, end_column: int) -> tuple:
    """Location fields in display coordinates (Helm templates name their own file and lines)."""
    file, shown, end, end_col = source.display_span(line, column, end_line, end_column)
    return file, shown, column, end, end_col
