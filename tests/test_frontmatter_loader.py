"""Front matter is read with libyaml's parser when PyYAML has it: what the Python parser
reads, libyaml must read the same; what both reject gets the Python parser's message."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.library import frontmatter
from reader.library.frontmatter import FrontMatterError, apply
from reader.library.model import Article

YAMLISH = st.lists(st.sampled_from(list("ab: -\n\t'\"[]{},#&*!|>%@`?\\0123.~") + ["人工", "智慧", "\u3000", "\x85", "\ufeff", "😀", "\x07", "\u2028", "\r", "\x00", "é", "~", "\udcff"]),
                   max_size=40).map("".join)

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _outcome(load, source: str):
    try:
        return "ok", repr(load(source))
    except yaml.YAMLError as exc:
        return "error", str(exc)


@pytest.mark.skipif(frontmatter._FAST_LOADER is None, reason="this PyYAML has no libyaml parser")
@settings(max_examples=400, deadline=None)
@given(st.one_of(YAMLISH, VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
def test_the_fast_loader_reads_what_the_python_loader_reads(source):
    python = _outcome(yaml.safe_load, source)
    ours = _outcome(frontmatter.load_yaml, source)
    if python[0] == "ok":
        assert ours == python
    else:  # libyaml is more lenient in places (``|#``); what neither reads gets Python's message
        assert ours[0] == "ok" or ours == python


def test_a_broken_front_matter_names_its_line():
    article = Article(path="a.md", title="a")
    # The unclosed list is noticed at "date", the file's fourth line (the fence is the first).
    with pytest.raises(FrontMatterError, match="invalid YAML front matter at line 4"):
        apply("title: x\ntags: [a, b\ndate: 2020", article)


def test_a_lone_surrogate_in_front_matter_is_reported_not_raised():
    """libyaml cannot take one (UnicodeEncodeError); the Python parser names the problem."""
    from reader.library.reading import article_from_text

    article = article_from_text("---\ntitle: x\udcff\n---\nbody", "markdown", "a.md")
    assert article.problems and "front matter" in " ".join(article.problems)
