"""The figures of a run → a summary with ratios and targets, and the readable table ``bench.run`` prints."""
from __future__ import annotations

import os

# The targets (2 cores, every query with all facet counts); informational, never a failure.
TARGET_P95_MS = 50.0
TARGET_BUILD_SHARE = 0.5  # of bare jieba's segmenting rate
TARGET_UPDATE_S = 2.0  # one changed document at 100 k clauses
TARGET_SERVING_MB = 500.0  # at 1 M clauses
TARGET_P99_MS = 100.0  # at 100 k and 1 M clauses
TARGET_P50_1M_MS = 10.0
TARGET_FIRST_ANSWER_S = 1.0  # from opening a 1 M index to its first answer


def _ratio(a, b):
    return a / b if a is not None and b else None


def summary(results: dict) -> list[dict]:
    """Return per size the headline figures, the ratios and which targets are met."""
    ingest = results["ingest"]
    per_unit_ingest = (ingest["ingest_s"] + ingest["index_documents_s"]) / ingest["units"]
    out = []
    for s in results["sizes"]:
        floor, build, query = s["floor"], s["ours_build"], s["ours_query"]
        fts_b, fts_q, update = s["fts_build"], s["fts_query"], s.get("ours_update")
        chars = s["unit_chars"]
        ingest_est = per_unit_ingest * s["clauses"]
        row = {
            "size": s["size"], "clauses": s["clauses"], "corpus_note": s["corpus_note"],
            "jieba_chars_per_s": floor["jieba_chars_per_s"],
            "ours_build_s": build["seconds"], "ours_build_clauses_per_s": s["clauses"] / build["seconds"],
            "ours_build_chars_per_s": chars / build["seconds"],
            "ours_build_ingest_estimate_s": ingest_est,
            "ours_build_writer_estimate_s": build["seconds"] - ingest_est,
            "ours_build_peak_rss_mb": build["peak_rss_mb"], "ours_index_mb": build["index_bytes"] / 2**20,
            "ours_update_s": update["seconds"] if update else None,
            "ours_update_process_s": update["process_wall_s"] if update else None,
            "fts_build_s": fts_b["seconds"], "fts_build_chars_per_s": chars / fts_b["seconds"],
            "fts_build_peak_rss_mb": fts_b["peak_rss_mb"], "fts_index_mb": fts_b["index_bytes"] / 2**20,
            "ours_facet_table_s": query["facet_table_s"], "ours_serving_rss_mb": query["rss_mb"],
            "ours_vocabulary_s": query.get("vocabulary_s"), "ours_first_answer_s": query.get("first_answer_s"),
            "fts_serving_rss_mb": fts_q["rss_mb"],
        }
        tv_b, tv_q = s.get("tantivy_build"), s.get("tantivy_query")  # absent from runs before 2026-12-02
        row.update({"tv_build_s": tv_b["seconds"] if tv_b else None,
                    "tv_build_chars_per_s": chars / tv_b["seconds"] if tv_b else None,
                    "tv_build_peak_rss_mb": tv_b["peak_rss_mb"] if tv_b else None,
                    "tv_index_mb": tv_b["index_bytes"] / 2**20 if tv_b else None,
                    "tv_serving_rss_mb": tv_q["rss_mb"] if tv_q else None})
        for engine, q in (("ours", query), ("fts", fts_q), ("scan", floor), ("tv", tv_q)):
            for when in ("cold", "warm"):
                for p in ("p50_ms", "p95_ms", "p99_ms"):
                    row[f"{engine}_{when}_{p}"] = q[when].get(p) if q else None
        row["build_over_jieba"] = _ratio(row["ours_build_chars_per_s"], row["jieba_chars_per_s"])
        row["fts_build_over_jieba"] = _ratio(row["fts_build_chars_per_s"], row["jieba_chars_per_s"])
        row["tv_build_over_jieba"] = _ratio(row["tv_build_chars_per_s"], row["jieba_chars_per_s"])
        row["build_time_ours_over_fts"] = _ratio(build["seconds"], fts_b["seconds"])
        for when in ("cold", "warm"):
            for p in ("p50_ms", "p95_ms", "p99_ms"):
                row[f"ours_over_fts_{when}_{p}"] = _ratio(row[f"ours_{when}_{p}"], row[f"fts_{when}_{p}"])
                row[f"ours_over_tv_{when}_{p}"] = _ratio(row[f"ours_{when}_{p}"], row[f"tv_{when}_{p}"])
        totals = zip(query["queries"], fts_q["queries"], floor["queries"])
        totals = list(totals)
        row["hit_totals_ours_vs_fts_differ"] = [{"query": a["query"], "ours": a["total"], "fts": b["total"]}
                                                for a, b, c in totals if a["total"] != b["total"]]
        row["hit_totals_scan_differs"] = [{"query": a["query"], "ours": a["total"], "scan": c["total"]}
                                          for a, b, c in totals if a["total"] != c["total"]]
        row["hit_totals_fts_vs_tv_differ"] = ([{"query": b["query"], "fts": b["total"], "tantivy": t["total"]}
                                               for b, t in zip(fts_q["queries"], tv_q["queries"])
                                               if b["total"] != t["total"]] if tv_q else None)
        row["targets"] = _targets(row)
        out.append(row)
    return out


def _targets(row: dict) -> dict:
    targets = {
        "faster_than_fts5_warm_p50": row["ours_over_fts_warm_p50_ms"] is not None and row["ours_over_fts_warm_p50_ms"] < 1,
        "faster_than_fts5_warm_p95": row["ours_over_fts_warm_p95_ms"] is not None and row["ours_over_fts_warm_p95_ms"] < 1,
        "p95_at_most_50ms_warm": row["ours_warm_p95_ms"] <= TARGET_P95_MS,
        "build_at_least_half_jieba": row["build_over_jieba"] >= TARGET_BUILD_SHARE,
    }
    if row["ours_update_s"] is not None and row["size"] == 100_000:
        targets["update_one_doc_at_most_2s"] = row["ours_update_s"] <= TARGET_UPDATE_S
    if row["size"] >= 100_000:
        targets["p99_at_most_100ms_warm"] = row["ours_warm_p99_ms"] <= TARGET_P99_MS
    if row["size"] == 1_000_000:
        targets["serving_rss_at_most_500mb"] = row["ours_serving_rss_mb"] <= TARGET_SERVING_MB
        targets["p50_at_most_10ms_warm"] = row["ours_warm_p50_ms"] <= TARGET_P50_1M_MS
        if row["ours_first_answer_s"] is not None:
            targets["first_answer_at_most_1s"] = row["ours_first_answer_s"] <= TARGET_FIRST_ANSWER_S
    return targets


def _fmt(value, unit="") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 10000:
            text = f"{value:,.0f}"
        elif abs(value) >= 100:
            text = f"{value:.0f}"
        elif abs(value) >= 10:
            text = f"{value:.1f}"
        else:
            text = f"{value:.2f}"
    else:
        text = f"{value:,}"
    return text + unit


def render(results: dict) -> str:
    m = results["machine"]
    ing = results["ingest"]
    lines = [
        "IP policy search benchmark (issue 6)",
        f"machine: {m['nproc']} CPU ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"jieba {m.get('jieba', '?')}, Whoosh-Reloaded {m.get('Whoosh-Reloaded', '?')}, SQLite {m['sqlite']}",
        f"corpus: the scale corpus, {ing['documents']:,} real laws ({ing['file_chars']:,} chars) → "
        f"{ing['units']:,} real index units (clauses; an article holds its 项)",
        f"ingestion (search.ingest.ingest): {ing['ingest_s']:.1f} s = {ing['ingest_docs_per_s']:.0f} docs/s, "
        f"{ing['ingest_chars_per_s']:,.0f} chars/s; build.units.index_documents: {ing['index_documents_s']:.1f} s = "
        f"{ing['index_documents_units_per_s']:,.0f} units/s",
        f"queries: {len(results['queries'])} from {results['queries_file']}, each with all facet counts (ours with the status too); "
        f"cold = first run in the process, warm = {results['repeat']} more runs; latencies in ms",
    ]
    again = results.get("requeried")
    if again:
        ours = "ours built again and " if again.get("ours_rebuilt") else ""
        for before in results.get("requeried_before", ()):
            lines.append(f"before: {'ours built again, ' if before.get('ours_rebuilt') else ''}queries run again "
                         f"{before['started']} (revision {before['revision']})")
        lines.append(f"builds of {again['built_started']} (revision {again['built_at']}); {ours}every engine's "
                     f"queries run again {again['started']} (revision {again['revision']})")
    lines.append("")
    for row, s in zip(summary(results), results["sizes"]):
        lines += _size_block(row, s)
    lines += ["targets (informational):"]
    for row in summary(results):
        met = ", ".join(f"{k} {'MET' if v else 'MISSED'}" for k, v in row["targets"].items())
        lines.append(f"  {row['size']:,}: {met}")
    return "\n".join(lines)


def _size_block(r: dict, s: dict) -> list[str]:
    head = (f"{'':34}{'ours (Whoosh)':>15}{'SQLite FTS5':>13}{'tantivy':>11}{'floor':>11}"
            f"{'ours/FTS5':>11}{'ours/tantivy':>14}")
    # label, ours, FTS5, tantivy, floor, ours ÷ FTS5, ours ÷ tantivy
    rows = [
        ("build s (from scratch)", r["ours_build_s"], r["fts_build_s"], r["tv_build_s"], None,
         r["build_time_ours_over_fts"], _ratio(r["ours_build_s"], r["tv_build_s"])),
        ("  of which ingest+units (est.) s", r["ours_build_ingest_estimate_s"], None, None, None, None, None),
        ("build chars/s (floor: bare jieba)", r["ours_build_chars_per_s"], r["fts_build_chars_per_s"],
         r["tv_build_chars_per_s"], r["jieba_chars_per_s"], None, None),
        ("build / bare jieba", r["build_over_jieba"], r["fts_build_over_jieba"], r["tv_build_over_jieba"], 1.0,
         None, None),
        ("build peak RSS MB", r["ours_build_peak_rss_mb"], r["fts_build_peak_rss_mb"], r["tv_build_peak_rss_mb"],
         None, None, None),
        ("index size MB", r["ours_index_mb"], r["fts_index_mb"], r["tv_index_mb"], None, None, None),
        ("incremental, 1 doc changed s", r["ours_update_s"], None, None, None, None, None),
        ("  same, whole CLI-like process s", r["ours_update_process_s"], None, None, None, None, None),
        ("facet table load (1st query) s", r["ours_facet_table_s"], None, None, None, None, None),
        ("vocabulary load (1st query) s", r["ours_vocabulary_s"], None, None, None, None, None),
        ("open → first answer s", r["ours_first_answer_s"], None, None, None, None, None),
    ]
    for when in ("warm", "cold"):
        for p in ("p50", "p95", "p99"):
            key = f"{p}_ms"
            rows.append((f"query {when} {p} ms", r[f"ours_{when}_{key}"], r[f"fts_{when}_{key}"], r[f"tv_{when}_{key}"],
                         r[f"scan_{when}_{key}"], r[f"ours_over_fts_{when}_{key}"], r[f"ours_over_tv_{when}_{key}"]))
    rows.append(("serving RSS MB after queries", r["ours_serving_rss_mb"], r["fts_serving_rss_mb"],
                 r["tv_serving_rss_mb"], s["floor"]["rss_mb"], None, None))
    out = [f"== {s['size']:,} clauses: {s['corpus_note']} ==", head]
    if "loadavg_start" in s:
        out.insert(1, f"  load average (1 min) at start / end: {s['loadavg_start'][0]:.1f} / {s['loadavg_end'][0]:.1f} "
                      f"on {os.cpu_count()} CPUs (above ~1, other processes shared the CPUs)")
    for label, ours, fts, tv, floor, ratio, tv_ratio in rows:
        out.append(f"{label:34}{_fmt(ours):>15}{_fmt(fts):>13}{_fmt(tv):>11}{_fmt(floor):>11}{_fmt(ratio):>11}"
                   f"{_fmt(tv_ratio):>14}")
    out.append(f"  floor = brute-force substring scan over normalized texts (top 10 unranked + facet counts); "
               f"bare jieba rate over {s['floor']['jieba_clauses']:,} of the clauses")
    differ, n = r["hit_totals_ours_vs_fts_differ"], len(s["ours_query"]["queries"])
    out.append(f"  hit totals ours = FTS5 for {n - len(differ)}/{n} queries" + (":" if differ else ""))
    out += [f"    {d['query']}: ours {d['ours']}, FTS5 {d['fts']}" for d in differ]
    tv_differ = r["hit_totals_fts_vs_tv_differ"]
    if tv_differ is not None:
        out.append(f"  hit totals tantivy = FTS5 (the same query, compiled) for {n - len(tv_differ)}/{n} queries"
                   + (":" if tv_differ else ""))
        out += [f"    {d['query']}: FTS5 {d['fts']}, tantivy {d['tantivy']}" for d in tv_differ]
    out.append(f"  the scan (substring semantics) gives other totals for {len(r['hit_totals_scan_differs'])}/{n} queries")
    prof = s.get("ours_profile")
    if prof and "error" in prof:
        out.append(f"  ours per-step profile unavailable: {prof['error']}")
    elif prof:
        out.append("  ours, warm p50 / p95 ms per step: " + ", ".join(
            f"{k} {_fmt(v.get('p50_ms'))}/{_fmt(v.get('p95_ms'))}" for k, v in prof.items() if isinstance(v, dict)))
    out.append("")
    return out
