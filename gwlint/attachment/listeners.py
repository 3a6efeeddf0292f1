"""Listeners of Gateways and ListenerSets, as a controller reads them.

A parentRef to a Gateway selects the Gateway's *own* listeners; a parentRef to a ListenerSet
selects that ListenerSet's listeners. A Gateway's merged list (`AttachmentIndex.listeners`) is its
own listeners followed by those of the ListenerSets its `spec.allowedListeners` admits. Each
listener carries its `allowedRoutes` with the spec's defaults applied: `namespaces.from` Same,
`kinds` the protocol's default route kinds, `tls.mode` Terminate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gwlint.model import (GATEWAY_GROUP, GATEWAY_X_GROUP, Resource, as_dict, as_int, as_list,
                          as_str)

_HTTP_KINDS = ((GATEWAY_GROUP, "HTTPRoute"), (GATEWAY_GROUP, "GRPCRoute"))
# protocol -> (default kinds when allowedRoutes.kinds is empty, every kind the protocol can serve)
_PROTOCOL_KINDS: dict[str, tuple[tuple, tuple]] = {
    "HTTP": (_HTTP_KINDS, _HTTP_KINDS),
    "HTTPS": (_HTTP_KINDS, _HTTP_KINDS),
    # TLSRoute in both modes (Terminate is Extended); "If you need to forward traffic to a single
    # target for a TLS listener, you could choose to use a TCPRoute with a TLS listener."
    "TLS": (((GATEWAY_GROUP, "TLSRoute"),),
            ((GATEWAY_GROUP, "TLSRoute"), (GATEWAY_GROUP, "TCPRoute"))),
    "TCP": (((GATEWAY_GROUP, "TCPRoute"),), ((GATEWAY_GROUP, "TCPRoute"),)),
    "UDP": (((GATEWAY_GROUP, "UDPRoute"),), ((GATEWAY_GROUP, "UDPRoute"),)),
}
# Route kinds whose spec.hostnames take part in listener hostname intersection.
HOSTNAME_KINDS = frozenset({"HTTPRoute", "GRPCRoute", "TLSRoute"})
PARENT_KINDS = frozenset({(GATEWAY_GROUP, "Gateway"), (GATEWAY_GROUP, "ListenerSet"),
                          (GATEWAY_X_GROUP, "XListenerSet")})


@dataclass(frozen=True, slots=True, eq=False)
class Listener:
    """One listener of a Gateway or ListenerSet (identity semantics: hashable, usable as a key)."""

    owner: Resource            # the Gateway or ListenerSet that declares it
    gateway: Resource | None   # the Gateway it belongs to (a ListenerSet's parent if in the repo)
    index: int                 # index in owner.spec.listeners
    name: str
    port: int | None
    protocol: str
    hostname: str | None       # None: no hostname (matches every host)
    path: tuple                # ("spec", "listeners", index) in owner.body
    allowed_from: str          # Same | All | Selector (default Same)
    selector: dict | None      # the label selector when allowed_from == "Selector"
    allowed_kinds: tuple[tuple[str, str], ...]  # explicit kinds, or the protocol's default kinds
    kinds_explicit: bool = False  # allowedRoutes.kinds was given (non-empty)
    tls_mode: str | None = None   # Terminate | Passthrough for HTTPS/TLS, else None
    attached: bool | None = True  # Gateway listener: True; ListenerSet: allowed by its Gateway?

    @property
    def from_listenerset(self) -> bool:
        return self.owner.kind != "Gateway"

    @property
    def protocol_known(self) -> bool:
        """A core protocol whose route kinds the spec defines (custom protocols are not judged)."""
        return self.protocol in _PROTOCOL_KINDS

    @property
    def compatible_kinds(self) -> tuple[tuple[str, str], ...] | None:
        """Every route (group, kind) the protocol can serve; None for custom protocols."""
        entry = _PROTOCOL_KINDS.get(self.protocol)
        return entry[1] if entry else None

    @property
    def supported_kinds(self) -> tuple[tuple[str, str], ...] | None:
        """status.supportedKinds: allowed kinds the protocol can serve (None: custom protocol)."""
        compatible = self.compatible_kinds
        if compatible is None:
            return None
        return tuple(k for k in self.allowed_kinds if k in compatible)

    @property
    def hostname_path(self) -> tuple:
        return self.path + ("hostname",)

    @property
    def allowed_routes_path(self) -> tuple:
        return self.path + ("allowedRoutes",)

    def label(self) -> str:
        """"listener 'https' of Gateway infra/web" (for messages)."""
        return f"listener '{self.name}' of {self.owner.label()}"

    def describe(self) -> str:
        """"'https' (443/HTTPS, *.example.com)" (for hints listing listeners)."""
        host = self.hostname or "any host"
        return f"'{self.name}' ({self.port}/{self.protocol}, {host})"


def make_listener(owner: Resource, gateway: Resource | None, index: int, raw: Any,
              attached: bool | None) -> Listener:
    item = as_dict(raw)
    protocol = as_str(item.get("protocol"), "") or ""
    allowed = as_dict(item.get("allowedRoutes"))
    namespaces = as_dict(allowed.get("namespaces"))
    allowed_from = as_str(namespaces.get("from"), "Same") or "Same"
    selector = namespaces.get("selector")
    kinds = []
    for k in as_list(allowed.get("kinds")):
        k = as_dict(k)
        kind = as_str(k.get("kind"))
        if kind:
            kinds.append((as_str(k.get("group"), GATEWAY_GROUP), kind))
    explicit = bool(kinds)
    if not explicit:
        entry = _PROTOCOL_KINDS.get(protocol)
        kinds = list(entry[0]) if entry else []
    tls_mode = None
    if protocol in ("HTTPS", "TLS"):
        tls_mode = as_str(as_dict(item.get("tls")).get("mode"), "Terminate") or "Terminate"
    return Listener(owner=owner, gateway=gateway, index=index,
                    name=as_str(item.get("name"), "") or "", port=as_int(item.get("port")),
                    protocol=protocol, hostname=as_str(item.get("hostname")) or None,
                    path=("spec", "listeners", index), allowed_from=allowed_from,
                    selector=selector if isinstance(selector, dict) else None,
                    allowed_kinds=tuple(kinds), kinds_explicit=explicit, tls_mode=tls_mode,
                    attached=attached)



def by_port(items: Iterable[Listener]) -> dict[int | None, list[Listener]]:
    """Group listeners by port (helper for conflict rules)."""
    out: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in items:
        out[ls.port].append(ls)
    return out
