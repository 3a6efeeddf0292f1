"""GW008 unused-suppression: what each message says, for tests/rules/GW008/.

(GW008's findings are produced by the suppression stage after every rule has run, so its
`check` is empty; the fixtures exercise the real pipeline.)"""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_unused_end_of_line_suppression_spans_the_comment() -> None:
    [f] = fixture_findings("GW008", "bad_unused_end_of_line.yaml")
    assert (f["line"], f["column"], f["end_column"]) == (21, 19, 42)
    assert f["message"] == ("unused suppression of GW101 parent-ref-unresolved: no such finding "
                            "starts in the node it covers")


def test_unknown_code_and_misspelled_directive() -> None:
    found = fixture_findings("GW008", "bad_unknown_codes_and_directives.yaml")
    assert [f["message"] for f in found] == [
        "unknown rule 'GW999x' in suppression",
        "unknown gwlint directive 'ignroe': use ignore[...], ignore-document[...] or "
        "ignore-file[...]"]


def test_scopes_are_named() -> None:
    [annotation] = fixture_findings("GW008", "bad_unused_annotation.yaml")
    assert annotation["message"].endswith("no such finding on HTTPRoute app/web")
    assert [f["message"].rsplit(": ", 1)[1] for f in
            fixture_findings("GW008", "bad_unused_file_and_document_scope.yaml")] == [
        "no such finding in this file", "no such finding in this document"]
