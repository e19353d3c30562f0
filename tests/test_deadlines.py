"""Tests for search.text.deadlines: the time limits of real task and law text, and what only looks like one."""
from __future__ import annotations

import re
import tarfile

import pytest

from search.errors import SearchError
from search.text.deadlines import Deadline, compile_deadlines, deadlines, load_deadline_words

from conftest import RAW_DOCS, SEED_FILES, SHARED

ARCHIVE = SHARED / "corpus" / "scale" / "laws.tar.gz"
SCALE = "LawRefBook-Laws/"

# (file the words stand in: a raw_docs/ name, or a law of the scale corpus; the words; the document's
# year; what they state: (text, year, recurring) in reading order)
CASES = [
    (SEED_FILES["henan2022"], "到2025年,我省实现知识产权高质量发展", 2022, [("到2025年", 2025, False)]),
    (SEED_FILES["sanmenxia"], "到2015年，力争达到以下目标：", 2014, [("到2015年", 2015, False)]),
    (SEED_FILES["sanmenxia"], "创造条件力争按省要求在2015年以前组建我市知识产权举报投诉维权援助中心", 2014,
     [("在2015年以前", 2015, False)]),
    (SEED_FILES["sanmenxia"], "每年持续选择1—2个产业集群区开展", 2014, [("每年", None, True)]),
    (SEED_FILES["luoshan"], "即到2030年商标注册总量达到5000件", 2021, [("到2030年", 2030, False)]),
    (SEED_FILES["heilongjiang"], "力争每年审定新品种100个左右", 2016, [("每年", None, True)]),
    (SEED_FILES["heilongjiang"], "完善工作机制，定期召开全体成员会议研究解决知识产权强省建设工作中的重大问题", 2016,
     [("定期", None, True)]),
    (SEED_FILES["henan2022"], "“十四五”时期,是我省开启全面建设社会主义现代化", 2022, [("“十四五”时期", 2025, False)]),
    # the scale corpus: forms the bundled documents don't use
    (SCALE + "DLC/河南地方法规/地方性法规/河南/河南省人民代表大会常务委员会关于加强基层文化设施建设有关问题的决议(2009-05-22).md",
     "省辖市没有市级图书馆的，要在2010年底前按国家规定建设标准建成并投入使用", 2009, [("在2010年底前", 2010, False)]),
    (SCALE + "DLC/上海地方法规/地方性法规/上海/上海市经济技术开发区条例.md",
     "在一九九五年底前免征地方所得税", None, [("在一九九五年底前", 1995, False)]),
    (SCALE + "DLC/山东地方法规/地方性法规/山东/潍坊市会展业促进条例(2019-06-03).md",
     "会展举办单位应当于每年年底前，将下一年度在本市举办的重大会", 2019, [("每年年底前", None, True)]),
    (SCALE + "DLC/北京地方法规/地方性法规/北京/北京市预算监督条例.md",
     "市人民政府应当在当年年底前将审计出的问题的处理结果书面报", None, [("当年年底前", None, False)]),
    (SCALE + "宪法相关法/村民委员会组织法(2018-12-29).md", "村民代表会议每季度召开一次", 2018, [("每季度", None, True)]),
    (SCALE + "DLC/重庆地方法规/地方性法规/重庆/重庆市天然气管理条例(2019-05-31).md",
     "管道天然气经营企业应当每两年为天然气居民用户免费提供", 2019, [("每两年", None, True)]),
    (SCALE + "DLC/北京地方法规/地方性法规/北京/北京市乡村振兴促进条例(2024-05-31).md",
     "本市持续推进农村人居环境整治", 2024, [("持续推进", None, True)]),
    (SCALE + "行政法/国防教育法(2018-04-27).md", "国防教育贯彻全民参与、长期坚持、讲求实效的方针", 2018,
     [("长期坚持", None, True)]),
    (SCALE + "DLC/北京地方法规/地方性法规/北京/北京市预算审查监督条例(2016-12-29).md",
     "市人大常委会在年底前听取和审议", None, [("年底前", None, False)]),
    # look-alikes: a fixed-term deposit, "sustainable", a period someone sets, a day something starts
    # or a condition on a day, a look back, a year alone
    ("gov.cn_content_5342665_国务院关于支持自由贸易试验区深化改革创新若干措施的通知.fragment.html",
     "允许境外机构境内外汇账户办理定期存款业务", 2018, []),
    (SEED_FILES["henan2009"], "新技术、新工艺,实现可持续发展", 2009, []),
    ("专利法实施细则(2010-01-09).md", "可以要求当事人在指定期限内附送中文译文", 2010, []),
    ("专利代理条例(2018-11-06).md", "本条例自2019年3月1日起施行", 2018, []),
    ("最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释(2009-12-28).md",
     "被诉侵犯专利权行为发生在2009年10月1日以前的，人民法院适用修改前的专利法", 2009, []),
    ("实施国际著作权条约的规定(2020-11-29).md", "本规定自一九九二年九月三十日起施行", 1992, []),
    (SEED_FILES["henan2022"], "是“十二五”末的2.4倍", 2022, []),
    (SEED_FILES["sanmenxia"], "到2015年，力争达到以下目标：", 2016, []),  # read in a later year: a look back
    (SEED_FILES["henan2009"], "河南省人民政府办公厅关于印发实施河南省知识产权战略纲要任务分工的通知发布日期:2009-04-29", 2009, []),
]

CASES_BY_WORDS = {words: (source, words) for source, words, *_ in CASES}


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    """The text of every file CASES quotes: raw_docs/ read directly, the scale corpus's laws in one pass of the archive."""
    texts = {name: (RAW_DOCS / name).read_text(encoding="utf-8") for name, *_ in CASES if not name.startswith(SCALE)}
    wanted = {name for name, *_ in CASES if name.startswith(SCALE)}
    with tarfile.open(ARCHIVE) as archive:
        for member in archive:
            if member.name in wanted:
                texts[member.name] = archive.extractfile(member).read().decode("utf-8")
    return texts


@pytest.mark.parametrize("source,words,year,expected", CASES, ids=[c[1][:16] for c in CASES])
def test_time_limits_of_real_text(sources, source, words, year, expected):
    assert words in sources[source], f"the words are not in {source}"
    found = deadlines(words, year)
    assert [(d.text, d.year, d.recurring) for d in found] == expected
    for d in found:  # as written, where it was written
        assert words[d.start:d.start + len(d.text)] == d.text


def test_the_normal_form_is_text_year_and_recurring():
    found = deadlines("到2025年,我省实现知识产权高质量发展", 2022)
    assert [d.to_dict() for d in found] == [{"text": "到2025年", "year": 2025, "recurring": False}]


def test_full_width_digits_are_read_and_kept_as_written(sources):
    # 最高人民法院关于审理专利纠纷案件适用法律问题的若干规定: a condition on a day, in full-width digits
    words = "侵犯专利权行为发生在2001年７月１日以前的，适用修改前专利法的规定"
    assert words in (RAW_DOCS / "最高人民法院关于审理专利纠纷案件适用法律问题的若干规定(2015-01-29).md").read_text(encoding="utf-8")
    assert deadlines(words, 2015) == ()  # 以前的: which acts, not by when
    # the same phrase alone, as a time limit: its year read from the full-width digits, its text unchanged
    assert deadlines("在2001年７月１日以前") == (Deadline("在2001年７月１日以前", 2001, False, 0),)


def test_a_phrase_stated_twice_is_listed_once(seed):
    doc = seed("luoshan")
    clause = next(c for c in doc.clauses if c.text.count("到2030年") > 1)
    found = deadlines(clause.text, doc.metadata.year)
    assert [d.text for d in found].count("到2030年") == 1
    assert found[0].start == clause.text.index("到2030年")


def test_this_years_end_takes_the_documents_year_and_none_without_it(sources):
    source, words = CASES_BY_WORDS["市人大常委会在年底前听取和审议"]
    assert [d.to_dict() for d in deadlines(words, 2016)] == [{"text": "年底前", "year": 2016, "recurring": False}]
    assert deadlines(words)[0].year is None


def test_every_time_limit_of_the_bundled_documents_is_where_it_says_and_not_before_its_document(bundled):
    found = 0
    for doc in bundled.documents:
        for clause in doc.clauses:
            for d in deadlines(clause.text, doc.metadata.year):
                found += 1
                assert clause.text[d.start:d.start + len(d.text)] == d.text
                if d.year is not None and re.search(r"[0-9０-９]{4}", d.text):
                    digits = re.search(r"[0-9０-９]{4}", d.text).group()
                    assert d.year == int(digits) and not d.recurring
                    assert doc.metadata.year is None or d.year >= doc.metadata.year, (doc.metadata.title, d)
                if d.recurring:
                    assert d.year is None
    assert found  # the seeds state some


def test_the_vocabulary_is_data_and_a_bad_file_says_which(tmp_path):
    words = load_deadline_words()
    assert "定期" in words.ongoing and "定期存款" in words.not_deadlines and words.plans["十四五"] == 2025
    bad = tmp_path / "deadlines.toml"
    bad.write_text('ongoing = ["定期"]\nstandalone = ["长期"]\n[plans]\n"十四五" = "2025"\n', encoding="utf-8")
    with pytest.raises(SearchError, match="deadlines.toml"):
        load_deadline_words(bad)
    bad.write_text("ongoing = [", encoding="utf-8")
    with pytest.raises(SearchError, match="not valid TOML"):
        load_deadline_words(bad)


def test_a_vocabulary_without_look_alikes_or_plans_still_compiles():
    words = load_deadline_words()
    pattern, look_alikes = compile_deadlines(type(words)(ongoing=words.ongoing, standalone=words.standalone,
                                                         not_deadlines=(), plans={}))
    assert look_alikes is None and pattern.search("力争每年审定新品种100个左右")
