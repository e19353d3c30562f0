"""Index builds over real documents: what the index holds, incremental builds, locking, versions."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from whoosh.query import And, Every, Phrase, Term
from whoosh.sorting import FieldFacet

from search import settings
from search.analysis import normalize, phrase_grams, segment
from search.errors import IndexCorrupt, IndexLocked, IndexMissing, SchemaMismatch, SourceMissing
from search.build import build_index, build_lock
from search.store import CURRENT_NAME, META_NAME, live_generation, open_index
from search.schema import INDEX_DATA_FILES

from conftest import RAW_DOCS, SEED_FILES

LAWS = ["专利代理条例(2018-11-06).md", "特殊标志管理条例(1996-07-13).md", "商标法(2019-04-23).md"]
SIDECARS = ["004_77ef637a5b3fa8c7.meta.json"]
CHANGED = "特殊标志管理条例(1996-07-13).md"
# A real sentence from 植物新品种保护条例; 繁殖材料 occurs nowhere in the test corpus.
APPENDED = "因审查需要，申请人应当根据审批机关的要求提供必要的资料和该植物新品种的繁殖材料。"
APPENDED_WORD = "繁殖材料"


def copy_sources(dest: Path, names) -> Path:
    dest.mkdir(parents=True)
    for name in names:
        shutil.copy(RAW_DOCS / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Seeds and three laws copied to a source folder, ingested and indexed once."""
    root = tmp_path_factory.mktemp("built")
    src = copy_sources(root / "src", list(SEED_FILES.values()) + SIDECARS + LAWS)
    calls = []
    report = build_index(src, root / "index", progress=lambda done, total: calls.append((done, total)))
    return {"src": src, "index": root / "index", "report": report, "progress": calls,
            "ingested": report.ingest}


@pytest.fixture
def workspace(built, tmp_path):
    """A private copy of the built source folder and index, free to change."""
    shutil.copytree(built["src"], tmp_path / "src")
    shutil.copytree(built["index"], tmp_path / "index")
    return tmp_path / "src", tmp_path / "index"


def unit_id(clause, by_id) -> str:
    """Return the id of the index document holding ``clause``: its article, else itself."""
    unit, node = clause, clause
    while node is not None:
        if node.kind == "article":
            unit = node
        node = by_id.get(node.parent_id)
    return unit.id


def expected_units(documents) -> dict[str, list]:
    """Map every expected index document id to the ingested clauses it holds."""
    units: dict[str, list] = {}
    for doc in documents:
        by_id = {c.id: c for c in doc.clauses}
        for clause in doc.clauses:
            units.setdefault(unit_id(clause, by_id), []).append(clause)
    return units


def stored_clauses(index_dir) -> dict[str, dict]:
    with open_index(index_dir).searcher() as searcher:
        return {fields["clause_id"]: fields for fields in searcher.all_stored_fields()}


def hits(index_dir, query) -> set[str]:
    with open_index(index_dir).searcher() as searcher:
        return {hit["clause_id"] for hit in searcher.search(query, limit=None)}


def word_query(word: str):
    return And([Term("text", w) for w in segment(word)])


def test_first_build_indexes_every_file(built):
    report, ingested = built["report"], built["ingested"]
    assert not ingested.skipped
    assert sorted(report.added) == sorted(d.metadata.source for d in ingested.documents)
    assert (report.updated, report.removed, report.unchanged) == ([], [], [])
    assert report.written and report.rebuilt and report.generation == "gen-000001"
    assert built["progress"][0] == (0, 8) and built["progress"][-1] == (8, 8)


def test_one_index_document_per_clause_with_items_merged_into_their_article(built):
    documents = built["ingested"].documents
    units = expected_units(documents)
    merged = sum(len(members) - 1 for members in units.values())
    assert merged > 0  # the laws' 项 and the seeds' 1. items under a 第X条 are merged
    assert set(stored_clauses(built["index"])) == set(units)
    assert built["report"].clauses_in_index == sum(len(d.clauses) for d in documents) - merged


def test_article_text_holds_its_items_in_reading_order(built):
    stored = stored_clauses(built["index"])
    doc = next(d for d in built["ingested"].documents if d.metadata.source == LAWS[0])
    article = next(c for c in doc.clauses if c.kind == "article"
                   and any(k.parent_id == c.id for k in doc.clauses))
    items = [c for c in doc.clauses if c.parent_id == article.id]
    text = stored[article.id]["text"]
    offsets = [text.index(item.label + item.text) for item in items]
    assert offsets == sorted(offsets)
    assert text.startswith(article.paragraphs[0])
    assert json.loads(stored[article.id]["paragraphs"]) == text.split("\n")


def test_stored_fields_round_trip(built):
    by_source = {}
    for fields in stored_clauses(built["index"]).values():
        by_source.setdefault(fields["source"], []).append(fields)
    for doc in built["ingested"].documents:
        meta = doc.metadata
        for fields in by_source[meta.source]:
            assert fields["title"] == meta.title
            assert fields["issuer"].split(",") == list(meta.issuer)
            assert fields.get("doc_number", "") == meta.doc_number
            assert (fields["sha256"], fields["doc_id"]) == (meta.sha256, doc.id)
    sanmenxia = by_source[SEED_FILES["sanmenxia"]][0]
    assert (sanmenxia["title"], sanmenxia["doc_number"], sanmenxia["issuer"]) == (
        "三门峡市人民政府关于加快实施知识产权战略的意见", "三政〔2014〕61号", "三门峡市人民政府")
    assert sanmenxia["year"] == 2014 and sanmenxia["level"] == "市"
    doc = next(d for d in built["ingested"].documents if d.metadata.source == LAWS[0])
    article = next(c for c in doc.clauses if c.kind == "article" and c.path)
    assert json.loads(stored_clauses(built["index"])[article.id]["path"]) == [s.to_dict() for s in article.path]


def test_typed_variants_of_a_doc_number_find_the_document(built):
    # gov.cn's 国令第706号 and the order's own 国务院令第706号 normalize alike
    found = hits(built["index"], Term("doc_number_norm", "国务院令第706号"))
    stored = stored_clauses(built["index"])
    assert found and {stored[c]["source"] for c in found} == {LAWS[0]}


def test_agencies_are_stored_with_their_roles(built):
    stored = stored_clauses(built["index"])
    units = expected_units(built["ingested"].documents)
    with_agencies = [cid for cid, members in units.items() if any(c.agencies for c in members)]
    assert with_agencies
    for cid in with_agencies:
        expected = list(dict.fromkeys(a for c in units[cid] for a in c.agencies))
        assert json.loads(stored[cid]["agencies_json"]) == [a.to_dict() for a in expected]
        assert stored[cid]["agency"].split(",") == list(dict.fromkeys(a.canonical for a in expected))


def test_phrase_on_grams_matches_exactly_the_clauses_containing_it(built):
    stored = stored_clauses(built["index"])
    for phrase in ["保护中心", "知识产权", "专利代理机构", "特殊标志", "（一）"]:
        needle = normalize(phrase)
        expected = {cid for cid, f in stored.items() if needle in normalize(f.get("heading", "") + "\n" + f["text"])}
        assert expected, phrase
        query = Phrase("grams", phrase_grams(phrase))
        assert hits(built["index"], query) == expected, phrase


def test_ip_type_facet_counts_every_clause_of_several_types(built):
    units = expected_units(built["ingested"].documents)
    types = [{t for c in members for t in c.ip_types} for members in units.values()]
    assert any(len(t) > 1 for t in types)  # the case a facet without allow_overlap miscounts
    expected = Counter(t for unit_types in types for t in unit_types)
    with open_index(built["index"]).searcher() as searcher:
        results = searcher.search(Every(), limit=None, groupedby=FieldFacet("ip_type", allow_overlap=True))
        counts = {value: len(docnums) for value, docnums in results.groups().items()}
    assert counts == dict(expected)


def test_second_build_changes_nothing(workspace):
    src, index = workspace
    before = sorted(p.name for p in (index / "gen-000001").iterdir())
    report = build_index(src, index)
    assert not report.written and report.generation == "gen-000001"
    assert (report.added, report.updated, report.removed) == ([], [], [])
    assert len(report.unchanged) == 8 and report.clauses_written == 0
    assert (index / CURRENT_NAME).read_text(encoding="utf-8").strip() == "gen-000001"
    assert sorted(p.name for p in (index / "gen-000001").iterdir()) == before


def test_changed_file_is_the_only_one_read_again(workspace, built):
    src, index = workspace
    assert not hits(index, word_query(APPENDED_WORD))
    with open(src / CHANGED, "a", encoding="utf-8") as f:
        f.write("\n" + APPENDED + "\n")
    report = build_index(src, index)
    assert report.updated == [CHANGED] and (report.added, report.removed) == ([], [])
    assert len(report.unchanged) == 7 and [d.metadata.source for d in report.ingest.documents] == [CHANGED]
    assert report.generation == "gen-000002" and live_generation(index).name == "gen-000002"
    assert (index / "gen-000001").is_dir()  # kept for readers that opened it before the switch
    stored = stored_clauses(index)
    found = hits(index, word_query(APPENDED_WORD))
    assert found and {stored[c]["source"] for c in found} == {CHANGED}
    assert len(stored) == built["report"].clauses_in_index == report.clauses_in_index
    # the next build that writes drops the generation before the previous one
    (src / CHANGED).unlink()
    assert build_index(src, index).generation == "gen-000003"
    assert sorted(p.name for p in index.glob("gen-*")) == ["gen-000002", "gen-000003"]


def test_added_file_is_the_only_one_read(workspace, built):
    src, index = workspace
    new = "集成电路布图设计保护条例(2001-04-02).md"
    shutil.copyfile(RAW_DOCS / new, src / new)
    report = build_index(src, index)
    assert report.added == [new] and (report.updated, report.removed) == ([], [])
    assert [d.metadata.source for d in report.ingest.documents] == [new] and len(report.unchanged) == 8
    assert hits(index, Term("source", new))
    assert report.documents_in_index == 9


def test_deleted_file_leaves_the_index(workspace, built):
    src, index = workspace
    gone = SEED_FILES["luoshan"]
    own = {cid for cid, f in stored_clauses(index).items() if f["source"] == gone}
    (src / gone).unlink()
    report = build_index(src, index)
    assert report.removed == [gone] and report.clauses_written == 0 and len(report.unchanged) == 7
    assert not hits(index, Term("source", gone))
    assert set(stored_clauses(index)) == set(stored_clauses(built["index"])) - own
    assert report.documents_in_index == 7


def test_bad_file_is_reported_and_the_rest_indexed(tmp_path):
    src = copy_sources(tmp_path / "src", [LAWS[1]])
    (src / "empty.txt").write_bytes(b"")
    report = build_index(src, tmp_path / "index")
    assert [(path, reason) for path, reason, _ in report.ingest.skipped] == [("empty.txt", "empty")]
    assert report.added == [LAWS[1]] and report.documents_in_index == 1
    assert hits(tmp_path / "index", Term("source", LAWS[1]))
    # still skipped next time, and a bad file alone is no reason to write a generation
    again = build_index(src, tmp_path / "index")
    assert len(again.ingest.skipped) == 1 and not again.written


def test_changed_file_that_became_unreadable_is_removed(workspace):
    src, index = workspace
    (src / CHANGED).write_bytes(b"")
    report = build_index(src, index)
    assert report.removed == [CHANGED] and report.ingest.skipped[0][:2] == (CHANGED, "empty")
    assert not hits(index, Term("source", CHANGED))


def test_second_build_at_once_is_refused(workspace):
    src, index = workspace
    with build_lock(index):
        with pytest.raises(IndexLocked, match=r"another build is running \(pid \d+\).*wait for it"):
            build_index(src, index)
    assert not build_index(src, index).written  # the lock is released


# -- parallel builds ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_parallel_build_writes_what_one_process_writes(built, tmp_path):
    src = shutil.copytree(built["src"], tmp_path / "src")
    (src / "empty.txt").write_bytes(b"")
    one = build_index(src, tmp_path / "one", procs=1)
    two = build_index(src, tmp_path / "two", procs=2)
    assert (two.added, two.ingest.skipped, two.clauses_written) == (one.added, one.ingest.skipped, one.clauses_written)
    assert sorted(d.id for d in two.ingest.documents) == sorted(d.id for d in one.ingest.documents)
    assert stored_clauses(tmp_path / "two") == stored_clauses(tmp_path / "one")
    generation = live_generation(tmp_path / "two")
    segments = {p.name.split(".")[0] for p in generation.glob("MAIN_*.pst")}
    assert len(segments) == 2  # each worker's segment, adopted as written
    assert not list(generation.glob("part-*"))
    for query in (word_query("商标"), word_query("知识产权"), Phrase("grams", phrase_grams("保护中心"))):
        assert hits(tmp_path / "two", query) == hits(tmp_path / "one", query) != set()


@pytest.mark.slow
def test_a_parallel_incremental_build_ends_where_a_fresh_build_does(workspace, tmp_path):
    src, index = workspace
    with open(src / CHANGED, "a", encoding="utf-8") as f:
        f.write("\n" + APPENDED + "\n")
    (src / LAWS[0]).write_bytes(b"")  # indexed, now unreadable
    (src / SEED_FILES["luoshan"]).unlink()
    new = "集成电路布图设计保护条例(2001-04-02).md"
    shutil.copyfile(RAW_DOCS / new, src / new)
    report = build_index(src, index, procs=2)
    assert (report.added, report.updated) == ([new], [CHANGED])
    assert report.removed == sorted([LAWS[0], SEED_FILES["luoshan"]])
    assert stored_clauses(index) == stored_clauses(build_index(src, tmp_path / "fresh", procs=1).index_dir)
    assert hits(index, word_query(APPENDED_WORD))


def test_schema_mismatch_asks_for_a_rebuild(workspace):
    src, index = workspace
    meta_path = live_generation(index) / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "schema_version": 0}), encoding="utf-8")
    with pytest.raises(SchemaMismatch, match=r"schema v0.*python -m search build --rebuild"):
        open_index(index)
    with pytest.raises(SchemaMismatch):
        build_index(src, index)
    report = build_index(src, index, rebuild=True)
    assert report.rebuilt and len(report.added) == 8 and report.generation == "gen-000002"
    assert open_index(index).doc_count() == report.clauses_in_index


def test_missing_index_and_missing_source(tmp_path):
    with pytest.raises(IndexMissing, match=r"no index at .*run `python -m search build"):
        open_index(tmp_path)
    with pytest.raises(SourceMissing, match="does not exist"):
        build_index(tmp_path / "nowhere", tmp_path / "index")
    assert live_generation(tmp_path / "index") is None


@pytest.mark.parametrize("name", INDEX_DATA_FILES)
def test_editing_a_data_file_that_shapes_the_index_asks_for_a_rebuild(workspace, tmp_path, monkeypatch, name):
    src, index = workspace
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data)
    with open(data / name, "a", encoding="utf-8") as f:
        f.write("\n")  # any edit: a new tag keyword, agency alias, place or word would change what is indexed
    monkeypatch.setattr(settings, "DATA_DIR", data)
    with pytest.raises(SchemaMismatch, match=rf"other data files .*\({re.escape(name)} changed\).*"
                                             rf"rebuild with `python -m search build --rebuild"):
        build_index(src, index)
    assert build_index(src, index, rebuild=True).rebuilt
    assert build_index(src, index).unchanged  # the rebuilt index knows the edited file


def test_editing_the_synonyms_needs_no_rebuild(workspace, tmp_path, monkeypatch):
    src, index = workspace
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data)
    with open(data / "synonyms.toml", "a", encoding="utf-8") as f:
        f.write("\n")
    monkeypatch.setattr(settings, "DATA_DIR", data)
    report = build_index(src, index)
    assert not report.written and report.unchanged


def test_a_manifest_of_sources_that_is_not_a_table_is_damage_with_its_way_out(workspace):
    src, index = workspace
    meta_path = live_generation(index) / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "sources": "every file"}), encoding="utf-8")
    with pytest.raises(IndexCorrupt, match=r"meta\.json has no valid table of indexed sources\); rebuild it with"):
        build_index(src, index)
