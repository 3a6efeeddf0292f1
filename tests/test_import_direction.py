"""Imports point down the data flow: the model packages never import a reporter, and the
resources the layout stage makes do not import the layout."""

from __future__ import annotations

from test_imports import import_graph

# packages that compute (the models, the layout): the reporters render what they produce
MODELS = ("gwlint.implementations", "gwlint.migration", "gwlint.status", "gwlint.attachment",
          "gwlint.graph", "gwlint.gitops", "gwlint.context", "gwlint.refs", "gwlint.model",
          "gwlint.resources")


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_no_model_package_imports_a_reporter() -> None:
    graph = import_graph()
    backwards = sorted((a, b) for a, b in graph.edges
                       if _under(a, MODELS) and _under(b, ("gwlint.reporters",)))
    assert backwards == [], "escaping untrusted text is gwlint.escapes, not a reporter"


def test_resources_do_not_import_the_layout_that_makes_them() -> None:
    # gitops.layout extracts resources; what is an object (gwlint.classify) lies below both
    assert [m for m in import_graph().successors("gwlint.resources")
            if _under(m, ("gwlint.gitops",))] == []
