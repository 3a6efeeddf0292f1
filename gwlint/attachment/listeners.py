"""Listeners of Gateways and ListenerSets, as a controller reads them.

A parentRef to a Gateway selects the Gateway's *own* listeners; a parentRef to a ListenerSet
selects that ListenerSet's listeners. A Gateway's merged list (`AttachmentIndex.listeners`) is its
own listeners followed by those of the ListenerSets its `spec.allowedListeners` admits. Each
listener carries its `allowedRoutes` with the spec's defaults applied: `namespaces.from` Same,
`kinds` the protocol's route kinds, `tls.mode` Terminate.

Route kinds per protocol (`protocol_kinds`): HTTP/HTTPS serve HTTPRoute and GRPCRoute; TLS
Passthrough only TLSRoute ("SSL passthrough is only supported by TLSRoute", TLSModePassthrough);
TLS Terminate TLSRoute and TCPRoute (TLSRoute doc: "you could choose to use a TCPRoute with a TLS
listener"); TCP TCPRoute; UDP UDPRoute. Core protocols are compared case-insensitively ("All Core
ProtocolType values MUST be treated case-insensitively"; `Listener.protocol` holds them upper
case). A domain-prefixed protocol is implementation-specific and its kinds are not judged; an
un-prefixed non-core name is reserved, so no implementation serves anything on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gwlint.model import (GATEWAY_GROUP, GATEWAY_X_GROUP, FieldPath, Resource, as_dict, as_int,
                          as_list, as_str)

HTTP_KINDS = ((GATEWAY_GROUP, "HTTPRoute"), (GATEWAY_GROUP, "GRPCRoute"))
TLS_PASSTHROUGH_KINDS = ((GATEWAY_GROUP, "TLSRoute"),)
# "If you need to forward traffic to a single target for a TLS listener, you could choose to use
# a TCPRoute with a TLS listener" (TLSRoute doc): only where the Gateway terminates TLS.
TLS_TERMINATE_KINDS = ((GATEWAY_GROUP, "TLSRoute"), (GATEWAY_GROUP, "TCPRoute"))
CORE_PROTOCOLS = ("HTTP", "HTTPS", "TLS", "TCP", "UDP")
_PROTOCOL_KINDS: dict[str, tuple[tuple[str, str], ...]] = {
    "HTTP": HTTP_KINDS,
    "HTTPS": HTTP_KINDS,
    "TCP": ((GATEWAY_GROUP, "TCPRoute"),),
    "UDP": ((GATEWAY_GROUP, "UDPRoute"),),
}


def core_protocol(protocol: str) -> str | None:
    """The core ProtocolType a listener protocol names ("All Core ProtocolType values MUST be
    treated case-insensitively"), or None for any other protocol."""
    upper = protocol.upper()
    return upper if upper in CORE_PROTOCOLS else None


def custom_protocol(protocol: str) -> bool:
    """A domain-prefixed, implementation-specific protocol (`example.com/my-protocol`): its route
    kinds are the implementation's. Un-prefixed names "are reserved for core protocols", so any
    other protocol is one no implementation defines."""
    return "/" in protocol


def protocol_kinds(protocol: str, tls_mode: str | None) -> tuple[tuple[str, str], ...] | None:
    """Every route (group, kind) a listener protocol can serve: the core protocols' kinds (TLS:
    by mode, "SSL passthrough is only supported by TLSRoute"), () for a reserved non-core name
    (unsupported: no kind at all), None for an implementation-specific protocol (not judged)."""
    if not protocol:
        return None  # missing: the schema stage reports it
    core = core_protocol(protocol)
    if core == "TLS":
        return TLS_PASSTHROUGH_KINDS if tls_mode == "Passthrough" else TLS_TERMINATE_KINDS
    if core is not None:
        return _PROTOCOL_KINDS[core]
    return None if custom_protocol(protocol) else ()


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
    path: FieldPath            # ("spec", "listeners", index) in owner.body
    allowed_from: str          # Same | All | Selector (default Same)
    selector: dict[str, Any] | None  # the label selector when allowed_from == "Selector"
    allowed_kinds: tuple[tuple[str, str], ...]  # explicit kinds, or the protocol's default kinds
    kinds_explicit: bool = False  # allowedRoutes.kinds was given (non-empty)
    tls_mode: str | None = None   # Terminate | Passthrough for HTTPS/TLS, else None
    attached: bool | None = True  # Gateway listener: True; ListenerSet: allowed by its Gateway?
    # (index in allowedRoutes.kinds, (group, kind)) of listed kinds a core protocol cannot serve
    invalid_kinds: tuple[tuple[int, tuple[str, str]], ...] = ()
    compatible: tuple[tuple[str, str], ...] | None = None  # protocol_kinds(protocol, tls_mode)

    @property
    def from_listenerset(self) -> bool:
        return self.owner.kind != "Gateway"

    @property
    def core(self) -> bool:
        """A core protocol (`protocol` is then upper case)."""
        return self.protocol in CORE_PROTOCOLS

    @property
    def protocol_known(self) -> bool:
        """A protocol whose route kinds gwlint judges (core, or a reserved name no
        implementation defines); implementation-specific protocols are not judged."""
        return self.compatible_kinds is not None

    @property
    def compatible_kinds(self) -> tuple[tuple[str, str], ...] | None:
        """Every route (group, kind) the protocol can serve; None for custom protocols."""
        return self.compatible

    @property
    def supported_kinds(self) -> tuple[tuple[str, str], ...]:
        """status.supportedKinds: the listed kinds the protocol can serve, else the protocol's
        kinds (an implementation-specific protocol: the listed kinds)."""
        compatible = self.compatible_kinds
        if compatible is None:
            return tuple(dict.fromkeys(self.allowed_kinds)) if self.kinds_explicit else ()
        return tuple(dict.fromkeys(k for k in self.allowed_kinds if k in compatible))

    @property
    def terminates_tls(self) -> bool:
        """HTTPS, or TLS in Terminate mode: the listener holds certificates."""
        return self.protocol == "HTTPS" or (self.protocol == "TLS"
                                            and self.tls_mode == "Terminate")

    @property
    def hostname_path(self) -> FieldPath:
        return self.path + ("hostname",)

    @property
    def allowed_routes_path(self) -> FieldPath:
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
    written_protocol = as_str(item.get("protocol"), "") or ""
    protocol = core_protocol(written_protocol) or written_protocol
    allowed = as_dict(item.get("allowedRoutes"))
    namespaces = as_dict(allowed.get("namespaces"))
    allowed_from = as_str(namespaces.get("from"), "Same") or "Same"
    selector = namespaces.get("selector")
    tls_mode = None
    if protocol in ("HTTPS", "TLS"):
        tls_mode = as_str(as_dict(item.get("tls")).get("mode"), "Terminate") or "Terminate"
    compatible = protocol_kinds(protocol, tls_mode)
    kinds: list[tuple[str, str]] = []
    invalid: list[tuple[int, tuple[str, str]]] = []
    for i, k in enumerate(as_list(allowed.get("kinds"))):
        k = as_dict(k)
        kind = as_str(k.get("kind"))
        if kind:
            gk = (as_str(k.get("group"), GATEWAY_GROUP) or "", kind)
            kinds.append(gk)
            if compatible is not None and gk not in compatible and protocol in CORE_PROTOCOLS:
                invalid.append((i, gk))
    explicit = bool(kinds)
    if not explicit:
        kinds = list(compatible or ())
    return Listener(owner=owner, gateway=gateway, index=index,
                    name=as_str(item.get("name"), "") or "", port=as_int(item.get("port")),
                    protocol=protocol, hostname=as_str(item.get("hostname")) or None,
                    path=("spec", "listeners", index), allowed_from=allowed_from,
                    selector=selector if isinstance(selector, dict) else None,
                    allowed_kinds=tuple(kinds), kinds_explicit=explicit, tls_mode=tls_mode,
                    attached=attached, invalid_kinds=tuple(invalid), compatible=compatible)


def by_port(items: Iterable[Listener]) -> dict[int | None, list[Listener]]:
    """Group listeners by port (helper for conflict rules)."""
    out: dict[int | None, list[Listener]] = defaultdict(list)
    for ls in items:
        out[ls.port].append(ls)
    return out
