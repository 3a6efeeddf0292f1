"""Regular expressions with Go RE2 semantics, fast.

The API server evaluates schema ``pattern`` and CEL ``matches()`` with Go's RE2: linear
time, ``$`` only at the very end (Python's ``re`` also matches before a trailing newline),
``\\d``/``\\w``/``\\b`` ASCII-only, no lookaround or backreferences.

* Schema patterns run in jsonschema-rs on the ``regex`` crate engine (RE2 family).
* Everything matched from Python (CEL ``matches()`` with a constant pattern, metadata
  names, the Kubernetes format library) goes through :func:`compile` here. google-re2 is
  the reference engine, but its Python wrapper costs ~5 us per search; for patterns that
  only use constructs whose meaning is identical in both engines we translate to Python's
  ``re`` (``$`` -> ``\\Z``, ASCII classes), which is ~15x faster. Anything else (flags,
  lookaround, Unicode classes, ``\\s``, ``{,n}``, ...) stays on google-re2.
  tests/test_schema_regex.py checks the translation differentially against RE2.
* Python's ``re`` backtracks: ``^[!-~]+([\\t ]?[!-~]+)*$`` (header values in the route CRDs)
  takes seconds on a 30-character value that fails at its end, and exponentially longer on
  longer ones. A translated pattern runs on ``re`` only when :func:`linear` proves that no
  input can make it backtrack more than a constant number of times per character (for searches,
  every start position included); every other one stays on google-re2, which is linear.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any
from collections.abc import Callable


@functools.cache
def _re2() -> Any:
    """google-re2, or None (a declared dependency: the fallback only keeps a broken install
    usable). Imported on first use, to keep start-up fast: most patterns run on ``re``."""
    try:
        import re2
    except ImportError:  # pragma: no cover
        return None
    return re2


# Escapes with the same meaning in RE2 (ASCII classes) and Python re with re.ASCII.
_SAFE_ESCAPES = frozenset("\\.-/^$*+?()[]{}|dwDWbBtnrfva'\"!#%&,:;<=>@`~_ ")
_HEX = frozenset("0123456789abcdefABCDEF")


def translate(pattern: str) -> str | None:
    """An equivalent Python ``re`` pattern (for re.ASCII), or None if not provably equal."""
    return _translate(pattern)[0]


def _translate(pattern: str) -> tuple[str | None, int]:
    """(Python pattern, re flags). A leading ``(?i)`` (possibly after ``^``) becomes
    re.IGNORECASE without re.ASCII: Python's Unicode case folding then agrees with RE2's
    (Kelvin sign, long s...), provided no ``\\d``/``\\w``/``\\b`` (Unicode-aware without
    re.ASCII) appear."""
    flags = re.ASCII
    for prefix in ("(?i)", "^(?i)"):
        if pattern.startswith(prefix):
            rest = pattern[len(prefix):]
            if re.search(r"\\[dDwWbB]", rest):
                return None, 0
            translated = _translate_body(rest)
            if translated is None:
                return None, 0
            return ("^" if prefix.startswith("^") else "") + translated, re.IGNORECASE
    return _translate_body(pattern), flags


def _translate_body(pattern: str) -> str | None:
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            e = pattern[i + 1]
            if e == "x":  # \xHH only (RE2's \x{...} has no Python equivalent)
                digits = pattern[i + 2:i + 4]
                if len(digits) == 2 and all(h in _HEX for h in digits):
                    out.append(pattern[i:i + 4])
                    i += 4
                    continue
                return None
            if e not in _SAFE_ESCAPES or (in_class and e in "bB"):
                return None
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == "[" and i + 1 < n and pattern[i + 1] in ":=.":  # POSIX classes / collating
                return None
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # leading ']' is a literal in both engines
                out.append("\\]")
                i += 1
            continue
        if c == "(" and pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            return None  # flags, lookaround, named groups: leave to RE2
        if c == "{" and pattern.startswith("{,", i):
            return None  # RE2 reads "{,n}" literally, Python as a repetition
        if c in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            return None  # possessive quantifier: an error in RE2
        out.append("\\Z" if c == "$" else c)
        i += 1
    if in_class:
        return None
    return "".join(out)


# ----------------------------------------------------------------------------- linear time
#
# A backtracking matcher explores, for an input, every path of the pattern's position automaton
# (Glushkov's: one state per character class of the pattern; parallel edges kept, one per way the
# pattern's structure allows a step) that reads a prefix of it. When that number is bounded for
# every input (the automaton is finitely ambiguous with every state accepting), a match attempt
# costs O(length of the input); otherwise it is polynomial or exponential, and Weber and Seidl's
# criteria tell which: exponential when a state has two distinct cycles reading the same word
# (EDA), polynomial when two distinct states p and q, each on a cycle, have p -> p, p -> q and
# q -> q reading the same word (IDA). Both are decided on product automata over a finite alphabet:
# the intervals between the boundaries of every class of the pattern. A search (not anchored at
# the start) tries every start position: a state that loops on every character and leads to the
# pattern's first positions models it. Over-approximations keep the verdict sound: bounded
# repetitions count as unbounded, assertions as empty, case-insensitive classes as every case
# and every non-ASCII character, negated classes with categories as every character.

_MAX_CHAR = 0x10FFFF
_ANY_CHAR = ((0, _MAX_CHAR),)
_STATES_LIMIT = 160  # positions; larger patterns stay on RE2 rather than cost the analysis
_COPIES_LIMIT = 4  # X{n} is written out up to this n, modelled as X X* beyond


class _Unsafe(Exception):
    """A construct the analysis does not model: the pattern stays on RE2."""


Intervals = tuple[tuple[int, int], ...]


class _Automaton:
    """Positions (their classes) and edges with multiplicities, built from sre's parse tree."""

    def __init__(self, flags: int) -> None:
        self.classes: list[Intervals] = []
        self.edges: dict[tuple[int, int], int] = {}
        self.ascii = bool(flags & re.ASCII)
        self.fold = bool(flags & re.IGNORECASE)

    def position(self, intervals: Intervals) -> int:
        if len(self.classes) >= _STATES_LIMIT:
            raise _Unsafe("too large")
        self.classes.append(intervals)
        return len(self.classes) - 1

    def link(self, sources: dict[int, int], targets: dict[int, int]) -> None:
        for p, m in sources.items():
            for q, n in targets.items():
                self.edges[p, q] = min(2, self.edges.get((p, q), 0) + m * n)

    # (first positions, last positions, ways to match empty), multiplicities capped at 2
    Part = tuple[dict[int, int], dict[int, int], int]

    def sequence(self, items: Any) -> Part:
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        empty = 1
        for op, av in items:
            f, la, e = self.item(op, av)
            self.link(last, f)
            first = _plus(first, f, empty)
            last = _plus(la, last, e)
            empty = min(2, empty * e)
        return first, last, empty

    def item(self, op: Any, av: Any) -> Part:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL", "ANY", "IN"):
            p = self.position(self.chars(name, av))
            return {p: 1}, {p: 1}, 0
        if name == "AT":
            return {}, {}, 1
        if name == "SUBPATTERN":
            if av[1] or av[2]:  # flags inside the pattern: not translated anyway
                raise _Unsafe("inline flags")
            return self.sequence(av[3])
        if name == "BRANCH":
            first: dict[int, int] = {}
            last: dict[int, int] = {}
            empty = 0
            for branch in av[1]:
                f, la, e = self.sequence(branch)
                first, last, empty = _plus(first, f, 1), _plus(last, la, 1), min(2, empty + e)
            return first, last, empty
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            return self.repeat(*av)
        raise _Unsafe(name)

    def repeat(self, low: int, high: int, body: Any) -> Part:
        if high == 0:
            return {}, {}, 1
        if high == low and low <= _COPIES_LIMIT:  # X{n}: n copies in a row
            return self.sequence([(_SUBPATTERN, (None, 0, 0, body))] * low)
        if low == 0 and high == 1:  # X?
            f, la, e = self.sequence(body)
            return f, la, min(2, e + 1)
        first, last, empty = self.sequence(body)
        if empty:
            raise _Unsafe("a repeated part that matches the empty string")
        self.link(last, first)  # X*: the loop
        if not low:
            return first, last, 1
        head_first, head_last, _ = self.sequence(body)  # X X*: one copy before the loop
        self.link(head_last, first)
        return head_first, _plus(last, head_last, 1), 0

    def chars(self, name: str, av: Any) -> Intervals:
        if name == "ANY":
            return _ANY_CHAR
        if name == "LITERAL":
            return self.folded(((av, av),))
        if name == "NOT_LITERAL":
            if self.fold:
                return _ANY_CHAR
            return _normal([(0, av - 1), (av + 1, _MAX_CHAR)])
        found: list[tuple[int, int]] = []
        negate = False
        for op, value in av:
            kind = str(op)
            if kind == "NEGATE":
                negate = True
            elif kind == "LITERAL":
                found.append((value, value))
            elif kind == "RANGE":
                found.append(value)
            elif kind == "CATEGORY" and self.ascii and str(value) in _ASCII_CATEGORIES:
                found.extend(_ASCII_CATEGORIES[str(value)])
            else:  # Unicode categories: every character is an over-approximation
                return _ANY_CHAR
        if negate:
            return _ANY_CHAR if self.fold else _complement(_normal(found))
        return self.folded(tuple(found))

    def folded(self, intervals: Intervals) -> Intervals:
        """Case-insensitive classes: both ASCII cases, and (Unicode folding: the Kelvin sign, the
        long s, ...) every non-ASCII character once a letter is in the class."""
        if not self.fold:
            return _normal(list(intervals))
        out = list(intervals)
        for lo, hi in intervals:
            for a, b in ((65, 90), (97, 122)):
                lo2, hi2 = max(lo, a), min(hi, b)
                if lo2 <= hi2:
                    out.append((lo2 ^ 32, hi2 ^ 32))
                    out.append((128, _MAX_CHAR))
        return _normal(out)


_SUBPATTERN = re._parser.SUBPATTERN  # type: ignore[attr-defined]
_ASCII_CATEGORIES = {
    "CATEGORY_DIGIT": ((48, 57),),
    "CATEGORY_NOT_DIGIT": ((0, 47), (58, _MAX_CHAR)),
    "CATEGORY_WORD": ((48, 57), (65, 90), (95, 95), (97, 122)),
    "CATEGORY_NOT_WORD": ((0, 47), (58, 64), (91, 94), (96, 96), (123, _MAX_CHAR)),
}


def _plus(a: dict[int, int], b: dict[int, int], times: int) -> dict[int, int]:
    """Multiset a + times * b (capped at 2)."""
    if not times:
        return dict(a)
    out = dict(a)
    for k, v in b.items():
        out[k] = min(2, out.get(k, 0) + v * times)
    return out


def _normal(intervals: list[tuple[int, int]]) -> Intervals:
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(i for i in intervals if i[0] <= i[1]):
        if out and lo <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return tuple(out)


def _complement(intervals: Intervals) -> Intervals:
    out, at = [], 0
    for lo, hi in intervals:
        if lo > at:
            out.append((at, lo - 1))
        at = hi + 1
    if at <= _MAX_CHAR:
        out.append((at, _MAX_CHAR))
    return tuple(out)


def _anchored(items: Any) -> bool:
    """Whether every match of this sequence starts at the string's start (a leading `^`)."""
    for op, av in items:
        name = str(op)
        if name == "AT":
            return str(av) in ("AT_BEGINNING", "AT_BEGINNING_STRING")
        if name == "SUBPATTERN":
            return _anchored(av[3])
        if name == "BRANCH":
            return all(_anchored(branch) for branch in av[1])
        return False
    return False


def linear(python_pattern: str, flags: int = re.ASCII, search: bool = True) -> bool:
    """Whether Python's backtracking ``re`` runs `python_pattern` in time linear in the input,
    for every input: its searches (`search`) or its matches anchored at the start."""
    try:
        tree = re._parser.parse(python_pattern, flags)  # type: ignore[attr-defined]
        automaton = _Automaton(flags)
        top = list(tree)
        branches = ([b for op, av in top for b in av[1]]
                    if len(top) == 1 and str(top[0][0]) == "BRANCH" else [top])
        start: dict[int, int] = {}
        loose: dict[int, int] = {}  # first positions reachable from a later start position
        for branch in branches:
            first, _, _ = automaton.sequence(branch)
            start = _plus(start, first, 1)
            if search and not _anchored(branch):
                loose = _plus(loose, first, 1)
    except (_Unsafe, re.error, RecursionError, TypeError, ValueError):
        return False
    return _linear_automaton(automaton, loose)


def _linear_automaton(automaton: _Automaton, loose: dict[int, int]) -> bool:
    if loose:  # a state before the match that reads any character: every start position
        any_state = automaton.position(_ANY_CHAR)
        automaton.link({any_state: 1}, {any_state: 1})
        automaton.link({any_state: 1}, loose)
    return not _ambiguous(automaton)


def _ambiguous(automaton: _Automaton) -> bool:
    """EDA or IDA (see above) among the states reachable from the start (all of them are)."""
    classes = automaton.classes
    n = len(classes)
    succ: list[list[int]] = [[] for _ in range(n)]
    for p, q in automaton.edges:
        succ[p].append(q)
    component = _components(n, succ)
    looping = {p for p in range(n) if any(component[q] == component[p] for q in succ[p])}
    for (p, q), m in automaton.edges.items():
        if m > 1 and component[p] == component[q]:
            return True  # two edges p -> q on one cycle: two cycles with the same word
    bounds = sorted({lo for c in classes for lo, _ in c} | {hi + 1 for c in classes for _, hi in c})
    masks = [_mask(c, bounds) for c in classes]
    if _two_cycles(n, succ, component, masks):
        return True
    reach = [_reachable(p, succ) for p in range(n)]
    for p in looping:
        for q in looping:
            if p != q and q in reach[p] and _polynomial(p, q, succ, component, masks):
                return True
    return False


def _components(n: int, succ: list[list[int]]) -> list[int]:
    """Strongly connected components (Tarjan, iterative): a component number per state."""
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    component = [-1] * n
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            if i < len(succ[v]):
                work.append((v, i + 1))
                w = succ[v][i]
                if index[w] < 0:
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component[w] = v
                    if w == v:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return component


def _mask(intervals: Intervals, bounds: list[int]) -> int:
    """The class as a set of elementary intervals (bit i: [bounds[i], bounds[i+1]))."""
    mask = 0
    for lo, hi in intervals:
        for i in range(bisect.bisect_left(bounds, lo), bisect.bisect_left(bounds, hi + 1)):
            mask |= 1 << i
    return mask


def _reachable(p: int, succ: list[list[int]]) -> set[int]:
    seen, todo = {p}, [p]
    while todo:
        for q in succ[todo.pop()]:
            if q not in seen:
                seen.add(q)
                todo.append(q)
    return seen


def _two_cycles(n: int, succ: list[list[int]], component: list[int], masks: list[int]) -> bool:
    """EDA: pairs of states read together from a diagonal (q, q); a component of that product
    holding a diagonal and an off-diagonal pair means two distinct cycles with the same word."""
    pairs: dict[tuple[int, int], list[tuple[int, int]]] = {}
    todo = [(q, q) for q in range(n)]
    seen = set(todo)
    while todo:
        a, b = todo.pop()
        out = pairs[a, b] = []
        for x in succ[a]:
            for y in succ[b]:
                if component[x] == component[a] and component[y] == component[b] \
                        and masks[x] & masks[y]:
                    out.append((x, y))
                    if (x, y) not in seen:
                        seen.add((x, y))
                        todo.append((x, y))
    keys = list(pairs)
    number = {k: i for i, k in enumerate(keys)}
    graph = [[number[t] for t in pairs[k]] for k in keys]
    parts = _components(len(keys), graph)
    diagonal = {parts[number[k]] for k in keys if k[0] == k[1]}
    return any(k[0] != k[1] and parts[number[k]] in diagonal
               and any(parts[t] == parts[number[k]] for t in graph[number[k]])
               for k in keys)


def _polynomial(p: int, q: int, succ: list[list[int]], component: list[int],
                masks: list[int]) -> bool:
    """IDA for (p, q): one word that leads p -> p, p -> q and q -> q at once (triples of states
    read together, from (p, p, q) to (p, q, q))."""
    start, goal = (p, p, q), (p, q, q)
    seen = {start}
    todo = [start]
    while todo:
        a, b, c = todo.pop()
        for x in succ[a]:
            if component[x] != component[p]:
                continue
            for z in succ[c]:
                if component[z] != component[q] or not masks[x] & masks[z]:
                    continue
                both = masks[x] & masks[z]
                for y in succ[b]:
                    if both & masks[y]:
                        state = (x, y, z)
                        if state == goal:
                            return True
                        if state not in seen:
                            seen.add(state)
                            todo.append(state)
    return False


class _Compiled:
    """search/fullmatch over either engine: Python's ``re`` where the translation is exact and
    linear (per use, decided on first use: a search tries every start position, a full match
    only the first), google-re2 otherwise. Callers keep `search` and `fullmatch` as functions,
    so they stay these methods; the engine's own is looked up once."""

    __slots__ = ("_flags", "_fullmatch", "_pattern", "_python", "_re2", "_search")

    def __init__(self, pattern: str) -> None:
        self._pattern = pattern
        python_pattern, self._flags = _translate(pattern)
        self._python: Any = None
        if python_pattern is not None:
            try:
                self._python = re.compile(python_pattern, self._flags)
            except re.error:
                self._python = None
        self._re2: Any = None
        self._search: Callable[[str], Any] | None = None
        self._fullmatch: Callable[[str], Any] | None = None

    def _engine(self, search: bool) -> Any:
        python = self._python
        if python is not None and linear(python.pattern, self._flags, search=search):
            return python
        if self._re2 is None:
            engine = _re2()
            self._re2 = (engine.compile(self._pattern) if engine is not None
                         else python or re.compile(self._pattern))  # pragma: no cover
        return self._re2

    def search(self, text: str) -> Any:
        found = self._search
        if found is None:
            found = self._search = self._engine(search=True).search
        return found(text)

    def fullmatch(self, text: str) -> Any:
        found = self._fullmatch
        if found is None:
            found = self._fullmatch = self._engine(search=False).fullmatch
        return found(text)


@functools.lru_cache(maxsize=4096)
def compile(pattern: str) -> _Compiled:  # noqa: A001 - mirrors re.compile
    return _Compiled(pattern)


def search(pattern: str, text: str) -> bool:
    """Unanchored match, as JSON Schema ``pattern`` and CEL ``matches()`` define it."""
    return compile(pattern).search(text) is not None


def cel_matches(text: str, pattern: str) -> bool:
    """CEL ``text.matches(pattern)`` (member-call argument order)."""
    return compile(pattern).search(text) is not None


def fullmatch(pattern: str, text: str) -> bool:
    return compile(pattern).fullmatch(text) is not None


def matcher(pattern: str) -> Callable[[str], bool]:
    """A compiled unanchored matcher."""
    search_fn = compile(pattern).search
    return lambda text: search_fn(text) is not None


def re2_search(pattern: str, text: str) -> bool:
    """The reference RE2 engine, always (tests compare the fast path against it)."""
    engine = _re2()
    if engine is None:  # pragma: no cover
        raise RuntimeError("google-re2 is not installed")
    return engine.compile(pattern).search(text) is not None


def jsonschema_pattern_options() -> Any:
    """jsonschema-rs options selecting the linear-time ``regex`` crate (RE2-like) engine.

    The default fancy-regex engine supports backtracking constructs RE2 rejects; the
    ``regex`` crate matches Go's syntax and semantics for every pattern the CRDs contain
    (tests/test_schema_regex.py checks them against RE2 differentially).
    """
    import jsonschema_rs

    return jsonschema_rs.RegexOptions()
