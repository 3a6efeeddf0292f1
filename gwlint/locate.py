"""Resolve findings to file/line/column spans, recomposing only the files that have findings.

Each file is read once for all the locations in it (findings and their related locations,
grouped by file, then by document): a natively parsed file by gwlint.native_spans (each document
with locations parsed again alone), PyYAML composing the others and what the native locator
cannot tell; nothing of a file is kept once its locations are placed. With findings in many
files, the files are shared with one forked process.

Memory: a forked child shares the parent's pages only until either process writes to them, and
in CPython merely reading an object writes its reference count. So the work is first reduced to
fresh, compact requests (the file's packed text, document index, path); after the fork both
processes touch nothing but those, and findings are updated only once the child has exited.
Letting the child walk findings and resources instead copied ~250 MB of pages at 100,000
resources.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlint import native
from gwlint.findings import FieldPath, Finding, Location, Related
from gwlint.source import SourceFile
from gwlint.spans import SpanIndex

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from types import ModuleType

    from gwlint.native_spans import Locator

PARALLEL_MIN_FILES = 400


@dataclass(slots=True)
class _Job:
    """One location to fill: a finding's own (`related` None) or one of its related ones."""

    source: SourceFile
    finding: Finding
    related: Related | None
    doc_index: int | None  # None: the position is already known (or there is nothing to compose)
    path: FieldPath


# (text or zlib-packed text, document index, path, parsed natively): all a span needs, nothing
# shared to touch
_Request = tuple[str | bytes, int, FieldPath, bool]
_Span = tuple[int, int, int, int]  # line, column, end line, end column (1-based)


class _Text:
    """A text for SpanIndex, unpacked on first use (SpanIndex needs only `.text` and `.native`)."""

    __slots__ = ("_blob", "_text", "native")

    def __init__(self, blob: str | bytes, native: bool) -> None:
        self._blob = blob
        self._text: str | None = None
        self.native = native

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = SourceFile.unblob(self._blob)
        return self._text


def locate(findings: list[Finding]) -> None:
    """Fill `location` of every finding and of its related locations."""
    jobs: list[_Job] = []
    for f in findings:
        jobs.append(_job(f, None))
        jobs.extend(_job(f, r) for r in f.related if r.resource)
    pending = [job for job in jobs if job.doc_index is not None]
    # grouped by file (each file is composed once), documents in order
    pending.sort(key=lambda job: (id(job.source), job.doc_index))
    requests: list[_Request] = [(job.source.blob(), job.doc_index, job.path, job.source.native)
                                for job in pending if job.doc_index is not None]
    sources = sorted({id(job.source) for job in pending})
    if len(sources) >= PARALLEL_MIN_FILES and _can_fork():
        spans = _in_parallel(requests, set(sources[1::2]), [id(job.source) for job in pending])
    else:
        spans = _spans(requests)
    for job, span in zip(pending, spans, strict=True):
        _fill(job, span)
    for job in jobs:
        if job.doc_index is None:
            _fill(job, None)


def _can_fork() -> bool:
    import multiprocessing  # imported here to keep start-up fast: only many findings fork

    return "fork" in multiprocessing.get_all_start_methods()


def _job(f: Finding, rel: Related | None) -> _Job:
    if rel is not None:  # the file that wrote the value (a Kustomize patch, say): Origin.at
        # jobs are made only for related locations that name a resource
        source, doc_index, path = rel.resource.origin.at(rel.path)  # type: ignore[union-attr]
        return _Job(source, f, rel, doc_index, path)
    if f.resource is not None:
        source, doc_index, path = f.resource.origin.at(f.path)
        return _Job(source, f, None, doc_index, path)
    assert f.source is not None, f"finding {f.rule} has neither resource nor source"
    composed = f.doc_index if not f.line else None
    return _Job(f.source, f, None, composed, tuple(f.path))


def _spans(requests: list[_Request]) -> list[_Span]:
    """The span of each request, in order. A text the native front end parsed is located by
    `native_spans.Locator` (one per text: requests come grouped by text, so each document is
    parsed once); what it cannot tell, and every other text, spans.SpanIndex recomposes."""
    out: list[_Span] = []
    blob: str | bytes | None = None
    locator: Locator | None = None
    index = SpanIndex()
    text = _Text("", False)
    for request_blob, doc_index, path, parsed_natively in requests:
        if request_blob is not blob:  # the next text: nothing of the last one is kept (its
            blob, locator = request_blob, None  # unpacked text, its trees), so memory does not
            text = _Text(request_blob, False)  # grow with the files that have findings
            index = SpanIndex()  # composes only when asked to
            if parsed_natively and _native_spans() is not None:
                locator = _native_spans().Locator(text.text)  # type: ignore[union-attr]
        if locator is not None:
            located = locator.locate(doc_index, path)
            if located is not None:
                out.append(located[0])
                continue
        span = index.locate(text, doc_index, path)[0]
        out.append((span.line, span.column, span.end_line, span.end_column))
    return out


def _native_spans() -> ModuleType | None:
    """gwlint.native_spans, where the native front end is available (imported here to keep
    start-up fast: ctypes and rapidyaml's binding, for runs that parsed natively)."""
    if not native.available():
        return None
    from gwlint import native_spans

    return native_spans


def _fill(job: _Job, span: _Span | None) -> None:
    f = job.finding
    if span is None:
        line, column = f.line or 1, f.column or 1
        span = (line, column, f.end_line or line, f.end_column or column)
    elif job.related is None and f.resource is None:
        f.line, f.column, f.end_line, f.end_column = span
    line, column, end_line, end_column = span
    file, line, end_line, end_column = job.source.display_span(line, column, end_line,
                                                               end_column)
    location = Location(file, line, column, end_line, end_column)
    if job.related is None:
        f.location = location
    else:
        job.related.location = location


def _child(conn: Connection, requests: list[_Request]) -> None:
    import pickle  # imported here to keep start-up fast (as in _in_parallel)

    try:
        conn.send_bytes(pickle.dumps(("ok", _spans(requests))))
    except BaseException as exc:  # noqa: BLE001 - the parent computes them itself instead
        conn.send_bytes(pickle.dumps(("error", repr(exc))))
    finally:
        conn.close()


def _in_parallel(requests: list[_Request], theirs: set[int], keys: list[int]) -> list[_Span]:
    """Spans of `requests`; those of the sources in `theirs` are computed by a forked child."""
    mine_at = [i for i, key in enumerate(keys) if key not in theirs]
    theirs_at = [i for i, key in enumerate(keys) if key in theirs]
    their_requests = [requests[i] for i in theirs_at]
    # imported here to keep start-up fast: only many findings fork
    import multiprocessing
    import pickle

    mp = multiprocessing.get_context("fork")
    parent, child = mp.Pipe()
    proc = mp.Process(target=_child, args=(child, their_requests), daemon=True)
    proc.start()
    child.close()
    spans: list[_Span | None] = [None] * len(requests)
    for i, span in zip(mine_at, _spans([requests[i] for i in mine_at]), strict=True):
        spans[i] = span
    try:
        kind, value = pickle.loads(parent.recv_bytes())
    except EOFError:
        kind, value = "error", None
    proc.join(timeout=5)
    # the worker answers one span per request
    for i, span in zip(theirs_at, value if kind == "ok" else _spans(their_requests), strict=False):
        spans[i] = span
    return spans  # type: ignore[return-value]  # every index is filled above
