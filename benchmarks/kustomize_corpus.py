#!/usr/bin/env python3
"""A Kustomize-shaped GitOps repository, and the same objects as flat files.

Usage::

    python benchmarks/kustomize_corpus.py OUT_DIR [--resources 10000] [--seed 1]

`OUT_DIR/kustomize/apps/APP/` holds one application: `base/` (a kustomization, a Gateway with
an HTTP and an HTTPS listener and its certificate Secret, Services, HTTPRoutes with matches,
filters and weighted backends, in four files) and three overlays `overlays/{dev,staging,prod}`
(`namespace`, `labels`, a strategic merge patch of a route's hostnames, a JSON 6902 patch of a
backend's weight). About one application in ten carries a mistake in its base (a backendRef to a
Service's targetPort), which every overlay inherits.

`OUT_DIR/flat/apps/APP/ENV/` holds what each overlay builds (gwlint's own Kustomize builder
writes it, one file per base file): the same objects, as flat files. Linting the flat tree with
`--scope 'apps/*/*'` (each overlay its own graph, as each Kustomize root is) is the yardstick:
the Kustomize tree should cost at most `KUSTOMIZE_RATIO_TARGET` times as much.

The output is deterministic for the same arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

import yaml

ENVS = ("dev", "staging", "prod")
OBJECTS_PER_OVERLAY = 10  # Gateway, Secret, 4 Services, 4 HTTPRoutes
FLAT_SCOPE = "apps/*/*"


def _dump(docs: list[dict[str, Any]]) -> str:
    return yaml.dump_all(docs, Dumper=yaml.CSafeDumper, sort_keys=False, default_flow_style=False)


def _app(name: str, rng: random.Random, broken: bool) -> dict[str, str]:
    """The files of one application, by path relative to its directory."""
    services = [f"{name}-svc{i}" for i in range(4)]
    gateway = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
               "metadata": {"name": "web"},
               "spec": {"gatewayClassName": "envoy", "listeners": [
                   {"name": "http", "port": 80, "protocol": "HTTP",
                    "hostname": f"*.{name}.example.com"},
                   {"name": "https", "port": 443, "protocol": "HTTPS",
                    "hostname": f"*.{name}.example.com",
                    "tls": {"certificateRefs": [{"name": "web-tls"}]}}]}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "web-tls"},
              "type": "kubernetes.io/tls",
              "data": {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}}
    svc_docs = [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": s},
                 "spec": {"selector": {"app": s},
                          "ports": [{"name": "http", "port": 80, "targetPort": 8080}]}}
                for s in services]
    routes = []
    for i in range(4):
        a, b = services[i], services[(i + 1) % 4]
        port = 8080 if broken and i == 0 else 80
        routes.append({
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": f"route{i}"},
            "spec": {
                "parentRefs": [{"name": "web", "sectionName": rng.choice(["http", "https"])}],
                "hostnames": [f"r{i}.{name}.example.com"],
                "rules": [
                    {"matches": [{"path": {"type": "PathPrefix", "value": f"/api/v{i}"},
                                  "headers": [{"name": "x-team", "value": name}]}],
                     "filters": [{"type": "RequestHeaderModifier",
                                  "requestHeaderModifier": {"set": [{"name": "x-route",
                                                                     "value": str(i)}]}}],
                     "backendRefs": [{"name": a, "port": port, "weight": 90},
                                     {"name": b, "port": 80, "weight": 10}]},
                    {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                     "backendRefs": [{"name": a, "port": 80}]}]}})
    files = {
        "base/kustomization.yaml": _dump([{
            "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "resources": ["gateway.yaml", "services.yaml", "routes-a.yaml", "routes-b.yaml"]}]),
        "base/gateway.yaml": _dump([gateway, secret]),
        "base/services.yaml": _dump(svc_docs),
        "base/routes-a.yaml": _dump(routes[:2]),
        "base/routes-b.yaml": _dump(routes[2:]),
    }
    for env in ENVS:
        files[f"overlays/{env}/kustomization.yaml"] = _dump([{
            "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
            "namespace": f"{name}-{env}",
            "resources": ["../../base"],
            "labels": [{"pairs": {"env": env, "app": name}}],
            "patches": [
                {"path": "hostnames.yaml"},
                {"path": "weights.yaml",
                 "target": {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                            "name": "route1"}}]}])
        files[f"overlays/{env}/hostnames.yaml"] = _dump([{
            "apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": "route0"},
            "spec": {"hostnames": [f"{env}.{name}.example.com"]}}])
        files[f"overlays/{env}/weights.yaml"] = _dump([[
            {"op": "replace", "path": "/spec/rules/0/backendRefs/0/weight",
             "value": rng.choice([50, 80, 95])},
            {"op": "replace", "path": "/spec/rules/0/backendRefs/1/weight", "value": 5}]])
    return files


def _flatten(kustomize: Path, flat: Path) -> tuple[int, int]:
    """Build every root with gwlint's builder and write its objects as flat files."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    # imported here: the generator runs before gwlint is measured, from a source checkout
    from gwlint.gitops.kustomize import KustomizeIndex, LocalFiles

    old = os.getcwd()
    os.chdir(kustomize)
    try:
        paths = sorted(str(p) for p in Path(".").rglob("kustomization.yaml"))
        index = KustomizeIndex.scan(paths, LocalFiles("."))
        resources = files = 0
        for root in index.roots:
            build = index.build(root)
            assert not [p for p in build.problems if p.severity == "error"], build.problems
            by_file: dict[str, list[dict[str, Any]]] = {}
            for obj in build.objects:
                by_file.setdefault(Path(obj.origins.lookup(()).file).name, []).append(obj.body)
            app, env = Path(root).parts[1], Path(root).parts[3]
            for name, docs in by_file.items():
                target = flat / "apps" / app / env / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(_dump(docs), encoding="utf-8")
                resources += len(docs)
                files += 1
        return resources, files
    finally:
        os.chdir(old)


def generate(out: Path, resources: int = 10_000, seed: int = 1,
             broken_fraction: float = 0.1) -> dict[str, Any]:
    rng = random.Random(seed)
    apps = max(1, round(resources / (OBJECTS_PER_OVERLAY * len(ENVS))))
    tree = out / "kustomize"
    files = 0
    for i in range(apps):
        name = f"app{i:05d}"
        for rel, text in _app(name, rng, rng.random() < broken_fraction).items():
            path = tree / "apps" / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files += 1
    built, flat_files = _flatten(tree, out / "flat")
    manifest = {"apps": apps, "roots": apps * len(ENVS), "resources": built,
                "kustomize_files": files, "flat_files": flat_files, "flat_scope": FLAT_SCOPE}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(generate(args.out, args.resources, args.seed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
