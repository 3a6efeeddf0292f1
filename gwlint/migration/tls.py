"""TLS parity: each `spec.tls` host of an Ingress needs an HTTPS listener that terminates it with
the same certificate.

The Ingress named a Secret of its own namespace; in the Gateway API TLS termination is a property
of the listener ("TLS Termination" in the Gateway API guide "Migrating from Ingress"). For each
TLS host gwlint looks for an HTTPS listener whose hostname covers it (the most specific first, as
a client's SNI selects), then for a `certificateRefs` entry naming that Secret; a listener owned
by another namespace needs a ReferenceGrant in the Secret's namespace (the spec's rule for
cross-namespace Secret references). Results: `tls-ok`, `tls-no-listener`, `tls-wrong-secret`,
`tls-secret-not-permitted`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwlint.migration.ingress import IngressInfo, IngressTLS
from gwlint.migration.replacements import Related
from gwlint.migration.results import (TLS_NO_LISTENER, TLS_NOT_PERMITTED, TLS_OK,
                                      TLS_WRONG_SECRET, AddResult)
from gwlint.migration.routes import HTTPS, GatewayIndex
from gwlint.model import CORE_GROUP, GATEWAY_GROUP
from gwlint.refs import CERTIFICATE

if TYPE_CHECKING:
    from gwlint.attachment import Listener
    from gwlint.context import Context
    from gwlint.refs import Ref


def check(ctx: Context, gidx: GatewayIndex, info: IngressInfo, add: AddResult) -> None:
    """One result per host of every `spec.tls` entry of the Ingress."""
    for t in info.tls:
        for h, host in t.hosts:
            _host(ctx, gidx, info, t, h, host, add)


def certificate_refs(ctx: Context, ls: Listener) -> list[Ref]:
    """The listener's certificateRefs, from the reference graph (the spec's defaults applied)."""
    depth = len(ls.path)
    return [r for r in ctx.refs_from(ls.owner, CERTIFICATE) if r.path[:depth] == ls.path]


def listener_related(ls: Listener) -> Related:
    return Related(ls.label(), ls.owner, ls.path)


def _host(ctx: Context, gidx: GatewayIndex, info: IngressInfo, t: IngressTLS, h: int, host: str,
          add: AddResult) -> None:
    path = ("spec", "tls", t.index, "hosts", h)
    common = {"host": host, "scheme": HTTPS}
    listeners = gidx.https_listeners(info.scope, host)
    secret = t.secret_name
    if not listeners:
        add(TLS_NO_LISTENER, "error",
            f"TLS host {host} has no HTTPS listener whose hostname covers it"
            + (f" (certificate Secret {secret})" if secret else ""), info, path,
            hint=f"a Gateway listener {{protocol: HTTPS, port: 443, hostname: {host}, "
                 f"tls: {{certificateRefs: [{{name: {secret or '...'}"
                 f"{', namespace: ' + str(info.namespace) if secret else ''}}}]}}}}",
            **common)
        return
    if secret is None:
        add(TLS_OK, "info", f"TLS host {host} is covered by {listeners[0].label()}", info, path,
            related=[listener_related(listeners[0])], **common)
        return
    for ls in listeners:
        for ref in certificate_refs(ctx, ls):
            to = ref.target
            if (to.group, to.kind, to.namespace, to.name) != (CORE_GROUP, "Secret",
                                                              info.namespace, secret):
                continue
            owner = ls.owner
            if ref.cross_namespace and not ctx.grants_permitting(ref):
                add(TLS_NOT_PERMITTED, "error",
                    f"TLS host {host}: {ls.label()} names Secret {info.namespace}/{secret}, but "
                    f"no ReferenceGrant in namespace {info.namespace} permits {owner.kind}s of "
                    f"{owner.namespace}", info, path,
                    related=[Related(f"{ls.label()} certificateRef", owner,
                                     ref.path)],
                    hint=f"a ReferenceGrant in {info.namespace}: from [{{group: {GATEWAY_GROUP}, "
                         f"kind: {owner.kind}, namespace: {owner.namespace}}}], to [{{group: '', "
                         f"kind: Secret, name: {secret}}}]", **common)
                return
            add(TLS_OK, "info", f"TLS host {host} is terminated by {ls.label()} with Secret "
                f"{secret}", info, path, related=[listener_related(ls)], **common)
            return
    ls = listeners[0]
    have = ", ".join(f"{r.target.namespace}/{r.target.name}"
                     for r in certificate_refs(ctx, ls)) or "none"
    add(TLS_WRONG_SECRET, "error",
        f"TLS host {host}: {ls.label()} covers it with certificate(s) {have}, the Ingress used "
        f"Secret {info.namespace}/{secret}", info, ("spec", "tls", t.index, "secretName"),
        related=[listener_related(ls)],
        hint=f"certificateRefs: [{{name: {secret}, namespace: {info.namespace}}}]", **common)
