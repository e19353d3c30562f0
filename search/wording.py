"""Wording two clauses share: the phrases found in both texts wherever they stand, and a similarity that
scores a pair the same whichever text comes first.

Pure (texts in, spans and numbers out): the comparison pages mark the phrases, ``search.comparing`` ranks by the score.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from .analysis import load_stopwords
from .text.normalize import normalize_with_offsets

__all__ = ["Shared", "shared_phrases", "similarity", "task_lists"]

# A shared run with fewer letters, digits or ideographs than this (function characters aside) is a
# coincidence (的, 和, 。) rather than shared wording.
MIN_PHRASE_CHARS = 2

# Who is to do a task, as policy documents write it: a parenthesis naming the agencies that lead,
# cooperate or are responsible (（省知识产权局牵头，省财政厅配合）, （负责部门：商务部）), or a sentence
# 由…负责落实. The list is not the task: two tasks given to the same agencies are not alike for it.
# (ingest's tags.py reads these lists into agencies; the query side may not import ingest, so the
# two patterns that find where a list stands are kept here.)
TASK_LIST_PAREN = re.compile(r"[（(][^（）()]*?(?:牵头|负责|配合|协助|参与)[^（）()]*[）)]")
TASK_LIST_SENTENCE = re.compile(r"(?<!自)由(?![于此])(?:自由|[^。；;，,！!？?：:（）()由])+?负责(?!人)(?:落实|实施)?")
# What stands in for the characters left out of a comparison: a different one on each side, so
# what is left out of one text never matches what is left out of the other.
LEFT_OUT = ("\0", "\1")

Weight = Callable[[str], float]


@dataclass(frozen=True)
class Shared:
    """The phrases two texts share, where they stand in each text as written, and how alike the texts are.

    ``phrases`` are normalized (ＰＣＴ → pct), maximal (none inside another), in the order they
    first appear in the left text; ``left`` and ``right`` are (start, end) offsets into the ORIGINAL
    texts, sorted, apart from each other, covering every occurrence of a shared phrase.
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
    text both hold, with at least ``min_chars`` letters, digits or ideographs that are not
    function characters (的, 和, 与 … of ``stopwords.txt``), so 的商 shared by chance is none;
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
    runs_a = _kept(_longest_runs(na, nb), na, min_chars)
    runs_b = _kept(_longest_runs(nb, na), nb, min_chars)
    phrases = _maximal({na[s:e] for s, e in runs_a} | {nb[s:e] for s, e in runs_b})
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


def task_lists(text: str) -> list[tuple[int, int]]:
    """Return where ``text`` says who is to do its task: （…牵头，…配合）, （负责部门：…）, 由…负责落实.

    >>> text = "实施商标品牌战略。（省工商局负责）"
    >>> [text[s:e] for s, e in task_lists(text)]
    ['（省工商局负责）']
    """
    spans = [m.span() for m in TASK_LIST_PAREN.finditer(text)]
    spans += [m.span() for m in TASK_LIST_SENTENCE.finditer(text) if not any(s <= m.start() < e for s, e in spans)]
    return sorted(spans)


def _left_out(text: str, mark: str) -> str:
    for start, end in task_lists(text):
        text = text[:start] + mark * (end - start) + text[end:]
    return text


def _even(_bigram: str) -> float:
    return 1.0


def _is_char(ch: str) -> bool:
    """Tell whether a character counts: a letter, digit or ideograph, not punctuation, space or a left-out one."""
    return ch.isalnum()


def _longest_runs(a: str, b: str) -> list[tuple[int, int]]:
    """Return the runs of ``a`` found in ``b`` that no longer run of ``a`` found in ``b`` contains.

    For each start in ``a`` the longest run from it that ``b`` holds; the run from the next start
    is at least one shorter (a run's suffix is held too), so each start costs a few substring
    tests at C speed instead of a comparison with every position of ``b``.
    """
    runs: list[tuple[int, int]] = []
    length = 0
    reach = 0  # the end of the last run kept: a later run ending there or before lies inside it
    for i, ch in enumerate(a):
        if ch in LEFT_OUT:
            length = 0
            continue
        length = max(length - 1, 0)
        while i + length < len(a) and a[i:i + length + 1] in b:
            length += 1
        if length and i + length > reach:
            runs.append((i, i + length))
            reach = i + length
    return runs


@functools.cache
def _function_chars() -> frozenset[str]:
    return frozenset(w for w in load_stopwords() if len(w) == 1)


def _kept(runs: list[tuple[int, int]], text: str, min_chars: int) -> list[tuple[int, int]]:
    """Keep the runs holding ``min_chars`` characters that count, function characters aside; trim punctuation at their ends."""
    stop = _function_chars()
    out = []
    for start, end in runs:
        if sum(1 for ch in text[start:end] if _is_char(ch) and ch not in stop) < min_chars:
            continue
        while not _is_char(text[start]):
            start += 1
        while not _is_char(text[end - 1]):
            end -= 1
        out.append((start, end))
    return out


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
    run_of = [-1] * len(text)
    for k, (start, end) in enumerate(covered):
        run_of[start:end] = [k] * (end - start)
    total = shared = 0.0
    for i in range(len(text) - 1):
        if _is_char(text[i]) and _is_char(text[i + 1]):
            w = weight(text[i:i + 2])
            total += w
            if run_of[i] >= 0 and run_of[i] == run_of[i + 1]:
                shared += w
    return total, shared


def _original(runs: list[tuple[int, int]], starts: list[int], ends: list[int]) -> tuple[tuple[int, int], ...]:
    """Map runs of the normalized text to offsets of the original one."""
    return tuple((starts[s], ends[e - 1]) for s, e in runs)
