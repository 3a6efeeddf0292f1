"""A parser for the CEL subset CRD validation rules use, producing a small tuple AST.

Only the fast path (cel_python.py) uses this; cel-expr-python stays the reference engine.
Anything outside the subset raises :class:`Unsupported`, and the rule is then evaluated
by cel-expr-python instead.

AST nodes (tuples):
  ("lit", value) ("ident", name) ("select", operand, field) ("has", operand, field)
  ("index", operand, index) ("call", name, target | None, [args]) ("list", [items])
  ("cond", c, a, b) ("and", a, b) ("or", a, b) ("not", a) ("neg", a)
  ("binop", op, a, b)      op in == != < <= > >= in + - * / %
  ("macro", name, target, var, [exprs])   all exists exists_one filter map
  ("bind", var, init, body)               cel.bind
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .cel_source import Token, tokenize

# An AST node as listed above: its kind, then its parts.
Node = tuple[Any, ...]


class Unsupported(ValueError):
    """The expression uses CEL outside the supported subset."""


_MACROS = {"all": 2, "exists": 2, "exists_one": 2, "filter": 2, "map": (2, 3)}
_RELOPS = ("==", "!=", "<", "<=", ">", ">=", "in")
_SIMPLE_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "`": "`", "?": "?", "n": "\n", "t": "\t",
                   "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def decode_string(text: str) -> str:
    """Decode a CEL string literal token (quotes, raw prefix, escapes)."""
    prefix = ""
    while text and text[0] in "rRbB":
        prefix += text[0].lower()
        text = text[1:]
    if "b" in prefix:
        raise Unsupported("bytes literals")
    quote = text[:3] if text[:3] in ('"""', "'''") else text[:1]
    body = text[len(quote):-len(quote)]
    if "r" in prefix:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1] if i + 1 < len(body) else ""
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        elif e in "xX" and len(body) >= i + 4:
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        elif e == "u" and len(body) >= i + 6:
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif e == "U" and len(body) >= i + 10:
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        elif (e in "0123" and len(body) >= i + 4
              and all(ch in "01234567" for ch in body[i + 1:i + 4])):
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
        else:
            raise Unsupported(f"string escape \\{e}")
    return "".join(out)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.toks = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> Token | None:
        i = self.pos + offset
        return self.toks[i] if i < len(self.toks) else None

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.text == text and tok.kind in ("op", "ident")

    def take(self, text: str | None = None) -> Token:
        tok = self.peek()
        if tok is None or (text is not None and tok.text != text):
            raise Unsupported(f"expected {text!r}, got {tok.text if tok else 'end of input'!r}")
        self.pos += 1
        return tok

    # Expr = ConditionalOr ["?" ConditionalOr ":" Expr]
    def expr(self) -> Node:
        cond = self.cond_or()
        if self.at("?"):
            self.take("?")
            then = self.cond_or()
            self.take(":")
            return ("cond", cond, then, self.expr())
        return cond

    def cond_or(self) -> Node:
        node = self.cond_and()
        while self.at("||"):
            self.take()
            node = ("or", node, self.cond_and())
        return node

    def cond_and(self) -> Node:
        node = self.relation()
        while self.at("&&"):
            self.take()
            node = ("and", node, self.relation())
        return node

    def relation(self) -> Node:
        node = self.addition()
        while (tok := self.peek()) is not None and tok.text in _RELOPS:
            op = self.take().text
            node = ("binop", op, node, self.addition())
        return node

    def addition(self) -> Node:
        node = self.multiplication()
        while self.at("+") or self.at("-"):
            op = self.take().text
            node = ("binop", op, node, self.multiplication())
        return node

    def multiplication(self) -> Node:
        node = self.unary()
        while self.at("*") or self.at("/") or self.at("%"):
            op = self.take().text
            node = ("binop", op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("!"):
            self.take()
            return ("not", self.unary())
        if self.at("-"):
            self.take()
            tok = self.peek()
            if tok is not None and tok.kind == "num":
                lit = self.member()
                if lit[0] == "lit":
                    return ("lit", -lit[1])
                return ("neg", lit)
            return ("neg", self.unary())
        return self.member()

    def member(self) -> Node:
        node = self.primary()
        while True:
            if self.at("."):
                self.take()
                name = self.take()
                if name.kind != "ident":
                    raise Unsupported("field selection needs an identifier")
                if self.at("("):
                    args = self.call_args()
                    node = self.method(node, name.text, args)
                else:
                    node = ("select", node, name.text)
            elif self.at("["):
                self.take()
                index = self.expr()
                self.take("]")
                node = ("index", node, index)
            else:
                return node

    def call_args(self) -> list[Node]:
        self.take("(")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.expr())
            while self.at(","):
                self.take()
                args.append(self.expr())
        self.take(")")
        return args

    def method(self, target: Node, name: str, args: list[Node]) -> Node:
        if name in _MACROS:
            arity = _MACROS[name]
            if (len(args) in arity) if isinstance(arity, tuple) else len(args) == arity:
                var = args[0]
                if var[0] != "ident":
                    raise Unsupported("macro variable must be an identifier")
                return ("macro", name, target, var[1], args[1:])
        if (target == ("ident", "cel") and name == "bind" and len(args) == 3
                and args[0][0] == "ident"):
            return ("bind", args[0][1], args[1], args[2])
        if target == ("ident", "format") and not args:
            return ("call", f"format.{name}", None, [])
        return ("call", name, target, args)

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise Unsupported("unexpected end of input")
        if tok.kind == "num":
            self.take()
            text = tok.text
            if text[-1] in "uU":
                raise Unsupported("unsigned integers")
            if text.lower().startswith("0x"):
                return ("lit", int(text, 16))
            if any(c in text for c in ".eE"):
                return ("lit", float(text))
            return ("lit", int(text))
        if tok.kind == "str":
            self.take()
            return ("lit", decode_string(tok.text))
        if tok.kind == "ident":
            self.take()
            if tok.text in ("true", "false"):
                return ("lit", tok.text == "true")
            if tok.text == "null":
                return ("lit", None)
            if self.at("("):
                args = self.call_args()
                if tok.text == "has":
                    if len(args) != 1 or args[0][0] != "select":
                        raise Unsupported("has() needs a field selection")
                    return ("has", args[0][1], args[0][2])
                return ("call", tok.text, None, args)
            return ("ident", tok.text)
        if tok.text == "(":
            self.take()
            node = self.expr()
            self.take(")")
            return node
        if tok.text == "[":
            self.take()
            items: list[Node] = []
            while not self.at("]"):
                items.append(self.expr())
                if not self.at("]"):
                    self.take(",")
            self.take("]")
            return ("list", items)
        raise Unsupported(f"unsupported syntax at {tok.text!r}")


def parse(source: str) -> Node:
    """Parse a CEL expression (after cel_source.render rewriting) into the tuple AST."""
    tokens = tokenize(source)
    parser = _Parser(tokens)
    node = parser.expr()
    extra = parser.peek()
    if extra is not None:
        raise Unsupported(f"unexpected {extra.text!r}")
    return node


def walk(node: Any) -> Iterator[Node]:
    """Yield every AST node (pre-order)."""
    if isinstance(node, tuple) and node and isinstance(node[0], str):
        yield node
        for part in node[1:]:
            if isinstance(part, tuple):
                yield from walk(part)
            elif isinstance(part, list):
                for item in part:
                    yield from walk(item)
