"""The README gives exactly the commands CI runs (`.ci/run`), on its first screen and in its
Development section, so a contributor who follows it runs what CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ci_commands() -> list[str]:
    """The commands of .ci/run after it has moved to the checkout and cleaned the old venv."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [c for c in commands if not c.startswith(("set ", "cd ", "rm "))]


def _shell_blocks(markdown: str) -> list[list[str]]:
    """The command lines of each ```shell block (comments dropped)."""
    blocks = re.findall(r"```shell\n(.*?)```", markdown, re.DOTALL)
    return [[line.split("  #")[0].strip() for line in block.splitlines()
             if line.strip() and not line.lstrip().startswith("#")] for block in blocks]


def _section(markdown: str, title: str) -> str:
    start = markdown.index(f"\n## {title}\n")
    end = markdown.find("\n## ", start + 1)
    return markdown[start:end if end > 0 else None]


def test_ci_runs_the_default_and_the_slow_tests() -> None:
    commands = _ci_commands()
    assert commands[-2:] == ["python -m pytest", "python -m pytest -m slow"]
    assert commands[0].startswith("python3 -m venv .venv")
    assert "pip install '.[test]'" in commands[0]


def test_readme_first_screen_and_development_give_the_ci_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = readme[:readme.index("\n## ")]
    commands = _ci_commands()
    for where, text in (("first screen", first_screen),
                        ("Development", _section(readme, "Development"))):
        blocks = _shell_blocks(text)
        assert any(block[i:i + len(commands)] == commands
                   for block in blocks for i in range(len(block))), (where, blocks, commands)
