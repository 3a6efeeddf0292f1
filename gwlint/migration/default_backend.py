"""Default-backend parity, and the Ingresses a catch-all route rule replaces (for GW311).

The Ingress `defaultBackend` "configures a backend that will respond to all unmatched HTTP
requests related to that Ingress resource. Gateway API does not have a direct equivalent: it is
necessary to define such a routing rule explicitly", a rule matching `PathPrefix /` (Gateway API
guide "Migrating from Ingress", Default Backend). A request no rule matches gets 404 from a
Gateway (HTTPRoute spec), and from ingress-nginx too when no Ingress sent it anywhere (its own
default backend "handles all URL paths and hosts the controller doesn't understand" and answers
404): so a host needs a catch-all rule exactly when one of its Ingresses had a default backend or
a `/` Prefix (or ImplementationSpecific) path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from gwlint.migration import replacements as rp
from gwlint.migration.ingress import IngressInfo, read
from gwlint.migration.results import (DEFAULT_BACKEND_DIFFERS, DEFAULT_BACKEND_MISSING, SERVED,
                                      AddResult)
from gwlint.migration.routes import ANY_HOST, PREFIX, GatewayIndex, host_candidates
from gwlint.model import FieldPath

if TYPE_CHECKING:
    from gwlint.context import Context

CATCH_ALLS_KEY = "migration.catch-alls"
HOSTS_KEY = "migration.ingress-hosts"


def check(gidx: GatewayIndex, info: IngressInfo, scheme_of: Callable[[str | None], str],
          add: AddResult) -> None:
    """For each host of the Ingress (or every host, when its rules name none), whether a route
    rule matching every path forwards to the default backend on the scheme the host was served
    on (`scheme_of(host)`)."""
    b = info.default_backend
    if b is None:
        return
    path = b.path[:2] if len(b.path) >= 2 else ("spec",)
    hosts: list[str | None] = [h for h in info.hosts() if h is not None] or [None]
    port = rp.resolve_port(gidx, info.scope, b)
    for host in hosts:
        scheme = scheme_of(host)
        found = gidx.serving(info.scope, scheme, host, [(PREFIX, "/")], [], None)
        what = host or "requests of any host"
        common = {"host": host, "scheme": scheme, "catch_all": True}
        if found is None:
            add(DEFAULT_BACKEND_MISSING, "warning",
                f"{info.label()} sent every other request for {what} to its default backend "
                f"{b.label()}; no route has a catch-all rule (PathPrefix '/') for it on "
                f"{scheme.upper()}: those requests get 404", info, path,
                hint=f"a rule without matches (it matches PathPrefix '/') and backendRefs "
                     f"[{{name: {b.name}, port: {port or '...'}}}]", **common)
            continue
        s = found.first
        if any(x.namespace == b.namespace and x.name == b.name and x.weight > 0
               and (port is None or x.port == port) for x in s.backends()):
            add(SERVED, "info", f"the default backend of {info.label()} for {what} is served by "
                f"{s.label()}", info, path, related=[rp.rel(s)], **common)
        else:
            names = ", ".join(x.label(s.route.namespace) for x in s.backends()) or "nothing"
            add(DEFAULT_BACKEND_DIFFERS, "warning",
                f"{info.label()} sent every other request for {what} to {b.label()}; the "
                f"catch-all {s.label()} sends them to {names}", info, path,
                related=[rp.rel(s)], **common)


def _is_catch_all_path(path: str, path_type: str) -> bool:
    return path in ("", "/") and path_type != "Exact"


# (scope, Ingress host; None: a rule without host, every host)
_HostKey = tuple[str, str | None]


def _tables(ctx: Context) -> tuple[dict[_HostKey, list[tuple[IngressInfo, FieldPath]]],
                                   set[_HostKey]]:
    """(scope, host) -> [(Ingress, JSON path)] of catch-alls, and every (scope, host) an Ingress
    routes (host None: a rule without host, every host). Canary Ingresses only add backends to
    their main Ingress's paths: they are no catch-all of their own."""
    catch_alls = ctx.cache.get(CATCH_ALLS_KEY)
    hosts = ctx.cache.get(HOSTS_KEY)
    if catch_alls is None or hosts is None:
        catch_alls, hosts = defaultdict(list), set()
        for info in read(ctx).ingresses:
            if info.canary:
                continue
            for h in info.hosts():
                hosts.add((info.scope, h))
            if info.default_backend is not None:
                for h in info.hosts() or [None]:
                    catch_alls[(info.scope, h)].append((info, info.default_backend.path[:2]))
                    hosts.add((info.scope, h))
            for ip in info.paths:
                if _is_catch_all_path(ip.path, ip.effective_type):
                    catch_alls[(info.scope, ip.host)].append((info, ip.json_path))
        ctx.cache[CATCH_ALLS_KEY], ctx.cache[HOSTS_KEY] = catch_alls, hosts
    return catch_alls, hosts


def _keys(scope: str, host: str) -> list[tuple[str, str | None]]:
    """The Ingress hosts that routed requests for `host`: itself, the wildcards covering it,
    and rules without host."""
    return [(scope, None if h == ANY_HOST else h) for h in host_candidates(host.lower())]


def catch_all_sources(ctx: Context, scope: str, host: str) -> list[tuple[IngressInfo, FieldPath]]:
    """Ingresses that sent every path of `host` somewhere (a defaultBackend, or a '/' Prefix or
    ImplementationSpecific path), with the JSON path to name: what a catch-all HTTPRoute rule for
    `host` replaces (GW311 says "replaces Ingress shop/web")."""
    catch_alls, _ = _tables(ctx)
    out: list[tuple[IngressInfo, FieldPath]] = []
    for key in _keys(scope, host):
        out += catch_alls.get(key, [])
    return out


def routed_by_ingress(ctx: Context, scope: str, host: str) -> bool:
    """Whether an Ingress of the scope routed requests for `host` (by its name, a wildcard or a
    rule without host)."""
    _, hosts = _tables(ctx)
    return any(key in hosts for key in _keys(scope, host))
