"""Kubernetes' name/label validators (k8s.io/apimachinery/pkg/util/validation), in Python.

Used for metadata checks and the CEL ``format`` library. Each returns a list of error
strings worded like the API server's (empty list = valid).
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable

from . import regex

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"


def _cached(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """Memoize a validator (names, namespaces and label keys repeat across objects)."""
    cached = functools.lru_cache(maxsize=8192)(lambda value: tuple(check(value)))

    @functools.wraps(check)
    def wrapper(value: str) -> list[str]:
        return list(cached(value))

    return wrapper


def _max_len(limit: int) -> str:
    return f"must be no more than {limit} characters"


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    shown = ",  or ".join(f"'{e}'" for e in examples)
    return f"{msg} (e.g. {shown}, regex used for validation is '{fmt}')"


@_cached
def dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not regex.fullmatch(DNS1123_LABEL_FMT, value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            "and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


@_cached
def dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(_max_len(253))
    if not regex.fullmatch(DNS1123_SUBDOMAIN_FMT, value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_cached
def dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not regex.fullmatch(DNS1035_LABEL_FMT, value):
        errs.append(_regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            "start with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


@_cached
def qualified_name(value: str) -> list[str]:
    """Label and annotation keys: ``[prefix/]name``."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + e for e in dns1123_subdomain(prefix))
    else:
        return [_regex_error(
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must "
            "start and end with an alphanumeric character",
            QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if name and not regex.fullmatch(QUALIFIED_NAME_FMT, name):
        errs.append("name part " + _regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character", QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


@_cached
def label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not regex.fullmatch(LABEL_VALUE_FMT, value):
        errs.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, "
            "'-', '_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """Parse like Kubernetes' CEL IP library (Go ``netip.ParseAddr`` + its extra rules).

    Rejected: leading zeros in IPv4 octets, zones (``fe80::1%eth0``) and IPv4-mapped
    IPv6 addresses (``::ffff:1.2.3.4``), exactly as the API server's ``isIP()``/``ip()``.
    """
    if not isinstance(value, str) or not value or value.strip() != value:
        return None
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and (addr.scope_id is not None
                                                   or addr.ipv4_mapped is not None):
        return None
    return addr


def is_ipv4_format(value: str) -> bool:
    """OpenAPI ``format: ipv4`` as the API server checks it (an IP written with dots)."""
    return "." in value and ":" not in value and _sloppy_ipv4(value)


def is_ipv6_format(value: str) -> bool:
    """OpenAPI ``format: ipv6``: any IP that parses and contains a colon."""
    if ":" not in value or "%" in value:
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _sloppy_ipv4(value: str) -> bool:
    """Go ``net.ParseIP`` as Kubernetes' format checker calls it: leading zeros tolerated."""
    parts = value.split(".")
    if len(parts) != 4:
        return False
    for part in parts:
        if not part or len(part) > 3 or not part.isascii() or not part.isdigit() or int(part) > 255:
            return False
    return True
