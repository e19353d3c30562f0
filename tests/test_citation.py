"""Tests for search.citation: exact citations of real clauses, as Chinese legal writing has them."""
from __future__ import annotations

from dataclasses import replace

import pytest

from search.citation import cite_all, cite_gbt7714, cite_paragraphs
from search.errors import CitationError
from search.ingest import ingest

from conftest import RAW_DOCS

SANMENXIA_TITLE = "《三门峡市人民政府关于加快实施知识产权战略的意见》（三政〔2014〕61号）"
PATENT_LAW = "《中华人民共和国专利法》"
HENAN_2022 = "《河南省知识产权局关于印发河南省知识产权创造保护运用“十四五”规划的通知》"
HEILONGJIANG = ("《黑龙江省人民政府办公厅关于印发〈黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见〉"
                "重点任务分工方案的通知》")


@pytest.fixture(scope="module")
def patent_law():
    return ingest(RAW_DOCS / "专利法(2020-10-17).md", root=RAW_DOCS)


def clause(doc, suffix):
    """Return the clause whose id ends with ``-suffix``."""
    [found] = [c for c in doc.clauses if c.id.endswith("-" + suffix)]
    return found


def test_policy_section_is_cited_with_its_doc_number(seed):
    doc = seed("sanmenxia")
    section = clause(doc, "p3.s4")
    assert section.label == "（四）"
    assert cite_all(doc)[section.id] == SANMENXIA_TITLE + "第（四）项"


def test_half_width_label_is_cited_with_full_width_brackets(seed):
    doc = seed("sanmenxia")
    assert clause(doc, "p3.s6").label == "(六)"
    assert cite_all(doc)[clause(doc, "p3.s6").id] == SANMENXIA_TITLE + "第（六）项"


def test_part_and_preamble(seed):
    doc = seed("luoshan")
    citations = cite_all(doc)
    prefix = "《罗山县人民政府关于进一步加强知识产权工作的实施意见》（罗政〔2021〕28号）"
    assert citations[clause(doc, "p2").id] == prefix + "第二部分"
    assert citations[clause(doc, "0").id] == prefix


def test_article_paragraph_is_a_kuan(patent_law):
    article = clause(patent_law, "c1.a20")
    assert len(article.paragraphs) == 2
    assert cite_paragraphs(patent_law)[article.id] == [PATENT_LAW + "第二十条第一款", PATENT_LAW + "第二十条第二款"]
    assert cite_all(patent_law)[article.id] == PATENT_LAW + "第二十条"


def test_single_paragraph_article_has_no_kuan(patent_law):
    article = clause(patent_law, "c1.a1")
    assert len(article.paragraphs) == 1
    assert article.id not in cite_paragraphs(patent_law)
    assert cite_all(patent_law)[article.id] == PATENT_LAW + "第一条"


def test_item_of_a_one_paragraph_article(patent_law):
    item = clause(patent_law, "c2.a24.i1")
    assert len(clause(patent_law, "c2.a24").paragraphs) == 1
    assert cite_all(patent_law)[item.id] == PATENT_LAW + "第二十四条第（一）项"


def test_item_of_a_two_paragraph_article_names_its_kuan(patent_law):
    # 第二十五条 has a second 款 ("对前款第（四）项所列产品的生产方法…") that itself cites
    # its items through 前款, so the items are cited with 第一款.
    item = clause(patent_law, "c2.a25.i1")
    assert item.paragraph == 1 and len(clause(patent_law, "c2.a25").paragraphs) == 2
    assert cite_all(patent_law)[item.id] == PATENT_LAW + "第二十五条第一款第（一）项"


def test_item_of_a_second_kuan():
    doc = ingest(RAW_DOCS / "著作权法(2020-11-11).md", root=RAW_DOCS)
    item = clause(doc, "c2.s2.a18.i1")
    assert item.paragraph == 2
    assert cite_all(doc)[item.id] == "《中华人民共和国著作权法》第十八条第二款第（一）项"


def test_sections_restarting_under_chapters_are_qualified():
    # 著作权法 numbers its 节 afresh in every chapter: 第二章第二节 is not 第四章第二节.
    doc = ingest(RAW_DOCS / "著作权法(2020-11-11).md", root=RAW_DOCS)
    assert cite_all(doc)[clause(doc, "c2.s2").id] == "《中华人民共和国著作权法》第二章第二节"
    assert cite_all(doc)[clause(doc, "c2.s2.a18").id] == "《中华人民共和国著作权法》第十八条"


def test_item_of_a_document_without_its_article_is_an_error(patent_law):
    # A Document assembled by hand may lose the article an item sits in: say which, never cite
    # the item as if it stood alone.
    article = clause(patent_law, "c2.a25")
    broken = replace(patent_law, clauses=[c for c in patent_law.clauses if c.id != article.id])
    with pytest.raises(CitationError, match="第二十五条"):
        cite_all(broken)


def test_chapter(patent_law):
    assert cite_all(patent_law)[clause(patent_law, "c2").id] == PATENT_LAW + "第二章"


def test_laws_are_cited_without_doc_number():
    doc = ingest(RAW_DOCS / "专利代理条例(2018-11-06).md", root=RAW_DOCS)
    assert doc.metadata.doc_number and doc.metadata.authority == "行政法规"
    assert cite_all(doc)[clause(doc, "c1.a1").id] == "《专利代理条例》第一条"


def test_restarting_items_are_qualified_with_their_section(seed):
    doc = seed("henan2022")
    citations = cite_all(doc)
    assert citations[clause(doc, "p4.s9.i1").id] == HENAN_2022 + "第（九）项第1点"
    assert citations[clause(doc, "p4.s10.i1").id] == HENAN_2022 + "第（十）项第1点"
    # Sections are numbered through the document, so they need no part.
    assert citations[clause(doc, "p4.s9").id] == HENAN_2022 + "第（九）项"


def test_number_the_source_repeats_stays_as_written(seed):
    doc = seed("henan2022")
    twins = [clause(doc, "p4.s13.i3"), clause(doc, "p4.s13.i3~2")]
    assert [cite_all(doc)[c.id] for c in twins] == [HENAN_2022 + "第（十三）项第3点"] * 2


def test_restarting_sections_are_qualified_with_their_part_and_unique_items_are_not(seed):
    doc = seed("heilongjiang")
    citations = cite_all(doc)
    assert citations[clause(doc, "p3.s1").id] == HEILONGJIANG + "第三部分第（一）项"
    assert citations[clause(doc, "p3.s1.i26").id] == HEILONGJIANG + "第26点"


def test_bullet_cites_its_numbered_ancestor(seed):
    doc = seed("henan2022")
    bullet = clause(doc, "p2.s2.b1")
    assert bullet.kind == "bullet"
    assert cite_all(doc)[bullet.id] == HENAN_2022 + "第（二）项"


def test_subitem_of_a_policy(seed):
    doc = seed("henan2009")
    subitems = [c for c in doc.clauses if c.kind == "subitem"]
    assert subitems
    assert cite_all(doc)[subitems[0].id].endswith(f"第（{subitems[0].number}）目")


def test_every_bundled_clause_has_a_citation(bundled):
    for doc in bundled.documents:
        citations = cite_all(doc)
        assert len(citations) == len(doc.clauses)
        assert all(c.startswith("《") for c in citations.values())


def test_a_document_without_a_title_cannot_be_cited(patent_law):
    untitled = replace(patent_law, metadata=replace(patent_law.metadata, title=""))
    with pytest.raises(CitationError, match="no title"):
        cite_all(untitled)
    with pytest.raises(CitationError, match="no title"):
        cite_paragraphs(untitled)


def test_an_article_of_a_hundred_paragraphs_cites_each_one(tmp_path):
    # A scraped rate table can leave an article with 100+ lines, each a 款 (it stopped the build).
    rows = [f"每件发明专利资助{n}00元。" for n in range(1, 106)]
    path = tmp_path / "rates.txt"
    path.write_text("罗山县专利资助办法\n\n第一条 资助标准如下：\n" + "\n".join(rows) + "\n第二条 本办法自印发之日起施行。\n",
                    encoding="utf-8")
    from search.ingest import ingest

    doc = ingest(path)
    first = next(c for c in doc.clauses if c.label == "第一条")
    citations = cite_paragraphs(doc)[first.id]
    assert len(citations) == len(first.paragraphs) >= 100
    assert citations[99] == "《罗山县专利资助办法》第一条第一百款"


# -- GB/T 7714-2015 reference entries --------------------------------------------------------

PATENT_AGENCY_PAGE = "gov.cn_content_5341736_专利代理条例.fragment.html"
CITED = "2026-12-02"  # the 引用日期 these entries are written on


@pytest.fixture(scope="module")
def patent_agency():
    return ingest(RAW_DOCS / PATENT_AGENCY_PAGE, root=RAW_DOCS)


def test_gbt7714_of_a_regulation(patent_agency):
    meta = patent_agency.metadata
    assert (meta.issuer, meta.doc_number, meta.date) == (("国务院",), "国令第706号", "2018-11-06")
    url = f"https://example.org/doc/{patent_agency.id}"
    # the 文号 canonical, as the order itself reads (中华人民共和国国务院令第706号): gov.cn's 国令 and the
    # national database's 国务院令 copies of the regulation give one entry
    assert cite_gbt7714(meta.to_dict(), url=url, cited=CITED) == \
        f"国务院. 专利代理条例: 国务院令第706号[A/OL]. (2018-11-06)[{CITED}]. {url}."


def test_gbt7714_of_a_clause_puts_its_position_after_the_year(seed):
    doc = seed("sanmenxia")
    section = clause(doc, "p3.s4")
    position = cite_all(doc)[section.id].removeprefix(SANMENXIA_TITLE)
    assert position == "第（四）项"
    url = f"https://example.org/clause/{section.id}"
    assert cite_gbt7714(doc.metadata.to_dict(), position, url, CITED) == (
        "三门峡市人民政府. 三门峡市人民政府关于加快实施知识产权战略的意见: 三政〔2014〕61号[A/OL]. "
        f"2014: 第（四）项(2014-11-30)[{CITED}]. {url}.")


def test_gbt7714_without_a_url_is_the_print_form(seed):
    meta = seed("heilongjiang").metadata
    entry = cite_gbt7714(meta.to_dict())
    assert entry == f"黑龙江省人民政府办公厅. {meta.title}[A]. 2016."
    assert "《黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见》" in entry  # a title's own 《》 stay


def test_gbt7714_names_joint_issuers_and_today_by_default():
    from datetime import date

    doc = ingest(RAW_DOCS / "最高人民法院、最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释(2004-12-08).md",
                 root=RAW_DOCS)
    entry = cite_gbt7714(doc.metadata.to_dict(), url="https://example.org/doc/x")
    assert entry.startswith("最高人民法院, 最高人民检察院. ")
    assert f"[{date.today().isoformat()}]" in entry


def test_gbt7714_of_no_title_is_empty(patent_agency):
    assert cite_gbt7714({**patent_agency.metadata.to_dict(), "title": " "}) == ""


def test_the_web_entry_of_a_hit_links_its_permalink(app, searchable, seed):
    from search.searching import get_clause, document_metadata
    from web.citations import gbt7714

    section = clause(seed("sanmenxia"), "p3.s4")
    hit = get_clause(searchable, section.id).to_dict()
    with app.test_request_context():
        entry = gbt7714(hit, section.id, cited=CITED)
        assert entry.endswith(f"2014: 第（四）项(2014-11-30)[{CITED}]. http://localhost/clause/{section.id}.")
        meta = document_metadata(searchable, section.doc_id)
        assert gbt7714(meta, section.doc_id, cited=CITED).endswith(
            f"[A/OL]. (2014-11-30)[{CITED}]. http://localhost/doc/{section.doc_id}.")
        assert gbt7714(hit, "f65f7c8919-p3.s5", cited=CITED) == ""  # not what the page cites


def test_the_web_entry_of_a_law_article_has_no_doc_number_in_its_position(app, searchable, patent_agency):
    from search.searching import get_clause
    from web.citations import gbt7714

    article = clause(patent_agency, "c1.a1")
    hit = get_clause(searchable, article.id).to_dict()
    assert hit["citation"] == "《专利代理条例》第一条"
    with app.test_request_context():
        assert f"[A/OL]. 2018: 第一条(2018-11-06)[{CITED}]. " in gbt7714(hit, article.id, cited=CITED)


def test_the_cite_box_offers_both_styles_to_copy(app, searchable, seed):
    from search.searching import get_clause
    from web.citations import gbt7714

    section = clause(seed("sanmenxia"), "p3.s4")
    hit = get_clause(searchable, section.id).to_dict()
    with app.test_request_context():
        template = app.jinja_env.get_template("_cite.html")
        both = template.render(citation=hit["citation"], cite_id=section.id, hit=hit, gbt7714=gbt7714)
        plain = template.render(citation=hit["citation"], cite_id=section.id, hit=hit)
    # the citation keeps its own input and button; the entry has its own, which app.js wires the same way
    assert both.count('class="copy-button"') == plain.count('class="copy-button"') == 1
    assert both.count('class="cite-text"') == plain.count('class="cite-text"') == 1
    assert f'<button type="button" class="copy-gbt" data-copy-target="gbt-{section.id}" hidden>' in both
    assert f'id="gbt-{section.id}"' in both  # the app registers gbt7714 for every page
    assert "三门峡市人民政府. 三门峡市人民政府关于加快实施知识产权战略的意见: 三政〔2014〕61号[A/OL]" in both
