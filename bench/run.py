"""Benchmark ours against bare jieba, a brute-force scan, SQLite FTS5 and tantivy on the same clauses and queries.

    .venv/bin/python -m bench.run [--sizes 10000,100000] [--with-1m] [--out bench/results/latest.json]

Steps (each measured phase runs in a fresh process, see ``bench/phase.py``):

1. extract the scale corpus into the work folder and ingest every law once (ingestion rate);
2. per size: lay out N clauses (real documents, reused as copies past the real count);
3. the floor: bare jieba over the clauses, and a brute-force scan for every query;
4. ours: ``build_index`` from scratch, an incremental build after one changed document,
   then every query cold and warm through ``searching.search`` with all facet counts;
5. SQLite FTS5 over the same jieba tokens: build, then the same queries, filters and facets;
6. tantivy (compiled, the anchor of what is possible) over the same tokens: the same again;
7. print the table with the ratios and write the JSON.

It exits non-zero only on a real error, never on a time.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from bench import corpus, report
from bench.queries import read_queries

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_ARCHIVE = PROJECT_DIR.parent / "shared" / "corpus" / "scale" / "laws.tar.gz"
ONE_MILLION = 1_000_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="clause counts, comma-separated (default 10000,100000)")
    parser.add_argument("--with-1m", action="store_true", help="add 1,000,000 clauses (takes hours and ~10 GB of disk)")
    parser.add_argument("--out", default=str(PROJECT_DIR / "bench" / "results" / "latest.json"), help="JSON output file")
    parser.add_argument("--queries", default=str(PROJECT_DIR / "bench" / "queries.txt"), help="query set file")
    parser.add_argument("--archive", default=str(DEFAULT_ARCHIVE), help="the scale corpus (read in place)")
    parser.add_argument("--workdir", help="work folder, kept afterwards (default: a temp folder, removed)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each query (default 5)")
    parser.add_argument("--jieba-cap", type=int, default=30000,
                        help="clauses bare jieba segments per size (its rate does not depend on N; default 30000)")
    parser.add_argument("--skip-update", action="store_true", help="skip the incremental build")
    parser.add_argument("--keep", action="store_true",
                        help="keep each size's source folder, index and FTS5 database in --workdir (to look into them)")
    parser.add_argument("--requery", metavar="RESULTS_JSON",
                        help="run only the query phases again (ours, FTS5, tantivy) on the indexes a --keep run left "
                             "in --workdir, after a change to the query side; the rest is copied from RESULTS_JSON")
    parser.add_argument("--rebuild", action="store_true",
                        help="with --requery: build ours again first (and its incremental build after the queries), "
                             "after a change to what the build writes")
    args = parser.parse_args(argv)
    if args.requery and not args.workdir:
        parser.error("--requery needs the --workdir of the --keep run that built the indexes")
    if args.rebuild and not args.requery:
        parser.error("--rebuild goes with --requery")
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: give clause counts like 10000,100000")
    if args.with_1m and ONE_MILLION not in args.size_list:
        args.size_list.append(ONE_MILLION)
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_phase(name: str, args: dict, workdir: Path) -> dict:
    """Run one phase in a fresh Python process; return its figures plus the process's wall time."""
    args_path = workdir / f"{name}.args.json"
    out_path = workdir / f"{name}.out.json"
    args_path.write_text(json.dumps(args, ensure_ascii=False), encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bench.phase", name, str(args_path), str(out_path)],
                   cwd=PROJECT_DIR, check=True)
    result = json.loads(out_path.read_text(encoding="utf-8"))
    result["process_wall_s"] = time.perf_counter() - t0
    return result


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    import sqlite3

    versions = {}
    for package in ("jieba", "Whoosh-Reloaded", "Whoosh", "whoosh3"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "sqlite": sqlite3.sqlite_version, **versions}


def bench_size(real: corpus.RealCorpus, size: int, args, workdir: Path) -> dict:
    log(f"size {size:,}: laying out the clauses …")
    sized = corpus.make_size(real, size, workdir)
    note = (f"{sized.clauses:,} real clauses of {sized.documents:,} real documents"
            if not sized.copies else
            f"{sized.clauses:,} clauses: the {real.timings['units']:,} real clauses reused "
            f"(copies 1–{sized.copies} of the real documents, with new doc/clause ids and paths)")
    log(f"  {note}")
    out: dict = {"size": size, "clauses": sized.clauses, "documents": sized.documents, "copies": sized.copies,
                 "unit_chars": sized.unit_chars, "corpus_note": note, "loadavg_start": os.getloadavg()}
    common = _common(args)
    log("  the floor: bare jieba, brute-force scan …")
    out["floor"] = run_phase("floor", {**common, "units": str(sized.units_path), "jieba_cap": args.jieba_cap}, workdir)

    index_dir, db, tantivy_dir = _kept(workdir, size)
    _ours(out, real, args, workdir, sized.source_dir, index_dir)

    log("  SQLite FTS5: build …")
    out["fts_build"] = run_phase("fts_build", {"units": str(sized.units_path), "db": str(db)}, workdir)
    _fts_queries(out, args, workdir, db)

    log("  tantivy: build …")
    out["tantivy_build"] = run_phase("tantivy_build", {"units": str(sized.units_path), "dir": str(tantivy_dir)}, workdir)
    _tantivy_queries(out, args, workdir, tantivy_dir)

    out["loadavg_end"] = os.getloadavg()  # other work on the machine inflates every timing above
    if args.keep:
        return out
    # Free the disk before the next size: the 1 M index alone is several GB.
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.rmtree(sized.source_dir, ignore_errors=True)
    db.unlink(missing_ok=True)
    shutil.rmtree(tantivy_dir, ignore_errors=True)
    sized.units_path.unlink(missing_ok=True)
    return out


def _common(args) -> dict:
    return {"queries": args.queries, "repeat": args.repeat}


def _kept(workdir: Path, size: int) -> tuple[Path, Path, Path]:
    """Where a size's index, FTS5 database and tantivy index lie in the work folder."""
    return workdir / f"index-{size}", workdir / f"fts-{size}.sqlite", workdir / f"tantivy-{size}"


def _ours(out: dict, real: corpus.RealCorpus, args, workdir: Path, source_dir: Path, index_dir: Path) -> None:
    """Build ours from scratch, query it, then (unless skipped) time an incremental build after one change."""
    log("  ours: build_index from scratch …")
    out["ours_build"] = run_phase("ours_build", {"source_dir": str(source_dir), "index_dir": str(index_dir)}, workdir)
    _ours_queries(out, args, workdir, index_dir)
    if not args.skip_update:
        changed = _document_to_change(real)
        log(f"  ours: incremental build (after the queries, which ran on the unchanged clauses) after changing {changed} …")
        out["ours_update"] = run_phase("ours_update", {"source_dir": str(source_dir), "index_dir": str(index_dir),
                                                       "changed": changed}, workdir)


def _ours_queries(out: dict, args, workdir: Path, index_dir: Path) -> None:
    log("  ours: queries cold and warm …")
    out["ours_query"] = run_phase("ours_query", {**_common(args), "index_dir": str(index_dir)}, workdir)
    log("  ours: where the warm query time goes …")
    out["ours_profile"] = run_phase("ours_profile", {**_common(args), "index_dir": str(index_dir)}, workdir)


def _fts_queries(out: dict, args, workdir: Path, db: Path) -> None:
    log("  SQLite FTS5: queries cold and warm …")
    out["fts_query"] = run_phase("fts_query", {**_common(args), "db": str(db)}, workdir)


def _tantivy_queries(out: dict, args, workdir: Path, tantivy_dir: Path) -> None:
    log("  tantivy: queries cold and warm …")
    out["tantivy_query"] = run_phase("tantivy_query", {**_common(args), "dir": str(tantivy_dir)}, workdir)


def requery(args, workdir: Path) -> dict:
    """Run the query phases of every size of an earlier --keep run again, on the indexes it left."""
    results = json.loads(Path(args.requery).read_text(encoding="utf-8"))
    earlier = results.get("requeried")
    if earlier:  # a requery of a requery: keep what the one before did
        results.setdefault("requeried_before", []).append(earlier)
    results["requeried"] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "revision": revision(),
                            "built_at": results.get("revision"), "built_started": results.get("started"),
                            "ours_rebuilt": args.rebuild}
    real = corpus.load_real(Path(args.archive), workdir, log) if args.rebuild else None
    for out in results["sizes"]:
        if out["size"] not in args.size_list:
            continue
        paths = _kept(workdir, out["size"])
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise SystemExit(f"--requery: {', '.join(missing)} not there: run with --keep and this --workdir first")
        log(f"size {out['size']:,}: the queries again, on the indexes built before …")
        out["build_loadavg"] = [out.get("loadavg_start"), out.get("loadavg_end")]
        out["loadavg_start"] = os.getloadavg()
        if real is not None:
            source_dir = workdir / f"src-{out['size']}"
            _restore(real, source_dir)
            shutil.rmtree(paths[0])
            _ours(out, real, args, workdir, source_dir, paths[0])
        else:
            _ours_queries(out, args, workdir, paths[0])
        _fts_queries(out, args, workdir, paths[1])
        _tantivy_queries(out, args, workdir, paths[2])
        out["loadavg_end"] = os.getloadavg()
        _write(results, Path(args.out))
    return results


def _restore(real: corpus.RealCorpus, source_dir: Path) -> None:
    """Put back the document the incremental build of the earlier run changed, as laid out (a hard link)."""
    rel = _document_to_change(real)
    changed = source_dir / rel
    tmp = changed.with_name(changed.name + ".tmp")
    os.link(real.root / rel, tmp)
    os.replace(tmp, changed)


def revision() -> str | None:
    """The commit measured (with + when the tree has changes), or None outside a git checkout."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=PROJECT_DIR,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+" if dirty else "")


def _document_to_change(real: corpus.RealCorpus) -> str:
    """The first document of the order (present at every size) with at least 20 clauses."""
    return next(rel for rel in real.order if len(real.units[rel]) >= 20)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    queries = read_queries(Path(args.queries))
    if len(queries) < 30:
        log(f"warning: {args.queries} has {len(queries)} queries; the issue asks for at least 30")
    if ONE_MILLION in args.size_list:
        log("warning: 1,000,000 clauses takes hours (build_index, FTS5 build, ~6 copies of the corpus) "
            "and several GB of disk in the work folder")
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="ipsearch-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"work folder: {workdir}{' (removed afterwards)' if not args.workdir else ''}")
    if args.requery:
        results = requery(args, workdir)
        print(report.render(results))
        log(f"wrote {args.out}")
        return 0
    try:
        real = corpus.load_real(Path(args.archive), workdir, log)
        results = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "revision": revision(),
                   "queries_file": args.queries, "queries": [q.line for q in queries], "repeat": args.repeat,
                   "ingest": real.timings, "sizes": []}
        for size in args.size_list:
            results["sizes"].append(bench_size(real, size, args, workdir))
            _write(results, Path(args.out))  # a long run keeps what it has measured so far
        print(report.render(results))
        log(f"wrote {args.out}")
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def _write(results: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    results["summary"] = report.summary(results)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
