"""Bugs that hostile input finds in code the hostile-input work does not own (rule modules, the
schema package, source.py, engine.py, runner.py). Each is a strict xfail: when its owner fixes
it, the test passes, strict mode turns that into a failure, and the marker must be removed.

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

from gwlint.engine import LintConfig, lint  # noqa: E402


def _lint(text: str):
    return lint(LintConfig(paths=[], stdin_text=text, jobs=1))


@pytest.mark.xfail(strict=True, raises=TypeError, reason=(
    "gwlint/rules/referencegrant_unused.py:53 `f.get('kind') in REFERRER_KINDS` hashes a "
    "mistyped field: TypeError: unhashable type: 'list' (any list/dict in "
    "ReferenceGrant spec.from[].kind); use as_str()"))
def test_referencegrant_from_kind_list():
    _lint("""\
apiVersion: gateway.networking.k8s.io/v1
kind: ReferenceGrant
metadata: {name: g, namespace: default}
spec:
  from: [{group: gateway.networking.k8s.io, kind: [], namespace: default}]
  to: [{group: '', kind: Service}]
""")


@pytest.mark.xfail(strict=True, reason=(
    "gwlint/source.py SourceFile.display maps a line of stdin to `offset + line - start`, so a "
    "finding on a Helm `# Source:` comment line itself (a template or a forbidden character in "
    "the comment) is reported at line 0 of the template"))
@pytest.mark.parametrize("text", [
    "# Source: chart/templates/{{ x }}.yaml\napiVersion: v1\nkind: x: y\n",
    "# Source: c/t.yaml\x1b\na: 1\n",
])
def test_finding_on_helm_source_comment_line(text):
    report = _lint(text)
    assert report.findings
    assert all(f.location.line >= 1 for f in report.findings)


@pytest.mark.xfail(strict=True, reason="runner.build_config reads all of stdin with no limit: "
                   "--max-file-size is not applied to `-` (an endless stream, e.g. `gwlint - < "
                   "/dev/zero`, is read until memory runs out); runner.py is not hostile-input's")
def test_stdin_respects_max_file_size(tmp_path):
    run = harness.gwlint(["--format", "json", "--isolated", "--max-file-size", "1000", "-"],
                         cwd=tmp_path, stdin=b'a: 1\n' * 1000)
    assert sorted(f['rule'] for f in json.loads(run.stdout)['findings']) == ["GW004"]


@pytest.mark.xfail(strict=True, reason="engine.read_inputs encodes LintConfig.stdin_text with "
                   "'surrogateescape', which raises UnicodeEncodeError for surrogates outside "
                   "U+DC80..U+DCFF (API only: the CLI decodes stdin itself); engine.py is not ours")
def test_api_stdin_text_with_lone_surrogate():
    from gwlint.engine import LintConfig, lint

    report = lint(LintConfig(paths=[], stdin_text="a: \ud800\n", jobs=1))
    assert [f.rule for f in report.findings] == ["GW004"]


@pytest.mark.xfail(strict=True, reason="gwlint/source.py _HELM_SOURCE `^# Source: (\\S.*?)\\s*$` "
                   "backtracks quadratically on a long `# Source:` line of stdin (16,000 spaces: "
                   "2 s; 150,000: minutes; a 1 MB line: hours): `\\s*$` is retried at every position "
                   "of the lazy `.*?`; e.g. `^# Source: (\\S[^\\n]*?)[ \\t]*$` or rstrip() instead")
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


@pytest.mark.xfail(strict=True, reason=(
    "gwlint/configfile.py _read_yaml: yaml.compose() of a `.gwlint.yaml` found in the linted tree "
    "(a pull request can add one) has no nesting guard: 30,000 `[` crash the C composer "
    "(SIGSEGV, exit -11/139); reuse gwlint.loader._nesting_ok"))
def test_config_file_deep_nesting(tmp_path):
    run = _config_run(tmp_path, "select: " + "[" * 30_000)
    assert run.returncode == 2 and "gwlint: error" in run.stderr


@pytest.mark.xfail(strict=True, reason=(
    "gwlint/configfile.py _from_node expands YAML aliases without a budget: a billion-laughs "
    "`.gwlint.yaml` in the linted tree hangs gwlint (killed after 8 s; it takes < 1 s to refuse)"))
def test_config_file_alias_bomb(tmp_path):
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(9)]
    run = _config_run(tmp_path, "\n".join(levels) + "\nselect: *j\n", timeout=8)
    assert not run.timed_out and run.returncode == 2


@pytest.mark.xfail(strict=True, reason=(
    "gwlint/configfile.py: tomllib.loads() of a pyproject.toml [tool.gwlint] table nested 5,000 "
    "deep raises RecursionError, which only TOMLDecodeError is caught for: 'gwlint: internal "
    "error' with a traceback (exit 2) instead of a configuration error message"))
def test_pyproject_deep_nesting(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.gwlint]\nselect = " + "[" * 5_000)
    (tmp_path / "a.yaml").write_text("a: 1\n")
    run = harness.gwlint(["--format", "json", "."], cwd=tmp_path, timeout=60)
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
