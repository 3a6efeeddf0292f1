"""JSON reports, byte for byte what ``json.dumps(value, indent=2, ensure_ascii=False)`` writes,
ten times faster.

With an indent, the standard library encodes in Python (its C encoder only writes compact
JSON): about 30 us per finding of a report. orjson (a declared dependency where wheels exist, see
gwlint.native) writes the same text for strings, integers up to 64 bits, booleans, None, lists,
tuples and dicts with string keys, and raises for the rest (lone surrogates, larger integers).
Floats are the exception it does not raise for: it spells ``1e16``, NaN and infinities otherwise,
so a value holding one (a YAML value quoted into a report) is written by the standard library.
"""

from __future__ import annotations

import json
from typing import Any

from gwlint import native

_LEAVES = frozenset({str, int, bool, type(None)})
_NODES = frozenset({dict, list, tuple})


def dumps(value: Any, plain: bool = False) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``. `plain`: the caller has checked that
    `value` holds no float (gwlint.budget.plain), so it is not walked again."""
    out = encode(value, plain)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def encode(value: Any, plain: bool = False, newline: bool = False) -> str | bytes:
    """`dumps` (followed by a line break with `newline`), as the UTF-8 bytes orjson wrote, or as
    text where the standard library wrote it. A large report's caller frees `value` before it
    decodes the bytes, so that its dicts, the bytes and the text are never all alive at once
    (at 44,000 findings each is 70-140 MB); the line break is written with the bytes, not added
    to a copy of the text."""
    module = native.json_module()
    if module is not None and (plain or _without_floats(value)):
        option = module.OPT_INDENT_2 | (module.OPT_APPEND_NEWLINE if newline else 0)
        try:
            return module.dumps(value, option=option)  # type: ignore[no-any-return]
        except TypeError:  # orjson.JSONEncodeError: a lone surrogate, an integer beyond 64
            pass  # bits, a key that is not a string
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text + "\n" if newline else text


def list_items(items: list[Any], depth: int) -> bytes | None:
    """The items of a non-empty list of values that hold no float (gwlint.budget.plain) as
    ``json.dumps(indent=2, ensure_ascii=False)`` writes them where they sit `depth` levels deep
    (the items of a list that is a value of the top-level dict: 2): each indented, separated by
    ",\n", without the list's brackets (UTF-8). None without orjson, or for what it refuses.
    A large report is written so, a chunk at a time."""
    module = native.json_module()
    if module is None or not items:
        return None
    try:
        data: bytes = module.dumps(items, option=module.OPT_INDENT_2)
    except TypeError:  # orjson.JSONEncodeError (see `encode`)
        return None
    inner = data[2:-2]  # between b"[\n" and b"\n]": the items at depth 1
    pad = b"  " * (depth - 1)  # raw line breaks are only the layout's: strings escape theirs
    return pad + inner.replace(b"\n", b"\n" + pad) if pad else inner


def _without_floats(value: Any) -> bool:
    """`value` is made of dicts, lists and tuples of strings, integers, booleans and None only
    (str and int subclasses, enums say, included): what orjson writes as the standard library
    does, or refuses."""
    todo = [value]
    while todo:
        item = todo.pop()
        kind = item.__class__
        if kind is dict:
            children: Any = item.values()
        elif kind is list or kind is tuple:
            children = item
        else:
            return _leaf(item)
        for child in children:
            kind = child.__class__
            if kind in _LEAVES:
                continue
            if kind in _NODES:
                todo.append(child)
            elif not _leaf(child):
                return False
    return True


def _leaf(value: Any) -> bool:
    return value.__class__ in _LEAVES or (isinstance(value, (str, int))
                                         and not isinstance(value, float))
