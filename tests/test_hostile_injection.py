"""Output injection: manifest-controlled text (reference names, unknown field names, duplicate
keys, custom tags, file names, Helm `# Source:` names, --stdin-filename) carrying `%`, CR/LF,
`::`, ANSI CSI and OSC 8 sequences, bidi overrides and other invisible characters.

* text: no raw control, bidi or zero-width character reaches the terminal (they are shown escaped);
* github: every line that starts with `::` is a command gwlint emitted (one annotation per finding
  and the stop-commands/resume pair around the text report); `%`, CR and LF are escaped;
* json / sarif: valid JSON, and the raw text is preserved as data.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import harness  # noqa: E402
from fuzz import strategies as S  # noqa: E402
from support import inprocess  # noqa: E402

from gwlint.engine import LintConfig, lint  # noqa: E402
from gwlint.reporters import render  # noqa: E402

PAYLOAD = ("\x1b[31mRED\x1b[0m\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
           "\n::error file=forged.yaml,line=1::forged\r::warning::cr%0A%25::add-mask::x"
           "\u202eevil\u202c\u2066\u200b\x07\x85\u2028\x9b31m")
FORGED = ("::error file=forged.yaml", "::warning::cr", "::add-mask::")


def strings(value: object) -> list[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def needs(fmt: str):
    module = f"gwlint/reporters/{fmt}_report.py"
    return pytest.mark.skipif(importlib.util.find_spec(f"gwlint.reporters.{fmt}_report") is None,
                              reason=f"{module} does not exist yet (format '{fmt}' not available)")


def q(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar: escapes survive


ROUTE = f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  parentRefs:
  - name: {q("gw" + PAYLOAD)}
  hostnames: [{q(PAYLOAD + ".example.com")}]
  rules:
  - matches:
    - path: {{type: PathPrefix, value: {q("/" + PAYLOAD)}}}
      headers:
      - name: {q("x" + PAYLOAD)}
        value: {q(PAYLOAD)}
    backendRefs:
    - name: {q("svc" + PAYLOAD)}
      port: 80
  {q("unknown" + PAYLOAD)}: 1
  {q("dup" + PAYLOAD)}: 1
  {q("dup" + PAYLOAD)}: 2
"""
TAGGED = (f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\ndata:\n"
          f"  a: !<{q(PAYLOAD)[1:-1]}> x\n")
WEIRD_NAME = "n\x1b[31m%0A::error file=x::name\u202e.yaml"
# (YAML allows no control character even in a comment, and a comment ends at any line break)
HELM_NAME = "chart/templates/%0A::error file=x::y \u202eevil\u200b%25::add-mask::z.yaml"
HELM = f"# Source: {HELM_NAME}\n" + ROUTE


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("inject")
    files = {"route.yaml": ROUTE, "tagged.yaml": TAGGED, WEIRD_NAME: ROUTE.replace("web", "w2")}
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    old = os.getcwd()
    os.chdir(root)
    try:
        rep = lint(LintConfig(paths=["."], jobs=1))
        texts = S._texts_of(Path("."), None)
    finally:
        os.chdir(old)
    return rep, texts


def test_payload_reaches_messages(report):
    """Not vacuous: the raw payload is in reference names and unknown-field messages."""
    rep, _ = report
    rules = {f.rule for f in rep.findings if PAYLOAD in f.message}
    assert {"GW101", "GW102"} <= rules, rules
    assert any(PAYLOAD[:20] in f.message or "unknown" in f.message
               for f in rep.findings if f.rule == "GW011")
    assert WEIRD_NAME in {f.location.file for f in rep.findings}


def test_every_invariant_in_every_format(report):
    rep, texts = report
    S.check_report(rep, texts)


def test_text_output_has_no_raw_controls(report):
    rep, _ = report
    for color in (False, True):
        out = render(rep, "text", color=color, statistics=True)
        plain = re.sub(r"\x1b\[[0-9;]*m", "", out) if color else out
        assert S.TEXT_FORBIDDEN.search(plain) is None
        assert "\r" not in out
        if not color:
            assert "\x1b" not in out
        assert "\\x1b[31mRED" in out  # shown, escaped
        assert "\\u202e" in out
    # one line per finding: the message cannot break out onto a line of its own
    out = render(rep, "text", quiet=True)
    heads = [ln for ln in out.splitlines() if re.match(r"^\S.*:\d+:\d+: GW\d{3} ", ln)]
    assert len(heads) == len(rep.findings)
    assert not any(ln.startswith("::") for ln in out.splitlines())


def test_json_preserves_raw_text(report):
    rep, _ = report
    doc = json.loads(render(rep, "json"))
    assert any(PAYLOAD in f["message"] for f in doc["findings"])
    assert WEIRD_NAME in {f["file"] for f in doc["findings"]}


@needs("sarif")
def test_sarif_escapes_messages_and_preserves_raw_data(report):
    """GitHub code scanning renders a result's message, so the manifest text in it is escaped as
    in the text report (a bidi override would reorder the alert's text); the raw values stay in
    the result's properties (resource, parent), as data."""
    rep, _ = report
    doc = json.loads(render(rep, "sarif"))
    results = doc["runs"][0]["results"]
    assert not any(S.TEXT_FORBIDDEN.search(r["message"]["text"]) for r in results)
    assert any("gw\\x1b[31mRED" in r["message"]["text"] and "\\u202eevil" in r["message"]["text"]
               for r in results)
    assert any("gw" + PAYLOAD in strings(r.get("properties")) for r in results)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert all(not re.search(r"[\x00-\x1f\x7f ]", u) for u in uris), uris  # percent-encoded


@needs("github")
def test_github_has_no_forged_command(report):
    rep, _ = report
    out = render(rep, "github")
    S.check_github(out, rep)
    lines = out.split("\n")
    assert not any(ln.startswith(FORGED) for ln in lines)
    for ln in lines:
        if re.match(r"::(error|warning|notice) ", ln):
            assert "\n" not in ln and "\r" not in ln and "\x1b" not in ln
            head, _, message = ln.partition("::")[2].partition("::")
            # every `%` is an escape: the payload's own `%0A` arrives as `%250A`, not as a newline
            assert re.search(r"%(?!25|0A|0D)", message) is None, message
            assert re.search(r"%(?!25|0A|0D|3A|2C)", head) is None, head
            if "gw\\x1b[31mRED" in message:
                assert "%250A%2525" in message


@needs("github")
def test_github_format_from_environment_end_to_end(tmp_path):
    """GITHUB_ACTIONS=true selects the github format; the real stdout is checked line by line."""
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    (tmp_path / WEIRD_NAME).write_text(ROUTE.replace("web", "w2"), encoding="utf-8")
    run = harness.gwlint(["--isolated", "."], cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert run.returncode == 1, run.stderr[-2000:]
    lines = run.stdout.split("\n")
    commands = [ln for ln in lines if ln.startswith("::")]
    annotations = [ln for ln in commands if re.match(r"::(error|warning|notice) (file|title)=", ln)]
    stop = [ln for ln in commands if ln.startswith("::stop-commands::")]
    assert len(stop) == 1
    token = stop[0].split("::")[2]
    assert set(commands) == set(annotations) | {stop[0], f"::{token}::"}
    assert not any(ln.startswith(FORGED) for ln in lines)
    assert "\r" not in run.stdout and "\x1b" not in run.stdout


@pytest.mark.parametrize("fmt", S.available_formats())
def test_stdin_filename_and_helm_sources(tmp_path, fmt):
    """Names that come from the command line and from `# Source:` comments are file names in
    every format: same escaping (the command line in this process; the real standard output is
    checked by the end-to-end test above)."""
    for args, stdin in ((["--stdin-filename", WEIRD_NAME, "-"], ROUTE),
                        (["-"], HELM)):
        run = inprocess.gwlint(["--format", fmt, "--isolated", *args], cwd=tmp_path,
                               stdin=stdin.encode())
        assert run.returncode == 1, run.stderr[-2000:]
        out = run.stdout
        if fmt in ("json", "sarif"):
            doc = json.loads(out)
            if fmt == "json":
                assert any(PAYLOAD in f["message"] for f in doc["findings"])
            else:  # SARIF messages are escaped, the raw values kept in the properties
                assert any(PAYLOAD in value for r in doc["runs"][0]["results"]
                           for value in strings(r.get("properties")))
            if stdin is HELM:
                assert HELM_NAME in out or json.dumps(HELM_NAME)[1:-1] in out or fmt == "sarif"
        elif fmt == "text":
            assert S.TEXT_FORBIDDEN.search(out) is None and "\x1b" not in out
        else:
            assert not any(ln.startswith(FORGED) for ln in out.split("\n"))
            assert "\r" not in out and "\x1b" not in out


def test_sanitize_covers_trojan_source_and_surrogates():
    from gwlint.escapes import sanitize

    raw = "a\x1b[2Jb\u202ec\u2066d\u200be\ufefff\u2028g\x85h\udcffi\tj"
    out = sanitize(raw)
    assert S.TEXT_FORBIDDEN.search(out) is None
    assert "\t" in out  # tabs are harmless and kept
    assert out == ("a\\x1b[2Jb\\u202ec\\u2066d\\u200be\\ufefff\\u2028g\\x85h\\udcffi\tj")
    assert sanitize("caf\u00e9 \u65e5\u672c \U0001f600") == "caf\u00e9 \u65e5\u672c \U0001f600"
