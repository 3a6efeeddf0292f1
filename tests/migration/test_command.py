"""`gwlint migration PATH...` through the CLI: formats, the shared input options, output files,
exit codes, and bad input (named on standard error, never a traceback)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from tests.migration.test_demo import DEMO

# What the demo's files were written to show (see their comments and test_demo.py).
DEMO_STATUS = {"api/orders": "not started", "blog/blog": "partial",
               "blog/blog-admin": "partial", "legacy/old-site": "not started",
               "shop/storefront": "partial", "shop/storefront-canary": "migrated"}

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
"""
ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  gatewayClassName: example
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  parentRefs: [{name: gw}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
"""


def migration(*args: str, input: str | None = None):  # noqa: A002 - click's name
    result = CliRunner().invoke(main, ["migration", *args], input=input)
    assert "Traceback" not in result.output
    return result


def demo_json() -> dict:
    result = migration(str(DEMO), "--isolated", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_table_is_the_default_format():
    result = migration(str(DEMO), "--isolated")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["INGRESS", "CLASS", "HOST", "SERVED", "TLS", "STATUS",
                                "PROBLEMS"]
    rows = {line.split()[0]: line for line in lines[1:7]}
    for name, status in DEMO_STATUS.items():
        assert f"  {status}" in rows[name], (name, rows[name])
    assert "removed-api" in rows["legacy/old-site"]  # the Ingress's own problem, GW611
    assert "6 Ingresses: 1 migrated, 3 partial, 2 not started" in result.stdout


def test_json_contract():
    doc = demo_json()
    assert {f"{i['namespace']}/{i['name']}": i["status"] for i in doc["ingresses"]} == DEMO_STATUS
    totals = doc["totals"]
    assert (totals["ingresses"], totals["hosts"], totals["tlsHosts"]) == (6, 4, 2)
    assert totals["annotationsWithoutEquivalent"] == 5
    assert totals["inputProblems"] == {"removed-api": 1}
    legacy = next(i for i in doc["ingresses"] if i["name"] == "old-site")
    assert legacy["apiVersion"] == "extensions/v1beta1"
    assert [(p["rule"], p["path"]) for p in legacy["inputProblems"]] == [("GW611", ["apiVersion"])]
    rules = {p["rule"] for i in doc["ingresses"] for p in i["problems"]}
    assert rules == {"GW601", "GW602", "GW603", "GW604", "GW605", "GW606", "GW607"}


def test_markdown_for_the_step_summary(tmp_path: Path):
    out = tmp_path / "summary.md"
    result = migration(str(DEMO), "--isolated", "--format", "markdown", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## Ingress migration\n")
    assert "| shop/storefront-canary | nginx | shop.example.com | 1/1 | yes | ✅ migrated" in text
    assert "- **error** `GW611 removed-api` legacy/old-site:" in text
    assert "- **error** `GW601 not-served` api/orders:" in text


def test_markdown_escapes_manifest_text(tmp_path: Path):
    hostile = INGRESS.replace("path: /\n", "path: /@org/team<img src=x>|[a](http://x)\n")
    (tmp_path / "a.yaml").write_text(hostile, encoding="utf-8")
    text = migration(str(tmp_path), "--isolated", "--format", "markdown").stdout
    assert "@org" not in text.replace("\\@org", "")  # no mention
    assert not re.search(r"(?<!\\)[<\[\]|]", text.split("### Problems")[1])  # every one escaped
    assert "\\@org/team\\<img src=x\\>\\|\\[a\\]\\(http://x\\)" in text


def test_shared_input_options(tmp_path: Path):
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "ingress.yaml").write_text(INGRESS, encoding="utf-8")
    (tmp_path / "apps" / "route.yaml").write_text(ROUTE, encoding="utf-8")
    base = [str(tmp_path), "--isolated", "--format", "json"]
    doc = json.loads(migration(*base).stdout)
    assert doc["ingresses"][0]["status"] == "migrated"
    # --exclude drops the routes: the Ingress is not started any more
    doc = json.loads(migration(*base, "--exclude", "*/route.yaml").stdout)
    assert doc["ingresses"][0]["status"] == "not started"
    # --default-namespace applies to objects without one
    stdin = INGRESS.replace(", namespace: shop", "")
    doc = json.loads(migration("-", "--isolated", "--format", "json",
                               "--default-namespace", "legacy", input=stdin).stdout)
    assert doc["ingresses"][0]["namespace"] == "legacy"


def test_scopes_are_separate_clusters(tmp_path: Path, monkeypatch):
    for cluster, text in (("a", INGRESS), ("b", ROUTE)):
        (tmp_path / "clusters" / cluster).mkdir(parents=True)
        (tmp_path / "clusters" / cluster / "x.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    doc = json.loads(migration("clusters", "--isolated", "--format", "json").stdout)
    assert doc["ingresses"][0]["status"] == "migrated"  # one graph
    doc = json.loads(migration("clusters", "--isolated", "--format", "json",
                               "--scope", "clusters/*").stdout)
    [ingress] = doc["ingresses"]
    assert (ingress["scope"], ingress["status"]) == ("clusters/a", "not started")


def test_configuration_file_is_read(tmp_path: Path):
    (tmp_path / "ingress.yaml").write_text(INGRESS, encoding="utf-8")
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    (tmp_path / ".gwlint.yaml").write_text("exclude: [route.yaml]\n", encoding="utf-8")
    doc = json.loads(migration(str(tmp_path), "--format", "json").stdout)
    assert doc["ingresses"][0]["status"] == "not started"


def test_unreadable_files_are_named_and_the_rest_reported(tmp_path: Path):
    (tmp_path / "ingress.yaml").write_text(INGRESS, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("kind: Ingress\nmetadata: {name: [\n", encoding="utf-8")
    result = migration(str(tmp_path), "--isolated")
    assert result.exit_code == 0
    assert "broken.yaml" in result.stderr and "not in the report" in result.stderr
    assert "shop/web" in result.stdout


@pytest.mark.parametrize("args,message", [
    (["--format", "yaml"], "Invalid value for '--format'"),
    (["--config", "missing.yaml"], "missing.yaml"),
])
def test_usage_and_configuration_errors_exit_2(tmp_path: Path, args, message):
    result = migration(str(tmp_path), *args)
    assert result.exit_code == 2 and message in result.output


def test_bad_configuration_is_exit_2(tmp_path: Path):
    (tmp_path / ".gwlint.yaml").write_text("selec: [GW1]\n", encoding="utf-8")
    result = migration(str(tmp_path))
    assert result.exit_code == 2 and "unknown key 'selec'" in result.stderr


def test_no_ingress_at_all(tmp_path: Path):
    (tmp_path / "route.yaml").write_text(ROUTE, encoding="utf-8")
    result = migration(str(tmp_path), "--isolated")
    assert result.exit_code == 0 and "0 Ingresses" in result.stdout


def test_help_lists_the_input_options():
    text = migration("--help").stdout
    for option in ("--format", "--output", "--exclude", "--scope", "--default-namespace",
                   "--assume-exists", "--config", "--isolated"):
        assert option in text, option
