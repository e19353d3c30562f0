"""Tests for search.synonyms: the data file, both relations, and that jieba lets them fire."""
from __future__ import annotations

import pytest

from search.analysis import normalize, segment
from search.errors import SynonymDataError
from search.synonyms import expand, expand_agency, load_synonyms


def test_copyright_both_ways():
    assert expand("版权") == ("版权", "著作权")
    assert expand("著作权") == ("著作权", "版权")


def test_development_and_reform_commission_both_ways():
    assert set(expand("发改委")) >= {"发展改革委", "发展和改革委员会"}
    assert "发改委" in expand("发展改革委")
    assert expand("发改委")[0] == "发改委"


def test_word_is_normalized_and_first():
    assert expand("ＰＣＴ") == ("pct",)


def test_unknown_word_expands_to_itself():
    assert expand("质押融资") == ("质押融资",)


def test_old_agency_names_widen_to_their_successor_and_back():
    assert expand("工商局") == ("工商局", "工商行政管理局", "市场监督管理局", "市场监管局")
    assert set(expand("质监局")) >= {"质量技术监督局", "市场监督管理局"}
    assert set(expand("市场监管局")) >= {"工商行政管理局", "工商局", "质量技术监督局", "质监局", "知识产权局"}


def test_ipo_is_widened_to_only_one_way_and_widening_never_chains():
    assert expand("知识产权局") == ("知识产权局",)
    # 工商局 → 市场监督管理局, but not on to 市场监督管理局's own widening (知识产权局).
    assert "知识产权局" not in expand("工商局")


def test_expand_agency_gives_facet_values():
    assert expand_agency("工商行政管理局") == ("工商行政管理局", "市场监督管理局")
    assert expand_agency("发展改革委") == ("发展改革委",)
    assert expand_agency("市场监督管理局") == ("市场监督管理局", "工商行政管理局", "质量技术监督局", "知识产权局")
    assert expand_agency("省工商局") == ("工商行政管理局", "市场监督管理局")


def test_every_term_is_one_word_for_the_segmenter():
    synonyms = load_synonyms()
    terms = set(synonyms.groups) | set(synonyms.widens)
    terms |= {t for targets in synonyms.widens.values() for t in targets}
    assert [t for t in sorted(terms) if segment(t) != [t]] == []
    assert all(normalize(t) == t for t in terms)


@pytest.mark.parametrize(
    "sentence, word",
    [
        ("由省发展和改革委员会牵头", "发展和改革委员会"),
        ("省质量技监局配合", "质量技监局"),
    ],
)
def test_synonym_words_stay_whole_in_context(sentence, word):
    assert word in segment(sentence)


def test_compound_words_hide_a_synonym():
    # jieba cuts 版权保护 as one word, so expand("版权") can't reach it through the text
    # field; the searcher's chars-field phrase for 版权 still finds it.
    assert "版权" not in segment("加强版权保护")


@pytest.mark.parametrize(
    "toml, message",
    [
        ('[[equivalent]]\nterms = ["版权"]\n', "at least two"),
        ('[[equivalent]]\nterms = ["版权", "著作权"]\n[[equivalent]]\nterms = ["版权", "x"]\n', "two"),
        ('[[widens]]\nfrom = "a"\nto = ["a"]\n', "itself"),
        ('[[widens]]\nto = ["a"]\n', "'from'"),
        ("[[synonym]]\n", "unknown tables"),
        ("terms = [", "not valid TOML"),
    ],
)
def test_bad_data_is_refused_with_the_file_named(tmp_path, toml, message):
    path = tmp_path / "synonyms.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(SynonymDataError, match=message) as info:
        load_synonyms(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(SynonymDataError, match="cannot read"):
        load_synonyms(tmp_path / "absent.toml")
