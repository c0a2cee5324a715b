"""Property test: importing any annotation file never raises, never loses or alters what was
there except by a newer valid item, never stores a path outside the library, and names every
rejected item."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.annotations.exchange import import_json
from reader.annotations.store import AnnotationStore
from reader.annotations.validation import instant_or_epoch
from reader.library.library import normalize_rel_path
from reader.paths import DataPaths

IDS = [f"urn:p:{n}" for n in range(6)]
GOOD_SOURCES = ["a.md", "sub/b.md", "./a.md", "sub//b.md", "中文/文章.md"]
BAD_SOURCES = ["../x.md", "/etc/passwd", "file:///etc/passwd", "sub/../../x.md", "", "a\x00.md", "C:\\x.md", "http://e.com/x"]
TIMES = [
    "2026-06-01T12:00:00Z", "2026-06-01T19:00:00+08:00", "2026-06-01T11:59:59.999-01:00",
    "2026-06-02", "2026-06-01T12:00:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00-01:00",
]
BAD_TIMES = ["0001-01-01T00:00:00+01:00", "yesterday", "2026-13-01T00:00:00Z", "", "2026-06-01T25:00:00Z"]
JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


#: Tags, among them a colour's name and case variants of one tag (AI = ai).
GOOD_TAGS = st.one_of(st.sampled_from(["定義", "AI", "ai", " 安全 ", "黃 Yellow", "yellow", ""]), st.text(alphabet="法規ab", max_size=4))
BAD_TAGS = st.one_of(
    st.just("x" * 201), st.just("好\x07"), st.just("一\n二"), st.integers(), st.none(), st.lists(st.text(max_size=2), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=1),
)


@st.composite
def good_item(draw) -> dict:
    exact = draw(st.text(alphabet="人工智慧安全法規 ab", min_size=1, max_size=8))
    item = {
        "type": "Annotation",
        "id": draw(st.sampled_from(IDS)),
        "modified": draw(st.sampled_from(TIMES)),
        "body": [{"type": "TextualBody", "value": draw(st.text(max_size=10)), "purpose": "commenting"}]
        + [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in draw(st.lists(GOOD_TAGS, max_size=3))],
        "target": {"source": draw(st.sampled_from(GOOD_SOURCES)), "selector": [{"type": "TextQuoteSelector", "exact": exact}]},
    }
    if draw(st.booleans()):
        start = draw(st.integers(0, 1000))
        item["target"]["selector"].append({"type": "TextPositionSelector", "start": start, "end": start + len(exact)})
    return item


@st.composite
def bad_item(draw) -> dict | object:
    item = draw(good_item())
    how = draw(st.sampled_from(["source", "time", "field", "junk", "type", "tag"]))
    if how == "tag":
        item["body"].append({"type": "TextualBody", "purpose": "tagging", "value": draw(BAD_TAGS)})
    elif how == "source":
        item["target"]["source"] = draw(st.sampled_from(BAD_SOURCES))
    elif how == "time":
        item["modified"] = draw(st.sampled_from(BAD_TIMES))
    elif how == "field":
        key = draw(st.sampled_from(["id", "target", "body"]))
        item[key] = draw(st.one_of(st.integers(), st.just(None), st.lists(st.integers(), min_size=2, max_size=3)))
        if key == "body" and item[key] is None:
            item[key] = 5
    elif how == "type":
        item["type"] = draw(st.sampled_from(["Note", None, 3]))
    else:
        return draw(JUNK)
    return item


def _state(store: AnnotationStore, root: str) -> dict:
    return {a.id: a for a in store.all(root)}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.lists(good_item(), max_size=6),
    items=st.lists(st.one_of(good_item().map(lambda i: ("good", i)), bad_item().map(lambda i: ("bad", i))), max_size=12),
)
def test_import_never_loses_or_alters_except_by_a_newer_valid_item(before: list, items: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        root.mkdir()
        (root / "sub").mkdir()
        store = AnnotationStore.open(DataPaths(Path(tmp) / "data"))
        try:
            import_json(store, json.dumps(before), str(root))
            old = _state(store, str(root))
            report = import_json(store, json.dumps([i for _, i in items]), str(root))
            new = _state(store, str(root))
        finally:
            store.close()
    for number, (kind, _item) in enumerate(items, 1):
        named = any(line.startswith((f"item {number} ", f"item {number}:")) for line in report.rejected)
        assert named == (kind == "bad"), (number, report.rejected)
    assert len(report.rejected) == sum(1 for kind, item in items if kind == "bad")
    valid = [item for kind, item in items if kind == "good"]
    assert set(old) <= set(new)  # nothing is lost
    for ident, row in new.items():
        assert normalize_rel_path(row.article) == row.article and not row.article.startswith("..")
        if ident in old and not old[ident].same_content(row):
            was = instant_or_epoch(old[ident].modified)
            assert any(i["id"] == ident and instant_or_epoch(i["modified"]) > was for i in valid), (old[ident], row)
    assert report.added + report.updated + report.unchanged == len({i["id"] for i in valid})
