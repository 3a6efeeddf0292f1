"""The native front end (gwlint.native) against the reference, the loader's PyYAML path.

Differential: every YAML file of the repository, a generated benchmark corpus, the fuzz
strategies' texts and generated YAML 1.1 edge cases give, through `native.parse`, either the very
values (same types: `True` is not `1`), document count and root lines as `loader.parse_source`,
or a refusal (None). A text the reference reports an issue for (GW001/GW002/GW004/GW005) must
always be refused, so that PyYAML produces the finding and its position. Native spans
(`native_spans.Locator`) must be the ones spans.SpanIndex computes by recomposing, or None.

The property tests run a short budget; GWLINT_FUZZ_EXAMPLES=20000 runs them long.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import strategies as S  # noqa: E402

from gwlint import discover, loader, native, native_spans, spans  # noqa: E402
from gwlint.source import SourceFile  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COMMON = dict(deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
needs_native = pytest.mark.skipif(not native.available(), reason="rapidyaml/orjson not installed")


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types, dict keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def agree(text: str) -> bool:
    """Assert the fast path gives the reference's result or refuses; True when it took the text."""
    with native.quiet():
        fast = native.parse(text)
    if fast is None:
        return False
    ref = loader.parse_source(SourceFile("t.yaml", text))
    assert not ref.issues, f"took a text the loader reports: {[i.message for i in ref.issues]}"
    assert [d.line for d in ref.documents] == [line for _, line in fast]
    for doc, (value, _) in zip(ref.documents, fast, strict=True):
        assert same(doc.data, value), f"document {doc.index}: {doc.data!r} != {value!r}"
    return True


def yaml_files(*roots: Path) -> list[Path]:
    return sorted(p for r in roots for p in r.rglob("*")
                  if p.suffix.lower() in (".yaml", ".yml", ".json") and p.is_file())


def read_text(path: Path) -> str | None:
    src, issue = discover.decode(SourceFile(str(path)), path.read_bytes())
    return None if issue else src.text


# ----------------------------------------------------------------------------- files


@needs_native
@pytest.mark.parametrize("path", yaml_files(ROOT / "tests", ROOT / "examples"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_yaml_files(path: Path) -> None:
    text = read_text(path)
    if text is not None:
        agree(text)


@needs_native
def test_repository_files_mostly_take_the_fast_path() -> None:
    """The fixtures are hostile on purpose, yet most ordinary files must not fall back."""
    texts = [t for t in map(read_text, yaml_files(ROOT / "examples", ROOT / "tests" / "rules"))
             if t is not None]
    taken = sum(agree(t) for t in texts)
    assert taken >= 0.85 * len(texts), f"{taken} of {len(texts)}"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate",
                                                  ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@needs_native
def test_benchmark_corpus_takes_the_fast_path_and_agrees(tmp_path: Path) -> None:
    """Every file of a generated corpus (with its mistakes) is taken, and gives the same values."""
    _generator().generate(tmp_path / "corpus", 300, broken_fraction=0.3, seed=7)
    files = yaml_files(tmp_path / "corpus" / "clusters")
    assert len(files) > 100
    for path in files:
        assert agree(path.read_text(encoding="utf-8")), path


# ----------------------------------------------------------------------------- fuzz texts


@needs_native
@settings(max_examples=S.budget(120), **COMMON)
@given(S.yaml_text())
def test_fuzz_texts(text: str) -> None:
    agree(text)


@needs_native
@settings(max_examples=S.budget(60), **COMMON)
@given(S.file_bytes())
def test_fuzz_file_bytes(data: bytes) -> None:
    src, issue = discover.decode(SourceFile("f.yaml"), data)
    if issue is None:
        agree(src.text)


# ----------------------------------------------------------------------------- YAML 1.1 edges

# Scalars whose YAML 1.1 reading differs from JSON's or that rapidyaml emits specially, and
# ordinary ones next to them.
EDGES = [
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n",
    "N", "true", "True", "TRUE", "false", "False", "FALSE", "~", "null", "Null", "NULL", "",
    "012", "-012", "0x1F", "0X1f", "0o17", "0b101", "1_000", "+12", "-12", "12", "0", "-0", "00",
    "3:25:45", "190:20:30.15", "12:30", ".inf", "-.inf", "+.INF", ".Inf", ".NaN", ".nan", "inf",
    "nan", "NaN", "Infinity", "1.5", "-1.5", "+1.5", "-.5", ".5", "5.", "0.", "1e3", "1E3", "1.0e3",
    "1.0e+3", "1.5E-3", "0x1.8p3", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=",
    "10s", "100Mi", "10.0.0.1", "1.2.3", "v1", "a b", "x:y", "-v", "a#b", "a -b", "'", "\"",
    "12345678901234567890123", "9" * 40, "1_0.5", "0b", "0x", "._", "-", ".", "+", "é", "a\\b",
    "on off", "turn it on", "no, thanks", "yes: no", "[a]", "{a: 1}", "*a", "&a b", "!x y",
]


def _scalar(draw: st.DrawFn, value: str) -> str:
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def _block(draw: st.DrawFn, depth: int, indent: int) -> str:
    kind = draw(st.sampled_from(["map", "seq", "flow"] if depth < 4 else ["flow"]))
    pad = " " * indent
    if kind == "flow":
        items = draw(st.lists(st.sampled_from(EDGES), max_size=3))
        if draw(st.booleans()):
            return "[" + ", ".join(_scalar(draw, v) for v in items) + "]"
        keys = draw(st.lists(st.sampled_from(EDGES), max_size=3))
        return "{" + ", ".join(f"{_scalar(draw, k)}: {_scalar(draw, v)}"
                               for k, v in zip(keys, items, strict=False)) + "}"
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        nested = draw(st.integers(0, 2)) == 0
        value = ("\n" + pad + "  " + _block(draw, depth + 1, indent + 2) if nested
                 else " " + _scalar(draw, draw(st.sampled_from(EDGES))))
        if kind == "map":
            lines.append(f"{_scalar(draw, draw(st.sampled_from(EDGES)))}:{value}")
        else:
            lines.append(f"-{value}")
    return ("\n" + pad).join(lines)


@st.composite
def edge_yaml(draw: st.DrawFn) -> str:
    docs = [_block(draw, 0, 0) for _ in range(draw(st.integers(1, 3)))]
    seps = [draw(st.sampled_from(["", "---\n", "--- # c\n", "\n---\n", "# c\n---\n"]))
            for _ in docs]
    text = seps[0] + docs[0] + "\n" + "".join((s or "---\n") + d + "\n"
                                              for s, d in zip(seps[1:], docs[1:], strict=True))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["---\n", "# end\n", "\n\n", "---\n# c\n"]))
    return text


# Scalar forms whose parsing (not resolution) libyaml and rapidyaml must agree on: block scalars
# with chomping and indentation indicators, multi-line plain and quoted scalars, escapes,
# comments, empty flow collections, unicode.
FORMS = [
    "|\n{i}  a\n{i}  b\n", "|-\n{i}  a\n\n{i}  b\n\n", "|+\n{i}  a\n\n",
    ">\n{i}  a\n{i}  b\n\n{i}  c\n", ">-\n{i}  a\n{i}    b\n{i}  c\n", "|2\n{i}    a\n",
    ">\n\n{i}  a\n", "|\n{i}  # not a comment\n", "a\n{i}  b\n{i}  c", "'a\n{i}  b'",
    '"a\n\n{i}  b"', '"a\\\n{i}  b"', '"\\x41\\u263A\\t\\"\\\\\\/ "',
    '"\\N\\_\\L\\P"', '"\\e\\0"', "'it''s'", "[]", "{}", "[ ]", "{ }", "[a, [b, c], {d: e}]",
    "[\n{i}  a,\n{i}  b\n{i}]", "{a: b, c: [d]}", "a # comment", "a#b", "\"a\" # c", "日本語",
    "😀", "e\u0301", "a  b", "' a '", "\"\"", "''", "-a", "a-", "a:b", "a,b", "a]b", "http://x/y?z",
    "*.example.com", "'*.example.com'", "/api/v1", "PathPrefix", "x" * 300,
]


def _form(draw: st.DrawFn, indent: int) -> str:
    return draw(st.sampled_from(FORMS)).replace("{i}", " " * indent)


def _structure(draw: st.DrawFn, depth: int, indent: int) -> str:
    pad = " " * indent
    lines = []
    kind = draw(st.sampled_from(["map", "seq", "seq-indented"]))
    for _ in range(draw(st.integers(1, 4))):
        if depth < 3 and draw(st.integers(0, 2)) == 0:
            step = 2 if kind != "seq" or draw(st.booleans()) else 4
            value = "\n" + _structure(draw, depth + 1, indent + step)
            if kind != "map" and draw(st.booleans()):  # compact nested entry: `- - a`, `- a: b`
                value = " " + _structure(draw, depth + 1, indent + 2).lstrip(" ")
        else:
            value = " " + _form(draw, indent)
        comment = draw(st.sampled_from(["", "", " # c", "\n" + pad + "# c"]))
        if kind == "map":
            key = draw(st.sampled_from(["a{}", "key with spaces {}", "'q{}'", '"dq{}"', "é{}"]))
            lines.append(f"{pad}{key.format(len(lines))}:{value}")
        else:
            lines.append(f"{pad}{'  ' if kind == 'seq-indented' else ''}-{value}")
        if not lines[-1].endswith("\n"):
            lines[-1] += comment if not value.endswith("\n") else ""
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


@st.composite
def structure_yaml(draw: st.DrawFn) -> str:
    docs = [_structure(draw, 0, 0) for _ in range(draw(st.integers(1, 3)))]
    return "".join(draw(st.sampled_from(["", "---\n", "--- # c\n"])) if i == 0 else "---\n"
                   for i in range(1)) + "---\n".join(docs)


@needs_native
@settings(max_examples=S.budget(150), **COMMON)
@given(structure_yaml())
@example('a: "\\x41\\u263A\\N"\nb: |-\n  x\n\n  y\n\nc: >\n  f\n  g\n')
def test_scalar_forms_and_structure(text: str) -> None:
    agree(text)


@needs_native
@settings(max_examples=S.budget(200), **COMMON)
@given(edge_yaml())
@example("a: yes\nb: 'yes'\n")
@example("a: 1\na: 2\n")
@example("<<: {a: 1}\nb: 2\n")
@example("x: &a 1\ny: *a\n")
@example("a: !!str 1\n")
@example("- 0x1F\n- 012\n- 1_000\n- 3:25:45\n- .inf\n- +12\n- -.5\n- 1e3\n- inf\n")
@example("a: [b\n")
def test_yaml11_edge_cases(text: str) -> None:
    agree(text)


# ----------------------------------------------------------------------------- pinned cases


@needs_native
@pytest.mark.parametrize("text,expected", [
    # quoted special scalars are strings in both readings: taken
    ("a: 'yes'\nb: \"0x1F\"\nc: '~'\nd: '1e3'\n",
     [({"a": "yes", "b": "0x1F", "c": "~", "d": "1e3"}, 1)]),
    # what JSON spells the same way as YAML 1.1: taken
    ("a: true\nb: false\nc: null\nd:\ne: 12\nf: -3\ng: 0\n",
     [({"a": True, "b": False, "c": None, "d": None, "e": 12, "f": -3, "g": 0}, 1)]),
    # prose with 1.1 words inside a longer plain scalar: taken
    ("a: turn it on or off\nb: no way\n", [({"a": "turn it on or off", "b": "no way"}, 1)]),
    # numbers that are strings for YAML 1.1 and JSON alike: taken
    ("timeout: 10s\nip: 10.0.0.1\nversion: 1.2.3\nmem: 100Mi\n",
     [({"timeout": "10s", "ip": "10.0.0.1", "version": "1.2.3", "mem": "100Mi"}, 1)]),
    # documents and the lines of their roots (the empty last document is null at the end)
    ("# c\n---\n\n  a: 1\n---\n- x\n---\n", [({"a": 1}, 4), (["x"], 6), (None, 8)]),
    ("", []),
    ("# only a comment\n", []),
])
def test_taken(text: str, expected: list) -> None:
    got = native.parse(text)
    assert got is not None
    assert [line for _, line in got] == [line for _, line in expected]
    assert all(same(v, e) for (v, _), (e, _) in zip(got, expected, strict=True))
    assert agree(text)


@needs_native
@pytest.mark.parametrize("text", [
    "a: yes\n", "a: Off\n", "a: ~\n", "a: 012\n", "a: 0x1F\n", "a: 1_000\n", "a: 3:25:45\n",
    "a: .inf\n", "a: .NaN\n", "a: inf\n", "a: +12\n", "a: -.5\n", "a: 1e3\n", "a: 1.5\n",
    "yes: 1\n", "-0: 1\n", "[a, on]\n", "{a: NULL}\n",  # YAML 1.1 readings
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 1\n",  # duplicate keys (GW002)
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !custom 1\n", "<<: {a: 1}\n",  # GW004/GW005, merge
    "? a\n: b\n", "[a]: b\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n...\n",
    "a: {{ .Values.x }}\n", "a:\tb\n", "a: b\r\n", "\ufeffa: 1\n", "a: \x85\n", "a: [b\n",
    "a: \udce9\n",  # invalid UTF-8 read with surrogate escapes
    "a: " + "[" * 101 + "]" * 101 + "\n",
    "{ap\niVersion: v1}\n", "[a\nb: c]\n", "- {a\n  b: 1}\n",  # implicit keys across lines
    '{"a":!!str 1}\n', '{"a":&x 1, "b":*x}\n',  # tags and anchors right after a JSON key
    "'!-'!-'!-", "'a'!b\n",  # a tag right after a quoted scalar
    "- ]\n", "a: }\n", "]\n", "- `x`\n", "a: @x\n", "|\nx\n",  # what only rapidyaml reads
])
def test_refused(text: str) -> None:
    with native.quiet():
        assert native.parse(text) is None


def _nested(levels: int) -> str:
    """A document whose deepest node is at depth `levels` (the root is at depth 0)."""
    return "".join(" " * i + "k:\n" for i in range(levels - 1)) + " " * (levels - 1) + "k: v\n"


@needs_native
@pytest.mark.parametrize("levels", [30, 60, 64, 65, 66, 199, 200, 201, 202, 3000])
def test_nesting_limit(levels: int) -> None:
    """Kubernetes-deep documents are taken; the loader's limit (200 levels, GW004) is never
    crossed on the fast path (rapidyaml's emitter itself stops at 64 levels: deeper documents
    go to PyYAML). `agree` checks the values wherever the fast path takes a text."""
    for text in (_nested(levels), "x: [[[[1]]]]\n" + _nested(levels)):
        taken = agree(text)
        if levels <= 60:
            assert taken
        if levels > native.MAX_DEPTH:
            assert not taken


@needs_native
def test_quiet_silences_native_error_reports(capfd: pytest.CaptureFixture[str]) -> None:
    with native.quiet():
        assert native.parse("a: [b\n") is None
    assert capfd.readouterr().err == ""


# ----------------------------------------------------------------------------- locations


def _paths(value: Any, prefix: tuple = ()) -> Any:
    """Every path into a value, and a missing key or index below each collection."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
        yield (*prefix, "no-such-key", "x")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))
        yield (*prefix, len(value))


def located(text: str) -> tuple[int, int]:
    """(paths located natively, paths) of every path of a text the fast path takes; each native
    span must be the one spans.SpanIndex computes by recomposing with PyYAML."""
    docs = native.parse(text)
    if docs is None:
        return 0, 0
    locator, index = native_spans.Locator(text), spans.SpanIndex()
    source = SourceFile("t.yaml", text)
    done = total = 0
    for doc_index, (value, _) in enumerate(docs):
        for path in _paths(value):
            got = locator.locate(doc_index, path)
            total += 1
            if got is None:
                continue
            span, found = index.locate(source, doc_index, path)
            assert got == ((span.line, span.column, span.end_line, span.end_column), found), path
            done += 1
    return done, total


@needs_native
def test_native_locations_are_libyaml_marks(tmp_path: Path) -> None:
    """On a generated corpus nearly every path is located without PyYAML, at the same span."""
    _generator().generate(tmp_path / "corpus", 200, broken_fraction=0.3, seed=3)
    done = total = 0
    for path in yaml_files(tmp_path / "corpus" / "clusters"):
        d, t = located(path.read_text(encoding="utf-8"))
        done, total = done + d, total + t
    assert total > 5_000
    assert done >= 0.95 * total, f"{done} of {total}"


@needs_native
@pytest.mark.parametrize("path", yaml_files(ROOT / "tests" / "rules", ROOT / "examples"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_native_locations_of_fixtures(path: Path) -> None:
    text = read_text(path)
    if text is not None:
        located(text)


@needs_native
def test_native_locations_in_big_collections_and_texts() -> None:
    """Big lists and mappings are indexed, large texts' line breaks too: each span still the
    one PyYAML gives (and no finding per item costs a walk over the list)."""
    items = "".join(f"  - name: gw{i}\n    port: {i}\n" for i in range(3000))
    keys = "".join(f"  k{i}: 'v{i}'\n" for i in range(40))
    text = f"a: 1\n---\nlist:\n{items}map:\n{keys}---\n- [x]\n- y\n"
    assert len(text) > 64 * 1024
    done, total = located(text)
    assert total > 9000 and done >= total - 10


@needs_native
@settings(max_examples=S.budget(80), **COMMON)
@given(structure_yaml())
@example('- "\\N\\_\\L\\P"\n')  # unescaped longer than written: not in the buffer
def test_native_locations_of_scalar_forms(text: str) -> None:
    """Block scalars, quoted and multi-line scalars, flow and empty collections, unicode: each
    span is PyYAML's or is left to it."""
    with native.quiet():
        located(text)


# ----------------------------------------------------------------------------- without the wheels


def test_without_native_packages_everything_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform without rapidyaml/orjson wheels: the import fails, parse refuses every text."""
    monkeypatch.setitem(sys.modules, "ryml", None)  # `import ryml` raises ImportError
    try:
        module = importlib.reload(native)
        assert not module.available()
        assert not module.activate_for(10**9)
        assert module.parse("a: 1\n") is None
        assert module.explain("a: 1\n") == "disabled"
        with module.quiet():
            pass
    finally:
        monkeypatch.undo()
        importlib.reload(native)


def test_environment_switch_disables_the_fast_path() -> None:
    code = ("from gwlint import native; "
            "print(native.available(), native.activate_for(10**9), native.parse('a: 1'))")
    env = {**os.environ, "GWLINT_NATIVE": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False", "None"]


@needs_native
def test_small_runs_do_not_import_the_native_packages(tmp_path: Path) -> None:
    """Without GWLINT_NATIVE=1 a small input is parsed by PyYAML alone: importing rapidyaml would
    cost a one-file run more than it saves; a large one activates the fast path."""
    (tmp_path / "a.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    code = ("import sys; from gwlint.engine import LintConfig, lint; from gwlint import native; "
            "lint(LintConfig(paths=(sys.argv[1],))); "
            "print('ryml' in sys.modules, native.active(), native.activate_for(native.MIN_CHARS))")
    env = {k: v for k, v in os.environ.items() if k != "GWLINT_NATIVE"}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "True"]


@needs_native
def test_parse_is_silent_by_itself(capfd: pytest.CaptureFixture[str]) -> None:
    """rapidyaml reports parse errors on the C library's stderr before raising: `parse` silences
    it without the caller's help, and leaves Python's standard error working."""
    for text in ("a: [b\n", "a: b: c\n", "- a\nb: c\n", "a:\n  - b\n c: d\n", '"a\n'):
        assert native.parse(text) is None
    print("still here", file=sys.stderr)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "still here\n")


@needs_native
def test_node_type_bits_are_the_bindings() -> None:
    ryml = native.ryml
    assert (native_spans._MAP, native_spans._SEQ, native_spans._FLOW_STYLE) == (
        ryml.MAP, ryml.SEQ, ryml.CONTAINER_STYLE_FLOW)
    assert (native_spans._KEY_QUOTED, native_spans._VAL_QUOTED) == (ryml.KEYQUO, ryml.VALQUO)
    assert native_spans._VAL_BLOCK == ryml.VAL_LITERAL | ryml.VAL_FOLDED
    assert native_spans._NONE == ryml.NONE


@needs_native
def test_shared_values_are_the_same_values_with_short_strings_interned() -> None:
    """Large runs intern the short strings of native values (as the PyYAML path does)."""
    long = "x" * 60
    text = f"kind: HTTPRoute\nspec:\n  rules:\n  - name: ab{1}\n    v: [{long}, 1, true]\n"
    plain, shared = native.parse(text), native.parse(text, share=True)
    assert plain is not None and shared is not None
    assert all(same(a, b) for (a, _), (b, _) in zip(plain, shared, strict=True))
    value = shared[0][0]
    assert value["kind"] is sys.intern("HTTPRoute")
    assert value["spec"]["rules"][0]["name"] is sys.intern("ab1")
    assert value["spec"]["rules"][0]["v"][0] is not sys.intern(long)


@needs_native
def test_the_loader_takes_the_fast_path_once_active(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(native, "_state", {})
    monkeypatch.setenv("GWLINT_NATIVE", "1")
    text = "a: 1\n---\nb: [x, 'y']\n"
    plain = loader.parse_source(SourceFile("t.yaml", text))
    assert native.activate_for(0)
    source = SourceFile("t.yaml", text)
    fast = loader.parse_source(source)
    assert source.native and not plain.issues and not fast.issues
    assert [(d.index, d.data, d.line) for d in fast.documents] == [
        (d.index, d.data, d.line) for d in plain.documents]
    refused = SourceFile("t.yaml", "a: yes\n")
    assert loader.parse_source(refused).documents[0].data == {"a": True}
    assert not refused.native
