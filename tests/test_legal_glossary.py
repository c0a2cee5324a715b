"""Bilingual term pairs learned from glosses (issue 14), on the two sample articles and on
written cases, and from the law list."""

from __future__ import annotations

from pathlib import Path

from reader.legal.glossary import HIGH_CONFIDENCE, build_glossary, extract_glosses
from tests.conftest import SAMPLES


def sample_articles() -> list[tuple[str, str]]:
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(Path(SAMPLES).glob("*.md"))]


def pairs_of(glossary) -> dict[str, tuple[str, str | None, str | None]]:
    return {(p.abbr or p.en): (p.zh, p.en, p.abbr) for p in glossary.pairs if p.status != "law list"}


def test_the_sample_articles_glosses() -> None:
    glossary = build_glossary(sample_articles(), with_laws=False)
    found = pairs_of(glossary)
    assert found["NIST"] == ("美國國家標準暨技術研究院", "National Institute of Standards and Technology", "NIST")
    zh, english, abbr = found["TEVV"]
    assert "測試、評估、驗證及確效" in zh and english == "Test, Evaluation, Validation, and Verification"
    assert found["AI Seoul Summit"][0] == "AI首爾峰會"
    assert found["MOU"][0] == "合作備忘錄"
    assert found["frontier AI"][0] == "先進人工智慧"
    assert found["Bletchley Park"][0] == "布萊切利公園"
    assert found["Michelle Donelan"][0] == "蜜雪兒·多尼蘭"
    assert found["Department of Commerce"][0] == "美國商務部"


def test_confidence_and_what_expands_a_search() -> None:
    glossary = build_glossary(sample_articles(), with_laws=False)
    nist = glossary.lookup("NIST")[0]
    assert nist.articles == 1 and nist.confidence >= HIGH_CONFIDENCE and nist.usable
    assert glossary.expansions("NIST") == ["美國國家標準暨技術研究院", "National Institute of Standards and Technology"]
    assert glossary.expansions("ｎｉｓｔ") == glossary.expansions("NIST")  # folded like search
    assert "NIST" in glossary.expansions("美國國家標準暨技術研究院")
    # A pair glossed once with its Chinese trimmed off a longer run is not used on its own.
    seoul = glossary.lookup("AI Seoul Summit")[0]
    assert seoul.confidence < HIGH_CONFIDENCE and glossary.expansions("AI Seoul Summit") == []


def test_attestation_across_articles_and_disagreement() -> None:
    one = ("a", "本案涉及美國國家標準暨技術研究院（NIST）之框架。")
    two = ("b", "美國國家標準暨技術研究院（National Institute of Standards and Technology, NIST）發布指引。")
    other = ("c", "國家標準局（NIST）另有說法。")
    glossary = build_glossary([one, two], with_laws=False)
    pair = next(p for p in glossary.lookup("NIST") if p.zh == "美國國家標準暨技術研究院" and p.abbr == "NIST" and p.en is None)
    assert pair.articles == 1
    agreed = build_glossary([one, ("d", one[1]), ("e", one[1])], with_laws=False).lookup("NIST")[0]
    assert agreed.articles == 3
    split = build_glossary([one, ("d", one[1]), other], with_laws=False)
    confidences = {p.zh: p.confidence for p in split.lookup("NIST")}
    assert confidences["美國國家標準暨技術研究院"] > confidences["國家標準局"]


def test_english_before_chinese_and_both_parentheses() -> None:
    text = "NIST（美國國家標準暨技術研究院）與 Bletchley Park (布萊切利公園)；歐盟執委會(European Commission)。"
    found = {(g.zh, g.en, g.abbr) for g in extract_glosses(text)}
    assert ("美國國家標準暨技術研究院", None, "NIST") in found
    assert ("布萊切利公園", "Bletchley Park", None) in found
    assert ("歐盟執委會", "European Commission", None) in found
    # Parentheses that gloss nothing: dates, URLs, numbers, Chinese remarks.
    assert extract_glosses("（最後瀏覽日：2024/08/01）（https://example.org）（2024）（詳見下文）") == []


def test_user_decisions() -> None:
    glossary = build_glossary(
        sample_articles(), with_laws=False,
        confirmed=[("AI首爾峰會", "AI Seoul Summit")], rejected=[("美國國家標準暨技術研究院", "NIST")],
    )
    assert glossary.lookup("AI Seoul Summit")[0].status == "confirmed"
    assert glossary.expansions("AI Seoul Summit") == ["AI首爾峰會"]
    assert glossary.lookup("NIST")[0].status == "rejected" and glossary.expansions("NIST") == []


def test_the_law_list_gives_pairs() -> None:
    glossary = build_glossary([], with_laws=True)
    assert "個人資料保護法" in glossary.expansions("Personal Data Protection Act")
    assert "Personal Data Protection Act" in glossary.expansions("個人資料保護法")
    law = glossary.lookup("Code of Criminal Procedure")[0]
    assert law.zh == "刑事訴訟法" and law.status == "law list" and law.confidence == 1.0


def test_hostile_texts_stay_bounded() -> None:
    import time

    from reader.legal.glossary import MAX_GLOSSES

    text = "".join(f"詞{i}甲乙丙（Term {i}）" for i in range(20_000))
    start = time.perf_counter()
    glosses = extract_glosses(text)
    assert time.perf_counter() - start < 10 and len(glosses) == MAX_GLOSSES
