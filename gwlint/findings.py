"""Findings: what a rule reports, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from gwlint.source import SourceFile

if TYPE_CHECKING:
    from gwlint.model import Resource

# A field inside a document, as keys and list indexes: ("spec", "rules", 0, "backendRefs").
FieldPath = tuple[str | int, ...]

CATEGORIES = ("parse", "schema", "reference", "attachment", "listener", "conflict", "traffic",
              "security", "version", "migration", "implementation")


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
    """The status condition a conformant controller would set."""

    type: str
    status: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"type": self.type, "status": self.status, "reason": self.reason}


# A finding that predicts no condition although its rule declares one; `Rule.run` turns it into
# None (compared by identity).
NO_PREDICTION = Predicts("", "", "")


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

    A rule's check leaves `rule` and `predicts` unset: `Rule.run` stamps the rule's code and the
    condition its `@rule(predicts=...)` declares, so a rule's metadata is written once. Set
    `predicts` only where a finding predicts another condition than its rule (a GW110 grant
    denial predicts `RefNotPermitted`), or to `NO_PREDICTION` where it deliberately predicts
    nothing although its rule does (GW202's "cannot decide" warning); after `Rule.run`, None
    means no condition. `rule` is set explicitly only by findings produced outside a rule's
    check (the GW008 findings of the suppression stage) or converted from load issues.
    """

    message: str
    resource: Resource | None = None
    path: FieldPath = ()
    hint: str | None = None
    severity: Severity | None = None  # None: the rule's configured severity
    parent: dict[str, Any] | None = None
    listener: str | None = None
    predicts: Predicts | None = None  # None: the rule's (stamped by Rule.run)
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


def json_pointer(path: FieldPath) -> str:
    """('spec', 'rules', 0) -> '/spec/rules/0' (RFC 6901 escaping)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def dotted(path: FieldPath) -> str:
    """('spec', 'rules', 0, 'matches') -> 'spec.rules[0].matches', as users read field paths."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out
