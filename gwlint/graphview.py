"""`gwlint graph`: a picture of the GatewayClass -> Gateway/listener -> Route -> Service/Secret graph.

The graph is built from the same Context the rules see (the reference graph and
`gwlint.attachment`'s verdicts), so what it shows is what gwlint judges:

* GatewayClass -> Gateway (`gatewayClassName`), Gateway -> each listener, Gateway -> ListenerSet
  -> its listeners;
* listener -> Route for every listener that accepts the route (`attached`); a parentRef that
  attaches nowhere is a broken edge from its Gateway labelled with the reason the controller
  would give (NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname);
* Route -> Service (backendRefs, request mirrors), listener -> Secret (certificateRefs), and the
  other references (CA certificates, policy targets);
* broken edges: the target does not exist (a `missing` node), a cross-namespace reference no
  ReferenceGrant permits (`refused`), a parentRef that does not attach. They are dashed, red and
  labelled. Routes that attach to no listener at all are outlined in red (`unattached`); objects
  declared with --assume-exists/--gateway-class are `external`.

Formats: Mermaid (renders in GitHub Markdown inside a ```mermaid fence), Graphviz DOT and JSON.
`--focus KIND/NAMESPACE/NAME` keeps the object's neighbourhood: the networkx ego graph of the
undirected graph, nodes within `--radius` hops (default 2) in either direction, where a Gateway and
its own listeners are zero hops apart (so a Gateway's routes are one hop away, their Services two).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from gwlint.model import GATEWAY_GROUP, ROUTE_KINDS, ObjKey, Resource
from gwlint.refs import (BACKEND, CA_CERTIFICATE, CERTIFICATE, CLIENT_CERTIFICATE, GATEWAY_CLASS,
                         LISTENERSET_PARENT, MIRROR, PARENT, POLICY_TARGET)

if TYPE_CHECKING:
    import networkx as nx

    from gwlint.context import Context
    from gwlint.refs import Ref

# Left-to-right order of the picture (and of the node list).
_RANK = {"GatewayClass": 0, "Gateway": 1, "ListenerSet": 2, "XListenerSet": 2, "listener": 3,
         **{k: 4 for k in ROUTE_KINDS}, "Service": 5, "ServiceImport": 5, "Secret": 6,
         "ConfigMap": 6}

_REASONS = {
    "NoMatchingParent": "no listener matches sectionName/port",
    "NotAllowedByListeners": "not allowed by listeners",
    "NoMatchingListenerHostname": "no matching listener hostname",
    "Unknown": "may not attach (namespace labels unknown)",
}


@dataclass
class GNode:
    id: str
    kind: str
    name: str
    namespace: str | None = None
    group: str = ""
    scope: str = ""
    listener: str | None = None  # listener nodes: the listener name
    missing: bool = False
    external: bool = False
    unattached: bool = False
    file: str | None = None
    line: int | None = None
    detail: str | None = None  # second label line for listeners (port/protocol/hostname)

    def label_lines(self) -> list[str]:
        if self.kind == "listener":
            return [f"listener {self.listener}", self.detail or ""]
        where = f"{self.namespace}/{self.name}" if self.namespace else self.name
        kind = self.kind
        if self.missing:
            kind += " (missing)"
        elif self.external:
            kind += " (external)"
        lines = [kind, where]
        if self.scope:
            lines.append(f"[{self.scope}]")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "group": self.group, "namespace": self.namespace,
                "name": self.name, "scope": self.scope, "listener": self.listener,
                "missing": self.missing, "external": self.external,
                "unattached": self.unattached, "file": self.file, "line": self.line}


@dataclass
class GEdge:
    source: str
    target: str
    type: str
    label: str | None = None
    broken: bool = False
    reason: str | None = None  # missing | refused | unattached | notAllowed

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "type": self.type,
                "label": self.label, "broken": self.broken, "reason": self.reason}


@dataclass
class GraphView:
    nodes: dict[Any, GNode] = field(default_factory=dict)  # key -> node
    edges: dict[tuple, GEdge] = field(default_factory=dict)

    def node_ids(self) -> set[str]:
        return {n.id for n in self.nodes.values()}


# --- building ----------------------------------------------------------------------------------
def _ident(*parts: str | None) -> str:
    text = "_".join(p for p in parts if p)
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", text)


class _Builder:
    def __init__(self, ctx: "Context") -> None:
        from gwlint import attachment

        self.ctx = ctx
        self.view = GraphView()
        self.ids: set[str] = set()
        self.index = attachment.index(ctx)

    def _unique(self, ident: str) -> str:
        out, n = ident, 1
        while out in self.ids:
            n += 1
            out = f"{ident}_{n}"
        self.ids.add(out)
        return out

    def obj(self, key: ObjKey) -> GNode:
        node = self.view.nodes.get(key)
        if node is None:
            res = self.ctx.get(key)
            node = GNode(self._unique(_ident(key.scope, key.kind, key.namespace, key.name)),
                         key.kind, key.name, key.namespace, key.group, key.scope,
                         missing=res is None and not self.ctx.assumed(key),
                         external=res is None and self.ctx.assumed(key))
            if res is not None:
                node.file = res.origin.source.path
                node.line = res.origin.line
            self.view.nodes[key] = node
        return node

    def listener(self, owner: Resource, name: str, detail: str | None = None) -> GNode:
        key = ("listener", owner.key, name)
        node = self.view.nodes.get(key)
        if node is None:
            node = GNode(self._unique(_ident(owner.scope, owner.kind, owner.namespace, owner.name,
                                             "l", name)),
                         "listener", owner.name, owner.namespace, owner.group, owner.scope,
                         listener=name, detail=detail, file=owner.origin.source.path,
                         line=owner.origin.line)
            self.view.nodes[key] = node
        return node

    def edge(self, src: GNode, dst: GNode, type_: str, label: str | None = None,
             broken: bool = False, reason: str | None = None) -> None:
        key = (src.id, dst.id, type_, label, broken)
        self.view.edges.setdefault(key, GEdge(src.id, dst.id, type_, label, broken, reason))

    def _target_edge(self, src: GNode, ref: "Ref", type_: str, from_kind: str | None = None) -> None:
        """src -> ref.target, broken when the target is missing or the reference is refused."""
        dst = self.obj(ref.target)
        if dst.missing:
            self.edge(src, dst, type_, "not found", True, "missing")
        elif ref.cross_namespace and type_ != "policyTarget" \
                and self.ctx.grants.permitting(ref, from_kind) is None:
            self.edge(src, dst, type_, "refused: no ReferenceGrant", True, "refused")
        else:
            self.edge(src, dst, type_)

    def build(self) -> GraphView:
        ctx = self.ctx
        for kind in ("GatewayClass", "Gateway", "ListenerSet"):
            for res in ctx.of_kind(kind):
                self.obj(res.key)
        for res in ctx.of_kind("XListenerSet", "gateway.networking.x-k8s.io"):
            self.obj(res.key)
        for ref in ctx.refs(GATEWAY_CLASS):
            cls = self.obj(ref.target)
            gw = self.obj(ref.source.key)
            if cls.missing:
                self.edge(cls, gw, "gatewayClass", "GatewayClass not found", True, "missing")
            else:
                self.edge(cls, gw, "gatewayClass")
        self._listeners()
        for ref in ctx.refs(LISTENERSET_PARENT):
            gw, ls = self.obj(ref.target), self.obj(ref.source.key)
            allowed = self.index.listenerset_allowed(ref.source)
            if gw.missing:
                self.edge(gw, ls, "listenerSet", "not found", True, "missing")
            elif allowed is False:
                self.edge(gw, ls, "listenerSet", "not allowed (allowedListeners)", True,
                          "notAllowed")
            else:
                self.edge(gw, ls, "listenerSet")
        self._routes()
        for ref in ctx.refs(BACKEND, MIRROR):
            self._target_edge(self.obj(ref.source.key), ref,
                              "mirror" if ref.type == MIRROR else "backendRef")
        for ref in ctx.refs(CERTIFICATE):
            owner = ref.source
            src = self.listener(owner, ref.listener) if ref.listener else self.obj(owner.key)
            self._target_edge(src, ref, "certificateRef")
        for ref in ctx.refs(CA_CERTIFICATE, CLIENT_CERTIFICATE):
            self._target_edge(self.obj(ref.source.key), ref, ref.type)
        for ref in ctx.refs(POLICY_TARGET):
            self._target_edge(self.obj(ref.source.key), ref, "policyTarget")
        for producer, secret in getattr(ctx, "_produced", []):
            if secret in self.view.nodes:
                self.edge(self.obj(producer), self.view.nodes[secret], "produces", "produces")
        return self.view

    def _listeners(self) -> None:
        for owner_kind, group in (("Gateway", GATEWAY_GROUP), ("ListenerSet", GATEWAY_GROUP),
                                  ("XListenerSet", "gateway.networking.x-k8s.io")):
            for owner in self.ctx.of_kind(owner_kind, group):
                owner_node = self.obj(owner.key)
                for ls in self.index.own_listeners(owner):
                    detail = f"{ls.port}/{ls.protocol}"
                    if ls.hostname:
                        detail += f" {ls.hostname}"
                    self.edge(owner_node, self.listener(owner, ls.name, detail), "listener")

    def _routes(self) -> None:
        ctx = self.ctx
        routes = [r for kind in ROUTE_KINDS for r in ctx.of_kind(kind)]
        attached_any: dict[int, bool] = {id(r): False for r in routes}
        for r in routes:
            self.obj(r.key)
        for ref in ctx.refs(PARENT):
            route = ref.source
            rnode = self.obj(route.key)
            parent = self.obj(ref.target)
            if parent.missing:
                self.edge(parent, rnode, "parentRef", "not found", True, "missing")
                continue
            if parent.external:
                self.edge(parent, rnode, "parentRef", "external")
                attached_any[id(route)] = True
                continue
            verdict = self.index.verdict(ref)
            if verdict is None:  # a parent kind gwlint does not judge (e.g. a mesh Service)
                self.edge(parent, rnode, "parentRef")
                attached_any[id(route)] = True
                continue
            if verdict.accepted:
                attached_any[id(route)] = True
                for att in verdict.attached:
                    self.edge(self.listener(att.listener.owner, att.listener.name), rnode,
                              "attached")
                continue
            label = _REASONS.get(verdict.reason or "", verdict.reason or "not attached")
            if ref.section_name:
                label += f" (sectionName {ref.section_name})"
            self.edge(parent, rnode, "parentRef", label, True,
                      "unknown" if verdict.accepted is None else "unattached")
        for r in routes:
            if not attached_any.get(id(r)):
                self.view.nodes[r.key].unattached = True


def build(ctx: "Context") -> GraphView:
    return _Builder(ctx).build()


# --- focus -------------------------------------------------------------------------------------
def _nx(view: GraphView) -> "nx.MultiGraph":
    import networkx as nx

    g = nx.MultiGraph()
    for node in view.nodes.values():
        g.add_node(node.id)
    for e in view.edges.values():
        g.add_edge(e.source, e.target, distance=0 if e.type == "listener" else 1)
    return g


def parse_focus(text: str) -> tuple[str, str | None, str]:
    parts = text.split("/")
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    if len(parts) == 2 and all(parts):
        return parts[0], None, parts[1]
    raise click.UsageError(f"--focus {text!r}: use KIND/NAMESPACE/NAME or KIND/NAME")


def focus(view: GraphView, text: str, radius: int = 2) -> GraphView:
    """The neighbourhood of the object named by `text` (networkx ego graph, undirected)."""
    import networkx as nx

    kind, namespace, name = parse_focus(text)
    centres = [n for n in view.nodes.values()
               if n.kind != "listener" and n.kind.lower() == kind.lower() and n.name == name
               and (namespace is None or n.namespace == namespace)]
    if not centres:
        same = sorted({f"{n.kind}/{n.namespace + '/' if n.namespace else ''}{n.name}"
                       for n in view.nodes.values() if n.name == name and n.kind != "listener"})
        hint = f" (found: {', '.join(same)})" if same else ""
        raise click.UsageError(f"--focus {text!r}: no such object in the graph{hint}")
    g = _nx(view)
    keep: set[str] = set()
    for centre in centres:
        keep |= set(nx.ego_graph(g, centre.id, radius=radius, undirected=True,
                                 distance="distance").nodes)
    return GraphView({k: n for k, n in view.nodes.items() if n.id in keep},
                     {k: e for k, e in view.edges.items()
                      if e.source in keep and e.target in keep})


# --- rendering ---------------------------------------------------------------------------------
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


RENDERERS = {"mermaid": render_mermaid, "dot": render_dot, "json": render_json}


def run_graph(paths: tuple[str, ...], fmt: str, focus_on: str | None, radius: int,
              output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint graph`: exit 0, or 2 for usage/configuration/internal errors (never 1)."""
    import traceback

    from gwlint.config import ConfigError
    from gwlint.engine import build_context
    from gwlint.runner import EXIT_CLEAN, EXIT_ERROR, build_config

    try:
        config, _ = build_config(paths, opts)
        view = build(build_context(config))
        if focus_on:
            view = focus(view, focus_on, radius)
        text = RENDERERS[fmt](view)
    except click.UsageError as exc:
        click.echo(f"gwlint: error: {exc.message}", err=True)
        return EXIT_ERROR
    except (ConfigError, ValueError) as exc:
        click.echo(f"gwlint: error: {exc}", err=True)
        return EXIT_ERROR
    except Exception:  # noqa: BLE001
        click.echo("gwlint: internal error, please report it with this trace:", err=True)
        click.echo(traceback.format_exc(), err=True)
        return EXIT_ERROR
    try:
        if output and output != "-":
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as exc:
        click.echo(f"gwlint: error: cannot write {output}: {exc.strerror}", err=True)
        return EXIT_ERROR
    return EXIT_CLEAN
