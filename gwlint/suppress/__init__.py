"""Suppressions: inline `# gwlint: ...` comments, the `gwlint.io/ignore` annotation, per-file
ignores.

Forms (codes may be rule codes or rule names, comma-separated; without a list, an empty list or
`all`: every rule):

* `key: value  # gwlint: ignore[GW101,GW301]` at the end of a line: findings that start in the
  YAML node beginning on that line (the key with its whole value, or the whole sequence item
  for a `- ` line); when no node begins on the line, findings that start on that line.
* `# gwlint: ignore[GW101]` on a line of its own: the same for the next line that is neither
  blank nor a comment.
* `# gwlint: ignore-document[GW101]` anywhere in a YAML document (by convention before its first
  key): every finding in that document (all items of a `kind: List`).
* `# gwlint: ignore-file[GW101]` anywhere in a file (`# gwlint: ignore-file`: every rule): the
  whole file; for Helm output on stdin, the whole template named by the `# Source:` comment.
* `metadata.annotations["gwlint.io/ignore"]: "GW101,GW301"` on an object: every finding about
  that object. Unlike comments, annotations survive `helm template` and `kustomize build`.
* `per-file-ignores` in the configuration: glob -> selectors.

A suppression that suppresses nothing is reported as GW008 unused-suppression (info), like ruff's
RUF100: only when GW008 is selected, and only for codes whose rule was selected (a suppression for
a rule that did not run cannot be judged). Unknown codes and malformed directives are reported too.

Modules: `directives` (reading comments and annotations), `apply` (matching findings, per-file
ignores), `unused` (the GW008 findings).
"""

from __future__ import annotations

from gwlint.suppress.apply import apply_suppressions
from gwlint.suppress.directives import ANNOTATION, MARKER, UNUSED, Directive

__all__ = ["ANNOTATION", "MARKER", "UNUSED", "Directive", "apply_suppressions"]
