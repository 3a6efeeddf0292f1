"""Suppressions: every comment form, the annotation, per-file ignores, and GW008
unused-suppression."""

from __future__ import annotations

import json
import os

from click.testing import CliRunner

from gwlint.cli import main

HEAD = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {name}
  namespace: app
"""


def route(name: str, body: str, meta: str = "") -> str:
    return HEAD.format(name=name) + meta + body


PARENTS = """\
spec:
  parentRefs:
  - name: gw-a
  - name: gw-b
"""


def where(out: list[dict]) -> list[tuple[str, str, int]]:
    return [(f["rule"], f["file"], f["line"]) for f in out]


def test_no_directive_reports_both(lint_tree):
    out = lint_tree({"r.yaml": route("web", PARENTS)}, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "r.yaml", 8), ("GW101", "r.yaml", 9)]


def test_end_of_line_suppresses_the_node_on_that_line(lint_tree):
    body = PARENTS.replace("- name: gw-a", "- name: gw-a  # gwlint: ignore[GW101]")
    out = lint_tree({"r.yaml": route("web", body)}, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "r.yaml", 9)]


def test_end_of_line_on_a_collection_key_covers_its_whole_value(lint_tree):
    body = PARENTS.replace("  parentRefs:",
                           "  parentRefs:   # gwlint: ignore[parent-ref-unresolved]")
    out = lint_tree({"r.yaml": route("web", body)}, select=["GW101", "GW008"])
    assert out == []


def test_own_line_suppresses_the_next_node(lint_tree):
    body = """\
spec:
  parentRefs:
  - name: gw-a
  # gwlint: ignore[GW101]

  # (a comment and a blank line may sit between the directive and its node)
  - name: gw-b
    sectionName: http
  - name: gw-c
"""
    out = lint_tree({"r.yaml": route("web", body)}, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "r.yaml", 8), ("GW101", "r.yaml", 14)]


def test_codes_and_names_mix_and_other_rules_still_report(lint_tree):
    body = PARENTS.replace("- name: gw-a", "- name: gw-a  # gwlint: ignore[GW999x, unknown-field]")
    out = lint_tree({"r.yaml": route("web", body)}, select=["GW101", "GW011", "GW008"])
    assert [(f["rule"], f["line"], f["message"]) for f in out] == [
        ("GW101", 8, "parentRef Gateway 'gw-a' not found in namespace 'app'"),
        ("GW008", 8, "unknown rule 'GW999x' in suppression"),
        ("GW008", 8, "unused suppression of GW011 unknown-field: no such finding starts in "
                     "the node it covers"),
        ("GW101", 9, "parentRef Gateway 'gw-b' not found in namespace 'app'"),
    ]


def test_ignore_document_covers_one_document_only(lint_tree):
    text = ("# gwlint: ignore-document[GW101]\n" + route("a", PARENTS) + "---\n"
            + route("b", PARENTS) + "---\n# gwlint: ignore-document\n" + route("c", PARENTS))
    out = lint_tree({"r.yaml": text}, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "r.yaml", 19), ("GW101", "r.yaml", 20)]


def test_ignore_document_before_the_separator_belongs_to_the_document_above(lint_tree):
    text = (route("a", PARENTS) + "# gwlint: ignore-document[GW101]\n---\n" + route("b", PARENTS))
    out = lint_tree({"r.yaml": text}, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "r.yaml", 19), ("GW101", "r.yaml", 20)]


def test_ignore_document_covers_every_item_of_a_list(lint_tree):
    items = route("a", PARENTS).replace("\n", "\n    ")
    text = ("# gwlint: ignore-document[GW101]\napiVersion: v1\nkind: List\nitems:\n  - "
            + items.rstrip() + "\n")
    assert lint_tree({"r.yaml": text}, select=["GW101", "GW008"]) == []


def test_ignore_file_with_and_without_codes(lint_tree):
    files = {
        "a.yaml": route("a", PARENTS) + "# gwlint: ignore-file[GW101]\n",
        "b.yaml": "# gwlint: ignore-file\n" + route("b", PARENTS),
        "c.yaml": route("c", PARENTS),
    }
    out = lint_tree(files, select=["GW101", "GW008"])
    assert where(out) == [("GW101", "c.yaml", 8), ("GW101", "c.yaml", 9)]


def test_ignore_file_also_silences_parse_errors(lint_tree):
    files = {"broken.yaml": "# gwlint: ignore-file[GW001]\nkey: [unclosed\n",
             "other.yaml": "key: [unclosed\n"}
    out = lint_tree(files, select=["GW001", "GW008"])
    assert where(out) == [("GW001", "other.yaml", 2)]


def test_hash_inside_strings_and_block_scalars_is_not_a_directive(lint_tree):
    meta = """\
  annotations:
    note: "a # gwlint: ignore-file value"
    script: |
      # gwlint: ignore-file
      echo hi
"""
    out = lint_tree({"r.yaml": route("web", PARENTS, meta)}, select=["GW101", "GW008"])
    assert [f["rule"] for f in out] == ["GW101", "GW101"]


def test_a_comment_after_a_block_scalar_indicator_is_a_directive(lint_tree):
    meta = """\
  annotations:
    script: |  # gwlint: ignore-file[GW101]
      echo hi
"""
    assert lint_tree({"r.yaml": route("web", PARENTS, meta)}, select=["GW101", "GW008"]) == []


def test_annotation_suppresses_findings_on_that_object_only(lint_tree):
    meta = '  annotations:\n    gwlint.io/ignore: "GW101, backend-not-found"\n'
    files = {"r.yaml": route("a", PARENTS, meta) + "---\n" + route("b", PARENTS)}
    out = lint_tree(files, select=["GW101", "GW008"])
    assert [(f["rule"], f["resource"]["name"]) for f in out] == [("GW101", "b"), ("GW101", "b")]


def test_annotation_all_and_empty_mean_every_rule(lint_tree):
    for value in ('"all"', '""'):
        meta = f'  annotations:\n    gwlint.io/ignore: {value}\n'
        assert lint_tree({"r.yaml": route("a", PARENTS, meta)}, select=["GW101", "GW008"]) == []


def test_annotation_survives_rendering_on_stdin(tmp_path):
    # kustomize build output: no comments survive, no `# Source:` lines
    meta = '  annotations:\n    gwlint.io/ignore: "GW101"\n'
    stream = route("a", PARENTS, meta) + "---\n" + route("b", PARENTS)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["-", "--stdin-filename", "overlays/prod",
                                           "--select", "GW101,GW008", "--format", "json"],
                                    input=stream)
    finally:
        os.chdir(old)
    doc = json.loads(result.stdout)
    assert [(f["file"], f["resource"]["name"]) for f in doc["findings"]] == [
        ("overlays/prod", "b"), ("overlays/prod", "b")]


def test_per_file_ignores(lint_tree):
    files = {"legacy/r.yaml": route("a", PARENTS), "apps/r.yaml": route("b", PARENTS)}
    out = lint_tree(files, select=["GW101", "GW008"],
                    per_file_ignores={"legacy/*": ["reference"], "*.json": ["ALL"]})
    assert {f["file"] for f in out} == {"apps/r.yaml"}


# --- GW008 ------------------------------------------------------------------------------------
def test_unused_suppression_is_reported_at_the_comment(lint_tree):
    body = PARENTS + "  hostnames:\n  - web.example.com  # gwlint: ignore[GW101]\n"
    out = lint_tree({"r.yaml": route("web", body)}, select=["GW101", "GW008"])
    unused = [f for f in out if f["rule"] == "GW008"]
    assert [(f["file"], f["line"], f["column"], f["end_column"], f["severity"])
            for f in unused] == [("r.yaml", 11, 22, 45, "info")]
    assert unused[0]["message"] == ("unused suppression of GW101 parent-ref-unresolved: no such "
                                    "finding starts in the node it covers")


def test_unused_is_only_judged_for_selected_rules(lint_tree):
    body = PARENTS + "  hostnames:\n  - web.example.com  # gwlint: ignore[GW101]\n"
    files = {"r.yaml": route("web", body)}
    assert lint_tree(files, select=["GW008"]) == []  # GW101 did not run: cannot judge
    assert [f["rule"] for f in lint_tree(files, select=["GW101"])] == ["GW101", "GW101"]


def test_unused_annotation_file_and_document_suppressions(lint_tree):
    meta = '  annotations:\n    gwlint.io/ignore: "GW101"\n'
    clean = "spec:\n  parentRefs: []\n"
    files = {
        "a.yaml": route("a", clean, meta),
        "b.yaml": "# gwlint: ignore-file[GW101]\n" + route("b", clean),
        "c.yaml": "# gwlint: ignore-document[GW101]\n" + route("c", clean),
        "d.yaml": route("d", clean) + "# gwlint: ignroe[GW101]\n",
    }
    out = lint_tree(files, select=["GW101", "GW008"])
    assert [(f["rule"], f["file"], f["line"], f["message"]) for f in out] == [
        ("GW008", "a.yaml", 7, "unused suppression of GW101 parent-ref-unresolved: no such "
                               "finding on HTTPRoute app/a"),
        ("GW008", "b.yaml", 1, "unused suppression of GW101 parent-ref-unresolved: no such "
                               "finding in this file"),
        ("GW008", "c.yaml", 1, "unused suppression of GW101 parent-ref-unresolved: no such "
                               "finding in this document"),
        ("GW008", "d.yaml", 8, "unknown gwlint directive 'ignroe': use ignore[...], "
                               "ignore-document[...] or ignore-file[...]"),
    ]


def test_blanket_unused_only_with_the_default_selection(lint_tree):
    files = {"ns.yaml": "# gwlint: ignore-file\napiVersion: v1\nkind: Namespace\n"
                        "metadata:\n  name: app\n"}
    out = lint_tree(files)
    assert [(f["rule"], f["message"]) for f in out] == [
        ("GW008", "unused blanket suppression: no such finding in this file")]
    assert lint_tree(files, select=["GW101", "GW008"]) == []


def test_gw008_can_itself_be_ignored(lint_tree):
    files = {"r.yaml": "# gwlint: ignore-file[GW008]\n# gwlint: ignore-file[GW101]\n"
                       + route("a", "spec:\n  parentRefs: []\n")}
    assert lint_tree(files, select=["GW101", "GW008"]) == []
    assert lint_tree(files, select=["GW101", "GW008"],
                     per_file_ignores={"r.yaml": ["GW008"]}) == []


def test_files_without_the_marker_are_not_rescanned(lint_tree, monkeypatch):
    from gwlint.suppress import apply

    scanned = []
    original = apply.comment_directives
    monkeypatch.setattr(apply, "comment_directives",
                        lambda src, by_name: scanned.append(src.path) or original(src, by_name))
    files = {"a.yaml": route("a", PARENTS),
             "b.yaml": route("b", PARENTS) + "# gwlint: ignore-file\n"}
    lint_tree(files, select=["GW101"])
    assert scanned == ["b.yaml"]
