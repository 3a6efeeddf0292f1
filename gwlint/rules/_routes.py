"""Shared route-rule helpers for the traffic and conflict rules (registers no rule).

* `route_rules(ctx)`: every rule of every route with its backendRefs as `Backend` items (the
  written weight, whether the author wrote it, the resolved `Ref`), built once per run.
* `match_keys(route, rule)` / `rule_matches` / `route_matches`: the normalized matches of a rule,
  with the spec's defaults applied, so two matches are equal exactly when a conformant
  controller treats them as the same match (cached per route).
* `HostIndex` (from `gwlint.attachment`): "which route serves a hostname overlapping this
  one" by dict lookups.
* `user_path(res, path)`: a path trimmed to what the author wrote (CRD defaulting adds fields
  such as `matches` that have no line in the file).
* `outcome(kind)`: what happens, per route kind, to traffic that cannot be forwarded.
* `pct()`: percentages as users read them (98.9%, 1.1%, 0.01%).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gwlint.attachment import (ANY_HOST, Attachment, hostname_intersection,
                               route_hostnames)
from gwlint.attachment import HostIndex as HostIndex  # re-exported: the route rules' helper
from gwlint.findings import FieldPath
from gwlint.model import CORE_GROUP, ROUTE_KINDS, Resource, as_dict, as_int, as_list, as_str
from gwlint.refs import BACKEND, Ref

if TYPE_CHECKING:
    from gwlint.context import Context

CATCH_ALL_PATH = ("PathPrefix", "/")
# A normalized match: ("HTTPRoute", (path type, value), method, headers, query) or
# ("GRPCRoute", (method type, service, method) | None, headers); equal for equal matches.
MatchKey = tuple[Any, ...]


def user_path(res: Resource, path: FieldPath) -> FieldPath:
    """`path` cut before the first step that CRD defaulting added (the author's text has it not)."""
    for n in range(1, len(path) + 1):
        if tuple(path[:n]) in res.defaulted:
            return tuple(path[:n - 1])
    return tuple(path)


# --- backends ---------------------------------------------------------------------------------
@dataclass(slots=True, eq=False)
class Backend:
    """One backendRefs item of a route rule."""

    index: int
    raw: dict[str, Any]
    path: FieldPath      # ("spec", "rules", r, "backendRefs", b)
    weight: int          # the effective weight (1 when unset)
    explicit: bool       # the author wrote `weight`
    ref: Ref | None      # None when the item has no usable name

    @property
    def name(self) -> str:
        """How messages name the backend: 'storefront', 'payments/payments' across namespaces."""
        if self.ref is None:
            return as_str(self.raw.get("name"), "?") or "?"
        t = self.ref.target
        return f"{t.namespace}/{t.name}" if self.ref.cross_namespace else t.name

    @property
    def weight_path(self) -> FieldPath:
        return self.path + ("weight",)


@dataclass(slots=True, eq=False)
class RouteRule:
    """One rule of a route with its backendRefs."""

    route: Resource
    index: int
    raw: dict[str, Any]
    backends: list[Backend]

    @property
    def path(self) -> FieldPath:
        return ("spec", "rules", self.index)

    @property
    def backend_refs_path(self) -> FieldPath:
        return self.path + ("backendRefs",)

    @property
    def total_weight(self) -> int:
        return sum(b.weight for b in self.backends)

    def label(self) -> str:
        """"rule 0" or "rule 0 ('cart')" when the rule has a name."""
        name = as_str(self.raw.get("name"))
        return f"rule {self.index} ('{name}')" if name else f"rule {self.index}"


def _shared(ctx: Context) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """One copy of each equal tuple (paths, match keys) for the run: at 100,000 resources the
    per-item copies were tens of MB."""
    shared: dict[tuple[Any, ...], tuple[Any, ...]] = ctx.cache.setdefault("routes.shared", {})
    return shared


def route_rules(ctx: Context) -> list[RouteRule]:
    """Every rule of every route (Gateway API route kinds), built once per run."""
    cached: list[RouteRule] | None = ctx.cache.get("routes.rules")
    if cached is not None:
        return cached
    shared = _shared(ctx)
    rules = []
    for route in ctx.kinds(ROUTE_KINDS):
        defaulted = route.defaulted
        refs = {ref.path: ref for ref in ctx.refs_from(route, BACKEND)}
        for r, raw_rule in enumerate(as_list(route.spec.get("rules"))):
            raw = as_dict(raw_rule)
            backends = []
            for b, raw_item in enumerate(as_list(raw.get("backendRefs"))):
                item = as_dict(raw_item)
                path: FieldPath = ("spec", "rules", r, "backendRefs", b)
                path = shared.setdefault(path, path)
                weight = as_int(item.get("weight"))
                explicit = "weight" in item and path + ("weight",) not in defaulted
                backends.append(Backend(b, item, path, 1 if weight is None else max(weight, 0),
                                        explicit, refs.get(path)))
            rules.append(RouteRule(route, r, raw, backends))
    ctx.cache["routes.rules"] = rules
    return rules


def filter_types(raw_rule: dict[str, Any]) -> list[str]:
    """The `type` of each rule-level filter."""
    return [as_str(as_dict(f).get("type"), "") or "" for f in as_list(raw_rule.get("filters"))]


# Filters that answer the request themselves, so the rule needs no backend: the core
# RequestRedirect, and a direct-response filter type should a release define one (v1.6.1 has
# none; implementation-specific direct responses are ExtensionRef filters).
TERMINAL_FILTERS = frozenset({"RequestRedirect", "DirectResponse"})


def terminal_filter(raw_rule: dict[str, Any]) -> str | None:
    for t in filter_types(raw_rule):
        if t in TERMINAL_FILTERS:
            return t
    return None


def is_service(ref: Ref) -> bool:
    return (ref.target.group, ref.target.kind) == (CORE_GROUP, "Service")


# --- what happens to traffic that cannot be forwarded -----------------------------------------
@dataclass(frozen=True, slots=True)
class Outcome:
    unit: str       # "requests"
    fate: str       # "get HTTP 500" (plural)
    one: str        # "request"
    fate_one: str   # "gets HTTP 500" (singular)


_OUTCOMES = {
    "HTTPRoute": Outcome("requests", "get HTTP 500", "request", "gets HTTP 500"),
    "GRPCRoute": Outcome("requests", "get gRPC status UNAVAILABLE", "request",
                         "gets gRPC status UNAVAILABLE"),
    "TLSRoute": Outcome("connections", "are rejected", "connection", "is rejected"),
    "TCPRoute": Outcome("connections", "are rejected", "connection", "is rejected"),
    "UDPRoute": Outcome("packets", "are dropped", "packet", "is dropped"),
}


_OTHER_OUTCOME = Outcome("requests", "fail", "request", "fails")


def outcome(kind: str) -> Outcome:
    """What the spec says happens to traffic a route rule cannot forward, per route kind."""
    return _OUTCOMES.get(kind, _OTHER_OUTCOME)


def pct(part: float, total: float) -> str:
    """98.9%, 1.1%, 25%, 0.01%: one decimal, more only when it would otherwise round to 0/100."""
    if total <= 0:
        return "0%"
    value = 100.0 * part / total
    for digits in (1, 2, 3, 4):
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        if text not in ("0", "100") or value in (0.0, 100.0):
            return text + "%"
    return f"{value:.2g}%"


def ratio(weights: list[int]) -> str:
    """"90:1"."""
    return ":".join(str(w) for w in weights)


# --- matches ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Match:
    """One normalized match of a rule: `key` is equal for matches a controller treats as one."""

    key: MatchKey
    index: int | None   # index in rule.matches; None for the implicit match of a rule without
    path: FieldPath     # path of the match item, trimmed to what the author wrote

    @property
    def text(self) -> str:
        """Human description: "PathPrefix '/cart', GET, header x-env=canary"."""
        return _describe(self.key[0], self.key)


def _headers(items: Any, lower: bool) -> tuple[tuple[str, str, str], ...]:
    """Header/query matches: the first entry of each name counts (spec), order is irrelevant."""
    if not items:
        return ()
    seen: dict[str, tuple[str, str, str]] = {}
    for entry in as_list(items):
        item = as_dict(entry)
        name = as_str(item.get("name"))
        if name is None:
            continue
        norm = name.lower() if lower else name
        if norm not in seen:
            value = item.get("value")
            if not isinstance(value, str):
                value = json.dumps(value, sort_keys=True, default=str)
            seen[norm] = (norm, as_str(item.get("type"), "Exact") or "Exact", value)
    return tuple(sorted(seen.values()))


def _http_path(match: dict[str, Any]) -> tuple[str, str]:
    if match.get("path") is None:
        return CATCH_ALL_PATH
    path = as_dict(match.get("path"))
    ptype = as_str(path.get("type"), "PathPrefix") or "PathPrefix"
    value = path.get("value", "/")
    value = value if isinstance(value, str) else json.dumps(value, default=str)
    if ptype == "PathPrefix" and len(value) > 1:
        # "a trailing `/` is ignored": /abc and /abc/ are the same prefix
        value = value.rstrip("/") or "/"
    return ptype, value


def _describe(kind: str, key: MatchKey) -> str:
    parts: list[str] = []
    if kind == "GRPCRoute":
        method = key[1]
        if method is None:
            parts.append("every service and method")
        else:
            mtype, service, name = method
            target = "/".join(p for p in (service, name) if p) or "?"
            parts.append(f"method {target}" + ("" if mtype == "Exact" else f" ({mtype})"))
        headers: tuple[Any, ...] = key[2]
        query: tuple[Any, ...] = ()
    else:
        (ptype, pvalue), method, headers, query = key[1], key[2], key[3], key[4]
        parts.append(f"{ptype} '{pvalue}'")
        if method:
            parts.append(str(method))
    for name, htype, value in headers:
        parts.append(f"header {name}{'=' if htype == 'Exact' else '~'}{value}")
    for name, qtype, value in query:
        parts.append(f"query {name}{'=' if qtype == 'Exact' else '~'}{value}")
    return ", ".join(parts)


def _key(kind: str, match: dict[str, Any]) -> MatchKey:
    if kind == "GRPCRoute":
        mkey: tuple[str, str, str] | None = None
        if match.get("method") is not None:
            method = as_dict(match.get("method"))
            mkey = (as_str(method.get("type"), "Exact") or "Exact",
                    as_str(method.get("service"), "") or "", as_str(method.get("method"), "") or "")
            if mkey[1:] == ("", ""):
                mkey = None  # matches every service and method
        return ("GRPCRoute", mkey, _headers(match.get("headers"), lower=True))
    http_method = match.get("method")
    return ("HTTPRoute", _http_path(match),
            as_str(http_method) if http_method is not None else None,
            _headers(match.get("headers"), lower=True),
            _headers(match.get("queryParams"), lower=False))


def match_keys(route: Resource, rule_index: int, raw_rule: dict[str, Any],
               shared: dict[tuple[Any, ...], tuple[Any, ...]]) -> list[Match]:
    """The normalized matches of a rule (HTTPRoute, GRPCRoute). A rule without matches has one
    implicit match: PathPrefix "/" (HTTPRoute) or every method (GRPCRoute). Keys and paths are
    taken from `shared`, one copy per distinct value."""
    kind = route.kind
    base: FieldPath = ("spec", "rules", rule_index)
    matches = raw_rule.get("matches")
    defaulted = route.defaulted
    if (not isinstance(matches, list) or not matches
            or (defaulted and (base + ("matches",) in defaulted
                               or ("spec", "rules") in defaulted))):
        key, path = _key(kind, {}), user_path(route, base + ("matches",))
        return [Match(shared.setdefault(key, key), None, shared.setdefault(path, path))]
    out = []
    for m, match in enumerate(matches):
        key, path = _key(kind, as_dict(match)), base + ("matches", m)
        out.append(Match(shared.setdefault(key, key), m, shared.setdefault(path, path)))
    return out


def is_catch_all(match: Match) -> bool:
    """An HTTPRoute match that every request satisfies: PathPrefix "/" and nothing else."""
    return match.key == ("HTTPRoute", CATCH_ALL_PATH, None, (), ())


# --- hostnames --------------------------------------------------------------------------------
def host_text(host: str) -> str:
    """"'shop.example.com'", or "any host (no hostnames)" for ANY_HOST."""
    return "any host (no hostnames)" if host == ANY_HOST else f"'{host}'"


def hostname_entry_path(att: Attachment, host: str) -> FieldPath:
    """Path of the route's spec.hostnames entry that yields the effective `host` on the
    attachment's listener; the parentRef when the route names no hostname (the listener's)."""
    route = att.route
    for i, h in route_hostnames(route):
        hit = hostname_intersection(att.listener.hostname, h)
        if hit is not None and hit.lower() == host.lower():
            return ("spec", "hostnames", i)
    return tuple(att.ref.path)


def rule_matches(ctx: Context, route: Resource) -> list[list[Match]]:
    """The matches of every rule of an HTTPRoute/GRPCRoute, computed once per run."""
    table: dict[int, list[list[Match]]] = ctx.cache.setdefault("routes.rule-matches", {})
    out = table.get(id(route))
    if out is None:
        shared = _shared(ctx)
        out = table[id(route)] = [match_keys(route, r, as_dict(raw), shared)
                                  for r, raw in enumerate(as_list(route.spec.get("rules")))]
    return out


def route_matches(ctx: Context, route: Resource) -> list[tuple[int, Match, int]]:
    """(rule index, match, match id) of an HTTPRoute/GRPCRoute, first occurrence of each match
    key only (a repeated match inside one route is GW306's business), cached per route. The
    match id is the same int for equal keys across all routes of the run: index by it instead of
    re-hashing the nested key tuples."""
    table: dict[int, list[tuple[int, Match, int]]] = ctx.cache.setdefault("routes.matches", {})
    out = table.get(id(route))
    if out is None:
        ids: dict[MatchKey, int] = ctx.cache.setdefault("routes.match-ids", {})
        out, seen = [], set()
        for r, matches in enumerate(rule_matches(ctx, route)):
            for m in matches:
                kid = ids.setdefault(m.key, len(ids))
                if kid not in seen:
                    seen.add(kid)
                    out.append((r, m, kid))
        table[id(route)] = out
    return out


def where(rule_index: int, match: Match) -> str:
    """"match 0 of rule 1", or "rule 1" for the implicit match of a rule without matches."""
    return (f"rule {rule_index}" if match.index is None
            else f"match {match.index} of rule {rule_index}")


def sort_key(res: Resource) -> tuple[str, str, str, str]:
    """Deterministic order of routes: namespace/name (the spec's last tie-breaker)."""
    return (res.scope, res.namespace or "", res.name, res.kind)
