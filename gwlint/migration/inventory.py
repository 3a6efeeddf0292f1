"""The migration inventory: per Ingress and host, `migrated` / `partial` / `not started`.

This is the report migration guides build by hand with `kubectl get ingress -A -o json | jq`,
computed from the parity results instead of from names:

* a host is **not started** when no route serves (or redirects) any of its paths and no HTTPS
  listener covers its TLS name;
* **migrated** when something serves it and no error or warning concerns it (paths, TLS, the
  HTTPS redirect, the Ingress's annotations);
* **partial** otherwise. An Ingress is migrated when all its hosts are, not started when none
  is touched, partial otherwise.

Counts: Ingresses, hosts, TLS hosts, paths and served paths, annotations and those without a
standard Gateway API equivalent (and how many of them nothing replaces yet). Renderers: a text
table, JSON (`Inventory.as_dict`) and Markdown for `$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gwlint.escapes import cell, sanitize
from gwlint.migration.annotations import table
from gwlint.migration.ingress import IngressInfo, Problem
from gwlint.migration.parity import behaviour
from gwlint.migration.parity import check as parity_check
from gwlint.migration.results import (ANNOTATION_NO_EQUIVALENT, ANNOTATION_POLICY,
                                      ANNOTATION_UNCHECKED, REDIRECTED, RULE_OF, SERVED, TLS_OK,
                                      Parity, Result, input_rule)
from gwlint.migration.routes import host_candidates

if TYPE_CHECKING:
    from gwlint.context import Context

MIGRATED, PARTIAL, NOT_STARTED = "migrated", "partial", "not started"
STATUSES = (MIGRATED, PARTIAL, NOT_STARTED)
_BLOCKING = ("error", "warning")
_TOUCHING = frozenset({SERVED, REDIRECTED, TLS_OK, "backend-differs", "match-differs",
                       "tls-wrong-secret", "tls-secret-not-permitted", "default-backend-differs"})


@dataclass(slots=True)
class HostStatus:
    host: str | None           # None: rules without host (every host)
    status: str
    paths: int = 0
    served: int = 0            # paths served as the Ingress served them
    tls: bool = False
    problems: Counter[str] = field(default_factory=Counter)   # problem code -> count

    def as_dict(self) -> dict[str, Any]:
        return {"host": self.host, "status": self.status, "paths": self.paths,
                "served": self.served, "tls": self.tls, "problems": dict(self.problems)}


@dataclass(slots=True)
class IngressStatus:
    namespace: str | None
    name: str
    scope: str
    api_version: str
    ingress_class: str | None
    controller: str            # ingress-nginx | kong | generic
    status: str
    hosts: list[HostStatus]
    annotations: int = 0
    without_equivalent: list[str] = field(default_factory=list)  # annotation keys
    unresolved: list[str] = field(default_factory=list)          # ... that nothing replaces
    problems: list[Result] = field(default_factory=list)
    canary: bool = False
    input_problems: list[Problem] = field(default_factory=list)  # GW609-GW611: the Ingress itself
    file: str = ""

    @property
    def label(self) -> str:
        scope = f"[{self.scope}] " if self.scope else ""
        return f"{scope}{self.namespace}/{self.name}"

    def as_dict(self) -> dict[str, Any]:
        return {"namespace": self.namespace, "name": self.name, "scope": self.scope or None,
                "file": self.file, "apiVersion": self.api_version, "class": self.ingress_class,
                "controller": self.controller, "canary": self.canary, "status": self.status,
                "hosts": [h.as_dict() for h in self.hosts], "annotations": self.annotations,
                "annotationsWithoutEquivalent": self.without_equivalent,
                "annotationsUnresolved": self.unresolved,
                "problems": [_problem_dict(r) for r in self.problems],
                "inputProblems": [_input_dict(p) for p in self.input_problems]}


def _input_dict(p: Problem) -> dict[str, Any]:
    return {"code": p.code, "rule": input_rule(p.code), "severity": p.severity,
            "message": p.message, "path": list(p.path)}


def _problem_dict(r: Result) -> dict[str, Any]:
    return {"code": r.code, "rule": RULE_OF.get(r.code), "severity": r.severity,
            "message": r.message, "host": r.host, "annotation": r.annotation,
            "path": list(r.path)}


@dataclass(slots=True)
class Inventory:
    ingresses: list[IngressStatus]

    def hosts(self) -> dict[tuple[str, str | None], HostStatus]:
        """Each host once (several Ingresses may route one host): migrated when every Ingress
        has it migrated, not started when none has started it, else partial."""
        out: dict[tuple[str, str | None], HostStatus] = {}
        for i in self.ingresses:
            for h in i.hosts:
                key = (i.scope, h.host)
                seen = out.get(key)
                if seen is None:
                    out[key] = HostStatus(h.host, h.status, h.paths, h.served, h.tls,
                                          Counter(h.problems))
                    continue
                if seen.status != h.status:
                    seen.status = PARTIAL
                seen.paths += h.paths
                seen.served += h.served
                seen.tls = seen.tls or h.tls
                seen.problems.update(h.problems)
        return out

    def totals(self) -> dict[str, Any]:
        hosts = self.hosts()
        by_status = Counter(i.status for i in self.ingresses)
        host_status = Counter(h.status for h in hosts.values())
        problems = Counter(r.code for i in self.ingresses for r in i.problems)
        inputs = Counter(p.code for i in self.ingresses for p in i.input_problems)
        return {
            "ingresses": len(self.ingresses),
            "ingressesByStatus": {s: by_status.get(s, 0) for s in STATUSES},
            "hosts": len(hosts),
            "hostsByStatus": {s: host_status.get(s, 0) for s in STATUSES},
            "tlsHosts": sum(1 for h in hosts.values() if h.tls),
            "paths": sum(h.paths for h in hosts.values()),
            "servedPaths": sum(h.served for h in hosts.values()),
            "annotations": sum(i.annotations for i in self.ingresses),
            "annotationsWithoutEquivalent": sum(len(i.without_equivalent) for i in self.ingresses),
            "annotationsUnresolved": sum(len(i.unresolved) for i in self.ingresses),
            "problems": dict(sorted(problems.items())),
            "inputProblems": dict(sorted(inputs.items())),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"totals": self.totals(), "ingresses": [i.as_dict() for i in self.ingresses]}


def build(ctx: Context, parity: Parity | None = None) -> Inventory:
    """The inventory of every Ingress of the run."""
    parity = parity or parity_check(ctx)
    by_ingress = parity.by_ingress()
    touched: set[tuple[str, str | None]] = set()
    for r in parity.results:
        if r.code in _TOUCHING:
            touched.add((r.ingress.scope, r.host))
    tls = {(i.scope, h) for i in parity.model.ingresses for h in i.tls_hosts()}
    tbl = table()
    out = []
    for info in parity.model.ingresses:
        results = by_ingress.get(id(info), [])
        out.append(_ingress_status(info, results, touched, tls, tbl))
    return Inventory(out)


def _ingress_status(info: IngressInfo, results: list[Result],
                    touched: set[tuple[str, str | None]], tls: set[tuple[str, str]],
                    tbl: Any) -> IngressStatus:
    beh = behaviour(info)
    canary = beh == "ingress-nginx" and info.flag("canary") is True
    problems = [r for r in results if r.problem]
    blocking = [r for r in problems if r.severity in _BLOCKING]
    tls_hosts = set(info.tls_hosts())
    hosts = []
    host_list = info.hosts() or ([None] if info.default_backend is not None else [])
    for host in host_list:
        paths = [ip for ip in info.paths if ip.host == host]
        served = {id(r.ingress_path) for r in results
                  if r.code == SERVED and r.host == host and r.ingress_path is not None}
        is_touched = any((info.scope, h) in touched for h in _hosts_of(host))
        host_problems = [r for r in blocking if r.host == host or r.host is None]
        status = NOT_STARTED if not is_touched else (PARTIAL if host_problems else MIGRATED)
        if canary:  # a canary's paths are served as extra backends of the main Ingress's
            served = {id(p) for p in paths} if status == MIGRATED else set()
        has_tls = host is not None and any((info.scope, h) in tls for h in _hosts_of(host))
        hosts.append(HostStatus(host, status, len(paths), len(served), has_tls,
                                Counter(r.code for r in problems if r.host == host)))
    for host in sorted(tls_hosts - {h.host for h in hosts}):
        status = MIGRATED if (info.scope, host) in touched else NOT_STARTED
        hosts.append(HostStatus(host, status, tls=True,
                                problems=Counter(r.code for r in problems if r.host == host)))
    statuses = {h.status for h in hosts}
    if not hosts or statuses == {NOT_STARTED}:
        status = NOT_STARTED
    elif statuses == {MIGRATED} and not [r for r in blocking if r.host is None]:
        status = MIGRATED
    else:
        status = PARTIAL
    known = [k for k in info.annotations if tbl.lookup(k) is not None]
    without = [k for k in known if tbl.lookup(k).no_equivalent]
    resolved = {r.annotation for r in results if r.code == ANNOTATION_POLICY}
    unresolved = sorted({r.annotation for r in results if r.annotation and (
        r.code == ANNOTATION_NO_EQUIVALENT
        or (r.code == ANNOTATION_UNCHECKED and r.annotation in without))} - resolved)
    return IngressStatus(info.resource.namespace, info.resource.name, info.scope,
                         info.resource.api_version, info.class_name, beh, status, hosts,
                         len(known), without, unresolved, problems, canary,
                         [p for p in info.problems if p.severity in _BLOCKING],
                         info.resource.origin.source.path)


def _hosts_of(host: str | None) -> list[str | None]:
    if host is None:
        return [None]
    return [host, *host_candidates(host)[1:-1]]


# --- renderers --------------------------------------------------------------------------------
def render_json(inv: Inventory) -> str:
    return json.dumps(inv.as_dict(), indent=2, sort_keys=False)


def _summary(inv: Inventory) -> list[str]:
    t = inv.totals()
    ing, hosts = t["ingressesByStatus"], t["hostsByStatus"]
    return [
        f"{t['ingresses']} Ingresses: {ing[MIGRATED]} migrated, {ing[PARTIAL]} partial, "
        f"{ing[NOT_STARTED]} not started",
        f"{t['hosts']} hosts ({t['tlsHosts']} with TLS): {hosts[MIGRATED]} migrated, "
        f"{hosts[PARTIAL]} partial, {hosts[NOT_STARTED]} not started; "
        f"{t['servedPaths']} of {t['paths']} paths served as before",
        f"{t['annotations']} annotations, {t['annotationsWithoutEquivalent']} without a standard "
        f"equivalent ({t['annotationsUnresolved']} not replaced by anything yet)",
    ]


def _rows(inv: Inventory) -> list[list[str]]:
    rows = []
    for i in inv.ingresses:
        for n, h in enumerate(i.hosts or [HostStatus(None, i.status)]):
            found = Counter(h.problems)
            if n == 0:  # the Ingress's own input problems go with its first host
                found.update(p.code for p in i.input_problems)
            codes = ", ".join(f"{c}" + (f" x{k}" if k > 1 else "")
                              for c, k in sorted(found.items()))
            rows.append([i.label if n == 0 else "", (i.ingress_class or "-") if n == 0 else "",
                         h.host or "*", f"{h.served}/{h.paths}", "yes" if h.tls else "",
                         h.status + (" (canary)" if i.canary and n == 0 else ""), codes])
    return rows


HEADER = ["INGRESS", "CLASS", "HOST", "SERVED", "TLS", "STATUS", "PROBLEMS"]


def render_table(inv: Inventory) -> str:
    """A plain text table, one line per Ingress host, and the totals (manifest text with its
    control characters made visible: a name cannot move the cursor)."""
    rows = [HEADER] + [[sanitize(c) for c in row] for row in _rows(inv)]
    widths = [max(len(r[c]) for r in rows) for c in range(len(HEADER) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1]
             for r in rows]
    return "\n".join([line.rstrip() for line in lines] + [""] + _summary(inv)) + "\n"


_ICON = {MIGRATED: "✅", PARTIAL: "🟡", NOT_STARTED: "⬜"}


def render_markdown(inv: Inventory, max_problems: int = 50) -> str:
    """Markdown for `$GITHUB_STEP_SUMMARY`: the summary, a table per Ingress host, the problems.
    Manifest text is escaped (`escapes.cell`): no name can become Markdown, HTML, a
    link or a mention."""
    out = ["## Ingress migration", ""]
    out += [f"- {line}" for line in _summary(inv)]
    out += ["", "| Ingress | Class | Host | Served paths | TLS | Status | Problems |",
            "|---|---|---|---|---|---|---|"]
    for row in _rows(inv):
        status = row[5]
        icon = next((v for k, v in _ICON.items() if status.startswith(k)), "")
        cells = [cell(c) for c in row]
        cells[5] = f"{icon} {cells[5]}".strip()
        cells[6] = ", ".join(f"`{c}`" for c in row[6].split(", ")) if row[6] else ""
        out.append("| " + " | ".join(cells) + " |")
    problems = [(i, f"{input_rule(p.code)} {p.code}", p.severity, p.message)
                for i in inv.ingresses for p in i.input_problems]
    problems += [(i, f"{RULE_OF.get(r.code, '')} {r.code}".strip(), r.severity, r.message)
                 for i in inv.ingresses for r in i.problems if r.severity in _BLOCKING]
    if problems:
        out += ["", f"### Problems ({len(problems)})", ""]
        for i, code, severity, message in problems[:max_problems]:
            out.append(f"- **{severity}** `{code}` {cell(i.label)}: {cell(message)}")
        if len(problems) > max_problems:
            out.append(f"- … and {len(problems) - max_problems} more (`gwlint migration "
                       "--format json` lists all)")
    return "\n".join(out) + "\n"
