"""examples/gitops, the demo of an overlay problem: the README shows its output as it is."""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gitops"


def readme_output() -> list[str]:
    """The text block that follows the README's mention of `cd examples/gitops && gwlint .`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("`cd examples/gitops && gwlint .`")
    block = re.search(r"```text\n(.*?)```", text[start:], re.S)
    assert block is not None
    return block.group(1).splitlines()


def test_the_readme_shows_the_example_as_it_is() -> None:
    old = os.getcwd()
    os.chdir(EXAMPLE)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--color", "never"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    actual = result.output.splitlines()
    shown = readme_output()
    # every line the README shows is in the output, in the same order (hint, see and predicts
    # lines may be left out of the README for brevity; finding and summary lines may not)
    it = iter(actual)
    assert all(any(line == a for a in it) for line in shown), "\n".join(actual)
    findings = [a for a in actual if re.match(r"\S+:\d+:\d+: GW", a)]
    assert findings == [s for s in shown if re.match(r"\S+:\d+:\d+: GW", s)]
    assert actual[-1] == shown[-1]
