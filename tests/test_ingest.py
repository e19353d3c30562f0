"""End-to-end ingestion of the bundled documents: the seed table, clause counts, no loss, bad input."""
from __future__ import annotations

import re

import pytest

from search.errors import (BadSidecar, BinaryFile, EmptyFile, FileTooLarge, NoStructure, NotAFile, UndecodableFile,
                           UnreadableFile)
from search.build import build_index
from search.ingest import ingest
from search.ingest.clauses import reading_order
from search.ingest.clean import split_sentences

from conftest import GOVCN, LAWS, RAW_DOCS, SEED_FILES, SEEDS, SHARED

SEED_TABLE = {
    "henan2009": dict(title="河南省人民政府办公厅关于印发实施河南省知识产权战略纲要任务分工的通知", doc_number="",
                      issuer=["河南省人民政府办公厅"], level="省", region=["河南省"], date="2009-04-10",
                      published="2009-04-29", year=2009),
    "henan2022": dict(title="河南省知识产权局关于印发河南省知识产权创造保护运用“十四五”规划的通知", doc_number="",
                      issuer=["河南省知识产权局"], level="省", region=["河南省"], date="2022-01-28",
                      published="2022-05-16", year=2022),
    "sanmenxia": dict(title="三门峡市人民政府关于加快实施知识产权战略的意见", doc_number="三政〔2014〕61号",
                      issuer=["三门峡市人民政府"], level="市", region=["河南省", "三门峡市"], date="2014-11-30",
                      year=2014),
    "luoshan": dict(title="罗山县人民政府关于进一步加强知识产权工作的实施意见", doc_number="罗政〔2021〕28号",
                    issuer=["罗山县人民政府"], level="县", region=["河南省", "信阳市", "罗山县"], date="2021-12-15",
                    year=2021),
    "heilongjiang": dict(title="黑龙江省人民政府办公厅关于印发《黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见》"
                               "重点任务分工方案的通知", doc_number="", issuer=["黑龙江省人民政府办公厅"], level="省",
                         region=["黑龙江省"], date="2016-10-11", year=2016),
}


@pytest.mark.parametrize("name", sorted(SEED_TABLE))
def test_seed_metadata_matches_the_table(seed, name):
    meta = seed(name).metadata.to_dict()
    expected = SEED_TABLE[name]
    assert {key: meta[key] for key in expected} == expected


@pytest.mark.parametrize("name,doc_type", [("henan2009", "通知"), ("henan2022", "通知"), ("sanmenxia", "意见"),
                                           ("luoshan", "意见"), ("heilongjiang", "通知")])
def test_seed_type_and_authority(seed, name, doc_type):
    meta = seed(name).metadata
    assert (meta.doc_type, meta.authority) == (doc_type, "规范性文件")


def _numbered(doc, kind):
    return [c for c in doc.clauses if c.kind == kind]


def test_heilongjiang_has_sixty_numbered_items(seed):
    items = _numbered(seed("heilongjiang"), "item")
    assert [c.number for c in items] == list(range(1, 61))


def test_sanmenxia_has_twenty_two_sections_in_both_bracket_widths(seed):
    sections = _numbered(seed("sanmenxia"), "section")
    assert [c.number for c in sections] == list(range(1, 23))
    assert {c.label[0] for c in sections} == {"（", "("}


def test_luoshan_has_seventeen_sections(seed):
    assert [c.number for c in _numbered(seed("luoshan"), "section")] == list(range(1, 18))


def test_henan2009_keeps_each_numbered_item_once(seed):
    doc = seed("henan2009")
    labels = [(c.kind, c.number) for c in doc.clauses if c.kind in ("part", "item")]
    assert len(labels) == len(set(labels)), "a numbered item the page repeats came through twice"
    raw = (SEEDS / "000_66ce048e690a739c.txt").read_text(encoding="utf-8")
    assert raw.count("7.专利。") == 2
    assert sum(1 for c in doc.clauses if c.label == "7." and c.heading == "专利。") == 1
    assert any("dropped" in w and "repeated" in w for w in doc.warnings)


def test_henan2022_duplicate_labels_keep_unique_ids(seed):
    doc = seed("henan2022")
    threes = [c for c in doc.clauses if c.label == "3." and c.path[-1].label == "(十三)"]
    assert len(threes) == 2
    assert len({c.id for c in doc.clauses}) == len(doc.clauses)


def test_broken_lines_are_rejoined(seed):
    texts = [c.text for c in seed("sanmenxia").clauses]
    assert any("贯彻落实科学发展观" in t for t in texts)
    assert not any(t.endswith("贯彻落实科") for t in texts)
    luoshan = "".join(c.text for c in seed("luoshan").clauses)
    assert "加快知识产权服务平台建设" in luoshan


def test_furniture_becomes_metadata_not_clauses(seed):
    doc = seed("sanmenxia")
    assert doc.extra["主办"] == ["市科技局"]
    assert "抄送" in doc.extra
    assert not any("抄送" in c.text or "主办：" in c.text for c in doc.clauses)
    henan = seed("henan2022")
    assert not any(".pdf" in c.text for c in henan.clauses)


def test_heading_and_path(seed):
    doc = seed("sanmenxia")
    five = next(c for c in doc.clauses if c.kind == "section" and c.number == 5)
    assert five.heading == "推进名优产品培育，加快名牌战略实施。"
    assert [(s.label, s.heading) for s in five.path] == [("三、", "构建知识产权创造运用推进体系，提升市场主体核心竞争力")]


def test_ids_are_stable_across_runs():
    path = RAW_DOCS / "002_d612a12ae481ae56.txt"
    first = [c.id for c in ingest(path, root=RAW_DOCS).clauses]
    assert first == [c.id for c in ingest(path, root=RAW_DOCS).clauses]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_clauses_hold_every_sentence_of_the_body_exactly_once(bundled):
    assert len(bundled.documents) >= 57
    for doc in bundled.documents:
        # Markdown heading marks ("## 第一章 总则") are markup, not sentences.
        paragraphs = [re.sub(r"^#+\s*", "", p) for p in doc.body]
        body = _squash("".join(paragraphs))
        rebuilt = _squash("".join(piece for _, piece in reading_order(doc.clauses)))
        assert rebuilt == body, doc.metadata.source
        sentences = [_squash(s) for p in paragraphs for s in split_sentences(p)]
        assert all(s in rebuilt for s in sentences)


def test_every_bundled_file_is_read(bundled):
    assert bundled.skipped == []
    assert len(bundled.documents) == len([p for p in RAW_DOCS.iterdir() if not p.name.endswith(".json")])


@pytest.mark.parametrize("law", sorted(p.name for p in LAWS.glob("*.md")))
def test_each_law_has_as_many_articles_as_article_paragraphs(law):
    text = (LAWS / law).read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[1]
    expected = len(re.findall(r"^第[一二三四五六七八九十百零千]+条", text, flags=re.M))
    doc = ingest(LAWS / law)
    assert len([c for c in doc.clauses if c.kind == "article"]) == expected


def test_patent_law_metadata_and_structure():
    doc = ingest(LAWS / "专利法(2020-10-17).md")
    meta = doc.metadata
    assert (meta.title, meta.issuer, meta.level, meta.region) == ("中华人民共和国专利法", ("全国人民代表大会常务委员会",), "国家", ())
    assert (meta.date, meta.year, meta.doc_type, meta.authority) == ("2020-10-17", 2020, "法", "法律")
    articles = [c for c in doc.clauses if c.kind == "article"]
    assert len(articles) == 82
    a20 = next(c for c in articles if c.number == 20)
    assert a20.label == "第二十条" and len(a20.paragraphs) == 2
    assert a20.path[0].label == "第一章"
    a25 = next(c for c in articles if c.number == 25)
    items = [c for c in doc.clauses if c.parent_id == a25.id]
    assert [c.label for c in items] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）"]
    assert {c.paragraph for c in items} == {1}
    assert not any("第四次修正" in c.text for c in doc.clauses), "history is metadata, not a clause"


@pytest.mark.parametrize("law,issuer,authority,region,level", [
    ("著作权法实施条例(2013-01-30).md", "国务院", "行政法规", (), "国家"),
    ("最高人民法院关于审理商标民事纠纷案件适用法律若干问题的解释(2020-12-29).md", "最高人民法院", "司法解释", (), "国家"),
    ("河南省专利保护条例(2005-12-02).md", "河南省人民代表大会常务委员会", "地方性法规", ("河南省",), "省"),
    ("郑州市专利促进和保护条例(2009-09-01).md", "郑州市人民代表大会常务委员会", "地方性法规", ("河南省", "郑州市"), "市"),
    ("北京市专利保护和促进条例.md", None, "地方性法规", ("北京市",), "省"),
])
def test_law_metadata(law, issuer, authority, region, level):
    meta = ingest(LAWS / law).metadata
    if issuer:
        assert meta.issuer[0] == issuer
    assert (meta.authority, meta.region, meta.level) == (authority, region, level)
    assert meta.year and meta.date


@pytest.mark.parametrize("law,issuer,approver", [
    ("郑州市专利促进和保护条例(2009-09-01).md", "郑州市人民代表大会常务委员会", "河南省人民代表大会常务委员会"),
    ("洛阳市专利促进与保护条例(2013-01-15).md", "洛阳市人民代表大会常务委员会", "河南省人民代表大会常务委员会"),
    ("青岛市专利保护规定(2011-11-25).md", "青岛市人民代表大会常务委员会", "山东省人民代表大会常务委员会"),
])
def test_a_city_law_is_issued_by_the_congress_that_passed_it_and_approved_by_the_province(law, issuer, approver):
    meta = ingest(RAW_DOCS / law).metadata
    assert meta.issuer == (issuer,)
    assert meta.approved_by == (approver,)


def test_a_national_law_has_no_approving_body():
    assert ingest(RAW_DOCS / "专利法(2020-10-17).md").metadata.approved_by == ()


def test_govcn_patent_agency_regulation_page():
    doc = ingest(GOVCN / "gov.cn_content_5341736_专利代理条例.fragment.html")
    meta = doc.metadata
    assert (meta.title, meta.doc_number, meta.issuer) == ("专利代理条例", "国令第706号", ("国务院",))
    assert (meta.date, meta.published, meta.effective) == ("2018-11-06", "2018-11-19", "2019-03-01")
    assert (meta.level, meta.region, meta.authority, meta.doc_type) == ("国家", (), "行政法规", "条例")
    articles = [c for c in doc.clauses if c.kind == "article"]
    assert articles[0].label == "第一条" and len(articles) >= 30
    assert not any("索引号" in c.text or "扫一扫" in c.text for c in doc.clauses)


def test_govcn_free_trade_zone_notice_page():
    name = "gov.cn_content_5342665_国务院关于支持自由贸易试验区深化改革创新若干措施的通知.fragment.html"
    doc = ingest(GOVCN / name)
    meta = doc.metadata
    assert (meta.title, meta.doc_number, meta.issuer) == ("国务院关于支持自由贸易试验区深化改革创新若干措施的通知",
                                                          "国发〔2018〕38号", ("国务院",))
    assert (meta.date, meta.published, meta.doc_type, meta.authority) == ("2018-11-07", "2018-11-23", "通知", "规范性文件")
    sections = [c for c in doc.clauses if c.kind == "section"]
    assert [c.number for c in sections] == list(range(1, 54))
    s13 = next(c for c in sections if c.number == 13)
    assert [(a.canonical, a.role) for a in s13.agencies] == [("知识产权局", "responsible")]


# Bad input: each gives its named error, and a folder with them still builds the rest.

def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n\n")
    with pytest.raises(EmptyFile):
        ingest(path)


def test_binary_file(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(BinaryFile):
        ingest(path)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "bad.txt"
    text = (SEEDS / "002_d612a12ae481ae56.txt").read_bytes()[:3000]
    path.write_bytes(text + bytes([0xFF, 0xFE, 0xFA, 0x81, 0x30, 0xC0]) * 40)
    with pytest.raises(UndecodableFile):
        ingest(path)


def test_gb18030_file_reads_like_utf8(tmp_path):
    text = (SEEDS / "002_d612a12ae481ae56.txt").read_text(encoding="utf-8")
    path = tmp_path / "sanmenxia-gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    doc = ingest(path)
    assert doc.metadata.doc_number == "三政〔2014〕61号"
    assert len([c for c in doc.clauses if c.kind == "section"]) == 22


def test_no_structure(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("请于本周五前报送材料\n联系电话0371-65000000\n", encoding="utf-8")
    with pytest.raises(NoStructure):
        ingest(path)


def test_a_file_that_cannot_be_read(tmp_path):
    # listed by a build, then gone (or a folder named like a document) before it is read
    with pytest.raises(UnreadableFile, match="can't be read"):
        ingest(tmp_path / "gone.txt")
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(NotAFile, match="it is a folder, not a regular file"):
        ingest(tmp_path / "folder.md")


def test_a_header_without_text(tmp_path):
    path = tmp_path / "empty-law.md"
    path.write_text("# 重庆市实施《中华人民共和国国家赔偿法》办法\n\n1998年5月29日 重庆市第一届人民代表大会常务委员会第九次会议通过\n\n"
                    "<!-- INFO END -->\n\n", encoding="utf-8")
    with pytest.raises(NoStructure, match="no text"):
        ingest(path)


def test_very_large_file(tmp_path):
    path = tmp_path / "huge.txt"
    chunk = (SEEDS / "004_77ef637a5b3fa8c7.txt").read_bytes()
    with open(path, "wb") as f:
        for _ in range(30 * 1024 * 1024 // len(chunk) + 1):
            f.write(chunk)
    with pytest.raises(FileTooLarge):
        ingest(path)


def test_a_folder_with_bad_files_still_builds_the_rest(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_bytes((SEEDS / "003_06b732dbd06fe955.txt").read_bytes())
    (src / "empty.txt").write_bytes(b"")
    (src / "scan.htm").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (src / "notes.docx").write_bytes(b"PK\x03\x04")
    report = build_index(src, tmp_path / "index").ingest
    assert [d.metadata.title for d in report.documents] == ["罗山县人民政府关于进一步加强知识产权工作的实施意见"]
    assert sorted((path, reason) for path, reason, _ in report.skipped) == [
        ("empty.txt", "empty"), ("notes.docx", "unsupported-format"), ("scan.htm", "binary")]
    summary = report.summary()
    assert "read 1 document(s)" in summary and "skipped 3" in summary and "notes.docx" in summary


def _item(doc, kind, number):
    return next(c for c in doc.clauses if c.kind == kind and c.number == number)


def test_tags_on_ingested_seed_clauses(seed):
    seven = _item(seed("heilongjiang"), "item", 7)
    assert [(a.name, a.role) for a in seven.agencies] == [
        ("省知识产权局", "lead"), ("省财政厅", "cooperate"), ("省人社厅", "cooperate"), ("省工商局", "cooperate"),
        ("省新闻出版广电局", "cooperate")]
    assert seven.ip_types == ("专利",)
    trademarks = _item(seed("sanmenxia"), "section", 5)
    assert {"商标", "地理标志", "著作权"} <= set(trademarks.ip_types)
    brand = next(c for c in seed("henan2022").clauses if c.label == "(十五)")
    assert (brand.heading, brand.ip_types) == ("实施商标品牌建设工程", ("商标", "地理标志"))
    luoshan = _item(seed("luoshan"), "section", 7)
    assert "专利" in luoshan.ip_types
    henan = seed("henan2009")
    plant = next(c for c in henan.clauses if c.label == "10." and c.heading == "植物新品种。")
    assert plant.ip_types == ("植物新品种",)
    patents = next(c for c in henan.clauses if c.label == "7." and c.heading == "专利。")
    assert [(a.name, a.role) for a in patents.agencies][:3] == [
        ("省知识产权局", "responsible"), ("省科技厅", "responsible"), ("省质量技术监督局", "responsible")]


def test_a_sidecar_overrides_and_is_validated(tmp_path):
    source = tmp_path / "luoshan.txt"
    source.write_bytes((SEEDS / "003_06b732dbd06fe955.txt").read_bytes())
    (tmp_path / "luoshan.meta.json").write_text('{"published": "2021年12月20日", "doc_type": "实施意见"}', encoding="utf-8")
    meta = ingest(source).metadata
    assert (meta.published, meta.doc_type, meta.date) == ("2021-12-20", "实施意见", "2021-12-15")
    (tmp_path / "luoshan.meta.json").write_text('{"titel": "x"}', encoding="utf-8")
    with pytest.raises(BadSidecar, match="titel"):
        ingest(source)


@pytest.mark.parametrize("name,title,doc_number,issuer,published", [
    ("nfra.gov.cn_行政处罚信息公开表_金罚决字〔2024〕36号.html",
     "国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号)", "金罚决字〔2024〕36号", "国家金融监督管理总局", "2024-07-12"),
    ("nfra.gov.cn_浙江监管局行政处罚信息公开表_浙金罚决字〔2024〕52号.html",
     "国家金融监督管理总局浙江监管局行政处罚信息公开表（浙金罚决字〔2024〕52号）", "浙金罚决字〔2024〕52号",
     "国家金融监督管理总局浙江监管局", "2025-06-03"),
])
def test_whole_saved_pages_use_their_meta_tags(name, title, doc_number, issuer, published):
    doc = ingest(SHARED / "corpus" / "html" / name)
    meta = doc.metadata
    assert (meta.title, meta.doc_number, meta.issuer, meta.published) == (title, doc_number, (issuer,), published)
    text = "".join(c.text for c in doc.clauses)
    assert "行政处罚" in text or "罚款" in text
    assert "ng-" not in text and "function(" not in text and "扫一扫" not in text


@pytest.mark.parametrize("sidecar,field,says", [
    ('{"year": 99999999999}', "year", "not a year between 1000 and 9999"),
    ('{"year": "二〇二一"}', "year", "must be a whole number such as 2021"),
    ('{"year": true}', "year", "must be a whole number"),
    ('{"year": 2021.5}', "year", "must be a whole number"),
    ('{"issuer": ["国务院,商务部"]}', "issuer", "holds a comma"),
    ('{"issuer": 42}', "issuer", "must be a name or a non-empty list of names"),
    ('{"issuer": []}', "issuer", "non-empty list"),
    ('{"issuer": ["国务院", 7]}', "issuer", "must be text"),
    ('{"region": "河南省,郑州市"}', "region", "holds a comma"),
    ('{"title": 123}', "title", "must be text (a JSON string), not a number 123"),
    ('{"title": ["a", "b"]}', "title", "must be text (a JSON string), not a list"),
    ('{"title": "罗山县人民政府\\n关于进一步加强知识产权工作的实施意见"}', "title", "on one line"),
    ('{"level": {"a": 1}}', "level", "must be text"),
    ('{"level": "乡"}', "level", "not a level; use one of 国家, 省, 市, 县"),
    ('{"date": 20211215}', "date", "must be text"),
    ('{"effective": "2021年2月30日"}', "effective", "not a calendar date"),
    ('{"expires": "五年"}', "expires", "date"),
    ('{"approved_by": 7}', "approved_by", "must be a name or a non-empty list of names"),
])
def test_a_sidecar_value_of_the_wrong_type_names_its_field(tmp_path, sidecar, field, says):
    source = tmp_path / "luoshan.txt"
    source.write_bytes((SEEDS / "003_06b732dbd06fe955.txt").read_bytes())
    (tmp_path / "luoshan.meta.json").write_text(sidecar, encoding="utf-8")
    with pytest.raises(BadSidecar) as caught:
        ingest(source)
    assert caught.value.message.startswith(f"{field}: ") and says in caught.value.message


def test_sidecar_values_of_the_right_types_are_taken(tmp_path):
    source = tmp_path / "luoshan.txt"
    source.write_bytes((SEEDS / "003_06b732dbd06fe955.txt").read_bytes())
    (tmp_path / "luoshan.meta.json").write_text(
        '{"issuer": ["罗山县人民政府", "罗山县市场监督管理局"], "region": "河南省", "year": 2022, "level": "县", '
        '"doc_number": null}', encoding="utf-8")
    meta = ingest(source).metadata
    assert (meta.issuer, meta.region, meta.year, meta.level) == (
        ("罗山县人民政府", "罗山县市场监督管理局"), ("河南省",), 2022, "县")
    assert meta.doc_number == ingest(RAW_DOCS / SEED_FILES["luoshan"], root=RAW_DOCS).metadata.doc_number != ""


def test_a_sidecar_states_the_term_and_the_approving_body_the_text_leaves_out(tmp_path):
    source = tmp_path / "luoshan.txt"
    source.write_bytes((SEEDS / "003_06b732dbd06fe955.txt").read_bytes())
    (tmp_path / "luoshan.meta.json").write_text('{"expires": "2025-12-31", "approved_by": "信阳市人民政府"}',
                                               encoding="utf-8")
    doc = ingest(source)
    assert (doc.metadata.expires, doc.metadata.approved_by) == ("2025-12-31", ("信阳市人民政府",))
    assert doc.lifecycle.expires == "", "the text itself states no term"
