"""Tags: IP types and agencies of real clauses cut from the seeds, a law and the gov.cn fragment."""
from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from search.ingest.tags import (
    TagDataError, agencies, canonical_agency, ip_types, load_taxonomy, load_vocabulary,
)
from search.models import ROLES, Agency

SHARED = Path(__file__).resolve().parents[2] / "shared"
HEILONGJIANG = SHARED / "seeds" / "004_77ef637a5b3fa8c7.txt"
HENAN_2009 = SHARED / "seeds" / "000_66ce048e690a739c.txt"
HENAN_2022 = SHARED / "seeds" / "001_7f4fbdf0e3c78fda.txt"
GOVCN_FTZ = (SHARED / "corpus" / "html" / "govcn_fragments"
             / "gov.cn_content_5342665_国务院关于支持自由贸易试验区深化改革创新若干措施的通知.fragment.html")
LAW_DIR = SHARED / "corpus" / "ip"

HEILONGJIANG_ITEM = re.compile(r"^\s*(?P<number>\d+)\.(?P<text>.+)$", re.M)
GOVCN_ITEM = re.compile(r"（(?P<label>[一二三四五六七八九十]+)）(?P<text>.*?)(?=（[一二三四五六七八九十]+）|[一二三四五]、)",
                        re.S)
TAG = re.compile(r"<[^>]+>")


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def heilongjiang(number: int) -> str:
    """Return item ``number`` of the 黑龙江 task list (its lines are "　　7.…")."""
    items = {int(m["number"]): m["text"] for m in HEILONGJIANG_ITEM.finditer(_read(HEILONGJIANG))}
    return items[number]


def henan_sentence(after: str) -> str:
    """Return the "由…负责落实。" sentence that follows ``after`` in the 河南 2009 task list."""
    m = re.search(re.escape(after) + r"(由[^。]*?负责落实。)", _read(HENAN_2009))
    assert m, after
    return m.group(1)


def govcn(label: str) -> str:
    """Return item （label） of the State Council notice on free-trade zones, tags stripped."""
    text = html.unescape(TAG.sub("", _read(GOVCN_FTZ)))
    items = {m["label"]: m["text"] for m in GOVCN_ITEM.finditer(text)}
    return items[label]


def sentence_with(path: Path, phrase: str) -> str:
    """Return the sentence of ``path`` that contains ``phrase``."""
    m = re.search(r"[^。\n]*" + re.escape(phrase) + r"[^。\n]*。?", _read(path))
    assert m, phrase
    return m.group(0)


def lead(name, canonical):
    return Agency(name, canonical, "lead")


def coop(name, canonical):
    return Agency(name, canonical, "cooperate")


def resp(name, canonical):
    return Agency(name, canonical, "responsible")


# Agencies: 黑龙江 2016, trailing parentheses.

def test_heilongjiang_item_7_lead_and_cooperating_agencies_inherit_the_prefix():
    assert heilongjiang(7).endswith("（省知识产权局牵头，省财政厅、人社厅、工商局、新闻出版广电局配合）")
    assert agencies(heilongjiang(7)) == (
        lead("省知识产权局", "知识产权局"),
        coop("省财政厅", "财政厅"),
        coop("省人社厅", "人力资源社会保障厅"),
        coop("省工商局", "工商行政管理局"),
        coop("省新闻出版广电局", "新闻出版广电局"),
    )


def test_by_duty_separately_makes_every_agency_responsible():
    assert agencies(heilongjiang(2)) == (
        resp("省编办", "编办"),
        resp("省知识产权局", "知识产权局"),
        resp("省工商局", "工商行政管理局"),
        resp("省新闻出版广电局", "新闻出版广电局"),
    )


def test_list_prefix_reaches_bare_names_and_aliases_resolve():
    assert agencies(heilongjiang(4)) == (
        resp("省发改委", "发展改革委"),
        resp("省知识产权局", "知识产权局"),
        resp("省统计局", "统计局"),
    )


def test_lead_then_responsible_keeps_the_verb_as_written():
    # 牵头 coordinates, 负责 does the work: the second agency is responsible, not cooperating.
    assert agencies(heilongjiang(55)) == (lead("省教育厅", "教育厅"), resp("省知识产权局", "知识产权局"))
    # A customs district is never provincial: no 省 is added, and the next list item keeps its own.
    assert agencies(heilongjiang(25)) == (lead("哈尔滨海关", "哈尔滨海关"), resp("省公安厅", "公安厅"))


def test_party_committee_is_not_prefixed_twice_and_member_units_are_dropped():
    assert agencies(heilongjiang(56)) == (
        lead("省委组织部", "组织部"),
        coop("省人社厅", "人力资源社会保障厅"),
        coop("省知识产权局", "知识产权局"),
    )
    assert heilongjiang(60).endswith("（省委宣传部牵头，省知识产权战略制定和实施工作领导小组其他各成员单位配合）")
    assert agencies(heilongjiang(60)) == (lead("省委宣传部", "宣传部"),)


def test_forestry_and_land_reclamation_bureaus_inherit_the_province():
    names = [(a.name, a.canonical) for a in agencies(heilongjiang(33))]
    assert names == [("省农委", "农业委员会"), ("省农垦总局", "农垦总局")]
    assert ("省森工总局", "森林工业总局") in [(a.name, a.canonical) for a in agencies(heilongjiang(11))]


def test_an_agency_named_twice_in_one_role_appears_once():
    text = heilongjiang(20)
    assert text.count("商务厅") == 2
    found = agencies(text)
    assert [a.name for a in found].count("省商务厅") == 1
    assert found[-1] == resp("省公安厅", "公安厅")
    assert all(a.role in ROLES for a in found)


def test_ordinary_parentheses_are_not_task_lists():
    # Item 47 has "县（市、区）" three times and one real list at the end.
    assert agencies(heilongjiang(47)) == (resp("省知识产权局", "知识产权局"),)
    assert agencies(sentence_with(HENAN_2022, "重新组建市场监督管理局(知识产权局)")) == ()
    assert agencies(sentence_with(HENAN_2022, "中国(新乡)知识产权保护中心")) == ()
    assert agencies(sentence_with(HENAN_2009, "加强知识产权强县(市)建设")) == ()


# Agencies: 河南 2009, "由…负责落实" sentences.

def test_henan_lead_sentence():
    sentence = henan_sentence("县级以上政府可设立相应的知识产权管理机构。")
    assert sentence == "由省编办牵头负责落实。"
    assert agencies(sentence) == (lead("省编办", "编办"),)


def test_henan_together_with_related_departments():
    sentence = henan_sentence("知识产权制度与配套政策协调运行。")
    assert sentence == "由省政府法制办会同相关部门负责落实。"
    assert agencies(sentence) == (resp("省政府法制办", "法制办"),)
    both = henan_sentence("积极探索建立传统知识、民间文艺和遗传资源的保护机制。")
    assert agencies(both) == (resp("省政府法制办", "法制办"), resp("省法院", "人民法院"))


def test_henan_each_by_their_division_of_work():
    sentence = henan_sentence("规范执业资质管理。支持中介服务机构拓展服务功能,提高专业水平,向市场化、多元化、规模化、国际化方向发展。")
    assert sentence.endswith("按各自分工负责落实。")
    assert agencies(sentence) == tuple(resp(n, c) for n, c in [
        ("省知识产权局", "知识产权局"), ("省发展改革委", "发展改革委"), ("省科技厅", "科技厅"),
        ("省财政厅", "财政厅"), ("省司法厅", "司法厅"), ("省工商局", "工商行政管理局"),
        ("省商务厅", "商务厅"),
    ])


def test_henan_full_names_keep_their_own_prefix():
    sentence = henan_sentence("维护良好的进出口秩序。\n")
    assert agencies(sentence)[-1] == resp("郑州海关", "郑州海关")
    cities = henan_sentence("培育地区特色经济。\n")
    assert agencies(cities)[:3] == (
        resp("各省辖市政府", "省辖市人民政府"), resp("省财政厅", "财政厅"), resp("省国税局", "国税局"),
    )
    sasac = henan_sentence("持续提高农业综合生产能力。")
    assert [a.name for a in agencies(sasac)][:3] == ["省人力资源和社会保障厅", "省科技厅", "省政府国资委"]
    assert agencies(sasac)[2].canonical == "国资委"


def test_law_sentences_name_agencies_only_when_they_are_agencies():
    assert agencies("第二十九条 本办法由国家知识产权局负责解释。") == (resp("国家知识产权局", "知识产权局"),)
    defence = sentence_with(LAW_DIR / "国防专利条例(2004-09-17).md", "由国防专利机构负责人兼任")
    assert agencies(defence) == ()
    officials = sentence_with(LAW_DIR / "促进科技成果转化法(2015-08-29).md", "由任免机关或者监察机关对直接负责")
    assert agencies(officials) == ()


# Agencies: gov.cn 负责部门 lists, national level.

def test_govcn_responsible_departments_have_no_prefix():
    assert agencies(govcn("一")) == (
        resp("人力资源社会保障部", "人力资源社会保障部"),
        resp("住房城乡建设部", "住房城乡建设部"),
        resp("商务部", "商务部"),
    )


def test_govcn_scope_after_a_comma_is_not_an_agency():
    assert govcn("十六").rstrip().endswith("（负责部门：发展改革委、粮食和储备局，适用范围：浙江自贸试验区）")
    assert agencies(govcn("十六")) == (resp("发展改革委", "发展改革委"), resp("粮食和储备局", "粮食和储备局"))


def test_govcn_etc_and_a_listed_state_company():
    assert agencies(govcn("四十五")) == (resp("人民银行", "人民银行"),)
    assert agencies(govcn("十八"))[-1] == resp("中国铁路总公司", "中国铁路总公司")


# Agencies: the level prefix argument.

def test_level_prefix_completes_bare_names_and_is_inferred_from_the_text():
    bare = "（知识产权局负责）"
    assert agencies(bare) == (resp("知识产权局", "知识产权局"),)
    assert agencies(bare, level_prefix="省") == (resp("省知识产权局", "知识产权局"),)
    assert agencies("（教育厅牵头，省知识产权局配合）") == (lead("省教育厅", "教育厅"), coop("省知识产权局", "知识产权局"))
    # A list's own prefix wins over the document's.
    assert agencies(heilongjiang(4), level_prefix="市")[0] == resp("省发改委", "发展改革委")


def test_level_prefix_must_be_a_level():
    with pytest.raises(ValueError, match="level_prefix"):
        agencies(heilongjiang(7), level_prefix="黑")


# IP types.

def test_ip_types_of_patent_and_mark_items():
    assert ip_types(heilongjiang(7)) == ("专利",)
    # "地理标志证明商标" is both.
    assert ip_types(heilongjiang(30)) == ("商标", "地理标志")
    assert ip_types(heilongjiang(51)) == ("专利",)  # only via full-width "ＰＣＴ国际专利"
    assert ip_types("对ＰＣＴ国际申请给予资助") == ("专利",)


def test_ip_types_lists_every_type_in_taxonomy_order():
    assert ip_types(heilongjiang(19)) == ("植物新品种", "商业秘密", "传统知识与遗传资源", "数据")


def test_non_patent_technology_is_still_about_patents():
    passage = re.search(r"支持高新技术企业在具备比较优势[^。]*。[^。]*。[^。]*非专利技术[^。]*。", _read(HENAN_2009))
    assert passage, "the 高新技术产业 passage of 河南 2009"
    assert ip_types(passage.group(0)) == ("专利", "著作权", "集成电路布图设计")
    assert ip_types(sentence_with(HENAN_2009, "非专利技术")) == ("专利",)
    assert ip_types("非专利技术") == ("专利",)


def test_general_clause_is_zonghe():
    assert ip_types(heilongjiang(5)) == ("综合",)


def test_brand_alone_is_not_a_mark():
    # 品牌建设 of service agencies and 文化品牌 are reputation, not marks.
    assert ip_types(heilongjiang(12)) == ("综合",)
    assert ip_types(heilongjiang(39)) == ("著作权",)
    # 知名品牌 and 商标品牌 are.
    assert ip_types(heilongjiang(52)) == ("商标",)
    assert ip_types(heilongjiang(31)) == ("商标",)


def test_big_data_and_databases_as_infrastructure_are_not_data_ip():
    assert ip_types(heilongjiang(21)) == ("综合",)  # 运用大数据、云计算
    assert ip_types(heilongjiang(48)) == ("综合",)  # 数据加工、数据库建设、大数据运用能力
    assert ip_types(heilongjiang(50)) == ("商标", "地理标志")  # 驰名商标数据库


def test_copyright_bureau_named_as_agency_is_not_copyright():
    sentence = henan_sentence("形成一批拥有核心知识产权和知名品牌、熟练运用知识产权制度的优势企业。")
    assert "版权局" in sentence
    assert ip_types(sentence) == ("综合",)
    assert ip_types(sentence_with(HENAN_2009, "9.版权。")) == ("著作权",)


# Canonical names.

@pytest.mark.parametrize("name, canonical", [
    ("发改委", "发展改革委"),
    ("省发改委", "发展改革委"),
    ("发展和改革委员会", "发展改革委"),
    ("河南省发展和改革委员会", "发展改革委"),
    ("人社厅", "人力资源社会保障厅"),
    ("省人力资源和社会保障厅", "人力资源社会保障厅"),
    ("人力资源社会保障厅", "人力资源社会保障厅"),
    ("省工信委", "工业和信息化委"),
    ("工业和信息化委员会", "工业和信息化委"),
    ("质监局", "质量技术监督局"),
    ("省新闻出版广电局", "新闻出版广电局"),
    ("国家知识产权局", "知识产权局"),
    ("三门峡市知识产权局", "知识产权局"),
    ("省委组织部", "组织部"),
    ("省政府国资委", "国资委"),
    ("各省辖市政府", "省辖市人民政府"),
    ("省人民政府", "人民政府"),
    ("郑州海关", "郑州海关"),
    ("省市场监督管理局", "市场监督管理局"),
    ("市场监管总局", "市场监管总局"),
    ("市城市管理局", "城市管理局"),  # unknown: the name minus its prefix
])
def test_canonical_agency(name, canonical):
    assert canonical_agency(name) == canonical


def test_renames_are_not_folded():
    assert canonical_agency("省工商局") == "工商行政管理局"
    assert canonical_agency("省工商局") != canonical_agency("省市场监督管理局")
    assert canonical_agency("省广电局") == "广电局"


# Data files.

def test_taxonomy_keeps_file_order_and_checks_exclusions(tmp_path):
    names = [t.name for t in load_taxonomy().types]
    assert names[:3] == ["专利", "商标", "著作权"] and names[-1] == "数据"
    bad = tmp_path / "taxonomy.toml"
    bad.write_text('fallback = "综合"\n[[type]]\nname = "著作权"\nkeywords = ["版权"]\nexclude = ["商标局"]\n',
                   encoding="utf-8")
    with pytest.raises(TagDataError, match="商标局"):
        load_taxonomy(bad)


def test_vocabulary_refuses_an_alias_under_two_names(tmp_path):
    bad = tmp_path / "agencies.toml"
    bad.write_text('[names]\nsuffixes = ["局"]\n[canonical]\n"工商行政管理局" = ["工商局"]\n'
                   '"市场监督管理局" = ["工商局"]\n', encoding="utf-8")
    with pytest.raises(TagDataError, match="工商局"):
        load_vocabulary(bad)
    with pytest.raises(TagDataError, match="cannot read"):
        load_vocabulary(tmp_path / "missing.toml")
