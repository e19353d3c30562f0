"""Cleaning: blank lines, attachments, furniture, broken lines and scrape repeats."""
from search.ingest.clean import clean, split_sentences

from conftest import LAWS, SEEDS


def _lines(name):
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def test_drops_blank_lines_and_attachment_file_names():
    result = clean(_lines("001_7f4fbdf0e3c78fda.txt"))
    assert all(p.strip() for p in result.paragraphs)
    assert "河南省知识产权“十四五”规划.pdf" not in result.paragraphs
    assert ("attachment", "河南省知识产权“十四五”规划.pdf") in result.dropped


def test_rejoins_a_word_broken_across_lines():
    paragraphs = clean(_lines("002_d612a12ae481ae56.txt")).paragraphs
    assert any("贯彻落实科学发展观" in p for p in paragraphs)


def test_keeps_numbered_headings_and_dates_on_their_own_lines():
    paragraphs = clean(_lines("002_d612a12ae481ae56.txt")).paragraphs
    assert "一、指导思想" in paragraphs
    assert "2014年11月30日" in paragraphs
    heilongjiang = clean(_lines("004_77ef637a5b3fa8c7.txt")).paragraphs
    assert "黑龙江省人民政府办公厅" in heilongjiang and "2016年10月11日" in heilongjiang
    assert "《黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见》重点任务分工方案" in heilongjiang


def test_colophon_becomes_furniture():
    result = clean(_lines("002_d612a12ae481ae56.txt"))
    assert result.furniture["主办"] == ["市科技局"]
    assert result.furniture["督办"] == ["市政府办公室科教文卫科"]
    assert result.furniture["抄送"] == ["市委各部门，军分区，部、省属有关单位。", "市人大常委会办公室，市政协办公室，市法院，市检察院。"]
    assert result.furniture["印发日期"] == ["2014年11月30日"]
    assert result.furniture["印发机关"] == ["三门峡市人民政府办公室"]
    assert not any(p.startswith(("主办", "抄送")) for p in result.paragraphs)


def test_scrape_repeats_are_dropped():
    raw = (SEEDS / "000_66ce048e690a739c.txt").read_text(encoding="utf-8")
    text = "".join(clean(raw.split("\n")).paragraphs)
    long_sentence = "建立版权贸易平台,拓展版权利用方式,加快版权市场化进程。"
    assert raw.count(long_sentence) > 1 and text.count(long_sentence) == 1
    assert raw.count("7.专利。") == 2 and text.count("7.专利。") == 1


def test_a_short_repeat_standing_alone_is_kept():
    # Real sentences of the 2009 Henan page: a scraped block repeated, and an attribution that
    # legitimately closes two different items.
    block = ("9.版权。扶持新闻出版、广播影视、文学艺术、文化娱乐、广告设计、工艺美术、计算机软件、信息网络等版权相关产业发展。"
             "建立版权贸易平台,拓展版权利用方式,加快版权市场化进程。")
    lines = [block, "3.市场主体运用知识产权的能力明显提升。由省科技厅、知识产权局负责落实。", block,
             "12.商业秘密和集成电路布图设计。由省科技厅、知识产权局负责落实。"]
    text = "".join(clean(lines).paragraphs)
    assert text.count("建立版权贸易平台") == 1
    assert text.count("由省科技厅、知识产权局负责落实。") == 2


def test_laws_keep_their_legitimately_repeated_sentences():
    lines = (LAWS / "专利法实施细则(2023-12-11).md").read_text(encoding="utf-8").split("\n")
    result = clean(lines)
    assert not any(reason == "repeated" for reason, _ in result.dropped)
    assert len("".join(result.paragraphs)) == len("".join(l.strip() for l in lines if l.strip()))


def test_sentences_concatenate_back():
    paragraph = "（五）推进名优产品培育，加快名牌战略实施。着力通过自主创新、品牌经营等手段；培育一批“名牌”！"
    parts = split_sentences(paragraph)
    assert "".join(parts) == paragraph and len(parts) == 3
