"""examples/gitops, the demo of an overlay problem: the README shows its output as it is."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parents[2]


def readme_output(example: str = "gitops") -> list[str]:
    """The text block that follows the README's mention of `cd examples/EXAMPLE && gwlint .`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(f"`cd examples/{example} && gwlint .`")
    block = re.search(r"```text\n(.*?)```", text[start:], re.S)
    assert block is not None
    return block.group(1).splitlines()


@pytest.mark.parametrize("example", ["gitops", "flux"])
def test_the_readme_shows_the_example_as_it_is(example: str) -> None:
    old = os.getcwd()
    os.chdir(ROOT / "examples" / example)
    try:
        result = CliRunner().invoke(main, [".", "--isolated", "--color", "never"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    actual = result.output.splitlines()
    shown = readme_output(example)
    # every line the README shows is in the output, in the same order (hint, see and predicts
    # lines may be left out of the README for brevity; finding and summary lines may not)
    it = iter(actual)
    assert all(any(line == a for a in it) for line in shown), "\n".join(actual)
    findings = [a for a in actual if re.match(r"\S+:\d+:\d+: GW", a)]
    assert findings == [s for s in shown if re.match(r"\S+:\d+:\d+: GW", s)]
    assert actual[-1] == shown[-1]
