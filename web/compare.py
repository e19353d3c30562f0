"""Side-by-side comparison of two clauses: shared wording in ``<mark class="same">``, the rest in ``<span class="diff">``.

Used by the similar-clauses page; character-level, since Chinese has no spaces to split words on.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from markupsafe import Markup, escape

# Shared runs shorter than this are coincidences (的, 和, 、) and are shown as differing.
MIN_SHARED_CHARS = 2


def compare(left: str, right: str) -> tuple[Markup, Markup]:
    """Return both texts as escaped HTML with the shared and the differing runs marked.

    >>> compare("加强专利保护", "加强商标保护")[0]
    Markup('<mark class="same">加强</mark><span class="diff">专利</span><mark class="same">保护</mark>')
    """
    # autojunk would treat frequent characters (，的) of long clauses as junk and miss shared runs.
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    shared = [b for b in matcher.get_matching_blocks() if b.size >= MIN_SHARED_CHARS]
    return (_mark(left, [(b.a, b.a + b.size) for b in shared]),
            _mark(right, [(b.b, b.b + b.size) for b in shared]))


def _mark(text: str, same: list[tuple[int, int]]) -> Markup:
    out: list[str] = []
    pos = 0
    for start, end in same:
        if start > pos:
            out.append(f'<span class="diff">{escape(text[pos:start])}</span>')
        out.append(f'<mark class="same">{escape(text[start:end])}</mark>')
        pos = end
    if pos < len(text):
        out.append(f'<span class="diff">{escape(text[pos:])}</span>')
    return Markup("".join(out))


