"""Side-by-side comparison of two clauses: shared wording in ``<mark class="same">``, the rest in ``<span class="diff">``.

Used by the similar-clauses and the comparison pages. A phrase both texts hold is shared wherever it
stands in each (``search.wording.shared_phrases``), not only where the two texts run in the same order.
"""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from search.wording import MIN_PHRASE_CHARS, shared_phrases

__all__ = ["MIN_SHARED_CHARS", "compare", "mark"]

# Shared runs with fewer characters than this (的, 和, 、 aside) are coincidences and are shown as differing.
MIN_SHARED_CHARS = MIN_PHRASE_CHARS


def compare(left: str, right: str) -> tuple[Markup, Markup]:
    """Return both texts as escaped HTML with the shared and the differing runs marked.

    >>> compare("加强专利保护", "加强商标保护")[0]
    Markup('<mark class="same">加强</mark><span class="diff">专利</span><mark class="same">保护</mark>')
    >>> compare("培育商标品牌", "商标品牌培育")[1]
    Markup('<mark class="same">商标品牌</mark><mark class="same">培育</mark>')
    """
    shared = shared_phrases(left, right, MIN_SHARED_CHARS)
    return mark(left, shared.left), mark(right, shared.right)


def mark(text: str, same: Sequence[Sequence[int]], aside: Sequence[Sequence[int]] = ()) -> Markup:
    """Return ``text`` as escaped HTML, the (start, end) runs of ``same`` in ``<mark class="same">``, those of
    ``aside`` (left out of the comparison: who is to do a task) in ``<span class="aside">``, the rest in
    ``<span class="diff">``. Runs are sorted and apart (``Shared.left``, a comparison's ``marks``)."""
    out: list[str] = []
    pos = 0
    for start, end in [*same, (len(text), len(text))]:
        out += _between(text, pos, start, aside)
        if end > start:
            out.append(f'<mark class="same">{escape(text[start:end])}</mark>')
        pos = max(pos, end)
    return Markup("".join(out))


def _between(text: str, start: int, end: int, aside: Sequence[Sequence[int]]) -> list[str]:
    """Return the pieces of ``text[start:end]``, which no shared run touches: aside where ``aside`` says, else diff."""
    out, pos = [], start
    for a, b in aside:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        if a > pos:
            out.append(f'<span class="diff">{escape(text[pos:a])}</span>')
        out.append(f'<span class="aside">{escape(text[a:b])}</span>')
        pos = b
    if end > pos:
        out.append(f'<span class="diff">{escape(text[pos:end])}</span>')
    return out
