#!/usr/bin/env python3
"""Benchmark gwlint.schema: schema + CEL validation of a 10,000-resource corpus.

The corpus is generated in memory from tests/support/samples.py with per-object variation
(names, ports, hostnames, rule and match counts) and a small share of broken objects (a
typo, a missing port, a duplicate listener) so the slow, error-reporting path is exercised
too. Budget: 10,000 resources in under 2 s, single process.

    python benchmarks/bench_schema.py [--count N] [--release v1.6.1] [--channel standard]
                                      [--profile] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import copy
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # support.samples

from gwlint.schema import SchemaSet  # noqa: E402
from support import samples as S  # noqa: E402

MIX = (("HTTPRoute", 0.40), ("Service", 0.25), ("Gateway", 0.10), ("ReferenceGrant", 0.10),
       ("GRPCRoute", 0.15))


def _route(rng: random.Random, release: str, channel: str, i: int) -> dict:
    obj = S.http_route(release, channel, i, rules=rng.choice((1, 1, 2, 2, 3, 4)))
    for rule in obj["spec"]["rules"]:
        for match in rule.get("matches", []):
            path = match.get("path")
            if path and path["type"] == "PathPrefix":
                leaf = rng.choice(["api", "web", "v2", "static"])
                path["value"] = f"/svc{rng.randrange(1000)}/{leaf}"
        for ref in rule.get("backendRefs", []):
            ref["port"] = rng.choice((80, 8080, 443, 9000))
    if rng.random() < 0.5:
        obj["spec"]["parentRefs"] = obj["spec"]["parentRefs"][:1]
    return obj


def _broken(rng: random.Random, obj: dict) -> dict:
    """Introduce one realistic mistake (2% of the corpus)."""
    kind = obj["kind"]
    if kind == "HTTPRoute":
        rule = obj["spec"]["rules"][0]
        if "backendRefs" in rule and rng.random() < 0.5:
            rule["backendRef"] = rule.pop("backendRefs")
        else:
            rule.setdefault("backendRefs", [{"name": "x"}])[0].pop("port", None)
    elif kind == "Gateway":
        obj["spec"]["listeners"][1]["name"] = obj["spec"]["listeners"][0]["name"]
    elif kind == "Service":
        obj["spec"]["ports"][0]["port"] = str(obj["spec"]["ports"][0]["port"])
    else:
        obj["metadata"]["name"] = obj["metadata"]["name"].upper()
    return obj


def generate(count: int, release: str, channel: str, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    corpus = []
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        if kind == "HTTPRoute":
            obj = _route(rng, release, channel, i)
        elif kind == "Service":
            obj = S.service(i, ports=rng.choice((1, 1, 2, 3)))
        elif kind == "Gateway":
            obj = S.gateway(release, channel, i)
        elif kind == "ReferenceGrant":
            obj = S.reference_grant(release, channel, i)
        else:
            obj = S.grpc_route(release, channel, i)
        if rng.random() < 0.02:
            obj = _broken(rng, obj)
        corpus.append(obj)
    return corpus


def run(corpus: list[dict], schemas: SchemaSet) -> tuple[float, float, dict, int]:
    """(wall seconds, CPU seconds, per-kind wall times, violations reported)."""
    per_kind: dict[str, list[float]] = defaultdict(list)
    violations = 0
    clock = time.perf_counter
    cpu_start = time.process_time()
    start = clock()
    for obj in corpus:
        t0 = clock()
        found, _ = schemas.process(obj["apiVersion"], obj["kind"], obj)
        per_kind[obj["kind"]].append(clock() - t0)
        violations += len(found)
    return clock() - start, time.process_time() - cpu_start, per_kind, violations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--release", default="v1.6.1")
    parser.add_argument("--channel", default="standard")
    parser.add_argument("--budget", type=float, default=2.0,
                        help="seconds allowed for --count resources")
    parser.add_argument("--profile", action="store_true",
                        help="profile with pyinstrument (or cProfile)")
    args = parser.parse_args(argv)

    corpus = generate(args.count, args.release, args.channel)
    schemas = SchemaSet(args.release, args.channel)
    warm_start = time.perf_counter()
    seen = set()
    for obj in corpus:  # compile each kind once, outside the measurement
        if obj["kind"] not in seen:
            seen.add(obj["kind"])
            schemas.process(obj["apiVersion"], obj["kind"], copy.deepcopy(obj))
    warm = time.perf_counter() - warm_start

    if args.profile:
        return _profile(corpus, schemas)

    total, cpu, per_kind, violations = run(corpus, schemas)
    print(f"corpus: {len(corpus)} resources ({args.release}, {args.channel}); first-use compile: "
          f"{warm * 1000:.0f} ms")
    for kind, times in sorted(per_kind.items()):
        print(f"  {kind:15s} n={len(times):5d}  mean {sum(times) / len(times) * 1e6:7.1f} us"
              f"  max {max(times) * 1e6:8.1f} us")
    print(f"total: {total:.3f} s wall ({cpu:.3f} s CPU) = {total / len(corpus) * 1e6:.1f} "
          f"us/resource; "
          f"violations reported: {violations}")
    ok = total <= args.budget * len(corpus) / 10_000
    print(f"budget {args.budget:.1f} s per 10,000: {'OK' if ok else 'EXCEEDED'}")
    return 0 if ok else 1


def _profile(corpus: list[dict], schemas: SchemaSet) -> int:
    try:
        from pyinstrument import Profiler  # type: ignore[import-not-found]
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        run(corpus, schemas)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0
    profiler = Profiler(interval=0.0002)
    profiler.start()
    run(corpus, schemas)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
