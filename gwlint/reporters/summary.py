"""The GitHub Actions job summary: Markdown appended to `$GITHUB_STEP_SUMMARY`.

Counts by severity and by rule, then a table of the findings (the ones most worth seeing first,
as the annotations): a `file:line` link to the file at the commit being checked
(`GITHUB_SERVER_URL/GITHUB_REPOSITORY/blob/GITHUB_SHA/path#Lline`, the path relative to the
repository root), the rule, the message and the predicted condition. GitHub refuses a step
summary larger than 1 MiB ("$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of
1024k"), and then shows nothing at all: rows stop before the limit and a note says how many were
left out. Manifest text is data: every cell is escaped so that no name or message can become
Markdown, HTML, a link or a mention.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote

from gwlint.escapes import cell
from gwlint.findings import Severity
from gwlint.reporters.common import plural, predicts_text
from gwlint.reporters.github_report import most_worth_seeing
from gwlint.reporters.paths import repo_path, shown_path

if TYPE_CHECKING:
    from gwlint.findings import Finding
    from gwlint.report import Report

LIMIT = 1024 * 1024  # bytes of one step's summary that GitHub accepts
LEVELS = ((Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "info"))

def link(f: Finding, env: Mapping[str, str]) -> str:
    loc = f.location
    assert loc is not None
    path = repo_path(loc.file)
    text = cell(f"{shown_path(loc.file)}:{loc.line}")
    server, repo, sha = (env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"),
                         env.get("GITHUB_SHA"))
    if path is None or not (server and repo and sha):
        return text
    anchor = f"#L{loc.line}" + (f"-L{loc.end_line}" if loc.end_line > loc.line else "")
    url = f"{server.rstrip('/')}/{quote(repo)}/blob/{quote(sha)}/{quote(path)}{anchor}"
    return f"[{text}]({url})"


def _head(report: Report) -> list[str]:
    c = report.counts()
    title = ("no problems found" if not report.findings else
             ", ".join(plural(c[name], name) for _, name in LEVELS))
    out = [f"## gwlint: {title}", "",
           f"{plural(report.files, 'file')}, {plural(report.resources, 'resource')}, "
           f"Gateway API {cell(report.version.version)} {cell(report.version.channel)}.", ""]
    if not report.findings:
        return out
    out += ["| Severity | Findings |", "|---|---:|"]
    out += [f"| {name} | {c[name]} |" for _, name in LEVELS]
    by_rule: dict[str, Counter[Severity]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule, Counter())[report.severity_of(f)] += 1
    out += ["", "| Rule | Name | Errors | Warnings | Infos |", "|---|---|---:|---:|---:|"]
    for code in sorted(by_rule, key=lambda r: (-sum(by_rule[r].values()), r)):
        n = by_rule[code]
        out.append(f"| {code} | {cell(report.rules[code].name)} | {n[Severity.ERROR]} | "
                   f"{n[Severity.WARNING]} | {n[Severity.INFO]} |")
    return out + ["", "### Findings", "", "| Location | Rule | Message | Predicts |",
                  "|---|---|---|---|"]


def render(report: Report, env: Mapping[str, str], budget: int = LIMIT) -> str:
    """The summary, at most `budget` bytes (UTF-8)."""
    text = "\n".join(_head(report)) + "\n"
    ordered = most_worth_seeing(report)
    note = ("\n_{shown} of {total} findings are listed: GitHub accepts at most 1 MiB of summary "
            "per step. Every finding is in the step's log._\n")
    reserve = len(note.encode("utf-8")) + 40
    size = len(text.encode("utf-8"))
    if size + reserve > budget:  # the step's summary is already (nearly) full
        return ""
    rows = []
    for f in ordered:
        sev = str(report.severity_of(f))
        row = (f"| {link(f, env)} | {f.rule} {sev} | {cell(f.message)} | "
               f"{cell(predicts_text(f)) if f.predicts else ''} |\n")
        n = len(row.encode("utf-8"))
        if size + n + reserve > budget:
            break
        rows.append(row)
        size += n
    text += "".join(rows)
    if len(rows) < len(ordered):
        text += note.format(shown=len(rows), total=len(ordered))
    return text + "\n"
