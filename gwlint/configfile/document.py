"""A configuration file being read: its values with the lines they were written on, and errors
that name the file and line (`.gwlint.yaml:3: unknown key 'selec'`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gwlint.source import display_path


class ConfigError(Exception):
    """A configuration problem: reported as `gwlint: error: ...` with exit code 2."""


@dataclass
class Item:
    """A configuration value with the line it was written on (mappings: the key's line)."""

    value: Any  # scalar, list[Item] or dict[str, Item]
    line: int


class ConfigFile:
    """One configuration file being read: where it is and how to name it in errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = Path(os.path.abspath(path)).parent
        self.shown = display_path(path)

    def error(self, line: int, message: str) -> ConfigError:
        return ConfigError(f"{self.shown}:{line}: {message}")
