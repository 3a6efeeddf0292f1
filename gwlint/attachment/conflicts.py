"""Listener conflicts, per Gateway over its merged listener list.

`ProtocolConflict` when HTTP, TLS-based (HTTPS/TLS) and TCP listeners share a port, or an HTTPS
and a TLS listener share port and hostname; `HostnameConflict` when listeners of different
owners (Gateway/ListenerSets) share port, protocol and hostname (no hostname is a value);
`OverlappingHostnames` (condition OverlappingTLSConfig) when TLS-terminating listeners on one
port have hostnames some request host matches both. Listeners are judged in precedence order: one
that conflicts with an accepted listener of an earlier owner loses alone; inside one owner every
conflicting listener left is conflicted; across owners only the one merged later (the Gateway
first, then ListenerSets by creation time, then namespace/name: `AttachmentIndex.listeners`).
Duplicates inside one owner are CEL errors and left to the schema stage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from gwlint import precedence
from gwlint.attachment.listeners import Listener
from gwlint.model import Resource

PROTOCOL_CONFLICT = "ProtocolConflict"
HOSTNAME_CONFLICT = "HostnameConflict"
OVERLAPPING_HOSTNAMES = "OverlappingHostnames"

# Listeners of these classes cannot share a port: plaintext HTTP, TLS (HTTPS and TLS share the
# TLS handshake and are told apart by SNI, which the spec allows when their hostnames differ),
# raw TCP. UDP is another transport and shares ports with all of them.
_PROTOCOL_CLASS = {"HTTP": "http", "HTTPS": "tls", "TLS": "tls", "TCP": "tcp"}


@dataclass(slots=True, eq=False)
class ListenerConflict:
    """`listener` is rejected (Conflicted=True `reason`, or OverlappingTLSConfig=True) because of
    `other`. `order_dependent`: both are listeners of different ListenerSets and a
    creationTimestamp that would order them is not in the files, so which one loses cannot be
    decided (`listener` is the one that loses when both are created in the same second)."""

    reason: str                # ProtocolConflict | HostnameConflict | OverlappingHostnames
    listener: Listener
    other: Listener
    gateway: Resource
    order_dependent: bool = False


def _undecided(ls: Listener, other: Listener) -> bool:
    """Whether the precedence of two listeners' owners is unknown: two ListenerSets without the
    creationTimestamps that order them (the Gateway always comes first)."""
    return (other.owner is not ls.owner and ls.from_listenerset and other.from_listenerset
            and precedence.wins(other.owner, ls.owner) is None)


def _owners_in_order(merged: list[Listener]) -> list[list[Listener]]:
    """The merged listener list split per owner, in precedence order."""
    groups: list[list[Listener]] = []
    for ls in merged:
        if groups and groups[-1][0].owner is ls.owner:
            groups[-1].append(ls)
        else:
            groups.append([ls])
    return groups


# (port, protocol class) or (port, protocol, hostname)
_PortKey = tuple[int | None, str] | tuple[int | None, str, str]


def _protocol_keys(ls: Listener) -> tuple[list[_PortKey], list[_PortKey]] | None:
    """(the keys a listener holds, the keys that conflict with it); None: not a protocol that
    shares ports by class (UDP, custom protocols)."""
    cls = _PROTOCOL_CLASS.get(ls.protocol)
    if cls is None:
        return None
    own: list[_PortKey] = [(ls.port, cls)]
    conflicting: list[_PortKey] = [(ls.port, c) for c in ("http", "tls", "tcp") if c != cls]
    if cls == "tls":
        own.append((ls.port, ls.protocol, ls.hostname or ""))
        twin = "TLS" if ls.protocol == "HTTPS" else "HTTPS"
        conflicting.append((ls.port, twin, ls.hostname or ""))
    return own, conflicting


def _protocol_conflicts(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """Listeners of one port whose protocols cannot share it: HTTP, TLS-based (HTTPS/TLS) and
    TCP exclude each other; HTTPS and TLS coexist when SNI tells them apart, i.e. unless they
    have the same hostname (both without hostname included: conformance test
    GatewayListenerProtocolAndRouteKindConflicts).

    In precedence order (the Gateway's listeners, then each ListenerSet's): a listener that
    conflicts with an accepted listener of an owner of higher precedence loses alone
    (ListenerSetProtocolConflict: a ListenerSet's TCP listener on the Gateway's HTTP port is
    Conflicted, its HTTP listeners on that port are not); inside one owner, the listeners left
    that conflict with each other are all conflicted (the spec: no winner)."""
    accepted: dict[_PortKey, Listener] = {}  # keys of the accepted listeners of earlier owners
    for group in _owners_in_order(merged):
        fresh: list[tuple[Listener, list[_PortKey], list[_PortKey]]] = []
        for ls in group:
            keys = _protocol_keys(ls)
            if keys is None:
                continue
            other = next((accepted[k] for k in keys[1] if k in accepted), None)
            if other is not None:
                yield ListenerConflict(PROTOCOL_CONFLICT, ls, other, gateway,
                                       _undecided(ls, other))
            else:
                fresh.append((ls, *keys))
        own: dict[_PortKey, Listener] = {}
        for ls, holds, _ in fresh:
            for key in holds:
                own.setdefault(key, ls)
        refused: set[Listener] = set()
        for ls, _, conflicting in fresh:
            other = next((own[k] for k in conflicting if k in own), None)
            if other is not None:
                refused.add(ls)
                yield ListenerConflict(PROTOCOL_CONFLICT, ls, other, gateway)
        for ls, holds, _ in fresh:
            if ls not in refused:
                for key in holds:
                    accepted.setdefault(key, ls)


def _hostname_conflicts(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """Same port, protocol and hostname (no hostname counts as a value) in different owners: the
    lower-precedence listener is conflicted. Duplicates inside one owner are a CEL error."""
    first: dict[tuple[int | None, str, str], Listener] = {}
    for ls in merged:
        key = (ls.port, ls.protocol, ls.hostname or "")
        other = first.get(key)
        if other is None:
            first[key] = ls
        elif other.owner is not ls.owner:
            yield ListenerConflict(HOSTNAME_CONFLICT, ls, other, gateway, _undecided(ls, other))


def _terminates_tls(ls: Listener) -> bool:
    return ls.protocol == "HTTPS" or (ls.protocol == "TLS" and ls.tls_mode == "Terminate")


def _overlapping_tls(gateway: Resource, merged: list[Listener]) -> Iterator[ListenerConflict]:
    """TLS-terminating listeners (HTTPS, TLS Terminate) of one port whose hostnames overlap: a
    wildcard that covers another listener's hostname, or a listener without hostname. Identical
    hostnames of one protocol are a HostnameConflict instead. Indexed by hostname suffix."""
    by_port: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in merged:
        if _terminates_tls(ls):
            by_port[ls.port].append(ls)
    for group in by_port.values():
        if len(group) < 2:
            continue
        exact: dict[str, list[Listener]] = defaultdict(list)
        wild: dict[str, list[Listener]] = defaultdict(list)   # "example.com" for *.example.com
        under: dict[str, list[Listener]] = defaultdict(list)  # proper DNS suffix -> listeners
        anyhost: list[Listener] = []
        for ls in group:
            h = (ls.hostname or "").lower()
            if not h:
                anyhost.append(ls)
                continue
            domain = h[2:] if h.startswith("*.") else h
            (wild if h.startswith("*.") else exact)[domain].append(ls)
            labels = domain.split(".")
            for i in range(1, len(labels)):
                under[".".join(labels[i:])].append(ls)
        for ls in group:
            partner = _overlap_partner(ls, group, exact, wild, under, anyhost)
            if partner is not None:
                yield ListenerConflict(OVERLAPPING_HOSTNAMES, ls, partner, gateway)


def _overlap_partner(ls: Listener, group: list[Listener], exact: dict[str, list[Listener]],
                     wild: dict[str, list[Listener]], under: dict[str, list[Listener]],
                     anyhost: list[Listener]) -> Listener | None:
    def pick(cands: Iterable[Listener]) -> Listener | None:
        for c in cands:
            if c is not ls and not (c.protocol == ls.protocol
                                    and (c.hostname or "") == (ls.hostname or "")):
                return c
        return None

    h = (ls.hostname or "").lower()
    if not h:
        return pick(group)
    is_wild = h.startswith("*.")
    domain = h[2:] if is_wild else h
    hit = pick(anyhost) or (None if is_wild else pick(exact.get(h, ())))
    if hit:
        return hit
    labels = domain.split(".")
    for i in range(0 if is_wild else 1, len(labels)):  # wildcards covering this hostname
        hit = pick(wild.get(".".join(labels[i:]), ()))
        if hit:
            return hit
    if is_wild:  # hostnames and narrower wildcards under this wildcard
        return pick(under.get(domain, ()))
    return None


def find_conflicts(gateways: Iterable[Resource],
                   merged_listeners: Callable[[Resource], list[Listener]]
                   ) -> list[ListenerConflict]:
    """Every listener conflict of each Gateway's merged listener list."""
    out: list[ListenerConflict] = []
    for gw in gateways:
        merged = merged_listeners(gw)
        conflicts = list(_protocol_conflicts(gw, merged))
        # a listener refused for its protocol takes no hostname from others, nor do conflicted
        # listeners have or cause overlapping TLS: they are not accepted
        rejected = {c.listener for c in conflicts}
        conflicts += _hostname_conflicts(gw, [ls for ls in merged if ls not in rejected])
        out.extend(conflicts)
        rejected = {c.listener for c in conflicts}
        out.extend(_overlapping_tls(gw, [ls for ls in merged if ls not in rejected]))
    return out
