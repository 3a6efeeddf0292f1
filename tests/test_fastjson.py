"""Reports written by orjson are the very bytes json.dumps(indent=2, ensure_ascii=False) writes,
or the standard library writes them."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwlint import fastjson, native


class Level(StrEnum):
    ERROR = "error"


VALUES: list[Any] = [
    {}, [], {"a": {}, "b": [], "c": ()}, {"s": "x\u2028\x7f\x01\x1f\"\\/é😀\t\n\r\b\f"},
    {"n": [0, -1, 2**63 - 1, -(2**63), True, False, None]}, {"big": 2**64}, {"f": 1.5},
    {"f": [1e16, float("nan"), float("inf"), -0.0]}, {"lone": "\udce9"}, {1: "int key"},
    {"enum": Level.ERROR}, [{"deep": [[[{"x": "y"}]]]}], "top", 7, None,
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert fastjson.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_floats_and_unusual_values_are_left_to_the_standard_library() -> None:
    assert not fastjson._without_floats({"a": [1, {"b": 1.0}]})
    assert fastjson.dumps({1: 2}) == json.dumps({1: 2}, indent=2, ensure_ascii=False)
    assert not fastjson._without_floats({"a": object()})
    assert fastjson._without_floats({"a": [1, {"b": (None, True, "x")}]})


leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats())
documents = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(documents)
def test_generated_documents(value: Any) -> None:
    assert fastjson.dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_orjson_is_used_only_when_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWLINT_NATIVE", "0")
    assert native.json_module() is None
    monkeypatch.setitem(sys.modules, "orjson", None)
    monkeypatch.setenv("GWLINT_NATIVE", "1")
    assert native.json_module() is None
    assert fastjson.dumps({"a": [1]}) == json.dumps({"a": [1]}, indent=2, ensure_ascii=False)


plain_leaves = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text())
plain_documents = st.recursive(plain_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(st.lists(plain_documents, min_size=1, max_size=5), st.integers(1, 4))
def test_list_items_are_the_list_body_json_dumps_writes(items: list[Any], depth: int) -> None:
    """A list's items written apart (a report's findings, a chunk at a time) are the bytes
    between its brackets in json.dumps of the document they sit in, `depth` levels deep."""
    if native.json_module() is None:
        pytest.skip("orjson not installed")
    document: Any = items
    for _ in range(depth - 1):
        document = {"k": document}
    text = json.dumps(document, indent=2, ensure_ascii=False)
    body = text[text.index("[\n") + 2:text.rindex("\n" + "  " * (depth - 1) + "]")]
    assert fastjson.list_items(items, depth) == body.encode("utf-8")


def test_encode_appends_the_line_break() -> None:
    for value in ({"a": [1, "é"]}, {"f": 1.5}):
        encoded = fastjson.encode(value, newline=True)
        text = encoded.decode() if isinstance(encoded, bytes) else encoded
        assert text == json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def test_json_report_in_chunks_is_the_whole_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON report written a few findings at a time is the one written at once."""
    from pathlib import Path

    from gwlint.engine import LintConfig, lint
    from gwlint.reporters import common, json_report

    demo = Path(__file__).resolve().parent.parent / "examples" / "demo"
    report = lint(LintConfig(paths=[str(demo)]))
    assert len(report.findings) > 5
    monkeypatch.setattr(json_report, "CHUNK", 2)
    chunked = json_report.render(report)
    if native.json_module() is not None:  # the chunks were written (the case is not empty)
        doc = {**common.header_dict(report), "summary": common.summary_dict(report)}
        assert json_report._in_chunks(report, doc) == chunked
    monkeypatch.setattr(json_report, "_in_chunks", lambda report, doc: None)
    assert chunked == json_report.render(report)
