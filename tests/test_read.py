"""Tests of search.ingest.read: encodings, refusals, and the body and metadata of real government pages."""
from __future__ import annotations

import hashlib
import io
import random
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

from search import settings
from search.errors import BinaryFile, EmptyFile, FileTooLarge, IngestError, UndecodableFile, UnsupportedFormat
from search.ingest.read import FORMAT_BY_SUFFIX, html_to_source, read_source

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
LAWS = SHARED / "corpus" / "ip"
HTML = SHARED / "corpus" / "html"
PATENT_AGENCY_PAGE = HTML / "govcn_fragments" / "gov.cn_content_5341736_专利代理条例.fragment.html"
FTZ_PAGE = HTML / "govcn_fragments" / "gov.cn_content_5342665_国务院关于支持自由贸易试验区深化改革创新若干措施的通知.fragment.html"
NFRA_HQ_PAGE = HTML / "nfra.gov.cn_行政处罚信息公开表_金罚决字〔2024〕36号.html"
NFRA_ZJ_PAGE = HTML / "nfra.gov.cn_浙江监管局行政处罚信息公开表_浙金罚决字〔2024〕52号.html"
LUOSHAN_SEED = SEEDS / "003_06b732dbd06fe955.txt"

# The first 33 bytes (signature and IHDR chunk) of a real 196×196 RGBA PNG, rustdoc's favicon.
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\xc4\x00\x00\x00\xc4\x08\x06\x00\x00\x00\xc0\xa6\x8ek"

# Visible text of nfra.gov.cn's menus, news panels and footer, outside the article.
NFRA_MENU_TEXT = ("机构概况", "新闻资讯", "政务信息", "在线服务", "互动交流", "网站地图", "无障碍",
                  "李云泽会见英中贸易协会主席古沛勤", "版权与免责声明")
# Inline script, Angular template and Word-export CSS that sit in the same pages.
NFRA_CODE_TEXT = ("function (", "goJiansuo", "{{", "mso-", "font-family")


def _seed_text() -> str:
    return LUOSHAN_SEED.read_text(encoding="utf-8")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# Text and Markdown


def test_markdown_law_keeps_its_markdown_syntax():
    path = LAWS / "专利法(2020-10-17).md"
    source = read_source(path)
    assert (source.path, source.format, source.encoding, source.meta) == (str(path), "markdown", "utf-8", {})
    assert source.lines[0] == "# 中华人民共和国专利法"
    assert "<!-- INFO END -->" in source.lines
    assert "## 第一章 总则" in source.lines
    assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_trailing_whitespace_is_stripped_and_everything_else_kept():
    path = LAWS / "专利代理条例(2018-11-06).md"
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    assert raw_lines[2].endswith("\u3000")  # the history line ends in a full-width space
    source = read_source(path)
    assert source.lines[2] == raw_lines[2].rstrip()
    assert len(source.lines) == len(raw_lines) - (raw_lines[-1] == "")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_ends_read_like_unix_ones(tmp_path, newline):
    text = _seed_text()
    path = _write(tmp_path, "luoshan.txt", text.replace("\n", newline).encode("utf-8"))
    source = read_source(path)
    assert source.format == "text"
    assert source.lines == read_source(LUOSHAN_SEED).lines
    assert not any("\r" in line for line in source.lines)


# Encodings


@pytest.mark.parametrize(
    ("seed", "codec"),
    [(name, "gb18030") for name in sorted(p.name for p in SEEDS.glob("*.txt"))]
    + [(name, "gbk") for name in ("000_66ce048e690a739c.txt", "003_06b732dbd06fe955.txt")],
)
def test_gb_encoded_seeds_are_detected_and_decoded_exactly(tmp_path, seed, codec):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    data = text.encode(codec)
    source = read_source(_write(tmp_path, seed, data))
    assert source.encoding == "gb18030"
    assert source.lines == read_source(SEEDS / seed).lines
    assert source.sha256 == hashlib.sha256(data).hexdigest()


def test_gb18030_html_page_is_decoded_before_parsing(tmp_path):
    data = PATENT_AGENCY_PAGE.read_text(encoding="utf-8").encode("gb18030")
    source = read_source(_write(tmp_path, "page.html", data))
    assert source.encoding == "gb18030"
    assert source.lines == read_source(PATENT_AGENCY_PAGE).lines


def test_utf8_bom_is_reported_and_removed(tmp_path):
    source = read_source(_write(tmp_path, "bom.txt", b"\xef\xbb\xbf" + _seed_text().encode("utf-8")))
    assert source.encoding == "utf-8-sig"
    assert source.lines == read_source(LUOSHAN_SEED).lines


@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom_is_honoured(tmp_path, bom, codec):
    source = read_source(_write(tmp_path, "wide.txt", bom + _seed_text().encode(codec)))
    assert source.encoding == codec
    assert source.lines == read_source(LUOSHAN_SEED).lines


@pytest.mark.parametrize("codec", ["big5", "euc_kr", "shift_jis"])
def test_other_east_asian_encodings_are_refused_not_misread_as_gbk(tmp_path, codec):
    # These bytes are valid GBK, so a lenient reader would return plausible-looking hanzi.
    # errors="ignore" drops the simplified characters that the codec cannot write.
    data = _seed_text().encode(codec, errors="ignore")
    data.decode("gb18030")  # the trap is real: GB18030 accepts these bytes
    path = _write(tmp_path, "legacy.txt", data)
    with pytest.raises(UndecodableFile) as caught:
        read_source(path)
    assert caught.value.path == str(path)
    assert "not UTF-8" in caught.value.message and "GB18030" in caught.value.message


def test_non_text_high_bytes_are_undecodable(tmp_path):
    noise = bytes(b for b in random.Random(20240712).randbytes(4096) if b >= 0x80)
    with pytest.raises(UndecodableFile, match="not UTF-8"):
        read_source(_write(tmp_path, "noise.txt", noise))


def test_utf8_with_a_broken_tail_names_the_offset(tmp_path):
    data = _seed_text().encode("utf-8")[:-1]  # cut inside the last character
    with pytest.raises(UndecodableFile, match=f"offset {len(data) - 2}"):
        read_source(_write(tmp_path, "cut.txt", data))


# Refusals


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("png.txt", PNG_HEAD + b"\n" + "第一条".encode("utf-8")),
        ("all-bytes.txt", bytes(range(256)) * 4),
    ],
)
def test_binary_data_is_refused(tmp_path, name, data):
    with pytest.raises(BinaryFile, match="NUL"):
        read_source(_write(tmp_path, name, data))


def test_zip_renamed_to_txt_is_binary(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("luoshan.txt", _seed_text())
    with pytest.raises(BinaryFile):
        read_source(_write(tmp_path, "luoshan.txt", buffer.getvalue()))


def test_overstruck_terminal_output_is_binary(tmp_path):
    # nroff bolds by overstriking: every character, backspace, the character again.
    bold = "".join(f"{ch}\b{ch}" for ch in _seed_text()[:2000])
    with pytest.raises(BinaryFile, match="control codes"):
        read_source(_write(tmp_path, "bold.txt", bold.encode("utf-8")))


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n", "\u3000\u3000\n".encode("utf-8")])
def test_empty_or_whitespace_only_files_are_refused(tmp_path, data):
    with pytest.raises(EmptyFile):
        read_source(_write(tmp_path, "blank.md", data))


def test_html_page_without_body_text_is_empty(tmp_path):
    # The tail of the gov.cn page: QR widget, print/close buttons, side iframe, banner.
    html = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    tail = html[html.index('<div id="div_div">'):]
    assert "扫一扫在手机打开当前页" in tail
    with pytest.raises(EmptyFile, match="no text"):
        read_source(_write(tmp_path, "tail.html", tail.encode("utf-8")))


def test_too_large_file_is_refused_from_its_size_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(settings.MAX_FILE_BYTES + 1)  # sparse: no data written

    def fail(self):
        raise AssertionError("read the file before checking its size")

    monkeypatch.setattr(Path, "read_bytes", fail)
    with pytest.raises(FileTooLarge) as caught:
        read_source(path)
    assert f"{settings.MAX_FILE_BYTES + 1:,}" in caught.value.message
    assert f"{settings.MAX_FILE_BYTES:,}" in caught.value.message


@pytest.mark.parametrize("name", ["专利法.pdf", "专利法.docx", "README"])
def test_unsupported_suffix_lists_the_supported_ones(tmp_path, name):
    path = _write(tmp_path, name, "第一条".encode("utf-8"))
    with pytest.raises(UnsupportedFormat) as caught:
        read_source(path)
    for suffix in settings.SOURCE_SUFFIXES:
        assert suffix in caught.value.message


def test_suffix_table_covers_exactly_the_configured_suffixes():
    assert sorted(FORMAT_BY_SUFFIX) == sorted(settings.SOURCE_SUFFIXES)


def test_suffix_case_does_not_matter(tmp_path):
    path = _write(tmp_path, "PAGE.HTM", PATENT_AGENCY_PAGE.read_bytes())
    assert read_source(path).format == "html"


# gov.cn fragments


def test_govcn_metadata_table_becomes_meta():
    assert read_source(PATENT_AGENCY_PAGE).meta == {
        "index_number": "000014349/2018-00206",
        "subject": "科技、教育\\知识产权",
        "issuer": "国务院",
        "date": "2018年11月06日",
        "title": "专利代理条例",
        "doc_number": "国令第706号",
        "published": "2018年11月19日",
    }  # 主题词 is empty on the page, so it is absent


def test_govcn_body_is_the_article_without_table_or_widgets():
    source = read_source(PATENT_AGENCY_PAGE)
    assert source.format == "html"
    assert source.lines[:2] == ("中华人民共和国国务院令", "第706号")
    # The page writes a full-width space after 第一条; the original wording is kept.
    assert ("第一条\u3000为了规范专利代理行为，保障委托人、专利代理机构和专利代理师的合法权益，"
            "维护专利代理活动的正常秩序，促进专利代理行业健康发展，根据《中华人民共和国专利法》，"
            "制定本条例。") in source.lines
    assert source.lines[-1].startswith("本条例施行前依法设立的专利代理机构")
    assert sum(line.startswith("第") and "条\u3000" in line[:8] for line in source.lines) == 32
    for furniture in ("索 引 号", "主题分类", "发文机关", "成文日期", "发布日期", "000014349/2018-00206", "扫一扫"):
        assert not any(furniture in line for line in source.lines), furniture


def test_govcn_inline_spans_stay_on_their_paragraph_line():
    source = read_source(FTZ_PAGE)
    assert source.meta["doc_number"] == "国发〔2018〕38号"
    assert (source.meta["date"], source.meta["published"]) == ("2018年11月07日", "2018年11月23日")
    assert ("（五十三）支持自贸试验区开展非标准就业形式下劳动用工管理和服务试点。"
            "（负责部门：人力资源社会保障部，适用范围：上海自贸试验区）") in source.lines
    assert source.lines[-3:] == ("国务院", "2018年11月7日", "（此件公开发布）")


@pytest.mark.parametrize("page", [PATENT_AGENCY_PAGE, FTZ_PAGE])
def test_density_fallback_finds_the_same_govcn_body_without_the_id(page):
    html = page.read_text(encoding="utf-8")
    by_id = html_to_source(html)
    by_density = html_to_source(html.replace('id="UCAP-CONTENT"', ""))
    assert (by_id.found_by, by_density.found_by) == ("#UCAP-CONTENT", "density")
    assert by_density.lines == by_id.lines
    assert by_density.meta == by_id.meta


@pytest.mark.parametrize("qr_id", [' id="qr_container"', ""])
def test_wide_container_still_drops_metadata_rows_and_qr_widget(qr_id):
    # Make the selector land on the page wrapper, which also holds the 索引号 table, the QR
    # widget (with or without its telling id) and the print buttons.
    html = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    wide = (html.replace('id="UCAP-CONTENT"', "")
            .replace('<div class="wrap"', '<div id="content" class="wrap"', 1)
            .replace(' id="qr_container"', qr_id))
    page = html_to_source(wide)
    assert page.found_by == "#content"
    assert page.lines == html_to_source(html).lines
    assert page.meta["doc_number"] == "国令第706号"


# nfra.gov.cn full pages


def test_nfra_meta_tags_become_meta():
    meta = read_source(NFRA_HQ_PAGE).meta
    assert meta == {
        "title": "国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)",
        "published": "2024-07-12 17:33",
        "source_org": "保险和非银机构检查局",
        "columnname": "总局机关",
        "columntype": "5",
        "sitename": "国家金融监督管理总局",
        "sitedomain": "www.nfra.gov.cn",
        "siteidcode": "bm55000001",
        "author": "国家金融监督管理总局",
        "description": "国家金融监督管理总局",
        "keywords": "国家金融监督管理总局",
        "viewport": "width=1100",
        "html_title": "国家金融监督管理总局",
    }  # the Word export inside <body> brings its own Generator/ProgId metas; they are not the page's


def test_nfra_body_is_the_penalty_table_once():
    html = NFRA_HQ_PAGE.read_text(encoding="utf-8")
    source = read_source(NFRA_HQ_PAGE)
    for line in ("行政处罚决定书文号", "金罚决字〔2024〕36号", "复星联合健康保险股份有限公司及其责任人员",
                 "一、委托未取得合法资格的个人从事保险销售活动",
                 "对复星联合健康保险股份有限公司合计罚款158万元。其中，总公司38万元，分支机构120万元。",
                 "对潘麟警告并罚款7万元", "作出处罚决定的日期", "2024年7月8日"):
        assert source.lines.count(line) == 1  # the page holds the table twice, once hidden
    for text in NFRA_MENU_TEXT + NFRA_CODE_TEXT:
        assert text in html
        assert not any(text in line for line in source.lines), text


def test_nfra_zhejiang_page_merged_cells():
    source = read_source(NFRA_ZJ_PAGE)
    assert (source.meta["title"], source.meta["published"], source.meta["source_org"]) == (
        "国家金融监督管理总局浙江监管局行政处罚信息公开表（浙金罚决字〔2024〕52号）", "2025-06-03 11:18", "浙江")
    assert source.lines[:6] == ("序号", "当事人名称", "行政处罚决定书文号", "主要违法违规行为", "行政处罚内容", "作出决定机关")
    assert source.lines[-2:] == ("陈首伟（时任中国太平洋财产保险股份有限公司温州分公司副总经理）", "警告并罚款14万元")
    assert "给予投保人保险合同约定以外的其他利益；编制或者提供虚假的报告、报表、文件、资料" in source.lines
    assert not any(text in line for text in NFRA_MENU_TEXT + NFRA_CODE_TEXT for line in source.lines)


@pytest.mark.parametrize("page", [NFRA_HQ_PAGE, NFRA_ZJ_PAGE])
def test_nfra_density_fallback_keeps_table_and_drops_menus(page):
    html = page.read_text(encoding="utf-8")
    by_id = html_to_source(html)
    by_density = html_to_source(html.replace("wenzhang-content", "renamed"))
    assert by_density.found_by == "density"
    assert set(by_id.lines) <= set(by_density.lines)
    # The wider block also holds the page's headline and date line, which is fine for search.
    assert len(by_density.lines) - len(by_id.lines) <= 5
    assert not any(text in line for text in NFRA_MENU_TEXT + NFRA_CODE_TEXT for line in by_density.lines)


# Pages whose cells were never closed: reading them is linear work, however deep they nest

# How a page with unclosed cells, rows and tables nests: each cell holds the rest of the page.
# Repeated 2,500 times it took 2.5 s to read, 10,000 times 38 s (issue 10, item 7).
OPEN_CELL = "<div><p><table><tr><td>"
PATENT_AGENCY_LAW = LAWS / "专利代理条例(2018-11-06).md"
ARTICLE_RE = re.compile(r"第[一二三四五六七八九十]+条 ")
CLOSING_CELL_TAGS_RE = re.compile(r"</(?:td|th|tr|tbody|table|p)>")


def _law_articles() -> list[str]:
    """The 32 articles of 专利代理条例 as the law collection writes them, one paragraph each."""
    text = PATENT_AGENCY_LAW.read_text(encoding="utf-8")
    return [line for line in text.split("\n") if ARTICLE_RE.match(line)]


def _open_cells(count: int, paragraphs: list[str]) -> str:
    """OPEN_CELL count times, each followed by the next paragraph if any, nothing ever closed."""
    return "".join(OPEN_CELL + (paragraphs[i % len(paragraphs)] if paragraphs else "") for i in range(count))


def _work(read, *args):
    """Return the profiler events (calls, returns, C calls) of read(*args) and what it returned or raised.

    A count of work that, unlike wall-clock time, is the same on a loaded machine.
    """
    events = 0

    def count(frame, event, arg):
        nonlocal events
        events += 1

    previous = sys.getprofile()
    sys.setprofile(count)
    try:
        outcome = read(*args)
    except IngestError as exc:
        outcome = exc
    finally:
        sys.setprofile(previous)
    return events, outcome


def test_nested_open_cells_holding_articles_are_read_in_linear_work(tmp_path):
    articles = _law_articles()
    work = {}
    for cells in (1_250, 2_500):
        path = _write(tmp_path, f"open-{cells}.html", _open_cells(cells, articles).encode("utf-8"))
        work[cells], source = _work(read_source, path)
        assert source.lines == tuple(articles[i % len(articles)] for i in range(cells))
    # Twice the cells, twice the work; asking bs4 for each cell's text and ancestors made it 3.9 times.
    assert work[2_500] < 2.2 * work[1_250]


def test_nested_open_cells_without_text_are_refused_as_empty_in_linear_work(tmp_path):
    work = {}
    for cells in (1_250, 2_500):
        path = _write(tmp_path, f"open-{cells}.html", (OPEN_CELL * cells).encode("utf-8"))
        work[cells], refused = _work(read_source, path)
        assert isinstance(refused, EmptyFile) and refused.reason == "empty"
        assert refused.message == "the HTML page has no text outside markup, scripts and page furniture"
    assert work[2_500] < 2.2 * work[1_250]  # it was 3.6 times


def test_page_with_more_elements_than_the_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    cells = settings.MAX_HTML_ELEMENTS // OPEN_CELL.count("<") + 1
    path = _write(tmp_path, "open.html", _open_cells(cells, _law_articles()).encode("utf-8"))

    def fail(*args, **kwargs):
        raise AssertionError("a page over the limit was parsed")

    monkeypatch.setattr("search.ingest.read.BeautifulSoup", fail)
    with pytest.raises(FileTooLarge) as caught:
        read_source(path)
    assert caught.value.reason == "too-large"
    assert caught.value.message == (f"the HTML page has {cells * OPEN_CELL.count('<'):,} start tags, "
                                    f"over the limit of {settings.MAX_HTML_ELEMENTS:,} elements")
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("page", [PATENT_AGENCY_PAGE, FTZ_PAGE, NFRA_HQ_PAGE, NFRA_ZJ_PAGE],
                         ids=["patent-agency", "ftz", "nfra-hq", "nfra-zj"])
def test_real_pages_read_the_same_lines_with_their_cells_left_open(page):
    html = page.read_text(encoding="utf-8")
    assert CLOSING_CELL_TAGS_RE.search(html)
    assert html_to_source(CLOSING_CELL_TAGS_RE.sub("", html)).lines == html_to_source(html).lines


@pytest.mark.parametrize("left_open", [False, True], ids=["as-published", "cells-left-open"])
def test_govcn_page_reads_the_law_text_word_for_word(left_open):
    html = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    lines = html_to_source(CLOSING_CELL_TAGS_RE.sub("", html) if left_open else html).lines

    def plain(text: str) -> str:  # the page writes （一） and １年 full width, the law collection (一) and 1年
        return unicodedata.normalize("NFKC", re.sub(r"\s+", "", text))

    law = PATENT_AGENCY_LAW.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(law) if ARTICLE_RE.match(line))
    law_body = [plain(line) for line in law[first:] if line.strip() and not line.startswith("#")]
    start = next(i for i, line in enumerate(lines) if line.startswith("第一条"))
    page_body = [plain(line) for line in lines[start:] if not re.match(r"第[一二三四五六七八九十]+章", line)]
    assert len(page_body) == 62
    assert page_body == law_body


def test_an_unclosed_comment_ends_the_page_as_a_browser_ends_it(tmp_path):
    page = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    whole = read_source(_write(tmp_path, "page.html", page.encode("utf-8"))).lines
    # 40,000 unclosed comments took Python 3.11's html.parser 10 s: it searched the rest of the page from each
    tail = "<!--x>" * 40_000 + "<p>第六十三条　本条例自2019年3月1日起施行。</p>"
    lines = read_source(_write(tmp_path, "comment.html", (page + tail).encode("utf-8"))).lines
    assert lines == whole  # everything after an unclosed <!-- is comment
    cut = read_source(_write(tmp_path, "cut.html", (page + "<a" * 40_000).encode("utf-8"))).lines
    assert cut == whole  # a tag cut off at the end of the file is no text


def test_markup_the_parser_refuses_is_a_named_skip(tmp_path):
    page = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    path = _write(tmp_path, "declaration.html", ("<![\n]>" + page).encode("utf-8"))  # html.parser: no keyword
    with pytest.raises(IngestError) as refused:
        read_source(path)
    assert refused.value.reason == "bad-markup" and "the HTML can't be parsed" in refused.value.message


def test_empty_comments_and_bogus_sections_end_where_a_browser_ends_them(tmp_path):
    page = PATENT_AGENCY_PAGE.read_text(encoding="utf-8")
    whole = read_source(_write(tmp_path, "page.html", page.encode("utf-8"))).lines
    at = page.index("第二条")
    # <!--> is a whole (empty) comment; <![CDATA[…> outside SVG ends at its first >: 40,000 of them
    # took html.parser 2.3 s, searching the rest of the page for ]]> from each
    for inserted in ("<!-->", "<!--->", "<![CDATA[x>" * 40_000, "<![if x>" * 40_000):
        lines = read_source(_write(tmp_path, "odd.html", (page[:at] + inserted + page[at:]).encode("utf-8"))).lines
        assert lines == whole, inserted[:12]
