"""`gwlint graph`: the reference graph as a picture (`build`: the view and --focus; `render`:
Mermaid, DOT and JSON). The command's runner is `gwlint.runner.run_graph`."""

from __future__ import annotations

from gwlint.graph.build import GEdge, GNode, GraphView, build_view, focus, parse_focus
from gwlint.graph.render import RENDERERS, render_dot, render_json, render_mermaid

__all__ = ["RENDERERS", "GEdge", "GNode", "GraphView", "build_view", "focus", "parse_focus",
           "render_dot", "render_json", "render_mermaid"]
