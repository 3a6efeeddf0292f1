"""The `gwlint status` runner: the predicted `status:` of every Gateway API object of PATHs.

Loads PATHs as `gwlint check` does (the same input options), builds the status model and prints
every modelled object (GatewayClass, Gateway, ListenerSet, routes, BackendTLSPolicy), or the one
`--focus KIND/NAMESPACE/NAME` names, as `kubectl get -o yaml` shows it: apiVersion, kind,
metadata (name, namespace) and the `status` in the API server's shape (`status.serialize`). YAML is
one document per object; JSON is a `v1` `List` of them, as kubectl prints several objects.

A condition the files cannot decide keeps status `Unknown` with the reason it would have, and its
message says what is missing and the likely outcome; it is never shown as a fact. `--causes` adds
`x-gwlint` to every condition: the fields that cause it (resource and JSON pointer), its basis
(spec, conformance, implementation, profile) and the undecided part. The model is
`gwlint.status`'s; this module only runs the command.

Exit codes: 0, or 2 for usage, configuration or internal errors. Files that cannot be read or
parsed are named on standard error.
"""

from __future__ import annotations

import json
from typing import Any

import click
import yaml

from gwlint.graph.build import parse_focus
from gwlint.runner import load_context, run_text
from gwlint.status.build import model_of
from gwlint.status.model import ObjectStatus, StatusModel
from gwlint.status.serialize import document

FORMATS = ("yaml", "json")


def run(paths: tuple[str, ...], fmt: str, focus_on: str | None, causes: bool,
        output: str | None, opts: dict[str, Any]) -> int:
    """`gwlint status`: print, exit 0; or 2 for usage/configuration/internal errors."""

    def work() -> str:
        model = model_of(load_context(paths or (".",), opts, "its objects are not predicted"))
        chosen = select(model, focus_on) if focus_on else ordered(model)
        return render([document(s, extended=causes) for s in chosen], fmt)

    return run_text(work, output)


def ordered(model: StatusModel) -> list[ObjectStatus]:
    """Every modelled object, by kind, namespace, name (then file order)."""
    return sorted(model.objects(), key=lambda s: (s.resource.kind, s.resource.namespace or "",
                                                  s.resource.name))


def select(model: StatusModel, text: str) -> list[ObjectStatus]:
    """The object(s) `--focus KIND/NAMESPACE/NAME` (or KIND/NAME) names; a usage error naming
    the objects of that name when there is none."""
    kind, namespace, name = parse_focus(text)
    everything = ordered(model)
    found = [s for s in everything if s.resource.kind.lower() == kind.lower()
             and s.resource.name == name
             and (namespace is None or s.resource.namespace == namespace)]
    if not found:
        same = [_label(s) for s in everything if s.resource.name == name]
        hint = f" (found: {', '.join(same)})" if same else ""
        raise click.UsageError(f"--focus {text!r}: no such Gateway API object{hint}")
    return found


def _label(status: ObjectStatus) -> str:
    res = status.resource
    return f"{res.kind}/{res.namespace + '/' if res.namespace else ''}{res.name}"


def render(documents: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": documents}, indent=2,
                          ensure_ascii=False) + "\n"
    return yaml.safe_dump_all(documents, sort_keys=False, allow_unicode=True,
                              explicit_start=True, width=1 << 16)
