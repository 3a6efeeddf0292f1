"""The annotation table: what replaces each Ingress controller annotation in the Gateway API.

The knowledge lives in `annotations.yaml` next to this module (one entry per annotation, with its
sources), not in code: this module only loads it once, validates it and answers lookups. Each
entry names a `check`, the function of `replacements.py` that decides whether a serving route
has the replacement; `CHECKS` is the vocabulary both sides agree on.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("annotations.yaml")

NGINX = "ingress-nginx"
KONG = "kong"
NGINX_INC = "nginx-inc"  # NGINX Inc / F5 NGINX Ingress Controller (nginx.org/, nginx.com/)
KONG_PLUGIN = "kong-plugin"

SUPPORT = ("standard", "experimental", "implementation", "none")
SEVERITIES = ("error", "warning", "info")

# Checks evaluated by the path and redirect comparison itself (parity.py), not per annotation.
EXPECTATION_CHECKS = frozenset({"path-semantics", "https-redirect", "redirect", "passthrough",
                                "canary"})
# Checks replacements.py evaluates on the route that serves an Ingress path.
ROUTE_CHECKS = frozenset({
    "url-rewrite", "host-rewrite", "request-header", "response-header", "app-root",
    "www-redirect", "hostnames", "timeouts", "retry", "session-persistence", "cors",
    "external-auth", "mirror", "backend-tls", "backend-protocol", "service-upstream", "client-cert",
    "policy", "none",
    "canary-weight", "canary-header", "canary-cookie", "kong-strip-path", "kong-preserve-host",
    "kong-methods", "kong-headers", "kong-plugins", "redirect-plugin", "request-transformer",
})
CHECKS = EXPECTATION_CHECKS | ROUTE_CHECKS


@dataclass(frozen=True, slots=True)
class Provider:
    """An Ingress controller whose annotations the table knows."""

    name: str          # ingress-nginx | kong | nginx-inc
    prefix: str        # nginx.ingress.kubernetes.io/
    controller: str    # IngressClass spec.controller
    class_name: str    # the controller's default class name
    docs: str
    label: str = ""    # the controller's name in findings (default: `name`)
    also: tuple[str, ...] = ()  # further annotation prefixes of the controller (nginx.com/)

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.prefix, *self.also)

    @property
    def title(self) -> str:
        return self.label or self.name


@dataclass(frozen=True, slots=True)
class Replacement:
    """One row of the table: an annotation (or a Kong plugin) and what replaces it."""

    key: str            # full annotation name, or the plugin name for Kong plugins
    provider: str       # ingress-nginx | kong | kong-plugin
    replacement: str
    support: str        # standard | experimental | implementation | none
    check: str
    severity: str
    doc_url: str
    doc_text: str
    when: str | None = None      # "true"/"false"/"on": matters only with that value
    with_: str | None = None     # full key of the annotation this one configures
    header: str | None = None    # header name for request-header checks
    note: str | None = None
    keywords: tuple[str, ...] = ()  # what an implementation policy that covers it configures
    per_service: bool = False    # the value names the Services it applies to (nginx.org/rewrites)

    @property
    def standard(self) -> bool:
        """A Gateway API construct replaces it (standard or experimental channel)."""
        return self.support in ("standard", "experimental")

    @property
    def no_equivalent(self) -> bool:
        """Only an implementation policy, or nothing, replaces it."""
        return self.support in ("implementation", "none")

    def applies(self, value: str) -> bool:
        """Whether the annotation has an effect with this value (`when`)."""
        if self.when is None:
            return True
        v = value.strip().lower()
        if self.when == "true":
            return v in ("true", "1", "t", "yes", "on")
        if self.when == "false":
            return v in ("false", "0", "f", "no", "off")
        return v == self.when


class Table:
    """The loaded table: providers, annotations by full name, Kong plugins by name."""

    def __init__(self, providers: dict[str, Provider], annotations: dict[str, Replacement],
                 wildcards: list[tuple[str, Replacement]], plugins: dict[str, Replacement]) -> None:
        self.providers = providers
        self.annotations = annotations
        self.wildcards = wildcards
        self.plugins = plugins
        self._by_controller = {p.controller: p for p in providers.values()}
        # a class name two controllers default to (`nginx`) guesses the first provider listed;
        # ingress.py corrects the guess by the Ingress's annotations
        self._by_class: dict[str, Provider] = {}
        for p in providers.values():
            self._by_class.setdefault(p.class_name, p)

    def lookup(self, key: str) -> Replacement | None:
        """The entry of an annotation (`konghq.com/headers.x-env` finds `konghq.com/headers.*`)."""
        hit = self.annotations.get(key)
        if hit is not None:
            return hit
        for prefix, entry in self.wildcards:
            if key.startswith(prefix) and len(key) > len(prefix):
                return entry
        return None

    def provider_of(self, key: str) -> Provider | None:
        """The provider whose annotation namespace `key` is in (known entry or not)."""
        entry = self.annotations.get(key)
        if entry is not None:
            return self.providers.get(entry.provider)
        for p in self.providers.values():
            if key.startswith(p.prefixes):
                return p
        return None

    def by_controller(self, controller: str | None) -> Provider | None:
        return self._by_controller.get(controller or "")

    def by_class_name(self, name: str | None) -> Provider | None:
        """The provider a class name suggests: its default class name (`nginx`, `kong`), else
        one contained in the name (`nginx-internal`, `ingress-kong`). A guess, used when the
        repository has no IngressClass object of that name."""
        name = (name or "").lower()
        hit = self._by_class.get(name)
        if hit is not None:
            return hit
        found = [p for c, p in self._by_class.items() if c in name]
        return found[0] if len(found) == 1 else None

    def suggest(self, key: str) -> str | None:
        """The closest known annotation of the same provider (for typos)."""
        provider = self.provider_of(key)
        if provider is None:
            return None
        short = key.removeprefix(provider.prefix)
        names = {k.removeprefix(provider.prefix): k for k, e in self.annotations.items()
                 if e.provider == provider.name}
        close = difflib.get_close_matches(short, list(names), n=1, cutoff=0.8)
        return names[close[0]] if close else None

    def plugin(self, name: str) -> Replacement | None:
        return self.plugins.get(name)

    def entries(self) -> list[Replacement]:
        """Every annotation entry (wildcards included), then every plugin entry."""
        out = list(self.annotations.values()) + [e for _, e in self.wildcards]
        return out + list(self.plugins.values())


def _entry(key: str, provider: str, raw: object, docs: str, label: str,
           full: dict[str, str]) -> Replacement:
    if not isinstance(raw, dict):
        raise TypeError(f"{key}: entry must be a mapping")
    unknown = set(raw) - {"replacement", "support", "check", "severity", "doc", "when", "with",
                          "header", "note", "keywords", "per-service"}
    if unknown:
        raise ValueError(f"{key}: unknown fields {sorted(unknown)}")
    for name in ("replacement", "support", "check", "severity", "doc"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise ValueError(f"{key}: field {name!r} is required (a string)")
    if raw["support"] not in SUPPORT:
        raise ValueError(f"{key}: support must be one of {SUPPORT}")
    if raw["check"] not in CHECKS:
        raise ValueError(f"{key}: unknown check {raw['check']!r}")
    if raw["severity"] not in SEVERITIES:
        raise ValueError(f"{key}: severity must be one of {SEVERITIES}")
    doc = raw["doc"]
    url = doc if doc.startswith("https://") else f"{docs}#{doc}"
    if provider == KONG_PLUGIN:
        url = doc if doc.startswith("https://") else f"{docs}{doc}/"
    with_ = raw.get("with")
    keywords = raw.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
        raise ValueError(f"{key}: keywords must be a list of strings")
    return Replacement(key, provider, raw["replacement"], raw["support"], raw["check"],
                       raw["severity"], url, f"{label}: {doc}", raw.get("when"),
                       full.get(with_, with_) if with_ else None, raw.get("header"),
                       raw.get("note"), tuple(k.lower() for k in keywords),
                       raw.get("per-service") is True)


def _full_key(prefix: str, short: str) -> str:
    return short if "/" in short else prefix + short


@functools.cache
def table() -> Table:
    """The table, loaded and validated once per process (only runs that look at Ingresses pay)."""
    with DATA.open(encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    providers: dict[str, Provider] = {}
    for name, raw in data["providers"].items():
        providers[name] = Provider(name, raw["prefix"], raw["controller"], raw["class"],
                                   raw["docs"], raw.get("label", ""), tuple(raw.get("also", ())))
    annotations: dict[str, Replacement] = {}
    wildcards: list[tuple[str, Replacement]] = []
    for pname, entries in data["annotations"].items():
        provider = providers[pname]
        label = f"{pname} annotations"
        full = {short: _full_key(provider.prefix, short) for short in entries}
        for short, raw in entries.items():
            entry = _entry(full[short], pname, raw, provider.docs, label, full)
            if short.endswith(".*"):
                wildcards.append((full[short][:-1], entry))
            else:
                annotations[full[short]] = entry
    for entry in annotations.values():
        if entry.with_ and entry.with_ not in annotations:
            raise ValueError(f"{entry.key}: 'with' names an unknown annotation {entry.with_!r}")
    kong_docs = data["providers"][KONG]["plugin-docs"]
    plugins = {name: _entry(name, KONG_PLUGIN, raw, kong_docs, "Kong plugin", {})
               for name, raw in data["plugins"].items()}
    return Table(providers, annotations, wildcards, plugins)
