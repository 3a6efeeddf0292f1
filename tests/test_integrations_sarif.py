"""`--format sarif`: valid SARIF 2.1.0 (validated against the OASIS schema shipped in tests/data),
with what GitHub code scanning needs, and fingerprints that survive line shifts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import jsonschema
import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.registry import all_rules
from gwlint.ruledocs import help_uri, render_rule

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
# RFC 3986 URI-reference characters (the schema's "uri-reference" format; jsonschema only checks
# formats when optional packages are installed, so the test checks it itself)
_URI_REF = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def sarif(args: list[str], cwd: Path, stdin: str | None = None) -> dict:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["--format", "sarif", *args], input=stdin,
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    validate(doc)
    return doc


def validate(doc: dict) -> None:
    validator = jsonschema.Draft4Validator(
        SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    for loc in _artifact_locations(doc):
        assert _URI_REF.match(loc["uri"]), loc
    run = doc["runs"][0]
    for uri in [run["tool"]["driver"]["informationUri"],
                *(r["helpUri"] for r in run["tool"]["driver"]["rules"]),
                *(b["uri"] for b in run["originalUriBaseIds"].values())]:
        parsed = urlparse(uri)
        assert parsed.scheme in ("https", "file") and _URI_REF.match(uri), uri


def _artifact_locations(doc: dict):
    for result in doc["runs"][0]["results"]:
        for loc in result["locations"] + result.get("relatedLocations", []):
            yield loc["physicalLocation"]["artifactLocation"]


def test_schema_is_the_oasis_2_1_0_schema():
    assert SCHEMA["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                            "sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator.check_schema(SCHEMA)
    with pytest.raises(jsonschema.ValidationError):  # the validator really validates
        jsonschema.validate({"version": "2.1.0", "runs": [{"tool": {}}]}, SCHEMA)


def test_demo_report_is_valid_and_complete():
    doc = sarif(["examples/demo"], ROOT)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "gwlint" and driver["version"]
    assert driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in rules]
    for descriptor, rule in zip(driver["rules"], rules, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["markdown"] == render_rule(rule) == descriptor["help"]["text"]
        assert descriptor["helpUri"] == help_uri(rule)
        assert descriptor["defaultConfiguration"]["level"] == {
            "error": "error", "warning": "warning", "info": "note"}[str(rule.severity)]
        assert rule.category in descriptor["properties"]["tags"]
    results = run["results"]
    assert results
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        (loc,) = result["locations"]
        artifact = loc["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert artifact["uri"].startswith("examples/demo/") and "\\" not in artifact["uri"]
        assert (ROOT / unquote(artifact["uri"])).is_file()
        region = loc["physicalLocation"]["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)
        assert list(result["partialFingerprints"]) == ["gwlint/v1"]
    blog = next(r for r in results if r["ruleId"] == "GW101")
    assert blog["locations"][0]["physicalLocation"]["region"]["startLine"] == 21
    related = blog["relatedLocations"][0]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == \
        "examples/demo/infra/gateway.yaml"
    assert related["message"]["text"] == "Gateway infra/shared-gateway"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")
    assert len({r["partialFingerprints"]["gwlint/v1"] for r in results}) == len(results)


def test_fingerprints_survive_line_shifts_and_reruns(tmp_path):
    shutil.copytree(ROOT / "examples" / "demo", tmp_path / "demo")
    before = sarif(["demo"], tmp_path)["runs"][0]["results"]
    again = sarif(["demo"], tmp_path)["runs"][0]["results"]
    assert before == again
    # unrelated edits: comment lines on top, an extra object before the route, re-indentation
    for path in (tmp_path / "demo").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text("# reviewed\n\n# owner: platform\n" + text, encoding="utf-8")
    blog = tmp_path / "demo" / "apps" / "blog" / "blog.yaml"
    blog.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: blog\n"
                    "---\n" + blog.read_text(encoding="utf-8"), encoding="utf-8")
    after = sarif(["demo"], tmp_path)["runs"][0]["results"]

    def key(r: dict) -> tuple:
        return r["ruleId"], r["message"]["text"]

    def line(r: dict) -> int:
        return r["locations"][0]["physicalLocation"]["region"]["startLine"]

    assert sorted(map(key, before)) == sorted(map(key, after))
    old = {key(r): r for r in before}
    for r in after:
        assert r["partialFingerprints"] == old[key(r)]["partialFingerprints"]
        assert line(r) > line(old[key(r)])  # the lines did move


def test_hostile_file_names_are_percent_encoded(tmp_path):
    route = (ROOT / "examples" / "demo" / "apps" / "blog" / "blog.yaml").read_text()
    (tmp_path / "we ird#100%").mkdir()
    (tmp_path / "we ird#100%" / "r[1].yaml").write_text(route, encoding="utf-8")
    doc = sarif(["--select", "GW101"], tmp_path)
    (result,) = doc["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "we%20ird%23100%25/r%5B1%5D.yaml"
    assert unquote(uri) == "we ird#100%/r[1].yaml"


def test_severity_configuration_sets_the_result_level(tmp_path):
    shutil.copytree(ROOT / "examples" / "demo", tmp_path / "demo")
    (tmp_path / ".gwlint.yaml").write_text("severity: {GW101: info}\n", encoding="utf-8")
    doc = sarif(["--select", "GW101", "demo"], tmp_path)
    assert [r["level"] for r in doc["runs"][0]["results"]] == ["note"]
    # the rule's default level stays in the descriptor
    gw101 = next(r for r in doc["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "GW101")
    assert gw101["defaultConfiguration"]["level"] == "error"


def test_helm_template_output_points_at_the_template(tmp_path):
    stream = ("---\n# Source: chart/templates/route.yaml\n"
              + (ROOT / "examples" / "demo" / "apps" / "blog" / "blog.yaml").read_text())
    doc = sarif(["-", "--select", "GW101"], tmp_path, stdin=stream)
    (result,) = doc["runs"][0]["results"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "chart/templates/route.yaml"
    assert loc["region"]["startLine"] == 21


def test_parse_errors_and_clean_runs_are_valid(tmp_path):
    (tmp_path / "bad.yaml").write_text("a: [1\n", encoding="utf-8")
    doc = sarif(["."], tmp_path)
    (result,) = doc["runs"][0]["results"]
    assert result["ruleId"] == "GW001" and "resource" not in result.get("properties", {})
    (tmp_path / "bad.yaml").write_text("a: 1\n", encoding="utf-8")
    assert sarif(["."], tmp_path)["runs"][0]["results"] == []


def test_locations_are_relative_to_the_repository_root_from_any_directory(tmp_path):
    # `cd apps && gwlint ..` must give code scanning the same files as a run at the root
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "demo", repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    at_root = sarif(["."], repo)
    from_apps = sarif([".."], repo / "apps")
    from_blog = sarif(["../../infra", "."], repo / "apps" / "blog")
    root_uri = repo.resolve().as_uri() + "/"
    for doc in (at_root, from_apps, from_blog):
        assert doc["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": root_uri}}
    blog = [r for r in from_blog["runs"][0]["results"] if r["ruleId"] == "GW101"]
    assert blog[0]["locations"][0]["physicalLocation"]["artifactLocation"] == \
        {"uri": "apps/blog/blog.yaml", "uriBaseId": "%SRCROOT%"}
    assert blog[0]["relatedLocations"][0]["physicalLocation"]["artifactLocation"] == \
        {"uri": "infra/gateway.yaml", "uriBaseId": "%SRCROOT%"}

    def located(doc: dict) -> list[tuple]:
        found = []
        for r in doc["runs"][0]["results"]:
            artifact = r["locations"][0]["physicalLocation"]["artifactLocation"]
            found.append((r["ruleId"], artifact["uri"], artifact["uriBaseId"],
                          r["partialFingerprints"]["gwlint/v1"]))
        return sorted(found)

    assert located(at_root) == located(from_apps)  # same URIs and fingerprints
    uris = {loc["uri"] for doc in (at_root, from_apps) for loc in _artifact_locations(doc)}
    assert all(not u.startswith(("..", "/", "file:")) for u in uris), uris


def test_a_file_outside_the_repository_is_an_absolute_uri(tmp_path):
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    repo.mkdir()
    outside.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    route = (ROOT / "examples" / "demo" / "apps" / "blog" / "blog.yaml").read_text()
    (outside / "r.yaml").write_text(route, encoding="utf-8")
    doc = sarif(["--select", "GW101", "../outside/r.yaml"], repo)
    (result,) = doc["runs"][0]["results"]
    artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (outside / "r.yaml").resolve().as_uri()}
