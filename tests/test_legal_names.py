"""The shipped law list and the reviewed aliases and instruments (issue 14)."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path

import pytest

from reader.legal.names import aliases, instruments, laws, name_index, resolve
from tests.conftest import CORPUS, ROOT


def test_the_list_is_facts_not_texts() -> None:
    data = (ROOT / "reader" / "legal" / "data" / "laws.tsv.gz").read_bytes()
    text = gzip.decompress(data).decode("utf-8")
    assert len(data) < 400_000
    header, *rows = text.splitlines()
    assert header.startswith("# pcode\tname\tenglish_name\tabolished")
    assert all(len(row.split("\t")) == 4 for row in rows)
    assert max(len(row) for row in rows) < 600  # names, never provisions
    assert len(laws()) == len(rows) > 10_000


def test_the_list_matches_the_corpus_it_was_built_from() -> None:
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    spec = importlib.util.spec_from_file_location("build_law_names", ROOT / "tools" / "build_law_names.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    rows = tool.read_laws(CORPUS)
    assert {(p, n, e, a) for p, n, e, a in rows} == {(x.pcode, x.name, x.english_name, x.abolished) for x in laws().values()}
    assert tool.check_aliases(rows) == []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    assert laws()[first["pcode"]].name == first["name"]


def test_every_alias_and_instrument_is_well_formed() -> None:
    assert len(aliases()) >= 100
    for alias, pcode in aliases().items():
        assert pcode in laws(), alias
        assert resolve(alias) == ("statute", pcode), alias
    for ident, instrument in instruments().items():
        assert instrument.names and instrument.display
        for name in instrument.names:
            assert resolve(name) in (("instrument", ident),), (ident, name)
    assert resolve("GDPR") == ("instrument", "EU-GDPR") and resolve("eu-gdpr") == ("instrument", "EU-GDPR")


def test_a_name_of_several_versions_names_the_one_in_force() -> None:
    assert resolve("總統副總統選舉罷免法") == ("statute", "D0020053")
    assert laws()["A0020001"].abolished
    assert resolve("総統副総統選挙罷免法") is None or resolve("総統副総統選挙罷免法")[1] == "D0020053"


def test_names_are_folded() -> None:
    index = name_index()
    assert resolve("个人资料保护法") == resolve("個人資料保護法") == ("statute", "I0050021")
    assert resolve("台灣地區與大陸地區人民關係條例") == ("statute", "Q0010001")
    assert len(index) > len(laws())


def test_the_package_ships_its_data() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"reader.legal"' in text and "data/laws.tsv.gz" in text and "variant_table.json" in text
    for name in ("laws.tsv.gz", "aliases.tsv", "instruments.tsv"):
        assert (Path(ROOT) / "reader" / "legal" / "data" / name).is_file()
