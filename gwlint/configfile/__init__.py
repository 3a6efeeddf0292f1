"""Configuration files: `.gwlint.yaml` / `.gwlint.yml`, or `[tool.gwlint]` in `pyproject.toml`.

Which file applies: `--config FILE`; else the nearest configuration walking up from the directory of
the first PATH (or of `--stdin-filename`, or the current directory) and stopping at the repository
root (the directory that contains `.git`). In one directory `.gwlint.yaml` wins over `.gwlint.yml`,
which wins over a `pyproject.toml` that has a `[tool.gwlint]` table (a pyproject.toml without one is
not a gwlint configuration: the walk goes on). `--isolated` ignores every configuration file.

Keys are kebab-case. Every problem (unknown key, wrong type, unknown rule or option, bad severity)
is a `ConfigError` naming the file and line, e.g.
`.gwlint.yaml:3: unknown key 'selec' (did you mean 'select'?)`: a typo must never silently lint
with other settings than the author meant. Paths in the file (`exclude`, `scopes`,
`per-file-ignores` globs) are relative to the file's directory.

Modules: `document` (positioned values, ConfigError), `read` (YAML and TOML), `keys` (the keys
and their validation), `globs` (rebasing path globs); finding the file is here.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from gwlint.configfile.document import ConfigError, ConfigFile, Item
from gwlint.configfile.globs import rebase_glob
from gwlint.configfile.keys import KEYS, validate
from gwlint.configfile.read import PYPROJECT, read_toml, read_yaml
from gwlint.discover import CONFIG_NAMES

__all__ = ["CONFIG_NAMES", "KEYS", "PYPROJECT", "ConfigError", "ConfigFile", "Item",
           "config_path", "find_config", "key_lines", "load_file_settings", "parse_config",
           "rebase_glob", "shadowed"]


def _start_directory(paths: Iterable[str]) -> Path:
    for p in paths:
        if p and p != "-":
            path = Path(os.path.abspath(p))
            return path if path.is_dir() else path.parent
    return Path(os.getcwd())


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*gwlint\s*[\].]|^\s*tool\s*\.\s*gwlint\s*[.=]", text,
                     re.MULTILINE) is not None


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from `start` up to the repository root (or `/`)."""
    directory = start
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        candidate = directory / PYPROJECT
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
        if (directory / ".git").exists():
            return None
        parent = directory.parent
        if parent == directory:
            return None
        directory = parent


def shadowed(path: Path) -> list[Path]:
    """The other configuration files in the directory of `path` that it wins over (a
    `.gwlint.yml` next to a `.gwlint.yaml`, a `pyproject.toml` with `[tool.gwlint]`): ignored,
    which their authors should be told."""
    out = [path.parent / name for name in CONFIG_NAMES
           if name != path.name and (path.parent / name).is_file()]
    pyproject = path.parent / PYPROJECT
    if path.name != PYPROJECT and pyproject.is_file() and _has_tool_table(pyproject):
        out.append(pyproject)
    if path.name in CONFIG_NAMES:  # only the files after it in the order of precedence
        out = [p for p in out if p.name not in CONFIG_NAMES[:CONFIG_NAMES.index(path.name)]]
    return out


def config_path(paths: Iterable[str], config_file: str | None, isolated: bool) -> Path | None:
    """The configuration file that applies (None: defaults only)."""
    if isolated:
        if config_file:
            raise ConfigError("--config and --isolated cannot be used together")
        return None
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"configuration file {config_file} not found")
        return path
    return find_config(_start_directory(paths))


def load_file_settings(paths: Iterable[str], config_file: str | None,
                       isolated: bool) -> dict[str, Any]:
    """Settings (keys of gwlint.config.defaults()) from the configuration file that applies."""
    path = config_path(paths, config_file, isolated)
    return {} if path is None else parse_config(path)


def key_lines(path: Path) -> dict[str, int]:
    """The line of each top-level key of a configuration file (`--show-settings`)."""
    cfg = ConfigFile(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    root = read_toml(cfg, text) if path.suffix == ".toml" else read_yaml(cfg, text)
    if root is None or not isinstance(root.value, dict):
        return {}
    return {key: item.line for key, item in root.value.items()}


MAX_CONFIG_SIZE = 1024 * 1024  # bytes: a configuration is a few lines; a pull request can add one


def _read(cfg: ConfigFile) -> str:
    """The text of a configuration file, or a ConfigError naming the file (and the line)."""
    try:  # non-blocking, regular files only: a symlink to a FIFO or device must not hang gwlint
        fd = os.open(cfg.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise cfg.error(1, "not a regular file")
            data = fh.read(MAX_CONFIG_SIZE + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {cfg.shown}: "
                          f"{exc.strerror or exc}") from None
    if len(data) > MAX_CONFIG_SIZE:
        raise cfg.error(1, f"configuration file larger than {MAX_CONFIG_SIZE:,} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = 1 + data.count(b"\n", 0, exc.start) + data.count(b"\r", 0, exc.start) \
            - data.count(b"\r\n", 0, exc.start)
        raise cfg.error(line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})") from None


def parse_config(path: Path) -> dict[str, Any]:
    """Read and validate one configuration file."""
    cfg = ConfigFile(path)
    text = _read(cfg)
    root = read_toml(cfg, text) if path.suffix == ".toml" else read_yaml(cfg, text)
    if root is None:
        return {}
    return validate(cfg, root)
