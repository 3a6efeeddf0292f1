#!/usr/bin/env python3
"""Regenerate rules/<CODE>.md for every rule and the index rules/README.md.

The text comes from gwlint.ruledocs (the same as `gwlint explain` and SARIF help): edit a rule's
module docstring or registration, never the generated pages. Pages of rules that no longer exist
are removed. `--check` changes nothing and exits 1 when rules/ is out of date (tests use
`expected_pages()` for the same comparison).

Usage: python scripts/gen_rule_docs.py [--check] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "rules"
_PAGE = re.compile(r"^GW\d+\.md$")


def expected_pages() -> dict[str, str]:
    """File name -> content of every generated page."""
    sys.path.insert(0, str(ROOT))
    from gwlint.registry import all_rules
    from gwlint.ruledocs import render_index, render_rule

    pages = {f"{r.code}.md": render_rule(r) for r in all_rules()}
    pages["README.md"] = render_index()
    return pages


def differences(directory: Path, pages: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
    """(missing, stale content, pages of rules that no longer exist)."""
    present = {p.name for p in directory.glob("*.md")} if directory.is_dir() else set()
    missing = sorted(n for n in pages if n not in present)
    changed = sorted(n for n in pages if n in present
                     and (directory / n).read_text(encoding="utf-8") != pages[n])
    extra = sorted(n for n in present if _PAGE.match(n) and n not in pages)
    return missing, changed, extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether rules/ is stale")
    parser.add_argument("--out", type=Path, default=RULES_DIR, help="output directory")
    args = parser.parse_args(argv)
    pages = expected_pages()
    missing, changed, extra = differences(args.out, pages)
    if args.check:
        for label, names in (("missing", missing), ("out of date", changed),
                             ("for a rule that no longer exists", extra)):
            for name in names:
                print(f"{args.out / name}: {label}")
        if missing or changed or extra:
            print("run: python scripts/gen_rule_docs.py")
            return 1
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name in missing + changed:
        (args.out / name).write_text(pages[name], encoding="utf-8")
    for name in extra:
        (args.out / name).unlink()
    print(f"rules/: {len(pages)} pages; {len(missing)} added, {len(changed)} updated, "
          f"{len(extra)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
