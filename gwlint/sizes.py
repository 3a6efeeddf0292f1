"""Sizes with units, as people write them: `--max-file-size 10M`, `max-file-size: 512KiB`.

K, M, G (and KiB, MiB, GiB) are powers of 1024; KB, MB, GB powers of 1000 (GNU coreutils'
convention); a plain number, or one ending in B, is bytes.
"""

from __future__ import annotations

import os
import re
import sys

_UNITS = {"": 1, "b": 1,
          "k": 1024, "kib": 1024, "kb": 1000,
          "m": 1024 ** 2, "mib": 1024 ** 2, "mb": 1000 ** 2,
          "g": 1024 ** 3, "gib": 1024 ** 3, "gb": 1000 ** 3}
_SIZE = re.compile(r"\s*(\d{1,18})\s*([a-zA-Z]{0,3})\s*")


def parse_size(text: str) -> int:
    """Bytes of "10M", "512 KiB", "1GB", "4096"; ValueError saying what is accepted."""
    m = _SIZE.fullmatch(text)
    unit = m.group(2).lower() if m else None
    if m is None or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a size: bytes, or a number with K, M or G "
                         "(also KiB, MiB, GiB; KB, MB, GB are powers of 1000), e.g. 10M")
    return int(m.group(1)) * _UNITS[unit]


def memory_size() -> int:
    """Bytes of physical memory of this machine (sys.maxsize where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return sys.maxsize


def check_file_size(value: int) -> int:
    """`value` as a file size limit, or ValueError when no file that big could be linted here:
    one byte at least, and no more than the machine's memory (reading and parsing a file needs
    several times its size; `--max-file-size 100000000000` was a MemoryError)."""
    if value < 1:
        raise ValueError("the size must be at least 1 byte")
    memory = memory_size()
    if value > memory:
        raise ValueError(f"{value:,} bytes is more than the memory of this machine "
                         f"({memory:,} bytes): no file that big can be read and linted")
    return value
