"""Regression tests for bugs that hostile input (the fuzzer, tests/fuzz/) found in code outside
the loader (rule modules, source.py, locate.py, engine.py, runner.py, configfile/).

The fuzz runner (tests/fuzz/run_fuzz.py) records crashes inside rule/schema modules separately
("distinct crash sites") and keeps going; the ones found so far are pinned here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import harness  # noqa: E402
from fuzz import strategies as S  # noqa: E402
from support import inprocess  # noqa: E402

from gwlint.engine import LintConfig, lint  # noqa: E402


def _lint(text: str):
    return lint(LintConfig(paths=[], stdin_text=text, jobs=1))


def test_referencegrant_from_kind_list():
    _lint("""\
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: g, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: [], namespace: default}]
  to: [{group: '', kind: Service}]
""")


@pytest.mark.parametrize("text", [
    "# Source: chart/templates/{{ x }}.yaml\napiVersion: v1\nkind: x: y\n",
    "# Source: c/t.yaml\x1b\na: 1\n",
])
def test_finding_on_helm_source_comment_line(text):
    report = _lint(text)
    assert report.findings
    assert all(f.location.line >= 1 for f in report.findings)


def test_span_across_helm_source_comment_stays_in_its_file():
    """A document that starts before a `# Source:` comment and ends after it: its end was mapped
    into the template's numbering while its file stayed `<stdin>` (end past the line's end)."""
    text = ("x: &a [1, 2]\n# Source: chart/templates/route.yaml\n---apiVersion: v1\n"
            "kind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: gw\n")
    lines = text.split("\n")
    report = _lint(text)
    assert report.findings
    for f in report.findings:
        loc = f.location
        if loc.file == "<stdin>":
            assert (loc.end_line, loc.end_column) >= (loc.line, loc.column)
            assert loc.end_column <= len(lines[loc.end_line - 1]) + 1, loc


def test_stdin_respects_max_file_size(tmp_path):
    run = inprocess.gwlint(["--format", "json", "--isolated", "--max-file-size", "1000", "-"],
                           cwd=tmp_path, stdin=b'a: 1\n' * 1000)
    assert sorted(f['rule'] for f in json.loads(run.stdout)['findings']) == ["GW004"]


def test_api_stdin_text_with_lone_surrogate():
    from gwlint.engine import LintConfig, lint

    report = lint(LintConfig(paths=[], stdin_text="a: \ud800\n", jobs=1))
    assert [f.rule for f in report.findings] == ["GW004"]


def test_helm_source_line_is_linear(tmp_path):
    stdin = ("# Source: a" + " " * 150_000 + "b\napiVersion: v1\nkind: Service\n"
             "metadata: {name: s}\nspec: {ports: [{port: 0}]}\n").encode()
    run = harness.gwlint(["--format", "json", "--isolated", "-"], cwd=tmp_path, stdin=stdin,
                         timeout=8)
    assert not run.timed_out


def _config_run(tmp_path, config: str, timeout: float = 30) -> harness.Run:
    (tmp_path / ".gwlint.yaml").write_text(config)
    (tmp_path / "a.yaml").write_text("a: 1\n")
    return harness.gwlint(["--format", "json", "."], cwd=tmp_path, timeout=timeout)


def test_config_file_deep_nesting(tmp_path):
    run = _config_run(tmp_path, "select: " + "[" * 30_000)
    assert run.returncode == 2 and "gwlint: error" in run.stderr


def test_config_file_alias_bomb(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(9)]
    run = _config_run(tmp_path, "\n".join(levels) + "\nselect: *j\n", timeout=8)
    assert not run.timed_out and run.returncode == 2


def test_pyproject_deep_nesting(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.gwlint]\nselect = " + "[" * 5_000)
    (tmp_path / "a.yaml").write_text("a: 1\n")
    run = harness.gwlint(["--format", "json", "."], cwd=tmp_path, timeout=60)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr


ALIASED_SPEC = ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n"
                "  name: r0\n  namespace: app\n  annotations:\n\n    a0: &a0 [x, x]\n"
                "    a1: &a1 [*a0, *a0]\nspec: *a0\n")


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"])
def test_span_of_an_alias_value_ends_after_it_starts(end):
    """Found by the shapes fuzz target: `spec: *a0` spans from the key to the end of the aliased
    node, which was written lines before it: the span ended before it started, and with CR line
    ends the Helm-section fallback of display_span indexed a line that did not exist."""
    text = ALIASED_SPEC.replace("\n", end)
    report, texts = S.run_stdin(text.encode(), "shape.yaml")
    S.check_report(report, texts)
    spans = [(f.rule, f.location.line, f.location.column, f.location.end_line,
              f.location.end_column) for f in report.findings if f.rule == "GW010"]
    assert spans and all((el, ec) >= (ln, col) for _, ln, col, el, ec in spans), spans
    assert ("GW010", 11, 1, 11, 5) in spans  # `spec` (the key: its aliased value is elsewhere)


def test_helm_source_comments_with_cr_line_ends():
    """`# Source:` comments are found on CR-ended lines too, and their names stop at the CR."""
    from gwlint.source import SourceFile

    text = "# Source: c/templates/a.yaml\rkind: x\r# Source: c/templates/b.yaml\r\nkind: y\n"
    src = SourceFile("<stdin>", text, is_stdin=True)
    assert src.helm_sections() == [(1, "c/templates/a.yaml"), (3, "c/templates/b.yaml")]
    assert src.display(4) == ("c/templates/b.yaml", 1)
