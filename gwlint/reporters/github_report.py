"""`--format github`: GitHub Actions workflow commands (annotations), then the full text report.

One `::error|warning|notice file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message` line per
finding, the ones most worth seeing first (errors, then warnings, then infos; within a level the
rules whose default severity is higher, then by file and line). GitHub shows at most 10 error,
10 warning and 10 notice annotations per step (and drops the rest silently), so no more than that
are emitted, and one closing notice says how many were not shown and where they are: the
complete text report follows (without colour) and nothing is lost. Annotation paths are relative
to the repository root (`gwlint.reporters.paths`), as GitHub resolves them.

Every value is escaped exactly as GitHub's toolkit (`@actions/core`, command.ts) does: data
`%`→`%25`, CR→`%0D`, LF→`%0A`; properties additionally `:`→`%3A` and `,`→`%2C`. No manifest
content (names, hostnames, file names) can therefore end a command or start a new one. The text
report that follows contains the same untrusted strings, so it is wrapped in
`::stop-commands::TOKEN` … `::TOKEN::` with a random token: the runner processes no workflow
command inside it, whatever a line starts with.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from gwlint.budget import shorten
from gwlint.findings import Severity
from gwlint.gitops.summary import in_overlays
from gwlint.reporters import text_report
from gwlint.reporters.common import plural
from gwlint.reporters.paths import shown_path
from gwlint.reporters.common import predicts_text

if TYPE_CHECKING:
    from gwlint.report import Report
    from gwlint.findings import Finding

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
# GitHub's limit: annotations of each level shown per step (the toolkit's problem-matcher docs:
# "10 warning annotations, 10 error annotations, and 10 notice annotations per step")
PER_STEP = 10

# C0/C1 controls other than CR and LF (which the escaping handles) are made visible, as in the
# text report: ESC sequences would otherwise reach the log viewer. So are the invisible characters
# that reorder or hide text in the annotation GitHub renders (bidi overrides and isolates,
# zero-width characters, LS/PS, BOM) and lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f"
                      "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], shorten(text))


def escape_data(text: str) -> str:
    """The toolkit's escapeData()."""
    return _visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """The toolkit's escapeProperty()."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: dict[str, object], message: str) -> str:
    """`::name k=v,k=v::message`, as the toolkit's Command.toString() builds it."""
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items()
                     if v is not None and v != "")
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(report: Report, f: Finding) -> str:
    loc = f.location
    assert loc is not None
    rule = report.rules[f.rule]
    props: dict[str, object] = {"file": shown_path(loc.file), "line": loc.line,
                                "endLine": loc.end_line}
    if loc.end_line == loc.line:  # GitHub accepts columns only for single-line annotations
        props["col"] = loc.column
        props["endColumn"] = max(loc.end_column, loc.column)
    props["title"] = f"{f.rule} {rule.name}"
    message = f.message
    message += in_overlays(f.overlays)
    if f.hint:
        message += f"\nhint: {f.hint}"
    if f.predicts:
        message += f"\npredicts: {predicts_text(f)}"
    return command(COMMANDS[report.severity_of(f)], props, message)


def most_worth_seeing(report: Report) -> list[Finding]:
    """Findings in the order annotations are emitted: by severity, then the rule's default
    severity (a warning from an error-level rule first), file, line, column and rule."""
    def key(f: Finding) -> tuple[int, int, str, int, int, str]:
        loc = f.location
        return (-int(report.severity_of(f)), -int(report.rules[f.rule].severity),
                loc.file if loc else "", loc.line if loc else 0, loc.column if loc else 0, f.rule)
    return sorted(report.findings, key=key)


def annotation_commands(report: Report,
                        elsewhere: str = "the report that follows in this step's log"
                        ) -> list[str]:
    """The workflow commands of the annotations GitHub will show, then, when some findings are
    left out, one notice that says how many and where they are (`elsewhere`)."""
    ordered = most_worth_seeing(report)
    levels = [report.severity_of(f) for f in ordered]
    total = {sev: levels.count(sev) for sev in COMMANDS}
    # the closing notice takes one of the notice slots: a cut anywhere leaves 9 for infos
    cut = any(n > PER_STEP for n in total.values())
    room = {sev: PER_STEP for sev in COMMANDS}
    if cut or total[Severity.INFO] > PER_STEP:
        room[Severity.INFO] = PER_STEP - 1
    lines, left = [], dict.fromkeys(COMMANDS, 0)
    for f, sev in zip(ordered, levels, strict=True):
        if room[sev] > 0:
            room[sev] -= 1
            lines.append(annotation(report, f))
        else:
            left[sev] += 1
    hidden = sum(left.values())
    if hidden:
        parts = [plural(left[s], w) for s, w in ((Severity.ERROR, "error"),
                                                 (Severity.WARNING, "warning"),
                                                 (Severity.INFO, "info")) if left[s]]
        lines.append(command("notice", {"title": f"gwlint: {hidden} more not annotated"},
                             f"{', '.join(parts)} not shown as annotations: GitHub shows at "
                             f"most {PER_STEP} error, {PER_STEP} warning and {PER_STEP} notice "
                             f"annotations per step. Every finding is in {elsewhere}."))
    return lines


def render(report: Report, *, color: bool = False, statistics: bool = False,
           quiet: bool = False, elsewhere: str | None = None) -> str:
    lines = annotation_commands(report, elsewhere or "the report that follows in this step's log")
    token = secrets.token_hex(16)
    lines.append(f"::stop-commands::{token}")
    body = text_report.render(report, color=False, statistics=statistics, quiet=quiet)
    lines.append(body.rstrip("\n"))
    lines.append(f"::{token}::")
    return "\n".join(lines) + "\n"
