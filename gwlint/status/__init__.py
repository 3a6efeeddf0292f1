"""The status model: the one place where gwlint decides the conditions a controller writes.

After the rules' indexes exist, `model(ctx)` computes, once per run (cached in
`ctx.cache["status"]`, like `attachment.index`), the `status:` block a conformant controller
writes for every GatewayClass, Gateway (with its listeners), ListenerSet, route and
BackendTLSPolicy of the Context. Every condition records its causes (resource + JSON path of the
offending field), so a rule's finding is a view on the conditions its field causes.

Rules never decide a condition themselves: they report the model's verdicts (a finding is a
view on a condition at the field that causes it), and `Rule.run` stamps every finding of a rule
that declares `predicts` with the conditions its field causes (`view.predicted`).

Public API::

    from gwlint import status
    m = status.model(ctx)                       # StatusModel
    m.of(resource)                              # ObjectStatus: conditions, listeners, parents...
    m.of(gateway).listener("https").conditions.get("ResolvedRefs")
    m.reference(ref)                            # RefProblem | None: one reference's verdict
    m.parent_entries(), m.listener_entries()    # what the attachment and listener rules read
    m.implied_by(resource, path)                # [Located]: every condition this field causes
    m.problems()                                # decided conditions that report a problem
    status.documents(m)                         # [{apiVersion, kind, metadata, status}] (API shape)
    status.document(m.of(resource), extended=True)  # + x-gwlint causes/basis/undecided

Modules: `conditions` (types, reasons, Condition/Cause), `refcheck` (the verdict of every
reference, once), `gateways` (GatewayClass, Gateway, ListenerSet, listeners), `routes`,
`policies` (BackendTLSPolicy), `profiles` (per-implementation overrides, chosen by the
GatewayClass's controllerName), `model` (data and queries), `serialize` (API-server-shaped
dicts), `build` (the order of computation), `view` (findings' conditions); `gwlint status`
runs in `gwlint.commands.status`. `gwlint.precedence` (creationTimestamp, then namespace/name) is
shared with the attachment index. Each module's docstring lists what sets each condition, with
the spec text and the conformance tests it follows.
"""

from __future__ import annotations

from gwlint.status.build import CACHE_KEY, build
from gwlint.status.build import model_of as model
from gwlint.status.conditions import Cause, Condition, Conditions
from gwlint.status.model import (
                                 AncestorStatus,
                                 ListenerStatus,
                                 Located,
                                 ObjectStatus,
                                 ParentStatus,
                                 StatusModel,
)
from gwlint.status.profiles import PROFILES, Profile, profile_for
from gwlint.status.serialize import condition_dict, document, documents, status_block

__all__ = [
                                 "CACHE_KEY",
                                 "PROFILES",
                                 "AncestorStatus",
                                 "Cause",
                                 "Condition",
                                 "Conditions",
                                 "ListenerStatus",
                                 "Located",
                                 "ObjectStatus",
                                 "ParentStatus",
                                 "Profile",
                                 "StatusModel",
                                 "build",
                                 "condition_dict",
                                 "document",
                                 "documents",
                                 "model",
                                 "profile_for",
                                 "status_block",
]
