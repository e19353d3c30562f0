"""How a search reads what people type, over the index of raw_docs/: questions, words inside words,
pasted citations, 文号 in the text, traditional characters, places, near words and passages."""
from __future__ import annotations

import random
from collections import defaultdict

import pytest

from search import settings
from search.analysis import normalize, segment
from search.errors import QuerySyntaxError
from search.everyday import EverydayDataError, expansions, load_everyday
from search.questions import content_words, is_question
from search.searching import search

from conftest import RAW_DOCS

PATENT_LAW = "《中华人民共和国专利法》"
UNFAIR_COMPETITION_LAW = "《中华人民共和国反不正当竞争法》"
TRADEMARK_LAW = "《中华人民共和国商标法》"


def citations(page) -> list[str]:
    return [h.citation for h in page.hits]


def cites(citation: str, gold: str) -> bool:
    """Tell whether a hit's citation is the gold clause or one of its 款 (…第六条 is not …第六十条)."""
    return citation.startswith(gold) and not citation[len(gold):len(gold) + 1].isdigit()


def rank_of(page, gold: str) -> int | None:
    return next((i for i, c in enumerate(citations(page), start=1) if cites(c, gold)), None)


# -- questions ------------------------------------------------------------------------------


@pytest.mark.parametrize("question,gold", [
    ("员工离职带走技术资料算侵犯商业秘密吗", UNFAIR_COMPETITION_LAW + "第九条"),
    ("公司的商标被别人抢注了怎么办", TRADEMARK_LAW + "第三十二条"),
    ("我们公司在郑州，申请专利有什么资助？", "《郑州市专利促进和保护条例》"),
])
def test_a_question_as_typed_finds_the_article_that_answers_it(searchable, question, gold):
    page = search(searchable, question)
    assert page.relaxed is not None and page.relaxed.exact_total == 0  # no clause holds every word
    assert rank_of(page, gold) is not None, citations(page)


def test_question_words_are_dropped_from_the_ranked_reading_and_said_so(searchable):
    relaxed = search(searchable, "发明专利能保护多少年？").relaxed
    assert {"能", "多少"} <= set(relaxed.dropped)  # and the lone character 年, which says little
    assert "能" not in relaxed.words and "发明专利" in relaxed.words


def test_exact_hits_come_first_then_the_ranked_ones(searchable):
    page = search(searchable, "商标 质押", per_page=50)
    exact = page.relaxed.exact_total
    assert 0 < exact < len(page.hits)
    def holds_both(h):
        text = normalize(h.title + h.heading + h.text)
        return "商标" in text and "质押" in text
    assert all(holds_both(h) for h in page.hits[:exact])
    assert not all(holds_both(h) for h in page.hits[exact:])


def test_a_quoted_phrase_that_is_nowhere_still_finds_nothing(searchable):
    page = search(searchable, '"专利质押贴息奖励办法" 怎么申请')
    assert page.total == 0 and not page.hits


def test_a_search_that_finds_enough_stays_exact(searchable):
    page = search(searchable, "质押融资")
    assert page.relaxed is None and page.total == 11


def test_everyday_words_bring_legal_terms_which_can_be_turned_off(searchable):
    on = search(searchable, "别人盗版我的软件怎么办")
    assert "侵犯著作权" in on.relaxed.expanded
    off = search(searchable, "别人盗版我的软件怎么办", legal_terms=False)
    assert off.relaxed.expanded == () and "侵犯著作权" not in off.relaxed.words
    assert on.total > off.total


def test_question_words_and_questions():
    assert content_words(("发明专利", "能", "保护", "多少", "年")) == ("发明专利", "保护", "年")
    assert is_question("商标怎么续展", ("商标", "怎么", "续展")) and is_question("专利？", ("专利",))
    assert not is_question("专利 质押", ("专利", "质押"))


def test_the_everyday_table_is_checked_and_one_character_says_only_whole_words(tmp_path):
    assert expansions("我想告他", ("我", "想", "告", "他"))  # 告 as a word
    assert not any("诉讼" in t for t in expansions("商标公告", ("商标", "公告")))  # 告 inside 公告
    bad = tmp_path / "everyday.toml"
    bad.write_text('[[expand]]\nsay = ["盗版"]\nmeans = []\n', encoding="utf-8")
    with pytest.raises(EverydayDataError, match="entry 1"):
        load_everyday(bad)
    bad.write_text('[[expand]]\nsay = ["盗版"]\nmeans = ["的"]\n', encoding="utf-8")
    with pytest.raises(EverydayDataError, match="no searchable word"):
        load_everyday(bad)


# -- words inside words ------------------------------------------------------------------------


def test_a_word_inside_a_longer_word_is_found(searchable):
    # 专利法第六条 says 职务发明创造, one jieba word: the quoted and the unquoted search both find it.
    assert rank_of(search(searchable, "职务发明", per_page=30), PATENT_LAW + "第六条") is not None
    assert search(searchable, "职务发明").total >= search(searchable, '"职务发明"').total


@pytest.mark.slow
def test_every_word_finds_at_least_what_it_finds_quoted(searchable):
    vocabulary = sorted(w for n in (2, 3, 4) for w, _ in searchable.vocabulary().by_length.get(n, ()))
    words = random.Random(12).sample(vocabulary, 300)
    for word in words:
        quoted = {h.clause_id for h in search(searchable, f'"{word}"', per_page=100).hits}
        if not quoted:
            continue
        unquoted = search(searchable, word, per_page=100)
        exact = unquoted.relaxed.exact_total if unquoted.relaxed else unquoted.total
        found = {h.clause_id for h in unquoted.hits[:exact]}
        assert exact >= len(quoted) and (quoted <= found or exact > 100), word


# -- citations and 文号 --------------------------------------------------------------------------


@pytest.mark.parametrize("typed,gold", [
    ("《中华人民共和国专利法》第六条", PATENT_LAW + "第六条"),
    ("《专利法》第六条第二款", PATENT_LAW + "第六条"),
    ("专利法第6条", PATENT_LAW + "第六条"),
    ("商标法实施条例第三十三条", "《中华人民共和国商标法实施条例》第三十三条"),
    ("商标法第二条是怎么规定的？", TRADEMARK_LAW + "第二条"),
    ("我想问商标法第二条", TRADEMARK_LAW + "第二条"),
])
def test_a_citation_as_typed_or_pasted_goes_to_its_article(searchable, typed, gold):
    assert cites(citations(search(searchable, typed))[0], gold)


@pytest.mark.slow
def test_every_clause_is_found_first_by_its_own_citation(searchable):
    by_citation = defaultdict(set)  # the source repeats a number now and then: twins share a citation
    for fields in searchable.searcher.all_stored_fields():
        if fields.get("citation"):
            by_citation[fields["citation"]].add(fields["clause_id"])
    missed = [c for c, ids in by_citation.items() if search(searchable, c, per_page=1).hits[0].clause_id not in ids]
    assert len(by_citation) > 2000 and missed == []


def test_a_bare_doc_number_finds_the_document_first_then_the_clauses_citing_it(searchable):
    page = search(searchable, "法释〔2022〕9号", per_page=50)
    bearing = [h for h in page.hits if h.doc_number == "法释〔2022〕9号"]
    assert bearing and page.hits[:len(bearing)] == tuple(bearing)
    cited = search(searchable, "中办发〔2019〕56号")
    assert cited.total >= 1 and all("中办发〔2019〕56号" in h.text for h in cited.hits)


def test_a_judicial_interpretation_gets_its_doc_number_from_its_text(searchable):
    hit = search(searchable, "最高人民法院关于第一审知识产权民事、行政案件管辖的若干规定第一条").hits[0]
    assert hit.doc_number == "法释〔2022〕13号"


# -- traditional characters, places, near words, passages -----------------------------------------


def test_traditional_characters_find_what_simplified_ones_do(searchable):
    traditional, simplified = search(searchable, "專利權 質押"), search(searchable, "专利权 质押")
    assert traditional.total == simplified.total > 0
    assert citations(traditional) == citations(simplified)
    assert traditional.query == "專利權 質押"  # shown as typed


def test_a_place_in_the_query_ranks_its_documents_first(searchable):
    first = search(searchable, "在北京申请专利有资金支持吗").hits[0]
    assert "北京市" in first.region


def test_a_word_no_clause_holds_gets_the_near_word_it_meant(searchable):
    page = search(searchable, "驰名商表")
    assert page.little.did_you_mean == (("驰名商表", "驰名商标"),)
    assert page.little.suggested_query == "驰名商标"
    # 职物 is one edit from 职责 (commoner) and 职务: the word after it says which
    assert dict(search(searchable, "职物发明的专利归谁").little.did_you_mean) == {"职物": "职务"}


def test_few_matches_say_how_many_clauses_hold_each_word(searchable):
    little = search(searchable, "贴息 质押融资").little
    assert dict(little.word_counts) == {"贴息": 3, "质押融资": 11}
    assert search(searchable, "专利").little is None


def test_a_pasted_passage_finds_the_clause_it_was_taken_from(searchable):
    law = (RAW_DOCS / "专利法(2020-10-17).md").read_text(encoding="utf-8")
    start = law.index("第二十二条")
    passage = law[start:start + 400]
    assert settings.MAX_QUERY_CHARS < len(passage) <= settings.MAX_PASSAGE_CHARS
    page = search(searchable, passage)
    assert page.relaxed.passage and cites(page.hits[0].citation, PATENT_LAW + "第二十二条")


def test_a_passage_past_the_limit_is_a_clear_error(searchable):
    with pytest.raises(QuerySyntaxError, match="最多 2000 个") as raised:
        search(searchable, "专利" * 1001)
    assert raised.value.code == "query_too_long"


# -- ranking ----------------------------------------------------------------------------------------


def test_a_bare_heading_never_outranks_a_clause_with_text(searchable):
    for q in ('"职务发明"', "职务发明", "法律责任", "附则", "商标注册"):
        kinds = [not h.text.strip() for h in search(searchable, q, per_page=100).hits]
        if True in kinds:
            assert kinds == sorted(kinds), q  # every clause with text before the first bare heading


def test_a_match_in_the_text_outranks_a_match_in_the_title_alone(searchable):
    first = search(searchable, "驰名商标").hits[0]
    assert "驰名商标" in normalize(first.text)


def test_segment_of_traditional_text_is_the_simplified_words():
    assert segment("商標續展") == ["商标", "续展"]


def test_a_quoted_phrase_holding_an_everyday_word_stays_exact(searchable):
    # 收费 is an everyday word of everyday.toml; quoted, it asks for exactly these characters
    page = search(searchable, '"收费应当遵"')
    assert page.relaxed is None
    assert all("收费应当遵" in normalize(h.heading + h.text) for h in page.hits) and page.total > 0
