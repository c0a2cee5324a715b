"""The Whoosh schema, with field types that index pre-folded text through our analysis.

The field types bypass Whoosh's token pipeline (one Python object per token) and hand the
writer finished postings; this is most of what makes indexing fast enough.
"""

from __future__ import annotations

from whoosh import columns, fields, formats
from whoosh.analysis import Token, Tokenizer
from whoosh.system import pack_uint

from reader.search import positions as positions_format
from reader.search.analysis import positions, unigram_counts
from reader.search.folding import fold

#: Bump when analysis or the schema changes: an index of another format is rebuilt.
INDEX_FORMAT = 11  # 5: variant/numbering folding, inflection stems, ref, glosses, folded texts (issue 14)
# 6: positions as fixed-width integers (ArrayPositions), read many at once; the heading
#    column (issue 15)
# 7: posting blocks as flat buffers (reader.search.codec.ArrayCodec); texts and folded texts
#    in columns
# 8: 第 12-1 條之一 folds to 第12條之1之一 (the 之一 was lost)
# 9: a Han run's first character as a unigram at its position (第1項 decided by positions)
# 10: white space between two tokens is a term at its position ("NIST GDPR" never matches
#     NIST與GDPR)
# 11: that term names the two tokens it separates (" nist gdpr"): a phrase of words is
#     decided by rare terms instead of the positions of all white space

FIELD_BOOSTS = {"title": 3.0, "tags": 2.0, "authors": 1.5, "body": 1.0, "notes": 1.5}
TEXT_FIELDS = tuple(FIELD_BOOSTS)


class Folded(str):
    """A text already folded (``reader.search.folding.fold``): the field types index it as it
    is, so a text is folded once for its own field, the unigram fields and verification."""

    __slots__ = ()


def _folded(value: str) -> str:
    return value if isinstance(value, Folded) else fold(value)


class FoldedTokenizer(Tokenizer):
    """For Whoosh code paths that want an analyzer; yields our index terms in order."""

    def __call__(self, value, positions_=False, **kwargs):
        token = Token(positions=True, **kwargs)
        for term, poses in sorted(positions(fold(value)).items(), key=lambda kv: kv[1][0]):
            for pos in poses:
                token.text = term
                token.pos = pos
                token.boost = 1.0
                yield token


class _FoldedField(fields.FieldType):
    """A scorable, unstored field of folded text; subclasses say how it becomes postings."""

    def __init__(self, format_: formats.Format) -> None:
        self.format = format_
        self.analyzer = FoldedTokenizer()
        self.vector = None
        self.scorable = True
        self.stored = False
        self.unique = False
        self.column_type = None
        self.spelling = False
        self.multitoken_query = "default"


class ArrayPositions(formats.Positions):
    """Whoosh's positions format with the values of :mod:`reader.search.positions`: a width
    byte and fixed-width integers, which NumPy decodes for thousands of postings at once."""

    def encode(self, poslist):
        return positions_format.encode(poslist)

    def decode_positions(self, valuestring):
        return positions_format.decode(valuestring)

    def decode_frequency(self, valuestring):
        return positions_format.frequency(valuestring)


class CJKText(_FoldedField):
    """Han bigrams + first and last unigrams, Latin words + stems, with positions (phrase queries)."""

    def __init__(self, field_boost: float = 1.0) -> None:
        super().__init__(ArrayPositions(field_boost=field_boost))

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        encode = self.format.encode
        for term, poslist in positions(_folded(value)).items():
            yield term.encode("utf-8"), len(poslist), len(poslist) * boost, encode(poslist)


class CJKChars(_FoldedField):
    """Every Han character once per occurrence, no positions: 1-character queries."""

    def __init__(self) -> None:
        super().__init__(formats.Frequency())

    def index(self, value, **kwargs):
        for char, count in unigram_counts(_folded(value)).items():
            yield char.encode("utf-8"), count, float(count), pack_uint(count)


class RefTerms(_FoldedField):
    """The references of a text (``I0050021:6:p1``, ``釋字:748``; reader.legal.references),
    found here, where fields are analysed (a bulk writer's helper processes, in parallel):
    ``law:`` / ``art:`` queries are one term lookup each."""

    def __init__(self) -> None:
        super().__init__(formats.Frequency())

    def index(self, value, **kwargs):
        from reader.legal.references import document_terms

        counts: dict[str, int] = {}
        for term in document_terms(value):
            counts[term] = counts.get(term, 0) + 1
        for term, count in counts.items():
            yield term.encode("utf-8"), count, float(count), pack_uint(count)


def make_schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        hash=fields.STORED(),
        date=fields.ID(stored=True),
        # [path, title, date] as JSON in a column: a hit's heading without reading (and
        # inflating) the stored texts, 300 a keystroke in the window.
        heading=fields.COLUMN(columns.VarBytesColumn()),
        title=CJKText(FIELD_BOOSTS["title"]),
        tags=CJKText(FIELD_BOOSTS["tags"]),
        authors=CJKText(FIELD_BOOSTS["authors"]),
        body=CJKText(FIELD_BOOSTS["body"]),
        notes=CJKText(FIELD_BOOSTS["notes"]),
        chars=CJKChars(),
        # Han characters of title and tags: ranks 1-character queries by title cheaply.
        tchars=CJKChars(),
        # What the article cites (statutes to the paragraph, interpretations, decisions).
        ref=RefTerms(),
        # The article's glosses (zh, en, abbr, quality): the glossary is built from the index,
        # reading only the articles marked glossed=yes.
        glosses=fields.STORED(),
        glossed=fields.ID(),
        # zlib-compressed texts of the fields: snippets and exact verification of mixed queries.
        # In columns, not stored fields: a column value is read in a few microseconds, a
        # document's stored fields are inflated and unpickled whole (130 µs at 10,000 articles).
        texts=fields.COLUMN(columns.VarBytesColumn()),
        # The same, folded: verification reads them without folding at query time.
        ftexts=fields.COLUMN(columns.VarBytesColumn()),
    )
