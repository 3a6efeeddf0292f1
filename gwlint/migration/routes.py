"""The Gateway API side of a migration: what the routes actually serve, indexed for lookups.

`GatewayIndex` (one per run, `gateway_index(ctx)`) answers, by dict lookups only:

* which HTTPRoute match serves a host and path on an HTTP or HTTPS listener (`serving`), with the
  spec's precedence: the most specific hostname first (exact, then wildcards from the longest,
  then routes and listeners without hostnames), then for that hostname an equivalent path match,
  the same path with another match type, or the longest PathPrefix covering the path;
* which routes *would* serve it but do not attach (`unattached`), and why;
* GRPCRoutes and Passthrough TLSRoutes by host; HTTPS listeners by the hostname they cover;
* which implementation policies target a route, Gateway or Service (`policies_for`).

Only accepted attachments (from `gwlint.attachment.index(ctx)`) on listeners that are not
Conflicted count as serving. Matches are normalised with the spec's defaults (a rule without
matches is `PathPrefix /`; a trailing `/` of a PathPrefix is ignored; header names are
case-insensitive), as in the traffic rules.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwlint import attachment
from gwlint.model import (
    CORE_GROUP,
    GATEWAY_GROUP,
    FieldPath,
    ObjKey,
    Resource,
    as_dict,
    as_list,
    as_str,
)
from gwlint.refs import BACKEND, Ref

if TYPE_CHECKING:
    from gwlint.attachment import Attachment, Listener
    from gwlint.context import Context

CACHE_KEY = "migration.gateway-index"
ANY_HOST = attachment.ANY_HOST
HTTP, HTTPS = "http", "https"

PREFIX, EXACT, REGEX = "PathPrefix", "Exact", "RegularExpression"
# How a lookup found its match (best first).
SAME = "same"                # an equivalent match (Prefix <-> PathPrefix, Exact <-> Exact, ...)
OTHER_TYPE = "other-type"    # the same path value with another match type
BROADER = "broader"          # a PathPrefix covering the path (a parent, or "/")
CONDITIONAL = "conditional"  # only matches with method/header/query conditions serve the path

POLICY_SKIP_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute",
                               "Gateway", "GatewayClass", "ListenerSet", "ReferenceGrant"})


# --- normalisation ----------------------------------------------------------------------------
def prefix_key(value: str) -> str:
    """PathPrefix values compare without a trailing '/' ("/abc/" == "/abc")."""
    return value.rstrip("/") or "/" if len(value) > 1 else value or "/"


def regex_key(value: str) -> str:
    """A path regex reduced for comparison: without `^`, a final `$` or `.*` (ingress-nginx
    anchors its regexes at the start and ingress2gateway appends `.*`)."""
    v = value.removeprefix("^")
    for suffix in ("$", ".*", "(.*)", "$"):
        if v.endswith(suffix) and len(v) > len(suffix):
            v = v[: -len(suffix)]
    return v


def parents(path: str) -> list[str]:
    """Element-wise PathPrefix values covering `path`, longest first: '/a/b' -> ['/a', '/']."""
    out = []
    p = prefix_key(path)
    while p != "/":
        p = p.rsplit("/", 1)[0] or "/"
        out.append(p)
    return out


def host_candidates(host: str | None) -> list[str]:
    """Route hostnames that serve `host`, most specific first: the host, the wildcards covering
    it from the longest, then "any host". An Ingress rule without host needs "any host"."""
    if host is None:
        return [ANY_HOST]
    h = host.lower()
    wild = h.startswith("*.")
    labels = (h[2:] if wild else h).split(".")
    out = [h]
    for i in range(1, len(labels)):
        out.append("*." + ".".join(labels[i:]))
    out.append(ANY_HOST)
    return out


# (lowercase name, match type, value) of header or query conditions, sorted
Pairs = tuple[tuple[str, str, str], ...]


def _headers(items: Any) -> Pairs:
    seen: dict[str, tuple[str, str, str]] = {}
    for item in as_list(items):
        item = as_dict(item)
        name = as_str(item.get("name"))
        if name is None:
            continue
        value = item.get("value")
        if not isinstance(value, str):
            value = json.dumps(value, sort_keys=True, default=str)
        seen.setdefault(name.lower(), (name.lower(), as_str(item.get("type"), EXACT) or EXACT,
                                       value))
    return tuple(sorted(seen.values()))


# policies_for: every policy of the target, whatever section its targetRef names
ANY_SECTION = object()


@dataclass(frozen=True, slots=True)
class Conditions:
    """Method, header and query conditions of a match (empty: every request)."""

    method: str | None = None
    headers: Pairs = ()
    query: Pairs = ()

    @property
    def empty(self) -> bool:
        return self.method is None and not self.headers and not self.query

    def text(self) -> str:
        parts = [self.method] if self.method else []
        parts += [f"header {n}{'=' if t == EXACT else '~'}{v}" for n, t, v in self.headers]
        parts += [f"query {n}{'=' if t == EXACT else '~'}{v}" for n, t, v in self.query]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class BackendRef:
    """One backendRefs item of a rule, with the spec's defaults (the reference graph's `Ref`, as
    the migration compares it: a negative weight counts as 0)."""

    group: str
    kind: str
    namespace: str | None
    name: str
    port: int | None
    weight: int
    path: FieldPath

    @classmethod
    def of(cls, ref: Ref) -> BackendRef:
        t = ref.target
        return cls(t.group, t.kind, t.namespace, t.name, ref.port, max(ref.weight, 0), ref.path)

    def label(self, route_ns: str | None) -> str:
        name = self.name if self.namespace == route_ns else f"{self.namespace}/{self.name}"
        if (self.group, self.kind) != (CORE_GROUP, "Service"):
            return f"{self.kind} {name}"
        return f"{name}:{self.port}" if self.port is not None else name


@dataclass(slots=True, eq=False)
class Serving:
    """One match of an HTTPRoute rule, as served on one scheme and effective hostname."""

    route: Resource
    rule_index: int
    match_index: int | None   # None: the rule has no matches (implicit PathPrefix /)
    ptype: str
    value: str                # as written (defaults applied)
    key: str                  # normalised value (prefix_key / regex_key / exact)
    conditions: Conditions
    scheme: str
    host: str                 # effective hostname (ANY_HOST: any)
    listener: Listener
    refs: tuple[Ref, ...]     # the rule's backendRefs (GatewayIndex.rule_refs)

    @property
    def rule(self) -> dict[str, Any]:
        return as_dict(as_list(self.route.spec.get("rules"))[self.rule_index])

    @property
    def rule_path(self) -> FieldPath:
        return ("spec", "rules", self.rule_index)

    @property
    def match_path(self) -> FieldPath:
        base = self.rule_path
        return base + ("matches", self.match_index) if self.match_index is not None else base

    def backends(self) -> list[BackendRef]:
        return [BackendRef.of(ref) for ref in self.refs]

    def filters(self) -> list[dict[str, Any]]:
        return [as_dict(f) for f in as_list(self.rule.get("filters"))]

    def describe(self) -> str:
        text = f"{self.ptype} '{self.value}'"
        return f"{text} ({self.conditions.text()})" if not self.conditions.empty else text

    def label(self) -> str:
        """"HTTPRoute shop/web rule 1 (PathPrefix '/cart')"."""
        return f"{self.route.label()} rule {self.rule_index} ({self.describe()})"


@dataclass(slots=True, eq=False)
class Lookup:
    """The result of a serving lookup: how the path was found and every acceptable match at
    the winning hostname and path (several when the route splits a path by method)."""

    how: str                     # SAME | OTHER_TYPE | BROADER | CONDITIONAL
    servings: list[Serving]

    @property
    def first(self) -> Serving:
        return self.servings[0]


def _matches(route: Resource, r: int, rule: dict[str, Any]
             ) -> list[tuple[int | None, str, str, Conditions]]:
    matches = rule.get("matches")
    if not isinstance(matches, list) or not matches:
        return [(None, PREFIX, "/", Conditions())]
    out: list[tuple[int | None, str, str, Conditions]] = []
    for m, match in enumerate(matches):
        match = as_dict(match)
        path = match.get("path")
        if path is None:
            ptype, value = PREFIX, "/"
        else:
            path = as_dict(path)
            ptype = as_str(path.get("type"), PREFIX) or PREFIX
            value = as_str(path.get("value"), "/") or "/"
        method = match.get("method")
        out.append((m, ptype, value, Conditions(as_str(method) if method is not None else None,
                                                _headers(match.get("headers")),
                                                _headers(match.get("queryParams")))))
    return out


def normalised(ptype: str, value: str) -> str:
    if ptype == PREFIX:
        return prefix_key(value)
    if ptype == REGEX:
        return regex_key(value)
    return value


def scheme_of(listener: Listener) -> str | None:
    """http for HTTP listeners, https for HTTPS ones (which always terminate TLS)."""
    return {"HTTP": HTTP, "HTTPS": HTTPS}.get(listener.protocol)


# --- the index --------------------------------------------------------------------------------
@dataclass(slots=True, eq=False)
class Unattached:
    """A route whose rule would serve a host and path, but which serves it on no listener."""

    route: Resource
    rule_index: int
    match_index: int | None
    reason: str                  # why, in words
    related_path: FieldPath      # the parentRef (or spec) to point at


class GatewayIndex:
    """What the Gateway API objects of one run serve, indexed by scope, scheme, host and path."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.att = attachment.index(ctx)
        # (scope, scheme, host, ptype, key) -> servings
        self._serving: dict[tuple[str, str, str, str, str], list[Serving]] = defaultdict(list)
        # (scope, host, ptype, key) -> (route, rule, match) of every HTTPRoute, attached or not
        self._written: dict[tuple[str, str, str, str],
                            list[tuple[Resource, int, int | None]]] = defaultdict(list)
        # (scope, scheme, host) and (scope, host) -> (route, attachment)
        self._grpc: dict[tuple[str, str, str],
                         list[tuple[Resource, Attachment]]] = defaultdict(list)
        self._passthrough: dict[tuple[str, str],
                                list[tuple[Resource, Attachment]]] = defaultdict(list)
        # (scope, host) -> listeners
        self._https: dict[tuple[str, str], list[Listener]] = defaultdict(list)
        # (scope, scheme, host) -> servings, built on first use of a host (`_host`)
        self._by_host: dict[tuple[str, str, str], list[Serving]] = {}
        # what `_host` and `_written_at` build from: cheap to collect, no match is read yet
        self._http_atts: dict[tuple[str, str, str], list[Attachment]] = defaultdict(list)
        self._routes_at: dict[tuple[str, str], list[Resource]] | None = None
        self._written_hosts: set[tuple[str, str]] = set()
        self._route_matches: dict[int, list[tuple[int, int | None, str, str, Conditions]]] = {}
        # (scope, group, kind, namespace, name) of a policy's target -> policies
        self._policies: dict[tuple[str, str, str, str | None, str],
                             list[tuple[Resource, str | None]]] | None = None
        self._build()

    def rule_refs(self, route: Resource) -> dict[int, tuple[Ref, ...]]:
        """The route's backendRefs by rule, from the reference graph."""
        by_rule: dict[int, list[Ref]] = defaultdict(list)
        for ref in self.ctx.refs_from(route, BACKEND):
            if ref.rule_index is not None:
                by_rule[ref.rule_index].append(ref)
        return {r: tuple(refs) for r, refs in by_rule.items()}

    def _build(self) -> None:
        """Index the attachments by host. The matches of an HTTPRoute are read only when a host it
        serves is looked up (`_host`): a repository's Ingresses name a few of its hosts, so the
        parity check costs what those hosts' routes cost, not what the whole repository does."""
        for att in self.att.accepted():
            ls = att.listener
            if self._conflicted(ls):
                continue
            route = att.route
            if route.kind == "HTTPRoute":
                scheme = scheme_of(ls)
                if scheme:
                    for host in att.hostnames:
                        self._http_atts[(route.scope, scheme, host.lower())].append(att)
            elif route.kind == "GRPCRoute":
                scheme = scheme_of(ls)
                if scheme:
                    for host in att.hostnames:
                        self._grpc[(route.scope, scheme, host.lower())].append((route, att))
            elif route.kind == "TLSRoute" and ls.protocol == "TLS" and ls.tls_mode == "Passthrough":
                for host in att.hostnames:
                    self._passthrough[(route.scope, host.lower())].append((route, att))
        for ls in self.att.all_listeners():
            if ls.protocol == "HTTPS" and not self._conflicted(ls):
                host = (ls.hostname or ANY_HOST).lower()
                self._https[(ls.owner.scope, host)].append(ls)

    def _matches_of(self, route: Resource) -> list[tuple[int, int | None, str, str, Conditions]]:
        """(rule, match, type, value, conditions) of every match of the route, read once."""
        found = self._route_matches.get(id(route))
        if found is None:
            found = [(r, m, ptype, value, cond)
                     for r, rule in enumerate(as_list(route.spec.get("rules")))
                     for m, ptype, value, cond in _matches(route, r, as_dict(rule))]
            self._route_matches[id(route)] = found
        return found

    def _host(self, scope: str, scheme: str, host: str) -> list[Serving]:
        """Every serving match with effective hostname `host` on `scheme` listeners, built on
        first use: per route, the first attachment that serves the host (in attachment order)."""
        key = (scope, scheme, host)
        found = self._by_host.get(key)
        if found is not None:
            return found
        found = self._by_host[key] = []
        seen: set[int] = set()
        for att in self._http_atts.get(key, ()):
            route = att.route
            if id(route) in seen:
                continue
            seen.add(id(route))
            refs = self.rule_refs(route)
            for r, m, ptype, value, cond in self._matches_of(route):
                norm = normalised(ptype, value)
                s = Serving(route, r, m, ptype, value, norm, cond, scheme, host, att.listener,
                            refs.get(r, ()))
                self._serving[(scope, scheme, host, ptype, norm)].append(s)
                found.append(s)
        return found

    def _written_at(self, scope: str, host: str) -> None:
        """Index, on first use of `host`, every match of the HTTPRoutes that name it (attached
        or not)."""
        if (scope, host) in self._written_hosts:
            return
        self._written_hosts.add((scope, host))
        if self._routes_at is None:  # only a path no route serves asks: index the hostnames then
            self._routes_at = defaultdict(list)
            for route in self.ctx.of_kind("HTTPRoute"):
                hosts = [h.lower() for _, h in attachment.route_hostnames(route)] or [ANY_HOST]
                for name in dict.fromkeys(hosts):
                    self._routes_at[(route.scope, name)].append(route)
        for route in self._routes_at.get((scope, host), ()):
            for r, m, ptype, value, _cond in self._matches_of(route):
                self._written[(scope, host, ptype, normalised(ptype, value))].append((route, r, m))

    def _conflicted(self, listener: Listener) -> bool:
        conflicted = getattr(self.att, "conflicted", None)
        return bool(conflicted(listener)) if conflicted is not None else False

    # --- lookups ------------------------------------------------------------------------------
    def at(self, scope: str, scheme: str, host: str, ptype: str, key: str) -> list[Serving]:
        """Every serving match with exactly this host (effective hostname) and match."""
        self._host(scope, scheme, host)
        return self._serving.get((scope, scheme, host, ptype, key), [])

    def serving(self, scope: str, scheme: str, host: str | None,
                same: Iterable[tuple[str, str]], other: Iterable[tuple[str, str]],
                broader_of: str | None,
                acceptable: Callable[[Serving], bool] | None = None) -> Lookup | None:
        """The match a request for `host` and a path gets on `scheme` listeners.

        `same`: (ptype, normalised value) pairs equivalent to the path; `other`: the same value
        with other match types; `broader_of`: the path whose PathPrefix parents cover it (None:
        a regex path, which no prefix is known to cover). `acceptable` says which conditions a
        match may have (default: none). Hostname specificity decides first, as in the spec.
        """
        accept = acceptable or (lambda s: s.conditions.empty)
        same, other = list(same), list(other)
        conditional: list[Serving] = []
        for h in host_candidates(host):
            if not self._host(scope, scheme, h):
                continue
            for how, keys in ((SAME, same), (OTHER_TYPE, other),
                              (BROADER, [(PREFIX, p) for p in self._parents(broader_of, same)])):
                for ptype, key in keys:
                    found = self.at(scope, scheme, h, ptype, key)
                    if not found:
                        continue
                    ok = [s for s in found if accept(s)]
                    if ok:
                        return Lookup(how, _dedupe(ok))
                    if how == SAME:
                        conditional.extend(found)
        return Lookup(CONDITIONAL, _dedupe(conditional)) if conditional else None

    @staticmethod
    def _parents(path: str | None, same: list[tuple[str, str]]) -> list[str]:
        if path is None:
            return []
        own = {k for t, k in same if t == PREFIX}
        cands = ([prefix_key(path)] if prefix_key(path) not in own else []) + parents(path)
        return [p for p in cands if p not in own]

    def listeners_of(self, s: Serving) -> list[Listener]:
        """Every listener of `s`'s scheme through which its route serves `s.host` (a route may
        attach to several; `Serving.listener` is the first)."""
        return [att.listener for att in self._http_atts.get((s.route.scope, s.scheme, s.host), ())
                if att.route is s.route]

    def unattached(self, scope: str, host: str | None,
                   keys: Iterable[tuple[str, str]]) -> list[Unattached]:
        """HTTPRoutes whose spec serves `host` with one of `keys` but that no listener serves it
        on, with the reason (from the attachment verdicts)."""
        out: list[Unattached] = []
        seen: set[int] = set()
        keys = list(keys)
        for h in host_candidates(host):
            self._written_at(scope, h)
            for ptype, key in keys:
                for route, r, m in self._written.get((scope, h, ptype, key), []):
                    if id(route) in seen:
                        continue
                    seen.add(id(route))
                    reason, path = self._why_not(route, host)
                    if reason:
                        out.append(Unattached(route, r, m, reason, path))
        return out

    def _why_not(self, route: Resource, host: str | None) -> tuple[str | None, FieldPath]:
        refs = as_list(route.spec.get("parentRefs"))
        if not refs:
            return "it has no parentRefs", ("spec",)
        verdicts = self.att.of_route(route)
        if not verdicts:
            return "its parentRefs name no Gateway or ListenerSet in the linted files", (
                "spec", "parentRefs")
        hosts = set(host_candidates(host))
        for v in verdicts:
            for a in v.candidates:
                if a.accepted and not self._conflicted(a.listener) and (
                        hosts & {x.lower() for x in a.hostnames}):
                    return None, ()
        v = verdicts[0]
        if v.accepted:
            what = host or "every host"
            return (f"it attaches to {v.parent.label()}, but no listener it attaches to admits "
                    f"{what}"), tuple(v.ref.path)
        if v.accepted is None:
            return f"its attachment to {v.parent.label()} cannot be decided", tuple(v.ref.path)
        return f"{v.parent.label()} refuses it ({v.reason})", tuple(v.ref.path)

    def grpc(self, scope: str, scheme: str, host: str | None) -> list[tuple[Resource, Attachment]]:
        for h in host_candidates(host):
            found = self._grpc.get((scope, scheme, h))
            if found:
                return found
        return []

    def passthrough(self, scope: str, host: str | None) -> list[tuple[Resource, Attachment]]:
        for h in host_candidates(host):
            found = self._passthrough.get((scope, h))
            if found:
                return found
        return []

    def https_listeners(self, scope: str, host: str) -> list[Listener]:
        """Every HTTPS listener whose hostname covers `host`, the most specific hostname first
        (the one a client's SNI selects first)."""
        out: list[Listener] = []
        for h in host_candidates(host):
            out += self._https.get((scope, h), [])
        return out

    def routes_on_host(self, scope: str, scheme: str, host: str) -> list[Serving]:
        """Every serving match whose effective hostname is exactly `host`."""
        return self._host(scope, scheme, host.lower())

    # --- implementation policies --------------------------------------------------------------
    def policies_for(self, target: Resource | ObjKey,
                     section: object = ANY_SECTION) -> list[Resource]:
        """Objects (not Gateway API routes or Gateways) whose spec.targetRef(s) name `target`:
        implementation policies, BackendTLSPolicy, ... With `section` (a route rule's or a
        listener's name, None when it has none), a targetRef with a sectionName counts only for
        that section (GEP-713: sectionName narrows a policy to one rule or listener)."""
        if self._policies is None:
            self._policies = defaultdict(list)
            for res in self.ctx.resources:
                if res.kind in POLICY_SKIP_KINDS and res.group == GATEWAY_GROUP:
                    continue
                spec = res.spec
                refs = as_list(spec.get("targetRefs"))
                if isinstance(spec.get("targetRef"), dict):
                    refs = refs + [spec["targetRef"]]
                for ref in refs:
                    ref = as_dict(ref)
                    name, kind = as_str(ref.get("name")), as_str(ref.get("kind"))
                    if name and kind:
                        group = as_str(ref.get("group"), "") or ""
                        ns = as_str(ref.get("namespace")) or res.namespace
                        self._policies[(res.scope, group, kind, ns, name)].append(
                            (res, as_str(ref.get("sectionName"))))
        key = target.key if isinstance(target, Resource) else target
        found = self._policies.get((key.scope, key.group, key.kind, key.namespace, key.name), [])
        out: list[Resource] = []
        seen: set[int] = set()
        for res, sec in found:
            if (sec is None or section is ANY_SECTION or sec == section) and id(res) not in seen:
                seen.add(id(res))
                out.append(res)
        return out

    def service(self, scope: str, namespace: str | None, name: str) -> Resource | None:
        return self.ctx.get(ObjKey(scope, CORE_GROUP, "Service", namespace, name))


def _dedupe(servings: list[Serving]) -> list[Serving]:
    out, seen = [], set()
    for s in servings:
        mark = (id(s.route), s.rule_index, s.match_index)
        if mark not in seen:
            seen.add(mark)
            out.append(s)
    return out


def gateway_index(ctx: Context) -> GatewayIndex:
    """The run's GatewayIndex (built on first use, cached in ctx.cache)."""
    idx = ctx.cache.get(CACHE_KEY)
    if idx is None:
        idx = ctx.cache[CACHE_KEY] = GatewayIndex(ctx)
    return idx

