"""Sizes with units, as people write them: `--max-file-size 10M`, `max-file-size: 512KiB`.

K, M, G (and KiB, MiB, GiB) are powers of 1024; KB, MB, GB powers of 1000 (GNU coreutils'
convention); a plain number, or one ending in B, is bytes.
"""

from __future__ import annotations

import re

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
