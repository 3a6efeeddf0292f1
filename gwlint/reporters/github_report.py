"""`--format github`: GitHub Actions workflow commands (annotations), then the full text report.

One `::error|warning|notice file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message` line per
finding, the most severe first: GitHub shows at most 10 annotations of each level per step, so
the complete text report follows (without colour) and nothing is lost.

Every value is escaped exactly as GitHub's toolkit (`@actions/core`, command.ts) does: data
`%`→`%25`, CR→`%0D`, LF→`%0A`; properties additionally `:`→`%3A` and `,`→`%2C`. No manifest
content (names, hostnames, file names) can therefore end a command or start a new one. The text
report that follows contains the same untrusted strings, so it is wrapped in
`::stop-commands::TOKEN` … `::TOKEN::` with a random token: the runner processes no workflow
command inside it, whatever a line starts with.
"""

from __future__ import annotations

import os
import re
import secrets
from typing import TYPE_CHECKING

from gwlint.findings import Severity
from gwlint.gitops.summary import in_overlays
from gwlint.reporters import text_report
from gwlint.reporters.common import predicts_text

if TYPE_CHECKING:
    from gwlint.report import Report
    from gwlint.findings import Finding

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

# C0/C1 controls other than CR and LF (which the escaping handles) are made visible, as in the
# text report: ESC sequences would otherwise reach the log viewer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


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


def _annotation_path(file: str) -> str:
    """Paths relative to the workspace (GitHub resolves annotation files against the repo root)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or not os.path.exists(file):
        return file
    try:
        rel = os.path.relpath(os.path.abspath(file), os.path.abspath(workspace))
    except ValueError:
        return file
    if rel == ".." or rel.startswith(".." + os.sep):
        return file
    return rel.replace(os.sep, "/")


def annotation(report: "Report", f: "Finding") -> str:
    loc = f.location
    assert loc is not None
    rule = report.rules[f.rule]
    props: dict[str, object] = {"file": _annotation_path(loc.file), "line": loc.line,
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


def render(report: "Report", *, color: bool = False, statistics: bool = False,
           quiet: bool = False) -> str:
    ordered = sorted(report.findings, key=lambda f: -int(report.severity_of(f)))  # stable
    lines = [annotation(report, f) for f in ordered]
    token = secrets.token_hex(16)
    lines.append(f"::stop-commands::{token}")
    body = text_report.render(report, color=False, statistics=statistics, quiet=quiet)
    lines.append(body.rstrip("\n"))
    lines.append(f"::{token}::")
    return "\n".join(lines) + "\n"
