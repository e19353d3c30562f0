"""Wording two clauses share: the phrases found in both texts wherever they stand, and a similarity that
scores a pair the same whichever text comes first.

Pure (texts in, spans and numbers out): the comparison pages mark the phrases, ``search.comparing`` ranks by the score.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .analysis import load_stopwords, segmenter
from .text.normalize import normalize_with_offsets

__all__ = ["Shared", "overlap", "shared_phrases", "similarity", "task_lists"]

# A shared run with fewer letters, digits or ideographs than this (function words aside) is a
# coincidence (的, 和, 。) rather than shared wording.
MIN_PHRASE_CHARS = 2

# Who is to do a task, as policy documents write it: a parenthesis naming the agencies that lead,
# cooperate or are responsible (（省知识产权局牵头，省财政厅配合）, （负责部门：商务部）), or a sentence
# 由…负责落实. The list is not the task: two tasks given to the same agencies are not alike for it.
# (ingest's tags.py reads these lists into agencies; the query side may not import ingest, so the
# two patterns that find where a list stands are kept here.)
TASK_LIST_PAREN = re.compile(r"[（(][^（）()]*?(?:牵头|负责|配合|协助|参与)[^（）()]*[）)]")
TASK_LIST_SENTENCE = re.compile(r"(?<!自)由(?![于此])(?:自由|[^。；;，,！!？?：:（）()由])+?负责(?!人)(?:落实|实施)?")
# A run of this many letters, digits or ideographs is wording, whatever its words: only shorter
# runs are cut into words to see whether they are more than function words and punctuation.
SURELY_WORDING_CHARS = 5
# Short runs' words, and texts' bigram positions, remembered: the text compared recurs with every
# candidate, and the same runs in many comparisons.
WORDS_CACHE = 50_000
BIGRAMS_CACHE = 512
# What stands in for the characters left out of a comparison: a different one on each side, so
# what is left out of one text never matches what is left out of the other.
LEFT_OUT = ("\0", "\1")

Weight = Callable[[str], float]


@dataclass(frozen=True)
class Shared:
    """The phrases two texts share, where they stand in each text as written, and how alike the texts are.

    ``phrases`` are normalized (ＰＣＴ → pct), without punctuation or function characters at their
    ends, maximal (none inside another), in the order they first appear in the left text; ``left``
    and ``right`` are (start, end) offsets into the ORIGINAL texts, sorted, apart from each other,
    covering every occurrence of a shared run, its punctuation included.
    """

    phrases: tuple[str, ...]
    left: tuple[tuple[int, int], ...]
    right: tuple[tuple[int, int], ...]
    similarity: float  # 0–1, the same with left and right swapped: see :func:`similarity`

    def to_dict(self) -> dict:
        return {"phrases": list(self.phrases), "left": [list(s) for s in self.left],
                "right": [list(s) for s in self.right], "similarity": round(self.similarity, 4)}


def shared_phrases(a: str, b: str, min_chars: int = MIN_PHRASE_CHARS, weight: Weight | None = None,
                   skip_task_lists: bool = False) -> Shared:
    """Return the phrases found in both texts, wherever each stands, and the texts' similarity.

    Texts are compared normalized (width, case, traditional characters). A phrase is a run of
    text both hold, with at least ``min_chars`` characters in words that are not function words
    (的, 和, 与 … of ``stopwords.txt``, as jieba cuts the run), so 的商 shared by chance is none;
    every occurrence is marked on both sides: 商标品牌 in the first sentence of one text and in
    the last of the other is shared wording. ``skip_task_lists`` leaves out who is to do a task
    (:func:`task_lists`) from the comparison, its marks and its score. ``weight`` weighs each
    character bigram in the score (:func:`similarity`).

    >>> s = shared_phrases("加强专利保护，培育商标品牌", "打造商标品牌，加强保护")
    >>> s.phrases, s.left, s.right
    (('加强', '保护', '商标品牌'), ((0, 2), (4, 6), (9, 13)), ((2, 6), (7, 9), (9, 11)))
    """
    if min_chars < 1:
        raise ValueError(f"min_chars must be at least 1, got {min_chars}")
    na, starts_a, ends_a = normalize_with_offsets(a)
    nb, starts_b, ends_b = normalize_with_offsets(b)
    if skip_task_lists:
        na, nb = _left_out(na, LEFT_OUT[0]), _left_out(nb, LEFT_OUT[1])
    runs_a = _kept(_longest_runs(na, nb, min_chars), na, min_chars)
    runs_b = _kept(_longest_runs(nb, na, min_chars), nb, min_chars)
    phrases = _maximal(({_bare(na[s:e]) for s, e in runs_a} | {_bare(nb[s:e]) for s, e in runs_b}) - {""})
    first = {p: na.find(p) for p in phrases}
    covered_a, covered_b = _union(runs_a), _union(runs_b)
    weight = weight or _even
    total_a, shared_a = _bigram_weights(na, covered_a, weight)
    total_b, shared_b = _bigram_weights(nb, covered_b, weight)
    total = total_a + total_b
    return Shared(
        phrases=tuple(sorted(phrases, key=lambda p: (first[p], -len(p)))),
        left=_original(covered_a, starts_a, ends_a), right=_original(covered_b, starts_b, ends_b),
        similarity=(shared_a + shared_b) / total if total else 0.0,
    )


def similarity(a: str, b: str, weight: Weight | None = None, skip_task_lists: bool = False) -> float:
    """Return how much wording two texts share, 0–1, the same whichever comes first.

    The share of both texts standing in a phrase they share (:func:`shared_phrases`), counted in
    character bigrams (two letters, digits or ideographs side by side), each weighing ``weight``
    of it (1 when None): what the pages mark is what the score counts. With a weight that is the
    bigram's rarity in a collection (``search.comparing``), 知识产权, shared by nearly every clause,
    counts for little and 质押融资 for much.

    >>> similarity("培育商标品牌", "商标品牌培育"), similarity("商标品牌培育", "培育商标品牌")
    (0.8, 0.8)
    """
    return shared_phrases(a, b, weight=weight, skip_task_lists=skip_task_lists).similarity


def overlap(a: str, b: str, weight: Weight | None = None, skip_task_lists: bool = False) -> float:
    """Return a quick estimate of :func:`similarity`, 0–1, the same either way round: the weighted
    Dice coefficient of the two texts' sets of character bigrams, wherever they stand.

    A first cut of many candidates: ``search.comparing`` weighs only the best of them exactly.

    >>> overlap("培育商标品牌", "商标品牌培育")
    0.8
    """
    weight = weight or _even
    x, y = _bigram_set(a, skip_task_lists), _bigram_set(b, skip_task_lists)
    total = sum(map(weight, x)) + sum(map(weight, y))
    return 2 * sum(map(weight, x & y)) / total if total else 0.0


def task_lists(text: str) -> list[tuple[int, int]]:
    """Return where ``text`` says who is to do its task: （…牵头，…配合）, （负责部门：…）, 由…负责落实.

    >>> text = "实施商标品牌战略。（省工商局负责）"
    >>> [text[s:e] for s, e in task_lists(text)]
    ['（省工商局负责）']
    """
    spans = [m.span() for m in TASK_LIST_PAREN.finditer(text)]
    spans += [m.span() for m in TASK_LIST_SENTENCE.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    return sorted(spans)


@functools.lru_cache(maxsize=BIGRAMS_CACHE)
def _bigram_set(text: str, skip_task_lists: bool) -> frozenset[str]:
    folded = normalize_with_offsets(text)[0]
    if skip_task_lists:
        folded = _left_out(folded, LEFT_OUT[0])
    return frozenset(folded[i:i + 2] for i in range(len(folded) - 1)
                     if _is_char(folded[i]) and _is_char(folded[i + 1]))


def _left_out(text: str, mark: str) -> str:
    for start, end in task_lists(text):
        text = text[:start] + mark * (end - start) + text[end:]
    return text


def _even(_bigram: str) -> float:
    return 1.0


def _is_char(ch: str) -> bool:
    """Tell whether a character counts: a letter, digit or ideograph, not punctuation, space or a left-out one."""
    return ch.isalnum()


def _longest_runs(a: str, b: str, min_chars: int) -> list[tuple[int, int]]:
    """Return the runs of ``a`` of at least ``min_chars`` characters found in ``b`` that no longer run
    of ``a`` found in ``b`` contains.

    For each start in ``a`` the longest run from it that ``b`` holds; the run from the next start
    is at least one shorter (a run's suffix is held too), so each start costs a few tests. A test
    looks only where ``b`` holds the run's first two characters (:func:`_starts`), not all along ``b``.
    """
    starts = _starts(b)
    chars = starts.get("")  # the characters of b, under the key no bigram has

    def held(run: str) -> bool:
        if len(run) == 1:
            return run in chars
        return any(b.startswith(run, j) for j in starts.get(run[:2], ()))

    runs: list[tuple[int, int]] = []
    length = 0
    reach = 0  # the end of the last run kept: a later run ending there or before lies inside it
    for i, ch in enumerate(a):
        if ch in LEFT_OUT:
            length = 0
            continue
        length = max(length - 1, 0)
        while i + length < len(a) and held(a[i:i + length + 1]):
            length += 1
        if length >= min_chars and i + length > reach:
            runs.append((i, i + length))
            reach = i + length
    return runs


@functools.lru_cache(maxsize=BIGRAMS_CACHE)
def _starts(text: str) -> dict:
    """Return where each bigram of ``text`` starts, and under "" the set of its characters."""
    starts: dict = {"": frozenset(text)}
    for j in range(len(text) - 1):
        starts.setdefault(text[j:j + 2], []).append(j)
    return starts


@functools.cache
def _stopwords() -> frozenset[str]:
    return load_stopwords()


@functools.lru_cache(maxsize=WORDS_CACHE)
def _words(run: str) -> tuple[str, ...]:
    """Return jieba's words of a run, as the index cuts them."""
    return tuple(segmenter().cut(run, HMM=True))


def _content_chars(run: str, enough: int) -> int:
    """Count the characters of a run's words that are neither punctuation nor function words (的, 和 …),
    or say ``enough`` at once of a run long enough to be wording whatever its words."""
    if sum(map(_is_char, run)) >= max(enough, SURELY_WORDING_CHARS):
        return enough
    stop = _stopwords()
    return sum(len(w) for w in _words(run) if _is_char(w[0]) and w not in stop)


def _kept(runs: list[tuple[int, int]], text: str, min_chars: int) -> list[tuple[int, int]]:
    """Keep the runs holding ``min_chars`` characters of words that are not function words (的商 holds one).

    A kept run is marked whole, its punctuation too: both texts hold it (“走出去”, 专利、商标).
    """
    return [(start, end) for start, end in runs if _content_chars(text[start:end], min_chars) >= min_chars]


def _bare(run: str) -> str:
    """Return a run as a phrase to list, in whole words: without punctuation, function words or a single
    character cut from a longer word at its ends (产业和, → 产业; 特色产 → 特色; 地理标志 keeps its 地)."""
    stop = _stopwords()
    words = list(_words(run))

    def loose(word: str) -> bool:
        return not _is_char(word[0]) or word in stop or (len(word) == 1 and any(len(w) > 1 for w in words))

    while words and loose(words[0]):
        words.pop(0)
    while words and loose(words[-1]):
        words.pop()
    return "".join(words)


def _maximal(phrases: set[str]) -> set[str]:
    """Keep the phrases no other phrase of the set contains."""
    return {p for p in phrases if not any(p != q and p in q for q in phrases)}


def _union(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping runs (touching ones stay apart: two phrases side by side are two marks)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _bigram_weights(text: str, covered: list[tuple[int, int]], weight: Weight) -> tuple[float, float]:
    """Return the weight of all the text's bigrams of counted characters, and of those inside one covered run."""
    starts, weights = _bigrams(text, weight)
    if not len(starts):
        return 0.0, 0.0
    # A bigram is shared when both its characters stand in one covered run: it starts inside the
    # run, before the run's last character (two runs side by side share no bigram between them).
    inside = np.zeros(len(text), dtype=bool)
    for start, end in covered:
        inside[start:end - 1] = True
    return float(weights.sum()), float(weights[inside[starts]].sum())


def _bigrams(text: str, weight: Weight) -> tuple[np.ndarray, np.ndarray]:
    """Return where the text's bigrams of counted characters start, and their weights."""
    starts = [i for i in range(len(text) - 1) if _is_char(text[i]) and _is_char(text[i + 1])]
    return np.asarray(starts, dtype=np.int64), np.asarray([weight(text[i:i + 2]) for i in starts], dtype=np.float64)


def _original(runs: list[tuple[int, int]], starts: list[int], ends: list[int]) -> tuple[tuple[int, int], ...]:
    """Map runs of the normalized text to offsets of the original one."""
    return tuple((starts[s], ends[e - 1]) for s, e in runs)
