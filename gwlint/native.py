"""A native YAML front end: rapidyaml parses, orjson builds the values, PyYAML stays the reference.

`parse(text)` returns, per document, the value and the line of its root exactly as
`loader.parse_source` gives them, or None: then PyYAML decides (and reports). It is several times
faster than composing with the C loader because no Python object is made per YAML node: rapidyaml
(C++) parses the stream and emits it as JSON, orjson (Rust) turns the JSON into Python values and
back into compact JSON, and every check below is a C-speed search over text.

rapidyaml emits JSON by YAML 1.2 rules, not by the YAML 1.1 rules that PyYAML (and Kubernetes)
apply to plain scalars: `yes`, `~`, `012`, `0x1F`, `1_000`, `3:25:45`, `.inf` come out as strings,
`1e3` and `-.5` as numbers, `inf` as the string ".inf" (and a key `nan`, even quoted, as ".nan"),
and a quoted `'yes'` looks like a plain `yes` once emitted. So a text is taken only when the
checks prove the values identical; otherwise `parse` refuses (None) and `explain` says why:

1. the source text (C-speed searches): a character libyaml rejects or reads differently (tab, CR,
   NEL/LS/PS, BOM, controls, invalid UTF-8 read as surrogate escapes); anchors, aliases, tags,
   reserved `@`/backquote, explicit `?` keys, flow collections as keys, a stray
   closing bracket, `%` directives, `...` markers, `{{` templates, more than 100 flow brackets,
   a flow collection across lines (rapidyaml takes implicit keys across lines there);
   a document starting with a closing bracket or a root block scalar (rapidyaml reads those,
   libyaml refuses them); more documents than the loader takes;
2. rapidyaml or orjson refuses the text (invalid YAML: PyYAML then reports GW001 at its position),
   the emitter's own depth limit (64 levels; the loader's limit is 200), or the documents found by
   rapidyaml differ from the document markers;
3. the emitted JSON: a duplicate key (GW002: the JSON has more `":` than orjson's re-encoding of
   what it kept), an empty key (PyYAML's is null, rapidyaml's ""), a float or a 64-bit-overflowing
   integer, or a string that YAML 1.1 would read as a boolean, null, number or merge key when
   written plain: such a string is taken only when no plain occurrence of it exists in the source
   (a superset search: a quoted `"yes"` is fine, `a: yes` is not).

Spans of natively parsed texts: gwlint.native_spans (imported only when one is needed).

When it is used: GWLINT_NATIVE=0 never, GWLINT_NATIVE=1 for every text; otherwise once a run's
inputs are large enough for the fast path to repay importing it (`activate_for`, called by the
load stage with the size of its texts): a one-file run never imports rapidyaml. Without the
native packages (no wheel for the platform) or with another rapidyaml release than the one these
checks were proven against, `parse` always returns None and PyYAML does everything.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# The checks below are proven against this rapidyaml release only (its emitter's rewrites and its
# leniencies are release details): another one leaves everything to PyYAML.
TESTED_RELEASE = (0, 15)
# Characters of input from which the fast path pays for importing rapidyaml and orjson (about
# 5-15 ms): PyYAML composes about 10 KB per millisecond, the fast path several times more.
MIN_CHARS = 128 * 1024

MAX_DEPTH = 200  # as loader.MAX_DEPTH (rapidyaml's emitter stops at 64 levels anyway)
MAX_NODES = 1_000_000  # as loader.MAX_NODES
MAX_DOCUMENTS = 100_000  # as loader.MAX_DOCUMENTS
MAX_FLOW = 100  # flow brackets per file

ryml: Any = None  # the modules, once imported (`available`)
orjson: Any = None
_ryml: Any = None  # rapidyaml's compiled binding, called directly where it is called often
_state: dict[str, bool] = {}  # "available": imported and the tested release; "active": in use


def _mode() -> str:
    """GWLINT_NATIVE: "0" never, "1" always, anything else: by the size of the input."""
    return {"0": "off", "1": "on"}.get(os.environ.get("GWLINT_NATIVE", ""), "auto")


def available() -> bool:
    """Whether the fast path can run here (imports the native packages on first call: they
    are imported only when used, to keep start-up fast)."""
    found = _state.get("available")
    if found is None:
        found = _state["available"] = _mode() != "off" and _import()
    return found


def _import() -> bool:
    global ryml, orjson, _ryml
    try:
        import orjson as json_module
        import ryml as ryml_module
    except ImportError:  # no wheel for this platform: the loader's PyYAML path does everything
        return False
    if tuple(ryml_module.version_tuple[:2]) != TESTED_RELEASE:
        return False
    ryml, orjson, _ryml = ryml_module, json_module, ryml_module._ryml
    return True


def json_module() -> Any:
    """orjson, imported on first use (None without its wheel, or with GWLINT_NATIVE=0)."""
    if _mode() == "off":
        return None
    try:
        import orjson as json_module  # imported here to keep start-up fast: reports only
    except ImportError:  # no wheel for this platform
        return None
    return json_module


def activate_for(chars: int) -> bool:
    """Use the fast path from now on if a run's input of `chars` characters repays it (or
    GWLINT_NATIVE=1); once active, it stays active in this process. Returns whether active."""
    if not _state.get("active") and (chars >= MIN_CHARS or _mode() == "on") and available():
        _state["active"] = True
    return bool(_state.get("active"))


def active() -> bool:
    """Whether `parse` is in use in this process (see `activate_for`)."""
    return bool(_state.get("active"))


# ---------------------------------------------------------------------------- source checks

# Bytes that need no look: printable ASCII but the YAML indicators checked below, line feeds, and
# every byte of a multi-byte character (those are checked by _bad_chars, in texts that have them).
# One C-speed translate tells which of the rest a text holds; most texts hold none.
_SYNTAX_CHARS = "&*!@`?%[]{}"
_PLAIN_BYTES = bytes(b for b in range(256)
                     if (0x20 <= b < 0x7F and chr(b) not in _SYNTAX_CHARS)
                     or b == 0x0A or b >= 0x80)


@functools.cache
def _bad_chars() -> re.Pattern[str]:
    """Characters libyaml rejects or reads differently (compiled on first use: 12 ms, for the
    few texts that are not ASCII)."""
    return re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                      "\U00010000-\U0010ffff]")


# Where a node may start: a line, a space, a flow indicator, the `:` after a quoted key (`"a":!x`);
# for a tag also right after a quote (`'a'!b`: libyaml refuses it, rapidyaml reads a document).
_NODE_BEFORE = frozenset(" \n[{,:")
_TAG_BEFORE = _NODE_BEFORE | {"'", '"'}
_DOC_END = re.compile(r"^\.\.\.(?=\s|\Z)", re.MULTILINE)


@functools.cache
def _flow() -> re.Pattern[str]:
    """Flow syntax libyaml and rapidyaml read differently (compiled on first use, as the next
    one: the two cost 2 ms, and only natively parsed runs need them). Each alternative starts
    with a rare character (the regex engine skips to it) and checks the context behind it."""
    return re.compile(
        r"\{\{"  # Go/Helm template
        + r"|[\]}][ ]*:"  # a flow collection as a key
        # a closing bracket where a block node starts (flows across lines are refused): a
        # stray one
        + r"|[\]}](?:(?<=\A.)|(?<=[ ]{9}.)|"
        + "|".join(f"(?<=\n{' ' * k}.)|(?<=[:?-] {' ' * k}.)" for k in range(9)) + ")")


_OPENER = re.compile(r"[\[{]")
# quoted scalars and comments on one line: their brackets are not flow indicators
_NOT_FLOW = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|(?:^|(?<=\s))#.*")
_DOC_MARK = re.compile(r"---(?:(?<=\n---)|(?<=\A---))(?=[ \n]|\Z)")
# blank and comment lines (the last one perhaps without a line break): not a root node
_SKIP = re.compile(r"(?:[ ]*(?:#[^\n]*)?\n)*[ ]*(?:#[^\n]*\Z)?")
_BAD_ROOT = frozenset("]},@`|>")  # a document cannot start so: libyaml refuses, rapidyaml reads

# ---------------------------------------------------------------------------- JSON checks

# Scalars YAML 1.1 reads as a boolean, null, number or merge key (PyYAML's implicit resolvers,
# widened: every number-like token, inf/nan in any case), as they appear inside a JSON string.
_YAML11 = (
    r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE|~|Null|NULL|<<"
    r"|[-+]?(?:0[xXoObB][0-9a-fA-F_.]*(?:[pP][-+]?[0-9]+)?"
    r"|(?=\.?[0-9])[0-9_]*\.?[0-9_]*(?:[eE][-+]?[0-9]*)?"
    r"|\.?(?i:inf|nan|infinity))"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)"
)
_FIRST = r"(?=[-+.0-9~<YNOTFyno])"  # cheap rejection of every other string
# As a key: PyYAML makes str(value) of it; only canonical integers (not -0) keep their text.
_KEY_OK = r"(?:0|-?[1-9][0-9]{0,17})"
# As a value: a JSON number inside quotes was quoted in the source (a plain one is a literal).
_VALUE_OK = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_AFTER_VALUE = r'"(?:[,}\]]|\Z)'


@functools.cache
def _suspect() -> re.Pattern[bytes]:
    """A quoted key or value PyYAML would read as another type (compiled on first use)."""
    return re.compile(
        ('"' + _FIRST + "(?:(?!" + _KEY_OK + '":)(?P<key>' + _YAML11 + ')":'
         + "|(?!" + _VALUE_OK + _AFTER_VALUE + ")(?P<value>" + _YAML11 + ")" + _AFTER_VALUE
         + ")").encode())


# A float literal (or an integer orjson read as one: beyond 64 bits) in compact JSON.
_FLOAT = re.compile(rb"[:\[,]-?[0-9]++(?:\.[0-9]++(?:[eE][-+]?[0-9]++)?|[eE][-+]?[0-9]++)[,\]}]")
# Where a plain scalar may start and end in the source (supersets: prose can match, a plain
# scalar cannot be missed).
_CTX = r"(?:^[ ]*|[\[{,][ ]*|[\"']:[ ]*|[:?-][ ]+)"
_END = r"(?=[ ]*(?:$|[#,:\]}]))"


def _source_refusal(text: str, data: bytes) -> str | None:
    rest = data.translate(None, _PLAIN_BYTES)  # control characters and indicators, if any
    if rest.translate(None, _SYNTAX_CHARS.encode()):
        return "control character, tab or CR"
    if not text.isascii():
        m = _bad_chars().search(text)
        if m is not None:
            return f"character U+{ord(m.group()):04X}"
    if rest:
        why = _indicator(text, rest)
        if why is not None:
            return why
        if b"[" in rest or b"{" in rest or b"]" in rest or b"}" in rest:
            if text.count("[") + text.count("{") > MAX_FLOW:
                return "flow brackets"
            m = _flow().search(text)
            if m is not None:
                return f"YAML syntax {m.group()!r} at offset {m.start()}"
            if _multiline_flow(text):
                return "flow collection across lines"
    if ("\n..." in text or text.startswith("...")) and _DOC_END.search(text):
        return "document end marker"
    return None


def _indicator(text: str, rest: bytes) -> str | None:
    """An anchor, alias, tag, reserved indicator, explicit key or directive where a node or line
    starts (each occurrence of the few such characters a text holds is looked at)."""
    for char in "&*!@`?%":
        if char.encode() not in rest:
            continue
        at = text.find(char)
        while at >= 0:
            before = text[at - 1] if at else "\n"
            after = text[at + 1:at + 2]
            allowed = _TAG_BEFORE if char == "!" else _NODE_BEFORE
            if (before == "\n" if char == "%" else before in allowed) and (
                    char != "?" or after in ("", " ", "\n")):
                return f"YAML indicator {char!r} at offset {at}"
            at = text.find(char, at + 1)
    return None


def _multiline_flow(text: str) -> bool:
    """Whether a flow collection may span lines: rapidyaml then accepts implicit keys that span
    lines (`{a\n b: 1}`), which libyaml refuses. A line that opens more brackets than it closes
    (outside quotes and comments), or keeps a quote open, is refused."""
    checked = -1
    for m in _OPENER.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        if start == checked:
            continue
        checked = start
        end = text.find("\n", start)
        line = _NOT_FLOW.sub("", text[start:end if end >= 0 else len(text)])
        if ("'" in line or '"' in line
                or line.count("[") + line.count("{") != line.count("]") + line.count("}")):
            return True
    return False


def _root_lines(text: str) -> list[int] | None:
    """1-based line of each document's root node, as libyaml marks it: the first character after
    the document's `---` (or the stream's start) that is not blank or a comment; for an empty
    document, the next marker or the end of the stream (the line after the last one when the text
    does not end with a line break). None for a document that starts with what only rapidyaml
    reads (a stray bracket, a reserved character, a root block scalar)."""
    marks = [m.end() for m in _DOC_MARK.finditer(text)] if "---" in text else []
    first = _SKIP.match(text).end()  # type: ignore[union-attr]
    starts = marks if marks and _DOC_MARK.match(text, first) else [0, *marks]
    if starts == [0] and first == len(text):
        return []  # only blanks and comments: no document at all
    lines, line, pos = [], 1, 0
    for start in starts:
        root = _SKIP.match(text, start).end()  # type: ignore[union-attr]
        if root < len(text) and text[root] in _BAD_ROOT:
            return None
        line += text.count("\n", pos, root)
        pos = root
        lines.append(line + (root == len(text) and not text.endswith("\n")))
    return lines


def _plain_in(text: str, found: set[str]) -> str | None:
    """The first of `found` (YAML 1.1 special strings of the JSON) written plain in `text`."""
    for value in sorted(found):
        if "inf" in value.lower() or "nan" in value.lower():
            return value  # rapidyaml rewrites these: the source may hold another spelling
        pattern = _CTX + re.escape(value) + _END
        if re.search(pattern, text, re.MULTILINE):
            return value
    return None


# ---------------------------------------------------------------------------- the fast path


def _parse(text: str) -> tuple[list[tuple[Any, int]] | None, str]:
    if not available():
        return None, "disabled"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # surrogate escapes: the file is not UTF-8, the loader says so
        return None, "invalid UTF-8"
    why = _source_refusal(text, data)
    if why is not None:
        return None, why
    lines = _root_lines(text)
    if lines is None or len(lines) > MAX_DOCUMENTS:
        return None, "document start"
    with quiet():
        try:
            tree = ryml.parse_in_arena(data)
        except Exception:  # noqa: BLE001 - ryml's parse errors: PyYAML reports them with a position
            return None, "rapidyaml parse error"
        if 2 * tree.size() > MAX_NODES:  # a key-value is one ryml node and two PyYAML nodes
            return None, "node count"
        root = tree.root_id()
        stream = tree.is_stream(root)
        count = tree.num_children(root) if stream else int(tree.type_str(root) != "NOTYPE")
        if count != len(lines):
            return None, "document count"
        if not count:
            return [], ""
        try:
            # into a buffer of ours: ryml.emit_json never frees the C buffer it copies the text
            # from (the whole JSON text of every parse stayed in a long-lived caller's memory)
            emitted = bytearray(ryml.compute_json_length(tree, root))
            del emitted[len(ryml.emit_json_in_place(tree, emitted, root)):]
            value = orjson.loads(emitted)
        except Exception:  # noqa: BLE001 - depth limit, or a number form JSON does not have
            return None, "emit or JSON error"
    # No depth check: the emitter refuses documents deeper than 64 levels (the loader refuses
    # 200); tests/test_native_parse.py pins it.
    compact = orjson.dumps(value)
    if emitted.count(b'":') != compact.count(b'":'):
        return None, "duplicate key"
    if b'"":' in compact:  # an empty key: PyYAML's is None ("null"), rapidyaml's ""
        return None, "empty key"
    if isinstance(value, float) or _FLOAT.search(compact):  # a float document, or one inside
        return None, "float or large integer"
    found = {(m.group("key") or m.group("value")).decode() for m in _suspect().finditer(compact)}
    if found:
        plain = _plain_in(text, found)
        if plain is not None:
            return None, f"YAML 1.1 scalar {plain!r}"
    return list(zip(value if stream else [value], lines, strict=True)), ""


def parse(text: str, share: bool = False) -> list[tuple[Any, int]] | None:
    """(value, 1-based root line) per document, exactly as the loader's PyYAML path gives them
    for a text without issues; None when only PyYAML can tell (see the module docstring).
    `share`: short strings interned, as the loader's PyYAML path does (orjson shares repeated
    keys only): kinds, groups, names and types repeat in every object, so at 100,000 resources
    this saves memory, at the cost of a walk over the values."""
    documents = _parse(text)[0]
    if share and documents:
        for value, _ in documents:
            if value.__class__ is dict or value.__class__ is list:
                _share(value)
    return documents


def _share(node: dict[str, Any] | list[Any], intern: Any = sys.intern) -> None:
    """Intern the short strings of a parsed value, in place (depth: bounded by the parse)."""
    items = node.items() if node.__class__ is dict else enumerate(node)
    for key, value in items:
        cls = value.__class__
        if cls is str:
            if len(value) < 48:
                node[key] = intern(value)  # type: ignore[index]
        elif cls is dict or cls is list:
            _share(value)


def explain(text: str) -> str | None:
    """Why `parse` refuses `text` (None: it takes it). For tests and measurements."""
    result, why = _parse(text)
    return None if result is not None else why


def _c_stderr() -> tuple[Any, int] | None:
    """The C library's `stderr` variable (where rapidyaml reports a parse error before it
    raises) and a stream on the null device to point it at; None where neither is found."""
    if sys.platform == "darwin":
        name = "__stderrp"
    elif sys.platform.startswith("linux") and _glibc():
        name = "stderr"  # a plain variable in glibc (musl declares it const)
    else:
        return None
    import ctypes  # imported here to keep start-up fast: only runs that parse natively

    try:
        libc = ctypes.CDLL(None)
        variable = ctypes.c_void_p.in_dll(libc, name)
        fopen = libc.fopen
    except (OSError, AttributeError, ValueError):
        return None
    fopen.restype, fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
    null = fopen(os.devnull.encode(), b"w")
    return (variable, null) if null else None


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):
        return False


_SILENCE: list[tuple[Any, int] | None] = []  # [_c_stderr()], looked up on first use


@contextmanager
def quiet() -> Iterator[None]:
    """Silence rapidyaml's own report of a parse error (it writes to the C library's stderr
    before raising): the exception alone is what gwlint uses. The C `stderr` pointer is swapped
    for the duration (no system call, nothing else affected: Python writes to file descriptor 2
    itself, so progress lines from another thread still show); where it cannot be found, file
    descriptor 2 is pointed at the null device instead."""
    if not _SILENCE:
        _SILENCE.append(_c_stderr())
    swap = _SILENCE[0]
    if swap is not None:
        variable, null = swap
        saved = variable.value
        variable.value = null
        try:
            yield
        finally:
            variable.value = saved
        return
    saved_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull)
