"""The package's imports form no circle: data flows one way (discover -> load -> context -> rules ->
suppress -> report -> render), and a module never reaches back into a later stage.

Every import statement counts, wherever it is: at module level, inside a function (where a circle
hides until the function runs) and under `if TYPE_CHECKING:` (a type-only circle still ties two
modules together). Importing a submodule is an edge to that submodule and to every package above
it that the importer is not inside: `import gwlint.attachment.index` runs
`gwlint/attachment/__init__.py` first, so what that `__init__` imports is part of the circle test
too. Imports built at run time (`importlib.import_module` of a reporter or of the rule modules)
are not statements and are not seen.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "gwlint"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The gwlint module `name` refers to (a module, or the module defining an attribute)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _packages_run(module: str, target: str, modules: dict[str, Path]) -> set[str]:
    """The packages above `target` whose `__init__` importing it runs, except those `module` is
    inside (Python has already started running them)."""
    parts = target.split(".")
    above = {".".join(parts[:n]) for n in range(2, len(parts))}
    return {p for p in above if p in modules and not module.startswith(p + ".")}


def _imports(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every gwlint module `module` imports, at any depth of its syntax tree, with the packages
    whose `__init__` that runs."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            names = [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if name.split(".")[0] != "gwlint":
                continue
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(target)
                found |= _packages_run(module, target, modules)
    return found


def import_graph() -> nx.DiGraph:
    """The package's import graph (a copy: a test may add edges)."""
    return _import_graph().copy()


@functools.cache
def _import_graph() -> nx.DiGraph:
    """Parsed once per process (0.4 s): the three tests below read the same graph."""
    modules = _modules()
    graph = nx.DiGraph()
    for module, path in modules.items():
        graph.add_node(module)
        for target in _imports(module, path, modules):
            graph.add_edge(module, target)
    return graph


def test_no_import_circle() -> None:
    graph = import_graph()
    circles = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    details = []
    for circle in circles:
        edges = nx.find_cycle(graph.subgraph(circle))
        details.append(" -> ".join([u for u, _ in edges] + [edges[0][0]]))
    assert not circles, "import circles:\n" + "\n".join(details) + f"\n(among {circles})"


def test_the_walk_sees_function_level_and_relative_imports() -> None:
    """The checker itself: an import inside a function and a relative import are edges."""
    graph = import_graph()
    assert graph.has_edge("gwlint.cli", "gwlint.runner")  # imported inside `check`
    assert graph.has_edge("gwlint.schema", "gwlint.schema.violation")  # `from .violation import`
    assert graph.has_edge("gwlint.runner", "gwlint.engine")
    # `from gwlint.status.view import predicted` runs gwlint/status/__init__.py too
    assert graph.has_edge("gwlint.registry", "gwlint.status.view")
    assert graph.has_edge("gwlint.registry", "gwlint.status")
    # ... but not for a module of that package: its own package is already running
    assert not graph.has_edge("gwlint.status.view", "gwlint.status")
    assert graph.number_of_nodes() > 50


def test_a_circle_is_found() -> None:
    graph = import_graph()
    graph.add_edge("gwlint.model", "gwlint.engine")  # what a backwards door would add
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


# What linting one small valid file must not load (start-up: whole-process time is what a
# pre-commit hook on one manifest pays): the tools' and Git's process machinery, configuration
# formats not in use, the migration checks without Ingresses, the reporters of other formats,
# the native parser (small inputs go to PyYAML), the reference CEL engine (valid objects pass
# the fast path), the worker processes (one small file: one process), the graph drawing.
NOT_FOR_A_SMALL_LINT = (
    "subprocess", "shutil", "signal", "tomllib", "hashlib", "networkx", "multiprocessing",
    "cel_expr_python", "ryml", "gwlint.native_spans", "gwlint.migration.ingress",
    "gwlint.migration.annotations", "gwlint.migration.parity", "gwlint.migration.inventory",
    "gwlint.migration.routes", "gwlint.reporters.github_report",
    "gwlint.reporters.sarif_report", "gwlint.reporters.text_report",
    "gwlint.reporters.statistics", "gwlint.commands", "gwlint.graph",
    "re2", "pickle", "traceback", "gwlint.gitops.kustomize.build", "gwlint.gitops.kustomize_binary",
    "gwlint.gitops.applied", "gwlint.gitops.substitute",
)
SMALL_VALID = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: demo}
spec:
  gatewayClassName: demo
  listeners: [{name: http, protocol: HTTP, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec: {ports: [{name: http, port: 8080}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: demo}
spec:
  parentRefs: [{name: gw}]
  rules: [{backendRefs: [{name: web, port: 8080}]}]
"""
PROBE = """
import json, os, sys
from gwlint.cli import main
try:
    main(["--format", "json", "-o", sys.argv[2], "--exit-zero", "--gateway-class", "demo",
          sys.argv[1]])
except SystemExit:
    pass
print(json.dumps(sorted(m for m in json.loads(sys.argv[3]) if m in sys.modules)))
"""


def test_linting_one_small_file_loads_only_what_it_uses(tmp_path: Path) -> None:
    manifest, report = tmp_path / "small.yaml", tmp_path / "report.json"
    manifest.write_text(SMALL_VALID, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GWLINT_")}  # as users run it
    done = subprocess.run([sys.executable, "-c", PROBE, str(manifest), str(report),
                           json.dumps(NOT_FOR_A_SMALL_LINT)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    assert (summary["resources"], summary["findings"]["error"]) == (3, 0)  # it did lint
    assert json.loads(done.stdout) == []
