"""Findings: what a rule reports, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from gwlint.model import FieldPath as FieldPath  # re-exported: the rules import it from here
from gwlint.source import SourceFile

if TYPE_CHECKING:
    from gwlint.model import Resource

CATEGORIES = ("parse", "schema", "reference", "attachment", "listener", "conflict", "traffic",
              "security", "version", "migration", "implementation", "layout")


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}: use error, warning or info") from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Predicts:
    """The status condition a rule declares it predicts (`@rule(predicts=...)`): its primary
    condition, listed by `gwlint rules` and the README."""

    type: str
    status: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"type": self.type, "status": self.status, "reason": self.reason}


# A finding that predicts no condition although its rule declares one; `Rule.run` gives it an
# empty `predicts` list (compared by identity).
NO_PREDICTION = Predicts("", "", "")


@dataclass(frozen=True, slots=True)
class Predicted:
    """One condition a finding implies, as the status model predicts it: the object whose status
    holds it (kind/namespace/name), the route parent or policy ancestor entry (`parent`, as the
    API server stores its parentRef/ancestorRef) or the listener it is written for, and type,
    status, reason. `likely`: the model cannot decide from the files (`undecided` says why) and
    this is the outcome of the usual case, never a fact. A decided Unknown (the CRD default
    `Accepted=Unknown Pending` of an object no controller reconciles) is not `likely`."""

    type: str
    status: str
    reason: str
    kind: str
    namespace: str | None
    name: str
    parent: dict[str, Any] | None = None
    listener: str | None = None
    likely: bool = False
    undecided: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (README, "JSON output")."""
        return {"object": {"kind": self.kind, "namespace": self.namespace, "name": self.name},
                "parent": self.parent, "listener": self.listener, "type": self.type,
                "status": self.status, "reason": self.reason, "likely": self.likely,
                "undecided": self.undecided}

    def condition_text(self) -> str:
        """"Accepted=False NotAllowedByListeners" (with " (likely)" for a likely outcome)."""
        return f"{self.type}={self.status} {self.reason}{' (likely)' if self.likely else ''}"


@dataclass(slots=True)
class Related:
    """Another location that explains a finding (the Gateway, the conflicting route...)."""

    message: str
    resource: Resource | None = None
    path: FieldPath = ()
    location: Location | None = None  # filled by the engine


@dataclass(slots=True)
class Location:
    """A resolved position: reports need only this."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Finding:
    """One problem. Either `resource`+`path` (resolved lazily to a span) or an explicit position.

    A rule's check leaves `rule` and `predicts` unset: `Rule.run` stamps the rule's code and, for
    a rule that declares `@rule(predicts=...)`, every condition the status model says the
    finding's field causes (`Predicted`, from `StatusModel.implied_by`), so a rule never decides
    a condition itself. `condition` names the model's condition the finding is a view on (it
    comes first, and its first cause is the field whose consequences are listed); without it the
    finding's own `resource`/`path` is that field. `predicts=NO_PREDICTION` keeps the list empty
    where a finding deliberately predicts nothing although its rule does. After `Rule.run`,
    `predicts` is a list (empty: no condition). `rule` is set explicitly only by findings
    produced outside a rule's check (the GW008 findings of the suppression stage) or converted
    from load issues.
    """

    message: str
    resource: Resource | None = None
    path: FieldPath = ()
    hint: str | None = None
    severity: Severity | None = None  # None: the rule's configured severity
    parent: dict[str, Any] | None = None
    listener: str | None = None
    predicts: list[Predicted] | Predicts | None = None  # a list once Rule.run has stamped it
    condition: Any = None  # the status model's Condition this finding is a view on (optional)
    rule: str = ""  # the rule's code (stamped by Rule.run)
    related: list[Related] = field(default_factory=list)
    # explicit position, for findings that are not about a resource (parse errors)
    source: SourceFile | None = None
    doc_index: int | None = None
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    location: Location | None = None  # filled by the engine
    overlays: list[str] = field(default_factory=list)  # Kustomize roots where it occurs
    # A summary of the findings a report leaves out (gwlint.budget): how many it stands for, by
    # their own severity (None: their rule's configured one). Counted, never listed.
    omitted: dict[Severity | None, int] | None = None


def json_pointer(path: FieldPath) -> str:
    """('spec', 'rules', 0) -> '/spec/rules/0' (RFC 6901 escaping)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def dotted(path: FieldPath) -> str:
    """('spec', 'rules', 0, 'matches') -> 'spec.rules[0].matches', as users read field paths."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out
