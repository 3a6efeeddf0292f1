"""The hand-written conversions through the whole CLI (`gwlint check`, files on disk, the schema
stage, the rules, located findings): a faithful conversion lints clean of parity findings
(GW601-GW608), and each deletion of test_ground_truth.py gives exactly the finding for it, at the
Ingress field the parity model names (`RULE_OF` maps its result code to the rule)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.findings import json_pointer
from gwlint.migration.results import RULE_OF
from tests.migration.test_ground_truth import DELETIONS, FAITHFUL, find, load

PARITY_RULES = "GW601,GW602,GW603,GW604,GW605,GW606,GW607,GW608"


def lint(folder: Path, inputs: str, outputs: list[dict]) -> list[dict]:
    (folder / "ingresses.yaml").write_text(inputs, encoding="utf-8")
    (folder / "gateway-api.yaml").write_text(yaml.safe_dump_all(outputs, sort_keys=False),
                                             encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(folder), "--isolated", "--format", "json",
                                       "--select", PARITY_RULES])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def found(findings: list[dict]) -> set[tuple]:
    return {(f["rule"], f["resource"]["name"], f["path"]) for f in findings}


@pytest.mark.parametrize("name", FAITHFUL)
def test_faithful_conversion_lints_clean_of_parity_findings(name: str, tmp_path: Path):
    assert lint(tmp_path, *load(name)) == []


@pytest.mark.parametrize("case,name,mutate,expected", DELETIONS, ids=[d[0] for d in DELETIONS])
def test_each_deletion_gives_exactly_its_finding(case, name, mutate, expected, tmp_path: Path):
    inputs, outputs = load(name)
    outputs = copy.deepcopy(outputs)
    mutate(outputs)
    findings = lint(tmp_path, inputs, outputs)
    assert found(findings) == {(RULE_OF[code], ingress, json_pointer(path))
                               for code, ingress, path in expected}
    # located in the Ingress file, with a line
    assert all(f["file"].endswith("ingresses.yaml") and f["line"] >= 1 for f in findings)


def test_a_finding_points_at_the_route_that_should_serve_it(tmp_path: Path):
    """The HTTPS rule for '/' is gone: GW601 at the Ingress path; the TLS listener still
    terminates the host, so nothing else is reported."""
    inputs, outputs = load("ssl_redirect")
    del find(outputs, "HTTPRoute", "shop")["spec"]["rules"][0]
    [f] = lint(tmp_path, inputs, outputs)
    assert f["rule"] == "GW601" and f["severity"] == "error"
    assert f["resource"]["name"] == "shop-web"
    assert f["message"].startswith("shop.example.net/ (Prefix) -> frontend:8080 is not served on "
                                   "any HTTPS listener")
