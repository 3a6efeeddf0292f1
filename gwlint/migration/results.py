"""What the parity checks produce: one `Result` per Ingress path, TLS host, HTTPS redirect,
default backend and annotation, and the `Parity` of a run that holds them.

The result codes are stable identifiers: the GW6xx rules map problem codes to findings and the
inventory counts them. A module of its own so that the parts of the check (`parity` for paths,
redirects and annotations; `tls`; `default_backend`) share them without importing each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gwlint.migration.annotations import Replacement
    from gwlint.migration.ingress import IngressInfo, IngressModel, IngressPath
    from gwlint.migration.replacements import Related
    from gwlint.model import FieldPath, Resource

# Result codes that are not problems.
SERVED = "served"
REDIRECTED = "redirected"
TLS_OK = "tls-ok"
ANNOTATION_OK = "annotation-ok"
ANNOTATION_POLICY = "annotation-policy"
ANNOTATION_UNCHECKED = "annotation-unchecked"
OK_CODES = frozenset({SERVED, REDIRECTED, TLS_OK, ANNOTATION_OK, ANNOTATION_POLICY,
                      ANNOTATION_UNCHECKED})
# Problems.
NOT_SERVED = "not-served"
BACKEND_DIFFERS = "backend-differs"
MATCH_DIFFERS = "match-differs"
TLS_NO_LISTENER = "tls-no-listener"
TLS_WRONG_SECRET = "tls-wrong-secret"
TLS_NOT_PERMITTED = "tls-secret-not-permitted"
HTTPS_REDIRECT_MISSING = "https-redirect-missing"
ANNOTATION_MISSING = "annotation-missing"
ANNOTATION_NO_EQUIVALENT = "annotation-no-equivalent"
DEFAULT_BACKEND_MISSING = "default-backend-missing"
DEFAULT_BACKEND_DIFFERS = "default-backend-differs"
LISTENER_PORT = "listener-port"
PROBLEM_CODES = (NOT_SERVED, LISTENER_PORT, BACKEND_DIFFERS, MATCH_DIFFERS, TLS_NO_LISTENER,
                 TLS_WRONG_SECRET, TLS_NOT_PERMITTED, HTTPS_REDIRECT_MISSING, ANNOTATION_MISSING,
                 ANNOTATION_NO_EQUIVALENT, DEFAULT_BACKEND_MISSING, DEFAULT_BACKEND_DIFFERS)

# The rule that reports each result code as a finding (GW612 reports a confirmation: the
# replacements gwlint cannot verify). The rules and the inventory read this one table.
RULE_OF = {
    NOT_SERVED: "GW601", LISTENER_PORT: "GW601", BACKEND_DIFFERS: "GW602", MATCH_DIFFERS: "GW603",
    TLS_NO_LISTENER: "GW604", TLS_WRONG_SECRET: "GW604", TLS_NOT_PERMITTED: "GW604",
    HTTPS_REDIRECT_MISSING: "GW605", ANNOTATION_MISSING: "GW606",
    ANNOTATION_NO_EQUIVALENT: "GW607", DEFAULT_BACKEND_MISSING: "GW608",
    DEFAULT_BACKEND_DIFFERS: "GW608", ANNOTATION_POLICY: "GW612",
}


def codes_of(rule: str) -> frozenset[str]:
    """The result codes rule `rule` reports."""
    return frozenset(c for c, r in RULE_OF.items() if r == rule)


# The Ingress input problems (`ingress.Problem.code`) divide the same way: removed API versions are
# GW611, annotation problems GW610, every other one (what the API server rejects or a controller
# ignores) GW609.
_INPUT_RULES = {"removed-api": "GW611", "annotation-unknown": "GW610",
                "annotation-ignored": "GW610", "kong-plugin-not-found": "GW610"}


def input_rule(code: str) -> str:
    """The rule that reports an Ingress input problem."""
    return _INPUT_RULES.get(code, "GW609")


@dataclass(slots=True, eq=False)
class Result:
    """One verdict about an Ingress: a problem (`problem`), or a confirmation."""

    code: str
    severity: str                    # error | warning | info (confirmations: info)
    message: str
    ingress: IngressInfo
    path: FieldPath                  # where a finding belongs, inside ingress.resource.body
    related: list[Related] = field(default_factory=list)
    hint: str | None = None
    host: str | None = None
    scheme: str | None = None
    ingress_path: IngressPath | None = None
    annotation: str | None = None    # the annotation a result is about
    subject: str | None = None       # part of it (a Kong plugin name, an alias)
    entry: Replacement | None = None
    catch_all: bool = False          # a '/' Prefix path or a default backend

    @property
    def problem(self) -> bool:
        return self.code not in OK_CODES

    @property
    def resource(self) -> Resource:
        return self.ingress.resource


# How the parts of the check record a result: code, severity, message, Ingress, JSON path and
# the optional `Result` fields as keywords.
AddResult = Callable[..., Result]


@dataclass(slots=True, eq=False)
class Parity:
    """Every result of a run, and the Ingress model they are about."""

    model: IngressModel
    results: list[Result]

    def problems(self) -> list[Result]:
        return [r for r in self.results if r.problem]

    def of(self, info: IngressInfo) -> list[Result]:
        return [r for r in self.results if r.ingress is info]

    def by_ingress(self) -> dict[int, list[Result]]:
        out: dict[int, list[Result]] = defaultdict(list)
        for r in self.results:
            out[id(r.ingress)].append(r)
        return out

    def by_code(self) -> dict[str, list[Result]]:
        """Problems grouped by code (what each GW6xx rule reports), in result order."""
        out: dict[str, list[Result]] = defaultdict(list)
        for r in self.results:
            if r.problem:
                out[r.code].append(r)
        return out
