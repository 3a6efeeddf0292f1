"""Hostile Kustomize trees through the whole pipeline (hypothesis): whatever the kustomizations
say (wrong types, missing and outside paths, cycles, patches of any shape, hostile names), the
run ends with findings and exit code 0 or 1, every finding inside its file, never a traceback."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gwlint.cli import main

ROUTE = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
         "metadata": {"name": "shop"},
         "spec": {"parentRefs": [{"name": "web"}], "hostnames": ["shop.example.com"],
                  "rules": [{"backendRefs": [{"name": "shop", "port": 80}]}]}}
GATEWAY = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
           "metadata": {"name": "web"},
           "spec": {"gatewayClassName": "envoy",
                    "listeners": [{"name": "http", "port": 80, "protocol": "HTTP"}]}}

DIRS = ["a", "b", "c"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                    st.sampled_from(["prod-", "../x", "/etc", "a/../../..", "{{ x }}", "*", "",
                                     "${D}", "a.${D:=b}", "$${D}", "${D", "${D:-${E}}"]))
paths = st.sampled_from(["objects.yaml", "missing.yaml", "../a", "../b", "../c", ".", "..",
                         "/etc/passwd", "patch.yaml", "https://example.com/x?ref=v1", "../../.."])
json_ops = st.lists(st.fixed_dictionaries({
    "op": st.sampled_from(["add", "remove", "replace", "move", "copy", "test", "nope"]),
    "path": st.sampled_from(["/spec/hostnames/0", "/spec/rules/9", "/metadata/name", "",
                             "/spec/parentRefs/-", "~1bad", "/spec"]),
    "value": scalars}), max_size=3)
patch_docs = st.one_of(
    json_ops.map(lambda ops: yaml.safe_dump(ops)),
    st.just(yaml.safe_dump({**ROUTE, "spec": {"hostnames": None}})),
    st.just(yaml.safe_dump({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}})),
    st.text(max_size=30))
patch_entries = st.one_of(
    st.fixed_dictionaries({"path": paths}, optional={"target": st.dictionaries(
        st.sampled_from(["kind", "name", "namespace", "group", "labelSelector"]),
        st.one_of(scalars, st.sampled_from(["HTTPRoute", "((", "sh.*", "a=b,c"])))}),
    st.fixed_dictionaries({"patch": patch_docs}, optional={"target": st.just(
        {"kind": "HTTPRoute"})}),
    scalars)
selectors = st.dictionaries(st.sampled_from(["kind", "name", "namespace", "group", "version"]),
                            st.one_of(scalars, st.sampled_from(["HTTPRoute", "Gateway", "(("])),
                            max_size=3)
replacements = st.fixed_dictionaries({}, optional={
    "source": st.one_of(st.fixed_dictionaries({}, optional={
        "kind": st.sampled_from(["Gateway", "HTTPRoute", "Service"]),
        "name": st.sampled_from(["web", "shop", "nope"]),
        "fieldPath": st.sampled_from(["metadata.name", "spec.hostnames.0", "spec.[a.b]",
                                      "spec.rules.*.backendRefs.[name=shop].port", "", "..."]),
        "options": st.dictionaries(st.sampled_from(["delimiter", "index", "create"]), scalars,
                                   max_size=2)}), scalars),
    "sourceValue": scalars,
    "targets": st.one_of(st.lists(st.fixed_dictionaries({}, optional={
        "select": st.one_of(selectors, scalars), "reject": st.lists(selectors, max_size=1),
        "fieldPaths": st.one_of(st.lists(st.sampled_from(
            ["spec.parentRefs.0.name", "spec.hostnames.*", "metadata.annotations.x\\.y",
             "spec.parentRefs.[name=web].namespace", "spec.rules.9", "*", ""]), max_size=2),
            scalars),
        "options": st.dictionaries(st.sampled_from(["delimiter", "index", "create"]), scalars,
                                   max_size=2)}), max_size=2), scalars)})
kustomizations = st.fixed_dictionaries({}, optional={
    "resources": st.one_of(st.lists(paths, max_size=4), scalars),
    "components": st.lists(st.sampled_from(["../a", "../b", "../c", "missing"]), max_size=2),
    "namespace": scalars, "namePrefix": scalars, "nameSuffix": scalars,
    "patches": st.one_of(st.lists(patch_entries, max_size=3), scalars),
    "patchesStrategicMerge": st.lists(st.one_of(paths, patch_docs), max_size=2),
    "commonLabels": st.one_of(st.dictionaries(st.text(max_size=5), scalars, max_size=2), scalars),
    "labels": st.lists(st.fixed_dictionaries({"pairs": st.dictionaries(
        st.text(max_size=5), scalars, max_size=2)}, optional={"includeSelectors": scalars}),
        max_size=2),
    "configurations": st.lists(paths, max_size=2),
    "kind": st.sampled_from(["Kustomization", "Component", "Deployment"]),
    "secretGenerator": st.lists(st.fixed_dictionaries({"name": scalars}, optional={
        "literals": st.lists(st.text(max_size=8), max_size=2)}), max_size=1),
    "helmCharts": st.just([{"name": "x"}]),
    "replacements": st.one_of(st.lists(st.one_of(replacements, st.fixed_dictionaries(
        {"path": paths}), scalars), max_size=3), scalars),
})
trees = st.fixed_dictionaries({d: kustomizations for d in DIRS})
# Argo CD and Flux objects that apply the directories, with settings of any shape
settings_values = st.one_of(scalars, st.dictionaries(st.text(max_size=5), scalars, max_size=2))
appliers = st.lists(st.one_of(
    st.builds(lambda path, opts, ns: {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "app"},
        "spec": {"source": {"path": path, "kustomize": opts},
                 "destination": {"namespace": ns}}},
        st.one_of(st.sampled_from(DIRS), scalars),
        st.one_of(st.dictionaries(st.sampled_from(
            ["namePrefix", "nameSuffix", "namespace", "commonLabels", "commonAnnotations"]),
            settings_values, max_size=3), scalars), scalars),
    st.builds(lambda version, path, spec: {
        "apiVersion": f"kustomize.toolkit.fluxcd.io/{version}", "kind": "Kustomization",
        "metadata": {"name": "flux"}, "spec": {"path": path, **spec}},
        st.sampled_from(["v1", "v1beta2"]), st.one_of(st.sampled_from(DIRS), scalars),
        st.dictionaries(st.sampled_from(
            ["targetNamespace", "namePrefix", "nameSuffix", "commonMetadata", "postBuild"]),
            st.one_of(settings_values, st.just({"substitute": {"D": "example.com"}}),
                      st.just({"labels": {"a": "b"}})), max_size=3))), max_size=2)


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1 if path.is_file() else 1


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(trees, appliers)
def test_any_kustomization_tree_lints_without_traceback(tree: dict[str, Any],
                                                        applied: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "deploy.yaml").write_text(yaml.safe_dump_all(applied))
        for d, kust in tree.items():
            (root / d).mkdir()
            (root / d / "kustomization.yaml").write_text(yaml.safe_dump(kust))
            (root / d / "objects.yaml").write_text(yaml.safe_dump_all([ROUTE, GATEWAY, {
                **ROUTE, "metadata": {"name": "flux-${D}"},
                "spec": {**ROUTE["spec"], "hostnames": ["x.${D}"], "parentRefs": [
                    {"name": "${GW:=web}"}]}}]))
            (root / d / "patch.yaml").write_text(yaml.safe_dump({**ROUTE, "spec": {
                "hostnames": ["p.example.com"]}}))
        old = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, [".", "--isolated", "--helm", "", "--format",
                                               "json", "--select", "ALL"])
        finally:
            os.chdir(old)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.output
        assert result.exit_code in (0, 1), result.output
        doc = json.loads(result.output)
        for f in doc["findings"]:
            assert 1 <= f["line"] <= _lines(root / f["file"]), f
