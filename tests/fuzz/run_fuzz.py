#!/usr/bin/env python3
"""Long fuzz run of gwlint on generated hostile input (>= 100,000 inputs by default).

    python tests/fuzz/run_fuzz.py                       # 100,000 inputs, 2 worker processes
    python tests/fuzz/run_fuzz.py --examples 2000 --jobs 1 --seed 7
    python tests/fuzz/run_fuzz.py --json fuzz.json      # also write the figures as JSON

Every input goes through the real pipeline (engine.lint on a temporary directory or on stdin,
then every output format) and is checked against the invariants of tests/fuzz/strategies.py:
no exception escapes, exit code 0/1, spans inside the file, JSON/SARIF parse, no raw control
characters in text, no forged GitHub workflow command. Targets (share of the inputs):

    stdin    one stream of bytes (any encoding, BOMs, CRLF, Helm `# Source:`), as `gwlint -`
    objects  Gateway API objects, valid and mutated, serialised as YAML or JSON
    soup     near-YAML token soup (anchors, aliases, tags, flow/block mixtures, `---` edge cases)
    tree     a directory of 1-4 files with hostile names, linted as `gwlint .`
    cli      the click CLI in every available format, to stdout or --output
    shapes   big lists, many grants and directives, aliases across documents, duplicate keys,
             CR/CRLF/NEL/LS/PS line ends (the shapes that once cost more than linear time)
    config   a hostile .gwlint.yaml or pyproject.toml next to the input: exit 2 with FILE:LINE

Hypothesis generates the inputs in batches (each batch a fresh seed, so memory stays flat) and
shrinks any failure to a small reproducer, which is printed and saved under --failures. Exit code:
0 no failure, 1 at least one failure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/ : `fuzz.strategies`
os.environ.setdefault("GWLINT_NATIVE", "1")  # every text through gwlint.native, the fast path

TARGETS = {"stdin": 0.32, "objects": 0.22, "soup": 0.18, "tree": 0.16, "shapes": 0.06,
           "config": 0.04, "cli": 0.02}
BATCH = 500


def _target(name: str):
    """A plain function of the generated value, and its strategy."""
    from hypothesis import strategies as st

    from fuzz import strategies as S

    def stdin(value):
        data, fname = value
        report, texts = S.run_stdin(data, fname)
        S.check_report(report, texts, helm_names=S.helm_names(data))
        return report, S.assert_exit_ok(report)

    def objects(value):
        report, texts = S.run_stdin(value.encode("utf-8", "surrogatepass"), "objects.yaml")
        S.check_report(report, texts)
        return report, S.assert_exit_ok(report)

    def soup(value):
        report, texts = S.run_stdin(value.encode("utf-8", "surrogatepass"), "soup.yaml")
        S.check_report(report, texts)
        return report, S.assert_exit_ok(report)

    def tree(value):
        with tempfile.TemporaryDirectory() as tmp:
            report, texts = S.run_tree(Path(tmp), value)
            S.check_report(report, texts)
            return report, S.assert_exit_ok(report)

    def cli(value):
        files, fmt, to_file = value
        return _cli(files, fmt, to_file)

    def shapes(value):
        report, texts = S.run_stdin(value.encode("utf-8", "surrogatepass"), "shape.yaml")
        S.check_report(report, texts)
        return report, S.assert_exit_ok(report)

    def config(value):
        name, data = value
        code = S.run_config(name, data, b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
        return None, code

    @st.composite
    def object_texts(draw):
        docs = draw(S.documents())
        return "".join("---\n" + S._dump(d, draw) for d in docs)

    strategies = {
        "stdin": st.tuples(S.file_bytes(), st.sampled_from(["<stdin>", "k8s/r.yaml",
                                                            "a\x1b[31m::error::x"])),
        "objects": object_texts(),
        "soup": st.one_of(S.yaml_soup(), S.yaml_text()),
        "tree": S.file_trees(),
        "cli": st.tuples(S.file_trees(), st.sampled_from(S.available_formats()), st.booleans()),
        "shapes": S.shapes(),
        "config": S.hostile_config(),
    }
    return {"stdin": stdin, "objects": objects, "soup": soup, "tree": tree, "cli": cli,
            "shapes": shapes, "config": config}[name], strategies[name]


def _cli(files, fmt, to_file):
    from click.testing import CliRunner

    from gwlint.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        for rel, data in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
        out = Path(tmp) / "report.out"
        args = ["--format", fmt, "--isolated", "."] + (["--output", str(out)] if to_file else [])
        old = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, args, catch_exceptions=True)
        finally:
            os.chdir(old)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            repr(result.exception)
        assert result.exit_code in (0, 1), (result.exit_code, result.output[-3000:])
        text = out.read_text(encoding="utf-8") if to_file else result.stdout
        if fmt in ("json", "sarif"):
            json.loads(text)
        return None, result.exit_code


FOREIGN = ("gwlint/rules/", "gwlint/schema/")  # code the hostile-input work does not own


def _foreign(exc: BaseException) -> str | None:
    """'file:line ExceptionType' when the innermost gwlint frame is in a rule or the schema."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename.replace(os.sep, "/")
        if "/gwlint/" in name and "/tests/" not in name:
            last = (name[name.rindex("/gwlint/") + 1:], tb.tb_lineno)
        tb = tb.tb_next
    if last and last[0].startswith(FOREIGN) and not isinstance(exc, AssertionError):
        return f"{last[0]}:{last[1]} {type(exc).__name__}: {str(exc)[:120]}"
    return None


def _run_share(args: tuple) -> dict:
    """One worker: run each target for its share of inputs, in batches of fresh seeds."""
    worker, counts, seed, failures_dir = args
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as hseed

    stats: dict = {"inputs": 0, "findings": 0, "by_rule": {}, "exit_codes": {}, "failures": [],
                   "max_seconds": 0.0, "by_target": {}, "foreign": {}}
    inflight = Path(failures_dir) / f"inflight-{worker}.pickle"
    stats_file = Path(failures_dir) / f"stats-{worker}.json"
    for name, total in counts.items():
        fn, strategy = _target(name)
        done = 0
        batch_no = 0
        while done < total:
            n = min(BATCH, total - done)
            batch_seed = seed * 1_000_003 + worker * 10_007 + batch_no
            batch_no += 1

            def make_body(name: str, fn: Callable[[Any], Any]) -> Callable[[Any], None]:
                """The test body for target `name` (bound now, not when the loop moves on)."""
                def body(value):
                    # the input in flight, for the parent to report should this process die (a
                    # segfault in native code, a kill) before it can report anything itself
                    inflight.write_bytes(pickle.dumps((name, value)))
                    t0 = time.perf_counter()
                    try:
                        report, code = fn(value)
                    except Exception as exc:  # noqa: BLE001
                        where = _foreign(exc)
                        if where is None:
                            raise  # in gwlint's own pipeline, loader or reporters: a failure
                        # a crash inside a rule or the schema package (other owners): record each
                        # distinct site once with its input, count it, and keep fuzzing
                        known = stats["foreign"].setdefault(where, {
                            "count": 0, "input": repr(value)[:3000],
                            "traceback": traceback.format_exc()[-4000:]})
                        known["count"] += 1
                        stats["inputs"] += 1
                        stats["by_target"][name] = stats["by_target"].get(name, 0) + 1
                        return
                    dt = time.perf_counter() - t0
                    stats["inputs"] += 1
                    stats["by_target"][name] = stats["by_target"].get(name, 0) + 1
                    stats["exit_codes"][str(code)] = stats["exit_codes"].get(str(code), 0) + 1
                    stats["max_seconds"] = max(stats["max_seconds"], dt)
                    if report is not None:
                        stats["findings"] += len(report.findings)
                        for f in report.findings:
                            stats["by_rule"][f.rule] = stats["by_rule"].get(f.rule, 0) + 1
                return body

            run_one = make_body(name, fn)

            test = settings(max_examples=n, deadline=None, database=None,
                            suppress_health_check=list(HealthCheck),
                            phases=(Phase.generate, Phase.shrink), print_blob=True)(
                given(strategy)(run_one))
            test = hseed(batch_seed)(test)
            try:
                test()
            except Exception as exc:  # noqa: BLE001 - a failure: record it and go on
                record = {"target": name, "seed": batch_seed, "error": repr(exc)[:2000],
                          "traceback": traceback.format_exc()[-6000:]}
                stats["failures"].append(record)
                path = Path(failures_dir) / f"failure-{name}-{batch_seed}.txt"
                path.write_text(json.dumps(record, indent=2), encoding="utf-8")
                print(f"[worker {worker}] FAILURE in {name} (seed {batch_seed}): {path}",
                      file=sys.stderr, flush=True)
            done += n
            print(f"[worker {worker}] {name}: {done}/{total}", file=sys.stderr, flush=True)
            stats["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            tmp = stats_file.with_suffix(".tmp")
            tmp.write_text(json.dumps(stats), encoding="utf-8")
            tmp.replace(stats_file)  # what survives if this process dies later
    inflight.unlink(missing_ok=True)
    return stats


def _worker_main(args: tuple) -> None:
    _run_share(args)


def _run_workers(shares: list[tuple], failures_dir: str) -> list[dict]:
    """One process per share; a worker that dies (signal, segfault) is a failure, reported with
    the input it was linting."""
    ctx = multiprocessing.get_context("spawn")
    procs = []
    for share in shares:
        Path(failures_dir, f"stats-{share[0]}.json").unlink(missing_ok=True)
        proc = ctx.Process(target=_worker_main, args=(share,))
        proc.start()
        procs.append((share[0], proc))
    results = []
    for worker, proc in procs:
        proc.join()
        stats_file = Path(failures_dir) / f"stats-{worker}.json"
        stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {
            "inputs": 0, "findings": 0, "by_rule": {}, "exit_codes": {}, "failures": [],
            "max_seconds": 0.0, "by_target": {}, "foreign": {}, "max_rss_mb": 0}
        if proc.exitcode != 0:
            inflight = Path(failures_dir) / f"inflight-{worker}.pickle"
            detail = "(no input recorded)"
            if inflight.exists():
                target, value = pickle.loads(inflight.read_bytes())
                detail = f"target {target}, input {value!r}"[:6000]
            stats["failures"].append({
                "target": "worker", "seed": None,
                "error": f"worker {worker} died with exit code {proc.exitcode} "
                         f"(negative: killed by that signal)",
                "traceback": f"last input (saved in {inflight}): {detail}"})
        results.append(stats)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=100_000, help="total inputs (100,000)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (2)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help=f"comma-separated subset of {', '.join(TARGETS)}")
    parser.add_argument("--json", dest="json_out", help="write the figures to this file")
    parser.add_argument("--failures", default=tempfile.gettempdir(),
                        help="directory for failure reports")
    ns = parser.parse_args(argv)
    names = [t for t in ns.targets.split(",") if t]
    weight = sum(TARGETS[t] for t in names)
    jobs = max(1, ns.jobs)
    Path(ns.failures).mkdir(parents=True, exist_ok=True)  # a new directory is fine too
    shares = []
    for w in range(jobs):
        counts = {}
        for t in names:
            total = round(ns.examples * TARGETS[t] / weight)
            counts[t] = total // jobs + (1 if w < total % jobs else 0)
        shares.append((w, counts, ns.seed, ns.failures))
    t0 = time.time()
    results = _run_workers(shares, ns.failures)
    elapsed = time.time() - t0
    total: dict = {"inputs": 0, "findings": 0, "by_rule": {}, "exit_codes": {}, "by_target": {},
                   "failures": [], "max_seconds": 0.0, "max_rss_mb": 0, "foreign": {}}
    for r in results:
        total["inputs"] += r["inputs"]
        total["findings"] += r["findings"]
        for key in ("by_rule", "exit_codes", "by_target"):
            for k, v in r[key].items():
                total[key][k] = total[key].get(k, 0) + v
        total["failures"] += r["failures"]
        for where, info in r["foreign"].items():
            mine = total["foreign"].setdefault(where, {**info, "count": 0})
            mine["count"] += info["count"]
        total["max_seconds"] = max(total["max_seconds"], r["max_seconds"])
        total["max_rss_mb"] = max(total["max_rss_mb"], r["max_rss_mb"])
    total["seconds"] = round(elapsed, 1)
    total["by_rule"] = dict(sorted(total["by_rule"].items()))
    print(f"gwlint fuzz: {total['inputs']:,} inputs in {elapsed:,.0f} s "
          f"({total['inputs'] / max(elapsed, 1e-9):,.0f}/s, {jobs} processes), "
          f"{total['findings']:,} findings, exit codes {total['exit_codes']}, "
          f"slowest input {total['max_seconds']:.2f} s, peak RSS {total['max_rss_mb']} MB, "
          f"{len(total['failures'])} failure(s), "
          f"{len(total['foreign'])} distinct crash site(s) in rule/schema modules")
    print("inputs per target:", total["by_target"])
    print("findings per rule:", total["by_rule"])
    for where, info in total["foreign"].items():
        print(f"\nCRASH IN A RULE/SCHEMA MODULE ({info['count']} inputs): {where}\n"
              f"input: {info['input'][:1500]}\n{info['traceback']}")
    for f in total["failures"]:
        print(f"\nFAILURE {f['target']} seed {f['seed']}:\n{f['traceback']}")
    if ns.json_out:
        Path(ns.json_out).write_text(json.dumps(total, indent=2), encoding="utf-8")
    return 1 if total["failures"] or total["foreign"] else 0


if __name__ == "__main__":
    sys.exit(main())
