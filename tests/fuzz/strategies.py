"""Hostile-input generators and the invariants every gwlint run must keep.

Shared by the property tests (tests/test_hostile_properties.py, short budget) and the long run
(tests/fuzz/run_fuzz.py, >= 100,000 inputs). Everything here drives the *real* pipeline
(`gwlint.engine.lint`, the reporters, the click CLI) and checks the contract:

* no exception escapes (an internal error is a failure, never an accepted outcome);
* the exit code is 0 or 1 (2 is reserved for usage and internal errors);
* every finding (and every related location) points inside its file: 1 <= line <= lines,
  1 <= column <= length of that line + 1, and the end is not before the start;
* JSON and SARIF output parse; the text output carries no raw control or bidi characters; every
  GitHub output line that starts with `::` is a command gwlint emitted for a finding.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from gwlint import discover
from gwlint.budget import shorten
from gwlint.engine import LintConfig, Report, lint
from gwlint.findings import Severity
from gwlint.reporters import render
from gwlint.runner import exit_code

# ----------------------------------------------------------------------------- budgets


def budget(default: int) -> int:
    """max_examples for an in-suite property test; GWLINT_FUZZ_EXAMPLES overrides (long runs)."""
    env = os.environ.get("GWLINT_FUZZ_EXAMPLES", "")
    return int(env) if env.isdigit() and int(env) > 0 else default


def available_formats() -> list[str]:
    """The output formats whose reporter module exists in this checkout."""
    import importlib.util

    return [f for f in ("text", "json", "github", "sarif")
            if importlib.util.find_spec(f"gwlint.reporters.{f}_report") is not None]


# ----------------------------------------------------------------------------- building blocks

GROUP = "gateway.networking.k8s.io"
NAMES = ["gw", "web", "shop", "api", "a", "b", "shared-gateway", "envoy", "x" * 63]
NAMESPACES = ["default", "infra", "shop", "app", "kube-system"]
HOSTS = ["example.com", "*.example.com", "shop.example.com", "a.b.c", "*", "", "EXAMPLE.com",
         "ex ample.com", "1.2.3.4", "xn--bcher-kva.example"]

# Strings that attack outputs and terminals: format-string and workflow-command syntax, CR/LF,
# ANSI CSI and OSC 8 hyperlinks, bidi overrides, zero-width characters, BOMs, templates.
NASTY = [
    "%", "%0A", "%25", "%%", "\r", "\n", "\r\n", "::", "::error::forged", "::warning file=x::y",
    "\n::error file=evil.yaml,line=1::forged annotation", "::stop-commands::tok", "::add-mask::x",
    "\x1b[31mred\x1b[0m", "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "\x1b[2J",
    "\x07", "\x08", "\x7f", "\x85", "\x9b31m", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff",
    "\u2028", "\u2029", "\t", "'", '"', "\\", "{{ .Values.name }}", "{{- include \"x\" . -}}",
    "日本語", "עברית", "😀", "e\u0301", "${HOME}", "$(touch /tmp/gwlint-pwned)", "`id`",
    "<script>", "&a", "*a", "!!python/object/apply:os.system", "---", "...", "# not a comment",
]


def nasty_text(max_size: int = 40) -> st.SearchStrategy[str]:
    """Short strings mixing ordinary characters, nasty fragments and arbitrary code points."""
    pieces = st.one_of(
        st.sampled_from(NASTY),
        st.text(alphabet=string.ascii_letters + string.digits + "-._/", max_size=8),
        st.text(max_size=4),  # any code point, surrogates included
        st.characters(codec="utf-8").map(str),
    )
    return st.lists(pieces, max_size=6).map("".join).map(lambda s: s[:max_size] if max_size else s)


def dns_name() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), st.from_regex(r"[a-z]([a-z0-9-]{0,20}[a-z0-9])?",
                                                            fullmatch=True))


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), nasty_text(), st.sampled_from(NAMES + HOSTS),
    st.just("x" * 5000),
)
any_value = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(nasty_text(12), st.sampled_from(NAMES)),
                                               children, max_size=4)),
    max_leaves=12,
)


def _meta(draw, cluster_scoped: bool = False) -> dict:
    meta: dict[str, Any] = {"name": draw(dns_name())}
    if not cluster_scoped and draw(st.booleans()):
        meta["namespace"] = draw(st.sampled_from(NAMESPACES))
    if draw(st.integers(0, 5)) == 0:
        meta["labels"] = {"gateway-access": "true", draw(nasty_text(10)): draw(nasty_text(10))}
    if draw(st.integers(0, 5)) == 0:
        meta["annotations"] = {"gwlint.io/ignore": draw(st.sampled_from(["GW101", "ALL", "x"])),
                               "note": draw(nasty_text())}
    return meta


def _parent_ref(draw) -> dict:
    ref: dict[str, Any] = {"name": draw(dns_name())}
    if draw(st.booleans()):
        ref["namespace"] = draw(st.sampled_from(NAMESPACES))
    if draw(st.integers(0, 3)) == 0:
        ref["sectionName"] = draw(st.sampled_from(["http", "https", "tls", "x"]))
    if draw(st.integers(0, 4)) == 0:
        ref["port"] = draw(st.sampled_from([80, 443, 8080, 0, 70000]))
    if draw(st.integers(0, 6)) == 0:
        ref["kind"] = draw(st.sampled_from(["Gateway", "Service", "ListenerSet", "Foo"]))
    return ref


def _backend(draw) -> dict:
    ref: dict[str, Any] = {"name": draw(dns_name()), "port": draw(st.sampled_from([80, 8080, 443]))}
    if draw(st.integers(0, 3)) == 0:
        ref["namespace"] = draw(st.sampled_from(NAMESPACES))
    if draw(st.integers(0, 2)) == 0:
        ref["weight"] = draw(st.sampled_from([0, 1, 10, 90, 100, 1000000]))
    return ref


@st.composite
def gateway_object(draw) -> dict:
    """A plausible Gateway API (or core) object; valid more often than not."""
    kind = draw(st.sampled_from(["Gateway", "HTTPRoute", "GRPCRoute", "TLSRoute", "GatewayClass",
                                 "ReferenceGrant", "Service", "Secret", "ListenerSet",
                                 "BackendTLSPolicy", "Namespace", "TCPRoute", "Unknown",
                                 "CustomResourceDefinition"]))
    version = draw(st.sampled_from(["v1", "v1", "v1beta1", "v1alpha2", "v1alpha3", "v9"]))
    if kind in ("Service", "Secret", "Namespace"):
        api = "v1"
    elif kind == "CustomResourceDefinition":  # Gateway API CRDs in the input select the release
        return {"apiVersion": "apiextensions.k8s.io/v1", "kind": kind, "metadata": {
            "name": "httproutes.gateway.networking.k8s.io", "annotations": {
                "gateway.networking.k8s.io/bundle-version": draw(st.one_of(st.sampled_from(
                    ["v1.6.1", "v1.4", "v1.2.0", "v9.9.9", "../../etc/passwd", "", "v1.6"]),
                    nasty_text(12), any_value)),
                "gateway.networking.k8s.io/channel": draw(st.one_of(st.sampled_from(
                    ["standard", "experimental", "x"]), any_value))}},
            "spec": {"group": draw(st.sampled_from(["gateway.networking.k8s.io",
                                                    "gateway.networking.x-k8s.io", "x.io"]))}}
    elif kind == "ListenerSet":
        api = f"gateway.networking.x-k8s.io/{draw(st.sampled_from(['v1alpha1', 'v1']))}"
    else:
        api = f"{GROUP}/{version}"
    obj: dict[str, Any] = {"apiVersion": api, "kind": kind,
                           "metadata": _meta(draw, kind in ("GatewayClass", "Namespace"))}
    if kind == "Gateway":
        listeners = []
        for i in range(draw(st.integers(0, 3))):
            proto = draw(st.sampled_from(["HTTP", "HTTPS", "TLS", "TCP", "UDP", "Bogus"]))
            lst: dict[str, Any] = {"name": draw(st.sampled_from(["http", "https", "tls", f"l{i}"])),
                                   "protocol": proto,
                                   "port": draw(st.sampled_from([80, 443, 8443, 1, 65535]))}
            if draw(st.booleans()):
                lst["hostname"] = draw(st.sampled_from(HOSTS))
            if proto in ("HTTPS", "TLS") and draw(st.booleans()):
                lst["tls"] = {"mode": draw(st.sampled_from(["Terminate", "Passthrough"])),
                              "certificateRefs": [{"name": draw(dns_name()),
                                                   **({"namespace": "shop"}
                                                      if draw(st.booleans()) else {})}]}
            if draw(st.booleans()):
                lst["allowedRoutes"] = {"namespaces": {"from": draw(st.sampled_from(
                    ["All", "Same", "Selector"]))}}
            listeners.append(lst)
        obj["spec"] = {"gatewayClassName": draw(dns_name()), "listeners": listeners}
    elif kind in ("HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"):
        spec: dict[str, Any] = {}
        if draw(st.integers(0, 4)):
            spec["parentRefs"] = [_parent_ref(draw) for _ in range(draw(st.integers(0, 2)))]
        if kind != "TCPRoute" and draw(st.booleans()):
            spec["hostnames"] = draw(st.lists(st.sampled_from(HOSTS), max_size=3))
        rules = []
        for _ in range(draw(st.integers(0, 3))):
            rule: dict[str, Any] = {"backendRefs": [_backend(draw)
                                                    for _ in range(draw(st.integers(0, 2)))]}
            if kind == "HTTPRoute" and draw(st.booleans()):
                rule["matches"] = [{"path": {"type": draw(st.sampled_from(
                    ["PathPrefix", "Exact", "RegularExpression"])), "value": draw(st.sampled_from(
                        ["/", "/cart", "/a/../b", "x", "/" + "a" * 2000]))}}]
                if draw(st.booleans()):
                    rule["matches"][0]["headers"] = [{"name": draw(st.sampled_from(
                        ["x-env", "Host", "bad header"])), "value": draw(nasty_text())}]
            if kind == "HTTPRoute" and draw(st.integers(0, 3)) == 0:
                rule["filters"] = [{"type": "RequestHeaderModifier", "requestHeaderModifier": {
                    "set": [{"name": draw(nasty_text(12)), "value": draw(nasty_text())}]}}]
            rules.append(rule)
        spec["rules"] = rules
        obj["spec"] = spec
    elif kind == "GatewayClass":
        obj["spec"] = {"controllerName": draw(st.sampled_from(
            ["example.com/gateway-controller", "bad", ""]))}
    elif kind == "ReferenceGrant":
        obj["spec"] = {"from": [{"group": GROUP, "kind": draw(st.sampled_from(
            ["HTTPRoute", "Gateway", "*"])), "namespace": draw(st.sampled_from(NAMESPACES))}],
                       "to": [{"group": "", "kind": draw(st.sampled_from(["Service", "Secret"])),
                               **({"name": draw(dns_name())} if draw(st.booleans()) else {})}]}
    elif kind == "Service":
        obj["spec"] = {"ports": [{"port": draw(st.sampled_from([80, 8080, 443])),
                                  "appProtocol": draw(st.sampled_from(["http", "kubernetes.io/h2c",
                                                                       "grpc"]))}]}
    elif kind == "Secret":
        obj["type"] = "kubernetes.io/tls"
        obj["data"] = {"tls.crt": "", "tls.key": ""}
    elif kind == "ListenerSet":
        obj["spec"] = {"parentRef": {"name": draw(dns_name())}, "listeners": [
            {"name": "l", "protocol": "HTTP", "port": 80}]}
    elif kind == "BackendTLSPolicy":
        obj["spec"] = {"targetRefs": [{"group": "", "kind": "Service", "name": draw(dns_name())}],
                       "validation": {"hostname": draw(st.sampled_from(HOSTS)),
                                      "wellKnownCACertificates": "System"}}
    elif kind == "Unknown":
        obj["spec"] = draw(any_value)
    return obj


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, prefix + (i,))
    return out


def _set(root: Any, path: tuple, value: Any, delete: bool = False) -> Any:
    if not path:
        return value
    parent = root
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return root


@st.composite
def mutated(draw, base: st.SearchStrategy) -> Any:
    """`base` with a few random edits: any type in any field, missing and extra fields."""
    obj = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(obj)
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(["type", "delete", "extra", "nasty", "deep", "huge"]))
        if op == "type":
            obj = _set(obj, path, draw(any_value))
        elif op == "delete" and path:
            obj = _set(obj, path, None, delete=True)
        elif op == "extra":
            target = obj
            for step in path:
                target = target[step]
            if isinstance(target, dict):
                target[draw(nasty_text(20))] = draw(any_value)
            elif isinstance(target, list):
                target.append(draw(any_value))
        elif op == "nasty":
            obj = _set(obj, path, draw(nasty_text(200)))
        elif op == "deep":
            depth = draw(st.sampled_from([5, 50, 199, 200, 201, 400]))
            deep: Any = "x"
            for _ in range(depth):
                deep = [deep] if draw(st.booleans()) else {"k": deep}
            obj = _set(obj, path, deep)
        elif op == "huge":
            obj = _set(obj, path, "h" * draw(st.sampled_from([10_000, 100_000])))
    return obj


@st.composite
def documents(draw) -> list[Any]:
    """Documents for one file: objects (mutated or not), List wrappers, scalars, nulls."""
    docs: list[Any] = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9))
        if choice <= 4:
            docs.append(draw(gateway_object()))
        elif choice <= 7:
            docs.append(draw(mutated(gateway_object())))
        elif choice == 8:
            items = draw(st.lists(st.one_of(gateway_object(), mutated(gateway_object()),
                                            any_value), max_size=3))
            docs.append({"apiVersion": "v1", "kind": draw(st.sampled_from(
                ["List", "HTTPRouteList", "ConfigMapList"])), "items": items})
        else:
            docs.append(draw(any_value))
    return docs


def _dump(doc: Any, draw) -> str:
    style = draw(st.sampled_from(["block", "flow", "mixed", "json"]))
    try:
        if style == "json":
            return json.dumps(doc, ensure_ascii=draw(st.booleans()), indent=draw(
                st.sampled_from([None, 2])))
        return yaml.safe_dump(doc, default_flow_style={"block": False, "flow": True,
                                                       "mixed": None}[style],
                              allow_unicode=draw(st.booleans()), sort_keys=False,
                              width=draw(st.sampled_from([80, 20, 10**6])),
                              indent=draw(st.sampled_from([2, 4])))
    except (ValueError, yaml.YAMLError, OverflowError, RecursionError):
        return "x: 1\n"


SEPARATORS = ["---\n", "--- \n", "\n---\n", "---\n...\n", "...\n---\n", "--- # c\n", "---\r\n",
              "---", "--- |\n  block\n---\n", "%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n---\n"]

FRAGMENTS = [
    "- ", ": ", "[", "]", "{", "}", ", ", "&a ", "*a", "&b ", "*b", "!!str ", "!!int ",
    "!!binary ", "!custom ", "!!python/object/apply:os.system ", "? ", "|\n", ">-\n", "---\n",
    "...\n", "\n", "  ", "    ", "\t", "# c\n", "'", '"', "\\", "{{ .Values.x }}", "<<: ", "<<: *a",
    "apiVersion: gateway.networking.k8s.io/v1\n", "kind: HTTPRoute\n", "metadata:\n  name: r\n",
    "kind: List\nitems:\n", "spec:\n", "  parentRefs:\n  - name: gw\n", "\r\n", "\ufeff", "\x85",
    "\u2028", "%YAML 1.2\n", "%TAG ! !\n", "a", "1", "-1", "0x1F", "1e9", "~", "null", "yes",
    "2001-12-14", ".inf", ".nan", "=", "@", "`", "key: value\n", "key: value\n",  # dup keys
]


@st.composite
def yaml_soup(draw) -> str:
    """Near-YAML token soup: exercises every error path of the scanner and the parser."""
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3)),
                          max_size=40))
    return "".join(parts)


@st.composite
def text_mutation(draw, text: str) -> str:
    """Edit a text the way broken files look: truncation, insertion, CRLF, tabs, BOM, dup lines."""
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["insert", "truncate", "crlf", "cr", "tabs", "bom", "dup",
                                   "template", "tag", "alias", "delete", "nothing"]))
        pos = draw(st.integers(0, len(text)))
        if op == "insert":
            text = text[:pos] + draw(st.one_of(st.sampled_from(FRAGMENTS),
                                               nasty_text())) + text[pos:]
        elif op == "truncate":
            text = text[:pos]
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        elif op == "cr":
            text = text.replace("\n", "\r")
        elif op == "tabs":
            text = text.replace("  ", "\t", draw(st.integers(1, 3)))
        elif op == "bom":
            text = "\ufeff" + text
        elif op == "dup":
            lines = text.split("\n")
            i = draw(st.integers(0, max(0, len(lines) - 1)))
            lines.insert(i, lines[i] if lines else "")
            text = "\n".join(lines)
        elif op == "template":
            text = text[:pos] + draw(st.sampled_from(["{{ .Values.x }}", "{{- if .x }}\n",
                                                      "{{ end }}"])) + text[pos:]
        elif op == "tag":
            text = text[:pos] + draw(st.sampled_from(["!Ref ", "!!python/name:os.system ",
                                                      "!!set ", "!!omap "])) + text[pos:]
        elif op == "alias":
            text = "x: &a [1, 2]\n" + text[:pos] + "*a" + text[pos:]
        elif op == "delete":
            end = draw(st.integers(pos, min(len(text), pos + 20)))
            text = text[:pos] + text[end:]
    return text


@st.composite
def yaml_text(draw) -> str:
    """One file's text: serialised (mutated) objects, token soup, or both, with text edits."""
    kind = draw(st.integers(0, 9))
    if kind <= 6:
        docs = draw(documents())
        seps = [draw(st.sampled_from(SEPARATORS)) for _ in docs]
        text = "".join(s + _dump(d, draw) for s, d in zip(seps, docs, strict=True))
        if draw(st.integers(0, 4)) == 0:
            text = "# Source: chart/templates/route.yaml\n" + text
    elif kind <= 8:
        text = draw(yaml_soup())
    else:
        text = draw(st.text(max_size=200))
    return draw(text_mutation(text))


ENCODINGS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "surrogate"]


@st.composite
def file_bytes(draw) -> bytes:
    """Bytes of one file: usually UTF-8, sometimes UTF-16 (BOM), Latin-1, raw bytes, NULs."""
    if draw(st.integers(0, 19)) == 0:
        return draw(st.binary(max_size=300))
    text = draw(yaml_text())
    enc = draw(st.sampled_from(ENCODINGS))
    if enc == "surrogate":
        return text.encode("utf-8", "surrogatepass")
    return text.encode(enc, "surrogatepass" if enc.startswith("utf-16") else "replace") \
        if enc != "utf-8" else text.encode("utf-8", "surrogatepass")


FILE_NAMES = ["a.yaml", "b.yml", "c.json", "dir/d.yaml", "dir/sub/e.YAML", "weird name.yaml",
              "pct%0Aname.yaml", "colon::error file=x::y.yaml", "esc\x1b[31m.yaml",
              "rtl\u202eevil.yaml", "nl\nname.yaml", "uni日本.yaml", "-dash.yaml", ".hidden.yaml"]


@st.composite
def file_trees(draw) -> dict[str, bytes]:
    """{relative path: bytes} for a small repository."""
    names = draw(st.lists(st.sampled_from(FILE_NAMES), min_size=1, max_size=4, unique=True))
    return {n: draw(file_bytes()) for n in names}


# ----------------------------------------------------------------------------- shapes
# Input *shapes* that once cost more than linear time (hostile input, round two), at sizes a fuzz
# run can afford: lists over maxItems, many grants, many directives, aliases repeated across
# documents, many duplicate keys, and every line end (CR, CRLF, NEL/LS/PS inside scalars and
# comments).

_ROUTE_HEAD = f"apiVersion: {GROUP}/v1\nkind: HTTPRoute\nmetadata:\n  name: {{name}}\n" \
    "  namespace: {namespace}\nspec:\n"
CODES = ["GW101", "GW102", "GW105", "GW008", "GW011", "GW999", "parent-ref-unresolved", "all",
         "", "GW101,GW102", "nope"]


@st.composite
def big_list(draw) -> str:
    """An object with a list far over its maxItems (parentRefs, listeners, hostnames, rules)."""
    n = draw(st.integers(30, 150))
    which = draw(st.sampled_from(["parentRefs", "listeners", "hostnames", "rules", "grant"]))
    if which == "listeners":
        items = "".join(f"  - name: l{i % draw(st.sampled_from([n, 7]))}\n    port: "
                        f"{draw(st.sampled_from([80, 443, i + 1]))}\n    protocol: "
                        f"{draw(st.sampled_from(['HTTP', 'HTTPS', 'TCP']))}\n" for i in range(n))
        return (f"apiVersion: {GROUP}/v1\nkind: Gateway\nmetadata: {{name: g, namespace: app}}\n"
                f"spec:\n  gatewayClassName: c\n  listeners:\n{items}")
    if which == "grant":
        froms = "".join(f"  - {{group: {GROUP}, kind: HTTPRoute, namespace: ns{i}}}\n"
                        for i in range(n))
        return (f"apiVersion: {GROUP}/v1beta1\nkind: ReferenceGrant\nmetadata: {{name: big, "
                f"namespace: app}}\nspec:\n  from:\n{froms}  to:\n  - {{group: '', kind: "
                "Service}\n")
    head = _ROUTE_HEAD.format(name="r", namespace="app")
    if which == "parentRefs":
        return head + "  parentRefs:\n" + "".join(
            f"  - name: gw{i % draw(st.sampled_from([n, 3]))}\n" for i in range(n))
    if which == "hostnames":
        return head + "  hostnames:\n" + "".join(f"  - h{i}.example.com\n" for i in range(n))
    return head + "  parentRefs: [{name: gw}]\n  rules:\n" + "".join(
        f"  - matches: [{{path: {{type: PathPrefix, value: /p{i}}}}}]\n"
        f"    backendRefs: [{{name: svc, port: 80}}]\n" for i in range(n))


@st.composite
def many_grants(draw) -> str:
    """Grants and cross-namespace routes in numbers: matches, near misses, misplaced grants,
    identical grants, grants over maxItems."""
    n = draw(st.integers(5, 40))
    docs = []
    for i in range(n):
        ns = draw(st.sampled_from(["backend", "app", f"ns{i % 5}"]))
        to_name = draw(st.sampled_from([None, "svc", f"svc{i}", ""]))
        froms = draw(st.integers(1, 3)) if draw(st.integers(0, 9)) else 17
        docs.append(
            f"apiVersion: {GROUP}/v1beta1\nkind: ReferenceGrant\nmetadata: {{name: g{i}, "
            f"namespace: {ns}}}\nspec:\n  from:\n" + "".join(
                f"  - {{group: {GROUP}, kind: {draw(st.sampled_from(['HTTPRoute', 'GRPCRoute']))}"
                f", namespace: {draw(st.sampled_from(['web', 'app', f'ns{j}']))}}}\n"
                for j in range(froms)) + "  to:\n  - {group: '', kind: "
            f"{draw(st.sampled_from(['Service', 'Secret']))}"
            + (f", name: '{to_name}'" if to_name is not None else "") + "}\n")
    for i in range(draw(st.integers(5, 40))):
        docs.append(_ROUTE_HEAD.format(name=f"r{i}", namespace=draw(st.sampled_from(
            ["web", "app", f"ns{i % 5}"]))) + "  parentRefs: [{name: gw}]\n  rules:\n"
            f"  - backendRefs: [{{name: {draw(st.sampled_from(['svc', f'svc{i}']))}, "
            f"namespace: {draw(st.sampled_from(['backend', 'app']))}, port: 80}}]\n")
    return "".join("---\n" + d for d in docs)


@st.composite
def with_directives(draw, text: str) -> str:
    """`text` with `# gwlint:` comments at line ends and on lines of their own, in numbers."""
    lines = text.split("\n")
    out = []
    for line in lines:
        choice = draw(st.integers(0, 5))
        directive = draw(st.sampled_from(["ignore", "ignore-document", "ignore-file", "ignroe",
                                          ""]))
        comment = f"# gwlint: {directive}[{draw(st.sampled_from(CODES))}]"
        if choice == 0 and line.strip():
            out.append(f"{line}  {comment}")
        elif choice == 1:
            indent = line[:len(line) - len(line.lstrip())]
            out.extend([indent + comment] * draw(st.sampled_from([1, 2, 50])))
            out.append(line)
        else:
            out.append(line)
    return "\n".join(out)


@st.composite
def alias_documents(draw) -> str:
    """Documents with anchors and aliases, repeated: each under the per-file alias limit, together
    over the run's budget sometimes."""
    width = draw(st.integers(2, 10))
    levels = draw(st.integers(1, 4))
    docs = []
    for i in range(draw(st.integers(1, 10))):
        lines = [_ROUTE_HEAD.format(name=f"r{i}", namespace="app").replace(
            "spec:\n", "  annotations:\n"), "    a0: &a0 [" + ", ".join(["x"] * width) + "]"]
        for level in range(1, levels + 1):
            lines.append(f"    a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width)
                         + "]")
        lines.append(draw(st.sampled_from(["spec: {parentRefs: [{name: gw}]}",
                                           f"spec: {{parentRefs: *a{levels}}}", "spec: *a0"])))
        docs.append("\n".join(lines) + "\n")
    return "".join("---\n" + d for d in docs)


@st.composite
def line_ends(draw, text: str) -> str:
    """`text` with other line ends: CR, CRLF, or NEL/LS/PS put inside scalars and comments."""
    op = draw(st.sampled_from(["cr", "crlf", "mixed", "nel", "ls", "ps", "none"]))
    if op == "cr":
        return text.replace("\n", "\r")
    if op == "crlf":
        return text.replace("\n", "\r\n")
    if op == "mixed":
        return "".join(c if c != "\n" else draw(st.sampled_from(["\n", "\r", "\r\n"]))
                       for c in text)
    if op == "none":
        return text
    char = {"nel": "\x85", "ls": "\u2028", "ps": "\u2029"}[op]
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        where = draw(st.sampled_from(["comment", "quoted", "end", "middle"]))
        if where == "comment":
            lines[i] += f"  # a{char}b"
        elif where == "quoted":
            lines.insert(i, f"x{i}: \"a{char}b\"")
        elif where == "end":
            lines[i] += char
        else:
            cut = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:cut] + char + lines[i][cut:]
    return "\n".join(lines)


@st.composite
def shapes(draw) -> str:
    """One file of a hostile shape (see above), with directives and other line ends."""
    kind = draw(st.sampled_from(["list", "grants", "aliases", "dupkeys", "objects"]))
    if kind == "list":
        text = draw(big_list())
    elif kind == "grants":
        text = draw(many_grants())
    elif kind == "aliases":
        text = draw(alias_documents())
    elif kind == "dupkeys":
        text = ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n"
                + "  k: v\n" * draw(st.integers(50, 250)))
    else:
        text = "".join("---\n" + _dump(d, draw) for d in draw(documents()))
    if draw(st.booleans()):
        text = draw(with_directives(text))
    return draw(line_ends(text))


# Configuration files a pull request can add: every problem must be exit 2 with FILE:LINE.
CONFIG_FRAGMENTS = [
    "select: [GW1]\n", "ignore: [GW311]\n", "exclude: ['a/*']\n", "fail-on: warning\n",
    "max-file-size: 1048576\n", "max-file-size: 99999999999999999999999999\n",
    "max-file-size: 100000000000000\n", "max-file-size: -1\n", "max-file-size: 1e400\n",
    "!custom k: v\n", "select: !x [GW1]\n", "fail-on: !!python/name:os.system error\n",
    "a: &x [1]\n", "b: *x\n", "x: ]\n", "? [a]\n: b\n", "rules: {GW404: {max-secret-"
    "namespaces: 99999999999999999999}}\n", "severity: {GW101: loud}\n", "selec: [GW1]\n",
    "gateway-api: {version: 1.4}\n", "per-file-ignores: {'*': [GW1]}\n", "\t", "  ", "- a\n",
    "---\n", "\r", "\x85", "\u2028", "\ufeff", "{", "}", "[", "]", "'", '"', "\\", "#c\n",
]
TOML_FRAGMENTS = [
    "[tool.gwlint]\n", "select = ['GW1']\n", "max-file-size = 99999999999999999999\n",
    "max-file-size = inf\n", "fail-on = 'x'\n", "[[tool.gwlint.x]]\n", "a = [", "]\n", "= 1\n",
    "[tool]\n", "gwlint = 1\n", "\n",
]


@st.composite
def hostile_config(draw) -> tuple[str, bytes]:
    """(file name, bytes) of a configuration file: `.gwlint.yaml` or `pyproject.toml`."""
    if draw(st.integers(0, 3)) == 0:
        text = "".join(draw(st.lists(st.sampled_from(TOML_FRAGMENTS), max_size=8)))
        return "pyproject.toml", text.encode("utf-8", "surrogatepass")
    parts = draw(st.lists(st.one_of(st.sampled_from(CONFIG_FRAGMENTS), st.text(max_size=3)),
                          max_size=10))
    data = "".join(parts).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        data += b"\xff"
    return ".gwlint.yaml", data


def run_config(name: str, data: bytes, manifest: bytes) -> int:
    """The CLI on one manifest with the configuration file `name` next to it (found, not named):
    exit 0/1, or 2 with `gwlint: error: NAME:LINE: ...`; never a traceback."""
    import re as re_mod
    import tempfile

    from click.testing import CliRunner

    from gwlint.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()  # the repository root: discovery stops here
        (root / name).write_bytes(data)
        (root / "a.yaml").write_bytes(manifest)
        old = os.getcwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, ["--format", "json", "a.yaml"],
                                        catch_exceptions=True)
        finally:
            os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    err = result.stderr
    assert "Traceback" not in err and "internal error" not in err, err[-3000:]
    if result.exit_code == 2:
        assert re_mod.match(rf"gwlint: error: {re_mod.escape(name)}:\d+: ", err), err[:500]
    else:
        assert result.exit_code in (0, 1), (result.exit_code, err[-2000:])
        json.loads(result.stdout)
    return result.exit_code


# ----------------------------------------------------------------------------- invariants

# What ends a line in every report (gwlint.lines): LF, CRLF and CR, as GitHub and SARIF count;
# NEL, LS and PS do not (libyaml breaks lines on them too: gwlint converts its positions)
_BREAK = re.compile("\r\n|[\r\n]")
# What must never reach a terminal raw (tab and the line feeds gwlint writes are fine).
TEXT_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                            "\u2066-\u2069\ufeff\ud800-\udfff]")


def file_lines(text: str) -> list[str]:
    return _BREAK.split(text)


def _texts_of(root: Path | None, stdin: tuple[str, str] | None) -> dict[str, str]:
    """Display path -> decoded text, decoded exactly as gwlint decodes."""
    from gwlint.source import SourceFile

    texts: dict[str, str] = {}
    if stdin is not None:
        texts[stdin[0]] = stdin[1]
    if root is not None:
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                data = path.read_bytes()
                src, issue = discover.decode(SourceFile("x"), data)
                # refused files are located by their raw lines (e.g. the line of a bad byte)
                texts[discover.printable_name(discover.display_path(path))] = \
                    src.text if issue is None else data.decode("utf-8", "replace")
    return texts


def check_location(where: str, file: str, line: int, column: int, end_line: int, end_column: int,
                   texts: dict[str, str], helm: bool = False) -> None:
    assert isinstance(line, int) and isinstance(column, int), where
    assert line >= 1 and column >= 1, f"{where}: {file}:{line}:{column} before the file start"
    assert (end_line, end_column) >= (line, column), \
        f"{where}: end {end_line}:{end_column} before start {line}:{column}"
    if helm or file not in texts:
        return  # a Helm template named by `# Source:` (its own numbering) or an unreadable file
    lines = file_lines(texts[file])
    assert line <= len(lines), f"{where}: {file}:{line} past the last line ({len(lines)})"
    assert end_line <= len(lines), f"{where}: {file}: end line {end_line} past {len(lines)}"
    assert column <= len(lines[line - 1]) + 1, \
        f"{where}: {file}:{line}:{column} past the end of the line ({len(lines[line - 1])} chars)"
    assert end_column <= len(lines[end_line - 1]) + 1, \
        f"{where}: {file}:{end_line}:{end_column} past the end of the line"


def check_report(report: Report, texts: dict[str, str], helm_names: set[str] = frozenset(),
                 formats: list[str] | None = None) -> None:
    """Every invariant of one finished report, in every available output format."""
    for f in report.findings:
        assert f.rule in report.rules, f"finding of unselected rule {f.rule}"
        assert isinstance(report.severity_of(f), Severity)
        loc = f.location
        assert loc is not None, f"{f.rule} has no location"
        check_location(f.rule, loc.file, loc.line, loc.column, loc.end_line, loc.end_column, texts,
                       helm=loc.file in helm_names)
        for r in f.related:
            if r.location is not None:
                rl = r.location
                check_location(f"{f.rule} related", rl.file, rl.line, rl.column, rl.end_line,
                               rl.end_column, texts, helm=rl.file in helm_names)
    for fmt in formats or available_formats():
        out = render(report, fmt, color=fmt == "text", statistics=True)
        out.encode("utf-8")  # every output must be writable as UTF-8
        check_output(fmt, out, report, helm_names)


def check_output(fmt: str, out: str, report: Report, helm_names: set[str] = frozenset()) -> None:
    if fmt == "json":
        doc = json.loads(out)
        assert len(doc["findings"]) == len(report.findings)
        for got, f in zip(doc["findings"], report.findings, strict=True):
            # manifest text preserved as data, not mangled; only cut when it is too long to read
            assert got["message"] == (shorten(f.message) if got["truncated"] else
                                      f.message)
    elif fmt == "sarif":
        doc = json.loads(out)
        assert doc["version"] == "2.1.0"
        results = doc["runs"][0]["results"]
        assert len(results) == len(report.findings)
        for r in results:
            # GitHub renders the message: no raw control or bidi character (the raw values are
            # kept in the properties)
            bad = TEXT_FORBIDDEN.search(r["message"]["text"])
            assert bad is None, f"raw {bad.group()!r} in a SARIF message: {r['message']['text']!r}"
            region = r["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] >= 1 and region["startColumn"] >= 1
            assert (region["endLine"], region["endColumn"]) >= (region["startLine"],
                                                                region["startColumn"])
    elif fmt == "text":
        for ln in out.split("\n"):
            plain = re.sub(r"\x1b\[[0-9;]*m", "", ln)  # gwlint's own colours (--color always)
            bad = TEXT_FORBIDDEN.search(plain)
            assert bad is None, f"raw control character {bad.group()!r} in text output: {ln!r}"
    elif fmt == "github":
        check_github(out, report)


def check_github(out: str, report: Report) -> None:
    """Only gwlint's own workflow commands: one annotation per finding, then the text report inside
    a `::stop-commands::TOKEN` ... `::TOKEN::` block, where the runner processes no command."""
    lines = out.split("\n")
    assert "\r" not in out, "a CR in GitHub output could start a new log line"
    active: list[str] = []  # lines the runner would parse as commands
    token = None
    for ln in lines:
        if token is not None:
            if ln == f"::{token}::":
                token = None
            continue
        if ln.startswith("::stop-commands::"):
            token = ln[len("::stop-commands::"):]
            assert re.fullmatch(r"[0-9a-f]{16,}", token), f"guessable stop token {token!r}"
            continue
        if ln.startswith("::"):
            active.append(ln)
    assert token is None, "commands never resumed"
    annotations = [ln for ln in active if re.match(r"::(error|warning|notice) ", ln)]
    assert annotations == active, f"forged workflow commands: {active[len(annotations):]!r}"
    # GitHub shows 10 annotations of each level per step: at most 10 of each are emitted, then
    # one closing notice (which takes a notice slot) when some were left out
    levels = Counter(str(report.severity_of(f)) for f in report.findings)
    cut = any(n > 10 for n in levels.values())
    expected = sum(min(n, 9 if cut and level == "info" else 10) for level, n in levels.items())
    assert len(annotations) == expected + cut, \
        f"{len(annotations)} annotation lines for {len(report.findings)} findings"
    for ln in annotations:
        head, sep, _message = ln[2:].partition("::")
        assert sep, ln
        _name, _, props = head.partition(" ")
        for prop in props.split(","):
            key, eq, _value = prop.partition("=")
            assert eq and key in {"file", "line", "endLine", "col", "endColumn", "title"}, \
                f"forged annotation property {prop!r} in {ln!r}"
        bad = TEXT_FORBIDDEN.search(ln)  # ESC, bidi overrides, zero-width characters
        assert bad is None, f"raw {bad.group()!r} in annotation {ln!r}"


# ----------------------------------------------------------------------------- running


def run_tree(root: Path, files: dict[str, bytes], **config: Any) -> tuple[Report, dict[str, str]]:
    """Write `files` below `root` and lint the directory in-process (cwd = root)."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    old = os.getcwd()
    os.chdir(root)
    try:
        report = lint(LintConfig(paths=["."], jobs=1, **config))
        texts = _texts_of(Path("."), None)
    finally:
        os.chdir(old)
    return report, texts


def run_stdin(data: bytes, name: str = "<stdin>", **config: Any) -> tuple[Report, dict[str, str]]:
    """Lint a stream as `gwlint -` does (bytes decoded with surrogateescape by the CLI)."""
    text = data.decode("utf-8", "surrogateescape")
    report = lint(LintConfig(paths=[], stdin_text=text, stdin_filename=name, jobs=1, **config))
    from gwlint.source import SourceFile

    src, issue = discover.decode(SourceFile(name), data)
    return report, {discover.printable_name(name): src.text if issue is None
                    else data.decode("utf-8", "replace")}


def helm_names(data: bytes | str) -> set[str]:
    """The template names of `# Source:` comments, from the text as gwlint decodes it."""
    from gwlint.source import SourceFile

    if isinstance(data, bytes):
        src, issue = discover.decode(SourceFile("x"), data)
        data = src.text if issue is None else ""
    from gwlint.source import _HELM_SOURCE

    return {m.group(1) for m in _HELM_SOURCE.finditer(data)}


def assert_exit_ok(report: Report) -> int:
    code = exit_code(report, Severity.ERROR, False)
    assert code in (0, 1)
    return code


# ----------------------------------------------------------------------------- a hostile corpus


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


HOSTILE_ROUTE = """\
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: web
  namespace: app
spec:
  parentRefs:
  - name: "gw\\e[31m\\n::error file=x::forged%0A"
  bogus: 1
"""


def write_hostile_corpus(root: Path, marker: Path, special: bool = True) -> None:
    """Every kind of bad input in one tree (used by the no-write/no-network/no-exec tests).

    `marker` is a path that a successful code execution would create; `special` adds a FIFO,
    symlink loops and a broken link.
    """
    files: dict[str, bytes] = {
        "bomb.yaml": billion_laughs().encode(),
        "deep-flow.yaml": ("[" * 100_000).encode(),
        "deep-block.yaml": ("- " * 100_000 + "x\n").encode(),
        "deep-implicit.yaml": ("[a: " * 20_000 + "x").encode(),
        "binary.yaml": b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)),
        "nul.yaml": b"a: b\x00\n",
        "latin1.yaml": "caf\xe9: 1\n".encode("latin-1"),
        "utf16.yaml": b"\xff\xfe" + HOSTILE_ROUTE.encode("utf-16-le"),
        "bom.yaml": b"\xef\xbb\xbf" + HOSTILE_ROUTE.encode(),
        "crlf.yaml": HOSTILE_ROUTE.replace("\n", "\r\n").encode(),
        "helm.yaml": b"metadata:\n  name: {{ .Values.name }}\n{{- if .x }}\n",
        "route.json": json.dumps({"apiVersion": "gateway.networking.k8s.io/v1",
                                  "kind": "HTTPRoute", "metadata": {"name": "j"},
                                  "spec": {"x\u001b[31m": 1}}).encode(),
        "empty.yaml": b"",
        "comments.yaml": b"# nothing\n",
        "dup.yaml": b"a: 1\na: 2\n",
        "unknown.yaml": b"apiVersion: x.example/v1\nkind: Thing\nmetadata: {name: t}\n",
        "tags.yaml": (f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
                      f'b: !!python/object/apply:subprocess.call [["touch", "{marker}"]]\n'
                      "c: !!python/name:os.system\nd: !Ref x\n").encode(),
        "bigint.yaml": ("a: " + "9" * 5000 + "\nb: !!int x\n").encode(),
        "docs.yaml": b"---\n" * 1000,
        "x\x1b[31m%0A::error file=y::z\u202e.yaml".encode().decode(): HOSTILE_ROUTE.encode(),
        "dir.yaml/inner.yaml": HOSTILE_ROUTE.encode(),
        "values.yaml": b"replicaCount: 1\nimage: {repository: nginx}\n",
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / os.fsdecode(b"\xff\xfename.yaml")).write_bytes(HOSTILE_ROUTE.encode())
    if special:
        os.mkfifo(root / "fifo.yaml")
        os.symlink("loop-b.yaml", root / "loop-a.yaml")
        os.symlink("loop-a.yaml", root / "loop-b.yaml")
        os.symlink("nowhere.yaml", root / "broken.yaml")
        (root / "sub").mkdir(exist_ok=True)
        os.symlink("..", root / "sub" / "up")


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry below `root` (not following symlinks): content hash, size, mtime, mode."""
    import hashlib
    import stat as stat_mod

    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = ""
            if stat_mod.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            elif stat_mod.S_ISLNK(st.st_mode):
                digest = os.readlink(path)
            size = 0 if stat_mod.S_ISDIR(st.st_mode) else st.st_size
            # a directory's mtime changes when an entry is created or removed in it
            out[os.path.relpath(path, root)] = (digest, size, st.st_mtime_ns, st.st_mode)
    return out
