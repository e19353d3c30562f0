"""How others worded it: the tasks of other documents that say what a clause (or a pasted draft) says,
grouped by place, each with the wording both share, a score the same either way round, and who leads it.

Candidates are found as ``similar`` finds them (the text's key words, BM25, who does the task left
out), cut by ``search.wording.overlap``, then ranked by ``search.wording.similarity``, each character
bigram weighted by its rarity in the index. On 17 tasks of the 黑龙江 seed, judged by hand against the
measures of the other policy seeds, the best match was on the same theme for 13 (BM25 alone: 10 with
the agency lists in its key words, 12 without them).
"""
from __future__ import annotations

import math
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from whoosh import query as Q

from . import settings
from .analysis import normalize
from .errors import ClauseNotFound, QuerySyntaxError
from .models import Agency, Hit
from .questions import question_words
from .searching import SearchIndex, _clamped, _stored, hit_from_stored
from .validity import parse_day
from .wording import Shared, overlap, shared_phrases, similarity, task_lists

__all__ = ["Comparison", "Match", "Place", "compare_tasks", "compare_text", "lead_agencies", "wording_similarity"]

# Besides every clause that names agencies, the measures of policy documents are compared: a
# 规划 or 意见 (河南 2022, 三门峡 2014) words the same tasks without saying who does them.
MEASURE_AUTHORITIES = ("规范性文件",)
# A preamble says why a document was made, not what is to be done, even when it names who.
NOT_TASKS = ("preamble",)
# How many of the best BM25 candidates are considered: on raw_docs/ the furthest same-theme task of
# the judged sample (17 Heilongjiang tasks, 51 judged matches) stood 107th by BM25.
CANDIDATES = 200
# … and how many of them, the best by overlap of bigram sets, are weighed exactly (0.3–3 ms each,
# as the texts are short or long): over 60 clauses of the five seeds this first cut kept all 516
# matches that weighing every candidate put in their top 10 (48 ms a comparison at the median, 0.3 s at most).
WEIGHED = 80
# A match sharing less than this of its weighted wording with the text is a coincidence of common
# words (知识产权, 加强) and is not listed: no same-theme task of the judged sample scored under 0.076.
MIN_SIMILARITY = 0.05
# The bigram weights remembered per searcher, at most this many (about 100 bytes each).
RARITY_CACHE_MAX = 500_000
_RARITY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
NATIONAL = "全国"  # the place of a document with no region
# A match lists this many of the phrases it shares, the rarest wording first (all are marked in its text).
KEY_PHRASES = 8
# The roles a task's leader is read from, in order: who leads, else who is responsible.
LEAD_ROLES = ("lead", "responsible")


@dataclass(frozen=True)
class Match:
    """A task of another document: its hit (``score`` = similarity), the wording shared, who leads it."""

    hit: Hit
    shared: Shared  # left: the text compared, right: the hit's text
    key_phrases: tuple[str, ...]  # the shared phrases that weigh most (the rarest wording), heaviest first
    leads: tuple[Agency, ...]  # the agencies that lead it, else those responsible; () when none is named
    lead_role: str  # "lead", "responsible" or ""

    def to_dict(self) -> dict:
        return {**self.hit.to_dict(), "similarity": round(self.shared.similarity, 4),
                "phrases": list(self.shared.phrases), "key_phrases": list(self.key_phrases),
                "marks": [list(s) for s in self.shared.right],
                "origin_marks": [list(s) for s in self.shared.left],
                "leads": [a.to_dict() for a in self.leads], "lead_role": self.lead_role}


@dataclass(frozen=True)
class Place:
    """The matches of one place: a province, city or county, or 全国."""

    name: str  # 河南省三门峡市, 全国
    region: tuple[str, ...]  # as the documents give it, () for national documents
    matches: tuple[Match, ...]  # most similar first

    def to_dict(self) -> dict:
        return {"name": self.name, "region": list(self.region), "matches": [m.to_dict() for m in self.matches]}


@dataclass(frozen=True)
class Comparison:
    """A clause (or a pasted text) and how other places worded the same task."""

    clause: Hit | None  # None for a pasted text
    text: str  # the text compared
    words: tuple[str, ...]  # the key words that found the candidates
    places: tuple[Place, ...]  # the place of the most similar match first
    weighed: int  # candidate clauses whose wording was compared
    tasks_only: bool

    @property
    def total(self) -> int:
        return sum(len(p.matches) for p in self.places)

    def to_dict(self) -> dict:
        return {"clause": self.clause.to_dict() if self.clause else None, "text": self.text,
                "words": list(self.words), "total": self.total, "weighed": self.weighed,
                "tasks_only": self.tasks_only, "places": [p.to_dict() for p in self.places]}


def compare_tasks(index: SearchIndex, clause_id: str, limit: int | str | None = settings.SIMILAR_DEFAULT,
                  tasks_only: bool = False) -> Comparison:
    """Return how the tasks of other documents word what a clause says, grouped by place.

    Candidates are the clauses of other documents (other versions of the clause's act excluded)
    that give agencies a task, and with ``tasks_only`` false also the measures of policy
    documents that name none. ``limit`` (1–``settings.SIMILAR_MAX``) caps the matches listed.

    :raises ClauseNotFound: no such clause. :raises FilterError: a ``limit`` that is no whole number.
    """
    limit = _clamped(limit, "limit", settings.SIMILAR_DEFAULT, 1, settings.SIMILAR_MAX)
    with index.reading():
        docnum = index.searcher.document_number(clause_id=clause_id)
        if docnum is None:
            raise ClauseNotFound(f"索引中没有编号为“{clause_id}”的条款")
        stored = _stored(index.searcher, docnum)
        graph, table = index.graph(), index.facets()
        own = [stored["doc_id"], *graph.versions(stored["doc_id"])]
        excluded = np.concatenate([table.docs_of(d) for d in own])
    origin = hit_from_stored(stored, graph=graph, day=parse_day(None))
    return _compare(index, origin.text, origin, excluded, limit, tasks_only)


def compare_text(index: SearchIndex, text: str, limit: int | str | None = settings.SIMILAR_DEFAULT,
                 tasks_only: bool = False) -> Comparison:
    """Return how the tasks of the collection word what a pasted draft paragraph says, grouped by place.

    :raises QuerySyntaxError: the text is empty (``empty_text``) or longer than
        ``settings.MAX_PASSAGE_CHARS`` (``text_too_long``). :raises FilterError: a bad ``limit``.
    """
    text = (text or "").strip()
    if not text:
        raise QuerySyntaxError("请粘贴要比较的段落：一段任务或政策条文", code="empty_text")
    if len(text) > settings.MAX_PASSAGE_CHARS:
        raise QuerySyntaxError(f"段落有 {len(text)} 个字符，最多 {settings.MAX_PASSAGE_CHARS} 个：请只粘贴要比较的那一段",
                               code="text_too_long")
    limit = _clamped(limit, "limit", settings.SIMILAR_DEFAULT, 1, settings.SIMILAR_MAX)
    return _compare(index, text, None, np.zeros(0, dtype=np.int64), limit, tasks_only)


def wording_similarity(index: SearchIndex, a: str, b: str, skip_task_lists: bool = False) -> float:
    """Return how much wording two texts share (``search.wording.similarity``) with this index's rarity weights:
    the same either way round, the number a comparison ranks by (``skip_task_lists=True`` for tasks)."""
    with index.reading():
        return similarity(a, b, weight=_rarity(index.searcher), skip_task_lists=skip_task_lists)


def lead_agencies(agencies: Sequence[Agency]) -> tuple[tuple[Agency, ...], str]:
    """Return the agencies that lead a task (role lead), else those responsible, and which role that is.

    >>> lead_agencies([Agency("省科技厅", "科技厅", "cooperate"), Agency("省知识产权局", "知识产权局", "lead")])
    ((Agency(name='省知识产权局', canonical='知识产权局', role='lead'),), 'lead')
    """
    for role in LEAD_ROLES:
        found = tuple(a for a in agencies if a.role == role)
        if found:
            return found, role
    return (), ""


def _compare(index: SearchIndex, text: str, origin: Hit | None, excluded: np.ndarray, limit: int,
             tasks_only: bool) -> Comparison:
    searcher = index.searcher
    with index.reading():
        terms = _key_terms(searcher, text)
        table = index.facets()
        eligible = table.facets["agency"].docs_with(set(table.facets["agency"].names), table.size)
        if not tasks_only:
            eligible |= table.facets["authority"].docs_with(set(MEASURE_AUTHORITIES), table.size)
        eligible[excluded] = False
        found = []
        if terms:
            matches = index.arrays().run(Q.Or([Q.Term("text", term, boost=weight) for term, weight in terms]))
            keep = eligible[matches.ids]
            ids, scores = matches.ids[keep], matches.scores[keep]
            found = [_stored(searcher, int(ids[i])) for i in np.lexsort((ids, -scores))[:CANDIDATES]]
        graph = index.graph()
        weight = _rarity(searcher)
        day = parse_day(None)
        found = [f for f in found if f.get("kind") not in NOT_TASKS]
        # A first cut by the overlap of bigram sets (a set operation each), then the exact measure.
        quick = sorted(range(len(found)), key=lambda k: -overlap(text, found[k].get("text", ""), weight, True))
        candidates = [hit_from_stored(found[k], graph=graph, day=day) for k in sorted(quick[:WEIGHED])]
        weighed = []
        for rank, hit in enumerate(candidates):
            shared = shared_phrases(text, hit.text, weight=weight, skip_task_lists=True)
            if shared.similarity >= MIN_SIMILARITY:
                weighed.append((-shared.similarity, rank, hit, shared))
    weighed.sort(key=lambda t: t[:2])  # most similar first, BM25's order on a tie
    best = [Match(replace(hit, score=shared.similarity), shared, _key_phrases(shared.phrases, weight),
                  *lead_agencies(hit.agencies))
            for _, _, hit, shared in weighed[:limit]]
    return Comparison(clause=origin, text=text, words=tuple(term for term, _ in terms), places=_by_place(best),
                      weighed=len(candidates), tasks_only=tasks_only)


def _key_terms(searcher, text: str) -> list[tuple[str, float]]:
    """Return the text's most distinctive words, who does the task left out (as ``_passage_plan`` reads a passage)."""
    what = text
    for start, end in task_lists(text):
        what = what[:start] + " " * (end - start) + what[end:]
    asking = question_words()
    terms = searcher.key_terms_from_text("text", normalize(what), numterms=3 * settings.SIMILAR_KEY_TERMS)
    return [(term, weight) for term, weight in terms if len(term) > 1 and term not in asking][:settings.SIMILAR_KEY_TERMS]


def _rarity(searcher) -> Callable[[str], float]:
    """Return a bigram's weight: its inverse document frequency in the ``grams`` field.

    Remembered per searcher (one generation of the index): a lookup costs about 9 µs and a
    comparison weighs some 6,000 distinct bigrams, 50 ms the first time and nothing after.
    """
    known = _RARITY.get(searcher)
    if known is None or len(known) > RARITY_CACHE_MAX:
        known = _RARITY[searcher] = {}
    size = searcher.doc_count()

    def weight(bigram: str) -> float:
        value = known.get(bigram)
        if value is None:
            value = known[bigram] = math.log(1 + size / (1 + searcher.doc_frequency("grams", bigram)))
        return value

    return weight


def _key_phrases(phrases: Sequence[str], weight: Callable[[str], float]) -> tuple[str, ...]:
    """Return the ``KEY_PHRASES`` phrases whose bigrams weigh most: 驰名商标 before 我省."""
    def heft(phrase: str) -> float:
        return sum(weight(phrase[i:i + 2]) for i in range(len(phrase) - 1)
                   if phrase[i].isalnum() and phrase[i + 1].isalnum())

    return tuple(sorted(phrases, key=heft, reverse=True)[:KEY_PHRASES])


def _by_place(matches: list[Match]) -> tuple[Place, ...]:
    """Group matches by their document's region, the place of the best match first; order kept within each."""
    places: dict[tuple[str, ...], list[Match]] = {}
    for m in matches:
        places.setdefault(tuple(m.hit.region), []).append(m)
    return tuple(Place(name="".join(region) or NATIONAL, region=region, matches=tuple(found))
                 for region, found in places.items())
