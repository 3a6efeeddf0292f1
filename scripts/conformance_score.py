"""Print how well gwlint predicts the status the Gateway API conformance suite expects.

    python scripts/conformance_score.py                  # every test folder of tests/conformance
    python scripts/conformance_score.py --only ListenerSet  # folders whose name contains this

The data and the scoring are in `tests/conformance/` (README.md, scoring.py): one folder per
conformance test with its manifests and the status the Go test asserts. The report gives the
scores (status model, findings' `predicts`, healthy objects flagged), then per test the counts,
then every check gwlint gets wrong and the warnings gwlint reports on objects the suite expects
healthy. Provisional tests are scored apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the scorer lives in tests/

from tests.conformance.scoring import (  # noqa: E402
    Report,
    load_cases,
    mismatch_table,
    score,
    summarize,
)


def per_test(report: Report) -> list[str]:
    rows: dict[str, list[int]] = {}
    for o in report.outcomes:
        row = rows.setdefault(o.check.case, [0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += o.model == "match"
        row[2] += o.model == "likely"
        if o.check.category == "problem":
            row[3] += 1
            row[4] += o.finding == "match"
    width = max(len(name) for name in rows)
    lines = [f"{'Test':<{width}}  checks  model  likely  problems  findings"]
    for name, (n, match, likely, problems, found) in rows.items():
        lines.append(f"{name:<{width}}  {n:>6}  {match:>5}  {likely:>6}  {problems:>8}  "
                     f"{found:>8}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="score the folders whose name contains this")
    args = parser.parse_args(argv)
    cases = [c for c in load_cases() if args.only in c.name or c.name == "_base"]
    report = score(cases)
    out = ["Conformance tests (non-provisional):", *summarize(report, cases).lines()]
    if any(c.provisional for c in cases):
        out += ["", "Provisional tests:", *summarize(report, cases, provisional=True).lines()]
    out += ["", *per_test(report), "", "Mismatches:", *mismatch_table(report)]
    out += ["", "Warnings on objects the suite expects healthy (not counted):",
            *report.warnings_on_healthy]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
