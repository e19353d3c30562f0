"""Relevance of clause search on raw_docs/: recall@1/5/10 and MRR@10 of our engine and of plain BM25 (bm25s).

    .venv/bin/python -m bench.relevance [--tsv bench/relevance.tsv] [--index DIR] [--json OUT] [--group G]

Reads the questions and gold citations of ``bench/relevance.tsv``, builds raw_docs/ into a temporary index
(or opens ``--index DIR``), asks both engines for the top 10 clauses and prints a Markdown table per group,
then the questions ours misses. A measurement, not a test: it never fails on a score (exit status 2 only
for a bad TSV line or a gold citation no clause of the index has).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import bm25s
import numpy as np

from search.analysis import segment
from search.build import build_index
from search.errors import IndexStateError, SearchError
from search.searching import SearchIndex, search

PROJECT = Path(__file__).resolve().parents[1]
DEFAULT_TSV = PROJECT / "bench" / "relevance.tsv"
GROUPS = ("layperson", "civil", "lawyer")
GOLD_SEPARATOR = " | "
TOP_K = 10
CUTOFFS = (1, 5, 10)
# How a citation names the version of an act the collection holds several of (search.build.graph.version_label).
VERSION_LABEL = re.compile(r"(?<=》)（\d{4}年(?:修订|修正|版)）")
# A gold citation matches a hit that continues it, unless the next character extends a number:
# …第六条 matches …第六条第一款 but not …第六十条, and …第1点 not …第12点.
NUMBER_CHARS = frozenset("零〇一二三四五六七八九十百千两0123456789")
BM25_K1, BM25_B = 1.5, 0.75  # the textbook parameters (also bm25s's defaults)


class BenchInputError(Exception):
    """The question file can't be used as it is; the message names the line or the unmatched gold."""


@dataclass(frozen=True)
class Question:
    line: int
    group: str
    question: str
    gold: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Ranking:
    """An engine's answer to one question: its top cited clauses, how many clauses matched, any query error."""

    citations: tuple[str, ...]
    total: int
    error: str = ""


@dataclass(frozen=True)
class Result:
    question: Question
    ours: Ranking
    baseline: Ranking


# -- the question file --------------------------------------------------------------------------


def read_questions(path: Path) -> list[Question]:
    """Read ``group<TAB>question<TAB>gold<TAB>reason`` lines; ``#`` lines and blank lines are skipped.

    :raises BenchInputError: naming the first bad line.
    """
    questions, seen = [], set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        question = _parse_line(raw, number, path)
        if (question.group, question.question) in seen:
            raise BenchInputError(f"{path}:{number}: question {question.question!r} is already listed")
        seen.add((question.group, question.question))
        questions.append(question)
    if not questions:
        raise BenchInputError(f"{path}: no questions")
    return questions


def _parse_line(raw: str, number: int, path: Path) -> Question:
    fields = raw.split("\t")
    where = f"{path}:{number}"
    if len(fields) != 4:
        raise BenchInputError(f"{where}: {len(fields)} tab-separated fields, expected 4 (group, question, gold, reason)")
    group, question, gold, reason = (f.strip() for f in fields)
    if group not in GROUPS:
        raise BenchInputError(f"{where}: unknown group {group!r} (use one of {', '.join(GROUPS)})")
    if not question or not reason:
        raise BenchInputError(f"{where}: empty question or reason")
    cites = tuple(c.strip() for c in gold.split(GOLD_SEPARATOR))
    bad = [c for c in cites if not c.startswith("《")]
    if bad:
        raise BenchInputError(f"{where}: gold {bad[0]!r} is no citation (it must start with 《; "
                              f"separate several with {GOLD_SEPARATOR!r})")
    return Question(line=number, group=group, question=question, gold=cites, reason=reason)


def check_gold(questions: Sequence[Question], citations: Sequence[str]) -> None:
    """Raise BenchInputError listing every gold citation that no clause of the index matches."""
    unmatched = [(q, g) for q in questions for g in q.gold if not any(cites(c, g) for c in citations)]
    if unmatched:
        lines = "\n".join(f"  line {q.line}: {g}   ({q.question})" for q, g in unmatched)
        raise BenchInputError(f"{len(unmatched)} gold citation(s) match no clause of the index:\n{lines}")


def cites(citation: str, gold: str) -> bool:
    """Tell whether a hit's citation is the gold clause or a part of it.

    A gold citation that names no version matches every version of its act, as it did before
    citations named the version: （2023年修订） after the title is left out for the comparison.
    """
    if not VERSION_LABEL.search(gold):
        citation = VERSION_LABEL.sub("", citation, count=1)
    if not citation.startswith(gold):
        return False
    return len(citation) == len(gold) or citation[len(gold)] not in NUMBER_CHARS


def first_rank(citations: Sequence[str], gold: Sequence[str]) -> int | None:
    """Return the 1-based rank of the first hit matching any gold citation, or None."""
    return next((rank for rank, c in enumerate(citations, start=1) if any(cites(c, g) for g in gold)), None)


# -- the index and the two engines ----------------------------------------------------------------


@contextmanager
def opened_index(index_dir: str | None) -> Iterator[SearchIndex]:
    """Open ``index_dir``, or build raw_docs/ into a temporary index removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        if not index_dir:
            print("building raw_docs/ into a temporary index …", file=sys.stderr)
            index_dir = str(Path(tmp) / "index")
            build_index(PROJECT / "raw_docs", index_dir)
        index = SearchIndex(index_dir)
        try:
            yield index
        finally:
            index.close()


def stored_clauses(index: SearchIndex) -> list[dict]:
    """Return every clause's stored fields, in index order."""
    with index.reading():
        return list(index.searcher.all_stored_fields())


def ask_ours(index: SearchIndex, question: str) -> Ranking:
    """Run our search; a query the library refuses counts as no hits, with its message kept."""
    try:
        page = search(index, question, per_page=TOP_K)
    except SearchError as exc:
        return Ranking(citations=(), total=0, error=f"{type(exc).__name__}: {exc}")
    return Ranking(citations=tuple(h.citation for h in page.hits), total=page.total)


class Bm25Baseline:
    """Plain BM25 over every clause's title, heading and text, cut by the project's jieba ``segment``.

    Every query word is optional (a clause scores when it has any of them); no synonyms, phrases, 文号 or
    article lookup. The title is part of each clause, as our engine also searches it.
    """

    def __init__(self, clauses: Sequence[dict]):
        self.citations = [c.get("citation", "") for c in clauses]
        corpus = [segment(" ".join(c.get(f) or "" for f in ("title", "heading", "text"))) for c in clauses]
        # bm25s needs at least one token per document; an empty clause gets a token no query can have.
        corpus = [tokens or ["\u0000"] for tokens in corpus]
        self.retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
        self.retriever.index(corpus, show_progress=False)

    def ask(self, question: str) -> Ranking:
        tokens = segment(question)
        if not tokens:
            return Ranking(citations=(), total=0)
        scores = self.retriever.get_scores(tokens)
        matched = np.flatnonzero(scores > 0)
        top = matched[np.argsort(-scores[matched], kind="stable")][:TOP_K]
        return Ranking(citations=tuple(self.citations[i] for i in top), total=len(matched))


# -- metrics and report ---------------------------------------------------------------------------


def metrics(results: Sequence[Result], engine: str) -> dict[str, float]:
    """Return R@1, R@5, R@10 and MRR@10 of one engine over some results."""
    ranks = [first_rank(getattr(r, engine).citations, r.question.gold) for r in results]
    n = len(ranks) or 1
    out = {f"R@{k}": sum(1 for rank in ranks if rank and rank <= k) / n for k in CUTOFFS}
    out["MRR@10"] = sum(1 / rank for rank in ranks if rank and rank <= TOP_K) / n
    return out


def table(results: Sequence[Result]) -> str:
    """Render the Markdown table: both engines, overall and per group."""
    columns = [f"R@{k}" for k in CUTOFFS] + ["MRR@10"]
    lines = ["| engine | group | n | " + " | ".join(columns) + " |", "|---|---|---:|" + "---:|" * len(columns)]
    for engine, label in (("ours", "ours"), ("baseline", "bm25s")):
        for group, subset in _by_group(results):
            m = metrics(subset, engine)
            lines.append(f"| {label} | {group} | {len(subset)} | " + " | ".join(f"{m[c]:.3f}" for c in columns) + " |")
    return "\n".join(lines)


def ratios(results: Sequence[Result]) -> str:
    """Say how our MRR@10 compares with the baseline's, overall and per group."""
    parts = []
    for group, subset in _by_group(results):
        ours, base = metrics(subset, "ours")["MRR@10"], metrics(subset, "baseline")["MRR@10"]
        parts.append(f"{group} {ours / base:.2f}" if base else f"{group} n/a (baseline 0)")
    return "MRR@10 ours / bm25s: " + ", ".join(parts)


def _by_group(results: Sequence[Result]) -> list[tuple[str, list[Result]]]:
    groups = [g for g in GROUPS if any(r.question.group == g for r in results)]
    per_group = [(g, [r for r in results if r.question.group == g]) for g in groups]
    return per_group if len(per_group) == 1 else [("all", list(results)), *per_group]


def misses(results: Sequence[Result]) -> str:
    """List the questions ours misses in its top 10, with its first hit and both engines' hit counts."""
    missed = [r for r in results if first_rank(r.ours.citations, r.question.gold) is None]
    lines = [f"## Missed by ours at 10: {len(missed)} of {len(results)}", ""]
    for r in missed:
        first = r.ours.citations[0] if r.ours.citations else "(no hit)"
        base_rank = first_rank(r.baseline.citations, r.question.gold)
        lines.append(f"- [{r.question.group}] {r.question.question} — gold {GOLD_SEPARATOR.join(r.question.gold)}")
        lines.append(f"  ours: {r.ours.total} hits, first {first}"
                     + (f" ({r.ours.error})" if r.ours.error else "")
                     + f"; bm25s: {r.baseline.total} hits, gold at {base_rank or '—'}")
    return "\n".join(lines)


def hit_counts(results: Sequence[Result]) -> str:
    """Summarize how often each engine gave no hit at all, and which questions the library refused."""
    zero_ours = sum(1 for r in results if r.ours.total == 0)
    zero_base = sum(1 for r in results if r.baseline.total == 0)
    lines = [f"Questions with 0 hits: ours {zero_ours}, bm25s {zero_base} (of {len(results)})"]
    refused = [r for r in results if r.ours.error]
    lines += [f"Refused by the query parser: {r.question.question} — {r.ours.error}" for r in refused]
    return "\n".join(lines)


def write_json(results: Sequence[Result], out: Path) -> None:
    """Write one record per question: gold, both engines' top 10, totals and ranks."""
    records = [{**asdict(r.question),
                **{engine: {**asdict(getattr(r, engine)),
                            "rank": first_rank(getattr(r, engine).citations, r.question.gold)}
                   for engine in ("ours", "baseline")}}
               for r in results]
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# -- command line ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.relevance", description=__doc__.split("\n")[0])
    parser.add_argument("--tsv", default=str(DEFAULT_TSV), help="question file (default bench/relevance.tsv)")
    parser.add_argument("--index", help="an index built by `python -m search build` (default: build raw_docs/)")
    parser.add_argument("--json", help="write the per-question results to this file")
    parser.add_argument("--group", choices=GROUPS, help="only the questions of this group")
    return parser.parse_args(argv)


def run(questions: Sequence[Question], index: SearchIndex) -> list[Result]:
    """Check the gold against the index, then ask both engines every question."""
    clauses = stored_clauses(index)
    check_gold(questions, [c.get("citation", "") for c in clauses])
    baseline = Bm25Baseline(clauses)
    return [Result(question=q, ours=ask_ours(index, q.question), baseline=baseline.ask(q.question))
            for q in questions]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        questions = read_questions(Path(args.tsv))
        if args.group:
            questions = [q for q in questions if q.group == args.group]
        with opened_index(args.index) as index:
            results = run(questions, index)
    except (BenchInputError, IndexStateError) as exc:  # a bad TSV line, gold or index: say so, no traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:  # first, so a reader closing stdout early (| head) still gets the file
        write_json(results, Path(args.json))
        print(f"per-question results: {args.json}", file=sys.stderr)
    print(table(results))
    print()
    print(ratios(results))
    print(hit_counts(results))
    print()
    print(misses(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
