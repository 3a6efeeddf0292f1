"""Flux post-build variable substitution (gitops.substitute, gitops.applied) and the placeholders
left unresolved (GW010 drops them, GW805 names them).

Semantics from Flux's sources and documentation: kustomize-controller substitutes with
fluxcd/pkg envsubst (only `${var}`; `$$` is a literal `$`; `${var:=default}`, `${var:-default}`,
`${var=default}` use the default when the value is empty; the case forms), reads substituteFrom in
order and lets the inline `substitute` map win (fluxcd/pkg kustomize/kustomize_varsub.go), strips
newlines from values, skips objects labelled or annotated
`kustomize.toolkit.fluxcd.io/substitute: disabled`, and gives an unset variable the empty string
(non-strict mode, https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-
substitution).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gwlint.gitops.substitute import expand, placeholders, substitute_body
from tests.gitops.test_applied import lint, messages, rows, write

ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  hostnames:
  - HOST
  rules:
  - backendRefs:
    - name: web
      port: PORT
"""  # line 8: the hostname; line 12: the backendRef's port


def route(host: str = "app.${CLUSTER_DOMAIN}", port: str = "80") -> str:
    return ROUTE.replace("HOST", host).replace("PORT", port)


def flux(post: str, path: str = "./apps") -> str:
    return f"""\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {{name: apps, namespace: flux-system}}
spec:
  path: {path}
  postBuild:
{post}"""


INLINE = "    substitute: {CLUSTER_DOMAIN: example.com}\n"


def schema(tmp_path: Path, files: dict[str, str], *args: str) -> set[tuple[str, int, str]]:
    write(tmp_path, files)
    return rows(lint(tmp_path, "--select", "GW010,GW805", *args))


def test_inline_substitute_makes_the_hostname_valid(tmp_path: Path) -> None:
    assert schema(tmp_path, {"flux/apps.yaml": flux(INLINE), "apps/route.yaml": route()}) == set()


def test_a_wrong_value_is_reported_as_substituted_at_the_placeholder(tmp_path: Path) -> None:
    write(tmp_path, {"flux/apps.yaml": flux("    substitute: {CLUSTER_DOMAIN: Example.com}\n"),
                     "apps/route.yaml": route()})
    doc = lint(tmp_path, "--select", "GW010,GW805")
    assert rows(doc) == {("apps/route.yaml", 8, "GW010")}
    assert '"app.Example.com"' in messages(doc, "GW010")[0]


def test_defaults(tmp_path: Path) -> None:
    """`${X:=...}` with X unset (Flux substitutes: another variable is given): the default."""
    files = {"flux/apps.yaml": flux("    substitute: {OTHER: x}\n"),
             "apps/route.yaml": route("${HOST:=app.example.com}")}
    assert schema(tmp_path, files) == set()
    files["apps/route.yaml"] = route("${HOST:-App.example.com}")
    assert schema(tmp_path, files) == {("apps/route.yaml", 8, "GW010")}


def test_unset_variable_becomes_empty_when_every_source_is_known(tmp_path: Path) -> None:
    """`app.${CLUSTER_DOMAIN}` with no value: Flux applies `app.`, an invalid hostname."""
    files = {"flux/apps.yaml": flux("    substitute: {OTHER: x}\n"), "apps/route.yaml": route()}
    doc = (write(tmp_path, files), lint(tmp_path, "--select", "GW010,GW805"))[1]
    assert rows(doc) == {("apps/route.yaml", 8, "GW010")}
    assert '"app."' in messages(doc, "GW010")[0]


SOURCES = """\
---
apiVersion: v1
kind: ConfigMap
metadata: {name: vars, namespace: flux-system}
data: {CLUSTER_DOMAIN: Bad_Domain, PORT: "8080"}
---
apiVersion: v1
kind: Secret
metadata: {name: secret-vars, namespace: flux-system}
data: {CLUSTER_DOMAIN: ZXhhbXBsZS5jb20=}  # example.com
"""
FROM = ("    substituteFrom:\n    - {kind: ConfigMap, name: vars}\n"
        "    - {kind: Secret, name: secret-vars}\n")


def test_substitute_from_a_configmap_and_a_secret(tmp_path: Path) -> None:
    """The Secret, listed last, wins over the ConfigMap; `port: ${PORT}` becomes the integer."""
    files = {"flux/apps.yaml": flux(FROM) + SOURCES, "apps/route.yaml": route(port="${PORT}")}
    assert schema(tmp_path, files) == set()
    # the ConfigMap alone: its invalid domain is what Flux applies
    files["flux/apps.yaml"] = flux("    substituteFrom:\n    - {kind: ConfigMap, name: vars}\n") \
        + SOURCES
    assert schema(tmp_path, files) == {("apps/route.yaml", 8, "GW010")}


def test_inline_substitute_wins_over_substitute_from(tmp_path: Path) -> None:
    post = "    substitute: {CLUSTER_DOMAIN: example.org}\n" + FROM.replace("secret-vars", "none")
    files = {"flux/apps.yaml": flux(post.replace("- {kind: Secret, name: none}", "")) + SOURCES,
             "apps/route.yaml": route()}
    assert schema(tmp_path, files) == set()


def test_a_configmap_not_linted_leaves_its_variables_unresolved(tmp_path: Path) -> None:
    post = "    substituteFrom:\n    - {kind: ConfigMap, name: cluster}\n"
    files = {"flux/apps.yaml": flux(post), "apps/route.yaml": route()}
    write(tmp_path, files)
    doc = lint(tmp_path, "--select", "GW010,GW805")
    assert rows(doc) == {("apps/route.yaml", 8, "GW805")}
    (finding,) = doc["findings"]
    assert finding["severity"] == "info"
    assert "CLUSTER_DOMAIN" in finding["message"]
    assert "ConfigMap/cluster" in finding["hint"]


def test_disabled_object_keeps_its_placeholder(tmp_path: Path) -> None:
    text = route().replace("  namespace: app\n", "  namespace: app\n  annotations: "
                           "{kustomize.toolkit.fluxcd.io/substitute: disabled}\n")
    write(tmp_path, {"flux/apps.yaml": flux(INLINE), "apps/route.yaml": text})
    doc = lint(tmp_path, "--select", "GW010,GW805")
    assert rows(doc) == {("apps/route.yaml", 9, "GW805")}
    assert "disabled" in doc["findings"][0]["hint"]


def test_no_flux_object_placeholders_are_no_errors(tmp_path: Path) -> None:
    """The hostname and an unquoted `port: ${PORT}` (a string after parsing): one info."""
    write(tmp_path, {"route.yaml": route(port="${PORT}")})
    doc = lint(tmp_path, "--select", "GW010,GW805")
    assert rows(doc) == {("route.yaml", 8, "GW805")}
    assert "CLUSTER_DOMAIN, PORT" in doc["findings"][0]["message"]


def test_escaped_placeholder_is_literal(tmp_path: Path) -> None:
    """`$${X}` is the text `${X}` in what Flux applies: an invalid hostname, reported."""
    files = {"flux/apps.yaml": flux(INLINE), "apps/route.yaml": route("$${CLUSTER_DOMAIN}.io")}
    doc = (write(tmp_path, files), lint(tmp_path, "--select", "GW010,GW805"))[1]
    assert rows(doc) == {("apps/route.yaml", 8, "GW010")}
    assert '"${CLUSTER_DOMAIN}.io"' in messages(doc, "GW010")[0]
    # not substituted (no Flux object): still no placeholder
    assert schema(tmp_path / "alone", {"route.yaml": route("$${CLUSTER_DOMAIN}.io")}) == \
        {("route.yaml", 8, "GW010")}


def test_kustomize_root_applied_by_the_flux_kustomization(tmp_path: Path) -> None:
    files = {"flux/apps.yaml": flux("    substitute: {CLUSTER_DOMAIN: Example.com}\n"),
             "apps/kustomization.yaml": "resources: [route.yaml]\n",
             "apps/route.yaml": route()}
    assert schema(tmp_path, files) == {("apps/route.yaml", 8, "GW010")}
    files["flux/apps.yaml"] = flux(INLINE)
    assert schema(tmp_path, files) == set()


def test_scope_turns_substitution_off_not_the_placeholder_handling(tmp_path: Path) -> None:
    files = {"flux/apps.yaml": flux(INLINE), "apps/route.yaml": route()}
    assert schema(tmp_path, files, "--scope", "apps") == {("apps/route.yaml", 8, "GW805")}


@pytest.mark.parametrize(("text", "expected"), [
    ("a.${X}", "a.x"),
    ("$X and ${X}", "$X and x"),  # only the braced form
    ("$${X}", "${X}"),  # escape
    ("$$X $", "$X $"),
    ("${UNSET}", ""),
    ("${UNSET:=d}", "d"), ("${UNSET:-d}", "d"), ("${UNSET=d}", "d"), ("${EMPTY:=d}", "d"),
    ("${X:=d}", "x"),
    ("${UNSET:=a${X}b}", "axb"),  # the default's parts, evaluated
    ("${X^^}", "X"), ("${UP,,}", "up"), ("${UP,}", "uP"), ("${X^}", "X"),
])
def test_expand(text: str, expected: str) -> None:
    values = {"X": "x", "EMPTY": "", "UP": "UP"}
    assert expand(text, lambda name: values.get(name, "")).text == expected


def test_unknown_values_and_forms_stay_as_written() -> None:
    values = {"X": "x"}
    done = expand("${X}.${Y}.${Z:=d}", values.get)  # Y, Z: values gwlint does not know
    assert (done.text, done.unresolved) == ("x.${Y}.${Z:=d}", ("Y", "Z"))
    done = expand("${X:0:2}", lambda _: "x")  # substring: not evaluated
    assert (done.text, done.unresolved) == ("${X:0:2}", ("X",))
    done = expand("${a.b}", lambda _: "x")  # Flux cannot parse it: kept whole
    assert (done.text, done.unresolved) == ("${a.b}", ("a",))
    assert placeholders("$${X} ${Y}") == ("Y",)


def test_quoted_placeholder_stays_a_string(tmp_path: Path) -> None:
    """`port: "${PORT}"` is the string "8080" in what Flux applies: a type error (GW010)."""
    files = {"flux/apps.yaml": flux(FROM) + SOURCES, "apps/route.yaml": route(port='"${PORT}"')}
    assert schema(tmp_path, files) == {("apps/route.yaml", 12, "GW010")}


def test_types_keys_and_shared_bodies() -> None:
    """Without the source text, a whole `${PORT}` integer becomes an int outside metadata; keys
    are substituted; the input body is not changed (copied where substituted)."""
    body = {"metadata": {"labels": {"v": "${PORT}"}}, "spec": {"port": "${PORT}",
                                                              "${KEY}": "a", "same": ["b"]}}
    values = {"PORT": "80", "KEY": "k"}
    done = substitute_body(body, lambda n: values.get(n, ""))
    assert done.body == {"metadata": {"labels": {"v": "80"}},
                         "spec": {"port": 80, "k": "a", "same": ["b"]}}
    assert body["spec"]["port"] == "${PORT}"
    assert done.body["spec"]["same"] is body["spec"]["same"]


CEL_ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: app}
spec:
  rules:
  - matches:
    - path: {type: PathPrefix, value: "${PREFIX}"}
"""  # line 7: the path (the CEL rules' object)


def test_cel_rules_on_an_object_holding_a_placeholder(tmp_path: Path) -> None:
    """The HTTPRoute path's CEL rules (absolute path, valid characters) name the `path` object:
    dropped while `${PREFIX}` is unresolved, checked on the value as substituted."""
    write(tmp_path, {"route.yaml": CEL_ROUTE})
    doc = lint(tmp_path, "--select", "GW013,GW805")
    assert rows(doc) == {("route.yaml", 7, "GW805")}
    assert messages(doc, "GW805") == ["HTTPRoute app/web: Flux variable PREFIX not resolved, "
                                      "so this value is not validated"]
    files = {"flux/apps.yaml": flux("    substitute: {PREFIX: /api}\n"),
             "apps/route.yaml": CEL_ROUTE}
    write(tmp_path / "flux-ok", files)
    assert rows(lint(tmp_path / "flux-ok", "--select", "GW013,GW805")) == set()
    files["flux/apps.yaml"] = flux("    substitute: {PREFIX: api}\n")
    write(tmp_path / "flux-bad", files)
    assert rows(lint(tmp_path / "flux-bad", "--select", "GW013,GW805")) == \
        {("apps/route.yaml", 7, "GW013")}


def test_names_and_references_as_substituted(tmp_path: Path) -> None:
    """`name: web-${ENV}` is the route's name, a backendRef `${SVC}` names the Service."""
    service = "---\napiVersion: v1\nkind: Service\nmetadata: {name: web-prod, namespace: app}\n" \
              "spec: {ports: [{port: 80}]}\n"
    text = route("app.example.com").replace("name: web\n", "name: web-${ENV}\n") \
        .replace("- name: web\n", "- name: ${SVC}\n") + service
    write(tmp_path, {"flux/apps.yaml": flux("    substitute: {ENV: prod, SVC: web-prod}\n"),
                     "apps/route.yaml": text})
    doc = lint(tmp_path, "--select", "GW010,GW102,GW212,GW805")
    assert rows(doc) == {("apps/route.yaml", 6, "GW212")}  # no parentRefs: the only finding
    assert "HTTPRoute app/web-prod " in messages(doc, "GW212")[0]


def test_references_named_by_unresolved_variables_are_never_missing(tmp_path: Path) -> None:
    """A parentRef, backendRef or certificateRef whose name or namespace holds a placeholder
    names an object gwlint cannot know: no not-found finding (GW101, GW102, GW107...), no
    predicted ResolvedRefs/Accepted failure for it, and GW805 names its variables."""
    write(tmp_path, {"route.yaml": """\
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: app}
        spec:
          parentRefs:
          - {name: "${GATEWAY}", namespace: "${GATEWAY_NAMESPACE}"}
          rules:
          - backendRefs: [{name: "web-${ENV}", port: 80}]
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge, namespace: app}
        spec:
          gatewayClassName: envoy
          listeners:
          - name: https
            port: 443
            protocol: HTTPS
            tls: {certificateRefs: [{name: "${CERT}"}]}
        """})
    doc = lint(tmp_path, "--select", "ALL")
    assert {f["rule"] for f in doc["findings"]} & {"GW101", "GW102", "GW107"} == set()
    found = messages(doc, "GW805")
    assert any(all(v in m for v in ("GATEWAY,", "GATEWAY_NAMESPACE", "ENV")) for m in found), found
    assert any("CERT" in m for m in found), found
