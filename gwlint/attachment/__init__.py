"""Listeners and route attachment, modelled once per run and shared by every rule that needs them.

This is the linter's version of the part of a Gateway API controller that decides, for each
parentRef of each route, which listeners the route attaches to. It follows the CRD field
descriptions of Gateway API v1.6 (the spec) to the letter. One concern per module:

* `listeners`: the listeners of a Gateway or ListenerSet with the spec's defaults applied (the
  Gateway's own `spec.listeners` followed by those of every ListenerSet whose `spec.parentRef` is
  the Gateway *and* that the Gateway's `spec.allowedListeners.namespaces` admits; default `None`:
  no ListenerSet at all; ListenerSets by creation time, which Git cannot know, then by
  "namespace/name");
* `hostnames`: the listener/route hostname intersection, and `HostIndex` (which item serves a
  hostname overlapping this one, by dict lookups);
* `selectors`: `allowedRoutes.namespaces` / `allowedListeners.namespaces` and label selectors;
* `index`: `AttachmentIndex`, the verdict of every parentRef (`index(ctx)`: built once per run);
* `conflicts`: ProtocolConflict, HostnameConflict and OverlappingHostnames per Gateway.

The rules' message helpers (why a listener refuses a route, ...) are in `gwlint.rules._attachment`.

Only parentRefs whose target Gateway/ListenerSet is in the linted set get a verdict: without the
listeners there is nothing to decide (GW101 reports missing parents). Nor do parentRefs to a
ListenerSet that its Gateway refuses (`allowedListeners`): its listeners are not programmed at
all; the status model writes `Accepted=False NotAllowedByListeners` for such a parentRef (GW202)
and `NotAllowed` for the ListenerSet (GW211). The status model (`gwlint.status`) turns these
verdicts into conditions; rules read the conditions there.

Every public name of the submodules is re-exported here: `from gwlint.attachment import X` and
`attachment.index(ctx)` are the API rules use.
"""

from __future__ import annotations

from gwlint.attachment.conflicts import (
    HOSTNAME_CONFLICT,
    OVERLAPPING_HOSTNAMES,
    PROTOCOL_CONFLICT,
    ListenerConflict,
    find_conflicts,
)
from gwlint.attachment.hostnames import (
    ANY_HOST,
    HostIndex,
    effective_hostnames,
    hostname_intersection,
    hostnames_overlap,
    route_hostnames,
    valid_hostname,
)
from gwlint.attachment.index import (
    ACCEPTED,
    CACHE_KEY,
    CAUSE_HOSTNAME,
    CAUSE_KINDS,
    CAUSE_NAMESPACE,
    CAUSE_NAMESPACE_UNKNOWN,
    CAUSE_PROTOCOL,
    NO_MATCHING_HOSTNAME,
    NO_MATCHING_PARENT,
    NOT_ALLOWED,
    UNKNOWN,
    Attachment,
    AttachmentIndex,
    RefVerdict,
    index,
    listeners,
)
from gwlint.attachment.listeners import (
    CORE_PROTOCOLS,
    HOSTNAME_KINDS,
    PARENT_KINDS,
    Listener,
    by_port,
    core_protocol,
    custom_protocol,
    make_listener,
    protocol_kinds,
)
from gwlint.attachment.selectors import (
    NAME_LABEL,
    listenerset_allowed,
    namespace_allowed,
    namespace_labels,
    selector_matches,
)
from gwlint.model import is_defaulted

__all__ = [
    "ACCEPTED", "ANY_HOST", "CACHE_KEY", "CAUSE_HOSTNAME", "CAUSE_KINDS", "CAUSE_NAMESPACE",
    "CAUSE_NAMESPACE_UNKNOWN", "CAUSE_PROTOCOL", "CORE_PROTOCOLS", "HOSTNAME_CONFLICT",
    "HOSTNAME_KINDS", "NAME_LABEL", "NOT_ALLOWED", "NO_MATCHING_HOSTNAME", "NO_MATCHING_PARENT",
    "OVERLAPPING_HOSTNAMES", "PARENT_KINDS", "PROTOCOL_CONFLICT", "UNKNOWN",
    "Attachment", "AttachmentIndex", "HostIndex", "Listener", "ListenerConflict", "RefVerdict",
    "by_port", "core_protocol", "custom_protocol", "effective_hostnames", "find_conflicts",
    "hostname_intersection", "hostnames_overlap", "index", "is_defaulted", "listeners",
    "listenerset_allowed", "make_listener", "namespace_allowed", "namespace_labels",
    "protocol_kinds", "route_hostnames", "selector_matches", "valid_hostname",
]
