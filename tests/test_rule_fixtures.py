"""Every rule's fixture folder `tests/rules/GWxxx/`, run through the real pipeline.

`bad*` fixtures must produce exactly the rule's findings their `# expect:` markers name, `good*`
fixtures none of the rule's findings. Format: see tests/support/fixtures.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.fixtures import (
    doc_examples,
    example_findings,
    example_objects,
    Fixture,
    FixtureError,
    failure_report,
    fixture_paths,
    load_fixture,
    problems,
    rule_folders,
    run_fixture,
)

from gwlint.registry import Rule, all_rules

RULE_CODES = [r.code for r in all_rules()]
_RUNS: dict[Path, list[dict]] = {}


def _findings(fx: Fixture) -> list[dict]:
    """Each fixture is linted once per session (two tests read its findings)."""
    if fx.path not in _RUNS:
        _RUNS[fx.path] = run_fixture(fx)
    return _RUNS[fx.path]


def _params() -> list:
    params = []
    for code, path in fixture_paths():
        try:
            fx = load_fixture(code, path)
        except FixtureError as exc:  # reported by the test itself, not at collection
            params.append(pytest.param((code, path, str(exc)), id=f"{code}/{path.name}"))
            continue
        marks = [pytest.mark.xfail(strict=True, reason=fx.xfail)] if fx.xfail else []
        params.append(pytest.param(fx, id=fx.id, marks=marks))
    return params


@pytest.mark.parametrize("fx", _params())
def test_fixture(fx: Fixture | tuple) -> None:
    if isinstance(fx, tuple):
        pytest.fail(fx[2])
    findings = _findings(fx)
    issues = problems(fx, findings)
    assert not issues, failure_report(fx, findings, issues)


# A rule without a fixture folder (bad and good cases) fails the suite.
@pytest.mark.parametrize("code", RULE_CODES)
def test_rule_has_fixtures(code: str) -> None:
    folder = rule_folders().get(code)
    assert folder is not None, f"tests/rules/{code}/ is missing: add bad*.yaml and good*.yaml"
    kinds = {load_fixture(code, p).kind for c, p in fixture_paths() if c == code}
    assert kinds == {"bad", "good"}, f"tests/rules/{code}/ needs a bad* and a good* fixture"


def test_folders_name_registered_rules() -> None:
    unknown = sorted(set(rule_folders()) - set(RULE_CODES))
    assert not unknown, f"fixture folders for rules that do not exist: {unknown}"


# GW008's findings are made by gwlint.suppress: only after every rule has run is it known which
# suppressions were used, so its check is empty by design.
MADE_ELSEWHERE = {"GW008"}


@pytest.mark.parametrize("code", [c for c in RULE_CODES if c not in MADE_ELSEWHERE])
def test_bad_fixtures_fail_without_the_check(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the rule's check body gone, each of its bad fixtures fails: they test this rule, not
    another stage that happens to report its code."""
    run = Rule.run
    monkeypatch.setattr(Rule, "run", lambda rule, ctx, keep=list: (
        [] if rule.code == code else run(rule, ctx, keep)))
    bad = [load_fixture(c, p) for c, p in fixture_paths() if c == code and p.name.startswith("bad")]
    still_pass = [fx.id for fx in bad if not fx.xfail and not problems(fx, run_fixture(fx))]
    assert bad and not still_pass, f"pass without {code}'s check: {still_pass}"


# --- the harness itself -----------------------------------------------------------------------


def _fixture(tmp_path: Path, name: str, text: str, code: str = "GW101",
             sidecar: str | None = None) -> Fixture:
    folder = tmp_path / code
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    if sidecar is not None:
        (folder / f"{name}.expect").write_text(sidecar, encoding="utf-8")
    return load_fixture(code, folder / name)


ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
spec:
  parentRefs:
  - name: missing{marker}
"""


def test_harness_matches_markers(tmp_path: Path) -> None:
    fx = _fixture(tmp_path, "bad.yaml", ROUTE.format(marker="  # expect: GW101:5 error"))
    assert [(m.line, m.code, m.column, m.severity) for m in fx.markers] == [
        (7, "GW101", 5, "error")]
    assert problems(fx, run_fixture(fx)) == []


@pytest.mark.parametrize("marker", ["", "  # expect: GW101:9", "  # expect: GW101 warning",
                                    "  # expect: GW101, GW101", "  # expect: GW102"])
def test_harness_reports_mismatches(tmp_path: Path, marker: str) -> None:
    fx = _fixture(tmp_path, "bad.yaml", ROUTE.format(marker=marker))
    assert problems(fx, run_fixture(fx))


def test_harness_marker_on_the_wrong_line_fails(tmp_path: Path) -> None:
    text = ROUTE.replace("  parentRefs:", "  parentRefs:  # expect: GW101").format(marker="")
    fx = _fixture(tmp_path, "bad.yaml", text)
    report = problems(fx, run_fixture(fx))
    assert any("expected, not reported" in p and ":6 GW101" in p for p in report)
    assert any("reported, not expected" in p and ":7:5 GW101" in p for p in report)


def test_harness_good_fixture_fails_on_the_rule_only(tmp_path: Path) -> None:
    fx = _fixture(tmp_path, "good.yaml", ROUTE.format(marker=""))
    assert problems(fx, run_fixture(fx))
    other = _fixture(tmp_path, "good.yaml", ROUTE.format(marker=""), code="GW102")
    assert problems(other, run_fixture(other)) == []


def test_harness_arguments_and_sidecar(tmp_path: Path) -> None:
    fx = _fixture(tmp_path, "good.json", '{"apiVersion": "gateway.networking.k8s.io/v1", '
                  '"kind": "HTTPRoute", "metadata": {"name": "web"}, '
                  '"spec": {"parentRefs": [{"name": "missing"}]}}\n',
                  sidecar="args: --assume-exists 'Gateway/default/*'\n")
    assert fx.args == ["--assume-exists", "Gateway/default/*"]
    assert problems(fx, run_fixture(fx)) == []
    bad = _fixture(tmp_path, "bad.json", (tmp_path / "GW101" / "good.json").read_text(),
                   sidecar="# one marker a line\n1:122 GW101 error\n")
    assert problems(bad, run_fixture(bad)) == []


def test_harness_bad_marker_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FixtureError):
        _fixture(tmp_path, "bad.yaml", ROUTE.format(marker="  # expect: GW101 fatal"))


# Fixtures of graph rules must be input the API server accepts, or they test nothing real:
# parse, schema and version findings (GW0xx, GW5xx) must be marked where a fixture wants them.
INPUT_RULE = re.compile(r"GW0\d\d|GW5\d\d")


def _graph_rule_fixtures() -> list:
    """The fixtures of graph rules, without their xfail marks (those concern the rule's verdict)."""
    return [pytest.param(p.values[0], id=p.id) for p in _params()
            if not isinstance(p.values[0], tuple) and not INPUT_RULE.fullmatch(p.values[0].code)]


@pytest.mark.parametrize("fx", _graph_rule_fixtures())
def test_graph_rule_fixtures_are_valid_input(fx: Fixture) -> None:
    marked = {(m.file, m.line, m.code) for m in fx.markers}
    invalid = [f for f in _findings(fx) if INPUT_RULE.fullmatch(f["rule"])
               and (f["abspath"], f["line"], f["rule"]) not in marked]
    assert not invalid, "\n".join(f"{f['file']}:{f['line']}:{f['column']} {f['rule']}: "
                                  f"{f['message']}" for f in invalid)


def test_harness_xfail_and_folder_arguments(tmp_path: Path) -> None:
    folder = tmp_path / "GW101"
    folder.mkdir()
    (folder / "args.txt").write_text("--default-namespace app  # every fixture here\n")
    fx = _fixture(tmp_path, "bad.yaml", "# gwlint-test-xfail: the rule is wrong\n"
                  + ROUTE.format(marker="  # expect: GW101"))
    assert (fx.xfail, fx.args) == ("the rule is wrong", ["--default-namespace", "app"])
    [finding] = [f for f in run_fixture(fx) if f["rule"] == "GW101"]
    assert finding["message"].endswith("not found in namespace 'app'")


# --- the documentation's examples ---------------------------------------------------------------
# Each rule's docstring shows a Bad and a Fixed example (`gwlint explain`, rules/*.md). They are
# complete manifests: Bad must produce the rule's finding, Fixed (the whole fixed set) must not.


@pytest.mark.parametrize("kind", ["Bad", "Fixed"])
@pytest.mark.parametrize("code", RULE_CODES)
def test_docstring_examples(code: str, kind: str, tmp_path: Path) -> None:
    rule = next(r for r in all_rules() if r.code == code)
    examples = doc_examples(rule.doc)
    assert kind in examples, f"{code}: the docstring has no ```yaml block after '{kind}:'"
    findings = example_findings(code, kind, examples[kind], tmp_path)
    own = [f"{f['line']}:{f['column']} {f['message']}" for f in findings if f["rule"] == code]
    if kind == "Bad":
        assert own, f"{code}: the Bad example produces no {code} finding; all findings: " + \
            "; ".join(f"{f['rule']} {f['line']}: {f['message']}" for f in findings)
        return
    assert not own, f"{code}: the Fixed example still produces {code}: {own}"
    fixed, bad = example_objects(examples["Fixed"]), example_objects(examples.get("Bad", ""))
    assert fixed, f"{code}: the Fixed example holds no complete object (apiVersion, kind)"
    assert bad is None or not bad - fixed, \
        f"{code}: the Fixed example is not the whole fixed set: it lacks {sorted(bad - fixed)}"
