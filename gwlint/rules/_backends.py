"""Small helpers shared by the backendRef rules (registers no rule)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from gwlint import status
from gwlint.model import CORE_GROUP, Resource, as_list, as_str
from gwlint.refs import BACKEND, MIRROR, PortTable, Ref, run_port_table

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.status.refcheck import RefProblem

_PROBLEMS = "references.backend_problems"

SERVICE = (CORE_GROUP, "Service")


def backend_refs(ctx: Context) -> Iterator[Ref]:
    """Every route backendRef and RequestMirror backendRef."""
    yield from ctx.refs(BACKEND, MIRROR)


def backend_problems(ctx: Context) -> list[tuple[Ref, RefProblem]]:
    """(backendRef, why it does not resolve) for the backend_refs the status model finds a
    problem with, in backend_refs order. Built once per run: most backendRefs resolve, and the
    backend rules look only at those that do not."""
    cached: list[tuple[Ref, RefProblem]] | None = ctx.cache.get(_PROBLEMS)
    if cached is None:
        model = status.model(ctx)
        cached = ctx.cache[_PROBLEMS] = [
            (ref, problem) for ref, problem in ((r, model.reference(r)) for r in backend_refs(ctx))
            if problem is not None]
    return cached


def service_problems(ctx: Context) -> Iterator[tuple[Ref, RefProblem]]:
    """backend_problems of the backendRefs that point at a core Service (service_refs)."""
    for ref, problem in backend_problems(ctx):
        if (ref.target.group, ref.target.kind) == SERVICE:
            yield ref, problem


def service_refs(ctx: Context) -> Iterator[Ref]:
    """The backendRefs (and mirror backendRefs) that point at a core Service."""
    for ref in backend_refs(ctx):
        if (ref.target.group, ref.target.kind) == SERVICE:
            yield ref


def ref_label(ref: Ref) -> str:
    """How the user names this reference in a message."""
    return "requestMirror backendRef" if ref.type == MIRROR else "backendRef"


def service_ports(service: Resource) -> list[dict[str, Any]]:
    """The Service's spec.ports entries (well-typed ones only)."""
    return [p for _, p in indexed_ports(service)]


def indexed_ports(service: Resource) -> list[tuple[int, dict[str, Any]]]:
    """(index in spec.ports, entry) for the well-typed entries, for precise related paths."""
    return [(i, p) for i, p in enumerate(as_list(service.spec.get("ports"))) if isinstance(p, dict)]


def port_protocol(port: dict[str, Any]) -> str:
    """A Service port's protocol; Kubernetes defaults an unset protocol to TCP."""
    return as_str(port.get("protocol")) or "TCP"


def required_protocol(ref: Ref) -> str:
    """The transport a route kind forwards over: UDP for UDPRoute, TCP for every other route."""
    return "UDP" if ref.source.kind == "UDPRoute" else "TCP"


def describe_ports(ports: list[dict[str, Any]]) -> str:
    """'80 (http), 443/UDP' for hints: port, name, and protocol when not TCP."""
    shown = []
    for p in ports:
        text = str(p.get("port"))
        if port_protocol(p) != "TCP":
            text += f"/{port_protocol(p)}"
        if as_str(p.get("name")):
            text += f" ({p['name']})"
        shown.append(text)
    return ", ".join(shown) or "none"


def service_ports_of(ctx: Context, ref: Ref) -> tuple[Resource, PortTable] | None:
    """(Service, port number -> entries) for a ported backendRef whose Service is in the
    repository and has checkable ports (not produced elsewhere, not ExternalName). Built once
    per Service per run: many routes point at one Service and must not rescan its ports."""
    if ref.port is None:
        return None
    service = ctx.get(ref.target)
    table = run_port_table(ctx.cache, ref.target, service)
    return (service, table) if service is not None and table is not None else None

