"""Configuration files: discovery (walking up to the repository root), every key, errors with file
and line, --config/--isolated, and globs relative to the configuration's directory."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from gwlint.cli import main
from gwlint.config import ConfigError, load_settings
from gwlint.findings import Severity

GATEWAY = """\
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
  - name: http
    protocol: HTTP
    port: 80
"""


def route(name: str, parent: str = "missing") -> str:
    return f"""\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {name}
  namespace: infra
spec:
  parentRefs:
  - name: {parent}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def invoke(args: list[str], cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def findings(args: list[str], cwd: Path) -> list[tuple[str, str, str]]:
    result = invoke(["--format", "json", *args], cwd)
    assert result.exit_code in (0, 1), result.output
    doc = json.loads(result.stdout)
    return sorted((f["rule"], f["file"], f["severity"]) for f in doc["findings"])


def settings(cwd: Path, paths: tuple[str, ...] = (".",), **opts) -> dict:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return load_settings(paths, opts)
    finally:
        os.chdir(old)


# --- discovery --------------------------------------------------------------------------------
def test_nearest_config_is_found_from_a_subdirectory_and_applies(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": "select: [GW101]\nseverity:\n  GW101: warning\n",
        "apps/web/route.yaml": route("web"),
    })
    # from the repository root, from the route's directory, and with the route as PATH
    assert findings(["apps"], tmp_path) == [("GW101", "apps/web/route.yaml", "warning")]
    assert findings(["."], tmp_path / "apps" / "web") == [("GW101", "route.yaml", "warning")]
    assert findings(["apps/web/route.yaml"], tmp_path) == [
        ("GW101", "apps/web/route.yaml", "warning")]
    # severity lowered to warning: exit 0 under the default --fail-on error
    assert invoke(["apps"], tmp_path).exit_code == 0


def test_first_path_decides_where_the_walk_starts(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": "select: [GW101]\n",
        "team/.gwlint.yml": "select: [GW101]\nfail-on: warning\nseverity: {GW101: warning}\n",
        "team/route.yaml": route("web"),
    })
    assert invoke(["team"], tmp_path).exit_code == 1  # team/.gwlint.yml: fail-on warning
    assert invoke(["--select", "GW101", "."], tmp_path).exit_code == 1  # root config: error


def test_gwlint_yaml_wins_over_yml_and_pyproject_in_the_same_directory(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": "default-namespace: from-yaml\n",
        ".gwlint.yml": "default-namespace: from-yml\n",
        "pyproject.toml": "[tool.gwlint]\ndefault-namespace = 'from-pyproject'\n",
    })
    assert settings(tmp_path)["default_namespace"] == "from-yaml"
    (tmp_path / ".gwlint.yaml").unlink()
    assert settings(tmp_path)["default_namespace"] == "from-yml"
    (tmp_path / ".gwlint.yml").unlink()
    assert settings(tmp_path)["default_namespace"] == "from-pyproject"


def test_pyproject_without_tool_gwlint_is_skipped(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": "default-namespace: root\n",
        "sub/pyproject.toml": "[project]\nname = 'x'\n[tool.ruff]\nline-length = 99\n",
        "sub/deeper/pyproject.toml": textwrap.dedent("""\
            [project]
            name = "y"

            [tool.gwlint]
            select = ["GW1"]
            default-namespace = "deeper"
            fail-on = "warning"

            [tool.gwlint.severity]
            GW101 = "info"

            [tool.gwlint.gateway-api]
            version = "v1.4"
            channel = "experimental"
            """),
    })
    assert settings(tmp_path / "sub")["default_namespace"] == "root"
    deeper = settings(tmp_path / "sub" / "deeper")
    assert deeper["default_namespace"] == "deeper"
    assert deeper["select"] == ["GW1"]
    assert deeper["fail_on"] is Severity.WARNING
    assert deeper["severity"] == {"GW101": Severity.INFO}
    assert deeper["gateway_api_version"] == "v1.4"
    assert deeper["channel"] == "experimental"


def test_walk_stops_at_the_repository_root(tmp_path):
    write(tmp_path, {".gwlint.yaml": "default-namespace: outside\n"})
    repo = tmp_path / "repo"
    repo.mkdir()
    git_init(repo)
    write(repo, {"apps/route.yaml": route("web")})
    assert settings(repo / "apps")["default_namespace"] == "default"
    # without a .git the walk goes on to the parent directories
    plain = tmp_path / "plain" / "apps"
    plain.mkdir(parents=True)
    assert settings(plain)["default_namespace"] == "outside"


def test_explicit_config_and_isolated(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": "select: [GW101]\nseverity: {GW101: info}\n",
        "ci/strict.yaml": "select: [GW101]\n",
        "route.yaml": route("web"),
    })
    assert findings(["."], tmp_path) == [("GW101", "route.yaml", "info")]
    assert findings(["--config", "ci/strict.yaml", "."], tmp_path) == [
        ("GW101", "route.yaml", "error")]
    isolated = findings(["--isolated", "--select", "GW101", "."], tmp_path)
    assert isolated == [("GW101", "route.yaml", "error")]
    both = invoke(["--isolated", "--config", "ci/strict.yaml", "."], tmp_path)
    assert both.exit_code == 2 and "cannot be used together" in both.stderr
    missing = invoke(["--config", "nope.yaml", "."], tmp_path)
    assert missing.exit_code == 2 and "nope.yaml not found" in missing.stderr


def test_stdin_uses_the_configuration_of_the_stdin_filename(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {"team/.gwlint.yaml": "select: [GW101]\nseverity: {GW101: info}\n"})
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["-", "--stdin-filename", "team/route.yaml",
                                           "--format", "json"], input=route("web"))
    finally:
        os.chdir(old)
    doc = json.loads(result.stdout)
    assert [(f["rule"], f["file"], f["severity"]) for f in doc["findings"]] == [
        ("GW101", "team/route.yaml", "info")]


# --- keys -------------------------------------------------------------------------------------
def test_every_key_is_read(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {".gwlint.yaml": """\
        select: [GW1, parent-ref-unresolved]
        ignore: GW102, GW103
        extend-select: [GW305]
        exclude: [vendor, "generated/*.yaml"]
        scopes: ["clusters/*"]
        per-file-ignores:
          "legacy/*": [GW101]
        severity:
          GW101: warning
          reference: info
        rules:
          GW404: {max-secret-namespaces: 5}
          backend-invalid-kind: {allowed_kinds: [ServiceImport]}
        gateway-api: {version: v1.4, channel: experimental}
        default-namespace: apps
        assume-exists: ["Service/*/*", "Secret/tls"]
        gateway-classes: [envoy]
        fail-on: warning
        max-file-size: 1024
        """})
    s = settings(tmp_path)
    assert s["select"] == ["GW1", "parent-ref-unresolved"]
    assert s["ignore"] == ["GW102", "GW103"]
    assert s["extend_select"] == ["GW305"]
    assert s["exclude"] == ["vendor", "generated/*.yaml"]
    assert s["scopes"] == ["clusters/*"]
    assert s["per_file_ignores"] == {"legacy/*": ["GW101"]}
    # "reference" (a category) is applied after GW101: the later entry wins
    assert s["severity"]["GW101"] is Severity.INFO and s["severity"]["GW102"] is Severity.INFO
    assert s["rule_options"] == {"GW404": {"max_secret_namespaces": 5},
                                 "GW103": {"allowed_kinds": ["ServiceImport"]}}
    assert (s["gateway_api_version"], s["channel"]) == ("v1.4", "experimental")
    assert s["default_namespace"] == "apps"
    assert s["assume_exists"] == ["Service/*/*", "Secret/tls"]
    assert s["gateway_classes"] == ["envoy"]
    assert s["fail_on"] is Severity.WARNING
    assert s["max_file_size"] == 1024


def test_command_line_wins_and_layers_like_ruff(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {".gwlint.yaml": "select: [GW1]\nignore: [GW102]\nexclude: [a]\n"
                                     "default-namespace: cfg\nfail-on: warning\n"})
    s = settings(tmp_path, ignore=("GW103",), exclude=("b",), default_namespace="cli",
                 fail_on="info")
    assert s["select"] == ["GW1"] and s["ignore"] == ["GW102", "GW103"]
    assert s["exclude"] == ["a", "b"]
    assert s["default_namespace"] == "cli" and s["fail_on"] is Severity.INFO
    # a command-line --select starts a new selection: the file's ignore no longer applies
    s = settings(tmp_path, select=("GW102",))
    assert s["select"] == ["GW102"] and s["ignore"] == []


@pytest.mark.parametrize("text, line, message", [
    ("select: [GW101]\n\nselec: [GW1]\n", 3, "unknown key 'selec' (did you mean 'select'?)"),
    ("extend_select: [GW1]\n", 1, "unknown key 'extend_select' (did you mean 'extend-select'?)"),
    ("select: [GW101, GW9x9]\n", 1, "unknown rule selector 'GW9x9' in 'select'"),
    ("select:\n  - GW101\n  - nope\n", 3, "unknown rule selector 'nope' in 'select'"),
    ("fail-on: fatal\n", 1, "unknown severity 'fatal' in 'fail-on'"),
    ("severity:\n  GW101: loud\n", 2, "unknown severity 'loud'"),
    ("severity:\n  GW999: info\n", 2, "unknown rule selector 'GW999' in 'severity'"),
    ("rules:\n  GW404:\n    max-secret-namespace: 3\n", 3,
     "unknown option 'max-secret-namespace' for rule GW404 referencegrant-too-broad "
     "(did you mean 'max-secret-namespaces'?)"),
    ("rules:\n  GW404:\n    max-secret-namespaces: lots\n", 3,
     "option GW404.max-secret-namespaces must be an integer, got 'lots'"),
    ("rules:\n  parent-ref-unresolvd: {}\n", 2,
     "unknown rule 'parent-ref-unresolvd' in 'rules' (did you mean 'parent-ref-unresolved'?)"),
    ("gateway-api:\n  channel: beta\n", 2, "'gateway-api.channel' must be standard or "
     "experimental"),
    ("gateway-api:\n  version: v0.1\n", 2, "Gateway API v0.1 is not bundled"),
    ("gateway-api:\n  version: 1.10\n", 2,
     "'gateway-api.version' must be a string like 'v1.4' (quote it), got 1.1"),
    ("gateway-api:\n  versoin: v1.4\n", 2, "unknown key 'gateway-api.versoin' (did you mean "
     "'version'?)"),
    ("default-namespace: Not_A_Label\n", 1, "'default-namespace' must be a namespace name"),
    ("max-file-size: -3\n", 1, "'max-file-size' must be a size: bytes, or a number with K"),
    ("max-file-size: 10X\n", 1, "'max-file-size' must be a size: bytes, or a number with K, M "
     "or G (also KiB, MiB, GiB; KB, MB, GB are powers of 1000), e.g. 10M, got '10X'"),
    ("assume-exists: [Service]\n", 1, "'assume-exists' entries are KIND/NAMESPACE/NAME"),
    ("exclude: {a: b}\n", 1, "'exclude' must be a list of strings"),
    ("select: [GW101]\nselect: [GW102]\n", 2, "duplicate key 'select'"),
    ("select: [GW101\n", 2, "invalid YAML"),
    ("- GW101\n", 1, "the configuration must be a mapping of settings"),
])
def test_bad_configuration_is_an_error_with_file_and_line(tmp_path, text, line, message):
    git_init(tmp_path)
    (tmp_path / ".gwlint.yaml").write_text(text, encoding="utf-8")
    write(tmp_path, {"route.yaml": route("web")})
    result = invoke(["."], tmp_path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"gwlint: error: .gwlint.yaml:{line}: {message}" in result.stderr
    with pytest.raises(ConfigError):
        settings(tmp_path)


@pytest.mark.parametrize("text, line, message", [
    ("[tool.gwlint]\nselect = ['GW101']\nselec = ['GW1']\n", 3,
     "unknown key 'selec' (did you mean 'select'?)"),
    ("[tool.gwlint]\nfail-on = 'error'\n\n[tool.gwlint.severity]\nGW101 = 'loud'\n", 5,
     "unknown severity 'loud'"),
    ("[tool.gwlint]\nselect = [\n", 2, "invalid TOML"),
])
def test_bad_pyproject_is_an_error_with_file_and_line(tmp_path, text, line, message):
    git_init(tmp_path)
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    result = invoke(["."], tmp_path)
    assert result.exit_code == 2
    assert f"gwlint: error: pyproject.toml:{line}: {message}" in result.stderr


def test_error_names_the_file_relative_to_the_current_directory(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {".gwlint.yaml": "selec: [GW1]\n", "apps/route.yaml": route("web")})
    result = invoke(["apps"], tmp_path)
    assert "gwlint: error: .gwlint.yaml:1: unknown key 'selec'" in result.stderr
    result = invoke(["."], tmp_path / "apps")
    assert f"gwlint: error: {tmp_path.as_posix()}/.gwlint.yaml:1:" in result.stderr


# --- paths are relative to the configuration file ---------------------------------------------
def test_globs_are_relative_to_the_configuration_directory(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        ".gwlint.yaml": """\
            select: [GW101]
            exclude: ["apps/generated/*"]
            per-file-ignores:
              "apps/legacy/*.yaml": [parent-ref-unresolved]
            """,
        "apps/web/route.yaml": route("web"),
        "apps/generated/route.yaml": route("gen"),
        "apps/legacy/route.yaml": route("old"),
    })
    expected_root = [("GW101", "apps/web/route.yaml", "error")]
    assert findings(["."], tmp_path) == expected_root
    assert findings(["apps"], tmp_path) == expected_root
    # from a subdirectory: the same files are excluded and ignored
    assert findings(["."], tmp_path / "apps") == [("GW101", "web/route.yaml", "error")]
    assert findings(["web", "generated", "legacy"], tmp_path / "apps") == [
        ("GW101", "web/route.yaml", "error")]
    assert findings(["."], tmp_path / "apps" / "legacy") == []
    # a file outside the current directory is shown with its absolute path and still matched
    outside = findings([str(tmp_path / "apps" / "generated"), "."], tmp_path / "apps" / "web")
    assert outside == [("GW101", "route.yaml", "error")]


def test_config_below_the_current_directory_rebases_its_globs(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {
        "team/.gwlint.yaml": "select: [GW101]\nexclude: [skip/*]\n",
        "team/skip/route.yaml": route("skipped"),
        "team/keep/route.yaml": route("kept"),
    })
    assert findings(["team"], tmp_path) == [("GW101", "team/keep/route.yaml", "error")]


def test_scopes_are_relative_to_the_configuration_directory(tmp_path):
    git_init(tmp_path)
    gw_a = GATEWAY
    write(tmp_path, {
        ".gwlint.yaml": "select: [GW006]\nscopes: ['clusters/*']\n",
        "clusters/a/gw.yaml": gw_a,
        "clusters/b/gw.yaml": gw_a,
    })
    assert findings(["."], tmp_path) == []
    assert findings(["."], tmp_path / "clusters") == []
    assert findings(["--isolated", "--select", "GW006", "."], tmp_path) == [
        ("GW006", "clusters/b/gw.yaml", "error")]
