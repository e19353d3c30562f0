"""Facet arrays stay aligned with the index whatever its segments hold: documents without a year, issuer or region."""
from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pytest

from search.build import build_index
from search.errors import IndexCorrupt
from search.facets import FacetTable, SegmentPart
from search.store import FACETS_NAME, VOCABULARY_NAME
from search.suggest import Vocabulary
from search.searching import FACETS, SearchIndex, get_document, search
from search.facetspec import FACET_BY_NAME, SEARCH_FACETS, FacetSpec

from conftest import RAW_DOCS, SEED_FILES

LAW = "特殊标志管理条例(1996-07-13).md"
ARTICLE_LINE = re.compile(r"^第[一二三四五六七八九十]+条")


def undated_law(path):
    """Write the title and first two articles of a real regulation, without its dated history line."""
    lines = (RAW_DOCS / LAW).read_text(encoding="utf-8").splitlines()
    articles = [line for line in lines if ARTICLE_LINE.match(line)][:2]
    path.write_text("特殊标志管理条例\n\n" + "\n\n".join(articles) + "\n", encoding="utf-8")


@pytest.fixture
def dated_then_undated(tmp_path):
    """An index of three dated documents, then an incremental build adding one without a date."""
    src = tmp_path / "src"
    src.mkdir()
    for name in (SEED_FILES["luoshan"], SEED_FILES["sanmenxia"], LAW):
        shutil.copy(RAW_DOCS / name, src / name)
    index = tmp_path / "index"
    build_index(src, index)
    undated_law(src / "undated.txt")
    report = build_index(src, index)
    assert report.added == ["undated.txt"] and not report.rebuilt
    return index


def test_a_document_without_a_date_added_incrementally_leaves_search_working(dated_then_undated):
    index = SearchIndex(dated_then_undated)
    try:
        everything = search(index, "")
        years = {v.value: v.count for v in everything.facets["year"]}
        assert "2147483647" not in years  # a missing year is no year, not the column's default
        assert set(years) == {"2014", "2021", "1996"}
        assert sum(years.values()) == everything.total - 2  # the undated document's two articles
        for f in FACETS:
            assert all(v.count > 0 for v in everything.facets[f.name])
        patent = search(index, "特殊标志")
        undated = next(h for h in patent.hits if h.year is None)
        assert [h.label for h in get_document(index, undated.doc_id)] == ["第一条", "第二条"]
        by_year = search(index, "", filters={"year": ["2014"]})
        assert by_year.total == years["2014"]
        assert all(h.year == 2014 for h in by_year.hits)
    finally:
        index.close()


def test_facet_counts_match_the_stored_values_after_incremental_builds(dated_then_undated):
    index = SearchIndex(dated_then_undated)
    try:
        page = search(index, "", per_page=100)
        assert page.total == len(page.hits)
        for name, attribute in (("year", "year"), ("level", "level"), ("issuer", "issuer"), ("region", "region"),
                                ("ip_type", "ip_types")):
            counted = {v.value: v.count for v in page.facets[name]}
            stored: dict[str, int] = {}
            for hit in page.hits:
                value = getattr(hit, attribute)
                for v in (value if isinstance(value, tuple) else (value,)):
                    if v not in (None, ""):
                        stored[str(v)] = stored.get(str(v), 0) + 1
            assert counted == stored, name
    finally:
        index.close()


# -- the table a build saves beside its generation -------------------------------------------


def _same_table(saved: FacetTable, read: FacetTable) -> None:
    assert saved.size == read.size and saved.doc_names == read.doc_names
    for name in (*FacetTable.SAVED, "rank_factor"):
        assert np.array_equal(getattr(saved, name), getattr(read, name)), name
    for name, facet in read.facets.items():
        assert saved.facets[name].names == facet.names
        assert np.array_equal(saved.facets[name].pair_doc, facet.pair_doc)
        assert np.array_equal(saved.facets[name].pair_value, facet.pair_value)


def test_each_build_saves_the_facet_table_and_vocabulary_of_its_own_generation(dated_then_undated):
    index = SearchIndex(dated_then_undated)
    try:
        saved = index.generation / FACETS_NAME
        meta = json.loads((index.generation / "meta.json").read_text(encoding="utf-8"))
        assert FACETS_NAME in meta["files"]  # checksummed like the index files
        loaded = index.facets()
        # the incremental build's table, not the first build's linked over: the undated law is in it
        assert loaded.size == index.searcher.doc_count_all() == len(loaded.live)
        _same_table(FacetTable.load(saved, loaded.size), FacetTable(index.searcher.reader()))
        # the words "did you mean" and inside-word matching look in, saved the same way
        assert VOCABULARY_NAME in meta["files"]
        assert index.vocabulary() == Vocabulary.of(index.searcher.reader())
        assert index.vocabulary().frequency["标志"] >= 2
        assert sum(h.year is None for h in search(index, "特殊标志", per_page=100).hits) == 2  # the undated copy
    finally:
        index.close()


def test_a_damaged_facet_table_is_a_damaged_index(dated_then_undated):
    index = SearchIndex(dated_then_undated)
    index.close()
    saved = index.generation / FACETS_NAME
    saved.write_bytes(saved.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(IndexCorrupt, match=FACETS_NAME):
        SearchIndex(dated_then_undated)


def test_an_index_built_before_tables_were_saved_still_counts_facets_and_suggests_words(dated_then_undated):
    index = SearchIndex(dated_then_undated)
    try:
        before = search(index, "", per_page=5).facets
    finally:
        index.close()
    generation = index.generation
    meta_path = generation / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for name in (FACETS_NAME, VOCABULARY_NAME):
        (generation / name).unlink()
        del meta["files"][name]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    index = SearchIndex(dated_then_undated)
    try:
        assert search(index, "", per_page=5).facets == before
        assert search(index, "特殊标志").little is None and search(index, "特殊标智").little.did_you_mean
    finally:
        index.close()


# -- the facet spec is the one list of facets -----------------------------------------------

FACET_PARAM = re.compile(r'<section class="facet" data-facet="([a-z_]+)">\s*<h3>([^<]+)</h3>')


def test_the_spec_names_each_facet_and_field_once():
    assert all(isinstance(f, FacetSpec) for f in FACETS)
    assert len({f.name for f in FACETS}) == len({f.field for f in FACETS}) == len(FACETS)
    assert list(FACET_BY_NAME) == [f.name for f in SEARCH_FACETS]
    assert [f.name for f in SEARCH_FACETS if f.computed] == ["status"], "the one facet no index field holds"
    with pytest.raises(ValueError):
        FacetSpec("bogus", "bogus", "假", "clauses.ip_types")  # gathered over clauses, yet one value


def test_the_schema_has_one_field_per_facet_of_the_kind_the_spec_says():
    import pickle

    from search.schema import SCHEMA
    from whoosh.fields import ID, KEYWORD, NUMERIC

    for f in FACETS:
        expected = (NUMERIC(int, stored=True, sortable=True) if f.numeric
                    else KEYWORD(commas=True, stored=True, lowercase=False, scorable=False) if f.multi
                    else ID(stored=True))
        # Pickled, as the index holds them: a NUMERIC's struct and column compare by identity.
        assert pickle.dumps(SCHEMA[f.field]) == pickle.dumps(expected), f.name
    comma_fields = [name for name, field in SCHEMA.items() if isinstance(field, KEYWORD) and field.stored]
    assert sorted(comma_fields) == sorted(f.field for f in FACETS if f.multi)


def test_the_cli_has_one_filter_option_per_facet_in_spec_order():
    from search.cli import query

    options = [(p.name, p.opts) for p in query.params if getattr(p, "multiple", False)]
    assert options == [(f.name, [f.option]) for f in SEARCH_FACETS]
    assert FACET_BY_NAME["ip_type"].option == "--ip-type"


def test_the_api_and_openapi_list_the_spec_facets_in_order(client):
    page = client.get("/api/search?q=").get_json()
    assert list(page["facets"]) == [f.name for f in SEARCH_FACETS]
    document = client.get("/api/openapi.json").get_json()
    exploded = [p for p in document["paths"]["/api/search"]["get"]["parameters"] if p.get("explode")]
    assert [(p["name"], p["description"].split(":")[0]) for p in exploded] == [(f.name, f.label) for f in SEARCH_FACETS]
    facets = document["components"]["schemas"]["SearchPage"]["properties"]["facets"]
    assert facets["required"] == [f.name for f in SEARCH_FACETS]


def test_the_web_labels_each_facet_as_the_spec_does_in_spec_order(app, client):
    assert app.jinja_env.globals["FACET_LABELS"] == {f.name: f.label for f in SEARCH_FACETS}
    html = client.get("/?q=").get_data(as_text=True)
    shown = FACET_PARAM.findall(html)
    assert shown == [(f.name, f.label) for f in SEARCH_FACETS if f.name in dict(shown)]
    assert len(shown) == len(SEARCH_FACETS)  # the whole corpus has a value of every facet


def test_an_index_of_no_clause_still_answers(tmp_path):
    """A source folder whose only file has no text: no segment at all (Whoosh's EmptyReader), empty tables."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_text("", encoding="utf-8")
    build_index(src, tmp_path / "index")
    index = SearchIndex(tmp_path / "index")
    try:
        assert search(index, "").total == 0 and search(index, "专利 奖励").total == 0
        assert all(not values for values in search(index, "").facets.values())
    finally:
        index.close()


def test_an_incremental_build_reads_only_its_new_segments_tables(tmp_path, monkeypatch):
    """The segments kept from the last generation keep their parts of the tables: only new ones are read."""
    src = tmp_path / "src"
    src.mkdir()
    for name in (SEED_FILES["luoshan"], SEED_FILES["sanmenxia"], LAW):
        shutil.copy(RAW_DOCS / name, src / name)
    build_index(src, tmp_path / "index")
    read: list[str] = []
    original = SegmentPart.read.__func__
    monkeypatch.setattr(SegmentPart, "read", classmethod(lambda cls, r: read.append(r.segment().segment_id())
                                                         or original(cls, r)))
    undated_law(src / "undated.txt")
    build_index(src, tmp_path / "index")
    index = SearchIndex(tmp_path / "index")
    try:
        segments = [r.segment().segment_id() for r, _ in index.searcher.reader().leaf_readers()]
        assert len(segments) == 2 and read == segments[1:]  # the new segment only
        _same_table(index.facets(), FacetTable(index.searcher.reader()))
        assert index.vocabulary() == Vocabulary.of(index.searcher.reader())
    finally:
        index.close()


# -- counting over the matches' document numbers ------------------------------------------------


def test_counting_over_a_searchs_matches_gives_what_reading_every_pair_gives(searchable):
    """Few matches, many, all and none: each facet (multi-valued ones included) counts the same either way."""
    table = searchable.facets()
    live = np.flatnonzero(table.live)
    rng = np.random.default_rng(7)
    subsets = [live[:0], live[:1], np.sort(rng.choice(live, 40, replace=False)),
               np.sort(rng.choice(live, len(live) // 3, replace=False)), live]
    columns = {**table.facets, "status": searchable.status_facet("2026-12-01")}
    for name, facet in columns.items():
        for ids in subsets:
            mask = np.zeros(table.size, dtype=bool)
            mask[ids] = True
            assert facet.count_of(ids, table.size) == facet.count(mask), (name, len(ids))
    assert any(n > 1 for n in np.bincount(table.facets["ip_type"].pair_doc)), "a clause of several IP types"


def test_a_search_with_filters_counts_each_facet_over_the_other_facets_filters(searchable):
    page = search(searchable, "专利", filters={"level": ["省"], "ip_type": ["专利"]})
    for value in page.facets["level"]:  # the level facet ignores the level filter
        assert search(searchable, "专利", filters={"level": [value.value], "ip_type": ["专利"]}).total == value.count
    for value in page.facets["year"]:
        assert search(searchable, "专利", filters={"level": ["省"], "ip_type": ["专利"],
                                                  "year": [value.value]}).total == value.count
