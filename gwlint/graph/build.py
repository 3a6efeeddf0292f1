"""`gwlint graph`, the model: a picture of the GatewayClass -> Gateway/listener -> Route ->
Service/Secret graph.

The graph is built from the same Context the rules see (the reference graph and
`gwlint.attachment`'s verdicts), so what it shows is what gwlint judges:

* GatewayClass -> Gateway (`gatewayClassName`), Gateway -> each listener, Gateway -> ListenerSet
  -> its listeners;
* listener -> Route for every listener that accepts the route (`attached`); a parentRef that
  attaches nowhere is a broken edge from its Gateway labelled with the reason the controller
  would give (NoMatchingParent, NotAllowedByListeners, NoMatchingListenerHostname);
* Route -> Service (backendRefs, request mirrors), listener -> Secret (certificateRefs), and the
  other references (CA certificates, policy targets, the parametersRef of a GatewayClass or of a
  Gateway's infrastructure);
* IngressClass -> Ingress -> Service/Secret (`ingressClass`, `ingressBackend`, `ingressTLS`;
  `resource:` backends and Kong plugins named by `konghq.com/plugins` too), so the Ingresses a
  migration replaces show beside the routes that replace them;
* broken edges: the target does not exist (a `missing` node), a cross-namespace reference no
  ReferenceGrant permits (`refused`), a parentRef that does not attach. They are dashed, red and
  labelled. Routes that attach to no listener at all are outlined in red (`unattached`); objects
  declared with --assume-exists/--gateway-class are `external`.

`--focus KIND/NAMESPACE/NAME` keeps the object's neighbourhood: the networkx ego graph of the
reference graph (`Context.graph`, undirected), the objects within `--radius` hops (default 2) in
either direction; a listener goes with its Gateway or ListenerSet (so a Gateway's routes are one
hop away, their Services two). Rendering is `gwlint.graph.render`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gwlint import attachment
from gwlint.context import Context
from gwlint.model import GATEWAY_GROUP, ROUTE_KINDS, ObjKey, Resource
from gwlint.refs import (BACKEND, CA_CERTIFICATE, CERTIFICATE, CLIENT_CERTIFICATE, GATEWAY_CLASS,
                         INGRESS_BACKEND, INGRESS_CLASS, INGRESS_GROUPS, INGRESS_TLS, KONG_GROUP,
                         KONG_PLUGIN, LISTENERSET_PARENT, MIRROR, PARAMETERS, PARENT,
                         POLICY_TARGET, PRODUCES, Ref)

# References no ReferenceGrant governs: a policy's targetRefs are local, a parametersRef is the
# cluster administrator's (a GatewayClass) or local (a Gateway's infrastructure).
_UNGRANTED = (POLICY_TARGET, PARAMETERS)
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
    """What `gwlint graph` draws: object nodes keyed by ObjKey, listener nodes keyed by
    ("listener", owner key, name), and edges; `context` holds the reference graph they show."""

    nodes: dict[Any, GNode] = field(default_factory=dict)  # key -> node
    # (source id, target id, type, label, broken) -> edge
    edges: dict[tuple[str, str, str, str | None, bool], GEdge] = field(default_factory=dict)
    context: Context | None = None

    def node_ids(self) -> set[str]:
        return {n.id for n in self.nodes.values()}


# --- building ----------------------------------------------------------------------------------
def _ident(*parts: str | None) -> str:
    text = "_".join(p for p in parts if p)
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", text)


class _Builder:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.view = GraphView(context=ctx)
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

    def _target_edge(self, src: GNode, ref: Ref, type_: str, from_kind: str | None = None) -> None:
        """src -> ref.target, broken when the target is missing or the reference is refused."""
        dst = self.obj(ref.target)
        if dst.missing:
            self.edge(src, dst, type_, "not found", True, "missing")
        elif ref.cross_namespace and ref.type not in _UNGRANTED \
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
        for ref in ctx.refs(POLICY_TARGET, PARAMETERS):
            self._target_edge(self.obj(ref.source.key), ref, ref.type)
        for ref in ctx.refs(PRODUCES):
            if ref.target in self.view.nodes:
                self.edge(self.obj(ref.source.key), self.view.nodes[ref.target], "produces",
                          "produces")
        self._ingresses()
        return self.view

    def _ingresses(self) -> None:
        """IngressClass -> Ingress -> Service/Secret (and `resource:` backends, Kong plugins):
        the Ingresses a migration replaces, beside the Gateway API objects that replace them."""
        ctx = self.ctx
        for group in INGRESS_GROUPS:
            for res in ctx.of_kind("Ingress", group):
                self.obj(res.key)
        for ref in ctx.refs(INGRESS_CLASS):
            cls, ingress = self.obj(ref.target), self.obj(ref.source.key)
            if cls.missing:
                self.edge(cls, ingress, "ingressClass", "IngressClass not found", True, "missing")
            else:
                self.edge(cls, ingress, "ingressClass")
        for ref in ctx.refs(INGRESS_BACKEND, INGRESS_TLS):
            self._target_edge(self.obj(ref.source.key), ref, ref.type)
        for ref in ctx.refs(KONG_PLUGIN):
            t = ref.target
            cluster = ObjKey(t.scope, KONG_GROUP, "KongClusterPlugin", None, t.name)
            if not ctx.exists(t) and ctx.exists(cluster):  # no KongPlugin: the cluster-wide one
                self.edge(self.obj(ref.source.key), self.obj(cluster), ref.type)
            else:
                self._target_edge(self.obj(ref.source.key), ref, ref.type)

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


def build_view(ctx: Context) -> GraphView:
    """The picture of the Context's references, with the attachment index's verdicts."""
    return _Builder(ctx).build()


# --- focus -------------------------------------------------------------------------------------
def parse_focus(text: str) -> tuple[str, str | None, str]:
    """(kind, namespace or None, name) of `--focus KIND/NAMESPACE/NAME` (or KIND/NAME); a
    ValueError, which the command runners print as a usage error, for anything else."""
    parts = text.split("/")
    if len(parts) == 3 and all(parts):
        return parts[0], parts[1], parts[2]
    if len(parts) == 2 and all(parts):
        return parts[0], None, parts[1]
    raise ValueError(f"--focus {text!r}: use KIND/NAMESPACE/NAME or KIND/NAME")


def focus(view: GraphView, text: str, radius: int = 2) -> GraphView:
    """The neighbourhood of the object named by `text` (networkx ego graph, undirected)."""
    # imported here to keep start-up fast: only --focus needs a graph algorithm
    import networkx as nx

    kind, namespace, name = parse_focus(text)
    centres = [key for key, n in view.nodes.items()
               if n.kind != "listener" and n.kind.lower() == kind.lower() and n.name == name
               and (namespace is None or n.namespace == namespace)]
    if not centres:
        same = sorted({f"{n.kind}/{n.namespace + '/' if n.namespace else ''}{n.name}"
                       for n in view.nodes.values() if n.name == name and n.kind != "listener"})
        hint = f" (found: {', '.join(same)})" if same else ""
        raise ValueError(f"--focus {text!r}: no such object in the graph{hint}")
    assert view.context is not None, "a view built by build_view"
    graph = view.context.graph
    near: set[Any] = set()
    for key in centres:
        near |= set(nx.ego_graph(graph, key, radius=radius, undirected=True).nodes)
    keep = {n.id for key, n in view.nodes.items()
            if (key[1] if n.kind == "listener" else key) in near}
    return GraphView({k: n for k, n in view.nodes.items() if n.id in keep},
                     {k: e for k, e in view.edges.items()
                      if e.source in keep and e.target in keep}, view.context)
