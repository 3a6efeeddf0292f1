"""Hostname algebra: the spec's listener/route hostname intersection.

Convention (`Attachment.hostnames`): the effective hostnames a route serves on a listener, per the
spec's intersection rules; `ANY_HOST` (`"*"`, which is not a valid hostname so it can never be
confused with one) stands for "any host": neither the listener nor the route names a hostname, or
the route kind has no hostnames (TCPRoute, UDPRoute). It is a normal tuple element so that code
indexing by hostname does not silently skip such routes.
"""

from __future__ import annotations

import re
from typing import Generic, TypeVar

from gwlint.attachment.listeners import HOSTNAME_KINDS, Listener
from gwlint.model import Resource, as_list

ANY_HOST = "*"
T = TypeVar("T")


def _any(host: str | None) -> bool:
    return not host or host == ANY_HOST


def hostname_intersection(listener_host: str | None, route_host: str) -> str | None:
    """The hostname both match, per the spec's rules, or None when they do not intersect.

    `*.example.com` is a suffix match: it matches `test.example.com` and `foo.test.example.com`
    but not `example.com`. A listener without hostname (None, "" or ANY_HOST) matches every route
    hostname; two wildcards intersect in the more specific one (`*.example.com` and
    `*.foo.example.com` -> `*.foo.example.com`).
    """
    if _any(listener_host):
        return route_host
    if _any(route_host):
        return listener_host
    # _any() is True for None: both are strings here
    lh, rh = listener_host.lower(), route_host.lower()  # type: ignore[union-attr]
    if lh == rh:
        return listener_host
    l_wild, r_wild = lh.startswith("*."), rh.startswith("*.")
    if l_wild and r_wild:
        if rh[1:].endswith(lh[1:]):
            return route_host
        if lh[1:].endswith(rh[1:]):
            return listener_host
        return None
    if l_wild:
        return route_host if rh.endswith(lh[1:]) else None
    if r_wild:
        return listener_host if lh.endswith(rh[1:]) else None
    return None


def hostnames_overlap(a: str | None, b: str | None) -> bool:
    """Whether some request host matches both (None/""/ANY_HOST match everything)."""
    if _any(a) or _any(b):
        return True
    return hostname_intersection(a, b) is not None  # type: ignore[arg-type]  # _any(None)


_HOSTNAME_RE = re.compile(
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def valid_hostname(host: str) -> bool:
    """The API's Hostname pattern (the schema stage reports the others; the API server would
    reject the object, so attachment rules stay silent about them)."""
    return len(host) <= 253 and _HOSTNAME_RE.match(host) is not None


def route_hostnames(route: Resource) -> list[tuple[int, str]]:
    """(index, hostname) of a route's spec.hostnames (only for kinds that have hostnames)."""
    if route.kind not in HOSTNAME_KINDS:
        return []
    return [(i, h) for i, h in enumerate(as_list(route.spec.get("hostnames")))
            if isinstance(h, str) and h]


def effective_hostnames(listener: Listener, route: Resource) -> tuple[str, ...]:
    """The hostnames `route` serves on `listener` (see the module docstring for ANY_HOST)."""
    return hostnames_on(listener, route_hostnames(route))


def hostnames_on(listener: Listener, hosts: list[tuple[int, str]]) -> tuple[str, ...]:
    """`effective_hostnames` from the route's `route_hostnames`, read once per parentRef."""
    if not hosts:
        return (listener.hostname or ANY_HOST,)
    out: dict[str, None] = {}
    for _, h in hosts:
        hit = hostname_intersection(listener.hostname, h)
        if hit is not None:
            out[hit] = None
    return tuple(out)


class HostIndex(Generic[T]):
    """Items by effective hostname, answering "which item serves a host that overlaps `host`"
    with dict lookups only (one per DNS label), never a scan over all items.

    `*.example.com` overlaps `a.example.com`, `a.b.example.com` and `*.b.example.com` but not
    `example.com`; ANY_HOST overlaps everything.
    """

    def __init__(self) -> None:
        self.exact: dict[str, list[T]] = {}
        self.wild: dict[str, list[T]] = {}    # "example.com" -> items of "*.example.com"
        self.under: dict[str, list[T]] = {}   # proper DNS suffix -> items of hosts beneath it
        self.any: list[T] = []
        self.first: T | None = None

    def add(self, host: str, item: T) -> None:
        h = host.lower()
        if self.first is None:
            self.first = item
        if h == ANY_HOST or not h:
            self.any.append(item)
            return
        wild = h.startswith("*.")
        domain = h[2:] if wild else h
        (self.wild if wild else self.exact).setdefault(domain, []).append(item)
        labels = domain.split(".")
        for i in range(1, len(labels)):
            self.under.setdefault(".".join(labels[i:]), []).append(item)

    def overlapping(self, host: str) -> T | None:
        """One item whose host overlaps `host`, or None."""
        h = host.lower()
        if h == ANY_HOST or not h:
            return self.first
        if self.any:
            return self.any[0]
        wild = h.startswith("*.")
        domain = h[2:] if wild else h
        labels = domain.split(".")
        if not wild and domain in self.exact:
            return self.exact[domain][0]
        # wildcards covering the host (for a wildcard: equal or broader ones)
        for i in range(0 if wild else 1, len(labels)):
            hit = self.wild.get(".".join(labels[i:]))
            if hit:
                return hit[0]
        if wild:
            # exact hosts and narrower wildcards beneath *.domain
            hit = self.under.get(domain)
            if hit:
                return hit[0]
        return None
