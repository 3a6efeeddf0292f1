"""Build the `StatusModel` of a `Context` once, in dependency order, linear in the objects.

Every reference's verdict (`refcheck.judge`) -> GatewayClasses (their controllerName picks each
Gateway's profile) -> listeners of every Gateway
and attached ListenerSet (`ListenerJudge`) -> Gateway conditions (own listeners) -> ListenerSets
(need their Gateway's Accepted) -> routes (`RouteJudge`: parent entries, attachedRoutes) ->
BackendTLSPolicies (ancestors are the Gateways that accept routes to the targeted Service) ->
attachedRoutes / attachedListenerSets.

Every step reads the indexes the rules already build (`attachment.index(ctx)`: listeners,
parentRef verdicts, listener conflicts; `ctx.refs`, `ctx.grants`, `ctx.exists`) and loops over
objects and references with dict lookups only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from gwlint import attachment
from gwlint.model import ObjKey, Resource
from gwlint.status import conditions as C
from gwlint.status.conditions import Condition
from gwlint.status import refcheck
from gwlint.status.gateways import (
    PARENT_NOT_FOUND,
    Controller,
    ListenerJudge,
    aggregate,
    client_certificate,
    gateway_class_status,
    gateway_controller,
    gateway_parameters,
    insecure_frontend,
    pending,
    settled,
)
from gwlint.status.model import ObjectStatus, StatusModel
from gwlint.status.policies import POLICY_KINDS, PolicyJudge
from gwlint.status import profiles as P
from gwlint.status.profiles import SPEC_PROFILE
from gwlint.status.routes import RouteJudge

if TYPE_CHECKING:
    from gwlint.context import Context
    from gwlint.refs import Ref

CACHE_KEY = "status"
TYPES = (C.ACCEPTED, C.PROGRAMMED)


def build(ctx: Context) -> StatusModel:
    model = StatusModel()
    idx = attachment.index(ctx)
    classes: dict[ObjKey, ObjectStatus] = {}
    for cls in ctx.of_kind("GatewayClass"):
        classes[cls.key] = model.add(gateway_class_status(ctx, cls))
    scopes = {cls.scope for cls in ctx.of_kind("GatewayClass")}
    controllers: dict[int, Controller] = {
        id(gw): gateway_controller(ctx, gw, classes, scopes) for gw in ctx.of_kind("Gateway")}
    policy_profile = _policy_profile(controllers)
    for ref, problem in refcheck.judge(ctx, idx, _ref_profiles(controllers, policy_profile)):
        model.set_reference(ref, problem)

    judge = ListenerJudge(ctx, idx, model)
    gateways: list[ObjectStatus] = []
    for gw in ctx.of_kind("Gateway"):
        gateways.append(model.add(_gateway(ctx, idx, judge, model, gw, controllers[id(gw)])))

    allowed: dict[int, bool | None] = {}
    sets: list[ObjectStatus] = []
    for lset in idx.listenersets():
        status = _listenerset(ctx, idx, judge, lset, controllers, model)
        allowed[id(lset)] = idx.listenerset_allowed(lset) if status.written else False
        sets.append(model.add(status))

    routes = RouteJudge(ctx, idx, model, controllers, allowed)
    for status in routes.run():
        model.add(status)

    for owner in gateways + sets:
        for ls in owner.listeners:
            ls.attached_routes = len(routes.attached.get(ls.listener, ()))
            ls.attached_routes_undecided = len(routes.undecided.get(ls.listener, set())
                                               - routes.attached.get(ls.listener, set()))

    if any(ctx.of_kind(kind, group) for group, kind in POLICY_KINDS):
        route_gateways = _route_gateways(ctx, routes)
        for status in PolicyJudge(ctx, model, controllers, route_gateways,
                                  policy_profile).run():
            model.add(status)

    _attached_listener_sets(ctx, idx, gateways, model)
    return model


def _policy_profile(controllers: dict[int, Controller]) -> P.Profile:
    """The implementation that judges a policy's references in the model: the one implementation
    of every reconciled Gateway, the spec's when they differ (`PolicyJudge` judges again for an
    ancestor whose profile differs)."""
    profiles = {c.profile.name: c.profile for c in controllers.values() if c.reconciled}
    return next(iter(profiles.values())) if len(profiles) == 1 else SPEC_PROFILE


def _ref_profiles(controllers: dict[int, Controller], policy_profile: P.Profile
                  ) -> Callable[[Ref], P.Profile]:
    """The implementation that judges a reference (its caCertificateRef kinds): a Gateway's own
    controller, `policy_profile` for the rest."""
    def profile_of(ref: Ref) -> P.Profile:
        controller = controllers.get(id(ref.source))
        return controller.profile if controller is not None else policy_profile
    return profile_of


def _gateway(ctx: Context, idx: attachment.AttachmentIndex, judge: ListenerJudge,
             model: StatusModel, gw: Resource, controller: Controller) -> ObjectStatus:
    status = ObjectStatus(gw, controller.name, controller.profile.name)
    if not controller.reconciled:
        cause = ("spec", "gatewayClassName") if "gatewayClassName" in gw.spec else ("spec",)
        pending(status, TYPES, causes=(C.Cause(gw, cause), *controller.causes),
                detail=controller.why_not)
        return status
    status.listeners = [judge.status(ls, controller) for ls in idx.own_listeners(gw)]
    params = gateway_parameters(ctx, gw)
    if params is not None:
        status.conditions.set(params)
        programmed = Condition(C.PROGRAMMED, params.status, C.R_INVALID, params.message,
                               params.causes, undecided=params.undecided,
                               likely=(C.FALSE, C.R_INVALID) if params.likely else None,
                               detail=P.INVALID_PARAMETERS if params.status == C.FALSE else None)
        status.conditions.set(settled(controller.profile.apply(programmed)))
    else:
        aggregate(status, status.listeners, "Gateway", controller.profile)
    resolved = client_certificate(ctx, model, gw)
    if resolved is None and controller.profile.gateway_resolved_refs:
        resolved = Condition(C.RESOLVED_REFS, C.TRUE, C.R_RESOLVED_REFS, "All references resolved")
    if resolved is not None:
        status.conditions.set(controller.profile.apply(resolved))
    insecure = insecure_frontend(gw)
    if insecure is not None:
        status.conditions.set(insecure)
    return status


def _listenerset(ctx: Context, idx: attachment.AttachmentIndex, judge: ListenerJudge,
                 lset: Resource, controllers: dict[int, Controller],
                 model: StatusModel) -> ObjectStatus:
    ref = idx.listenerset_parent(lset)
    gw = ctx.get(ref.target) if ref is not None and ref.target.kind == "Gateway" else None
    controller = controllers.get(id(gw)) if gw is not None else None
    status = ObjectStatus(lset, controller.name if controller else None,
                          controller.profile.name if controller else "spec")
    parent_cause = (C.Cause(lset, ("spec", "parentRef")),)
    if gw is None:
        known = ref is not None and ctx.namespace_known(ref.target.scope, ref.target.namespace)
        if ref is not None and (ctx.assumed(ref.target) or not known):
            why = ("the parent Gateway is not in the linted files" if ctx.assumed(ref.target)
                   else f"namespace '{ref.target.namespace}' is not in the linted files: the "
                        "Gateway may exist outside them")
            detail = None if ctx.assumed(ref.target) else PARENT_NOT_FOUND
            for t in TYPES:
                status.conditions.set(Condition(
                    t, C.UNKNOWN, C.R_PENDING, f"{ref.target.label()} is not in the linted files",
                    parent_cause, detail=detail, undecided=why))
            outside = Controller(True, None, SPEC_PROFILE)
            status.unattached_listeners = [judge.status(ls, outside)
                                           for ls in idx.own_listeners(lset)]
        else:
            pending(status, TYPES, causes=parent_cause, detail=PARENT_NOT_FOUND)
        return status
    if controller is None or not controller.reconciled:
        pending(status, TYPES, causes=controller_causes(model, gw))
        return status
    profile = controller.profile
    causes = (C.Cause(lset, ("spec", "parentRef")),
              C.Cause(gw, ("spec", "allowedListeners") if "allowedListeners" in gw.spec
                      else ("spec",)))
    allowed = idx.listenerset_allowed(lset)
    if allowed is not True:
        msg = f"{gw.label()} does not allow this ListenerSet (spec.allowedListeners)"
        for t in TYPES:
            if allowed is False:
                status.conditions.set(profile.apply(Condition(
                    t, C.FALSE, C.R_NOT_ALLOWED, msg, causes, basis=C.CONFORMANCE)))
            else:
                status.conditions.set(Condition(
                    t, C.UNKNOWN, C.R_NOT_ALLOWED, msg, causes,
                    undecided="the allowedListeners selector needs a label of a Namespace "
                              "that is not in the linted files",
                    likely=(C.FALSE, C.R_NOT_ALLOWED)))
        return status
    parent = model.of(gw)
    if parent is not None and parent.conditions.status(C.ACCEPTED) == C.FALSE:
        msg = f"{gw.label()} is not accepted"
        # status(ACCEPTED) is False: the condition is there
        cause = parent.conditions.get(C.ACCEPTED).causes  # type: ignore[union-attr]
        status.conditions.set(profile.apply(Condition(
            C.ACCEPTED, C.FALSE, C.R_PARENT_NOT_ACCEPTED, msg, cause, basis=C.CONFORMANCE)))
        status.conditions.set(profile.apply(Condition(
            C.PROGRAMMED, C.FALSE, C.R_PARENT_NOT_PROGRAMMED, msg, cause,
            detail=P.PARENT_NOT_ACCEPTED)))
        return status
    status.listeners = [judge.status(ls, controller) for ls in idx.own_listeners(lset)]
    aggregate(status, status.listeners, "ListenerSet", profile)
    return status


def controller_causes(model: StatusModel, gw: Resource) -> tuple[C.Cause, ...]:
    """Why nobody reconciles a Gateway (the causes of its Pending conditions)."""
    status = model.of(gw)
    cond = status.conditions.get(C.ACCEPTED) if status is not None else None
    return cond.causes if cond is not None else ()


def _route_gateways(ctx: Context, routes: RouteJudge) -> dict[int, list[Resource]]:
    """id(route) -> the Gateways that accept it (a ListenerSet parent counts as its Gateway)."""
    out: dict[int, list[Resource]] = {}
    by_id: dict[int, Resource] = {id(gw): gw for gw in ctx.of_kind("Gateway")}
    idx = attachment.index(ctx)
    for lset in idx.listenersets():
        ref = idx.listenerset_parent(lset)
        parent = ctx.get(ref.target) if ref is not None else None
        if parent is not None:
            by_id[id(lset)] = parent
    for route, parents in routes.accepted_refs.items():
        gws: list[Resource] = []
        for pid in parents:
            found = by_id.get(pid)
            if found is not None and not any(g is found for g in gws):
                gws.append(found)
        out[route] = gws
    return out


def _attached_listener_sets(ctx: Context, idx: attachment.AttachmentIndex,
                            gateways: list[ObjectStatus], model: StatusModel) -> None:
    """status.attachedListenerSets: ListenerSets that name the Gateway and are Accepted."""
    counts: dict[int, int] = {}
    named: set[int] = set()
    for lset in idx.listenersets():
        ref = idx.listenerset_parent(lset)
        gw = ctx.get(ref.target) if ref is not None else None
        if gw is None:
            continue
        named.add(id(gw))
        status = model.of(lset)
        if status is not None and status.conditions.status(C.ACCEPTED) == C.TRUE:
            counts[id(gw)] = counts.get(id(gw), 0) + 1
    for status in gateways:
        gw = status.resource
        if status.written and (id(gw) in named or "allowedListeners" in gw.spec):
            status.attached_listener_sets = counts.get(id(gw), 0)


def model_of(ctx: Context) -> StatusModel:
    """The run's StatusModel (built on first use, cached in ctx.cache["status"])."""
    model = ctx.cache.get(CACHE_KEY)
    if model is None:
        model = ctx.cache[CACHE_KEY] = build(ctx)
    return model


__all__ = ["CACHE_KEY", "build", "model_of"]
