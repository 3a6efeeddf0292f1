"""rules/: one generated page per rule plus an index; this test fails when they drift from the
code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main
from gwlint.registry import all_rules
from gwlint.ruledocs import help_uri, render_rule

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("gen_rule_docs",
                                                  ROOT / "scripts" / "gen_rule_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_directory_is_up_to_date():
    gen = _script()
    missing, changed, extra = gen.differences(ROOT / "rules", gen.expected_pages())
    assert not (missing or changed or extra), (
        f"rules/ is out of date (missing {missing}, changed {changed}, stale {extra}): "
        "run `python scripts/gen_rule_docs.py`")


def test_every_rule_page_has_the_documented_sections():
    for rule in all_rules():
        page = render_rule(rule)
        assert page.startswith(f"# {rule.code} {rule.name}\n")
        for needle in ("| Category |", "| Default severity |", "| Predicts |", "Bad:", "Fixed:",
                       "```yaml"):
            assert needle in page, (rule.code, needle)
        if rule.options:
            assert "| Options |" in page
        assert help_uri(rule).endswith(f"/rules/{rule.code}.md")
    index = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    assert all(f"[{r.code}]({r.code}.md)" in index for r in all_rules())


def test_generator_writes_updates_and_removes_stale_pages(tmp_path):
    gen = _script()
    out = tmp_path / "rules"
    out.mkdir()
    (out / "GW999.md").write_text("# a rule that was removed\n", encoding="utf-8")
    (out / "GW101.md").write_text("hand-edited\n", encoding="utf-8")
    (out / "NOTES.md").write_text("not generated: kept\n", encoding="utf-8")
    assert gen.main(["--check", "--out", str(out)]) == 1
    assert gen.main(["--out", str(out)]) == 0
    assert gen.main(["--check", "--out", str(out)]) == 0
    assert not (out / "GW999.md").exists()
    assert (out / "NOTES.md").exists()
    assert (out / "GW101.md").read_text(encoding="utf-8") == render_rule(
        next(r for r in all_rules() if r.code == "GW101"))


def test_explain_prints_the_same_page():
    rule = next(r for r in all_rules() if r.code == "GW008")
    result = CliRunner().invoke(main, ["explain", "unused-suppression"])
    assert result.exit_code == 0
    assert result.output == render_rule(rule) + "\n"
    assert (ROOT / "rules" / "GW008.md").read_text(encoding="utf-8") == render_rule(rule)
