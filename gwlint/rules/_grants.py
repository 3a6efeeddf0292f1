"""Shared ReferenceGrant evaluation for the reference and security rules (registers no rule).

A cross-namespace reference is permitted only by a ReferenceGrant that lives in the *target*
namespace and whose `from` entry matches the referrer's group, kind and namespace and whose `to`
entry matches the target's group, kind and (optional) name. Both v1beta1 and v1 grants count
(same group and kind). When no grant permits a reference, `denial()` explains the near misses
users actually make: the grant put in the referrer's namespace, a grant `from` HTTPRoute used by
a GRPCRoute, a grant naming another object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwlint.findings import FieldPath, Related, Severity
from gwlint.grants import MAX_ENTRIES, GrantIndex
from gwlint.model import GATEWAY_GROUP, ObjKey, Resource, as_dict, as_list, as_str
from gwlint.refs import BACKEND, CA_CERTIFICATE, CERTIFICATE, CLIENT_CERTIFICATE, MIRROR, Ref
from gwlint.rules._missing import UNKNOWN_NAMESPACE_NOTE

if TYPE_CHECKING:
    from gwlint.context import Context

# Reference types a ReferenceGrant can permit (CA refs of a BackendTLSPolicy are always local).
GRANTED_REF_TYPES = (BACKEND, MIRROR, CERTIFICATE, CA_CERTIFICATE, CLIENT_CERTIFICATE)
# (scope, from group, from kind, from namespace) of a grant's `from` entry
FromKey = tuple[str, str | None, str | None, str | None]


@dataclass(slots=True)
class Denial:
    """Why a cross-namespace reference is not permitted, and how sure gwlint is."""

    note: str  # appended to the finding's message
    severity: Severity | None  # None: the rule's default
    hint: str
    related: list[Related] = field(default_factory=list)


def denial(ctx: Context, ref: Ref) -> Denial | None:
    """None when `ref` is permitted: same namespace, a matching grant, or grants declared
    external."""
    tgt = ref.target
    if not ref.cross_namespace or ctx.grants_permitting(ref):
        return None
    if ctx.assumed(ObjKey(tgt.scope, GATEWAY_GROUP, "ReferenceGrant", tgt.namespace, "*")):
        return None
    suggestion = suggest_grant(ref)
    misplaced = _misplaced(ctx, ref)
    if misplaced is not None:
        return Denial("", None,
                      f"a ReferenceGrant exists in namespace '{misplaced.namespace}' but grants "
                      f"must live in the target namespace '{tgt.namespace}': move "
                      f"'{misplaced.name}' there", [_related(misplaced, "in the wrong namespace",
                                                    ("metadata", "namespace"))])
    related: list[Related] = []
    hint = suggestion
    near = _near_miss(ctx, ref)
    if near is not None:
        grant, reason, path = near
        hint = f"ReferenceGrant '{grant.name}' does not apply: {reason}; {suggestion}"
        related.append(_related(grant, "does not match", path))
    if ctx.namespace_known(tgt.scope, tgt.namespace):
        return Denial("", None, hint, related)
    return Denial(UNKNOWN_NAMESPACE_NOTE, Severity.WARNING,
                  f"{hint}; if the grant is managed outside these files, declare it: "
                  f"--assume-exists 'ReferenceGrant/{tgt.namespace}/*'", related)


def suggest_grant(ref: Ref) -> str:
    """The one-line fix: which ReferenceGrant to add, as flow-style YAML."""
    src, tgt = ref.source, ref.target
    name = f"allow-{src.kind.lower()}s-from-{src.namespace}"[:253]
    to_name = f", name: {tgt.name}" if tgt.name else ""
    return (f"add a ReferenceGrant in namespace '{tgt.namespace}' from {src.kind} in "
            f"'{src.namespace}' to {tgt.kind} '{tgt.name}': "
            f"{{apiVersion: gateway.networking.k8s.io/v1beta1, kind: ReferenceGrant, "
            f"metadata: {{name: {name}, namespace: {tgt.namespace}}}, spec: {{from: [{{group: "
            f"{_flow(src.group)}, kind: {src.kind}, namespace: {src.namespace}}}], to: [{{group: "
            f"{_flow(tgt.group)}, kind: {tgt.kind}{to_name}}}]}}}}")


def _flow(group: str) -> str:
    return group if group else '""'


def _related(grant: Resource, why: str, path: FieldPath) -> Related:
    return Related(f"ReferenceGrant {grant.namespace}/{grant.name} ({why})", grant, path)


def _misplaced(ctx: Context, ref: Ref) -> Resource | None:
    """A grant that would permit `ref` if it lived in the target namespace."""
    return ctx.grants.elsewhere(ref)


def _near_miss(ctx: Context, ref: Ref) -> tuple[Resource, str, FieldPath] | None:
    """The grant of the target namespace that comes closest to permitting `ref`, why it does
    not, and the path of the entries that differ (index lookups, see gwlint.grants)."""
    closest = ctx.grants.closest(ref)
    if closest is None:
        return None
    grant, level = closest
    if level < 0:
        return grant, (f"it has more than {MAX_ENTRIES} `from` or `to` entries, so the API "
                       "server rejects it"), ("spec",)
    score, reason = _mismatch(grant, ref)
    return grant, reason, ("spec", "from" if score < 2 else "to")


def _mismatch(grant: Resource, ref: Ref) -> tuple[int, str]:
    """How close `grant` comes to permitting `ref` (higher is closer) and the first difference."""
    src, tgt = ref.source, ref.target
    froms = [as_dict(f) for f in as_list(grant.spec.get("from"))]
    tos = [as_dict(t) for t in as_list(grant.spec.get("to"))]
    same_ns = [f for f in froms if f.get("namespace") == src.namespace]
    if not same_ns:
        spaces = ", ".join(sorted({f"'{f.get('namespace')}'" for f in froms})) or "none"
        return 0, f"it permits references from namespace {spaces}, not '{src.namespace}'"
    if not any(f.get("group") == src.group and f.get("kind") == src.kind for f in same_ns):
        kinds = ", ".join(sorted({str(f.get("kind")) for f in same_ns}))
        return 1, f"it permits references from {kinds}, not from {src.kind}"
    same_kind = [t for t in tos if t.get("group") == tgt.group and t.get("kind") == tgt.kind]
    if not same_kind:
        kinds = ", ".join(sorted({str(t.get("kind")) for t in tos})) or "nothing"
        return 2, f"it permits references to {kinds}, not to {tgt.kind}"
    names = ", ".join(f"'{as_str(t.get('name'))}'" for t in same_kind)
    return 3, f"it permits only {tgt.kind} {names}, not '{tgt.name}'"


def _usage(ctx: Context) -> GrantIndex:
    """The grant index with every reference of the linted set recorded as using the grants that
    permit it (once per run, so rules never depend on which other rules ran before them)."""
    if not ctx.cache.get("references.grant_usage"):
        for ref in ctx.refs(*GRANTED_REF_TYPES):
            if ref.cross_namespace:
                ctx.grants.record(ref)
        ctx.cache["references.grant_usage"] = True
    return ctx.grants


def grant_used(ctx: Context, grant: Resource) -> bool:
    """Whether a reference of the linted set is permitted by `grant`."""
    return _usage(ctx).is_used(grant)


def names_reached(ctx: Context, grant: Resource, group: str, kind: str,
                  limit: int = 20) -> tuple[list[str], bool]:
    """Up to `limit` names (sorted) of the `group`/`kind` objects that references of the linted
    set reach through `grant`, and whether there are more."""
    return _usage(ctx).names(grant, group, kind, limit)


def would_permit(ctx: Context, grant: Resource) -> Ref | None:
    """A reference of the linted set that `grant` would permit if it lived in the reference's
    target namespace (for a grant that permits nothing where it is): the first reference of its
    first `from` entry that has one."""
    index = ctx.cache.get("references.refs_by_slot")
    if index is None:
        index = {}
        for n, ref in enumerate(ctx.refs(*GRANTED_REF_TYPES)):
            if ref.cross_namespace:
                by_name = index.setdefault(GrantIndex.key_of(ref), {})
                by_name.setdefault(None, []).append((n, ref))  # any name: unnamed `to` entries
                by_name.setdefault(ref.target.name, []).append((n, ref))
        ctx.cache["references.refs_by_slot"] = index
    best: tuple[int, Ref] | None = None
    current = None
    for key, name in ctx.grants.slots_of(grant):
        if best is not None and key[:4] != current:
            break  # the next `from` entry: the first one with a reference wins
        current = key[:4]
        for n, ref in index.get(key, {}).get(name, ()):
            if ref.target.namespace != grant.namespace:
                if best is None or n < best[0]:
                    best = (n, ref)
                break
    return best[1] if best is not None else None
