"""RFC 6902 operations (and RFC 6901 pointers) as the builder applies them: the examples of
RFC 6902 appendix A, and the errors kustomize reports for operations that do not apply."""

from __future__ import annotations

from typing import Any

import pytest

from gwlint.gitops.kustomize.json6902 import apply_one, tokens


def run(doc: Any, *ops: dict[str, Any]) -> Any:
    for op in ops:
        doc = apply_one(doc, op)
    return doc


@pytest.mark.parametrize(("doc", "ops", "want"), [
    # A.1-A.10 of RFC 6902
    ({"foo": "bar"}, [{"op": "add", "path": "/baz", "value": "qux"}],
     {"baz": "qux", "foo": "bar"}),
    ({"foo": ["bar", "baz"]}, [{"op": "add", "path": "/foo/1", "value": "qux"}],
     {"foo": ["bar", "qux", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "remove", "path": "/baz"}], {"foo": "bar"}),
    ({"foo": ["bar", "qux", "baz"]}, [{"op": "remove", "path": "/foo/1"}],
     {"foo": ["bar", "baz"]}),
    ({"baz": "qux", "foo": "bar"}, [{"op": "replace", "path": "/baz", "value": "boo"}],
     {"baz": "boo", "foo": "bar"}),
    ({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}},
     [{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}],
     {"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}}),
    ({"foo": ["all", "grass", "cows", "eat"]}, [{"op": "move", "from": "/foo/1", "path": "/foo/3"}],
     {"foo": ["all", "cows", "eat", "grass"]}),
    ({"baz": "qux", "foo": ["a", 2, "c"]}, [{"op": "test", "path": "/baz", "value": "qux"},
                                            {"op": "test", "path": "/foo/1", "value": 2}],
     {"baz": "qux", "foo": ["a", 2, "c"]}),
    ({"foo": "bar"}, [{"op": "add", "path": "/child", "value": {"grandchild": {}}}],
     {"foo": "bar", "child": {"grandchild": {}}}),
    ({"foo": ["bar"]}, [{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}],
     {"foo": ["bar", ["abc", "def"]]}),
    # A.14: ~0 and ~1 escapes
    ({"/": 9, "~1": 10}, [{"op": "test", "path": "/~01", "value": 10}], {"/": 9, "~1": 10}),
    ({"a": 1}, [{"op": "copy", "from": "/a", "path": "/b"}], {"a": 1, "b": 1}),
    ({"a": 1}, [{"op": "replace", "path": "", "value": {"b": 2}}], {"b": 2}),
])
def test_rfc_6902_examples(doc: Any, ops: list[dict[str, Any]], want: Any) -> None:
    assert run(doc, *ops) == want


@pytest.mark.parametrize("op", [
    {"op": "add", "path": "/a/b", "value": 1},  # A.12: adding to a nonexistent target
    {"op": "remove", "path": "/missing"},
    {"op": "replace", "path": "/missing", "value": 1},
    {"op": "replace", "path": "/list/-", "value": 1},  # '-' only adds
    {"op": "add", "path": "/list/5", "value": 1},  # beyond the end
    {"op": "remove", "path": "/list/01"},  # leading zero
    {"op": "test", "path": "/flag", "value": 1},  # true is not 1
    {"op": "test", "path": "/baz", "value": "bar"},  # A.9: a failed test
    {"op": "move", "from": "/obj", "path": "/obj/inner"},  # into itself
    {"op": "copy", "path": "/x"},  # no from
    {"op": "frobnicate", "path": "/x"},
    {"op": "add", "path": "no-slash", "value": 1},
    {"op": "add", "path": "/list/0"},  # no value
])
def test_operations_that_do_not_apply(op: dict[str, Any]) -> None:
    doc = {"list": [1, 2], "flag": True, "baz": "qux", "obj": {"k": "v"}}
    with pytest.raises(ValueError):
        apply_one(doc, op)


def test_values_are_copied_for_each_object() -> None:
    """A patch with a target applies to several objects: none may share the patch's value."""
    op = {"op": "add", "path": "/labels", "value": {"env": "prod"}}
    one, two = run({}, op), run({}, op)
    one["labels"]["env"] = "changed"
    assert two == {"labels": {"env": "prod"}} and op["value"] == {"env": "prod"}


def test_pointer_tokens() -> None:
    assert tokens("") == []
    assert tokens("/a~1b/~0c/0") == ["a/b", "~c", "0"]
