"""Source-level handling of CRD CEL rules: tokenizing, Kubernetes name escaping, shapes.

Kubernetes exposes an object property whose name is a CEL keyword or contains ``-./`` under
an escaped identifier (``namespace`` -> ``__namespace__``, ``a-b`` -> ``a__dash__b``). We hand
plain Python dicts (unescaped keys) to CEL, so instead of copying every object with
renamed keys we rewrite the rule once at compile time: ``x.__namespace__`` becomes
``x["namespace"]`` and ``has(x.__namespace__)`` becomes ``("namespace" in x)``, which mean
the same for map-backed objects.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Kubernetes' celReservedSymbols (apiserver/pkg/cel/escaping.go).
CEL_RESERVED = frozenset({
    "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for",
    "function", "if", "import", "let", "loop", "package", "namespace", "return", "var",
    "void", "while",
})
# cel-expr-python compiles the regex of ``s.matches(p)`` on every evaluation (~20 us for the
# Gateway API path pattern); rules are rewritten to call this member function instead,
# which keeps one compiled RE2 per pattern (same engine, same semantics).
MATCHES_FUNCTION = "gwMatches"
_ESCAPES = (("__underscores__", "__"), ("__dot__", "."), ("__dash__", "-"), ("__slash__", "/"))

_TOKEN = re.compile(r"""
    (?P<ws>\s+|//[^\n]*)
  | (?P<str>[rRbB]{0,2}(?:\"\"\"(?:\\.|[^\\])*?\"\"\"|'''(?:\\.|[^\\])*?'''
                       |"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))
  | (?P<num>0[xX][0-9a-fA-F]+[uU]?|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[uU]?)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>&&|\|\||==|!=|<=|>=|.)
""", re.VERBOSE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str


def tokenize(src: str) -> list[Token]:
    """Split CEL source into tokens (whitespace and comments dropped)."""
    out: list[Token] = []
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None:  # unterminated string etc.: let the CEL compiler report it
            out.append(Token("op", src[pos:]))
            break
        pos = m.end()
        kind = m.lastgroup or "op"
        if kind != "ws":
            out.append(Token(kind, m.group()))
    return out


def unescape(ident: str) -> str | None:
    """Kubernetes' CEL property-name unescaping; None if ``ident`` is not a valid escape."""
    if (len(ident) > 4 and ident.startswith("__") and ident.endswith("__")
            and ident[2:-2] in CEL_RESERVED):
        return ident[2:-2]
    if "__" not in ident:
        return ident
    out: list[str] = []
    i = 0
    while i < len(ident):
        if ident.startswith("__", i):
            for escaped, plain in _ESCAPES:
                if ident.startswith(escaped, i):
                    out.append(plain)
                    i += len(escaped)
                    break
            else:
                return None
        else:
            out.append(ident[i])
            i += 1
    return "".join(out)


def _escaped_name(tok: Token) -> str | None:
    """The property name a (member) identifier stands for, if it is an escaped one."""
    if tok.kind != "ident" or "__" not in tok.text:
        return None
    name = unescape(tok.text)
    return name if name is not None and name != tok.text else None


def _matching(tokens: list[Token], open_index: int) -> int:
    """Index of the bracket closing the one at ``open_index`` (or len(tokens))."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth = 0
    for i in range(open_index, len(tokens)):
        t = tokens[i].text
        if tokens[i].kind != "op":
            continue
        if t in pairs:
            depth += 1
        elif t in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return i
    return len(tokens)


def render(tokens: list[Token]) -> str:
    """Tokens back to source with Kubernetes-escaped member names rewritten."""
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.kind == "ident" and tok.text == "has" and i + 1 < n and tokens[i + 1].text == "(":
            close = _matching(tokens, i + 1)
            inner = tokens[i + 2:close]
            name = _escaped_name(inner[-1]) if len(inner) >= 3 and inner[-2].text == "." else None
            if name is not None:
                out.append(f"({json.dumps(name)} in ({render(inner[:-2])}))")
            else:
                out.append(f"has({render(inner)})")
            i = close + 1
            continue
        if (tok.text == "." and tok.kind == "op" and i + 3 < n and tokens[i + 1].text == "matches"
                and tokens[i + 2].text == "(" and tokens[i + 3].kind == "str" and i + 4 < n
                and tokens[i + 4].text == ")"):
            # constant pattern: use the precompiling RE2 matcher (see MATCHES_FUNCTION)
            out.append(f". {MATCHES_FUNCTION} (")
            i += 3
            continue
        if tok.text == "." and tok.kind == "op" and i + 1 < n:
            name = _escaped_name(tokens[i + 1])
            is_call = i + 2 < n and tokens[i + 2].text == "("
            if name is not None and not is_call:
                out.append(f"[{json.dumps(name)}]")
                i += 2
                continue
        out.append(tok.text)
        i += 1
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class RuleSource:
    """A CRD rule prepared for cel-expr-python."""

    original: str
    text: str                     # rewritten, ready to compile
    is_transition: bool           # references oldSelf: needs the old object, skipped
    each_var: str | None = None   # rule is ``self.all(v, body)``: per-item pinpointing possible
    each_body: str | None = None


def prepare(rule: str) -> RuleSource:
    tokens = tokenize(rule)
    transition = any(t.kind == "ident" and t.text == "oldSelf" for t in tokens)
    text = render(tokens)
    each_var = each_body = None
    texts = [t.text for t in tokens]
    if (len(tokens) > 7 and texts[:4] == ["self", ".", "all", "("] and tokens[4].kind == "ident"
            and texts[5] == "," and _matching(tokens, 3) == len(tokens) - 1):
        each_var, each_body = texts[4], render(tokens[6:-1])
    return RuleSource(rule, text, transition, each_var, each_body)


# ``[0]``, ``['key']`` or ``["key"]`` in a field path
_INDEX = re.compile(r"""\[\s*(?:(\d+)|'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")\s*\]""")


def parse_field_path(field_path: str) -> tuple[str | int, ...] | None:
    """``.spec.rules['x'][0]`` -> ("spec", "rules", "x", 0); None if not understood."""
    out: list[str | int] = []
    i, n = 0, len(field_path)
    while i < n:
        c = field_path[i]
        if c == ".":
            m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(field_path, i + 1)
            if not m:
                return None
            out.append(unescape(m.group()) or m.group())
            i = m.end()
        elif c == "[":
            m = _INDEX.match(field_path, i)
            if not m:
                return None
            out.append(int(m.group(1)) if m.group(1) is not None
                       else (m.group(2) if m.group(2) is not None else m.group(3)))
            i = m.end()
        else:
            return None
    return tuple(out)
