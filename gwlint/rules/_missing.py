"""Shared policy for references to objects that are not in the linted files (registers no rule).

Services, Secrets and ConfigMaps are often produced outside the repository (a Helm chart, an
operator, cert-manager) and GatewayClasses by the controller's installation, so "not in the
repo" is not "not in the cluster". Every not-found rule asks `absence()` and follows one policy:

1. the object is in the linted set, produced by an object in it (cert-manager `Certificate`,
   `ExternalSecret`, `SealedSecret`), or declared external (`--assume-exists`,
   `--gateway-class`): no finding;
2. nothing at all in the linted set lives in the target namespace: the repo simply does not
   describe that namespace, so the finding is lowered to a warning whose hint says how to
   declare it (`--assume-exists 'Service/payments/*'`);
3. otherwise the namespace is described here and the object is not in it: the rule's own
   severity (an error).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gwlint.findings import Related, Severity
from gwlint.model import ObjKey, Resource

if TYPE_CHECKING:
    from gwlint.context import Context

UNKNOWN_NAMESPACE_NOTE = " (nothing in the linted files is in that namespace)"


@dataclass(frozen=True, slots=True)
class Absence:
    """How sure a rule may be that a referenced object is really missing."""

    severity: Severity | None  # None: the rule's default; WARNING when the namespace is unknown
    note: str  # appended to the finding's message
    declare_hint: str | None  # how to declare the object as external (unknown namespace only)

    def hint(self, fix: str) -> str:
        """The declare hint when the namespace is unknown, else the rule's fix."""
        return self.declare_hint or fix


def absence(ctx: Context, key: ObjKey) -> Absence | None:
    """None when `key` exists for gwlint's purposes; else how to report it (see module doc)."""
    if ctx.exists(key):
        return None
    if key.namespace is None or ctx.namespace_known(key.scope, key.namespace):
        return Absence(None, "", None)
    return Absence(Severity.WARNING, UNKNOWN_NAMESPACE_NOTE,
                   f"if it is managed outside these files, declare it: "
                   f"--assume-exists '{key.kind}/{key.namespace}/*'")


def elsewhere(ctx: Context, key: ObjKey) -> Resource | None:
    """An object of the same kind and name in another namespace (the forgotten `namespace:`)."""
    for res in ctx.named(key.scope, key.group, key.kind, key.name):
        if res.namespace != key.namespace:
            return res
    return None


def _names_by_namespace(ctx: Context, group: str,
                        kind: str) -> dict[tuple[str, str | None], list[str]]:
    """Names of one kind per (scope, namespace), built once per run and shared by rules."""
    cache_key = f"references.names.{group}/{kind}"
    index = ctx.cache.get(cache_key)
    if index is None:
        index = defaultdict(list)
        for res in ctx.of_kind(kind, group):
            index[(res.scope, res.namespace)].append(res.name)
        ctx.cache[cache_key] = index
    return index


def similar_name(ctx: Context, key: ObjKey) -> str | None:
    """The closest existing name of the same kind in the target namespace (a likely typo)."""
    names = _names_by_namespace(ctx, key.group, key.kind).get((key.scope, key.namespace), [])
    close = difflib.get_close_matches(key.name, names[:2000], n=1, cutoff=0.75)
    return close[0] if close else None


def missing_hint(ctx: Context, key: ObjKey, field: str | None,
                 from_ns: str | None = None) -> tuple[str, list[Related]]:
    """Fix hint (and the look-alike object) for an object missing from a described namespace.

    `field` is how the user names the reference in the hint, e.g. "backendRefs[]" (None for a
    local reference, which has no namespace to set); `from_ns` is the referrer's namespace (a
    move to another namespace then also needs a ReferenceGrant).
    """
    typo = similar_name(ctx, key)
    if typo:
        res = ctx.get(key._replace(name=typo))
        return (f"did you mean {key.kind} '{typo}'?",
                [Related(res.label(), res, ("metadata", "name"))] if res else [])
    other = elsewhere(ctx, key)
    if other is not None and field is None:
        return (f"a {key.kind} named '{key.name}' exists in namespace '{other.namespace}', but "
                f"this reference is local: the referrer must live in that namespace",
                [Related(other.label(), other, ("metadata", "name"))])
    if other is not None:
        grant = (" (and a ReferenceGrant in that namespace)"
                 if from_ns is not None and other.namespace != from_ns else "")
        return (f"a {key.kind} named '{key.name}' exists in namespace '{other.namespace}': set "
                f"{field}.namespace: {other.namespace}{grant}",
                [Related(other.label(), other, ("metadata", "name"))])
    return (f"check the name, add the {key.kind} to the repository, or declare it as external: "
            f"--assume-exists '{key.kind}/{key.namespace}/{key.name}'", [])
