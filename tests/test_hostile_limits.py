"""Limits and broken input: every case gets a clear finding (GW004 unreadable-input for refused
input) or is linted normally; nothing crashes, hangs or exhausts memory.

Cases that could kill or hang the interpreter (deep nesting: the C composer segfaults near 24,000
levels; FIFOs, devices and symbolic link loops: a read or a walk could block forever) run gwlint
in a subprocess with a timeout, so a regression fails the test instead of taking pytest down; so
does the alias bomb, whose peak memory is measured. The others run the same command line in this
process (tests/support/inprocess.py: same exit code, outputs and network/program guard, without
0.25 s of interpreter start-up each).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz import harness  # noqa: E402
from fuzz import strategies as S  # noqa: E402
from support import inprocess  # noqa: E402

from gwlint import discover, loader, native  # noqa: E402
from gwlint.source import SourceFile  # noqa: E402

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  bogus: 1
"""


def findings(run: harness.Run) -> list[dict]:
    assert not run.timed_out, f"gwlint hung: {run.stderr[-2000:]}"
    assert run.returncode in (0, 1), (run.returncode, run.stderr[-3000:])
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    assert not run.network, run.network
    return json.loads(run.stdout)["findings"]


def lint_files(tmp_path: Path, files: dict[str, bytes | str], *args: str,
               timeout: float = 120) -> tuple[list[dict], harness.Run]:
    """gwlint in a guarded subprocess: for input that could crash or hang the interpreter."""
    write_files(tmp_path, files)
    run = harness.gwlint(["--format", "json", "--isolated", *args], cwd=tmp_path, timeout=timeout)
    return findings(run), run


def lint_here(tmp_path: Path, files: dict[str, bytes | str],
              *args: str) -> tuple[list[dict], harness.Run]:
    """The same command line in this process, guarded alike (tests/support/inprocess.py)."""
    write_files(tmp_path, files)
    run = inprocess.gwlint(["--format", "json", "--isolated", *args], cwd=tmp_path)
    return findings(run), run


def write_files(tmp_path: Path, files: dict[str, bytes | str]) -> None:
    for rel, data in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


def rules_of(found: list[dict]) -> list[str]:
    return sorted(f["rule"] for f in found)


# ----------------------------------------------------------------------------- alias bomb


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast_in_process():
    t0 = time.process_time()
    result = loader.parse_source(SourceFile("bomb.yaml", billion_laughs()))
    assert time.process_time() - t0 < 2
    assert [i.code for i in result.issues] == ["GW004"]
    assert "alias bomb" in result.issues[0].message
    assert result.documents == []


def test_alias_bomb_cli_fast_and_small(tmp_path):
    found, run = lint_files(tmp_path, {"bomb.yaml": billion_laughs()}, ".")
    assert rules_of(found) == ["GW004"]
    assert found[0]["line"] >= 2 and "alias" in found[0]["message"]
    assert run.rss_mb < 300, run.rss_mb
    assert run.seconds < 15, run.seconds  # interpreter start-up included


def test_alias_bomb_mapping_and_merge_keys():
    text = "a: &a {x: 1, y: 2}\n" + "".join(
        f"l{i}: &l{i} {{" + ", ".join(f"k{j}: *{'a' if i == 0 else f'l{i - 1}'}"
                                       for j in range(9)) + "}\n" for i in range(10))
    text += "m: {<<: [*l9, *l8]}\n"
    t0 = time.process_time()
    result = loader.parse_source(SourceFile("bomb.yaml", text))
    assert time.process_time() - t0 < 2
    assert [i.code for i in result.issues] == ["GW004"]


def test_small_aliases_are_fine(tmp_path):
    found, _ = lint_here(tmp_path, {"a.yaml": "x: &a [1, 2]\ny: *a\nz: {<<: {k: v}}\n"}, ".")
    assert found == []


# ----------------------------------------------------------------------------- nesting

DEEP = {
    "flow": lambda n: "[" * n + "]" * n,
    "flow-mapping": lambda n: "{a: " * n + "x" + "}" * n,
    "block": lambda n: "- " * n + "x\n",
    "implicit": lambda n: "[a: " * n + "x" + "]" * n,  # two levels per bracket
    "question": lambda n: "? " * n + "x\n",
    "mixed": lambda n: "a:\n" + "".join("  " * (i % 40) + "- [{b: " for i in range(n)) + "x\n",
    "unclosed": lambda n: "k: " + "[" * n,
}


@pytest.fixture(scope="module")
def deep_run(tmp_path_factory) -> tuple[dict[str, list[dict]], harness.Run]:
    """One guarded gwlint process over a file of 100,000 levels in each style (a crash or hang
    on any of them fails every style's test; one interpreter start-up instead of seven)."""
    root = tmp_path_factory.mktemp("deep")
    found, run = lint_files(root, {f"{style}.yaml": DEEP[style](100_000) for style in DEEP}, ".",
                            timeout=120)
    by_file: dict[str, list[dict]] = {}
    for f in found:
        by_file.setdefault(f["file"], []).append(f)
    return by_file, run


@pytest.mark.parametrize("style", sorted(DEEP))
def test_deep_nesting_100k_is_refused(deep_run, style):
    by_file, run = deep_run
    found = by_file.get(f"{style}.yaml", [])
    assert rules_of(found) in (["GW004"], ["GW001"]), found
    assert run.seconds < 20, run.seconds  # all seven files
    if found[0]["rule"] == "GW004":
        assert "nesting deeper than" in found[0]["message"]


@pytest.mark.parametrize("depth", [30_000, 14_000])
def test_implicit_mapping_nesting_regression(depth):
    """Regression: `[a: [a: ...` opens two levels per `[`; 14,000 brackets passed the old guard
    (15,000 openers) and segfaulted the C composer (exit 139)."""
    text = DEEP["implicit"](depth)
    assert loader._needs_scan(text)
    issues: list = []
    assert not loader._nesting_ok(text, SourceFile("x.yaml", text), issues)
    assert "nesting deeper than" in issues[0].message


def test_deep_block_mappings_need_indentation_and_are_scanned():
    """Block mappings nest without any indicator, one column of indentation per level; a run of
    2,000 spaces is enough to make the guard check the event stream."""
    text = "".join(" " * i + "k:\n" for i in range(2_100)) + " " * 2_100 + "v\n"
    assert loader._needs_scan(text)
    issues: list = []
    assert not loader._nesting_ok(text, SourceFile("x.yaml", text), issues)


def test_200_levels_are_linted_201_not():
    ok = "a: " + "[" * 199 + "]" * 199 + "\n"
    deep = "a: " + "[" * 201 + "]" * 201 + "\n"
    assert loader.parse_source(SourceFile("x", ok)).issues == []
    assert [i.code for i in loader.parse_source(SourceFile("x", deep)).issues] == ["GW004"]


def test_recursive_aliases_terminate():
    for text in ["&a [*a]\n", "&a\n- *a\n", "&a {k: *a}\n", "a: &x {<<: *x}\n"]:
        result = loader.parse_source(SourceFile("x.yaml", text))
        assert [i.code for i in result.issues] == ["GW004"], text


# ----------------------------------------------------------------------------- size


def _write_dense(path: Path, size: int) -> None:
    route = ROUTE.replace("  bogus: 1\n", "  parentRefs:\n  - name: gw\n  rules:\n"
                                         "  - backendRefs:\n    - name: svc\n      port: 80\n")
    with open(path, "w", encoding="utf-8") as fh:
        written, i = 0, 0
        while written < size:
            doc = "---\n" + route.replace("name: web", f"name: web{i}")
            fh.write(doc)
            written += len(doc)
            i += 1


@pytest.mark.slow  # tens of megabytes of input
def test_50mb_dense_file_is_linted_up_to_the_document_limit(tmp_path):
    """150,000 HTTPRoutes in one 50 MB file, within the file size limit: the first 100,000
    documents are linted (the node limit bounds one document, never a file of many small ones;
    this file was refused whole before), the rest reported; the findings of each rule are
    listed up to the per-file limit, then counted."""
    _write_dense(tmp_path / "big.yaml", 50_000_000)
    found, run = lint_files(tmp_path, {}, "big.yaml", timeout=600)
    refused = [f for f in found if f["rule"] == "GW004"]
    assert [f["message"] for f in refused] == [
        "more than 100000 documents in one file; the rest is not linted"]
    assert Counter(f["rule"] for f in found)["GW101"] == 101  # 100 listed, then a summary
    assert json.loads(run.stdout)["summary"]["resources"] == 100_000
    assert run.rss_mb < 3072, run.rss_mb
    assert run.seconds < 300, run.seconds  # 46 s and 1.7 GB on the busy 2-core machine


@pytest.mark.slow  # tens of megabytes of input
def test_50mb_sparse_file_is_linted(tmp_path):
    """50 MB that hold few nodes (a huge string, long comments) are linted normally."""
    body = ROUTE + "  note: " + "x" * 25_000_000 + "\n" + ("# " + "c" * 98 + "\n") * 250_000
    found, run = lint_files(tmp_path, {"big.yaml": body}, "big.yaml", timeout=300)
    assert "GW011" in rules_of(found)
    assert run.rss_mb < 1024, run.rss_mb
    assert run.seconds < 60, run.seconds


@pytest.mark.slow  # tens of megabytes of input
def test_keys_only_file_is_refused_without_building_nodes(tmp_path):
    text = "".join(f"k{i}: v\n" for i in range(1_200_000))
    t0 = time.process_time()
    result = loader.parse_source(SourceFile("keys.yaml", text))
    assert time.process_time() - t0 < 30
    assert [i.code for i in result.issues] == ["GW004"]
    assert "a YAML document of more than 1,000,000 nodes" in result.issues[0].message


def test_max_file_size_is_configurable(tmp_path):
    found, _ = lint_here(tmp_path, {"a.yaml": ROUTE}, "--max-file-size", "50", ".")
    assert rules_of(found) == ["GW004"]
    assert "above the limit of 50" in found[0]["message"]
    assert found[0]["hint"] == "raise it with --max-file-size"
    found, _ = lint_here(tmp_path, {}, "--max-file-size", str(len(ROUTE)), ".")
    assert "GW004" not in rules_of(found)


def test_file_growing_after_stat_is_bounded(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text(ROUTE * 10)
    real_stat = os.stat

    def small_stat(p, *a, **kw):  # the size seen by stat, before the file grew
        st = real_stat(p, *a, **kw)
        if str(p) == str(path):
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid,
                                   st.st_gid, 10, st.st_atime, st.st_mtime, st.st_ctime))
        return st

    monkeypatch.setattr(os, "stat", small_stat)
    _, issue = discover.read_source(str(path), "a.yaml", max_size=100)
    assert issue is not None and "above the limit of 100" in issue.message


@pytest.mark.parametrize("front, documents", [
    ("pyyaml", 3_000_000), ("native", 300_000),
    pytest.param("native", 3_000_000, marks=pytest.mark.slow)])  # 2.8 s: linear past the limit
def test_many_documents(monkeypatch, front, documents):
    """3,000,000 empty documents (12 MB): the first 100,000 are linted, the rest reported; the
    guard's event scan stops where the composer stops (it scanned all 3 million before). Each
    front end explicitly: which one a test process uses depends on what ran before (the native
    one stays active once a big input turned it on)."""
    monkeypatch.setattr(native, "_state", {})
    monkeypatch.setenv("GWLINT_NATIVE", "1" if front == "native" else "0")
    if front == "native" and not native.activate_for(0):
        pytest.skip("rapidyaml/orjson not installed")
    text = "---\n" * documents + ROUTE
    t0 = time.process_time()  # CPU time: a loaded machine's other processes do not count
    result = loader.parse_source(SourceFile("docs.yaml", text))
    assert time.process_time() - t0 < 10
    assert any("more than 100000 documents" in i.message for i in result.issues)


def test_span_of_recursive_alias_terminates():
    """_last_leaf follows the last child of block collections: bounded even on `&a [*a]`-style
    recursion (such documents are refused, but the walk must not rely on it)."""
    import yaml

    from gwlint import spans

    root = yaml.compose("&a\n- x\n- *a\n", Loader=spans._SpanLoader)
    assert root.value[-1] is root  # really recursive
    spans._last_leaf(root)  # returns


def test_huge_integer_is_not_a_crash(tmp_path):
    """Regression: Python refuses int() of more than 4,300 digits (ValueError escaped)."""
    found, _ = lint_here(tmp_path, {"a.yaml": ROUTE.replace("1\n", "1" * 5000 + "\n")}, ".")
    assert "GW001" in rules_of(found)
    assert any("cannot be read as an integer" in f["message"] for f in found)


@pytest.mark.parametrize("text", ["a: !!int \\\n", "a: !!int\n", "!!int 0x\n", "a: !!float abc\n",
                                  "a: !!float 1:x\n", "!!int -\n"])
def test_explicit_tags_on_wrong_values(text):
    """Regression: `!!int abc` / `!!float x` raised ValueError/IndexError out of the loader."""
    result = loader.parse_source(SourceFile("x.yaml", text))
    assert result.issues and result.issues[0].code == "GW001"


# ----------------------------------------------------------------------------- file system


def test_symlink_loops_and_broken_links(tmp_path):
    (tmp_path / "ok.yaml").write_text(ROUTE)
    (tmp_path / "sub").mkdir()
    os.symlink("..", tmp_path / "sub" / "parent")  # directory loop: never followed
    os.symlink("loop-b.yaml", tmp_path / "loop-a.yaml")
    os.symlink("loop-a.yaml", tmp_path / "loop-b.yaml")
    os.symlink("missing.yaml", tmp_path / "broken.yaml")
    found, _run = lint_files(tmp_path, {}, ".", timeout=60)
    by_file = {}
    for f in found:
        by_file.setdefault(f["file"], []).append(f)
    assert [f["rule"] for f in by_file["broken.yaml"]] == ["GW004"]
    assert "No such file" in by_file["broken.yaml"][0]["message"]
    assert "symbolic links" in by_file["loop-a.yaml"][0]["message"]
    assert "GW011" in [f["rule"] for f in by_file["ok.yaml"]]
    assert not any("parent" in f for f in by_file)


def test_symlink_loop_given_explicitly(tmp_path):
    os.symlink("self", tmp_path / "self")
    found, _ = lint_files(tmp_path, {}, "self")
    assert rules_of(found) == ["GW004"]


@pytest.mark.skipif(os.geteuid() == 0, reason="running as root: chmod 000 does not stop reads")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.yaml"
    path.write_text(ROUTE)
    path.chmod(0)
    try:
        found, _ = lint_here(tmp_path, {}, ".")
    finally:
        path.chmod(0o644)
    assert rules_of(found) == ["GW004"] and "Permission denied" in found[0]["message"]


def test_directory_named_like_yaml(tmp_path):
    (tmp_path / "x.yaml").mkdir()
    (tmp_path / "x.yaml" / "inner.yaml").write_text(ROUTE)
    found, _ = lint_here(tmp_path, {}, ".")
    assert {f["file"] for f in found} == {"x.yaml/inner.yaml"}
    found, _ = lint_here(tmp_path, {}, "x.yaml")  # given explicitly: walked as a directory
    assert {f["file"] for f in found} == {"x.yaml/inner.yaml"}


def test_fifo_is_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    found, run = lint_files(tmp_path, {}, ".", timeout=60)
    assert [(f["rule"], f["file"]) for f in found] == [("GW004", "pipe.yaml")]
    assert "not a regular file" in found[0]["message"]
    found, run = lint_files(tmp_path, {}, "pipe.yaml", timeout=60)
    assert rules_of(found) == ["GW004"] and run.seconds < 30


def test_fifo_swapped_in_after_stat_does_not_block(tmp_path, monkeypatch):
    """Even if the stat saw a regular file, the open is non-blocking and re-checked with fstat."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **kw: real_stat(__file__))
    result: list = []
    reader = threading.Thread(target=lambda: result.append(
        discover.read_source(str(fifo), "pipe.yaml")), daemon=True)
    reader.start()
    reader.join(10)
    if reader.is_alive():  # blocked in open(): release it (a writer appears) and fail
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
        pytest.fail("read_source blocked on a FIFO")
    _, issue = result[0]
    assert issue is not None and "not a regular file" in issue.message


DEVICES = ["/dev/zero", "/dev/urandom", "/dev/null", "/dev/stdin"]


@pytest.fixture(scope="module")
def device_run(tmp_path_factory) -> tuple[list[dict], harness.Run]:
    """One guarded gwlint process given every device that exists here (a read that blocks or
    never ends fails every device's test; one interpreter start-up instead of four)."""
    here = [d for d in DEVICES if os.path.exists(d)]
    return lint_files(tmp_path_factory.mktemp("devices"), {}, *here, timeout=60)


@pytest.mark.parametrize("device", DEVICES)
def test_device_files_given_explicitly(device_run, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    all_found, run = device_run
    found = [f for f in all_found if f["file"] == device]
    assert rules_of(found) == ["GW004"], all_found
    assert "not a regular file" in found[0]["message"]
    assert run.seconds < 30


# ----------------------------------------------------------------------------- content

CONTENT_CASES = {
    "binary.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), ["GW004"]),
    "nul.yaml": (b"a: b\x00c\n", ["GW004"]),
    "latin1.yaml": ("name: caf\xe9\n".encode("latin-1"), ["GW004"]),
    "utf16le.yaml": (b"\xff\xfe" + ROUTE.encode("utf-16-le"), ["GW011"]),
    "utf16be.yaml": (b"\xfe\xff" + ROUTE.encode("utf-16-be"), ["GW011"]),
    "utf8bom.yaml": (b"\xef\xbb\xbf" + ROUTE.encode(), ["GW011"]),
    "crlf.yaml": (ROUTE.replace("\n", "\r\n").encode(), ["GW011"]),
    "helm.yaml": (b"metadata:\n  name: {{ .Values.name }}\n  labels: {{- toYaml . }}\n", ["GW003"]),
    "route.json": (json.dumps({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                               "metadata": {"name": "j", "namespace": "app"},
                               "spec": {"bogus": 1}}, indent=2).encode(), ["GW011"]),
    "empty.yaml": (b"", []),
    "comments.yaml": (b"# only a comment\n# another\n", []),
    "dupkeys.yaml": (ROUTE.replace("  bogus: 1\n",
                                   "  hostnames: [a.example]\n  hostnames: [b.example]\n").encode(),
                                   ["GW002"]),
    "unknownkind.yaml": (b"apiVersion: example.com/v1\nkind: Frobnicator\nmetadata: {name: f}\n",
                         []),
    "ctrl.yaml": (b"a: b\x01c\n", ["GW001"]),
    "tabs.yaml": (b"a:\n\tb: 1\n", ["GW001"]),
    "noeol.yaml": (b"a: [1, 2", ["GW001"]),
}


@pytest.mark.parametrize("name", sorted(CONTENT_CASES))
def test_content_cases(tmp_path, name):
    data, expected = CONTENT_CASES[name]
    found, run = lint_here(tmp_path, {name: data}, ".")
    got = sorted({f["rule"] for f in found} & {"GW001", "GW002", "GW003", "GW004", "GW005",
                                               "GW011"})
    assert got == expected, found
    src, issue = discover.decode(SourceFile(name), data)
    texts = {name: src.text if issue is None else data.decode("utf-8", "replace")}
    for f in found:
        S.check_location(f["rule"], f["file"], f["line"], f["column"], f["end_line"],
                         f["end_column"], texts)
    assert run.returncode == (1 if expected else 0)


def test_invalid_utf8_reports_offset_and_line(tmp_path):
    found, _ = lint_here(tmp_path, {"a.yaml": b"a: 1\nb: 2\nc: \xff\n"}, ".")
    assert (found[0]["rule"], found[0]["line"]) == ("GW004", 3)
    assert "byte 0xff at offset 13" in found[0]["message"]


def test_syntax_error_at_end_of_file_stays_inside_the_file(tmp_path):
    """Regression: libyaml puts the end of a stream without a final line break on the next line;
    `[` (one line) was reported at line 2."""
    found, _ = lint_here(tmp_path, {"a.yaml": b"a: [1, 2"}, ".")
    assert (found[0]["rule"], found[0]["line"], found[0]["column"]) == ("GW001", 1, 9)


def test_forbidden_character_is_located(tmp_path):
    """Regression: a character YAML forbids was reported at 1:1 with a multi-line message."""
    found, _ = lint_here(tmp_path, {"a.yaml": "k: v\nn: \u00e9\x7f\n".encode()}, ".")
    assert (found[0]["line"], found[0]["column"]) == (2, 5)
    assert found[0]["message"] == ("invalid YAML: unacceptable character #x007f: control "
                                   "characters are not allowed")


def test_findings_before_a_syntax_error_keep_their_spans(tmp_path):
    """Regression: a syntax error later in the file made span lookups of earlier documents fail,
    so their findings were all reported at 1:1."""
    found, _ = lint_here(tmp_path, {"a.yaml": ROUTE + "---\na: [b\n"}, ".")
    unknown = [f for f in found if f["rule"] == "GW011"]
    assert [(f["line"], f["column"]) for f in unknown] == [(7, 3)]


CUSTOM_TAGS = [
    '!!python/object/apply:os.system ["touch {marker}"]',
    '!!python/object/apply:subprocess.check_output [["touch", "{marker}"]]',
    "!!python/name:os.system",
    '!!python/object/new:os.system ["touch {marker}"]',
    "!!python/module:os",
    '!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {marker}"]',
]


@pytest.mark.parametrize("tag", CUSTOM_TAGS)
def test_custom_tags_never_execute(tmp_path, tag):
    marker = tmp_path / "pwned"
    doc = ("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n"
           f"  x: {tag.format(marker=marker)}\n")
    found, run = lint_here(tmp_path, {"evil.yaml": doc}, ".")
    assert not marker.exists()
    assert "GW005" in rules_of(found)
    assert run.executed == [] or all("ls-files" in e for e in run.executed), run.executed


def test_git_fsmonitor_in_linted_repository_is_not_run(tmp_path):
    """Regression: `git ls-files` ran the linted repository's core.fsmonitor command."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    marker = tmp_path / "fsmonitor-ran"
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "a.yaml").write_text(ROUTE)
    subprocess.run(["git", "-C", str(repo), "config", "core.fsmonitor", f"touch {marker}; false"],
                   check=True)
    found, run = lint_here(repo, {}, ".")
    assert not marker.exists()
    assert "GW011" in rules_of(found)  # still linted through Git's file list
    assert all("core.fsmonitor=false" in e for e in run.executed), run.executed


def test_undecodable_file_names_do_not_crash_any_format(tmp_path):
    """Regression: a file name with non-UTF-8 bytes crashed --output (all formats) and SARIF."""
    (tmp_path / os.fsdecode(b"\xff\xfe.yaml")).write_text(ROUTE)
    for fmt in S.available_formats():
        out = tmp_path.parent / f"{tmp_path.name}-out.{fmt}"
        run = inprocess.gwlint(["--format", fmt, "--isolated", "--output", str(out), "."],
                               cwd=tmp_path)
        assert run.returncode == 1, (fmt, run.stderr[-2000:])
        text = out.read_text(encoding="utf-8")
        assert "\ufffd\ufffd.yaml" in text or "%EF%BF%BD" in text, (fmt, text[:500])


def test_printable_name():
    assert discover.printable_name("ok/\u65e5\u672c.yaml") == "ok/\u65e5\u672c.yaml"
    assert discover.printable_name(os.fsdecode(b"a\xffb")) == "a\ufffdb"
    assert discover.printable_name("x\ud800") == "x?"


# ----------------------------------------------------------------------------- stdin


def test_stdin_binary_and_utf16(tmp_path):
    run = inprocess.gwlint(["--format", "json", "--isolated", "-"], cwd=tmp_path,
                           stdin=b"\xff\xfe" + ROUTE.encode("utf-16-le"))
    assert "GW011" in rules_of(findings(run))
    run = inprocess.gwlint(["--format", "json", "--isolated", "-"], cwd=tmp_path,
                           stdin=b"\x00\x01\x02binary")
    assert rules_of(findings(run)) == ["GW004"]


@pytest.mark.parametrize("text", [
    "a: {{" + " " * 200_000 + "\nb: [\n",  # a syntax error: the loader looks for a template
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"{{" + " " * 200_000 + "x\"\n",
])
def test_template_detection_is_linear(text):
    """Regression (ReDoS): `\\{\\{-?\\s*[^{}]*?\\s*-?\\}\\}` backtracked cubically: `{{` followed by
    2,000 spaces took about a minute, 200,000 would never finish."""
    t0 = time.process_time()
    result = loader.parse_source(SourceFile("x.yaml", text))
    for doc in result.documents:
        loader.template_in(doc.data.get("metadata", {}).get("name"))
    assert time.process_time() - t0 < 5
    assert loader.template_in("{{ .Values.x }}") and loader.template_in("{{- include \"a\" . -}}")
    assert not loader.template_in("{ {x}}") and not loader.template_in("{{x}")


@pytest.mark.parametrize("text, expected", [
    ("apiVersion: gateway.networking.k8s.io/v1\n?", ("GW007", 1, 1, 2, 2)),
    ("apiVersion: v1\nkind: x\nmetadata:\n  name:", ("GW007", 3, 1, 4, 8)),
])
def test_spans_of_empty_nodes_at_end_of_file_stay_inside(text, expected):
    """Regression: an empty node at the end of a text without a final line break is placed by
    libyaml on the line after the last one; its span ended past the end of the file."""
    report, texts = S.run_stdin(text.encode(), "x.yaml")
    got = [(f.rule, f.location.line, f.location.column, f.location.end_line,
            f.location.end_column) for f in report.findings if f.rule == "GW007"]
    assert got == [expected]
    S.check_report(report, texts, formats=["json"])
