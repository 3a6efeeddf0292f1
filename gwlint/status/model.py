"""The predicted status of every object: the data structures and the queries rules and the CLI ask.

`StatusModel` holds one `ObjectStatus` per Gateway API object of a `Context`; what it contains
mirrors the API's status blocks:

* GatewayClass, Gateway, ListenerSet: `conditions`; Gateways and ListenerSets also `listeners`
  (one `ListenerStatus` per listener: conditions, `attachedRoutes`, `supportedKinds`) and a
  Gateway `attached_listener_sets` (`status.attachedListenerSets`);
* routes: `parents` (one `ParentStatus` per parentRef a controller writes status for, with
  `controllerName` and the verdict of every listener the parentRef selects); a route no
  controller writes a parent entry for (its parents are not in the files, or it has none) keeps
  its backendRef verdict in `unattached`, so findings about its backendRefs still say what a
  controller of an existing parent would write;
* BackendTLSPolicy: `ancestors` (one `AncestorStatus` per Gateway the policy applies through).

`written=False` marks objects no controller writes status for (a Gateway whose GatewayClass does
not exist: the CRD's default `Accepted=Unknown Pending` stays); their `conditions` hold that
default.

Every condition knows its causes, so `implied_by(resource, path)` answers "which conditions does
this field cause" (what a finding about the field predicts), and `conditions()` iterates them all.
`reference(ref)` is the verdict of one backendRef, certificateRef, caCertificateRef or policy
targetRef (`refcheck.RefProblem`, None when it resolves): the reference rules report these, so
a reference is judged once, here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gwlint.model import FieldPath, ObjKey, Resource
from gwlint.status.conditions import Condition, Conditions

if TYPE_CHECKING:
    from gwlint.attachment import Listener, ListenerConflict
    from gwlint.refs import Ref
    from gwlint.status.refcheck import RefProblem


@dataclass(slots=True, eq=False)
class ListenerStatus:
    """status.listeners[] of a Gateway or ListenerSet."""

    listener: Listener
    conditions: Conditions = field(default_factory=Conditions)
    attached_routes: int = 0
    attached_routes_undecided: int = 0  # attachments gwlint cannot decide (not counted above)
    supported_kinds: tuple[tuple[str, str], ...] = ()
    conflict: ListenerConflict | None = None  # what makes it Conflicted (True or Unknown)
    overlap: ListenerConflict | None = None   # what makes it OverlappingTLSConfig=True

    @property
    def name(self) -> str:
        return self.listener.name

    @property
    def valid(self) -> bool | None:
        """Accepted and Programmed (None: one of them is Unknown)."""
        states = [self.conditions.status(t) for t in ("Accepted", "Programmed")]
        if "False" in states:
            return False
        if "Unknown" in states:
            return None
        return True


@dataclass(slots=True, eq=False)
class ListenerVerdict:
    """One listener's verdict on one parentRef: accepted (True), refused (False) or undecidable
    (None), with the route reason and the finer attachment cause (`gwlint.attachment.CAUSE_*`)
    when refused, and the hostnames the route serves there when accepted."""

    listener: Listener
    state: bool | None
    reason: str | None = None
    cause: str | None = None
    hosts: tuple[str, ...] = ()


@dataclass(slots=True, eq=False)
class ParentStatus:
    """status.parents[] of a route: the parentRef as written, the controller, the conditions, and
    the verdict of every listener the parentRef selects (empty: NoMatchingParent, or not judged)."""

    ref: Ref
    parent: Resource | None
    controller_name: str | None
    conditions: Conditions = field(default_factory=Conditions)
    verdicts: list[ListenerVerdict] = field(default_factory=list)
    rival: Resource | None = None  # the route that takes precedence (HostnameConflict)


@dataclass(slots=True, eq=False)
class AncestorStatus:
    """status.ancestors[] of a policy: the ancestor (a Gateway), the controller, conditions.
    A mesh writes the targeted Service as the ancestor (Istio): `ref` is then its ancestorRef
    as written (the Service may not exist) and `ancestor` the policy."""

    ancestor: Resource
    controller_name: str | None
    conditions: Conditions = field(default_factory=Conditions)
    ref: dict[str, str] | None = None


@dataclass(slots=True, eq=False)
class ObjectStatus:
    """The predicted status of one object."""

    resource: Resource
    controller_name: str | None = None
    profile: str = "spec"
    written: bool = True
    conditions: Conditions = field(default_factory=Conditions)
    listeners: list[ListenerStatus] = field(default_factory=list)
    parents: list[ParentStatus] = field(default_factory=list)
    ancestors: list[AncestorStatus] = field(default_factory=list)
    attached_listener_sets: int | None = None
    # verdicts no parent/ancestor entry carries (a policy no route uses, a route whose parents
    # are not in the files): what a controller would write if there were one
    unattached: Conditions = field(default_factory=Conditions)
    # a ListenerSet whose Gateway may exist outside the files: its listeners as that Gateway's
    # controller would judge them
    unattached_listeners: list[ListenerStatus] = field(default_factory=list)
    rival: Resource | None = None  # a policy that takes precedence over this one (Conflicted)

    @property
    def kind(self) -> str:
        return self.resource.kind

    def listener(self, name: str) -> ListenerStatus | None:
        for ls in self.listeners:
            if ls.name == name:
                return ls
        return None

    def blocks(self) -> Iterator[tuple[str, object, Conditions]]:
        """(where, owner, conditions) of every condition list: ("object", None, ...),
        ("listener", ListenerStatus, ...), ("parent", ParentStatus, ...),
        ("ancestor", AncestorStatus, ...)."""
        yield "object", None, self.conditions
        for ls in self.listeners:
            yield "listener", ls, ls.conditions
        for ps in self.parents:
            yield "parent", ps, ps.conditions
        for an in self.ancestors:
            yield "ancestor", an, an.conditions
        if len(self.unattached):
            yield "unattached", None, self.unattached
        for ls in self.unattached_listeners:
            yield "unattached", ls, ls.conditions


@dataclass(slots=True, eq=False)
class Located:
    """A condition with where it is written: the object, and the listener/parent/ancestor."""

    status: ObjectStatus
    where: str            # object | listener | parent | ancestor | unattached
    owner: object         # ListenerStatus | ParentStatus | AncestorStatus | None
    condition: Condition


class StatusModel:
    """Every object's predicted status, with lookups by object and by cause."""

    def __init__(self) -> None:
        self._by_key: dict[ObjKey, ObjectStatus] | None = None  # built on the first get()
        self._by_id: dict[int, ObjectStatus] = {}
        self._by_cause: dict[int, list[Located]] | None = None
        self._refs: dict[int, RefProblem] = {}  # id(ref) -> why it does not resolve

    def add(self, status: ObjectStatus) -> ObjectStatus:
        self._by_key = None
        self._by_id[id(status.resource)] = status
        self._by_cause = None
        return status

    def set_reference(self, ref: Ref, problem: RefProblem | None) -> None:
        if problem is not None:  # most references resolve: keep only the problems
            self._refs[id(ref)] = problem
        else:
            self._refs.pop(id(ref), None)

    # --- queries ------------------------------------------------------------------------------
    def reference(self, ref: Ref) -> RefProblem | None:
        """Why a reference does not resolve (None: it resolves, or it is one nobody judges, such
        as the certificateRefs of a Passthrough listener, which the spec says are ignored)."""
        return self._refs.get(id(ref))

    def of(self, resource: Resource) -> ObjectStatus | None:
        """The predicted status of an object (None: not a Gateway API object gwlint models)."""
        return self._by_id.get(id(resource))

    def get(self, key: ObjKey) -> ObjectStatus | None:
        if self._by_key is None:
            self._by_key = {s.resource.key: s for s in self._by_id.values()}
        return self._by_key.get(key)

    def objects(self) -> Iterator[ObjectStatus]:
        yield from self._by_id.values()

    def conditions(self) -> Iterator[Located]:
        for status in self._by_id.values():
            for where, owner, conds in status.blocks():
                for cond in conds:
                    yield Located(status, where, owner, cond)

    def implied_by(self, resource: Resource, path: FieldPath = ()) -> list[Located]:
        """Every condition (anywhere) caused by `resource` at `path` or inside it: what a finding
        about that field predicts. `path=()` gives everything the object causes."""
        if self._by_cause is None:
            index: dict[int, list[Located]] = defaultdict(list)
            for loc in self.conditions():
                for cause in loc.condition.causes:
                    index[id(cause.resource)].append(loc)
            self._by_cause = dict(index)
        n = len(path)
        out: list[Located] = []
        seen: set[int] = set()
        for loc in self._by_cause.get(id(resource), ()):
            if id(loc.condition) in seen:
                continue
            if any(c.resource is resource and tuple(c.path[:n]) == tuple(path)
                   for c in loc.condition.causes):
                seen.add(id(loc.condition))
                out.append(loc)
        return out

    def parent_entries(self) -> Iterator[tuple[ObjectStatus, ParentStatus]]:
        """(route status, parent entry) of every route parentRef a controller writes."""
        for status in self._by_id.values():
            for entry in status.parents:
                yield status, entry

    def listener_entries(self) -> Iterator[tuple[ObjectStatus, ListenerStatus]]:
        """(Gateway/ListenerSet status, listener status) of every judged listener."""
        for status in self._by_id.values():
            for ls in status.listeners:
                yield status, ls

    def problems(self) -> Iterator[Located]:
        """Conditions that report something wrong (decided ones only)."""
        for loc in self.conditions():
            if loc.condition.is_problem:
                yield loc
