"""The migration inventory: statuses, counts and the three renderers."""

from __future__ import annotations

import json
import re

from gwlint.migration import build_inventory, render_markdown, render_table
from gwlint.migration.inventory import MIGRATED, NOT_STARTED, PARTIAL, render_json
from tests.migration.helpers import HOST, base, docs, docs_context, ingress, route, rule


def inv_of(s: dict):
    return build_inventory(docs_context(docs(s)))


def status(inv, name: str = "web") -> str:
    return next(i.status for i in inv.ingresses if i.name == name)


def test_statuses():
    s = base()
    assert status(inv_of(s)) == MIGRATED
    s["route"] = route(rules=[rule(backends=[("other", 8080)])])
    assert status(inv_of(s)) == PARTIAL
    s["route"] = None
    assert status(inv_of(s)) == NOT_STARTED


def test_info_problems_do_not_block_migrated():
    s = base({"nginx.ingress.kubernetes.io/enable-access-log": "false"})
    inv = inv_of(s)
    [ing] = inv.ingresses
    assert [r.severity for r in ing.problems] == ["info"]
    assert ing.status == MIGRATED


def test_one_host_migrated_one_not_started_is_partial():
    s = base(paths=[("/api", "Prefix", "api", 8080)])
    s["ingress"]["spec"]["rules"].append({"host": "other.example.com", "http": {"paths": [
        {"path": "/", "pathType": "Prefix",
         "backend": {"service": {"name": "api", "port": {"number": 8080}}}}]}})
    inv = inv_of(s)
    [ing] = inv.ingresses
    assert {h.host: h.status for h in ing.hosts} == {HOST: MIGRATED,
                                                     "other.example.com": NOT_STARTED}
    assert ing.status == PARTIAL


def test_counts_and_json():
    s = base({"nginx.ingress.kubernetes.io/limit-rps": "5",
              "nginx.ingress.kubernetes.io/rewrite-target": "/"}, tls=True)
    s["extra"].append(ingress("second", host="b.example.com",
                              paths=[("/", "Prefix", "b", 80), ("/x", "Exact", "b", 80)]))
    inv = inv_of(s)
    totals = inv.totals()
    assert totals["ingresses"] == 2 and totals["hosts"] == 2 and totals["tlsHosts"] == 1
    assert totals["paths"] == 3 and totals["servedPaths"] == 1
    assert totals["annotations"] == 2 and totals["annotationsWithoutEquivalent"] == 1
    assert totals["annotationsUnresolved"] == 1
    assert totals["ingressesByStatus"] == {MIGRATED: 0, PARTIAL: 1, NOT_STARTED: 1}
    data = json.loads(render_json(inv))
    assert data["totals"] == totals
    web = next(i for i in data["ingresses"] if i["name"] == "web")
    assert web["class"] == "nginx" and web["controller"] == "ingress-nginx"
    assert web["hosts"][0] == {"host": HOST, "status": PARTIAL, "paths": 1, "served": 1,
                               "tls": True, "problems": {"https-redirect-missing": 1,
                                                         "annotation-missing": 1,
                                                         "annotation-no-equivalent": 1}}
    assert web["annotationsWithoutEquivalent"] == ["nginx.ingress.kubernetes.io/limit-rps"]
    codes = sorted(p["code"] for p in web["problems"])
    assert codes == ["annotation-missing", "annotation-no-equivalent", "https-redirect-missing"]
    assert all(isinstance(p["path"], list) for p in web["problems"])


def test_tls_only_host_and_default_backend_only_ingress():
    s = base(tls=True)
    s["ingress"]["spec"]["tls"][0]["hosts"].append("extra.example.com")
    s["extra"].append(ingress("fallback", paths=[], default_backend={
        "service": {"name": "f", "port": {"number": 80}}}))
    inv = inv_of(s)
    web = next(i for i in inv.ingresses if i.name == "web")
    assert [h.host for h in web.hosts] == [HOST, "extra.example.com"]
    assert web.hosts[1].tls and web.hosts[1].paths == 0
    fallback = next(i for i in inv.ingresses if i.name == "fallback")
    assert [h.host for h in fallback.hosts] == [None] and fallback.status == NOT_STARTED


def test_table_renderer():
    s = base()
    s["extra"].append(ingress("second", host="b.example.com"))
    text = render_table(inv_of(s))
    lines = text.splitlines()
    assert lines[0].split() == ["INGRESS", "CLASS", "HOST", "SERVED", "TLS", "STATUS", "PROBLEMS"]
    # columns are aligned: every row's host starts where the header's does
    col = lines[0].index("HOST")
    assert lines[1][col:].startswith("b.example.com") and lines[2][col:].startswith(HOST)
    assert "not-served" in lines[1] and "migrated" in lines[2]
    assert "2 Ingresses: 1 migrated, 0 partial, 1 not started" in text


def test_markdown_escapes_cells_and_caps_problems():
    s = base(paths=[(f"/p{i}|x", "Prefix", "api", 8080) for i in range(5)])
    text = render_markdown(inv_of(s), max_problems=3)
    rows = [line for line in text.splitlines() if line.startswith("| app/web")]
    assert len(rows) == 1
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == 8  # 7 cells, nothing leaks a '|'
    assert text.startswith("## Ingress migration\n")
    assert "### Problems (5)" in text and "… and 2 more" in text
    assert "\\|" in text  # the path's pipe is escaped in problem lines too
    assert "🟡" not in text and "⬜ not started" in text


def test_empty_inventory():
    inv = build_inventory(docs_context([route()]))
    assert inv.ingresses == [] and inv.totals()["ingresses"] == 0
    assert "0 Ingresses" in render_table(inv) and "0 Ingresses" in render_markdown(inv)
