"""GW001-GW007: messages, hints and related locations of the parse findings, for
tests/rules/GW001/ to GW007/ (the markers pin rule, line and column)."""

from __future__ import annotations

from support.fixtures import fixture_findings


def test_gw001_parser_message() -> None:
    [f] = fixture_findings("GW001", "bad_unclosed_flow_sequence.yaml")
    assert f["message"] == ("invalid YAML: did not find expected ',' or ']' (while parsing a flow "
                            "sequence)")
    assert f["resource"] is None


def test_gw002_names_the_first_occurrence() -> None:
    [f] = fixture_findings("GW002", "bad_duplicate_backend_refs.yaml")
    assert f["message"] == ("duplicate key 'backendRefs' (first at line 11); Kubernetes silently "
                            "keeps the last value")


def test_gw003_says_to_render_first() -> None:
    [f] = fixture_findings("GW003", "bad_helm_template.yaml")
    assert f["hint"] == "lint the rendered output: `helm template RELEASE CHART | gwlint -`"


def test_gw004_says_why_the_input_was_refused() -> None:
    [utf8] = fixture_findings("GW004", "bad_invalid_utf8.yaml")
    assert utf8["message"] == "not valid UTF-8 (byte 0xe9 at offset 86); not linted"
    [bomb] = fixture_findings("GW004", "bad_alias_bomb.yaml")
    assert "alias bomb" in bomb["message"]


def test_gw005_names_the_tag() -> None:
    found = fixture_findings("GW005", "bad_custom_tags.yaml")
    assert [f["message"].split("'")[1] for f in found] == [
        "!env", "tag:yaml.org,2002:python/object/apply:os.system", "!Ref"]


def test_gw006_points_at_the_first_definition() -> None:
    [f] = fixture_findings("GW006", "bad_same_file.yaml")
    assert f["message"] == "HTTPRoute app/web is defined more than once; the last one applied wins"
    assert [(r["line"], r["message"]) for r in f["related"]] == [
        (5, "first definition of HTTPRoute app/web")]


def test_gw007_names_the_missing_field() -> None:
    [f] = fixture_findings("GW007", "bad_missing_api_version.yaml")
    assert f["message"] == "object has no valid apiVersion; the API server rejects it"
