"""Input *shapes* that once cost more than linear time or unbounded memory (hostile input, round
two): one test per shape, each checking the finding or message gwlint gives AND that the run
stays linear. The input is generated here (no large fixtures); each shape is linted at size N and
4N in the same test and the CPU time ratio must stay under 6 (a quadratic stage gives 16), so a
busy machine does not fail the test, a quadratic stage does. Memory is checked with tracemalloc
where it was the problem.
"""

from __future__ import annotations

import gc
import json
import os
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from gwlint import budget, engine, loader
from gwlint.engine import LintConfig, Report, lint
from gwlint.findings import Severity
from gwlint.reporters import render
from gwlint.source import SourceFile

G = "gateway.networking.k8s.io"
T = TypeVar("T")
RATIO = 7.0  # linear: ~4 (up to ~5 with cache effects at 4x the heap); quadratic: 16


def linear(run: Callable[[int], T], n: int) -> tuple[T, T]:
    """run(n) and run(4n), asserting the second costs less than RATIO times the first (CPU time
    of this process: other processes on the machine do not count). A small run first compiles
    what every run shares (schemas, CEL programs), so it is not counted. Each size runs twice,
    alternating, and the faster of each counts: on a 2-vCPU machine the CPU time of a run
    grows when the other vCPU's process (a test in the other worker) is busy, and the two
    sizes must not be timed under different neighbours."""
    run(max(1, n // 8))
    times: dict[int, float] = {n: float("inf"), 4 * n: float("inf")}
    results: dict[int, T] = {}
    gc.collect()
    gc.disable()  # as the command line runs: a collection of the test process's whole heap
    try:  # in the larger run is not the code's cost
        for size in (n, 4 * n, n, 4 * n):
            start = time.process_time()
            results[size] = run(size)
            times[size] = min(times[size], time.process_time() - start)
    finally:
        gc.enable()
    small, big = times[n], times[4 * n]
    ratio = big / max(small, 0.02)
    assert ratio < RATIO, f"N={n}: {small:.2f} s, 4N: {big:.2f} s (x{ratio:.1f})"
    return results[n], results[4 * n]


def lint_files(root: Path, files: dict[str, str], **config: object) -> Report:
    """Lint `files` written below `root` (a fresh directory per call), in this process (and
    its forked workers when `jobs` is more than 1)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8", newline="")
    old = os.getcwd()
    os.chdir(root)
    try:
        report = lint(LintConfig(**{"paths": ["."], "jobs": 1, **config}))  # type: ignore[arg-type]
        render(report, "json")  # reporting is part of the run
        return report
    finally:
        os.chdir(old)


def counter(tmp_path: Path) -> Callable[[], Path]:
    """A fresh directory below tmp_path for each call."""
    n = [0]

    def fresh() -> Path:
        n[0] += 1
        return tmp_path / f"run{n[0]}"

    return fresh


def rules_of(report: Report) -> Counter:
    return Counter(f.rule for f in report.findings)


def route(name: str, namespace: str = "app", body: str = "") -> str:
    return (f"apiVersion: {G}/v1\nkind: HTTPRoute\nmetadata:\n  name: {name}\n"
            f"  namespace: {namespace}\nspec:\n{body}")


# ----------------------------------------------------------------------------- 1: aliases


def alias_route(i: int) -> str:
    """An HTTPRoute whose aliases expand to about 123,000 nodes (10 x 10 x 10 x 10 x 10 items),
    where schema validation walks them."""
    lines = [f"apiVersion: {G}/v1\nkind: HTTPRoute\nmetadata:\n  name: r{i}\n  namespace: app",
             "  annotations:", "    a0: &a0 [" + ", ".join(['"lol"'] * 10) + "]"]
    for level in range(1, 5):
        lines.append(f"    a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + "\nspec:\n  parentRefs: [{name: gw}]\n"


def test_row1_alias_budget_is_per_run(tmp_path):
    """Aliases under the per-file limit, repeated in many documents and files: once the run has
    expanded 2,000,000 alias nodes, further documents with aliases are refused (GW004, saying
    which budget), so the work stays bounded however many there are."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        files = {f"f{i}.yaml": "".join("---\n" + alias_route(4 * i + j) for j in range(4))
                 for i in range(n)}
        return lint_files(fresh(), files, select=["GW004", "GW010"])

    small, big = linear(run, 8)
    for report in (small, big):
        refused = [f for f in report.findings if f.rule == "GW004"]
        assert refused and all("alias budget of a run" in f.message for f in refused)
        assert "lint fewer files per run" in refused[0].hint
        linted = 4 * len({f.location.file for f in report.findings}) - len(refused)
        assert linted * 123_000 <= loader.MAX_ALIAS_NODES + 123_000


def test_row1_alias_budget_per_file():
    text = "".join("---\n" + alias_route(i) for i in range(12))
    result = loader.parse_source(SourceFile("a.yaml", text))
    refused = [i for i in result.issues if i.code == "GW004"]
    assert len(result.documents) == 8 and len(refused) == 4  # 8 x 123,000 < 1,000,000
    assert all("aliases of this file expand to more than 1,000,000" in i.message for i in refused)
    assert refused[0].doc_index == 8


def test_row1_alias_budget_is_split_between_the_processes_of_a_run(tmp_path):
    """A parallel run gives each process an even share of the run's budget, so the run as a
    whole expands at most MAX_ALIAS_NODES (each process had a whole budget of its own: twice
    as much with two, eight times with eight)."""
    files = {f"f{i:02}.yaml": alias_route(i) for i in range(24)}  # 24 x 123,000 alias nodes
    report = lint_files(tmp_path / "a", files, select=["GW004"], jobs=2)
    refused = [f for f in report.findings if f.rule == "GW004"]
    assert refused and all("its share of the alias budget of a run: 2,000,000 nodes split "
                           "between 2 processes" in f.message for f in refused)
    assert (24 - len(refused)) * 123_000 <= loader.MAX_ALIAS_NODES


# ----------------------------------------------------------------------------- 2: big lists


def test_row2_list_over_max_items_skips_cel(tmp_path):
    """An HTTPRoute with thousands of parentRefs (maxItems 32): the API server rejects it before
    it runs any CEL rule, and so does gwlint (the pairwise uniqueness rules were quadratic)."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        refs = "".join(f"  - name: gw{i}\n" for i in range(n))
        return lint_files(fresh(), {"r.yaml": route("r", body="  parentRefs:\n" + refs)})

    small, big = linear(run, 2_500)
    for report, n in ((small, 2_500), (big, 10_000)):
        bounds = [f for f in report.findings if f.rule == "GW010"]
        assert [f.message for f in bounds] == [
            f"spec.parentRefs: must have at most 32 item(s) (got {n} items)"]
        assert "CEL validation rules, so they were not checked" in bounds[0].hint
        unresolved = [f for f in report.findings if f.rule == "GW101"]
        assert len(unresolved) == budget.MAX_FINDINGS_PER_FILE + 1  # then a summary
        assert unresolved[-1].message.startswith(f"... and {n - 100:,} more GW101 findings")


def test_row2_gateway_with_thousands_of_listeners(tmp_path):
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        listeners = "".join(f"  - name: l{i}\n    port: {1 + i % 60000}\n    protocol: HTTP\n"
                            for i in range(n))
        gateway = (f"apiVersion: {G}/v1\nkind: Gateway\nmetadata:\n  name: g\n  namespace: app\n"
                   f"spec:\n  gatewayClassName: c\n  listeners:\n{listeners}")
        return lint_files(fresh(), {"g.yaml": gateway})

    small, _ = linear(run, 6_000)  # smaller: fixed costs and cache effects, a noisy ratio
    assert any("spec.listeners: must have at most 64 item(s)" in f.message
               for f in small.findings if f.rule == "GW010")


# ----------------------------------------------------------------------------- 3: grants


def grant(i: int, from_ns: str, to_name: str | None = None) -> str:
    name = f"\n    name: {to_name}" if to_name else ""
    return (f"---\napiVersion: {G}/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g{i}\n"
            f"  namespace: backend\nspec:\n  from:\n  - group: {G}\n    kind: HTTPRoute\n"
            f"    namespace: {from_ns}\n  to:\n  - group: \"\"\n    kind: Service{name}\n")


def backend_route(i: int, namespace: str, service: str) -> str:
    return "---\n" + route(f"r{i}", namespace, "  parentRefs: [{name: gw}]\n  rules:\n"
                           f"  - backendRefs:\n    - name: {service}\n      namespace: backend\n"
                           "      port: 80\n")


def test_row3_many_grants_many_cross_namespace_refs(tmp_path):
    """N grants in one namespace, each from its own namespace to one Service, and N routes each
    referring to a Service its grant does not name: every reference is refused (GW105), with the
    near miss explained, and every grant is unused (GW405); each answer is an index lookup."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        text = "".join(grant(i, f"ns{i}", f"svc{i}") + backend_route(i, f"ns{i}", f"svc{i + 1}")
                       for i in range(n))
        text += "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc1, namespace: backend}\n"
        return lint_files(fresh(), {"a.yaml": text}, select=["GW105", "GW405"])

    small, _ = linear(run, 600)  # smaller: a noisy ratio (~5x at 300)
    refused = [f for f in small.findings if f.rule == "GW105"]
    assert refused[0].message == ("backendRef to Service 'svc1' in namespace 'backend' is not "
                                  "permitted: no ReferenceGrant there allows HTTPRoute from "
                                  "namespace 'ns0'")
    assert "ReferenceGrant 'g0' does not apply: it permits only Service 'svc0', not 'svc1'" \
        in refused[0].hint
    assert rules_of(small)["GW405"] == budget.MAX_FINDINGS_PER_FILE + 1


def test_row3_identical_grants_all_permitting(tmp_path):
    """N identical grants (different names) that all permit N references: permitted references
    are one lookup each, whatever the number of grants that permit them; nothing is reported."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        text = "".join(grant(i, "web") for i in range(n))
        text += "".join(backend_route(i, "web", "svc") for i in range(n))
        text += "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: backend}\n"
        return lint_files(fresh(), {"a.yaml": text}, select=["GW105", "GW405", "GW404"])

    small, _ = linear(run, 600)  # smaller: a noisy ratio (~5.5x at 300)
    assert rules_of(small)["GW105"] == 0 and rules_of(small)["GW405"] == 0
    broad = [f for f in small.findings if f.rule == "GW404"]  # unnamed `to`: names listed
    assert "use only Service 'svc': name them" in broad[0].hint


def test_row3_grant_over_max_items_permits_nothing(tmp_path):
    froms = "".join(f"  - group: {G}\n    kind: HTTPRoute\n    namespace: ns{i}\n"
                    for i in range(17))
    text = (f"apiVersion: {G}/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: big\n"
            f"  namespace: backend\nspec:\n  from:\n{froms}  to:\n  - group: \"\"\n"
            f"    kind: Service\n" + backend_route(0, "ns3", "svc"))
    report = lint_files(tmp_path / "a", {"a.yaml": text}, select=["GW105", "GW010"])
    refused = [f for f in report.findings if f.rule == "GW105"]
    assert len(refused) == 1
    assert "more than 16 `from` or `to` entries, so the API server rejects it" in refused[0].hint
    assert any("spec.from: must have at most 16 item(s)" in f.message for f in report.findings)


# ----------------------------------------------------------------------------- 4: directives


def test_row4_many_suppression_comments(tmp_path):
    """N end-of-line directives, each suppressing the finding of its own list item: one pass
    over the text and the events, one sweep over findings and line ranges."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        refs = "".join(f"  - name: gw{i}  # gwlint: ignore[GW101]\n" for i in range(n))
        return lint_files(fresh(), {"r.yaml": route("r", body="  parentRefs:\n" + refs)},
                          select=["GW101", "GW008"])

    small, big = linear(run, 2_500)
    assert small.findings == [] and big.findings == []


def test_row4_stacked_own_line_directives(tmp_path):
    """N own-line directives in a row before one node (each used by the same findings) and N
    unused ones: grouped by scope, so each finding consults one group."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        body = ("  parentRefs:\n" + "  # gwlint: ignore[GW101]\n" * n + "  - name: a\n"
                + "  # gwlint: ignore[GW102]\n" * n + "  - name: b\n")
        return lint_files(fresh(), {"r.yaml": route("r", body=body)},
                          select=["GW101", "GW102", "GW008"])

    small, _ = linear(run, 2_000)
    unused = [f for f in small.findings if f.rule == "GW008"]
    assert [f.rule for f in small.findings if f.rule != "GW008"] == ["GW101"]  # item b
    assert len(unused) == budget.MAX_FINDINGS_PER_FILE + 1
    assert unused[0].message == ("unused suppression of GW102 backend-not-found: no such finding "
                                 "starts in the node it covers")


# ----------------------------------------------------------------------------- 5: duplicate keys


def test_row5_duplicate_keys_are_capped_while_reading(tmp_path):
    """A mapping repeating one key N times: 99 GW002 findings and one summary with the exact
    count; the loader counts the rest instead of keeping them (memory stays flat)."""
    fresh = counter(tmp_path)

    def text(n: int) -> str:
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + "  k: v\n" * n

    def run(n: int) -> Report:
        return lint_files(fresh(), {"c.yaml": text(n)}, select=["GW002"])

    small, big = linear(run, 10_000)
    for report, n in ((small, 10_000), (big, 40_000)):
        found = report.findings
        assert len(found) == budget.MAX_FINDINGS_PER_FILE
        assert found[0].message.startswith("duplicate key 'k' (first at line 6)")
        assert found[-1].message.startswith(f"... and {n - 1 - 99:,} more GW002 findings")
        assert (found[-1].location.line, found[-1].location.column) == (6 + 100, 3)
    tracemalloc.start()  # slows every allocation down: 10,000 keys (0.5 s), not 40,000 (2 s)
    try:
        result = loader.parse_source(SourceFile("c.yaml", text(10_000)))
        retained = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(result.issues) == budget.MAX_FINDINGS_PER_FILE
    # 10,000 kept issues are 3.7 MB (40,000 kept 15 MB before, 300,000: 111 MB); capped: 0.2 MB
    assert retained < 1_000_000, retained


def test_findings_limit_is_a_setting(tmp_path):
    """--max-findings-per-file / max-findings-per-file: 0 lists everything."""
    from click.testing import CliRunner

    from gwlint.cli import main

    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + "  k: v\n" * 300
    report = lint_files(tmp_path / "a", {"c.yaml": text}, select=["GW002"],
                        max_findings_per_file=0)
    assert len(report.findings) == 299
    report = lint_files(tmp_path / "b", {"c.yaml": text}, select=["GW002"],
                        max_findings_per_file=10)
    assert len(report.findings) == 10
    assert report.findings[-1].message.startswith("... and 290 more GW002 findings")
    (tmp_path / "b" / ".gwlint.yaml").write_text("max-findings-per-file: 20\n")
    old = os.getcwd()
    os.chdir(tmp_path / "b")
    try:
        runner = CliRunner()
        doc = json.loads(runner.invoke(main, ["--format", "json", "c.yaml"]).stdout)
        assert len(doc["findings"]) == 20
        doc = json.loads(runner.invoke(main, ["--format", "json", "--max-findings-per-file", "0",
                                              "c.yaml"]).stdout)
        assert len(doc["findings"]) == 299
        (tmp_path / "b" / ".gwlint.yaml").write_text("max-findings-per-file: -1\n")
        result = runner.invoke(main, ["c.yaml"])
        assert result.exit_code == 2
        assert result.stderr.startswith("gwlint: error: .gwlint.yaml:1: 'max-findings-per-file'")
    finally:
        os.chdir(old)


def test_findings_budget_keeps_the_exit_code(tmp_path):
    """The summary takes the highest severity of what it stands for."""
    from gwlint.findings import Finding, Location, Severity

    findings = []
    for i in range(150):
        f = Finding(f"m{i}", rule="GW101", severity=Severity.ERROR if i == 140 else Severity.INFO)
        f.location = Location("a.yaml", i + 1, 1, i + 1, 2)
        findings.append(f)
    kept = budget.limit_findings(findings, lambda f: f.severity)
    assert len(kept) == 101 and kept[-1].severity is Severity.ERROR
    assert kept[-1].message.startswith("... and 50 more GW101 findings in this file")
    assert budget.limit_findings(findings, lambda f: f.severity, limit=0) is findings


def many_refs(n: int, directive: Callable[[int], str] = lambda i: "") -> str:
    """An HTTPRoute with n parentRefs to Gateways that do not exist: n GW101 findings."""
    refs = "".join(f"  - name: gw{i}{directive(i)}\n" for i in range(n))
    return route("r", body="  parentRefs:\n" + refs)


def test_findings_past_the_checked_limit_are_counted_not_kept(tmp_path, monkeypatch):
    """One rule firing N times in one file: past budget.checked_limit (100 times what a report
    lists) its findings are counted as the rule yields them, never kept, located or checked
    against suppressions, and the summary counts them all, saying so. (600,000 findings of one
    rule in one file cost 8 s of CPU and 700 MB before the report dropped all but 100.)"""
    monkeypatch.setattr(budget, "MIN_CHECKED", 0)  # 10 listed: 1,000 checked
    fresh = counter(tmp_path)
    located: list[int] = []
    locate = engine.locate

    def counting_locate(findings: list) -> None:
        located.append(len(findings))
        locate(findings)

    monkeypatch.setattr(engine, "locate", counting_locate)

    def run(n: int) -> Report:
        return lint_files(fresh(), {"r.yaml": many_refs(n)}, select=["GW101"],
                          max_findings_per_file=10)

    small, big = linear(run, 4_000)
    assert located[-2:] == [1_001, 1_001]  # the first 1,000 and the one standing for the rest
    for report, n in ((small, 4_000), (big, 16_000)):
        assert [f.rule for f in report.findings] == ["GW101"] * 11
        assert report.findings[-1].message == (
            f"... and {n - 10:,} more GW101 findings in this file, not listed (a report shows "
            f"at most 10 per rule and file; {n - 1_000:,} of them came after the first 1,000 "
            "and were counted, not checked against suppression comments)")
        assert report.findings[-1].location.line == 8 + 10  # the 11th parentRef
    everything = lint_files(fresh(), {"r.yaml": many_refs(2_000)}, select=["GW101"],
                            max_findings_per_file=0)
    assert len(everything.findings) == 2_000 and located[-1] == 2_000


def test_counted_findings_follow_the_suppressions_of_the_one_standing_for_them(tmp_path,
                                                                              monkeypatch):
    """What suppresses the first counted finding (a file's ignore, a per-file ignore)
    suppresses the count with it; when suppressions removed every kept finding, the count
    still gets its summary line."""
    monkeypatch.setattr(budget, "MIN_CHECKED", 0)
    text = "# gwlint: ignore-file[GW101]\n" + many_refs(3_000)
    report = lint_files(tmp_path / "a", {"r.yaml": text}, select=["GW101", "GW008"],
                        max_findings_per_file=10)
    assert report.findings == []
    report = lint_files(tmp_path / "b", {"r.yaml": many_refs(3_000)}, select=["GW101"],
                        max_findings_per_file=10, per_file_ignores={"r.yaml": ["GW101"]})
    assert report.findings == []
    text = many_refs(3_000, lambda i: "  # gwlint: ignore[GW101]" if i < 1_000 else "")
    report = lint_files(tmp_path / "c", {"r.yaml": text}, select=["GW101"],
                        max_findings_per_file=10)
    assert [f.message for f in report.findings] == [
        "... and 2,000 more GW101 findings in this file, not listed (a report shows at most 10 "
        "per rule and file; 2,000 of them came after the first 1,000 and were counted, not "
        "checked against suppression comments)"]
    assert report.findings[0].location.line == 8 + 1_000


def test_counted_findings_keep_the_worst_severity(monkeypatch):
    """The summary takes the highest severity of the findings it counts, those with their own
    severity and those with their rule's configured one."""
    from gwlint.findings import Finding, Location, Severity

    monkeypatch.setattr(budget, "MIN_CHECKED", 0)
    monkeypatch.setattr(budget, "CHECKED_PER_LISTED", 2)  # 1 listed: 2 checked
    src = SourceFile("a.yaml", "")

    def run(severities: list[Severity | None]) -> list[Finding]:
        findings = [Finding(f"m{i}", rule="GW101", source=src, severity=s)
                    for i, s in enumerate(severities)]
        cap = budget.FindingsCap(1)
        kept = cap.keep(iter(findings))
        assert kept == findings[:3]  # two checked, and the first counted one
        for i, f in enumerate(kept):
            f.location = Location("a.yaml", i + 1, 1, i + 1, 2)
        return budget.limit_findings(kept, lambda f: f.severity or Severity.WARNING, 1, cap)

    info, error = Severity.INFO, Severity.ERROR
    out = run([info, info, info, error, info])
    assert [f.severity for f in out] == [info, error]
    assert out[1].message.startswith("... and 4 more GW101 findings in this file")
    assert "; 3 of them came after the first 2 " in out[1].message
    assert out[1].omitted == {info: 3, error: 1}
    out = run([info, info, info, None, info])
    assert [f.severity for f in out] == [info, Severity.WARNING]
    assert out[1].omitted == {info: 3, None: 1}
    assert [f.severity for f in run([info, info, info, info])] == [info, info]


def test_counts_include_the_findings_a_summary_stands_for(tmp_path, monkeypatch):
    """The closing counts, the JSON summary and --statistics count every finding, listed or
    not (a summary counted as one finding said 100 where there were 299)."""
    from gwlint.reporters.statistics import render as statistics

    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n" + "  k: v\n" * 300
    report = lint_files(tmp_path / "a", {"c.yaml": text}, select=["GW002"])
    assert len(report.findings) == 100
    assert report.counts() == {"error": 299, "warning": 0, "info": 0}
    assert json.loads(render(report, "json"))["summary"]["findings"]["error"] == 299
    assert statistics(report, "text").startswith("   299  GW002  duplicate-key\n299 errors,")
    assert "299 errors, 0 warnings, 0 infos in 1 file" in render(report, "text")
    monkeypatch.setattr(budget, "MIN_CHECKED", 0)
    report = lint_files(tmp_path / "b", {"r.yaml": many_refs(3_000)}, select=["GW101"],
                        max_findings_per_file=10, severity={"GW101": Severity.WARNING})
    assert report.counts() == {"error": 0, "warning": 3_000, "info": 0}
    assert json.loads(statistics(report, "json")) == [
        {"code": "GW101", "name": "parent-ref-unresolved", "count": 3_000}]


# ----------------------------------------------------------------------------- 6: huge values


def test_row6_huge_name_is_cut_in_every_report(tmp_path):
    """A name of millions of characters: every value a report quotes is cut to MAX_VALUE
    characters (saying how many more there were), JSON and SARIF flag the cut; the report stays
    small however long the name (49 MB gave 196 MB of JSON)."""
    fresh = counter(tmp_path)
    sizes = {}

    def run(n: int) -> Report:
        text = route("a" * (n * 1000), body="  parentRefs: [{name: gw}]\n")
        report = lint_files(fresh(), {"r.yaml": text}, select=["GW010", "GW101"])
        sizes[n] = {fmt: len(render(report, fmt)) for fmt in ("text", "json", "github", "sarif")}
        return report

    _, big = linear(run, 500)  # names of 500,000 and 2,000,000 characters
    assert sizes[2000]["json"] < 20_000, sizes
    for fmt, size in sizes[2000].items():  # reports do not grow with the name
        assert size - sizes[500][fmt] < 100, (fmt, sizes)
    doc = json.loads(render(big, "json"))
    named = [f for f in doc["findings"] if f["resource"]]
    assert named and all(f["truncated"] for f in named)
    assert named[0]["resource"]["name"].endswith(" [... 1,998,040 more characters]")
    assert len(named[0]["resource"]["name"]) < budget.MAX_VALUE
    sarif = json.loads(render(big, "sarif"))
    assert all(r["properties"]["truncated"] for r in sarif["runs"][0]["results"])


# ----------------------------------------------------------------------------- 7: output encoding


@pytest.mark.parametrize("fmt", [
    "text", "json",  # backslash escapes and JSON escapes: github and sarif write them alike
    pytest.param("github", marks=pytest.mark.slow), pytest.param("sarif", marks=pytest.mark.slow)])
def test_row7_unencodable_output_is_escaped_not_a_traceback(tmp_path, fmt):
    """PYTHONIOENCODING=latin-1 (or a cp1252 console) and a name it cannot encode: the report is
    written with backslash escapes for what the encoding lacks, JSON escapes (a surrogate pair
    above U+FFFF) so that JSON and SARIF reports still parse; the exit code is unchanged. A real
    process: its standard output's encoding is the point."""
    from fuzz import harness

    text = route("caf\u00e9-\u65e5\u672c-\U0001f600", body="  parentRefs: [{name: gw}]\n")
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    run = harness.gwlint(["--isolated", "--format", fmt, "r.yaml"], cwd=tmp_path,
                         env={"PYTHONIOENCODING": "latin-1"})
    assert run.returncode == 1, (fmt, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert "GW101" in run.stdout
    if fmt == "text":  # latin-1 has é (one byte: not UTF-8, read back as U+FFFD), not CJK
        assert "caf\ufffd-\\u65e5\\u672c-\\ud83d\\ude00" in run.stdout
    if fmt in ("json", "sarif"):  # the escapes are JSON's: the same name once parsed
        assert "\u65e5\u672c-\U0001f600" in json.dumps(json.loads(run.stdout),
                                                       ensure_ascii=False)


# ----------------------------------------------------------------------------- 12: bidi


def test_row12_bidi_and_invisible_characters_escaped_in_annotations(tmp_path):
    """Names with bidi overrides, isolates, zero-width and C1 control characters: escaped
    (visible) in GitHub annotations and SARIF messages as in the text report; JSON and SARIF
    write them as JSON escapes, so the parsed report keeps the raw data."""
    fresh = counter(tmp_path)
    evil = "gw\u202eexe.txt\u2066x\u2069\u200bz\x9b"

    def run(n: int) -> Report:
        refs = "".join(f"  - name: {json.dumps(evil + str(i))}\n" for i in range(n))
        return lint_files(fresh(), {"r.yaml": route("r", body="  parentRefs:\n" + refs)},
                          select=["GW101"])

    small, _ = linear(run, 30)
    github = render(small, "github")
    assert "\\u202eexe.txt\\u2066x\\u2069\\u200bz\\x9b0" in github
    sarif = json.loads(render(small, "sarif"))
    shown = {"text": render(small, "text"), "github": github,
             "sarif": "\n".join(r["message"]["text"] for r in sarif["runs"][0]["results"]),
             "json text": render(small, "json"), "sarif text": render(small, "sarif")}
    for fmt, out in shown.items():  # what a terminal, a log or GitHub's alert view displays
        for char in "\u202e\u2066\u2069\u200b\x9b":
            assert char not in out, (fmt, char)
    doc = json.loads(render(small, "json"))
    assert any(evil + "0" in f["message"] for f in doc["findings"])  # data: raw
    assert any(evil + "0" in r["properties"]["parent"]["name"]
               for r in sarif["runs"][0]["results"])


# ----------------------------------------------------------------------------- 8: configuration

HOSTILE_CONFIGS = {  # (file name, text, line and message of the error)
    "custom tag": (".gwlint.yaml", "!custom k: v\n", "1: YAML tag '!custom' is not supported"),
    "tag on a value": (".gwlint.yaml", "select: [GW1]\nignore: !x [GW2]\n",
                       "2: YAML tag '!x' is not supported"),
    "python tag": (".gwlint.yaml", "fail-on: !!python/name:os.system error\n",
                   "1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not supported"),
    "syntax error, then an alias": (".gwlint.yaml", "a: &x [1]\nx: ]\ny: *x\n",
                                    "2: invalid YAML"),
    "alias": (".gwlint.yaml", "a: &x [GW1]\nselect: *x\n", "2: YAML aliases are not supported"),
    "huge number": (".gwlint.yaml", "max-file-size: 99999999999999999999999999\n",
                    "1: 'max-file-size': 99,999,999,999,999,999,999,999,999 bytes is more than "
                    "the memory of this machine"),
    "huge size": (".gwlint.yaml", "\nmax-file-size: 100000000000000\n",
                  "2: 'max-file-size': 100,000,000,000,000 bytes is more than the memory"),
    "huge number in TOML": ("pyproject.toml", "[tool.gwlint]\nmax-file-size = "
                            "99999999999999999999\n", "2: 'max-file-size': 99,999,999,999,"),
    "invalid UTF-8": (".gwlint.yaml", "select: [GW1]\nignore: [\udcff]\n",
                      "2: not valid UTF-8 (byte 0xff)"),
    "CR line ends": (".gwlint.yaml", "select: [GW1]\rignore: ]\r", "2: invalid YAML"),
    "too big": (".gwlint.yaml", "# " + "x" * 1_100_000 + "\n",
                "1: configuration file larger than 1,048,576 bytes"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_CONFIGS))
def test_row8_hostile_configuration_is_exit_2_with_file_and_line(tmp_path, case):
    """A pull request can add a `.gwlint.yaml`: every problem in it is `gwlint: error:
    FILE:LINE: message` and exit code 2, never a traceback."""
    from click.testing import CliRunner

    from gwlint.cli import main

    name, text, expected = HOSTILE_CONFIGS[case]
    (tmp_path / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    (tmp_path / "a.yaml").write_text(route("r"), encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["--config", name, "a.yaml"])
    finally:
        os.chdir(old)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith(f"gwlint: error: {name}:{expected}"), result.stderr
    assert "Traceback" not in result.stderr


def test_row8_configuration_reading_is_linear(tmp_path):
    """A configuration of many globs (under the 1 MiB limit) is read in linear time."""
    from gwlint.configfile import parse_config

    def run(n: int) -> dict:
        path = tmp_path / f"c{n}.gwlint.yaml"
        path.write_text("exclude:\n" + "".join(f"  - 'dir{i}/*'\n" for i in range(n)))
        return parse_config(path)

    small, big = linear(run, 5_000)
    assert len(small["exclude"]) == 5_000 and len(big["exclude"]) == 20_000


# ----------------------------------------------------------------------------- 9: size options


def test_row9_absurd_max_file_size_is_a_usage_error(tmp_path):
    """A size no file can have on this machine is refused with a clear message (exit 2), not a
    MemoryError; a large limit within memory costs no allocation of its size."""
    from fuzz import harness

    from gwlint import discover

    (tmp_path / "a.yaml").write_text(route("r"), encoding="utf-8")
    run = harness.gwlint(["--isolated", "--max-file-size", "100000000000000", "a.yaml"],
                         cwd=tmp_path)
    assert run.returncode == 2
    assert "100,000,000,000,000 bytes is more than the memory of this machine" in run.stderr
    assert "Traceback" not in run.stderr and "MemoryError" not in run.stderr

    def read(n: int) -> int:
        path = tmp_path / f"f{n}.yaml"
        path.write_bytes(b"# x\n" * (n * 1000))
        tracemalloc.start()
        try:
            source, issue = discover.read_source(str(path), max_size=20 * 1024 ** 3)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert issue is None and len(source.text) == n * 4000
        assert peak < 10 * n * 4000 + 1_000_000, peak  # the file's size, not the limit's
        return peak

    linear(read, 500)


# ----------------------------------------------------------------------------- 10: line ends

LINE_ENDS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


@pytest.mark.parametrize("end", sorted(LINE_ENDS))
def test_row10_suppressions_and_columns_with_any_line_end(tmp_path, end):
    """A directive suppresses the findings reported on its line whatever ends the lines, and
    GW008 points inside its line (a CR-only file put it at column 138 of a 4-character line)."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        refs = "".join(f"  - name: gw{i}  # gwlint: ignore[GW101]\n" for i in range(n))
        body = "  parentRefs:\n" + refs + "  - name: x  # gwlint: ignore[GW102]\n"
        text = route("r", body=body).replace("\n", LINE_ENDS[end])
        return lint_files(fresh(), {"r.yaml": text}, select=["GW101", "GW102", "GW008"])

    small, _ = linear(run, 500)
    assert [(f.rule, f.location.line) for f in small.findings] == [
        ("GW101", 508), ("GW008", 508)]
    unused = small.findings[1]
    text = (tmp_path / "run2" / "r.yaml").read_text(encoding="utf-8", errors="strict")
    line = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[unused.location.line - 1]
    assert line[unused.location.column - 1:].startswith("# gwlint: ignore[GW102]")
    assert unused.location.end_column <= len(line) + 1


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_row10_nel_ls_ps_do_not_end_a_line(tmp_path, char):
    """NEL, LS and PS inside a quoted scalar: libyaml counts a line break, GitHub does not; the
    findings after it keep the line numbers of the report model and their columns stay inside
    their lines."""
    body = f"  parentRefs:\n  - name: \"gw{char}x\"  # gwlint: ignore[GW102]\n  - name: b\n"
    text = route("r", body=body)
    report = lint_files(tmp_path / "a", {"r.yaml": text}, select=["GW101", "GW102", "GW008"])
    got = [(f.rule, f.location.line, f.location.column) for f in report.findings]
    assert got == [("GW101", 8, 5), ("GW008", 8, 19), ("GW101", 9, 5)]
    assert text.split("\n")[7][18:].startswith("# gwlint: ignore[GW102]")


# ----------------------------------------------------------------------------- 11: node limits


def test_row11_node_limit_is_per_document(monkeypatch):
    """The node limit bounds one document (the composer builds one at a time), never a file of
    many small ones: a file within the documented limits is linted (33,000 routes were refused
    by an undocumented 1,000,000 nodes per file)."""
    monkeypatch.setattr(loader, "MAX_NODES", 5_000)
    many = "".join("---\n" + route(f"r{i}", body="  parentRefs: [{name: gw}]\n")
                   for i in range(1_000))  # about 20,000 nodes in all
    result = loader.parse_source(SourceFile("a.yaml", many))
    assert result.issues == [] and len(result.documents) == 1_000
    one = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n" + "".join(
        f"  k{i}: v\n" for i in range(3_000))
    result = loader.parse_source(SourceFile("b.yaml", "---\n" + many + "---\n" + one))
    assert [i.code for i in result.issues] == ["GW004"]
    assert "a YAML document of more than 5,000 nodes (document 1002)" in result.issues[0].message


@pytest.mark.slow  # tens of thousands of routes: about a minute
def test_row11_40000_routes_in_one_file_are_linted(tmp_path):
    """40,000 routes of 28 YAML nodes each (5 MB): the whole file was refused by the former
    limit of 1,000,000 nodes per file (from 35,715 such routes on)."""
    body = ("  parentRefs: [{name: gw}]\n  rules:\n  - backendRefs:\n    - name: svc\n"
            "      port: 80\n")
    text = "".join("---\n" + route(f"r{i}", body=body) for i in range(40_000))
    report = lint_files(tmp_path / "a", {"a.yaml": text}, select=["GW004", "GW101"])
    assert rules_of(report) == {"GW101": budget.MAX_FINDINGS_PER_FILE + 1}
    assert json.loads(render(report, "json"))["summary"]["resources"] == 40_000


# ----------------------------------------------------------------------------- 13: GitOps settings


def test_row13_replacements_and_flux_substitution_are_linear(tmp_path):
    """A kustomization whose replacement writes a Gateway's name into N routes, applied by a
    Flux Kustomization that substitutes a variable in each route: linear in N."""
    fresh = counter(tmp_path)

    def run(n: int) -> Report:
        routes = "".join(
            f"---\napiVersion: {G}/v1\nkind: HTTPRoute\nmetadata: {{name: r{i}, namespace: app}}\n"
            f"spec:\n  parentRefs: [{{name: placeholder}}]\n"
            f"  hostnames: [\"r{i}.${{DOMAIN}}\"]\n" for i in range(n))
        gateway = (f"apiVersion: {G}/v1\nkind: Gateway\nmetadata: {{name: web, namespace: app}}\n"
                   "spec:\n  gatewayClassName: c\n"
                   "  listeners: [{name: http, port: 80, protocol: HTTP}]\n")
        kustomization = ("resources: [objects.yaml]\nreplacements:\n"
                         "- source: {kind: Gateway, name: web}\n  targets:\n"
                         "  - select: {kind: HTTPRoute}\n"
                         "    fieldPaths: [spec.parentRefs.0.name]\n")
        flux = ("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
                "metadata: {name: apps, namespace: flux-system}\nspec:\n  path: ./apps\n"
                "  postBuild: {substitute: {DOMAIN: example.com}}\n")
        root = fresh()
        (root / "apps").mkdir(parents=True)
        (root / "apps" / "objects.yaml").write_text(gateway + routes, encoding="utf-8")
        (root / "apps" / "kustomization.yaml").write_text(kustomization, encoding="utf-8")
        return lint_files(root, {"flux.yaml": flux})

    small, big = linear(run, 400)
    for report in (small, big):  # substituted and replaced: no schema error, no missing parent
        assert not [f for f in report.findings if f.rule in ("GW010", "GW101", "GW805")], [
            (f.rule, f.message) for f in report.findings][:5]
