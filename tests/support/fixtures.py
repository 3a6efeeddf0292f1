"""Per-rule fixture folders: discovery, expectation markers, and running one fixture through gwlint.

Layout (see tests/test_rule_fixtures.py, which runs every fixture):

- `tests/rules/GWxxx/` belongs to rule GWxxx. Every `bad*` / `good*` entry in it is one gwlint
  input of its own: a file is linted alone, a directory is linted as one input (cross-file cases).
- Markers at the end of the line where a finding starts: `# expect: GW101`, with a column
  `# expect: GW101:7`, with a severity `# expect: GW101:7 warning` or `# expect: GW101 info`,
  several separated by commas. Files that cannot hold comments (JSON, binary, broken encodings)
  use a sidecar `<fixture name>.expect` (`bad.json.expect` or `bad.expect`) with one marker a line,
  `LINE[:COL] CODE [SEVERITY]`, plus optional `args: ...` and `xfail: reason` lines.
- Arguments: `# gwlint-test: --assume-exists 'Service/x/*'` anywhere in the fixture (shlex
  syntax), `args:` in the sidecar, or a folder-wide `args.txt`. By default a fixture runs with
  `--isolated --select ALL --extend-select GWxxx` (the extend-select turns on opt-in rules, which
  `ALL` does not); a fixture that passes `--select` or `--extend-select` itself chooses the rules.
- `# gwlint-test-xfail: reason` (or `xfail:` in the sidecar): the fixture states the spec but the
  rule disagrees today; the test is a strict xfail, so it fails again once the rule is fixed.

The harness runs the real pipeline in-process: command-line parsing by gwlint's own click command,
settings by the runner, then `gwlint.engine.lint`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml

from gwlint.cli import check as check_command
from gwlint.config import build_config
from gwlint.engine import lint
from gwlint.reporters.common import finding_dict
from gwlint.runner import check_selectors

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
FOLDER_NAME = re.compile(r"GW\d{3}")
SEVERITIES = ("error", "warning", "info")

_EXPECT = re.compile(r"#\s*expect:\s*(?P<body>.*)$")
_ARGS = re.compile(r"#\s*gwlint-test:\s*(?P<body>.*)$")
_XFAIL = re.compile(r"#\s*gwlint-test-xfail:\s*(?P<body>.*)$")
_MARKER = re.compile(r"(?P<code>GW\d{3})(?::(?P<column>\d+))?(?:\s+(?P<severity>\w+))?")
_SIDECAR_MARKER = re.compile(r"(?P<line>\d+)(?::(?P<column>\d+))?\s+(?P<rest>.+)")


class FixtureError(Exception):
    """A fixture that cannot be read as written (bad marker, bad arguments)."""


@dataclass(frozen=True)
class Marker:
    """One expected finding: rule code at a file and line (column and severity optional)."""

    file: Path
    line: int
    code: str
    column: int | None = None
    severity: str | None = None

    def fits(self, finding: dict[str, Any]) -> bool:
        return (finding["rule"] == self.code and finding["abspath"] == self.file
                and finding["line"] == self.line
                and (self.column is None or finding["column"] == self.column)
                and (self.severity is None or finding["severity"] == self.severity))

    def show(self, base: Path) -> str:
        col = f":{self.column}" if self.column is not None else ""
        sev = f" {self.severity}" if self.severity else ""
        return f"{_rel(self.file, base)}:{self.line}{col} {self.code}{sev}"


@dataclass
class Fixture:
    """One `bad*`/`good*` entry of a rule's folder."""

    code: str
    path: Path
    kind: str  # "bad" or "good"
    args: list[str] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    xfail: str | None = None

    @property
    def id(self) -> str:
        return f"{self.code}/{self.path.name}"


def _rel(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _lines(path: Path) -> list[str]:
    """The file's lines as YAML numbers them (CRLF and CR are line breaks); undecodable bytes
    are replaced, so a binary fixture simply holds no markers."""
    text = path.read_bytes().decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_marker_list(body: str, file: Path, line: int) -> list[Marker]:
    """`GW105, GW303:9 warning` -> markers on `line`."""
    markers = []
    for item in body.split(","):
        item = item.strip()
        m = _MARKER.fullmatch(item)
        if not m or (m["severity"] and m["severity"] not in SEVERITIES):
            raise FixtureError(f"{file}:{line}: bad expect marker {item!r} "
                               f"(use CODE[:COLUMN] [error|warning|info])")
        markers.append(Marker(file, line, m["code"],
                              int(m["column"]) if m["column"] else None, m["severity"]))
    return markers


def _sidecar(path: Path) -> Path | None:
    for candidate in (path.with_name(path.name + ".expect"), path.with_name(path.stem + ".expect")):
        if candidate != path and candidate.is_file():
            return candidate
    return None


def _read_file(path: Path, fx: Fixture) -> None:
    """Markers, arguments and xfail reason of one input file (and of its sidecar)."""
    for number, text in enumerate(_lines(path), start=1):
        if m := _EXPECT.search(text):
            fx.markers.extend(parse_marker_list(m["body"], path, number))
        if m := _ARGS.search(text):
            fx.args.extend(_split_args(m["body"], path))
        if m := _XFAIL.search(text):
            fx.xfail = m["body"].strip() or "xfail"
    sidecar = _sidecar(path)
    if sidecar is None:
        return
    for number, raw in enumerate(sidecar.read_text(encoding="utf-8").splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("args:"):
            fx.args.extend(_split_args(text[5:], sidecar))
        elif text.startswith("xfail:"):
            fx.xfail = text[6:].strip() or "xfail"
        elif m := _SIDECAR_MARKER.fullmatch(text):
            fx.markers.extend(parse_marker_list(_sidecar_body(m), path, int(m["line"])))
        else:
            raise FixtureError(f"{sidecar}:{number}: expected 'LINE[:COL] CODE [SEVERITY]', "
                               f"'args: ...' or 'xfail: ...', got {raw!r}")


def _sidecar_body(m: re.Match[str]) -> str:
    """`12:5 GW001 error` -> `GW001:5 error` (the marker syntax)."""
    parts = m["rest"].split()
    code, severity = parts[0], " ".join(parts[1:])
    column = f":{m['column']}" if m["column"] else ""
    return f"{code}{column} {severity}".strip()


def _split_args(text: str, where: Path) -> list[str]:
    try:
        return shlex.split(text, comments=True)
    except ValueError as exc:
        raise FixtureError(f"{where}: cannot split arguments {text!r}: {exc}") from None


def _input_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.is_file() and not p.name.endswith(".expect")
                  and p.name != "args.txt")


def load_fixture(code: str, path: Path) -> Fixture:
    kind = "bad" if path.name.startswith("bad") else "good"
    fx = Fixture(code, path, kind)
    folder_args = path.parent / "args.txt"
    if folder_args.is_file():
        fx.args.extend(_split_args(folder_args.read_text(encoding="utf-8"), folder_args))
    if path.is_dir() and (path / "args.txt").is_file():
        fx.args.extend(_split_args((path / "args.txt").read_text(encoding="utf-8"),
                                   path / "args.txt"))
    for file in _input_files(path):
        _read_file(file, fx)
    return fx


def is_fixture_entry(path: Path) -> bool:
    name = path.name
    return (name.startswith(("bad", "good")) and not name.endswith(".expect")
            and not name.startswith(".") and name != "__pycache__")


def rule_folders(root: Path = RULES_DIR) -> dict[str, Path]:
    """Fixture folders by rule code (every `GWxxx` directory below tests/rules)."""
    return {p.name: p for p in sorted(root.iterdir())
            if p.is_dir() and FOLDER_NAME.fullmatch(p.name)}


def fixture_paths(root: Path = RULES_DIR) -> list[tuple[str, Path]]:
    """(rule code, fixture entry) of every fixture below root, sorted."""
    return list(_fixture_paths(root))


@functools.cache
def _fixture_paths(root: Path) -> tuple[tuple[str, Path], ...]:
    """Listed once per root and process (about 150 tests ask; 8 ms each): fixtures are files of
    the repository, not written while the suite runs."""
    return tuple((code, entry) for code, folder in rule_folders(root).items()
                 for entry in sorted(folder.iterdir()) if is_fixture_entry(entry))


# --- running ----------------------------------------------------------------------------------


def command_line(fx: Fixture) -> list[str]:
    """The fixture's arguments with the harness defaults (see the module docstring)."""
    args = list(fx.args)
    chosen = any(a.split("=")[0] in ("--select", "--extend-select") for a in args)
    if not chosen:
        args = ["--select", "ALL", "--extend-select", fx.code, *args]
    if not any(a.split("=")[0] in ("--config", "--isolated") for a in args):
        args = ["--isolated", *args]
    return args


def run_fixture(fx: Fixture) -> list[dict[str, Any]]:
    """Lint the fixture like `gwlint ARGS INPUT` run from its folder (a directory fixture: from
    inside it, on `.`), in-process. Finding dicts are the JSON contract plus `abspath`."""
    cwd, target = (fx.path, ".") if fx.path.is_dir() else (fx.path.parent, fx.path.name)
    argv = [target, *command_line(fx)]
    with contextlib.chdir(cwd):
        try:
            ctx = check_command.make_context("gwlint", list(argv))
        except click.ClickException as exc:  # the fixture's arguments are wrong
            raise FixtureError(f"{fx.id}: bad arguments {argv}: {exc}") from None
        params = dict(ctx.params)
        paths = tuple(params.pop("paths"))
        for key in ("fmt", "output"):
            params.pop(key, None)
        config = build_config(paths, params)
        check_selectors(config)
        report = lint(config)
        out = []
        for f in report.findings:
            d = finding_dict(report, f)
            d["abspath"] = (cwd / d["file"]).resolve()
            out.append(d)
    return out


def _match(markers: list[Marker], findings: list[dict[str, Any]]) -> tuple[list[Marker], set[int]]:
    """Maximum matching of markers to findings (augmenting paths; fixtures are small).

    Returns the unmatched markers and the indexes of matched findings.
    """
    owner: dict[int, int] = {}  # finding index -> marker index

    def augment(mi: int, seen: set[int]) -> bool:
        for fi, finding in enumerate(findings):
            if fi in seen or not markers[mi].fits(finding):
                continue
            seen.add(fi)
            if fi not in owner or augment(owner[fi], seen):
                owner[fi] = mi
                return True
        return False

    unmatched = [m for mi, m in enumerate(markers) if not augment(mi, set())]
    return unmatched, set(owner)


def _show_finding(f: dict[str, Any], base: Path) -> str:
    return (f"{_rel(f['abspath'], base)}:{f['line']}:{f['column']} {f['rule']} {f['severity']}: "
            f"{f['message']}")


def problems(fx: Fixture, findings: list[dict[str, Any]]) -> list[str]:
    """What differs between the fixture's markers and gwlint's findings (empty: the fixture passes).

    bad: the folder rule's findings equal its markers exactly; good: no finding of the folder rule.
    In both, markers of other rules must be matched; unmarked findings of other rules are ignored.
    """
    base = fx.path.parent
    out: list[str] = []
    own = [m for m in fx.markers if m.code == fx.code]
    if fx.kind == "bad" and not own:
        out.append(f"a bad fixture needs at least one '# expect: {fx.code}' marker")
    if fx.kind == "good" and own:
        out.append(f"a good fixture must not expect {fx.code}: "
                   + ", ".join(m.show(base) for m in own))
    marked_codes = {m.code for m in fx.markers}
    relevant = [f for f in findings if f["rule"] == fx.code or f["rule"] in marked_codes]
    missing, matched = _match(fx.markers, relevant)
    unexpected = [f for i, f in enumerate(relevant) if i not in matched and f["rule"] == fx.code]
    if missing:
        out.append("expected, not reported:\n" + "\n".join("    " + m.show(base) for m in missing))
    if unexpected:
        out.append("reported, not expected:\n"
                   + "\n".join("    " + _show_finding(f, base) for f in unexpected))
    return out


def failure_report(fx: Fixture, findings: list[dict[str, Any]], issues: list[str]) -> str:
    base = fx.path.parent
    every = "\n".join("    " + _show_finding(f, base) for f in findings) or "    (none)"
    return (f"{fx.id} ({fx.kind}, gwlint {shlex.join(command_line(fx))}):\n  "
            + "\n  ".join(issues) + f"\n  all findings of the run:\n{every}")


def fixture_findings(code: str, name: str, rule: str | None = None) -> list[dict[str, Any]]:
    """Findings of `rule` (default: the folder's rule) when fixture `name` of rule `code`'s
    folder is linted as the harness lints it: for focused tests of messages, hints, predicts."""
    fx = load_fixture(code, RULES_DIR / code / name)
    return [f for f in run_fixture(fx) if f["rule"] == (rule or code)]


# --- the examples of a rule's documentation ---------------------------------------------------

_EXAMPLE = re.compile(r"^(?P<label>Bad|Fixed):\s*\n+```(?:yaml|json)\n(?P<text>.*?)^```",
                      re.M | re.S)


def doc_examples(doc: str) -> dict[str, str]:
    """{"Bad": text, "Fixed": text}: the first yaml block after each label of a rule docstring."""
    return {m["label"]: m["text"] for m in _EXAMPLE.finditer(doc)}


def example_objects(text: str) -> set[tuple[str, str]] | None:
    """(kind, name) of the objects of an example; None when the example is not valid YAML."""
    try:
        docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))  # libyaml: 10 times faster
    except yaml.YAMLError:
        return None
    return {(str(d["kind"]), str((d.get("metadata") or {}).get("name")))
            for d in docs if isinstance(d, dict) and "apiVersion" in d and "kind" in d}


_FILE = re.compile(r"^# file: (?P<path>\S+)\n", re.M)


def example_files(text: str) -> dict[str, str] | None:
    """The files of an example written as several (`# file: PATH` lines, each starting one,
    separated by `---`: a Kustomize layout), or None for a one-file example."""
    starts = list(_FILE.finditer(text))
    if not starts:
        return None
    files = {}
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[m.end():end]
        files[m["path"]] = re.sub(r"\n---\n*$", "\n", body)
    return files


def example_findings(code: str, kind: str, text: str, folder: Path) -> list[dict[str, Any]]:
    """Lint one documentation example as a fixture of rule `code` would be linted (the
    example's own `# gwlint-test:` comments give its arguments). An example of several files
    (`# file: PATH` lines) is written as a directory and linted as one."""
    files = example_files(text)
    if files is None:
        path = folder / f"{kind.lower()}_example.yaml"
        path.write_text(text, encoding="utf-8")
    else:
        path = folder / f"{kind.lower()}_example"
        for name, body in files.items():
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            (path / name).write_text(body, encoding="utf-8")
    fx = load_fixture(code, path)
    return run_fixture(fx)
