"""Highlighted snippets: a clause's text → safe HTML with the query's matches in ``<mark>``.

Matches are found on the normalized text (ＰＣＴ matches ``pct``) and shown in the original
characters; everything outside the marks is HTML-escaped as well.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

from search import settings
from search.text.normalize import normalize, normalize_with_offsets

__all__ = ["highlight"]

MARK_OPEN = "<mark>"
MARK_CLOSE = "</mark>"
ELLIPSIS = "…"


def _find_all(haystack: str, needle: str) -> list[tuple[int, int]]:
    spans, i = [], haystack.find(needle)
    while i >= 0:
        spans.append((i, i + len(needle)))
        i = haystack.find(needle, i + 1)
    return spans


def _merge(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, frozenset[int]]]:
    """Merge overlapping or touching spans; keep which terms each merged span holds."""
    merged: list[tuple[int, int, frozenset[int]]] = []
    for start, end, term in sorted(spans):
        if merged and start <= merged[-1][1]:
            a, b, terms = merged[-1]
            merged[-1] = (a, max(b, end), terms | {term})
        else:
            merged.append((start, end, frozenset({term})))
    return merged


def _window(marks: list[tuple[int, int, frozenset[int]]], length: int, max_chars: int) -> tuple[int, int]:
    """Choose the original-text window holding the most distinct terms; the earliest on a tie."""
    lead = int(max_chars * settings.SNIPPET_LEAD_SHARE)
    best: tuple[int, int, int] | None = None  # (-terms, start, end)
    for first, (a, b, _) in enumerate(marks):
        start = max(0, min(a - lead, length - max_chars))
        end = max(b, min(length, start + max_chars))  # the chosen mark is never cut
        # Marks are never cut: one crossing the start is taken in whole …
        start = next((c for c, d, _ in marks[:first] if c < start < d), start)
        # … and a later one crossing the end is left out whole.
        for c, d, _ in marks[first + 1:]:
            if c < end < d:
                end = c
                break
        terms = frozenset().union(*(t for c, d, t in marks if start <= c and d <= end))
        key = (-len(terms), start, end)
        if best is None or key < best:
            best = key
    return best[1], best[2]


def highlight(
    text: str, words: Sequence[str], phrases: Sequence[str] = (), max_chars: int = settings.SNIPPET_CHARS
) -> str:
    """Return an HTML snippet of ``text`` with every word and whole phrase in ``<mark>``.

    Matching is on normalized text; the snippet shows (escaped) original characters, cut
    to about ``max_chars`` around the window with the most distinct matched terms, with
    ``…`` where it was cut. Overlapping or touching matches share one mark. With no match
    it is the start of the text.

    >>> highlight("申请<b>ＰＣＴ</b>", ["pct"])
    '申请&lt;b&gt;<mark>ＰＣＴ</mark>&lt;/b&gt;'
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    norm, starts, ends = normalize_with_offsets(text)
    spans = []
    for term, needle in enumerate(dict.fromkeys(normalize(t) for t in (*words, *phrases))):
        if needle:
            spans += [(starts[a], ends[b - 1], term) for a, b in _find_all(norm, needle)]
    marks = _merge(spans)
    if marks:
        start, end = _window(marks, len(text), max_chars)
    else:
        start, end = 0, min(len(text), max_chars)
    out = [ELLIPSIS] if start > 0 else []
    pos = start
    for a, b, _ in marks:
        if a < start or b > end:
            continue
        out += [html.escape(text[pos:a]), MARK_OPEN, html.escape(text[a:b]), MARK_CLOSE]
        pos = b
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)
