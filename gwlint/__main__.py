"""`python -m gwlint`: the same as the `gwlint` command."""

from gwlint.cli import entry

entry()
