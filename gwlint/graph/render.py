"""`gwlint graph`'s formats: Mermaid (renders in GitHub Markdown inside a ```mermaid fence),
Graphviz DOT and JSON, each a function of a `GraphView`. Nodes are ordered left to right
(GatewayClass and IngressClass, Gateway, ListenerSet, listener, routes and Ingresses, Services,
Secrets) and grouped by namespace.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from gwlint.graph.build import GEdge, GNode, GraphView
from gwlint.model import ROUTE_KINDS

# Left-to-right order of the picture (and of the node list).
_RANK = {"GatewayClass": 0, "IngressClass": 0, "Gateway": 1, "ListenerSet": 2, "XListenerSet": 2,
         "listener": 3, **{k: 4 for k in ROUTE_KINDS}, "Ingress": 4, "Service": 5,
         "ServiceImport": 5, "Secret": 6, "ConfigMap": 6}


def _order(view: GraphView) -> list[GNode]:
    return sorted(view.nodes.values(),
                  key=lambda n: (n.scope, _RANK.get(n.kind, 7), n.kind, n.namespace or "",
                                 n.name, n.listener or ""))


def _edges(view: GraphView) -> list[GEdge]:
    ids = {n.id: i for i, n in enumerate(_order(view))}
    return sorted(view.edges.values(), key=lambda e: (ids.get(e.source, 0), ids.get(e.target, 0),
                                                      e.type, e.label or ""))


def _groups(view: GraphView) -> list[tuple[str | None, list[GNode]]]:
    """Nodes grouped by (scope, namespace); cluster-scoped ones first, ungrouped."""
    groups: dict[tuple[str, str | None], list[GNode]] = {}
    for n in _order(view):
        groups.setdefault((n.scope, n.namespace), []).append(n)
    out: list[tuple[str | None, list[GNode]]] = []
    for (scope, ns), nodes in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if ns is None:
            out.insert(0, (None, nodes))
        else:
            out.append((f"{scope + ': ' if scope else ''}namespace {ns}", nodes))
    return out


def _mermaid_text(text: str) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return (text.replace("#", "#35;").replace("&", "#38;").replace('"', "#quot;")
            .replace("<", "#lt;").replace(">", "#gt;").replace("|", "#124;")
            .replace("[", "#91;").replace("]", "#93;").replace("{", "#123;")
            .replace("}", "#125;"))


def render_mermaid(view: GraphView) -> str:
    lines = ["flowchart LR"]
    for i, (title, nodes) in enumerate(_groups(view)):
        indent = "  "
        if title is not None:
            lines.append(f'  subgraph g{i}["{_mermaid_text(title)}"]')
            indent = "    "
        for n in nodes:
            label = "<br/>".join(_mermaid_text(x) for x in n.label_lines() if x)
            shape = ('(["', '"])') if n.kind == "listener" else ('["', '"]')
            lines.append(f"{indent}{n.id}{shape[0]}{label}{shape[1]}")
        if title is not None:
            lines.append("  end")
    broken = []
    for i, e in enumerate(_edges(view)):
        if e.broken:
            broken.append(str(i))
            lines.append(f'  {e.source} -. "{_mermaid_text(e.label or "broken")}" .-> {e.target}')
        elif e.label:
            lines.append(f'  {e.source} -- "{_mermaid_text(e.label)}" --> {e.target}')
        else:
            lines.append(f"  {e.source} --> {e.target}")
    lines.append("  classDef missing fill:#fdecea,stroke:#d32f2f,stroke-width:2px,"
                 "stroke-dasharray:5 3,color:#b71c1c")
    lines.append("  classDef unattached stroke:#d32f2f,stroke-width:3px")
    lines.append("  classDef external stroke-dasharray:2 2,color:#555")
    for cls in ("missing", "unattached", "external"):
        ids = [n.id for n in _order(view) if getattr(n, cls)]
        if ids:
            lines.append(f"  class {','.join(ids)} {cls}")
    if broken:
        lines.append(f"  linkStyle {','.join(broken)} stroke:#d32f2f,stroke-width:2px,"
                     "color:#d32f2f")
    return "\n".join(lines) + "\n"


def _dot(text: str) -> str:
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_dot(view: GraphView) -> str:
    lines = ["digraph gwlint {", "  rankdir=LR;",
             '  node [shape=box, style="rounded", fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for i, (title, nodes) in enumerate(_groups(view)):
        indent = "  "
        if title is not None:
            lines.append(f"  subgraph cluster_{i} {{")
            lines.append(f"    label={_dot(title)}; style=dashed; color=gray;")
            indent = "    "
        for n in nodes:
            label = "\\n".join(_dot(x)[1:-1] for x in n.label_lines() if x)
            attrs = [f'label="{label}"']
            if n.kind == "listener":
                attrs.append("shape=ellipse")
            if n.missing:
                attrs.append('style="rounded,dashed,filled", color=red, fillcolor="#fdecea", '
                             "fontcolor=red")
            elif n.unattached:
                attrs.append("color=red, penwidth=2")
            elif n.external:
                attrs.append('style="rounded,dotted"')
            lines.append(f"{indent}{_dot(n.id)} [{', '.join(attrs)}];")
        if title is not None:
            lines.append("  }")
    for e in _edges(view):
        attrs = []
        if e.label:
            attrs.append(f"label={_dot(e.label)}")
        if e.broken:
            attrs.append("style=dashed, color=red, fontcolor=red, penwidth=2")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_dot(e.source)} -> {_dot(e.target)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_json(view: GraphView) -> str:
    doc = {"nodes": [n.as_dict() for n in _order(view)],
           "edges": [e.as_dict() for e in _edges(view)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[[GraphView], str]] = {"mermaid": render_mermaid, "dot": render_dot,
                                                    "json": render_json}
