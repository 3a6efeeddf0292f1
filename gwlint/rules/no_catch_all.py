"""No HTTPRoute rule matches every path of a hostname: requests outside the listed paths get 404.

An Ingress often had a `defaultBackend`, or a `/` path, that caught everything the other paths
did not. Gateway API has no default backend: "When no rules matching a request have been
successfully attached to the parent a request is coming from, a HTTP 404 status code MUST be
returned." After a migration that only copied the explicit paths, `/`, `/favicon.ico`,
`/healthz` and every forgotten path of the host return 404. A rule matches every path when it
has no `matches` (the default is `PathPrefix /`) or a match of `PathPrefix /` without method,
header or query conditions; a catch-all rule of a route on the same listener whose hostname
covers the host (a wildcard, or no hostname at all) counts too. Reported once per listener and
hostname, at the route hostname that serves it. Info by default: an API host may want 404s.

Where the repository still holds the Ingresses being migrated, gwlint knows what the catch-all
replaces: the message names the Ingress whose `defaultBackend` or `/` path (Prefix or
ImplementationSpecific) sent every other request of the host somewhere, with that field as a
related location and its backend in the hint (GW608 and GW601 report the same gap at the
Ingress). A host whose Ingresses had no catch-all is not reported: the Ingress controller answered
404 for its other paths too (ingress-nginx's default backend "handles all URL paths and hosts the
controller doesn't understand" and answers 404), and the Gateway API guide "Migrating from
Ingress" asks for a `PathPrefix /` rule only in place of a default backend. Hosts no Ingress
routed are reported as before.

Bad:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]   # only /cart is routed: every other path gets 404
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
    backendRefs: [{name: storefront, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
```

Fixed:

```yaml
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: web, namespace: shop}
spec:
  gatewayClassName: envoy
  listeners:
  - {name: http, port: 80, protocol: HTTP, hostname: "*.example.com"}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: storefront, namespace: shop}
spec:
  parentRefs: [{name: web}]
  hostnames: [shop.example.com]
  rules:
  - matches:
    - path: {type: PathPrefix, value: /cart}
    backendRefs: [{name: storefront, port: 8080}]
  - backendRefs:                 # no matches: PathPrefix / catches everything else
    - {name: storefront, port: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: storefront, namespace: shop}
spec: {ports: [{port: 8080}]}
```
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.attachment import ANY_HOST, Attachment, Listener
from gwlint.findings import Finding, Related
from gwlint.model import FieldPath, Resource
from gwlint.registry import rule
from gwlint.rules._attachment import listener_related
from gwlint.rules._migration import has_ingresses
from gwlint.rules._routes import (host_text, hostname_entry_path, is_catch_all, route_matches,
                                  sort_key)

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.migration import IngressInfo
    from gwlint.migration.ingress import Backend


def _has_catch_all(ctx: Context, route: Resource, cache: dict[int, bool]) -> bool:
    hit = cache.get(id(route))
    if hit is None:
        hit = cache[id(route)] = any(is_catch_all(m) for _, m, _ in route_matches(ctx, route))
    return hit


def _covered(host: str, caught: set[str]) -> bool:
    """Whether a catch-all on `host`, or on a hostname covering it, exists."""
    if host in caught or ANY_HOST in caught:
        return True
    wild = host.startswith("*.")
    labels = (host[2:] if wild else host).split(".")
    return any("*." + ".".join(labels[i:]) in caught
               for i in range(0 if wild else 1, len(labels)))


@rule("GW311", "no-catch-all", category="traffic", severity="info",
      summary="No rule of a hostname matches PathPrefix /: other paths get 404 (Ingress had a "
              "defaultBackend)")
def check(ctx: Context) -> Iterator[Finding]:
    idx = attachment.index(ctx)
    served: defaultdict[Listener, defaultdict[str, list[Attachment]]]
    served = defaultdict(lambda: defaultdict(list))  # listener -> host -> [attachments]
    caught: defaultdict[Listener, set[str]]
    caught = defaultdict(set)                        # listener -> hosts with a catch-all
    cache: dict[int, bool] = {}
    for att in idx.accepted():
        if att.route.kind != "HTTPRoute":
            continue
        catch_all = _has_catch_all(ctx, att.route, cache)
        for host in att.hostnames:
            h = host.lower()
            served[att.listener][h].append(att)
            if catch_all:
                caught[att.listener].add(h)
    ingresses = has_ingresses(ctx)  # a migration in progress
    if ingresses:
        # imported here to keep start-up fast: only a run with Ingresses asks what they routed
        from gwlint.migration import catch_all_sources, routed_by_ingress
    for ls, hosts in served.items():
        for host, atts in hosts.items():
            if _covered(host, caught[ls]):
                continue
            att = min(atts, key=lambda a: sort_key(a.route))
            sources = catch_all_sources(ctx, att.route.scope, host) if ingresses else []
            if not sources and ingresses and routed_by_ingress(ctx, att.route.scope, host):
                continue  # its Ingresses answered 404 for the other paths too
            routes = len({id(a.route) for a in atts})
            by = ("its route has no PathPrefix '/' rule" if routes == 1
                  else f"none of its {routes} routes has a PathPrefix '/' rule")
            message = (f"no rule for {host_text(host)} on {ls.label()} matches every path ({by}): "
                       f"requests to other paths get 404")
            hint = ("if the Ingress had a defaultBackend or a '/' path, add a rule without "
                    "matches (it matches PathPrefix '/') that sends everything else there")
            related = [listener_related(ls)]
            if sources:
                info, path = sources[0]
                what, backend = _catch_all(info, path)
                message += f", where {info.label()} sent them to {backend} ({what})"
                hint = (f"add a rule without matches (it matches PathPrefix '/') with backendRefs "
                        f"[{_backend_ref(ctx, info, path)}], the catch-all that replaces {what} "
                        f"of {info.label()}")
                related.insert(0, Related(f"{info.label()}: {what}", info.resource, path))
            yield Finding(message, resource=att.route, path=hostname_entry_path(att, host),
                          parent=att.ref.parent_dict(), listener=ls.name, hint=hint,
                          related=related)


def _backend_of(info: IngressInfo, path: FieldPath) -> Backend | None:
    if path[:2] in (("spec", "defaultBackend"), ("spec", "backend")):
        return info.default_backend
    return next((ip.backend for ip in info.paths if ip.json_path == path), None)


def _catch_all(info: IngressInfo, path: FieldPath) -> tuple[str, str]:
    """("its default backend" or "its '/' path", "storefront:8080") of a catch-all source."""
    backend = _backend_of(info, path)
    what = "its default backend" if path[:2] in (("spec", "defaultBackend"),
                                                 ("spec", "backend")) else "its '/' path"
    return what, backend.label() if backend is not None else "its backend"


def _backend_ref(ctx: Context, info: IngressInfo, path: FieldPath) -> str:
    """The backendRef of the catch-all rule: the Ingress backend, its port name resolved through
    the Service (a backendRef needs the number)."""
    # imported here to keep start-up fast: only a run with Ingresses gets here
    from gwlint.migration.replacements import resolve_port
    from gwlint.migration.routes import gateway_index

    backend = _backend_of(info, path)
    if backend is None or not backend.is_service:
        return "..."
    port = resolve_port(gateway_index(ctx), info.scope, backend)
    return f"{{name: {backend.name}, port: {port if port is not None else '...'}}}"
