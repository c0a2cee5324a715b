"""The query language: words (AND), OR, NOT / -word, parentheses, "phrases", and fields
``title:`` ``tag:`` ``author:`` ``note:`` ``date:2024`` ``date:2024-05..2024-08``,
``htag:定義`` (articles whose highlights or notes carry the tag; see :class:`TagFilter`), and
provisions ``law:個資法 art:6 para:1 item:2`` (adjacent ones make one :class:`Ref`).

The raw query is first put through :func:`reader.search.query_syntax.prepare_query`: the
full-width operators, quotes and colons a Chinese input method types work as the ASCII ones
(``title：`` ``－GDPR`` ``（5G OR 6G）`` ``“AI 安全”`` ``「人工智慧」``), and white space inside
legal numbering is dropped (``第 3 條`` is one word).

A malformed query raises :class:`QuerySyntaxError`; :func:`parse_query` then falls back to
searching the plain words and says so.

A query beyond the limits below (longer than :data:`MAX_QUERY_CHARS`, with more than
:data:`MAX_QUERY_PARTS` words, or nested deeper than :data:`MAX_QUERY_DEPTH`) raises
:class:`QueryTooComplex`; :func:`parse_query` then searches nothing and says why. It is not
searched as plain words: that drops the operators, and a query of NOTs would return exactly
the articles it excludes (``NOT NOT NOT a`` means "without a", its words mean "with a"), an
answer that looks complete and is the opposite. No person types such a query (they come from
pastes and scripts); the limits also bound the time a search can take and keep every walk
over the parsed query far from Python's recursion limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.errors import UsageError
from reader.search.query_syntax import prepare_query

#: About a page of Chinese text; a longer passage is found by searching a part of it.
MAX_QUERY_CHARS = 2_000
#: Words, phrases, fields and dates in one query (a phrase in quotes is one).
MAX_QUERY_PARTS = 200
#: Parentheses and NOTs inside each other.
MAX_QUERY_DEPTH = 50

FIELD_ALIASES = {
    "title": "title", "tag": "tags", "tags": "tags", "author": "authors", "authors": "authors",
    "note": "notes", "notes": "notes", "body": "body", "text": "body", "date": "date",
}
#: ``htag:``: a highlight / note tag, answered from the annotations database, not the index.
TAG_FIELDS = ("htag", "htags")
#: Provision fields: ``law:`` starts a provision, the others refine the one beside them.
REF_FIELDS = ("law", "art", "para", "item")
_TOKEN = re.compile(r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<quote>"[^"]*")|(?P<open_quote>")|(?P<word>[^\s()"]+))')
_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\.\.(\d{4}(?:-\d{2}(?:-\d{2})?)?))?$")


class QuerySyntaxError(ValueError):
    pass


class UnknownProvision(UsageError):
    """A ``law:`` / ``art:`` query that names nothing Reader knows (not searched)."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Query not searched: {problem}.")


class QueryTooComplex(UsageError):
    """A query Reader does not search: too long, too many parts, or nested too deeply."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"Query not searched: {problem}.")


@dataclass
class Leaf:
    text: str
    field: str | None = None  # None: every text field
    phrase: bool = False


@dataclass
class DateRange:
    start: str
    end: str


@dataclass
class Ref:
    """Articles citing a provision: any of ``terms`` in the ``ref`` field (see
    :func:`reader.legal.references.provision_terms`); ``label`` is what the user typed."""

    terms: list[str]
    label: str


@dataclass
class TagFilter:
    """Articles whose highlights or article notes carry ``tag`` (``htag:定義``). The index
    does not hold annotation tags: the search asks a resolver (see
    :func:`reader.annotations.tag_search.tag_resolver`); without one, or for a tag nobody
    used, it matches nothing."""

    tag: str


@dataclass
class _RefPart:
    """One ``law:`` / ``art:`` / ``para:`` / ``item:`` word, before it is joined to a Ref."""

    name: str
    value: str


@dataclass
class Op:
    kind: str  # and | or | not
    children: list = field(default_factory=list)


Node = Leaf | DateRange | Ref | TagFilter | Op


@dataclass
class ParsedQuery:
    root: Node | None
    fallback: bool = False  # the query was not understood and was searched as plain words
    message: str = ""
    rejected: bool = False  # beyond the limits: nothing was searched (``message`` says why)


def _lex(text: str) -> list[tuple[str, str]]:
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
        kind = match.lastgroup
        if kind == "open_quote":
            raise QuerySyntaxError("a quote is not closed")
        tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0  # parentheses and NOTs open around the current token
        self.parts = 0  # leaves made so far

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_QUERY_DEPTH:
            raise QueryTooComplex(f"parentheses and NOT are nested more than {MAX_QUERY_DEPTH} deep")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        if self.peek() is not None:
            raise QuerySyntaxError("unexpected ')'")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while self.peek() == ("word", "OR"):
            self.take()
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Op("or", children)

    def and_expr(self) -> Node:
        children = [self.unary()]
        while True:
            token = self.peek()
            if token is None or token[0] == "rp" or token == ("word", "OR"):
                break
            if token == ("word", "AND"):
                self.take()
            children.append(self.unary())
        children = _join_refs(children)
        return children[0] if len(children) == 1 else Op("and", children)

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise QuerySyntaxError("an operator has nothing after it")
        if token == ("word", "NOT"):
            self.take()
            self.enter()
            node = Op("not", [_alone(self.unary())])
            self.depth -= 1
            return node
        if token[0] == "word" and token[1].startswith("-") and len(token[1]) > 1:
            self.take()
            self.tokens.insert(self.i, ("word", token[1][1:]))
            return Op("not", [_alone(self.atom())])
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "lp":
            if self.peek() is None or self.peek()[0] == "rp":
                raise QuerySyntaxError("empty parentheses")
            self.enter()
            node = self.or_expr()
            if self.peek() is None or self.peek()[0] != "rp":
                raise QuerySyntaxError("a parenthesis is not closed")
            self.take()
            self.depth -= 1
            return node
        if kind == "rp":
            raise QuerySyntaxError("unexpected ')'")
        if kind == "quote":
            return self._leaf(value[1:-1], None, True)
        if value in ("AND", "OR"):
            raise QuerySyntaxError(f"'{value}' needs words on both sides")
        name, sep, rest = value.partition(":")
        if sep and name.lower() in REF_FIELDS:
            if not rest:
                nxt = self.peek()
                if nxt is None or nxt[0] != "quote" or not nxt[1][1:-1].strip():
                    raise QuerySyntaxError(f"'{name}:' has no value")
                rest = self.take()[1][1:-1].strip()
            self._count()
            return _RefPart(name.lower(), rest)
        if sep and name.lower() in TAG_FIELDS:
            if not rest:
                nxt = self.peek()
                if nxt is None or nxt[0] != "quote" or not nxt[1][1:-1].strip():
                    raise QuerySyntaxError(f"'{name}:' has no value")
                rest = self.take()[1][1:-1]
            self._count()
            return TagFilter(rest.strip())
        if sep and name.lower() in FIELD_ALIASES:
            target = FIELD_ALIASES[name.lower()]
            if not rest:
                nxt = self.peek()
                if nxt is None or nxt[0] != "quote":
                    raise QuerySyntaxError(f"'{name}:' has no value")
                rest_phrase = self.take()[1][1:-1]
                return self._leaf(rest_phrase, target, True)
            if target == "date":
                match = _DATE.match(rest)
                if not match:
                    raise QuerySyntaxError(f"'{rest}' is not a date like 2024 or 2024-05..2024-08")
                start, end = match.group(1), match.group(2) or match.group(1)
                if end < start:
                    raise QuerySyntaxError("the date range ends before it starts")
                self._count()
                return DateRange(start, end)
            return self._leaf(rest, target, False)
        return self._leaf(value, None, False)

    def _count(self) -> None:
        self.parts += 1
        if self.parts > MAX_QUERY_PARTS:
            raise QueryTooComplex(_too_many_parts())

    def _leaf(self, text: str, field_name: str | None, phrase: bool) -> Leaf:
        if not text.strip():
            raise QuerySyntaxError("an empty phrase")
        self._count()
        return Leaf(text, field_name, phrase)


def _ref(parts: list[_RefPart]) -> Ref:
    """One provision from a ``law:`` and the ``art:`` / ``para:`` / ``item:`` beside it."""
    from reader.legal.references import ProvisionQueryError, provision_terms

    values: dict[str, str] = {}
    for part in parts:
        if part.name in values:
            raise UnknownProvision(f"'{part.name}:' is given twice for one law")
        values[part.name] = part.value
    try:
        terms = provision_terms(values.get("law"), values.get("art"), values.get("para"), values.get("item"))
    except ProvisionQueryError as exc:
        raise UnknownProvision(str(exc)) from None
    return Ref(terms, " ".join(f"{p.name}:{p.value}" for p in parts))


def _join_refs(children: list) -> list:
    """Adjacent provision words become one :class:`Ref` each ``law:`` starts (an ``art:``
    before the first ``law:`` belongs to it); a provision word under NOT stands alone."""
    out: list = []
    group: list[_RefPart] = []

    def flush() -> None:
        if not group:
            return
        laws = [i for i, p in enumerate(group) if p.name == "law"]
        cuts = ([0] + laws[1:]) if laws else [0]
        pieces = [group[a:b] for a, b in zip(cuts, cuts[1:] + [len(group)], strict=True)]
        for piece in pieces:
            out.append(_ref(piece))
        group.clear()

    for child in children:
        if isinstance(child, _RefPart):
            group.append(child)
            continue
        flush()
        out.append(child)
    flush()
    return out


def _alone(node):
    """A provision word that is not beside others (under NOT) as a Ref of its own."""
    return _ref([node]) if isinstance(node, _RefPart) else node


def _too_many_parts() -> str:
    return f"it has more than {MAX_QUERY_PARTS} words; to find a passage, put it in quotes"


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooComplex(f"it is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,} (search for a part of the passage)")


def parse_strict(text: str) -> Node | None:
    """The query's tree; :class:`QuerySyntaxError` when it is malformed,
    :class:`QueryTooComplex` when it is beyond the limits."""
    _check_length(text)
    return _Parser(_lex(prepare_query(text))).parse()


def parse_query(text: str) -> ParsedQuery:
    try:
        return ParsedQuery(parse_strict(text))
    except (QueryTooComplex, UnknownProvision) as exc:
        return ParsedQuery(None, message=str(exc), rejected=True)
    except QuerySyntaxError as exc:
        words = [w for w in re.split(r'[\s()"]+', prepare_query(text)) if w and w not in ("AND", "OR", "NOT")]
        words = [w.lstrip("-") or w for w in words]
        if len(words) > MAX_QUERY_PARTS:
            return ParsedQuery(None, message=str(QueryTooComplex(_too_many_parts())), rejected=True)
        leaves: list[Node] = [Leaf(w) for w in words]
        root = None if not leaves else leaves[0] if len(leaves) == 1 else Op("and", leaves)
        return ParsedQuery(root, fallback=True, message=f"Query not understood ({exc}); searched as words.")


def _positive(node: Node | None, kind: type) -> list:
    """Nodes of ``kind`` not under NOT, in query order; walked with a stack of its own, not
    by recursion."""
    out: list = []
    stack: list[tuple[Node, bool]] = [] if node is None else [(node, False)]
    while stack:
        current, negated = stack.pop()
        if isinstance(current, kind):
            if not negated:
                out.append(current)
        elif isinstance(current, Op):
            inner = negated ^ (current.kind == "not")
            stack.extend((child, inner) for child in reversed(current.children))
    return out


def positive_refs(node: Node | None) -> list[Ref]:
    """Provisions whose citations should be marked (not those under NOT), in query order."""
    return _positive(node, Ref)


def positive_leaves(node: Node | None) -> list[Leaf]:
    """Leaves whose matches should be marked (not those under NOT), in query order."""
    return _positive(node, Leaf)
