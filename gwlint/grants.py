"""ReferenceGrants indexed for constant-time matching (`Context.grants`).

A grant permits a reference when it lives in the target's namespace, one `from` entry equals the
referrer's group, kind and namespace, and one `to` entry equals the target's group and kind with
no name or the target's name. So every accepted grant is indexed under each (scope, namespace,
from group, from kind, from namespace, to group, to kind) it can match, with the `to` name (None:
any) below it: finding the grants that permit a reference is one lookup, not a scan of the
namespace's grants (2,000 grants and 2,000 references cost 4 million matches before).

The `from` and `to` lists of a ReferenceGrant hold at most 16 entries in every release's CRD. The
API server rejects a grant with more (GW010 reports it), so it permits nothing: such a grant is
left out of the index, which also bounds the index at 16 x 16 entries per grant.

The same index answers the questions of the reference rules without scans: which grants a
reference uses (GW405 needs all of them, GW404 the names reached through each), which grant
elsewhere would permit it (a grant in the wrong namespace) and which grant of the target
namespace comes closest (the near miss a denial explains).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any

from gwlint.model import ObjKey, Resource, as_dict, as_list, as_str
from gwlint.refs import Ref

MAX_ENTRIES = 16  # maxItems of spec.from and spec.to in every release's ReferenceGrant CRD

# (scope, from group, from kind, from namespace, to group, to kind)
_Key = tuple[str, Any, Any, Any, Any, Any]
_Near = tuple[Hashable, ...]
_NOTHING = object()  # stands for an unhashable field value: equal to nothing a reference holds


def _field(value: Any) -> Any:
    """A field's value as an index key (references compare fields with ==)."""
    try:
        hash(value)
    except TypeError:
        return _NOTHING
    return value


def grant_matches(grant: Resource, group: str, kind: str, namespace: str | None,
                  tgt: ObjKey) -> bool:
    """Whether the grant's entries match a reference from (group, kind, namespace) to `tgt`,
    wherever the grant lives (one grant: linear in its entries)."""
    spec = grant.spec
    froms = any(as_dict(f).get("group") == group and as_dict(f).get("kind") == kind
                and as_dict(f).get("namespace") == namespace for f in as_list(spec.get("from")))
    if not froms:
        return False
    for to in as_list(spec.get("to")):
        to = as_dict(to)
        name = as_str(to.get("name"))
        if to.get("group") == tgt.group and to.get("kind") == tgt.kind \
                and name in (None, "", tgt.name):
            return True
    return False


def accepted(grant: Resource) -> bool:
    """Whether the API server can store the grant: at most MAX_ENTRIES `from` and `to` entries."""
    spec = grant.spec
    return len(as_list(spec.get("from"))) <= MAX_ENTRIES \
        and len(as_list(spec.get("to"))) <= MAX_ENTRIES


_From = tuple[Any, Any, Any]  # group, kind, namespace
_To = tuple[Any, Any, str | None]  # group, kind, name (None: any)


def _entries(grant: Resource) -> tuple[list[_From], list[_To]]:
    """The distinct (group, kind, namespace) of `from` and (group, kind, name or None) of `to`."""
    froms: dict[_From, None] = {}
    for f in as_list(grant.spec.get("from")):
        f = as_dict(f)
        froms[(_field(f.get("group")), _field(f.get("kind")), _field(f.get("namespace")))] = None
    tos: dict[_To, None] = {}
    for t in as_list(grant.spec.get("to")):
        t = as_dict(t)
        tos[(_field(t.get("group")), _field(t.get("kind")), as_str(t.get("name")) or None)] = None
    return list(froms), list(tos)


class Permitting(Sequence[Resource]):
    """The grants that permit one reference, in the order of the input, built only as far as
    they are read: most callers ask only whether there is one."""

    __slots__ = ("_lists", "_order", "_seen")

    def __init__(self, lists: list[list[Resource]], order: dict[int, int]) -> None:
        self._lists = [lst for lst in lists if lst]
        self._order = order
        self._seen: list[Resource] | None = None

    def __bool__(self) -> bool:
        return bool(self._lists)

    def _all(self) -> list[Resource]:
        if self._seen is None:
            if len(self._lists) == 1:
                self._seen = list(self._lists[0])
            else:
                merged = {id(g): g for lst in self._lists for g in lst}
                self._seen = sorted(merged.values(), key=lambda g: self._order[id(g)])
        return self._seen

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index: Any) -> Any:
        return self._all()[index]

    def __repr__(self) -> str:
        return f"Permitting({self._all()!r})"


class GrantIndex:
    """ReferenceGrants by (scope, namespace) and by every from/to combination they permit."""

    def __init__(self, grants: Iterable[Resource]) -> None:
        self._by_ns: dict[tuple[str, str | None], list[Resource]] = defaultdict(list)
        self._order: dict[int, int] = {}
        # (namespace, key) -> to name (None: any) -> grants; and the same for any namespace
        self._slots: dict[tuple[str | None, _Key], dict[str | None, list[Resource]]] = {}
        self._anywhere: dict[_Key, dict[str | None, list[Resource]]] = {}
        self._grant_slots: dict[int, list[tuple[tuple[str | None, _Key], str | None]]] = {}
        # near misses: the first grant of a namespace whose entries come closest, by level
        # keyed by (scope, namespace, ...the field values of the level)
        self._first_to: dict[_Near, Resource] = {}    # from (group, kind, ns) and to (group, kind)
        self._first_from: dict[_Near, Resource] = {}  # from (group, kind, ns)
        self._first_ns: dict[_Near, Resource] = {}    # from namespace only
        self._first_any: dict[_Near, Resource] = {}   # any accepted grant of the namespace
        self._rejected_from: dict[_Near, Resource] = {}  # over MAX_ENTRIES, from (group, kind, ns)
        # (namespace, key), to name -> target names of the references that used the slot
        self._hits: dict[tuple[tuple[str | None, _Key], str | None], dict[str, None]] = {}
        self.used: set[int] = set()
        for n, grant in enumerate(grants):
            self._add(n, grant)

    def _add(self, n: int, grant: Resource) -> None:
        scope, ns = grant.scope, grant.namespace
        self._by_ns[(scope, ns)].append(grant)
        self._order[id(grant)] = n
        froms, tos = _entries(grant)
        if not accepted(grant):
            for group, kind, from_ns in froms:
                self._rejected_from.setdefault((scope, ns, from_ns, group, kind), grant)
            return
        slots = self._grant_slots[id(grant)] = []
        self._first_any.setdefault((scope, ns), grant)
        for group, kind, from_ns in froms:
            self._first_from.setdefault((scope, ns, from_ns, group, kind), grant)
            self._first_ns.setdefault((scope, ns, from_ns), grant)
            for to_group, to_kind, name in tos:
                key: _Key = (scope, group, kind, from_ns, to_group, to_kind)
                self._first_to.setdefault((scope, ns, from_ns, group, kind, to_group, to_kind),
                                          grant)
                bucket = self._slots.setdefault((ns, key), {}).setdefault(name, [])
                if not bucket or bucket[-1] is not grant:
                    bucket.append(grant)
                    slots.append(((ns, key), name))
                bucket = self._anywhere.setdefault(key, {}).setdefault(name, [])
                if not bucket or bucket[-1] is not grant:
                    bucket.append(grant)

    # --- queries -------------------------------------------------------------------------------
    def in_namespace(self, scope: str, namespace: str | None) -> list[Resource]:
        return self._by_ns.get((scope, namespace), [])

    @staticmethod
    def key_of(ref: Ref, from_kind: str | None = None) -> _Key:
        """The index key a reference is looked up by (scope, from group/kind/namespace, to
        group/kind)."""
        src, tgt = ref.source, ref.target
        return (tgt.scope, src.group, from_kind or src.kind, src.namespace, tgt.group, tgt.kind)

    def _buckets(self, ref: Ref, from_kind: str | None) -> list[list[Resource]]:
        names = self._slots.get((ref.target.namespace, self.key_of(ref, from_kind)))
        if names is None:
            return []
        return [names.get(None, []), names.get(ref.target.name, [])]

    def all_permitting(self, ref: Ref, from_kind: str | None = None) -> Permitting:
        """Every grant of the target namespace that permits `ref` (in input order)."""
        return Permitting(self._buckets(ref, from_kind), self._order)

    def permitting(self, ref: Ref, from_kind: str | None = None) -> Resource | None:
        """The first grant in the target namespace that permits `ref`, or None."""
        firsts = [b[0] for b in self._buckets(ref, from_kind) if b]
        if not firsts:
            return None
        grant = min(firsts, key=lambda g: self._order[id(g)])
        self.used.add(id(grant))
        return grant

    def record(self, ref: Ref) -> None:
        """Remember that `ref` uses the grants that permit it (see `used`, `names`)."""
        tgt = ref.target
        slot = (tgt.namespace, self.key_of(ref, None))
        names = self._slots.get(slot)
        if names is None:
            return
        for name in (None, tgt.name):
            if names.get(name):
                self._hits.setdefault((slot, name), {})[tgt.name] = None

    def slots_of(self, grant: Resource) -> list[tuple[_Key, str | None]]:
        """The (key, to name) combinations an accepted grant permits, `from` entry by entry."""
        return [(key, name) for (_, key), name in self._grant_slots.get(id(grant), ())]

    def is_used(self, grant: Resource) -> bool:
        """Whether a recorded reference uses the grant."""
        return any(slot in self._hits for slot in self._grant_slots.get(id(grant), ()))

    def names(self, grant: Resource, group: str, kind: str,
              limit: int = 20) -> tuple[list[str], bool]:
        """Up to `limit` names of the `group`/`kind` objects that recorded references reach
        through the grant (sorted), and whether there are more."""
        found: dict[str, None] = {}
        for (ns, key), name in self._grant_slots.get(id(grant), ()):
            if key[4] != group or key[5] != kind:
                continue
            for target in self._hits.get(((ns, key), name), ()):
                found[target] = None
                if len(found) > limit:
                    return sorted(list(found)[:limit]), True
        return sorted(found), False

    def elsewhere(self, ref: Ref) -> Resource | None:
        """The first grant outside the target namespace that would permit `ref` there."""
        names = self._anywhere.get(self.key_of(ref, None))
        if names is None:
            return None
        best = None
        for name in (None, ref.target.name):
            for grant in names.get(name, ()):
                if grant.namespace != ref.target.namespace:
                    if best is None or self._order[id(grant)] < self._order[id(best)]:
                        best = grant
                    break
        return best

    def closest(self, ref: Ref) -> tuple[Resource, int] | None:
        """The first grant of the target namespace that comes closest to permitting `ref` and
        how close (3: all but the name, 2: from matches, 1: from namespace only, 0: nothing;
        -1: a grant the API server rejects whose `from` matches)."""
        src, tgt = ref.source, ref.target
        ns = (tgt.scope, tgt.namespace, src.namespace)
        rejected = self._rejected_from.get((*ns, src.group, src.kind))
        if rejected is not None:
            return rejected, -1
        for level, found in ((3, self._first_to.get((*ns, src.group, src.kind, tgt.group,
                                                      tgt.kind))),
                             (2, self._first_from.get((*ns, src.group, src.kind))),
                             (1, self._first_ns.get(ns)),
                             (0, self._first_any.get((tgt.scope, tgt.namespace)))):
            if found is not None:
                return found, level
        return None
