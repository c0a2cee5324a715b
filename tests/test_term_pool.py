"""The posting pool grouped by term (reader.search.pool) hands the field writer what
Whoosh's own pool would, in the same order, and the segment written is the same bytes."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, index
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

from reader.search.codec import ArrayCodec
from reader.search.pool import TermPool, use_term_pool
from reader.search.schema import make_schema

POSTINGS = st.lists(
    st.tuples(st.sampled_from(["body", "chars", "title"]), st.sampled_from([b"a", b"ab", "人工".encode(), b"~x", b""]),
              st.integers(0, 300), st.sampled_from([1.0, 2.0, 3.0, 1.5]), st.binary(max_size=6)),
    max_size=300,
    unique_by=lambda p: p[:3],  # a document has a term once per field
)


@settings(max_examples=60, deadline=None)
@given(POSTINGS, st.booleans(), st.integers(200, 4000))
def test_the_pool_yields_what_whooshs_pool_yields(tmp_path_factory, postings, in_order, limit):
    if in_order:  # as writers add them: document by document
        postings = sorted(postings, key=lambda p: p[2])
    folder = tmp_path_factory.mktemp("pool")
    storage = FileStorage(str(folder))
    whooshs = PostingPool(storage, None, limitmb=1)
    whooshs.limit = limit
    ours = TermPool(storage, limit)
    for posting in postings:
        whooshs.add(posting)
        ours.add(posting)
    assert list(ours.iter_postings()) == list(whooshs.iter_postings())
    ours.cleanup()
    whooshs.cleanup()
    assert not list(folder.iterdir())  # no run file left behind


def _segment_files(folder, schema, docs, term_pool: bool, limit: int) -> dict[str, str]:
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(compound=False, codec=ArrayCodec())
    if term_pool:
        use_term_pool(writer)
        assert isinstance(writer.pool, TermPool)
    writer.pool.limit = limit  # bytes: both pools spill to run files
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    return {path.suffix: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.iterdir()) if path.suffix in (".pst", ".trm")}


def test_a_segment_written_from_the_pool_is_the_same_bytes(tmp_path):
    from reader.search.schema import Folded

    schema = make_schema()
    words = ["人工智慧", "個人資料保護法", "主管機關", "NIST TEVV", "evaluations", "第三條"]
    docs = []
    for n in range(400):
        body = "".join(words[(n * k) % len(words)] for k in range(1, 40))
        docs.append({"path": f"a{n}.md", "title": Folded(words[n % len(words)]), "body": Folded(body),
                     "chars": Folded(body)})
    theirs = _segment_files(tmp_path / "whoosh", schema, docs, term_pool=False, limit=200_000)
    ours = _segment_files(tmp_path / "ours", schema, docs, term_pool=True, limit=200_000)
    assert set(ours) == {".pst", ".trm"}
    assert ours == theirs


def test_a_plain_schema_is_written_the_same_too(tmp_path):
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(phrase=True))
    docs = [{"id": str(n), "text": " ".join(f"w{(n * k) % 97}" for k in range(50))} for n in range(300)]
    assert _segment_files(tmp_path / "a", schema, docs, False, 50_000) == _segment_files(tmp_path / "b", schema, docs, True, 50_000)
