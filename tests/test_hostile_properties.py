"""Property-based tests: generated YAML texts and Gateway API objects, valid and mutated, through
the real pipeline (engine.lint on a temporary directory and on stdin, every reporter, the CLI).

Invariants (see tests/fuzz/strategies.py): no exception escapes, exit code 0/1 only, every span
inside its file, JSON/SARIF parse, no raw control characters in text, no forged GitHub command.

The in-suite budget is small; the long run is `python tests/fuzz/run_fuzz.py --examples 100000`
(or `GWLINT_FUZZ_EXAMPLES=100000 python -m pytest tests/test_hostile_properties.py`).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import strategies as S  # noqa: E402

from gwlint import loader  # noqa: E402
from gwlint.cli import main  # noqa: E402
from gwlint.source import SourceFile  # noqa: E402

COMMON = dict(deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))


@settings(max_examples=S.budget(60), **COMMON)
@given(S.file_trees())
def test_tree_of_hostile_files(files):
    with tempfile.TemporaryDirectory() as tmp:
        report, texts = S.run_tree(Path(tmp), files)
        S.check_report(report, texts)
        S.assert_exit_ok(report)


@settings(max_examples=S.budget(80), **COMMON)
@given(S.file_bytes(), st.sampled_from(["<stdin>", "k8s/route.yaml", "a\x1b[31m::error::x"]))
@example(b"\xef\xbb\xbfapiVersion: v1\r\nkind: List\r\nitems: [1, {kind: x}]\r\n", "<stdin>")
@example(b"# Source: c/t.yaml\n{{ x }}\n# Source: {{ y }}\n", "<stdin>")
@example(b"\xff\xfe" + "a: 1\n".encode("utf-16-le"), "<stdin>")
def test_stdin_stream(data, name):
    report, texts = S.run_stdin(data, name)
    S.check_report(report, texts, helm_names=S.helm_names(data))
    S.assert_exit_ok(report)


@settings(max_examples=S.budget(60), **COMMON)
@given(S.documents(), st.data())
def test_gateway_objects_valid_and_mutated(docs, data):
    text = "".join("---\n" + S._dump(d, data.draw) for d in docs)
    report, texts = S.run_stdin(text.encode("utf-8", "surrogatepass"), "objects.yaml")
    S.check_report(report, texts)
    S.assert_exit_ok(report)


@settings(max_examples=S.budget(150), **COMMON)
@given(S.yaml_soup())
@example("&a [*a]\n")
@example("&a\n- *a\n- x\n")
@example("a: &x {<<: *x}\n")
@example("[a: " * 300 + "x")
@example("? " * 300 + "x")
@example("- " * 300 + "x")
def test_yaml_soup(text):
    report, texts = S.run_stdin(text.encode("utf-8", "surrogatepass"), "soup.yaml")
    S.check_report(report, texts, formats=["json", "text"])
    S.assert_exit_ok(report)


@settings(max_examples=S.budget(25), **COMMON)
@given(S.shapes())
def test_hostile_shapes(text):
    """Big lists, many grants, many directives, aliases across documents, duplicate keys, CR,
    CRLF, NEL/LS/PS line ends: the same invariants (spans inside their lines, no raw control
    characters, no forged command) in every format."""
    report, texts = S.run_stdin(text.encode("utf-8", "surrogatepass"), "shape.yaml")
    S.check_report(report, texts)
    S.assert_exit_ok(report)


@settings(max_examples=S.budget(40), **COMMON)
@given(S.hostile_config())
@example((".gwlint.yaml", b"!custom k: v\n"))
@example((".gwlint.yaml", b"x: ]\ny: &a 1\nz: *a\n"))
@example((".gwlint.yaml", b"max-file-size: 99999999999999999999999999\n"))
@example(("pyproject.toml", b"[tool.gwlint]\nmax-file-size = 100000000000000\n"))
def test_hostile_configuration(config):
    """A configuration file a pull request adds: exit 0/1, or 2 with FILE:LINE: message."""
    name, data = config
    S.run_config(name, data, b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")


@settings(max_examples=S.budget(300), **COMMON)
@given(st.one_of(S.yaml_soup(), S.yaml_text(), st.text()))
def test_loader_never_raises(text):
    """parse_source alone: cheap enough for many more examples; data depth stays bounded."""
    result = loader.parse_source(SourceFile("x.yaml", text))
    for issue in result.issues:
        assert issue.code in {"GW001", "GW002", "GW003", "GW004", "GW005"}
        assert issue.line >= 0 and issue.column >= 0

    def depth(value, d=0):
        assert d <= loader.MAX_DEPTH + 2
        if isinstance(value, dict):
            for v in value.values():
                depth(v, d + 1)
        elif isinstance(value, list):
            for v in value:
                depth(v, d + 1)

    for doc in result.documents:
        depth(doc.data)  # aliases share objects: walk the expansion, it is bounded


@settings(max_examples=S.budget(12), **COMMON)
@given(S.file_trees(), st.sampled_from(S.available_formats()), st.booleans())
def test_cli_every_format(files, fmt, to_file):
    """The click CLI end to end: exit code 0/1, nothing on stderr that looks like a crash."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        out_file = Path(tempfile.mkdtemp()) / "report.out"
        args = (["--format", fmt, "--isolated", "."]
                + (["--output", str(out_file)] if to_file else []))
        old = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, args, catch_exceptions=True)
        finally:
            os.chdir(old)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert result.exit_code in (0, 1), (result.exit_code, result.output[-2000:])
        err = result.stderr if hasattr(result, "stderr") else ""
        assert "Traceback" not in result.output + err
        out = out_file.read_text(encoding="utf-8") if to_file else result.stdout
        if fmt in ("json", "sarif"):
            json.loads(out)
