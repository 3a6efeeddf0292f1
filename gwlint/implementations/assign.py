"""Which conformance report judges each object: the chosen implementation, or per Gateway.

`--implementation NAME[@VERSION]` (or `implementation:` in the configuration) judges every object
against that report. Otherwise each Gateway is served by the implementation its GatewayClass's
`controllerName` names (`controllers.implementation_for`, exact names; the newest bundled report),
so a repository running two controllers is judged per Gateway:

* a Gateway by its class; a ListenerSet by its parent Gateway's;
* a route by the implementations of the Gateways (and ListenerSets) its parentRefs name;
* a route attached to a Service (mesh) only by the chosen implementation: no object of the
  files says which mesh runs;
* a BackendTLSPolicy by the implementations whose routes send traffic to the Services it targets,
  an XBackend by those whose routes name it; a ReferenceGrant (and either of those when no route
  reaches it) by every implementation serving a Gateway of its cluster (`--scope`).

A GatewayClass whose controllerName is unknown is listed in `unknown`, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlint.implementations.bundled import Report
from gwlint.implementations.controllers import implementation_for
from gwlint.implementations.detection import ANY_SCOPE, ROUTE_KINDS, route_scopes
from gwlint.implementations.features import GATEWAY, MESH
from gwlint.implementations.query import resolve
from gwlint.model import GATEWAY_GROUP, GATEWAY_X_GROUP, ObjKey, Resource, as_str
from gwlint.refs import (BACKEND, GATEWAY_CLASS, LISTENERSET_KINDS, LISTENERSET_PARENT, PARENT,
                         POLICY_TARGET)

if TYPE_CHECKING:
    from gwlint.context import Context

CONTROLLER_PATH = ("spec", "controllerName")


@dataclass(frozen=True, slots=True)
class Served:
    """A report in use, and why: the GatewayClass whose controllerName names the implementation,
    or None when the user chose it (`--implementation`, `implementation:`)."""

    report: Report
    gateway_class: Resource | None = None

    def via(self) -> str:
        """Where the implementation comes from, for messages."""
        if self.gateway_class is None:
            return "the chosen implementation (--implementation)"
        return (f"GatewayClass {self.gateway_class.name} (controllerName "
                f"{self.gateway_class.spec.get('controllerName')})")


class Assignment:
    """The reports that judge each object of a lint (built once per run, see `verdicts`)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        spec = ctx.options.implementation
        self.option = Served(resolve(spec)) if spec else None
        self.classes: dict[ObjKey, Served] = {}
        self.unknown: list[Resource] = []  # GatewayClasses of controllers gwlint does not know
        newest: dict[str, Report] = {}
        for gc in ctx.of_kind("GatewayClass"):
            name = implementation_for(gc.spec.get("controllerName"))
            if name is not None:
                if name not in newest:
                    newest[name] = resolve(name)
                self.classes[gc.key] = Served(newest[name], gc)
            elif self.option is None and as_str(gc.spec.get("controllerName")):
                self.unknown.append(gc)
        self._parents: dict[int, list[ObjKey]] | None = None
        self._listenerset_gateway: dict[ObjKey, ObjKey] | None = None
        self._backend_sources: dict[ObjKey, list[Resource]] | None = None
        self._policy_targets: dict[int, list[ObjKey]] | None = None
        self._by_scope: dict[str, tuple[Served, ...]] | None = None
        self._memo: dict[tuple[int, str], tuple[Served, ...]] = {}

    # --- what is in use ---------------------------------------------------------------------
    def in_use(self) -> list[Served]:
        """The option's report, or one Served per GatewayClass of a known controller."""
        return [self.option] if self.option is not None else list(self.classes.values())

    def reports(self) -> list[Report]:
        """The distinct reports in use."""
        return list({id(s.report): s.report for s in self.in_use()}.values())

    # --- per object ---------------------------------------------------------------------------
    def served(self, res: Resource, scope: str) -> tuple[Served, ...]:
        """The implementations that judge what `res` needs in `scope` (GATEWAY, MESH, ANY)."""
        if self.option is not None:
            return (self.option,)
        key = (id(res), scope)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = _distinct(self._served(res, scope))
        return found

    def served_any(self, res: Resource) -> tuple[Served, ...]:
        """The implementations that read `res` at all (every scope it has)."""
        if self.option is not None:
            return (self.option,)
        if res.kind == "GatewayClass":
            served = self.classes.get(res.key)
            return (served,) if served else ()
        if res.kind in ROUTE_KINDS:
            scopes: Iterable[str] = route_scopes(res)
        elif res.kind == "Gateway" or res.kind in LISTENERSET_KINDS:
            scopes = (GATEWAY,)
        else:
            scopes = (ANY_SCOPE,)
        return _distinct(s for scope in scopes for s in self.served(res, scope))

    def _served(self, res: Resource, scope: str) -> Iterable[Served]:
        if scope == MESH:
            return ()
        if scope == GATEWAY:
            if res.kind == "Gateway":
                return self.for_gateway(res.key)
            if res.kind in LISTENERSET_KINDS:
                return self.for_parent(res.key)
            return (s for parent in self.parents(res) for s in self.for_parent(parent))
        return self._readers(res)

    def for_gateway(self, key: ObjKey) -> tuple[Served, ...]:
        """The implementation of the Gateway `key` (by its class), if known."""
        gateway = self.ctx.get(key)
        if gateway is None:
            return ()
        refs = self.ctx.refs_from(gateway, GATEWAY_CLASS)
        served = self.classes.get(refs[0].target) if refs else None
        return (served,) if served else ()

    def for_parent(self, key: ObjKey) -> tuple[Served, ...]:
        """A Gateway's implementation, or that of a ListenerSet's parent Gateway."""
        if key.kind in LISTENERSET_KINDS and key.group in (GATEWAY_GROUP, GATEWAY_X_GROUP):
            if self._listenerset_gateway is None:
                self._listenerset_gateway = {r.source.key: r.target
                                             for r in self.ctx.refs(LISTENERSET_PARENT)}
            gateway = self._listenerset_gateway.get(key)
            return self.for_gateway(gateway) if gateway else ()
        return self.for_gateway(key) if (key.group, key.kind) == (GATEWAY_GROUP, "Gateway") else ()

    def parents(self, route: Resource) -> list[ObjKey]:
        """The objects a route's parentRefs name (defaults applied, as `refs` resolves them)."""
        if self._parents is None:
            self._parents = defaultdict(list)
            for ref in self.ctx.refs(PARENT):
                self._parents[id(ref.source)].append(ref.target)
        return self._parents.get(id(route), [])

    def _readers(self, res: Resource) -> tuple[Served, ...]:
        """Who reads a policy, backend or grant: the implementations of the routes that reach
        it, else every implementation serving a Gateway of its cluster."""
        routes: list[Resource] = []
        if res.kind == "BackendTLSPolicy":
            if self._policy_targets is None:
                self._policy_targets = defaultdict(list)
                for ref in self.ctx.refs(POLICY_TARGET):
                    self._policy_targets[id(ref.source)].append(ref.target)
            for target in self._policy_targets.get(id(res), ()):
                routes.extend(self._backend_index().get(target, ()))
        elif res.kind == "XBackend":
            routes = self._backend_index().get(res.key, [])
        found = _distinct(s for route in routes for s in self.served(route, GATEWAY))
        return found or self._scope_wide(res.scope)

    def _backend_index(self) -> dict[ObjKey, list[Resource]]:
        if self._backend_sources is None:
            self._backend_sources = defaultdict(list)
            for ref in self.ctx.refs(BACKEND):
                self._backend_sources[ref.target].append(ref.source)
        return self._backend_sources

    def _scope_wide(self, scope: str) -> tuple[Served, ...]:
        if self._by_scope is None:
            by: dict[str, list[Served]] = defaultdict(list)
            for gateway in self.ctx.of_kind("Gateway"):
                by[gateway.scope].extend(self.for_gateway(gateway.key))
            self._by_scope = {s: _distinct(v) for s, v in by.items()}
        return self._by_scope.get(scope, ())


def _distinct(served: Iterable[Served]) -> tuple[Served, ...]:
    """One Served per report (the first: its GatewayClass is the one named in findings)."""
    out: dict[str, Served] = {}
    for s in served:
        out.setdefault(s.report.id, s)
    return tuple(out.values())
