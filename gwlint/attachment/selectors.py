"""Namespace admission: `allowedRoutes.namespaces` and `allowedListeners.namespaces`, with
metav1.LabelSelector evaluated against the linted Namespace objects.

`Selector` is evaluated against the labels of the Namespace object of the same scope plus the
implicit `kubernetes.io/metadata.name=<name>`; when the selector needs a label of a namespace that
has no Namespace object in the linted set the result is undecidable (None).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwlint.attachment.listeners import Listener
from gwlint.model import CORE_GROUP, Resource, as_dict, as_list, as_str

if TYPE_CHECKING:
    from gwlint.context import Context

NAME_LABEL = "kubernetes.io/metadata.name"


def namespace_labels(ctx: Context, scope: str, namespace: str | None) -> dict[str, str] | None:
    """Labels of a namespace (with the implicit name label), or None when no Namespace object is
    in the linted set (then only `kubernetes.io/metadata.name` is known)."""
    table = ctx.cache.get("namespace-labels")
    if table is None:
        table = {}
        for ns in ctx.of_kind("Namespace", CORE_GROUP):
            labels = {k: v for k, v in as_dict(ns.metadata.get("labels")).items()
                      if isinstance(k, str) and isinstance(v, str)}
            labels[NAME_LABEL] = ns.name
            table[(ns.scope, ns.name)] = labels
        ctx.cache["namespace-labels"] = table
    return table.get((scope, namespace))


def selector_matches(selector: dict[str, Any] | None, namespace: str | None,
                     labels: dict[str, str] | None) -> bool | None:
    """Evaluate a metav1.LabelSelector on a namespace: True, False, or None (undecidable because
    `labels` is None and a requirement needs a label other than kubernetes.io/metadata.name).

    A missing selector matches nothing (LabelSelectorAsSelector(nil) is labels.Nothing()); an
    empty one matches everything. An invalid operator makes the selector undecidable.
    """
    if selector is None:
        return False
    known = labels if labels is not None else {NAME_LABEL: namespace or ""}
    results: list[bool | None] = []
    for key, value in as_dict(selector.get("matchLabels")).items():
        results.append(_requirement(known, labels is not None, key, "In", [value]))
    for expr in as_list(selector.get("matchExpressions")):
        expr = as_dict(expr)
        values = [v for v in as_list(expr.get("values")) if isinstance(v, str)]
        results.append(_requirement(known, labels is not None, as_str(expr.get("key"), ""),
                                    as_str(expr.get("operator"), ""), values))
    if False in results:
        return False
    if None in results:
        return None
    return True


def _requirement(labels: dict[str, str], complete: bool, key: Any, op: str,
                 values: list[Any]) -> bool | None:
    if not isinstance(key, str):
        return None
    if key not in labels and not complete and key != NAME_LABEL:
        return None
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    return None


def namespace_allowed(ctx: Context, listener: Listener, namespace: str | None) -> bool | None:
    """Whether the listener's allowedRoutes.namespaces admits `namespace` (None: undecidable)."""
    if listener.allowed_from == "All":
        return True
    if listener.allowed_from == "Same":
        return namespace == listener.owner.namespace
    if listener.allowed_from == "Selector":
        labels = namespace_labels(ctx, listener.owner.scope, namespace)
        return selector_matches(listener.selector, namespace, labels)
    return None


def listenerset_allowed(ctx: Context, gateway: Resource, listenerset: Resource) -> bool | None:
    """Whether the Gateway's spec.allowedListeners admits the ListenerSet (default None: no)."""
    namespaces = as_dict(as_dict(gateway.spec.get("allowedListeners")).get("namespaces"))
    from_ = as_str(namespaces.get("from"), "None") or "None"
    if from_ == "None":
        return False
    if from_ == "All":
        return True
    if from_ == "Same":
        return listenerset.namespace == gateway.namespace
    if from_ == "Selector":
        selector = namespaces.get("selector")
        labels = namespace_labels(ctx, gateway.scope, listenerset.namespace)
        return selector_matches(selector if isinstance(selector, dict) else None,
                                listenerset.namespace, labels)
    return None

