"""A finding as a view on the status model: every condition its field causes, primary first.

`predicted(ctx, finding, declared)` is what `Rule.run` stamps on the findings of a rule that
declares `@rule(predicts=...)`. The field is the first cause of `finding.condition` (the model's
condition the rule reports) when the rule names one, else the finding's own resource and path;
the conditions are `StatusModel.implied_by(resource, path)`: the listener's, the Gateway's and the
ListenerSets' consequences of a bad certificateRef, each route parent entry of a broken
backendRef, a policy's ancestors. Order: the finding's condition, then those of the rule's
declared type, then by distance from the field (its listener or parent entry, its object, other
objects), then in model order.

Conditions the model cannot decide are given with their `likely` outcome, marked `likely` (with
why in `undecided`); an undecided condition without a likely outcome keeps its Unknown status.
Verdicts no parent or ancestor entry carries (`ObjectStatus.unattached`: a route whose parents
are not in the files, a policy no route uses) are what a controller would write if the entry
existed: they are marked `likely` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwlint.findings import Predicted, Predicts
from gwlint.status import conditions as C
from gwlint.status.build import model_of
from gwlint.status.model import AncestorStatus, ListenerStatus, Located, ParentStatus
from gwlint.status.serialize import ancestor_entry_ref, parent_ref_dict

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.findings import Finding

UNATTACHED = ("no parent or ancestor entry holds it in the linted files (the parent, its Gateway "
              "or a route using the target is not in them): what a controller writes once one does")


def predicted(ctx: Context, finding: Finding, declared: Predicts | None) -> list[Predicted]:
    """Every condition `finding` implies (module docstring)."""
    model = model_of(ctx)
    primary = finding.condition
    if primary is not None and getattr(primary, "causes", None):
        root = primary.causes[0]
        located = model.implied_by(root.resource, root.path)
    elif finding.resource is not None:
        located = model.implied_by(finding.resource, tuple(finding.path))
    else:
        return []
    resource = root.resource if primary is not None and getattr(primary, "causes", None) \
        else finding.resource
    ranked = sorted(enumerate(located), key=lambda item: (
        item[1].condition is not primary,
        declared is None or item[1].condition.type != declared.type,
        _distance(item[1], resource),
        item[0]))
    return [as_predicted(loc) for _, loc in ranked]


def _distance(loc: Located, resource: object) -> int:
    """How far from the field a condition is written: its listener or route parent entry (0),
    its object's own conditions (1), another object (2)."""
    if loc.status.resource is not resource:
        return 2
    return 1 if loc.where == "object" else 0


def as_predicted(loc: Located) -> Predicted:
    """One located condition in the findings' shape."""
    cond, res = loc.condition, loc.status.resource
    parent: dict[str, Any] | None = None
    listener = None
    if isinstance(loc.owner, ParentStatus):
        parent = parent_ref_dict(loc.owner.ref)
    elif isinstance(loc.owner, AncestorStatus):
        parent = ancestor_entry_ref(loc.owner)
    elif isinstance(loc.owner, ListenerStatus):
        listener = loc.owner.name
    status, reason, likely, undecided = cond.status, cond.reason, False, cond.undecided
    if cond.status == C.UNKNOWN and cond.undecided and cond.likely:
        (status, reason), likely = cond.likely, True
    if loc.where == "unattached":
        likely, undecided = True, undecided or UNATTACHED
    return Predicted(cond.type, status, reason, res.kind, res.namespace, res.name, parent,
                     listener, likely, undecided)
