"""The Kubernetes CEL libraries the Gateway API rules use, for cel-expr-python.

* IP library: ``isIP(string) -> bool`` (Kubernetes semantics: no zones, no IPv4-mapped
  IPv6, no leading zeros).
* Format library: ``format.<name>()`` returns a format handle and ``<handle>.validate(s)``
  returns ``null`` when ``s`` is valid, else the list of error messages. In Kubernetes
  ``validate`` returns ``optional<list<string>>``; the one CRD rule using it is written as
  ``size(self) == 0 || format.dns1123Label().validate(self) == null``, whose intent (a
  valid label passes) only holds if a valid value yields ``null``, so that is what we return.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from . import k8s_validation as kv
from . import regex
from .cel_source import MATCHES_FUNCTION

FORMAT_PREFIX = "k8s.format/"

_FORMATS: dict[str, Callable[[str], list[str]]] = {
    "dns1123Label": kv.dns1123_label,
    "dns1123Subdomain": kv.dns1123_subdomain,
    "dns1035Label": kv.dns1035_label,
    "qualifiedName": kv.qualified_name,
    "labelValue": kv.label_value,
}


def is_ip(value: Any) -> bool:
    return kv.parse_ip(value) is not None


def _format_validate(handle: Any, value: Any) -> Any:
    if not isinstance(handle, str) or not handle.startswith(FORMAT_PREFIX):
        raise ValueError("validate() must be called on a format.<name>() value")
    check = _FORMATS.get(handle[len(FORMAT_PREFIX):])
    if check is None:
        raise ValueError(f"unknown format {handle[len(FORMAT_PREFIX):]!r}")
    errors = check(value)
    return errors or None


def function_decls(cel: Any) -> list[Any]:
    """FunctionDecls for ``cel.NewEnv(functions=...)`` (``cel`` = cel_expr_python.cel)."""
    T = cel.Type
    decls = [
        cel.FunctionDecl("isIP", [cel.Overload("k8s_isIP_string", T.BOOL, [T.STRING], impl=is_ip)]),
        cel.FunctionDecl(MATCHES_FUNCTION, [cel.Overload(
            "gw_matches_string_string", T.BOOL, [T.STRING, T.STRING], is_member=True,
            impl=regex.cel_matches)]),
        cel.FunctionDecl("validate", [cel.Overload(
            "k8s_format_validate_string", T.DYN, [T.STRING, T.STRING], is_member=True,
            impl=_format_validate)]),
    ]
    for name in sorted(_FORMATS):
        handle = FORMAT_PREFIX + name
        decls.append(cel.FunctionDecl(f"format.{name}", [cel.Overload(
            f"k8s_format_{name}", T.STRING, [], impl=lambda h=handle: h)]))
    return decls
