"""The CLI of issue 14: ``reader refs``, ``reader terms``, ``reader laws import/show``, and
``reader search`` with ``law:`` / ``art:``, term expansion and ``--no-expand``.

Every command runs as a user runs it (``python -m reader`` in a subprocess) on a real library
in tmp_path; offsets are checked against ``reader export --format text``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SAMPLES, run_cli
from tests.test_legal_lawdb import law, write_jsonl

ARTICLE = (
    "---\ntitle: 個資法案例評析\n---\n\n"
    "依個人資料保護法（下稱個資法）第6條第1項第2款規定，同法第15條亦有規範；個資法第六條之適用，"
    "另見釋字第748號、憲法法庭112年憲判字第1號判決、最高法院112年度台上字第123號民事判決與 GDPR Art. 6(1)(a)。\n\n"
    "第二段：個人資料保護法第 6 條之爭議。\n"
)
OTHER = "---\ntitle: 無關的文章\n---\n\n本文討論刑法第10條第2項及第6條，另論民法第6條。\n"
KEYS = ["kind", "law", "article", "paragraph", "item", "start", "end", "text"]


@pytest.fixture
def legal_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "case.md").write_text(ARTICLE, encoding="utf-8")
    (lib / "other.md").write_text(OTHER, encoding="utf-8")
    return lib


def _json(done) -> object:
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_refs_json_has_exactly_the_documented_shape_and_offsets_into_the_export(legal_library: Path, data_dir: Path) -> None:
    refs = _json(run_cli("refs", "case.md", "--library", str(legal_library), "--json", data_dir=data_dir))
    text = run_cli("export", "case.md", "--library", str(legal_library), "--format", "text", data_dir=data_dir).stdout
    assert isinstance(refs, list) and len(refs) >= 7
    for ref in refs:
        assert list(ref) == KEYS  # no provision_text: no laws are imported
        assert ref["kind"] in ("statute", "interpretation", "judgment", "decision", "instrument")
        assert text[ref["start"] : ref["end"]] == ref["text"]
    kinds = {r["kind"] for r in refs}
    assert kinds == {"statute", "interpretation", "judgment", "decision", "instrument"}
    statutes = [(r["law"], r["article"], r["paragraph"], r["item"]) for r in refs if r["kind"] == "statute"]
    assert ("個人資料保護法", "6", "1", "2") in statutes
    assert ("個人資料保護法", "15", None, None) in statutes  # 同法 resolved
    assert statutes.count(("個人資料保護法", "6", None, None)) == 2  # 個資法第六條 (下稱), 第 6 條


def test_refs_carry_the_provision_text_once_laws_are_imported(legal_library: Path, data_dir: Path, tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "laws.jsonl", [law()])
    done = run_cli("laws", "import", str(source), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "1 laws imported" in done.stderr
    refs = _json(run_cli("refs", "case.md", "--library", str(legal_library), "--json", data_dir=data_dir))
    six = [r for r in refs if r["kind"] == "statute" and r["article"] == "6"]
    assert six and all(r["provision_text"].startswith("有關病歷") for r in six)
    assert all("provision_text" not in r for r in refs if r["kind"] != "statute")
    # A provision the imported law does not have carries no text (never a wrong one).
    assert all("provision_text" not in r for r in refs if r["article"] == "15")
    shown = run_cli("laws", "show", "個資法", "6", data_dir=data_dir)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:2] == ["個人資料保護法", "Personal Data Protection Act"]
    assert "有關病歷" in shown.stdout
    listing = run_cli("laws", "show", "I0050021", data_dir=data_dir)
    assert listing.returncode == 0 and "第 6-1 條" in listing.stdout


def test_refs_in_plain_output(legal_library: Path, data_dir: Path) -> None:
    done = run_cli("refs", "case.md", "--library", str(legal_library), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    assert "個人資料保護法第6條第1項第2款" in done.stdout and "釋字第748號" in done.stdout


def test_bad_input_is_one_line_naming_the_file_and_the_exit_code_is_a_usage_error(legal_library: Path, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    cases = [
        (("laws", "import", str(bad)), str(bad)),
        (("laws", "import", str(tmp_path / "missing.jsonl")), "missing.jsonl"),
        (("refs", "missing.md", "--library", str(legal_library)), "missing.md"),
        (("laws", "show", "個資法", "6"), "reader laws import"),  # nothing imported yet
    ]
    for args, named in cases:
        done = run_cli(*args, data_dir=data_dir)
        assert done.returncode in (1, 2), (args, done.returncode)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and named in lines[0] and "Traceback" not in done.stderr, (args, done.stderr)
    assert run_cli("laws", "import", str(bad), data_dir=data_dir).returncode == 2
    assert run_cli("refs", "missing.md", "--library", str(legal_library), data_dir=data_dir).returncode == 2
    source = write_jsonl(tmp_path / "laws.jsonl", [law()])
    assert run_cli("laws", "import", str(source), data_dir=data_dir).returncode == 0
    for args in (("laws", "show", "不存在的法"), ("laws", "show", "個資法", "999")):
        done = run_cli(*args, data_dir=data_dir)
        assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_search_by_provision_on_the_command_line(legal_library: Path, data_dir: Path) -> None:
    found = _json(run_cli("search", "law:個資法 art:6", "--library", str(legal_library), "--json", data_dir=data_dir))
    assert [h["path"] for h in found["hits"]] == ["case.md"]  # other.md's 第6條 is no 個資法 article
    assert "<mark>" in found["hits"][0]["snippet"]
    assert _json(run_cli("search", "law:刑法 art:10 para:2", "--library", str(legal_library), "--json", data_dir=data_dir))["total"] == 1
    done = run_cli("search", "law:不存在的法 art:1", "--library", str(legal_library), data_dir=data_dir)
    assert done.returncode == 2 and "不存在的法" in done.stderr
    passages = _json(run_cli("search", "law:個資法 art:6", "--passages", "--json", "--library", str(legal_library), data_dir=data_dir))
    assert passages["total_articles"] == 1 and passages["total_passages"] == 3


def test_folding_done_when_checks_on_the_command_line(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "a.md").write_text("---\ntitle: a\n---\n\n依第三條規定辦理。\n", encoding="utf-8")
    (lib / "b.md").write_text("---\ntitle: b\n---\n\n依第 3 條規定辦理。\n", encoding="utf-8")
    (lib / "c.md").write_text("---\ntitle: c\n---\n\n研究中心依第13條。\n", encoding="utf-8")
    found = _json(run_cli("search", "第3條", "--library", str(lib), "--json", "--limit", "0", data_dir=data_dir))
    assert sorted(h["path"] for h in found["hits"]) == ["a.md", "b.md"]
    found = _json(run_cli("search", "硏究", "--library", str(lib), "--json", data_dir=data_dir))
    assert [h["path"] for h in found["hits"]] == ["c.md"]


def test_terms_and_expansion_in_the_samples(tmp_path: Path, data_dir: Path) -> None:
    lib = tmp_path / "samples"
    shutil.copytree(SAMPLES, lib)
    terms = _json(run_cli("terms", "--json", "--library", str(lib), data_dir=data_dir))
    pairs = {(t["zh"], t["abbr"] or t["en"]) for t in terms}
    assert ("美國國家標準暨技術研究院", "NIST") in pairs and ("備忘錄", "MOU") in pairs
    assert all(t["status"] in ("learned", "confirmed") for t in terms)
    done = run_cli("search", "NIST", "--library", str(lib), "--json", data_dir=data_dir)
    found = _json(done)
    assert found["expansions"] == [{"term": "NIST", "also": ["美國國家標準暨技術研究院", "National Institute of Standards and Technology"]}]
    assert "<mark>美國國家標準暨技術研究院</mark>" in found["hits"][0]["snippet"]
    plain = run_cli("search", "NIST", "--library", str(lib), data_dir=data_dir)
    assert "expanded: NIST → also 美國國家標準暨技術研究院" in plain.stderr  # never silent
    off = _json(run_cli("search", "NIST", "--library", str(lib), "--json", "--no-expand", data_dir=data_dir))
    assert off["expansions"] == [] and "<mark>美國國家標準暨技術研究院</mark>" not in off["hits"][0]["snippet"]


def test_a_rejected_pair_is_not_used(tmp_path: Path, data_dir: Path) -> None:
    from reader.legal.glossary import save_decisions

    lib = tmp_path / "samples"
    shutil.copytree(SAMPLES, lib)
    save_decisions(data_dir / "terms.json", [], [("美國國家標準暨技術研究院", "NIST")])
    found = _json(run_cli("search", "NIST", "--library", str(lib), "--json", data_dir=data_dir))
    assert found["expansions"] == []
    (data_dir / "terms.json").write_text("{damaged", encoding="utf-8")
    done = run_cli("search", "NIST", "--library", str(lib), "--json", data_dir=data_dir)
    assert done.returncode == 0 and "terms.json" in done.stderr and json.loads(done.stdout)["total"] >= 1


def test_laws_import_of_the_shared_corpus(tmp_path: Path, data_dir: Path) -> None:
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    done = run_cli("laws", "import", str(CORPUS), data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    shown = run_cli("laws", "show", "個資法", "6", data_dir=data_dir)
    assert shown.returncode == 0 and shown.stdout.startswith("個人資料保護法\nPersonal Data Protection Act\n")
    assert "病歷" in shown.stdout
