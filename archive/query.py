"""The archive's search syntax, parsed once and compiled for SQLite FTS5 and PostgreSQL.

Syntax: words (implicit AND), "exact phrases", prefix* , AND, OR, NOT (upper case),
-word (same as NOT word) and parentheses.  Words holding punctuation, such as the reference
"14/04/2021-D-II", become phrases of their letter/digit runs, which is how both engines
tokenise the indexed text.  User text never reaches either engine's parser unchecked: every
mistake gets a QueryError that says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archive import bounds
from archive.errors import QueryError

_WORD_PIECES = re.compile(r"\w+", re.UNICODE)
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class Term:
    pieces: tuple[str, ...]  # lower-cased letter/digit runs; more than one = a phrase
    prefix: bool = False


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Term | Not | And | Or


@dataclass(frozen=True)
class _Token:
    kind: str  # "term", "(", ")", "AND", "OR", "NOT"
    pos: int
    term: Term | None = None
    text: str = ""


def _term(text: str, pos: int, *, phrase: bool) -> _Token | None:
    prefix = not phrase and text.endswith("*")
    pieces = tuple(p.lower() for p in _WORD_PIECES.findall(text.rstrip("*") if prefix else text))
    if not pieces:
        return None  # bare punctuation carries nothing searchable
    return _Token("term", pos, Term(pieces, prefix), text)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                shown = text[i:i + 30]
                raise QueryError(
                    f"unbalanced quote: the phrase starting at character {i + 1} ({shown}) "
                    "has no closing \"")
            token = _term(text[i + 1:end], i, phrase=True)
            if token is None:
                raise QueryError(f"empty phrase at character {i + 1}: put words between the quotes")
            if end + 1 < n and text[end + 1] == "*":
                token = _Token("term", i, Term(token.term.pieces, True), token.text)  # type: ignore[union-attr]
                end += 1
            tokens.append(token)
            i = end + 1
        elif ch in "()":
            tokens.append(_Token(ch, i, text=ch))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            if word in _OPERATORS:
                tokens.append(_Token(word, i, text=word))
            elif word.startswith("-") and len(word) > 1 and _term(word[1:], i + 1, phrase=False):
                tokens.append(_Token("NOT", i, text="-"))
                tokens.append(_term(word[1:], i + 1, phrase=False))  # type: ignore[arg-type]
            else:
                token = _term(word, i, phrase=False)
                if token is not None:
                    tokens.append(token)
            i = j
    return tokens


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node:
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:  # only a stray ")" can stop the top-level expression early
            raise QueryError(f"unbalanced parenthesis: ')' at character {extra.pos + 1} has no '('")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "OR":
            self.take()
            children.append(self.and_expr(after=tok))
        children = _distinct(children)
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, after: _Token | None = None) -> Node:
        children = [self.unary(after)]
        while (tok := self.peek()) is not None and tok.kind not in ("OR", ")"):
            if tok.kind == "AND":
                self.take()
                children.append(self.unary(after=tok))
            else:
                children.append(self.unary())
        children = _distinct(children)
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, after: _Token | None = None) -> Node:
        tok = self.peek()
        if tok is None:
            if after is None:
                raise QueryError("empty query: give at least one word to search for")
            raise QueryError(f"the query ends with {after.text}: add a word or phrase after it")
        if tok.kind in ("AND", "OR"):
            if after is None:
                raise QueryError(f"the query cannot start with {tok.text} "
                                 f"(character {tok.pos + 1}): put a word before it")
            raise QueryError(f"{after.text} is followed by {tok.text} at character {tok.pos + 1}: "
                             "put a word or phrase between them")
        if tok.kind == ")":
            if after is not None:
                raise QueryError(f"{after.text} is followed by ')' at character {tok.pos + 1}: "
                                 "add a word or phrase after it")
            raise QueryError(f"empty parentheses or stray ')' at character {tok.pos + 1}")
        self.take()
        if tok.kind == "NOT":
            child = self.unary(after=tok)
            return child.child if isinstance(child, Not) else Not(child)
        if tok.kind == "(":
            if (nxt := self.peek()) is not None and nxt.kind == ")":
                raise QueryError(f"empty parentheses at character {tok.pos + 1}")
            node = self.or_expr()
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError(f"unbalanced parenthesis: '(' at character {tok.pos + 1} is never closed")
            self.take()
            return node
        assert tok.term is not None
        return tok.term


def _distinct(children: list[Node]) -> list[Node]:
    """Children without repeats: "a AND a" is "a", and each repeat was one more posting
    list for the engine to walk (PostgreSQL took minutes over 'pension' 300 times)."""
    return list(dict.fromkeys(children))


def _check_negations(node: Node) -> None:
    """Both engines need something to subtract from: "NOT x" alone or "a OR NOT b" is refused."""
    if isinstance(node, Not):
        raise QueryError("a query cannot only exclude words: add a word to search for "
                         "before NOT (e.g. 'circular NOT transfer')")
    if isinstance(node, Or):
        for child in node.children:
            if isinstance(child, Not):
                raise QueryError("NOT cannot stand alone inside OR: write 'a OR (b NOT c)'")
            _check_negations(child)
    if isinstance(node, And):
        if all(isinstance(c, Not) for c in node.children):
            raise QueryError("a query cannot only exclude words: add a word to search for "
                             "before NOT (e.g. 'circular NOT transfer')")
        for child in node.children:
            _check_negations(child.child if isinstance(child, Not) else child)


def parse(text: str) -> Node:
    """Parse user search text; raises QueryError with a specific message when it is malformed."""
    if not text or not text.strip():
        raise QueryError("empty query: give at least one word to search for")
    bounds.check_text(text)
    tokens = _tokenize(text)
    if not tokens:
        raise QueryError(f"the query {text!r} has no searchable words (only punctuation)")
    bounds.check_tokens((t.kind for t in tokens),
                        ((t.term.pieces, t.term.prefix) for t in tokens if t.term is not None))
    node = _Parser(tokens).parse()
    _check_negations(node)
    return node


def terms(node: Node) -> list[Term]:
    """Positive terms of a query, for highlighting."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return []
    return [t for child in node.children for t in terms(child)]


# --- SQLite FTS5 -------------------------------------------------------------------------

def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression; every token is quoted so no user text is FTS5 syntax."""
    if isinstance(node, Term):
        return '"' + " ".join(node.pieces) + '"' + ("*" if node.prefix else "")
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        positive = [c for c in node.children if not isinstance(c, Not)]
        expr = "(" + " AND ".join(to_fts5(c) for c in positive) + ")"
        for neg in (c for c in node.children if isinstance(c, Not)):
            expr = f"({expr} NOT {to_fts5(neg.child)})"
        return expr
    raise QueryError("a query cannot only exclude words")  # unreachable after _check_negations


# --- PostgreSQL tsquery --------------------------------------------------------------------

def to_tsquery(node: Node, config: str = "english") -> tuple[str, list[str]]:
    """A tsquery SQL expression with %s parameters (values never spliced into SQL)."""
    if isinstance(node, Term):
        text = " <-> ".join(node.pieces) + (":*" if node.prefix else "")
        return f"to_tsquery('{config}', %s)", [text]
    if isinstance(node, Not):
        sql, params = to_tsquery(node.child, config)
        return f"(!! {sql})", params
    parts = [to_tsquery(c, config) for c in node.children]
    joiner = " && " if isinstance(node, And) else " || "
    return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]
