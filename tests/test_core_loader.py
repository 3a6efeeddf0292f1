"""Loader and span tests: exact locations, duplicate keys, bad input."""

from __future__ import annotations

from gwlint.loader import parse_source
from gwlint.source import SourceFile
from gwlint.spans import SpanIndex

THREE_DOCS = """\
apiVersion: v1
kind: Namespace
metadata:
  name: a
---
apiVersion: v1
kind: Namespace
metadata:
  name: b
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  rules:
  - backendRefs:
    - name: svc
      port: 80
"""


def _parse(text: str):
    src = SourceFile("x.yaml", text)
    return src, parse_source(src)


def test_nested_field_in_third_document_has_exact_span():
    src, result = _parse(THREE_DOCS)
    assert [d.index for d in result.documents] == [0, 1, 2]
    assert result.documents[2].data["spec"]["rules"][0]["backendRefs"][0]["port"] == 80
    span, found = SpanIndex().locate(src, 2, ("spec", "rules", 0, "backendRefs", 0, "port"))
    assert found == 6
    assert (span.line, span.column, span.end_line, span.end_column) == (19, 7, 19, 15)


def test_missing_path_falls_back_to_deepest_existing_node():
    src, _ = _parse(THREE_DOCS)
    span, found = SpanIndex().locate(src, 2, ("spec", "rules", 0, "nope", 3))
    assert found == 3
    assert (span.line, span.column) == (17, 5)


def test_duplicate_keys_are_reported_and_last_value_wins():
    _src, result = _parse("a: 1\nb: 2\na: 3\n")
    assert result.documents[0].data == {"a": 3, "b": 2}
    [issue] = result.issues
    assert (issue.code, issue.line, issue.column) == ("GW002", 3, 1)
    assert "first at line 1" in issue.message


def test_yaml_1_1_scalars_resolve_like_kubernetes():
    _, result = _parse("a: yes\nb: 0x1F\nc: 1.5\nd: ~\ne: '80'\nf: 2024-01-01\n")
    assert result.documents[0].data == {"a": True, "b": 31, "c": 1.5, "d": None, "e": "80",
                                        "f": "2024-01-01"}


def test_invalid_yaml_reports_line_and_column():
    _, result = _parse("a: 1\nb: [1, 2\nc: 3\n")
    [issue] = result.issues
    assert issue.code == "GW001"
    assert issue.line == 3


def test_template_file_is_reported_as_template_not_syntax_error():
    _, result = _parse("metadata:\n  name: {{ .Values.name }}\n  {{- include \"x\" . }}\n")
    assert [i.code for i in result.issues] == ["GW003"]
    assert result.issues[0].line == 2


def test_alias_bomb_is_bounded():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i-1}"] * 9)
        levels.append(f"a{i}: &a{i} [{refs}]")
    _, result = _parse("\n".join(levels) + "\n")
    assert result.documents == []
    assert [i.code for i in result.issues] == ["GW004"]
    assert "alias" in result.issues[0].message


def test_deep_flow_nesting_does_not_crash():
    depth = 100_000
    _, result = _parse("[" * depth + "]" * depth)
    assert [i.code for i in result.issues] == ["GW004"]


def test_custom_tags_are_not_constructed():
    _, result = _parse("a: !!python/object/apply:os.system ['true']\nb: !Ref x\n")
    assert result.documents[0].data == {"a": ["true"], "b": "x"}
    assert [i.code for i in result.issues] == ["GW005", "GW005"]


def test_merge_keys_are_honoured():
    _, result = _parse("base: &b {x: 1}\nobj:\n  <<: *b\n  y: 2\n")
    assert result.documents[0].data["obj"] == {"x": 1, "y": 2}
