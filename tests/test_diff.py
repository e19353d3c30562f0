"""新旧对照 of the bundled 专利法实施细则 2010 and 2023, as a law firm's table would show it."""
from __future__ import annotations

import json
import re
import time

import pytest
from flask import render_template

from search.diff import CHANGES, Segment, diff_documents, diff_versions, format_diff, segments
from search.errors import DocumentNotFound
from search.models import Hit, PathStep
from search.searching import get_document

from conftest import SEED_FILES

RULES_2010 = "专利法实施细则(2010-01-09).md"
RULES_2023 = "专利法实施细则(2023-12-11).md"


def _doc_id(bundled, source: str) -> str:
    return next(d.id for d in bundled.documents if d.metadata.source == source)


@pytest.fixture(scope="module")
def ids(bundled):
    return _doc_id(bundled, RULES_2010), _doc_id(bundled, RULES_2023)


@pytest.fixture(scope="module")
def rules(searchable, ids):
    """The 2023 revision of the 细则 compared with the 2010 one."""
    return diff_versions(searchable, *ids)


def _by_new(diff, label):
    return next(a for a in diff.articles if a.new_label == label)


def _by_old(diff, label):
    return next(a for a in diff.articles if a.old_label == label)


def test_the_2023_chapter_on_term_compensation_is_all_new(rules):
    chapter = [a for a in rules.articles if a.new_path and a.new_path[0].heading == "专利权期限补偿"]
    assert [a.new_label for a in chapter] == [f"第{n}条" for n in
                                              ("七十七", "七十八", "七十九", "八十", "八十一", "八十二", "八十三", "八十四")]
    assert {a.change for a in chapter} == {"added"}
    assert all(a.old_clause_id is None and a.old_text == "" and a.similarity == 0.0 for a in chapter)


def test_open_licensing_and_good_faith_are_added_in_2023(rules):
    open_licensing = [a.new_label for a in rules.articles if a.change == "added" and "开放许可" in a.new_text]
    assert open_licensing == ["第八十五条", "第八十六条", "第八十七条", "第八十八条"]
    assert [s.to_dict() for s in _by_new(rules, "第八十五条").new_path] == [{"label": "第六章", "heading": "专利实施的特别许可"}]
    good_faith = _by_new(rules, "第十一条")
    assert good_faith.change == "added" and good_faith.new_text.startswith("申请专利应当遵循诚实信用原则")


def test_the_patent_reexamination_board_articles_are_removed(rules):
    # 2023 folds the 专利复审委员会 into the 国务院专利行政部门: the two articles about the board itself go.
    removed = [a for a in rules.articles if a.change == "removed"]
    assert [a.old_label for a in removed] == ["第五十九条", "第六十二条", "第八十条", "第一百二十一条"]
    assert removed[0].old_text.startswith("专利复审委员会由国务院专利行政部门指定的技术专家和法律专家组成")
    assert all(a.new_clause_id is None and a.new_label == "" for a in removed)


def test_an_article_that_only_moved_is_renumbered_not_changed(rules):
    filing_date = _by_old(rules, "第十一条")  # 申请日: pushed down by the new 第十一条 (诚实信用)
    assert (filing_date.new_label, filing_date.change, filing_date.renumbered) == ("第十二条", "same", True)
    assert filing_date.similarity == 1.0 and [s.kind for s in filing_date.segments] == ["same"]
    # after the two new chapters the same article is sixteen numbers further on
    infringement = _by_old(rules, "第八十一条")
    assert (infringement.new_label, infringement.change, infringement.renumbered) == ("第九十七条", "same", True)


def test_an_amended_article_keeps_its_pair_and_marks_the_wording(rules):
    article = _by_old(rules, "第八条")
    assert (article.new_label, article.change, article.renumbered) == ("第八条", "changed", False)
    kinds = [(s.kind, s.text) for s in article.segments]
    # the cited article of the 专利法 moved from 第二十条 to 第十九条: one change, not [-二]十[+九]
    assert kinds[:4] == [("same", "专利法第"), ("removed", "二十"), ("added", "十九"),
                         ("same", "条所称在中国完成的发明或者实用新型，是指技术方案的实质性内容在中国境内完成的发明或者实用新型。\n任何单位或者个人将在中国完成的发明或者实用新型向外国申请专利的，应当按照下列方式之一请求国务院专利行政部门进行保密审查：\n")]


def test_a_rewritten_article_is_paired_with_its_successor(rules):
    # 报酬 without an agreement: the 2% / 0.2% formula becomes a reference to the 促进科技成果转化法
    pay = _by_old(rules, "第七十八条")
    assert (pay.new_label, pay.change, pay.renumbered) == ("第九十四条", "changed", True)
    assert 0.4 <= pay.similarity < 0.5
    assert "促进科技成果转化法" in "".join(s.text for s in pay.segments if s.kind == "added")


def test_changed_articles_segments_rebuild_both_texts(rules):
    changed = [a for a in rules.articles if a.change == "changed"]
    assert len(changed) > 50
    for a in rules.articles:
        assert "".join(s.text for s in a.segments if s.kind != "added") == a.old_text, a.old_label
        assert "".join(s.text for s in a.segments if s.kind != "removed") == a.new_text, a.new_label
        assert all(s.text for s in a.segments)


def test_the_rows_follow_both_versions_order(rules, searchable, ids):
    old_articles = [h.clause_id for h in get_document(searchable, ids[0]) if h.kind == "article"]
    new_articles = [h.clause_id for h in get_document(searchable, ids[1]) if h.kind == "article"]
    assert [a.old_clause_id for a in rules.articles if a.old_clause_id] == old_articles
    assert [a.new_clause_id for a in rules.articles if a.new_clause_id] == new_articles
    # a removed article stands where it stood: right after the old article before it
    rows = [(a.old_label, a.new_label) for a in rules.articles]
    assert rows.index(("第五十九条", "")) == rows.index(("第五十八条", "第六十四条")) + 1


def test_counts_add_up_to_the_articles_of_both_versions(rules):
    assert set(rules.counts) == set(CHANGES)
    assert sum(rules.counts.values()) == len(rules.articles)
    paired = rules.counts["same"] + rules.counts["changed"]
    assert paired + rules.counts["removed"] == 123 and paired + rules.counts["added"] == 149
    assert rules.counts["added"] == 30 and rules.counts["removed"] == 4


def test_a_document_diffed_with_itself_is_all_same(searchable, ids):
    diff = diff_versions(searchable, ids[1], ids[1])
    assert diff.counts == {"same": 149, "changed": 0, "added": 0, "removed": 0}
    assert diff.renumbered == 0 and {a.similarity for a in diff.articles} == {1.0}
    assert all(a.old_clause_id == a.new_clause_id for a in diff.articles)


def test_a_document_without_articles_compares_all_its_clauses(searchable, bundled):
    doc_id = _doc_id(bundled, SEED_FILES["henan2022"])  # a 规划: 一、 (一) —— , no 条
    hits = get_document(searchable, doc_id)
    assert not any(h.kind == "article" for h in hits)
    diff = diff_versions(searchable, doc_id, doc_id)
    assert [a.new_clause_id for a in diff.articles] == [h.clause_id for h in hits]
    assert diff.counts["same"] == len(hits)
    # a heading on its own line is the wording of its clause, not an empty text every such clause shares
    requirements = next(a for a in diff.articles if a.new_label == "二、")
    assert requirements.new_text == "总体要求"


def test_the_diff_is_fast(searchable, ids):
    diff_versions(searchable, *ids)  # the first call pays for opening the stored fields
    start = time.perf_counter()
    diff_versions(searchable, *ids)
    assert time.perf_counter() - start < 1.0


def test_to_dict_is_the_json_shape_with_each_articles_chapter(rules):
    data = json.loads(json.dumps(rules.to_dict(), ensure_ascii=False))
    assert data["old_title"] == data["new_title"] == "中华人民共和国专利法实施细则"
    assert data["new_date"] == "2023-12-11" and data["counts"] == rules.counts
    assert data["renumbered"] == rules.renumbered
    row = next(a for a in data["articles"] if a["new_label"] == "第七十七条")
    assert row["path"] == row["new_path"] == [{"label": "第五章", "heading": "专利权期限补偿"}]
    assert row["old_path"] == [] and row["change_label"] == "新增"
    removed = next(a for a in data["articles"] if a["old_label"] == "第五十九条")
    assert removed["path"] == removed["old_path"] and removed["path"][0]["label"] == "第四章"


def test_format_diff_prints_a_summary_and_a_block_per_change(rules):
    text = format_diff(rules)
    first = text.splitlines()[0]
    assert first.startswith("《中华人民共和国专利法实施细则》") and "新增 30 条，删除 4 条" in first
    assert "【新增】第七十七条（第五章 专利权期限补偿）\n[+依照专利法第四十二条第二款的规定请求给予专利权期限补偿的" in text
    assert "【删除】第五十九条（第四章 专利申请的复审与专利权的无效宣告）\n[-专利复审委员会由" in text
    assert re.search(r"【修改】第八条（第一章 总 ?则）\n专利法第\[-二十\]\[\+十九\]条所称", text)
    assert "【修改】第七十八条→第九十四条" in text
    # an article that only moved gets no block, only its place in the one line of renumbered articles
    assert "】第十一条→第十二条" not in text and "第十一条→第十二条、" in text.splitlines()[-1]


def test_segments_fold_coincidental_shared_characters_into_the_change():
    # 第五条: the 的 both versions share is no run of its own
    assert [(s.kind, s.text) for s in segments("各种期限的第一日不计算", "各种期限开始的当日不计算")] == [
        ("same", "各种期限"), ("removed", "的第一"), ("added", "开始的当"), ("same", "日不计算")]
    assert segments("", "") == () and segments("新增", "新增") == (Segment("same", "新增"),)
    assert [s.kind for s in segments("", "新增条文")] == ["added"]


def _hit(clause_id: str, label: str, text: str) -> Hit:
    return Hit(clause_id=clause_id, doc_id=clause_id.split("-")[0], title="<b>条例</b>", issuer=(), doc_number="",
               date="2020-01-01", year=2020, level="", region=(), label=label, path=(PathStep("第一章", "总则"),),
               heading="", text=text, highlight="", ip_types=(), agencies=(), citation="", score=0.0, kind="article")


def test_hits_without_metadata_give_titles_and_dates_from_the_hits():
    diff = diff_documents([_hit("a-1", "第一条", "甲")], [_hit("b-1", "第1条", "甲"), _hit("b-2", "第2条", "乙")])
    assert (diff.old_id, diff.new_id, diff.old_title, diff.new_date) == ("a", "b", "<b>条例</b>", "2020-01-01")
    # 第一条 and 第1条 are one number
    assert [(a.change, a.renumbered) for a in diff.articles] == [("same", False), ("added", False)]


def test_an_unknown_document_is_refused(searchable, ids):
    with pytest.raises(DocumentNotFound):
        diff_versions(searchable, ids[0], "no-such-document")


def test_the_page_marks_deletions_and_insertions_under_each_chapter(app, rules, searchable, ids):
    from search.searching import document_metadata

    with app.test_request_context():
        html = render_template("diff.html", diff=rules.to_dict(), old_meta=document_metadata(searchable, ids[0]),
                               new_meta=document_metadata(searchable, ids[1]))
    assert "新旧对照：中华人民共和国专利法实施细则" in html
    assert "共 153 条：新增 30 条，删除 4 条" in html
    assert '<th scope="rowgroup" colspan="3">第五章 专利权期限补偿</th>' in html
    assert "专利法第<del>二十</del>条所称" in html and "专利法第<ins>十九</ins>条所称" in html
    assert "<del>专利复审委员会由国务院专利行政部门指定的技术专家和法律专家组成" in html
    assert html.count('class="diff-row diff-') == len(rules.articles)


def test_the_page_escapes_every_text(app):
    old = [_hit("a-1", "第一条", "<script>alert(1)</script>甲")]
    new = [_hit("b-1", "第一条", "<script>alert(2)</script>乙")]
    diff = diff_documents(old, new)
    with app.test_request_context():
        html = render_template("diff.html", diff=diff.to_dict(), old_meta={}, new_meta={})
    assert "<script>alert" not in html and "<b>条例</b>" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;条例&lt;/b&gt;" in html
