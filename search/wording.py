"""Wording two clauses share: the phrases present in both texts wherever they stand, and a similarity
that scores a pair the same whichever text comes first.

Pure (texts in, spans and numbers out), for the comparison pages and ``search.comparing``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from .analysis import load_stopwords
from .text.normalize import normalize_with_offsets

__all__ = ["Shared", "shared_phrases", "similarity"]

# A shared run shorter than this is a coincidence (的, 和, 、) rather than shared wording.
MIN_PHRASE_CHARS = 2


@dataclass(frozen=True)
class Shared:
    """The phrases two texts share, and where they stand in each text as written.

    ``phrases`` are normalized (ＰＣＴ → pct), in the order they first appear in the left text;
    ``left`` and ``right`` are (start, end) offsets into the ORIGINAL texts, sorted, none
    overlapping or touching another, covering every occurrence of a shared phrase.
    """

    phrases: tuple[str, ...]
    left: tuple[tuple[int, int], ...]
    right: tuple[tuple[int, int], ...]
    left_chars: int  # characters of the left text that count (letters, digits, ideographs)
    right_chars: int
    left_shared: int  # … of them inside a shared phrase
    right_shared: int

    @property
    def share(self) -> float:
        """The share of both texts' characters that stand in a shared phrase (0–1), the same either way round."""
        total = self.left_chars + self.right_chars
        return (self.left_shared + self.right_shared) / total if total else 0.0

    def to_dict(self) -> dict:
        return {"phrases": list(self.phrases), "left": [list(s) for s in self.left],
                "right": [list(s) for s in self.right], "share": round(self.share, 4)}


def shared_phrases(a: str, b: str, min_chars: int = MIN_PHRASE_CHARS) -> Shared:
    """Return the phrases of at least ``min_chars`` characters found in both texts, wherever each stands.

    Texts are compared normalized (width, case, traditional characters); a phrase never spans
    punctuation or space, and loses a function character (的, 和, 与 … of ``stopwords.txt``) at
    either end, so 的商 shared by chance is no phrase. Every occurrence is marked on both sides:
    商标品牌 in the first sentence of one text and the last of the other is shared wording.

    >>> s = shared_phrases("加强专利保护，培育商标品牌", "打造商标品牌，加强保护")
    >>> s.phrases, s.left, s.right
    (('加强', '保护', '商标品牌'), ((0, 2), (4, 6), (9, 13)), ((2, 6), (7, 11)))
    """
    if min_chars < 1:
        raise ValueError(f"min_chars must be at least 1, got {min_chars}")
    na, starts_a, ends_a = normalize_with_offsets(a)
    nb, starts_b, ends_b = normalize_with_offsets(b)
    runs_a = _trimmed(_longest_runs(na, nb), na, min_chars)
    runs_b = _trimmed(_longest_runs(nb, na), nb, min_chars)
    phrases = _maximal({na[s:e] for s, e in runs_a} | {nb[s:e] for s, e in runs_b})
    first = {p: na.find(p) for p in phrases}
    covered_a, covered_b = _union(runs_a), _union(runs_b)
    return Shared(
        phrases=tuple(sorted(phrases, key=lambda p: (first[p], -len(p)))),
        left=_original(covered_a, starts_a, ends_a), right=_original(covered_b, starts_b, ends_b),
        left_chars=_counted(na), right_chars=_counted(nb),
        left_shared=sum(_counted(na[s:e]) for s, e in covered_a),
        right_shared=sum(_counted(nb[s:e]) for s, e in covered_b),
    )


def similarity(a: str, b: str) -> float:
    """Return how much wording two texts share, 0–1, the same whichever comes first.

    The share of both texts' characters standing in a phrase they share (:func:`shared_phrases`):
    what the comparison pages mark is what the score counts.

    >>> similarity("培育商标品牌", "商标品牌培育") == similarity("商标品牌培育", "培育商标品牌") == 1.0
    True
    """
    return shared_phrases(a, b).share


def _is_char(ch: str) -> bool:
    """Tell whether a character can stand in a phrase: a letter, digit or ideograph, not punctuation or space."""
    return ch.isalnum()


def _counted(text: str) -> int:
    return sum(map(_is_char, text))


def _longest_runs(a: str, b: str) -> list[tuple[int, int]]:
    """Return the runs of ``a`` found in ``b`` that no longer run of ``a`` found in ``b`` contains.

    For each start in ``a`` the longest run from it that ``b`` holds; the run from the next start
    is at least one shorter (a suffix of a run ``b`` holds is held too), so each start costs a
    few substring tests (C speed) instead of a comparison with every position of ``b``.
    """
    runs: list[tuple[int, int]] = []
    length = 0
    reach = 0  # the end of the last run kept: a run ending there or before is contained in it
    for i, ch in enumerate(a):
        if not _is_char(ch):
            length = 0
            continue
        length = max(length - 1, 0)
        while i + length < len(a) and _is_char(a[i + length]) and a[i:i + length + 1] in b:
            length += 1
        if length and i + length > reach:
            runs.append((i, i + length))
            reach = i + length
    return runs


@functools.cache
def _function_chars() -> frozenset[str]:
    return frozenset(w for w in load_stopwords() if len(w) == 1)


def _trimmed(runs: list[tuple[int, int]], text: str, min_chars: int) -> list[tuple[int, int]]:
    """Drop function characters at either end of each run, and the runs left shorter than ``min_chars``."""
    out = []
    stop = _function_chars()
    for start, end in runs:
        while start < end and text[start] in stop:
            start += 1
        while end > start and text[end - 1] in stop:
            end -= 1
        if end - start >= min_chars:
            out.append((start, end))
    return out


def _maximal(phrases: set[str]) -> set[str]:
    """Keep the phrases no other phrase of the set contains."""
    return {p for p in phrases if not any(p != q and p in q for q in phrases)}


def _union(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping and touching runs."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(runs):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _original(runs: list[tuple[int, int]], starts: list[int], ends: list[int]) -> tuple[tuple[int, int], ...]:
    """Map runs of the normalized text to offsets of the original one."""
    return tuple((starts[s], ends[e - 1]) for s, e in runs)
