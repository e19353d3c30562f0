"""Versions, validity status and the 依据/引用 graph, on the index of raw_docs/: what a user reads on a page."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import RAW_DOCS, SEED_FILES
from search.build import build_index
from search.build.graph import resolve
from search.errors import DocumentNotFound, FilterError, IndexCorrupt
from search.ingest import document_id
from search.searching import (SearchIndex, clause_citers, document_metadata, get_clause, get_document, relations,
                              search, similar)
from search.store import GRAPH_NAME, META_NAME, RECORDS_NAME, REFERENCES_NAME, live_generation, sha256_of
from search.validity import STATUSES, Graph

RULES_2010 = document_id("专利法实施细则(2010-01-09).md")
RULES_2023 = document_id("专利法实施细则(2023-12-11).md")
PATENT_LAW = document_id("专利法(2020-10-17).md")
AMENDING = document_id("最高人民法院关于修改《最高人民法院关于审理侵犯专利权纠纷案件应用法律若干问题的解释（二）》"
                       "等十八件知识产权类司法解释的决定.md")
COURT_2018 = document_id("最高人民法院关于知识产权法庭若干问题的规定(2018-12-28).md")
COURT_2023 = document_id("最高人民法院关于知识产权法庭若干问题的规定(2023-10-21).md")
SANMENXIA = document_id(SEED_FILES["sanmenxia"])
LUOSHAN = document_id(SEED_FILES["luoshan"])


def _doc(searchable, doc_id):
    return relations(searchable, doc_id, as_of="2026-12-01")


# --- versions --------------------------------------------------------------------------------


def test_the_two_implementing_rules_form_one_chain_with_the_older_revised(searchable):
    old, new = _doc(searchable, RULES_2010), _doc(searchable, RULES_2023)
    assert [v["doc_id"] for v in old["versions"]] == [RULES_2010, RULES_2023] == [v["doc_id"] for v in new["versions"]]
    assert (old["next"], new["previous"]) == (RULES_2023, RULES_2010)
    assert old["status"]["value"] == "已被修订" and old["status"]["by"] == RULES_2023
    assert new["status"]["value"] == "现行有效"
    assert (old["version_label"], new["version_label"]) == ("（2010年版）", "（2023年修订）")


def test_a_status_is_the_one_on_the_day_asked(searchable):
    assert relations(searchable, RULES_2010, as_of="2015-06-01")["status"]["value"] == "现行有效"
    assert relations(searchable, RULES_2023, as_of="2015-06-01")["status"]["value"] == "尚未生效"
    # The 2023 text still says 本细则自2001年7月1日起施行: when the revision took effect is not written, so
    # for the year after it the status is 未知 (settings.UNSTATED_START_DAYS), and the reason says why.
    soon = relations(searchable, RULES_2023, as_of="2024年3月1日")["status"]
    assert soon["value"] == "未知" and "施行日期文本未写明" in soon["reason"] and "2001-07-01" in soon["reason"]
    later = relations(searchable, RULES_2023, as_of="2025-06-01")["status"]
    assert later["value"] == "现行有效" and later["since"] == ""
    # The 2018 rules of the IP tribunal took effect on 2019-01-01 (its history says so) and were revised in 2023.
    assert relations(searchable, COURT_2018, as_of="2018-12-31")["status"]["value"] == "尚未生效"
    assert relations(searchable, COURT_2018, as_of="2020-01-01")["status"]["value"] == "现行有效"
    assert relations(searchable, COURT_2018, as_of="2024-01-01")["status"]["value"] == "已被修订"
    # adopted 2023-10-16, in force 2023-11-01: in between, the 2018 text is still the one in force
    between = relations(searchable, COURT_2018, as_of="2023-10-25")["status"]
    assert between["value"] == "现行有效"
    assert relations(searchable, COURT_2023, as_of="2023-10-25")["status"]["value"] == "尚未生效"
    assert relations(searchable, COURT_2018, as_of="2023-11-01")["status"]["since"] == "2023-11-01"


def test_a_law_history_is_a_dated_list_of_events(searchable):
    events = _doc(searchable, PATENT_LAW)["events"]
    assert [e["date"] for e in events] == ["1984-03-12", "1992-09-04", "2000-08-25", "2008-12-27", "2020-10-17"]
    assert "第四次修正" in events[-1]["text"]


def test_a_citation_names_the_version_when_the_collection_holds_several(searchable):
    hits = get_document(searchable, RULES_2023)
    article = next(h for h in hits if h.label == "第十二条")
    assert article.citation.startswith("《中华人民共和国专利法实施细则》（2023年修订）第十二条")
    old = next(h for h in get_document(searchable, RULES_2010) if h.label == "第十二条")
    assert old.citation.startswith("《中华人民共和国专利法实施细则》（2010年版）第十二条")
    assert get_clause(searchable, article.clause_id).citation == article.citation  # the permalink keeps its version
    # one version only: no label
    law = next(h for h in get_document(searchable, PATENT_LAW) if h.label == "第二条")
    assert law.citation.startswith("《中华人民共和国专利法》第二条")
    assert document_metadata(searchable, RULES_2010)["citation"].startswith("《中华人民共和国专利法实施细则》（2010年版）")


def test_a_search_hit_carries_its_status_and_version(searchable):
    page = search(searchable, "专利法实施细则第十二条", as_of="2026-12-01")
    by_doc = {h.doc_id: h for h in page.hits}
    assert by_doc[RULES_2023].status == "现行有效" and by_doc[RULES_2023].version_label == "（2023年修订）"
    assert by_doc[RULES_2010].status == "已被修订"


def test_similar_clauses_put_the_other_version_apart(searchable):
    article = next(h for h in get_document(searchable, RULES_2010) if h.label == "第十二条")
    origin, hits, versions = similar(searchable, article.clause_id, limit=10)
    assert [v.doc_id for v in versions] == [RULES_2023]
    assert versions[0].score > 0.5
    assert not {h.doc_id for h in hits} & {RULES_2010, RULES_2023}, "the other version does not fill the list"


def test_one_text_in_two_copies_is_not_cited_as_a_version(searchable):
    # 专利代理条例 is here as the national database's Markdown and as gov.cn's page: one text
    copies = [document_id("专利代理条例(2018-11-06).md"), document_id("gov.cn_content_5341736_专利代理条例.fragment.html")]
    for doc_id in copies:
        data = _doc(searchable, doc_id)
        assert data["version_label"] == "" and data["previous"] is None and data["next"] is None
        assert not get_document(searchable, doc_id)[0].citation.endswith("版）")


def test_a_document_held_twice_is_one_version_not_a_revision(searchable):
    # The 2020 criminal interpretation (三) is in raw_docs/ twice, from two compilations, with the same dates.
    twins = [doc_id for doc_id, entry in searchable.graph().documents.items()
             if entry["title"].endswith("若干问题的解释（三）") and "刑事" in entry["title"]]
    assert len(twins) == 2
    for doc_id in twins:
        assert _doc(searchable, doc_id)["status"]["value"] == "现行有效"


# --- validity from the text ------------------------------------------------------------------


def test_the_amending_decision_is_linked_to_each_interpretation_it_amends(searchable):
    graph = searchable.graph()
    amended = [doc_id for doc_id, entry in graph.documents.items()
               if any(a["doc"] == AMENDING for a in entry["amended_by"])]
    # raw_docs/ holds most of the eighteen (each in its amended 2020 text): every one is linked
    held = {e["to_doc"] for e in graph.outgoing(AMENDING) if e["verb"] == "amends" and e["to_doc"]}
    assert len(held) >= 10 and set(amended) == held
    for doc_id in amended:
        entry = graph.documents[doc_id]
        link = next(a for a in entry["amended_by"] if a["doc"] == AMENDING)
        assert link["date"] == "2021-01-01"  # the decision's own 施行 day
        if entry["version_date"] >= "2020-12-23":  # the database's amended 2020 text: the amendment is history
            assert link["applied"] and graph.status(doc_id, "2026-12-01").value == "现行有效"
    # raw_docs/ holds the 2015 text of the patent-dispute rules, which the decision amended: out of date
    old = document_id("最高人民法院关于审理专利纠纷案件适用法律问题的若干规定(2015-01-29).md")
    assert old in amended
    assert graph.status(old, "2020-06-01").value == "现行有效"
    now = graph.status(old, "2026-12-01")
    assert (now.value, now.since, now.by) == ("已被修订", "2021-01-01", AMENDING)


def test_status_is_unknown_where_nothing_is_stated(searchable):
    graph = searchable.graph()
    silent = [d for d, e in graph.documents.items()
              if not e["start"] and not e["earlier_effective"] and not e["expires"] and not e["superseded"]
              and not e["repealed_by"]
              and not e["amended_by"] and e["date"] and e["date"] <= "2026-12-01"]
    assert silent, "raw_docs/ holds documents that state no effective date"
    assert {graph.status(d, "2026-12-01").value for d in silent} == {"未知"}


def test_every_status_value_is_one_of_the_six(searchable):
    values = set(searchable.graph().statuses("2026-12-01").values())
    assert values <= set(STATUSES) and "现行有效" in values and "已被修订" in values


# --- the 依据 / 引用 graph -------------------------------------------------------------------


def test_the_sanmenxia_opinion_rests_on_the_provincial_strategy_and_its_notice(searchable):
    data = _doc(searchable, SANMENXIA)
    rests = {(g["title"], g["doc_number"]) for g in data["rests_on"]}
    assert any("河南省知识产权战略纲要" in title for title, _ in rests)
    assert any(number == "豫政〔2013〕60号" for _, number in rests)
    outside = next(g for g in data["rests_on"] if "河南省知识产权战略纲要" in g["title"])
    assert outside["doc_id"] is None and not outside["held"], "kept, named, though we don't hold it"


def test_the_luoshan_opinion_cites_the_central_and_provincial_documents(searchable):
    numbers = {g["doc_number"] for key in ("rests_on", "cites") for g in _doc(searchable, LUOSHAN)[key]}
    assert {"中办发〔2019〕56号", "豫政〔2017〕17号", "豫办〔2020〕21号"} <= numbers


def test_an_interpretation_citing_a_law_article_resolves_to_that_article(searchable):
    graph = searchable.graph()
    to_patent_law = [e for e in graph.edges if e["to_doc"] == PATENT_LAW and e["to_clause"]]
    assert to_patent_law, "judicial interpretations cite 专利法第X条"
    hits = {h.clause_id: h for h in get_document(searchable, PATENT_LAW)}
    for edge in to_patent_law:
        assert hits[edge["to_clause"]].label == f"第{_chinese(edge['article'])}条"
    cited = to_patent_law[0]["to_clause"]
    assert {e["from_doc"] for e in clause_citers(searchable, cited)} >= {to_patent_law[0]["from_doc"]}


def test_the_patent_law_page_lists_who_cites_it(searchable):
    data = _doc(searchable, PATENT_LAW)
    citing = {g["doc_id"] for g in data["cited_by"]}
    assert RULES_2023 in citing and len(citing) >= 5


def test_the_graph_walks_upward_from_a_city_to_the_province_to_the_national_law(searchable):
    province = document_id("河南省专利保护条例(2005-12-02).md")
    up = relations(searchable, SANMENXIA, as_of="2026-12-01")["upward"]
    assert [(w["doc_id"], w["level"], w["depth"], w["via"]) for w in up] == [
        (province, "省", 1, SANMENXIA), (PATENT_LAW, "国家", 2, province)]
    down = relations(searchable, province, as_of="2026-12-01")["downward"]
    assert SANMENXIA in {w["doc_id"] for w in down}


def test_relations_of_an_unknown_document_and_a_bad_day_are_clear_errors(searchable):
    with pytest.raises(DocumentNotFound, match="没有编号"):
        relations(searchable, "0000000000")
    with pytest.raises(FilterError, match="无法识别") as caught:
        relations(searchable, RULES_2010, as_of="next tuesday")
    assert caught.value.code == "bad_as_of"


# --- status as a facet and a filter ---------------------------------------------------------


def test_status_is_a_facet_that_adds_up_and_a_filter(searchable):
    page = search(searchable, "专利", as_of="2026-12-01")
    counts = {v.value: v.count for v in page.facets["status"]}
    assert sum(counts.values()) == page.total and counts["已被修订"] > 0
    revised = search(searchable, "专利", filters={"status": ["已被修订"]}, as_of="2026-12-01", per_page=50)
    assert revised.total == counts["已被修订"]
    assert {h.status for h in revised.hits} == {"已被修订"}
    then = search(searchable, "专利法实施细则", filters={"status": ["尚未生效"]}, as_of="2015-06-01", one_per_doc=True,
                  per_page=50)
    assert RULES_2023 in {h.doc_id for h in then.hits} and RULES_2010 not in {h.doc_id for h in then.hits}
    assert page.as_of == "2026-12-01" and then.as_of == "2015-06-01"


def test_a_bad_status_filter_is_a_clear_error(searchable):
    with pytest.raises(FilterError, match="效力状态") as caught:
        search(searchable, "专利", filters={"status": ["有效"]})
    assert caught.value.code == "bad_status"


# --- builds ------------------------------------------------------------------------------------


def test_a_new_version_revises_the_old_without_reading_it_again(tmp_path):
    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    shutil.copy(RAW_DOCS / "专利法实施细则(2010-01-09).md", src)
    build_index(src, index)
    with _open(index) as first:
        assert relations(first, RULES_2010, as_of="2026-12-01")["status"]["value"] == "现行有效"
        assert relations(first, RULES_2010)["version_label"] == ""
    shutil.copy(RAW_DOCS / "专利法实施细则(2023-12-11).md", src)
    report = build_index(src, index)
    assert report.unchanged == ["专利法实施细则(2010-01-09).md"]
    with _open(index) as second:
        assert relations(second, RULES_2010, as_of="2026-12-01")["status"]["value"] == "已被修订"
        assert get_document(second, RULES_2010)[1].citation.startswith("《中华人民共和国专利法实施细则》（2010年版）")


def test_a_cut_off_title_or_number_never_stops_a_build(tmp_path):
    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    text = (RAW_DOCS / SEED_FILES["sanmenxia"]).read_text(encoding="utf-8")
    cut = text[:text.index("《") + 1]  # a scrape broken off inside a 《
    (src / "cut.txt").write_text(cut + "\n" + text[text.index("一、"):], encoding="utf-8")
    report = build_index(src, index)
    assert report.documents_in_index == 1


def test_self_and_circular_references_resolve_without_looping(searchable):
    records = json.loads((searchable.generation / RECORDS_NAME).read_text(encoding="utf-8"))["records"]
    old, new = records["专利法实施细则(2010-01-09).md"], records["专利法(2020-10-17).md"]
    law_title = new["title"]
    old = {**old, "references": [*old["references"],
                                 {"clause": old["references"][0]["clause"], "verb": "basis", "title": old["title"],
                                  "doc_number": "", "article": None, "text": "", "doc_number_norm": ""}]}
    new = {**new, "references": [*new["references"],
                                 {"clause": f"{PATENT_LAW}-x", "verb": "basis", "title": "中华人民共和国专利法实施细则",
                                  "doc_number": "", "article": 1, "text": "", "doc_number_norm": ""}]}
    graph = Graph(resolve([old, new]))
    assert not [e for e in graph.edges if e["from_doc"] == e["to_doc"]], "a self reference is dropped"
    assert {(e["from_doc"], e["to_doc"]) for e in graph.edges if e["to_doc"]} >= {(RULES_2010, PATENT_LAW),
                                                                                   (PATENT_LAW, RULES_2010)}
    up = graph.walk(RULES_2010, upward=True)
    assert [w["doc_id"] for w in up] == [PATENT_LAW], f"the cycle back to {law_title} ends"


def _records(searchable) -> dict:
    return json.loads((searchable.generation / RECORDS_NAME).read_text(encoding="utf-8"))["records"]


def test_both_copies_of_a_version_give_way_to_the_next(searchable):
    """The 2018 rules of the IP tribunal held twice (a second compilation of the same text), and its 2023 revision."""
    records = _records(searchable)
    old = records["最高人民法院关于知识产权法庭若干问题的规定(2018-12-28).md"]
    new = records["最高人民法院关于知识产权法庭若干问题的规定(2023-10-21).md"]
    copy = {**old, "doc_id": "c0c0c0c0c0", "source": "copy/" + old["source"]}
    graph = Graph(resolve([old, copy, new]))
    for doc_id in (COURT_2018, "c0c0c0c0c0"):
        assert graph.status(doc_id, "2026-12-01").value == "已被修订"
        assert graph.documents[doc_id]["next"] == COURT_2023
    assert graph.documents[COURT_2023]["previous"] in (COURT_2018, "c0c0c0c0c0")
    assert graph.version_label(COURT_2018) == graph.version_label("c0c0c0c0c0") == "（2018年版）"


def test_a_repeal_by_number_between_untitled_documents_is_kept(searchable):
    """Two seed notices with their titles taken away: the later repeals the earlier by its 文号."""
    records = _records(searchable)
    earlier, later = records[SEED_FILES["sanmenxia"]], records[SEED_FILES["luoshan"]]
    earlier = {**earlier, "title": "", "act": ""}
    repeal = {"clause": later["references"][0]["clause"], "verb": "repeals", "title": "",
              "doc_number": earlier["doc_number"], "article": None, "text": earlier["doc_number"],
              "doc_number_norm": earlier["doc_number_norm"]}
    later = {**later, "title": "", "act": "", "repeals": [repeal], "references": [*later["references"], repeal]}
    graph = Graph(resolve([earlier, later]))
    assert graph.documents[SANMENXIA]["repealed_by"][0]["doc"] == LUOSHAN
    assert graph.status(SANMENXIA, "2026-12-01").value == "已废止"


def test_a_reference_resolves_to_the_version_in_force_on_the_citing_day(searchable):
    records = _records(searchable)
    court = [records["最高人民法院关于知识产权法庭若干问题的规定(2018-12-28).md"],
             records["最高人民法院关于知识产权法庭若干问题的规定(2023-10-21).md"]]
    citing = records[SEED_FILES["luoshan"]]
    ref = {"clause": citing["references"][0]["clause"], "verb": "basis", "title": court[0]["title"],
           "doc_number": "", "article": None, "text": court[0]["title"], "doc_number_norm": ""}
    for day, expected in (("2023-10-25", COURT_2018), ("2023-11-02", COURT_2023)):
        graph = Graph(resolve([*court, {**citing, "date": day, "references": [ref]}]))
        assert [e["to_doc"] for e in graph.outgoing(LUOSHAN)] == [expected]


def test_a_record_follows_its_file_when_it_changes_or_goes(tmp_path):
    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    for name in ("专利法实施细则(2010-01-09).md", "专利法实施细则(2023-12-11).md"):
        shutil.copy(RAW_DOCS / name, src)
    build_index(src, index)
    with _open(index) as opened:
        assert relations(opened, RULES_2010, as_of="2026-12-01")["status"]["value"] == "已被修订"
    (src / "专利法实施细则(2023-12-11).md").unlink()
    build_index(src, index)
    with _open(index) as opened:
        data = relations(opened, RULES_2010, as_of="2026-12-01")
        assert data["status"]["value"] == "现行有效" and data["next"] is None
    # a file whose bytes change is read again: the same name now holds the 2023 text
    shutil.copy(RAW_DOCS / "专利法实施细则(2023-12-11).md", src / "专利法实施细则(2010-01-09).md")
    report = build_index(src, index)
    assert report.updated == ["专利法实施细则(2010-01-09).md"]
    with _open(index) as opened:
        records = json.loads((opened.generation / RECORDS_NAME).read_text(encoding="utf-8"))["records"]
        assert records["专利法实施细则(2010-01-09).md"]["version_date"] == "2023-12-11"


def _open(index_dir):
    from contextlib import closing

    return closing(SearchIndex(index_dir))


def _chinese(number: int) -> str:
    import cn2an

    return cn2an.an2cn(number)


def test_a_decision_repealing_a_law_we_hold_makes_it_repealed_from_that_day(tmp_path):
    """北京's 2021 decision repealing four local regulations, from the scale corpus, beside raw_docs/' 北京市反不正当竞争条例."""
    import tarfile

    from conftest import SHARED

    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    member = "LawRefBook-Laws/DLC/北京地方法规/地方性法规/北京/北京市人民代表大会常务委员会关于废止部分地方性法规的决定.md"
    with tarfile.open(SHARED / "corpus" / "scale" / "laws.tar.gz") as archive:
        (src / "北京市废止决定.md").write_bytes(archive.extractfile(member).read())
    shutil.copy(RAW_DOCS / "北京市反不正当竞争条例.md", src)
    build_index(src, index)
    law, decision = document_id("北京市反不正当竞争条例.md"), document_id("北京市废止决定.md")
    with _open(index) as opened:
        assert relations(opened, law, as_of="2021-09-23")["status"]["value"] == "现行有效"
        now = relations(opened, law, as_of="2026-12-01")
        assert now["status"]["value"] == "已废止" and now["status"]["since"] == "2021-09-24"
        assert now["status"]["by"] == decision and now["repealed_by"][0]["doc"] == decision
        assert "废止" in now["status"]["reason"]
        cited = {g["doc_id"]: g["verbs"] for g in relations(opened, decision)["cites"]}
        assert cited[law] == ["废止"]
        outside = [g for g in relations(opened, decision)["cites"] if g["doc_id"] is None]
        assert {g["title"] for g in outside} >= {"北京市邮政通信条例", "北京市信息化促进条例"}
        page = search(opened, "不正当竞争", filters={"status": ["已废止"]}, as_of="2026-12-01")
        assert page.total and {h.doc_id for h in page.hits} == {law}


def test_a_stated_term_of_validity_ends_in_force(tmp_path):
    """No document here states a 有效期 for itself, so a sidecar states one for the Luoshan opinion (issued 2021)."""
    src, index = tmp_path / "src", tmp_path / "index"
    src.mkdir()
    shutil.copy(RAW_DOCS / SEED_FILES["luoshan"], src / "luoshan.txt")
    (src / "luoshan.meta.json").write_text('{"effective": "2021-12-15", "expires": "2025-12-31"}', encoding="utf-8")
    build_index(src, index)
    doc = document_id("luoshan.txt")
    with _open(index) as opened:
        assert relations(opened, doc, as_of="2021-12-01")["status"]["value"] == "尚未生效"
        assert relations(opened, doc, as_of="2023-06-01")["status"]["value"] == "现行有效"
        after = relations(opened, doc, as_of="2026-01-01")["status"]
        assert (after["value"], after["since"]) == ("已过有效期", "2025-12-31")


@pytest.fixture
def bundled_copy(bundled_index, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(bundled_index, copy)
    return copy


def test_a_document_page_still_has_its_references_after_a_build_removed_the_generation(bundled_copy):
    """A search reads statuses only; the references come on first use, from the file opened with the graph."""
    with _open(bundled_copy) as index:
        assert search(index, "专利权").total
        # what a build does to the generation it replaces, before this process saw a document page
        (live_generation(bundled_copy) / REFERENCES_NAME).unlink()
        cited_by = {g["doc_id"] for g in relations(index, PATENT_LAW, as_of="2026-12-01")["cited_by"]}
        assert RULES_2023 in cited_by


def test_damaged_references_are_a_damaged_index_not_a_crash(bundled_copy):
    with _open(bundled_copy) as index:
        assert search(index, "专利权").total
        (live_generation(bundled_copy) / REFERENCES_NAME).write_bytes(b'{"edges": [')  # rewritten in place
        with pytest.raises(IndexCorrupt, match=REFERENCES_NAME):
            relations(index, PATENT_LAW, as_of="2026-12-01")


def test_a_generation_whose_graph_holds_its_references_still_shows_them(bundled_copy):
    """As a build wrote it before references had a file of their own: no rebuild needed."""
    generation = live_generation(bundled_copy)
    graph = json.loads((generation / GRAPH_NAME).read_text(encoding="utf-8"))
    graph["edges"] = json.loads((generation / REFERENCES_NAME).read_text(encoding="utf-8"))["edges"]
    (generation / GRAPH_NAME).write_text(json.dumps(graph, ensure_ascii=False), encoding="utf-8")
    (generation / REFERENCES_NAME).unlink()
    meta = json.loads((generation / META_NAME).read_text(encoding="utf-8"))
    del meta["files"][REFERENCES_NAME], meta["identities"][REFERENCES_NAME]
    meta["files"][GRAPH_NAME] = sha256_of(generation / GRAPH_NAME)
    (generation / META_NAME).write_text(json.dumps(meta), encoding="utf-8")
    with _open(bundled_copy) as index:
        assert RULES_2023 in {g["doc_id"] for g in relations(index, PATENT_LAW, as_of="2026-12-01")["cited_by"]}
