"""The array query path answers as Whoosh's own matcher does: the same clauses, scores and order, on real indexes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from whoosh import query as Q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

from bench.queries import read_queries
from search.arrays import ArrayQueries
from search.build import build_index
from search.postings import PostingArrays
from search.searching import SearchIndex, _read_query

from conftest import PROJECT, RAW_DOCS, SEED_FILES

BENCH = PROJECT / "bench"


def _typed_queries() -> list[str]:
    """The bench's query mix and the relevance questions, as users typed them."""
    lines = [q.q for q in read_queries(BENCH / "queries.txt")]
    questions = [line.split("\t")[1] for line in (BENCH / "relevance.tsv").read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
    return list(dict.fromkeys(q for q in lines + questions if q))


def _trees(index: SearchIndex) -> list[Q.Query]:
    """Every Whoosh query the searches of the typed queries run (exact reading, ranked reading, pinned citation)."""
    trees = []
    for typed in _typed_queries():
        reading = _read_query(index, typed, True)
        trees += [t for t in (reading.plan.query, reading.plan.loose, reading.plan.first) if t is not None]
    return trees


# Node kinds the planner rarely builds, with Whoosh's quirks: a one-part Or drops its boost, a
# prefix of one term is that term, Not scores 1.0, AndNot and AndMaybe take no boost.
HAND_MADE = [
    Q.Or([Q.Term("text", "专利")], boost=3.0),
    Q.And([Q.Term("text", "专利"), Q.Term("text", "申请")], boost=0.5),
    Q.Prefix("grams", "専"), Q.Prefix("grams", "专"), Q.Prefix("grams", "利", boost=2.0),
    Q.NumericRange("article", 6, 6), Q.NumericRange("article", 10, 40),
    Q.And([Q.Term("law_names", "专利法"), Q.NumericRange("article", 20, 20)]),
    Q.And([Q.Term("text", "商标"), Q.Not(Q.Or([Q.Term("grams", "驰名"), Q.Phrase("grams", ["驰名", "名商"])]))]),
    Q.AndNot(Q.Term("text", "商标"), Q.Term("text", "注册")),
    Q.AndMaybe(Q.Term("text", "奖励"), Q.Term("region", "河南省", boost=8.0)),
    Q.Phrase("grams", ["知识", "识产", "产权"]), Q.Phrase("grams", ["人民", "民人", "人民"]),
    Q.Phrase("text", ["知识产权", "保护"], boost=1.5), Q.Phrase("title", ["中华人民共和国", "专利法"]),
    Q.Phrase("text", ["没有", "这样", "的话"]), Q.Term("text", "不在索引里的词"), Q.Term("nofield", "x"),
    Q.Every(), Q.Or([Q.Term("citation_keys", "专利法第六条"), Q.Term("doc_number_norm", "法释〔2020〕19号")]),
]


def assert_same_as_whoosh(index: SearchIndex, queries: ArrayQueries, tree: Q.Query) -> None:
    """The array path and Whoosh's matcher: the same documents, scores within float rounding, the same order."""
    whoosh = index.searcher.search(tree, limit=None).top_n
    ours = queries.ranked(tree)
    assert sorted(d for _, d in ours) == sorted(d for _, d in whoosh), repr(tree)
    theirs = dict((d, s) for s, d in whoosh)
    for score, docnum in ours:
        assert score == pytest.approx(theirs[docnum], rel=1e-9), repr(tree)
    # Sums of the same parts in another order may differ in the last bit: ties are ties to 9 digits.
    assert ([d for _, d in sorted(ours, key=lambda h: (-round(h[0], 9), h[1]))]
            == [d for _, d in sorted(whoosh, key=lambda h: (-round(h[0], 9), h[1]))]), repr(tree)
    assert queries.docs(tree).tolist() == sorted(index.searcher.docs_for_query(tree)), repr(tree)


def test_same_as_whoosh_on_the_bundled_index(searchable):
    queries = ArrayQueries(searchable.searcher)
    trees = _trees(searchable) + HAND_MADE
    assert len(trees) > 300
    matched = 0
    for tree in trees:
        assert_same_as_whoosh(searchable, queries, tree)
        matched += bool(queries.count(tree))
    assert matched > 0.6 * len(trees)  # about clauses found, not mostly empty answers (an exact question finds none)


@pytest.fixture(scope="module")
def changed_index(tmp_path_factory) -> Path:
    """raw_docs/ built, then one file changed and one removed: an index of two segments, the first with deletions."""
    source = tmp_path_factory.mktemp("src")
    shutil.copytree(RAW_DOCS, source, dirs_exist_ok=True)
    index_dir = tmp_path_factory.mktemp("ix")
    build_index(source, index_dir)
    seed = source / SEED_FILES["sanmenxia"]
    seed.write_bytes(seed.read_bytes() + "\n第九条 各级知识产权局负责专利奖励的组织实施。\n".encode())
    (source / SEED_FILES["luoshan"]).unlink()
    build_index(source, index_dir)
    return index_dir


def test_same_as_whoosh_across_segments_and_deletions(changed_index):
    index = SearchIndex(changed_index)
    try:
        reader = index.searcher.reader()
        assert not index.searcher.is_atomic() and reader.has_deletions()
        queries = ArrayQueries(index.searcher)
        assert len(queries.postings.segments) >= 2
        for tree in _trees(index) + HAND_MADE:
            assert_same_as_whoosh(index, queries, tree)
        # the deleted clauses of the changed and the removed file are never found
        assert queries.count(Q.Every()) == index.searcher.doc_count()
    finally:
        index.close()


def test_a_tiny_posting_budget_answers_the_same(searchable):
    """Postings dropped from the cache and read again answer the same."""
    small = ArrayQueries(searchable.searcher, PostingArrays(searchable.searcher.reader(), budget_mb=0))
    full = ArrayQueries(searchable.searcher)
    for tree in _trees(searchable)[:80]:
        assert small.ranked(tree) == full.ranked(tree)
    assert small.postings._held == 0


def test_field_lengths_read_in_one_piece_are_the_column_whoosh_wrote(changed_index):
    """Both ways of ranking read lengths through our codec, so they are checked against Whoosh's own column."""
    index = SearchIndex(changed_index)
    try:
        checked = 0
        for segment_reader, _ in index.searcher.reader().leaf_readers():
            perdoc = segment_reader._perdoc
            for field in ("title", "heading", "text"):
                column = _lenfield(field)
                if not perdoc.has_column(column):
                    continue
                whole = perdoc._cached_reader(column, LENGTHS_COLUMN)
                assert isinstance(whole, bytes) and len(whole) == segment_reader.doc_count_all()
                assert whole == bytes(perdoc.column_reader(column, LENGTHS_COLUMN)), (field, segment_reader)
                checked += 1
        assert checked >= 6  # three fields in each of the two segments
    finally:
        index.close()


HEADLESS = "奥林匹克标志保护条例(2018-06-28).md"  # no clause of it has a heading


@pytest.fixture(scope="module")
def headless_segment_index(tmp_path_factory) -> Path:
    """raw_docs/ built without one law whose clauses have no headings, then with it: its segment has no heading lengths."""
    source = tmp_path_factory.mktemp("src")
    shutil.copytree(RAW_DOCS, source, dirs_exist_ok=True)
    law = source / HEADLESS
    kept = law.read_bytes()
    law.unlink()
    index_dir = tmp_path_factory.mktemp("ix")
    build_index(source, index_dir)
    law.write_bytes(kept)
    build_index(source, index_dir)
    return index_dir


def test_same_as_whoosh_when_a_segment_has_no_lengths_of_a_field(headless_segment_index):
    index = SearchIndex(headless_segment_index)
    try:
        segments = [r for r, _ in index.searcher.reader().leaf_readers()]
        assert [r._perdoc.has_column(_lenfield("heading")) for r in segments].count(False) == 1
        queries = ArrayQueries(index.searcher)
        for tree in _trees(index) + HAND_MADE:
            assert_same_as_whoosh(index, queries, tree)
    finally:
        index.close()
