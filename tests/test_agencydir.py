"""Tests for search.agencydir: the directory file covers the index, and look-ups find what people type."""
from __future__ import annotations

import pytest

from search.agencydir import DirectoryDataError, directory, entries, load_directory, lookup
from search.searching import search
from search.text.agencies import canonical_agency, vocabulary


def _names(found) -> list[str]:
    return [e.canonical for e in found]


def test_every_agency_of_the_index_has_an_entry(searchable):
    facet = search(searchable, "").facets["agency"]
    assert len(facet) > 40
    assert [v.value for v in facet if directory().get(v.value) is None] == []


def test_entries_are_filed_as_ingestion_files_clauses():
    # An entry's name is a facet value: canonical_agency leaves it as it is.
    assert [e.canonical for e in entries() if canonical_agency(e.canonical) != e.canonical] == []


def test_aliases_agree_with_the_agency_vocabulary():
    book = directory()
    # Each alias the ingestion vocabulary folds to an entry is an alias of that entry here too …
    missing = [(alias, name) for alias, name in vocabulary().canonical.items()
               if alias != name and book.get(name) and alias not in book.get(name).aliases]
    assert missing == []
    # … and no alias of the directory is folded by ingestion to another agency.
    wrong = [(e.canonical, a) for e in entries() for a in e.aliases if canonical_agency(a) not in (e.canonical, a)]
    assert wrong == []


def test_levels_are_the_four_levels_in_order():
    levels = directory().levels
    assert levels == ("国家", "省", "市", "县")
    for e in entries():
        assert e.levels and list(e.levels) == sorted(e.levels, key=levels.index), e.canonical


def test_same_family_at_each_level_nearest_first():
    found = lookup("财政局")
    assert _names(found) == ["财政局", "财政厅", "财政部"]
    assert [e.levels for e in found] == [("市", "县"), ("省",), ("国家",)]
    assert {e.family for e in found} == {"财政"}
    assert _names(lookup("财政部")) == ["财政部", "财政厅", "财政局"]


def test_a_place_before_the_name_is_dropped():
    assert lookup("河南省财政厅")[0].canonical == "财政厅"
    assert directory().find("省财政局").canonical == "财政局"


def test_an_alias_finds_its_canonical():
    assert lookup("发改委")[0].canonical == "发展改革委"
    assert directory().find("国家知识产权局").canonical == "知识产权局"
    assert directory().find("国家工商行政管理总局").canonical == "工商总局"  # only the directory knows this one
    assert "发改委" in directory().get("发展改革委").aliases


def test_a_former_name_finds_its_successor_with_the_note():
    found = lookup("工商局")
    old, successor = found[0], found[1]
    assert (old.canonical, successor.canonical) == ("工商行政管理局", "市场监督管理局")
    assert not old.current and old.until == 2018 and old.successors == ("市场监督管理局",)
    assert "市场监督管理局" in old.note and "2018" in old.source
    assert successor.current and successor.since == 2018
    assert set(successor.former) == {"工商行政管理局", "质量技术监督局", "食品药品监督管理局"}


def test_the_2018_reform():
    book = directory()
    for old in ("工商行政管理局", "质量技术监督局", "食品药品监督管理局"):
        assert "市场监督管理局" in book.get(old).successors
    assert book.get("工商总局").successors == ("市场监管总局",)
    # 知识产权局 was placed under 市场监督管理局 but is an organ of its own, not one of its former names.
    ipo = book.get("知识产权局")
    assert ipo.current and "市场监督管理局" in ipo.under and "知识产权局" not in book.get("市场监督管理局").former
    assert set(book.get("新闻出版广电局").successors) == {"广播电视局", "新闻出版局", "版权局"}
    assert book.get("文化厅").successors == ("文化和旅游厅",)
    assert book.get("国税局").successors == book.get("地税局").successors == ("税务局",)


def test_a_chain_of_reforms_is_followed_to_the_organ_of_today():
    assert _names(lookup("卫生厅"))[:3] == ["卫生厅", "卫生计生委", "卫生健康委"]
    book = directory()
    for e in entries():  # every chain of successors ends in an organ that exists
        assert all(s.current for s in book.successors_of(e) if not s.successors), e.canonical


def test_a_name_without_entry_finds_its_family_by_stem():
    assert set(_names(lookup("财政委"))) == {"财政部", "财政厅", "财政局"}
    assert lookup("知识产权厅")[0].canonical == "知识产权局"


def test_a_name_like_nothing_finds_nothing():
    assert lookup("没有这个机关") == []
    assert lookup("金融机构") == []


def test_an_entry_is_plain_data():
    d = directory().get("质量技术监督局").to_dict()
    assert d["canonical"] == "质量技术监督局" and d["levels"] == ["省", "市", "县"]
    assert d["aliases"] == ["质监局", "质量技监局"] and d["successors"] == ["市场监督管理局"] and d["current"] is False
    assert set(d) == {"canonical", "family", "levels", "aliases", "since", "until", "successors", "former", "under",
                      "current", "note", "source"}


HEAD = 'levels = ["国家", "省", "市", "县"]\n[lookup]\nendings = ["局"]\n'


@pytest.mark.parametrize("body, words", [
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["省"]\nuntil = 2018\nsuccessors = ["乙局"]\nsource = "x"\n',
     "'乙局' is not another entry"),
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["乡"]\n', "levels must be some of"),
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["省"]\naliases = ["甲"]\n[agency."乙局"]\nfamily = "乙"\n'
     'levels = ["省"]\naliases = ["甲"]\n', "alias '甲'"),
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["省"]\nsuccessors = ["乙局"]\nsource = "x"\n'
     '[agency."乙局"]\nfamily = "乙"\nlevels = ["省"]\n', "until"),
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["省"]\nsince = 2018\n', "need a source"),
    ('[agency."甲局"]\nfamily = "甲"\nlevels = ["省"]\nsuccessor = "乙局"\n', "unknown keys"),
    ('[agency."甲局"]\nlevels = ["省"]\n', "needs a family"),
    ("[agency\n", "not valid TOML"),
])
def test_a_bad_directory_file_names_what_is_wrong(tmp_path, body, words):
    path = tmp_path / "agency_directory.toml"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(DirectoryDataError) as caught:
        load_directory(path)
    assert words in str(caught.value) and str(path) in str(caught.value)
