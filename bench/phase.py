"""One measured phase, run in a fresh process so its timings and peak memory are its own.

``python -m bench.phase NAME ARGS.json OUT.json``: run phase NAME with the arguments in
ARGS.json and write its figures to OUT.json. Memory figures come from /proc/self/status at the
end of the phase: ``peak_rss_mb`` is VmHWM (the process's peak resident set: Python, jieba's
dictionary and everything the phase loaded), ``rss_mb`` is VmRSS. Not ``getrusage``'s
ru_maxrss: Linux carries it over ``exec`` from the parent, which holds the whole corpus.
"""
from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.corpus import load_units
from bench.queries import chars, fts_match, parse, read_queries, scan_predicate
from bench.queries import tantivy_query as tantivy_translate
from search.analysis import normalize, segment, segmenter
from search.searching import FACETS, _years
from search.synonyms import expand_agency

TOP = 10  # hits per query, as a result page
FTS_WEIGHTS = (3.0, 2.0, 1.0, 0.0)  # bm25 column weights: ours boosts title 3, heading 2


def _memory() -> dict:
    status = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                status[key] = int(value.split()[0]) / 1024
    return {"peak_rss_mb": status["VmHWM"], "rss_mb": status["VmRSS"]}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def percentiles(samples: list[float]) -> dict:
    """p50/p95/p99 in milliseconds (nearest-rank), with the count and the maximum."""
    if not samples:
        return {}
    ordered = sorted(samples)

    def rank(p):
        return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))] * 1000

    return {"n": len(ordered), "p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99),
            "max_ms": ordered[-1] * 1000, "mean_ms": statistics.fmean(ordered) * 1000}


def _timed_queries(run, queries, repeat: int) -> dict:
    """Run every query once (cold), then ``repeat`` times (warm); keep each one's total hits."""
    cold, warm, per_query = [], [], []
    for bq in queries:
        t0 = time.perf_counter()
        total = run(bq)
        first = time.perf_counter() - t0
        cold.append(first)
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run(bq)
            times.append(time.perf_counter() - t0)
        warm += times
        per_query.append({"query": bq.line, "total": total, "cold_ms": first * 1000,
                          "warm_median_ms": statistics.median(times) * 1000 if times else None})
    return {"cold": percentiles(cold), "warm": percentiles(warm), "queries": per_query}


def filter_values(name: str, values: list[str]) -> list[str]:
    """Expand filter values as ``searching._filter_docs`` does (year ranges, agency synonyms)."""
    wanted: dict[str, None] = {}
    for value in values:
        if name == "year":
            wanted.update(dict.fromkeys(sorted(_years(value))))
        elif name == "agency":
            wanted.update(dict.fromkeys(expand_agency(value)))
        else:
            wanted[value] = None
    return list(wanted)


# -- ours ---------------------------------------------------------------------------------


def ours_build(args: dict) -> dict:
    """Full build with the library's ``build_index`` over the size's source folder."""
    from search.build import build_index
    from search.store import live_generation

    segmenter()  # a serving build process has jieba loaded; its ~1 s load is not the build rate
    t0 = time.perf_counter()
    report = build_index(args["source_dir"], args["index_dir"], rebuild=True)
    seconds = time.perf_counter() - t0
    live = live_generation(args["index_dir"])
    return {"seconds": seconds, "clauses": report.clauses_in_index, "documents": report.documents_in_index,
            "skipped": len(report.ingest.skipped), "index_bytes": _du(live), **_memory()}


def ours_update(args: dict) -> dict:
    """Change one document (replace, never write in place: the file is a hard link) and build again."""
    from search.build import build_index

    path = Path(args["source_dir"]) / args["changed"]
    text = path.read_text(encoding="utf-8")
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text.rstrip("\n") + "\n本条例所称专利权质押融资，由省知识产权局会同有关部门组织实施。\n", encoding="utf-8")
    os.replace(tmp, path)
    t0 = time.perf_counter()
    segmenter()
    jieba_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = build_index(args["source_dir"], args["index_dir"])
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "jieba_load_s": jieba_s, "updated": report.updated, "added": report.added,
            "clauses_written": report.clauses_written, "clauses": report.clauses_in_index, **_memory()}


def ours_query(args: dict) -> dict:
    from search.searching import SearchIndex, search

    queries = read_queries(Path(args["queries"]))
    t0 = time.perf_counter()
    segmenter()
    jieba_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = SearchIndex(args["index_dir"])
    open_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    # The facet table the first search reads (facets(): numpy arrays; older code: values())
    (index.facets if hasattr(index, "facets") else index.values)()
    values_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    if hasattr(index, "vocabulary"):  # the words "did you mean" and inside-word matching look in
        index.vocabulary()
    vocabulary_s = time.perf_counter() - t0
    after_open = _memory()

    def run(bq):
        return search(index, bq.q, filters=bq.filters).total

    out = _timed_queries(run, queries, args["repeat"])
    index.close()
    # from opening the index to the first query's answer, jieba's dictionary aside
    first_s = open_s + values_s + vocabulary_s + out["queries"][0]["cold_ms"] / 1000 if out["queries"] else None
    return {"jieba_load_s": jieba_s, "open_s": open_s, "facet_table_s": values_s, "vocabulary_s": vocabulary_s,
            "first_answer_s": first_s, "rss_after_open_mb": after_open["rss_mb"], **out, **_memory()}


def ours_profile(args: dict) -> dict:
    """Split warm query time into match, filters, facet counts, ranking and hits (one warm run each).

    Follows ``searching.search`` step by step through its private helpers, so it breaks when the
    library changes shape: then it reports the error instead of figures (the rest of the run goes on).
    """
    try:
        return _profile(args)
    except Exception as exc:  # a diagnostic only: the timings above do not depend on it
        return {"error": f"{type(exc).__name__}: {exc}"}


def _profile(args: dict) -> dict:
    import numpy as np

    from search import searching as S

    queries = read_queries(Path(args["queries"]))
    segmenter()
    index = S.SearchIndex(args["index_dir"])
    table = index.facets()
    day = S.parse_day(None)
    parts: dict[str, list[float]] = {k: [] for k in ("read", "match_and_rank", "mask", "filters", "facets", "hits")}
    for bq in queries:
        for _ in range(2):  # the second run is the warm one kept
            chosen = S._clean_filters(bq.filters)
            t = [time.perf_counter()]
            plan = S._read_query(index, bq.q, True).plan  # parse, plan, near words of unknown ones
            t.append(time.perf_counter())
            ordered = S._matches(index.arrays(), table, plan, "relevance")[0]
            t.append(time.perf_counter())
            matching = table.mask(ordered.ids)
            t.append(time.perf_counter())
            columns = {**table.facets, S.STATUS_FACET.name: index.status_facet(day)}
            allowed = {n: S._filter_docs(columns[n], table.size, n, v) for n, v in chosen.items()}
            result = np.logical_and.reduce([matching, *allowed.values()]) if allowed else matching
            t.append(time.perf_counter())
            matched = np.flatnonzero(matching)
            passes = {n: docs[matched] for n, docs in allowed.items()}
            for f in S.SEARCH_FACETS:
                S._count(columns[f.name], f.name, matched, passes, table.size)
            t.append(time.perf_counter())
            ranked = ordered.take(result[ordered.ids]) if allowed else ordered
            for docnum, score in zip(ranked.ids[:TOP].tolist(), ranked.scores[:TOP].tolist()):
                S.hit_from_stored(S._stored(index.searcher, docnum), score=score, words=plan.words, phrases=plan.phrases,
                                  graph=index.graph(), day=day)
            t.append(time.perf_counter())
        for key, a, b in zip(parts, t, t[1:]):
            parts[key].append(b - a)
    return {key: percentiles(v) for key, v in parts.items()}


# -- SQLite FTS5 --------------------------------------------------------------------------

FTS_SCHEMA = """
CREATE TABLE c (rowid INTEGER PRIMARY KEY, clause_id TEXT, doc_id TEXT, title TEXT, heading TEXT, text TEXT,
                doc_number_norm TEXT, article INTEGER);
CREATE VIRTUAL TABLE fts USING fts5(title, heading, text, chars, tokenize='unicode61');
CREATE TABLE fv (name TEXT, cid INTEGER, value TEXT, PRIMARY KEY (name, cid, value)) WITHOUT ROWID;
CREATE TABLE law (name TEXT, cid INTEGER, PRIMARY KEY (name, cid)) WITHOUT ROWID;
"""
FTS_INDEXES = """
CREATE INDEX fv_value ON fv (name, value, cid);
CREATE INDEX c_doc_number ON c (doc_number_norm) WHERE doc_number_norm != '';
CREATE INDEX c_article ON c (article) WHERE article IS NOT NULL;
"""


def fts_build(args: dict) -> dict:
    """Segment with the project's analyzer, insert, index, optimize: a user's best FTS5 build."""
    units = load_units(args["units"])
    segmenter()
    db = Path(args["db"])
    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + FTS_SCHEMA)
    titles: dict[str, str] = {}  # a document's title is segmented once, not once per clause
    segment_s = 0.0
    batch, fv, law = [], [], []

    def flush():
        con.executemany("INSERT INTO c VALUES (?,?,?,?,?,?,?,?)", [b[0] for b in batch])
        con.executemany("INSERT INTO fts (rowid, title, heading, text, chars) VALUES (?,?,?,?,?)", [b[1] for b in batch])
        con.executemany("INSERT INTO fv VALUES (?,?,?)", fv)
        con.executemany("INSERT INTO law VALUES (?,?)", law)
        batch.clear(), fv.clear(), law.clear()

    for rowid, u in enumerate(units, 1):
        s0 = time.perf_counter()
        title = titles.get(u["doc_id"])
        if title is None:
            title = titles[u["doc_id"]] = " ".join(segment(u["title"]))
        row_fts = (rowid, title, " ".join(segment(u["heading"])), " ".join(segment(u["text"])),
                   " ".join(chars(u["heading"] + "\n" + u["text"])))
        segment_s += time.perf_counter() - s0
        batch.append(((rowid, u["clause_id"], u["doc_id"], u["title"], u["heading"], u["text"],
                       u["doc_number_norm"], u["article"]), row_fts))
        fv += [(name, rowid, v) for name, values in u["facets"].items() for v in values]
        law += [(n, rowid) for n in u["law_names"]]
        if len(batch) >= 5000:
            flush()
    flush()
    con.executescript(FTS_INDEXES)
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    con.commit()
    con.execute("ANALYZE")
    con.close()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "segment_s": segment_s, "clauses": len(units), "index_bytes": db.stat().st_size,
            **_memory()}


def fts_query(args: dict) -> dict:
    queries = read_queries(Path(args["queries"]))
    segmenter()
    t0 = time.perf_counter()
    con = sqlite3.connect(f"file:{args['db']}?mode=ro", uri=True)
    con.execute("PRAGMA cache_size=-65536")  # 64 MB page cache, a serving process's choice
    con.execute("PRAGMA temp_store=MEMORY")
    open_s = time.perf_counter() - t0

    def run(bq):
        return fts_search(con, bq.q, bq.filters)[0]

    out = _timed_queries(run, queries, args["repeat"])
    con.close()
    return {"open_s": open_s, **out, **_memory()}


def fts_search(con: sqlite3.Connection, q: str, filters: dict[str, list[str]]):
    """Return (total, top hits, facet counts) as ``searching.search`` does, in SQL."""
    match, conditions, params = fts_match(parse(q))
    con.execute("CREATE TEMP TABLE IF NOT EXISTS m (rowid INTEGER PRIMARY KEY)")
    con.execute("DELETE FROM m")
    where = " AND ".join(conditions) or "1"
    if match is not None:
        con.execute(f"INSERT INTO m SELECT c.rowid FROM fts JOIN c ON c.rowid = fts.rowid "
                    f"WHERE fts MATCH ? AND {where}", [match, *params])
    else:
        con.execute(f"INSERT INTO m SELECT c.rowid FROM c WHERE {where}", params)
    chosen = {name: filter_values(name, values) for name, values in filters.items()}

    def filter_sql(skip: str | None = None) -> tuple[str, list]:
        sql, args = [], []
        for name, values in chosen.items():
            if name != skip:
                sql.append(f"m.rowid IN (SELECT cid FROM fv WHERE name = ? AND value IN ({','.join('?' * len(values))}))")
                args += [name, *values]
        return (" AND ".join(sql) or "1"), args

    fsql, fargs = filter_sql()
    total = con.execute(f"SELECT count(*) FROM m WHERE {fsql}", fargs).fetchone()[0]
    if match is not None:
        weights = ", ".join(map(str, FTS_WEIGHTS))
        # "+fts.rowid": a rowid constraint handed to FTS5 makes it run the MATCH once per row
        # (337 ms instead of 4 ms for 人民政府 at 10 k clauses).
        top = con.execute(f"SELECT c.clause_id, c.title, c.heading, c.text, bm25(fts, {weights}) AS score "
                          f"FROM fts JOIN m ON m.rowid = +fts.rowid JOIN c ON c.rowid = m.rowid "
                          f"WHERE fts MATCH ? AND {fsql} ORDER BY score LIMIT {TOP}", [match, *fargs]).fetchall()
    else:
        top = con.execute(f"SELECT c.clause_id, c.title, c.heading, c.text FROM m JOIN c ON c.rowid = m.rowid "
                          f"WHERE {fsql} LIMIT {TOP}", fargs).fetchall()
    facets = {}
    for name in (f.name for f in FACETS):
        osql, oargs = filter_sql(skip=name)
        facets[name] = con.execute(f"SELECT fv.value, count(*) AS n FROM m JOIN fv ON fv.name = ? AND fv.cid = m.rowid "
                                   f"WHERE {osql} GROUP BY fv.value ORDER BY n DESC", [name, *oargs]).fetchall()
    return total, top, facets


# -- tantivy (the compiled anchor) ----------------------------------------------------------

TANTIVY_TEXT = ("title", "heading", "text", "chars")


def _tantivy_schema():
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("clause_id", stored=True, tokenizer_name="raw")
    builder.add_text_field("shown", stored=True, index_option="basic", tokenizer_name="raw")  # title + text, as FTS5's c
    for name in TANTIVY_TEXT:  # the same jieba tokens (chars: the characters) as FTS5's columns
        builder.add_text_field(name, tokenizer_name="whitespace")
    for name in ("doc_number_norm", "law"):
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_integer_field("article", indexed=True)
    for f in FACETS:  # facet values as fast fields, counted by terms aggregations
        builder.add_text_field(f.name, fast=True, tokenizer_name="raw")
    return builder.build()


def tantivy_build(args: dict) -> dict:
    """Segment with the project's analyzer and write a tantivy index with every core: tantivy's best build."""
    import tantivy

    units = load_units(args["units"])
    segmenter()
    path = Path(args["dir"])
    path.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    index = tantivy.Index(_tantivy_schema(), path=str(path))
    writer = index.writer(heap_size=512_000_000, num_threads=os.cpu_count() or 1)
    titles: dict[str, str] = {}
    segment_s = 0.0
    for u in units:
        s0 = time.perf_counter()
        title = titles.get(u["doc_id"])
        if title is None:
            title = titles[u["doc_id"]] = " ".join(segment(u["title"]))
        doc = tantivy.Document(clause_id=u["clause_id"], shown=u["title"] + "\n" + u["heading"] + "\n" + u["text"],
                               title=title, heading=" ".join(segment(u["heading"])),
                               text=" ".join(segment(u["text"])),
                               chars=" ".join(chars(u["heading"] + "\n" + u["text"])))
        segment_s += time.perf_counter() - s0
        if u["doc_number_norm"]:
            doc.add_text("doc_number_norm", u["doc_number_norm"])
        for name in u["law_names"]:
            doc.add_text("law", name)
        if u["article"] is not None:
            doc.add_integer("article", int(u["article"]))
        for name, values in u["facets"].items():
            for value in values:
                doc.add_text(name, str(value))
        writer.add_document(doc)
    writer.commit()
    writer.wait_merging_threads()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "segment_s": segment_s, "clauses": len(units), "index_bytes": _du(path), **_memory()}


def tantivy_query(args: dict) -> dict:
    import tantivy

    queries = read_queries(Path(args["queries"]))
    segmenter()
    t0 = time.perf_counter()
    index = tantivy.Index.open(args["dir"])
    index.reload()
    searcher = index.searcher()
    open_s = time.perf_counter() - t0
    schema = index.schema

    def run(bq):
        return tantivy_search(searcher, schema, bq.q, bq.filters)[0]

    out = _timed_queries(run, queries, args["repeat"])
    return {"open_s": open_s, **out, **_memory()}


def tantivy_search(searcher, schema, q: str, filters: dict[str, list[str]]):
    """Return (total, top hits, facet counts) as ``fts_search`` does: each facet counted with the other facets' filters."""
    import tantivy

    Q, must, should = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should
    base = tantivy_translate(parse(q), schema)
    chosen = {name: filter_values(name, values) for name, values in filters.items()}

    def restricted(skip: str | None = None):
        clauses = [(must, base)] if base is not None else []
        for name, values in chosen.items():
            if name != skip:
                terms = [Q.term_query(schema, name, v) for v in values] or [Q.empty_query()]
                clauses.append((must, Q.boolean_query([(should, t) for t in terms])))
        return Q.boolean_query(clauses) if clauses else Q.all_query()

    found = searcher.search(restricted(), limit=TOP, count=True)
    top = [searcher.doc(address)["clause_id"] for _, address in found.hits]
    facets = {}
    for f in FACETS:
        agg = searcher.aggregate(restricted(skip=f.name), {"c": {"terms": {"field": f.name, "size": 65000}}})
        facets[f.name] = [(b["key"], b["doc_count"]) for b in agg["c"]["buckets"]]
    return found.count, top, facets


# -- the floor ----------------------------------------------------------------------------


def floor(args: dict) -> dict:
    """Bare jieba over the clauses (capped), then a brute-force substring scan for every query."""
    units = load_units(args["units"])
    seg = segmenter()
    sample = units[: args["jieba_cap"]]
    texts = [u["heading"] + "\n" + u["text"] for u in sample]
    chars = sum(map(len, texts))
    t0 = time.perf_counter()
    for text in texts:
        for _ in seg.cut(text):
            pass
    jieba_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    titles: dict[str, frozenset] = {}  # title words, as the title field's terms (segmented once per title)
    normalized = []
    for u in units:
        words = titles.get(u["title"])
        if words is None:
            words = titles[u["title"]] = frozenset(segment(u["title"]))
        normalized.append((normalize(u["heading"] + "\n" + u["text"]), words))
    normalize_s = time.perf_counter() - t0
    queries = read_queries(Path(args["queries"]))

    def run(bq):
        matches = scan_predicate(parse(bq.q))
        matching = [i for i, ((text, words), u) in enumerate(zip(normalized, units)) if matches(text, words, u)]
        chosen = {name: set(filter_values(name, values)) for name, values in bq.filters.items()}
        passes = {name: {i for i in matching if wanted.intersection(units[i]["facets"][name])}
                  for name, wanted in chosen.items()}
        result = set(matching).intersection(*passes.values()) if passes else set(matching)
        top = sorted(result)[:TOP]  # unranked
        for name in (f.name for f in FACETS):
            others = [docs for other, docs in passes.items() if other != name]
            docs = set(matching).intersection(*others) if others else matching
            Counter(v for i in docs for v in units[i]["facets"][name])
        return len(result) + 0 * len(top)

    out = _timed_queries(run, queries, args["repeat"])
    return {"jieba_chars": chars, "jieba_clauses": len(sample), "jieba_s": jieba_s,
            "jieba_chars_per_s": chars / jieba_s, "normalize_s": normalize_s, **out, **_memory()}


PHASES = {"ours_build": ours_build, "ours_update": ours_update, "ours_query": ours_query,
          "ours_profile": ours_profile, "fts_build": fts_build, "fts_query": fts_query,
          "tantivy_build": tantivy_build, "tantivy_query": tantivy_query, "floor": floor}


def main(argv: list[str] | None = None) -> int:
    name, args_path, out_path = (argv if argv is not None else sys.argv[1:])
    args = json.loads(Path(args_path).read_text(encoding="utf-8"))
    result = PHASES[name](args)
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
