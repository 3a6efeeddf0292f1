"""Score gwlint's predicted status against the Gateway API conformance suite's expectations.

Every folder of `tests/conformance/` is one conformance test: `manifests.yaml` (what the test
applies, on top of `_base/`: the suite's base manifests and the objects it generates at run
time) and `expected.yaml` (what the Go test asserts, one check per line). `run_case` lints the
folder twice through the CLI, as a user would: `gwlint status --format json --causes` (the status
model) and `gwlint check --format json` (the findings and their `predicts`). `score` compares.

Checks (the conformance helpers they stand for, `conformance/utils/kubernetes/helpers.go`):

* a condition (`type`, `status`, optional `reason`: an empty reason matches any, as
  `findConditionInList` does) on an object, a listener (`listener`), a route's parent entry
  (`parent`: any `status.parents[]` entry whose parentRef names that object, as
  `HTTPRouteMustHaveCondition` matches by name and namespace) or a policy ancestor (`ancestor`);
* `absent: true`: the condition type is not set (`GatewayListenerMustNotHaveCondition`);
* `attachedRoutes`, `supportedKinds` (`[]`: none; else every kind listed is present, as
  `listenersMatch`), `attachedListenerSets` (`GatewayMustHaveAttachedListeners`),
  `acceptedParents: 0` (`HTTPRouteMustHaveNoAcceptedParents`), `attachedRoutesTotal: 0`
  (`GatewayMustHaveZeroRoutes`).

A condition check is a *problem* when it expects what a user must fix (Accepted, ResolvedRefs or
Programmed not True, Conflicted or OverlappingTLSConfig True, or reason ListenersNotValid), else
*healthy*. The other checks are *structure*. Scores:

* status model: per check, whether `gwlint status` says the same (`match`), says Unknown with the
  expected outcome as its likely one (`likely`), something else (`mismatch`) or nothing
  (`missing`);
* findings: per problem check, whether some finding's `predicts` holds that condition (`match`,
  or `likely` when the item is marked likely), else `none` (with `object` when some finding is at
  least about the right object);
* healthy conditions: whether some finding's `predicts` contradicts one (`contradicted`);
* healthy objects (objects with a healthy condition check and no problem check) flagged: a
  finding predicts a condition of theirs that contradicts a check, or an error finding is about
  them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from gwlint.cli import main

ROOT = Path(__file__).resolve().parent
BASE = ROOT / "_base"
POSITIVE = frozenset({"Accepted", "ResolvedRefs", "Programmed"})
NEGATIVE = frozenset({"Conflicted", "OverlappingTLSConfig"})
PROBLEM_REASONS = frozenset({"ListenersNotValid"})
STRUCTURE = ("attachedRoutes", "supportedKinds", "attachedListenerSets", "acceptedParents",
             "attachedRoutesTotal")
DEFAULT_GROUP = "gateway.networking.k8s.io"


@dataclass(frozen=True)
class Ref:
    """KIND/NAMESPACE/NAME (namespace empty for cluster-scoped kinds)."""

    kind: str
    namespace: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Ref:
        kind, namespace, name = text.split("/")
        return cls(kind, namespace, name)

    def __str__(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}"


@dataclass(frozen=True)
class Check:
    case: str
    object: Ref
    listener: str | None
    parent: Ref | None
    ancestor: Ref | None
    spec: dict[str, Any]

    @property
    def category(self) -> str:
        if "type" not in self.spec:
            return "structure"
        if self.spec.get("absent"):
            return "healthy"
        kind, status = self.spec["type"], self.spec["status"]
        if self.spec.get("reason") in PROBLEM_REASONS:
            return "problem"
        if kind in POSITIVE:
            return "healthy" if status == "True" else "problem"
        if kind in NEGATIVE:
            return "problem" if status == "True" else "healthy"
        return "healthy"

    def where(self) -> str:
        at = str(self.object)
        if self.listener:
            at += f" listener {self.listener}"
        if self.parent:
            at += f" parent {self.parent}"
        if self.ancestor:
            at += f" ancestor {self.ancestor}"
        return at

    def expects(self) -> str:
        if "type" in self.spec:
            if self.spec.get("absent"):
                return f"{self.spec['type']} not set"
            reason = self.spec.get("reason") or "(any reason)"
            return f"{self.spec['type']}={self.spec['status']} {reason}"
        key = next(k for k in STRUCTURE if k in self.spec)
        return f"{key}={self.spec[key]}"


@dataclass
class Case:
    name: str
    path: Path
    provisional: bool
    checks: list[Check]


@dataclass
class Observed:
    items: list[dict[str, Any]]
    findings: list[dict[str, Any]]


@dataclass
class Outcome:
    check: Check
    model: str  # match | likely | mismatch | missing
    model_says: str
    finding: str | None = None  # problem: match | likely | object | none; healthy: contradicted
    finding_says: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    healthy_objects: dict[tuple[str, Ref], list[str]] = field(default_factory=dict)
    warnings_on_healthy: list[str] = field(default_factory=list)


def load_cases(root: Path = ROOT) -> list[Case]:
    """Every folder with an `expected.yaml`, `_base` first (its checks run on the base alone)."""
    cases = []
    for path in sorted(p for p in root.iterdir() if (p / "expected.yaml").is_file()):
        text = (path / "expected.yaml").read_text(encoding="utf-8")
        data = yaml.load(text, Loader=yaml.CSafeLoader)
        checks = [_check(path.name, entry) for entry in data["expect"]]
        cases.append(Case(path.name, path, bool(data.get("provisional")), checks))
    return cases


def _check(case: str, entry: dict[str, Any]) -> Check:
    spec = {k: v for k, v in entry.items()
            if k not in ("object", "listener", "parent", "ancestor")}
    return Check(case, Ref.parse(entry["object"]), entry.get("listener"),
                 Ref.parse(entry["parent"]) if "parent" in entry else None,
                 Ref.parse(entry["ancestor"]) if "ancestor" in entry else None, spec)


def run_case(case: Case, runner: CliRunner | None = None) -> Observed:
    """`gwlint status` and `gwlint check` on the base manifests plus the case's folder."""
    runner = runner or CliRunner()
    # Files named one by one: gwlint asks Git for the file list of a directory argument, a
    # process per run that costs more than linting these few objects.
    folders = [BASE] if case.path == BASE else [BASE, case.path]
    paths = [str(f) for folder in folders for f in sorted(folder.glob("*.yaml"))
             if f.name != "expected.yaml"]
    status = runner.invoke(main, ["status", "--format", "json", "--causes", *paths])
    check = runner.invoke(main, ["check", "--format", "json", "--exit-zero", *paths])
    for result in (status, check):
        if result.exit_code != 0:
            raise RuntimeError(f"{case.name}: gwlint exited {result.exit_code}: {result.output}"
                               f"{result.exception!r}")
    return Observed(json.loads(status.output)["items"], json.loads(check.output)["findings"])


def score(cases: Iterable[Case], observe: Any = run_case) -> Report:
    report = Report()
    for case in cases:
        seen = observe(case)
        by_ref = {_item_ref(item): item for item in seen.items}
        for check in case.checks:
            outcome = _judge_model(check, by_ref.get(check.object))
            if check.category == "problem":
                outcome.finding, outcome.finding_says = _judge_findings(check, seen.findings)
            elif check.category == "healthy":
                outcome.finding, outcome.finding_says = _contradicted(check, seen.findings)
            report.outcomes.append(outcome)
        _healthy(case, seen.findings, report)
    return report


def _item_ref(item: dict[str, Any]) -> Ref:
    meta = item["metadata"]
    return Ref(item["kind"], meta.get("namespace") or "", meta["name"])


# -- the status model -------------------------------------------------------------------------


def _judge_model(check: Check, item: dict[str, Any] | None) -> Outcome:
    if item is None:
        return Outcome(check, "missing", "object not in `gwlint status`")
    status = item.get("status") or {}
    spec = check.spec
    if "type" in spec:
        lists = list(_condition_lists(check, item, status))
        if not lists:
            return Outcome(check, "missing", _no_holder(check))
        return _judge_condition(check, [c for conds in lists for c in conds])
    if "acceptedParents" in spec:
        accepted = sum(1 for parent in status.get("parents", [])
                       if any(c["type"] == "Accepted" and c["status"] == "True"
                              for c in parent.get("conditions", [])))
        return _compare(check, accepted, spec["acceptedParents"], "accepted parents")
    if "attachedRoutesTotal" in spec:
        total = sum(lst.get("attachedRoutes", 0) for lst in status.get("listeners", []))
        return _compare(check, total, spec["attachedRoutesTotal"], "attachedRoutes in all")
    if "attachedListenerSets" in spec:
        return _compare(check, status.get("attachedListenerSets"), spec["attachedListenerSets"],
                        "attachedListenerSets")
    listener = _listener(status, check.listener)
    if listener is None:
        return Outcome(check, "missing", _no_holder(check))
    if "attachedRoutes" in spec:
        return _compare(check, listener.get("attachedRoutes"), spec["attachedRoutes"],
                        "attachedRoutes")
    kinds = {(k.get("group", DEFAULT_GROUP) or DEFAULT_GROUP, k["kind"])
             for k in listener.get("supportedKinds", [])}
    wanted = {(DEFAULT_GROUP, k) for k in spec["supportedKinds"]}
    ok = not kinds if not wanted else wanted <= kinds
    says = "supportedKinds=[" + ", ".join(sorted(k for _, k in kinds)) + "]"
    return Outcome(check, "match" if ok else "mismatch", says)


def _condition_lists(check: Check, item: dict[str, Any],
                     status: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
    if check.listener:
        listener = _listener(status, check.listener)
        if listener is not None:
            yield listener.get("conditions", [])
    elif check.parent:
        for parent in status.get("parents", []):
            if _names(parent.get("parentRef", {}), check.parent, item):
                yield parent.get("conditions", [])
    elif check.ancestor:
        for ancestor in status.get("ancestors", []):
            if _names(ancestor.get("ancestorRef", {}), check.ancestor, item):
                yield ancestor.get("conditions", [])
    else:
        yield status.get("conditions", [])


def _names(ref: dict[str, Any], want: Ref, item: dict[str, Any]) -> bool:
    namespace = ref.get("namespace") or item["metadata"].get("namespace") or ""
    return (ref.get("name") == want.name and namespace == want.namespace
            and (ref.get("kind") or "Gateway") == want.kind)


def _listener(status: dict[str, Any], name: str | None) -> dict[str, Any] | None:
    return next((lst for lst in status.get("listeners", []) if lst.get("name") == name), None)


def _no_holder(check: Check) -> str:
    if check.listener:
        return f"no listener {check.listener!r} in the status"
    if check.parent:
        return f"no status.parents entry for {check.parent}"
    if check.ancestor:
        return f"no status.ancestors entry for {check.ancestor}"
    return "no status"


def _judge_condition(check: Check, conditions: list[dict[str, Any]]) -> Outcome:
    spec = check.spec
    same_type = [c for c in conditions if c["type"] == spec["type"]]
    if spec.get("absent"):
        if not same_type:
            return Outcome(check, "match", f"{spec['type']} not set")
        return Outcome(check, "mismatch", "; ".join(_say(c) for c in same_type))
    if not same_type:
        return Outcome(check, "missing", f"no {spec['type']} condition")
    for cond in same_type:
        if _fits(spec, cond.get("status"), cond.get("reason")):
            return Outcome(check, "match", _say(cond))
    for cond in same_type:
        likely = (cond.get("x-gwlint") or {}).get("likely")
        if cond.get("status") == "Unknown" and likely and _fits(spec, likely.get("status"),
                                                                likely.get("reason")):
            return Outcome(check, "likely", _say(cond) + f" (likely {likely['status']} "
                                                          f"{likely['reason']})")
    return Outcome(check, "mismatch", "; ".join(_say(c) for c in same_type))


def _fits(spec: dict[str, Any], status: str | None, reason: str | None) -> bool:
    return status == spec["status"] and (not spec.get("reason") or reason == spec["reason"])


def _say(cond: dict[str, Any]) -> str:
    return f"{cond['type']}={cond['status']} {cond.get('reason', '')}".strip()


def _compare(check: Check, got: Any, want: Any, label: str) -> Outcome:
    if got is None:
        return Outcome(check, "missing", f"no {label}")
    return Outcome(check, "match" if got == want else "mismatch", f"{label}={got}")


# -- findings -------------------------------------------------------------------------------


def _predicted(check: Check, findings: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every predicts item about the check's object and its listener / parent / ancestor."""
    for finding in findings:
        for item in finding.get("predicts") or []:
            obj = item.get("object") or {}
            if (obj.get("kind"), obj.get("namespace") or "", obj.get("name")) != (
                    check.object.kind, check.object.namespace, check.object.name):
                continue
            if item.get("listener") != check.listener:
                continue
            holder = check.parent or check.ancestor
            parent = item.get("parent")
            if holder is None or parent is None:
                if holder is parent:  # both None: a condition of the object or its listener
                    yield item
            elif _names(parent, holder, {"metadata": {"namespace": check.object.namespace}}):
                yield item


def _judge_findings(check: Check, findings: list[dict[str, Any]]) -> tuple[str, str]:
    spec = check.spec
    items = [i for i in _predicted(check, findings) if i.get("type") == spec["type"]]
    for wanted_likely in (False, True):
        for item in items:
            if bool(item.get("likely")) == wanted_likely and _fits(spec, item.get("status"),
                                                                   item.get("reason")):
                return ("likely" if wanted_likely else "match"), _say(item)
    if items:
        return "none", "; ".join(sorted({_say(i) + (" (likely)" if i.get("likely") else "")
                                         for i in items}))
    about = sorted({f["rule"] for f in findings if _about(f, check.object)})
    if about:
        return "object", "findings about the object without it: " + ", ".join(about)
    return "none", "no finding"


def _contradicted(check: Check, findings: list[dict[str, Any]]) -> tuple[str | None, str]:
    """A healthy check: `contradicted` when some finding predicts otherwise, else None."""
    wrong = sorted({_say(i) for i in _predicted(check, findings)
                    if i.get("type") == check.spec["type"]
                    and (check.spec.get("absent") or i.get("status") != check.spec["status"])})
    return ("contradicted", "; ".join(wrong)) if wrong else (None, "")


def _about(finding: dict[str, Any], ref: Ref) -> bool:
    res = finding.get("resource") or {}
    return (res.get("kind"), res.get("namespace") or "", res.get("name")) == (
        ref.kind, ref.namespace, ref.name)


def _healthy(case: Case, findings: list[dict[str, Any]], report: Report) -> None:
    """Objects all of whose checks are healthy: what findings contradict, errors about them."""
    by_object: dict[Ref, list[Check]] = {}
    for check in case.checks:
        by_object.setdefault(check.object, []).append(check)
    for ref, checks in by_object.items():
        if any(c.category == "problem" for c in checks) or not any(
                c.category == "healthy" for c in checks):
            continue  # a problem, or the suite asserts nothing about its health
        flags = []
        for check in checks:
            if "type" not in check.spec:
                continue
            for item in _predicted(check, findings):
                if item.get("type") != check.spec["type"]:
                    continue
                if check.spec.get("absent") or item.get("status") != check.spec["status"]:
                    flags.append(f"predicts {_say(item)} at {check.where()} (expects "
                                 f"{check.expects()})")
        for finding in findings:
            if _about(finding, ref) and finding["severity"] == "error":
                flags.append(f"{finding['rule']} error: {finding['message']}")
            elif _about(finding, ref) and finding["severity"] == "warning":
                report.warnings_on_healthy.append(
                    f"{case.name}: {ref}: {finding['rule']} {finding['message']}")
        report.healthy_objects[(case.name, ref)] = sorted(set(flags))


# -- summaries ------------------------------------------------------------------------------


@dataclass
class Summary:
    model_match: int
    model_likely: int
    model_total: int
    problem_model_match: int
    problem_total: int
    problem_findings_match: int
    problem_findings_likely: int
    problem_findings_object: int
    healthy_checks: int
    healthy_model_wrong: int
    healthy_findings_contradict: int
    healthy_objects: int
    healthy_objects_flagged: int

    def lines(self) -> list[str]:
        def pct(n: int, d: int) -> str:
            return f"{n}/{d} ({100 * n / d:.1f}%)" if d else "0/0"
        return [
            f"status model, every check:         {pct(self.model_match, self.model_total)} "
            f"match, +{self.model_likely} Unknown with the expected likely outcome",
            "status model, problem conditions:   "
            f"{pct(self.problem_model_match, self.problem_total)}",
            f"status model, healthy conditions wrong: "
            f"{pct(self.healthy_model_wrong, self.healthy_checks)}",
            f"findings, problem recall (condition+reason): "
            f"{pct(self.problem_findings_match, self.problem_total)}, "
            f"+{self.problem_findings_likely} marked likely; right object only: "
            f"{self.problem_findings_object}",
            f"findings, healthy conditions contradicted: "
            f"{pct(self.healthy_findings_contradict, self.healthy_checks)}",
            f"findings, healthy objects flagged:  "
            f"{pct(self.healthy_objects_flagged, self.healthy_objects)}",
        ]


def summarize(report: Report, cases: Iterable[Case], provisional: bool = False) -> Summary:
    chosen = {c.name for c in cases if c.provisional == provisional}
    outs = [o for o in report.outcomes if o.check.case in chosen]
    problems = [o for o in outs if o.check.category == "problem"]
    healthy = [o for o in outs if o.check.category == "healthy"]
    objects = {k: v for k, v in report.healthy_objects.items() if k[0] in chosen}
    return Summary(
        model_match=sum(o.model == "match" for o in outs),
        model_likely=sum(o.model == "likely" for o in outs),
        model_total=len(outs),
        problem_model_match=sum(o.model == "match" for o in problems),
        problem_total=len(problems),
        problem_findings_match=sum(o.finding == "match" for o in problems),
        problem_findings_likely=sum(o.finding == "likely" for o in problems),
        problem_findings_object=sum(o.finding == "object" for o in problems),
        healthy_checks=len(healthy),
        healthy_model_wrong=sum(o.model != "match" for o in healthy),
        healthy_findings_contradict=sum(o.finding == "contradicted" for o in healthy),
        healthy_objects=len(objects),
        healthy_objects_flagged=sum(1 for flags in objects.values() if flags),
    )


def mismatch_table(report: Report) -> list[str]:
    """One line per check the status model or the findings get wrong."""
    rows = []
    for o in report.outcomes:
        wrong_model = o.model != "match"
        wrong_findings = o.finding not in (None, "match")  # likely, object, none, contradicted
        if not (wrong_model or wrong_findings):
            continue
        line = f"{o.check.case}: {o.check.where()}: expects {o.check.expects()}"
        if wrong_model:
            line += f" | status: {o.model}: {o.model_says}"
        if wrong_findings:
            line += f" | findings: {o.finding}: {o.finding_says}"
        rows.append(line)
    for (case, ref), flags in sorted(report.healthy_objects.items(), key=lambda kv: (
            kv[0][0], str(kv[0][1]))):
        for flag in flags:
            rows.append(f"{case}: {ref}: healthy, flagged: {flag}")
    return rows
