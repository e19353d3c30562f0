"""The one fold of text for indexing and matching: full/half width, case, whitespace and traditional
characters, with offsets back to the original.

Display and citation always use the original text; this form is for the index, queries and
highlighting, which maps matches back through the offsets.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache

__all__ = ["fold", "normalize", "normalize_with_offsets"]



class _FoldTable(dict):
    """``str.translate`` table: code point → folded string, filled on first sight."""

    def __init__(self):
        super().__init__()
        # Characters that fold to anything but exactly one character; while a text has none
        # of them, normalized offsets equal original offsets.
        self.irregular: set[str] = set()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch.isspace():  # U+3000, NBSP, tabs, newlines …
            folded = " "
        elif unicodedata.category(ch) in ("Cc", "Cf"):  # ZWSP, BOM, soft hyphen: invisible
            folded = ""
        else:
            # Per character, so each output character has one source character. NFKC folds
            # full-width ASCII (ＰＣＴ → PCT, （ → (, ，→ ,), Kangxi radicals and CJK
            # compatibility ideographs (PDF artefacts) to the unified ideograph; 。、《》“”
            # are left alone. Checked over all of Unicode: folding twice changes nothing.
            folded = unicodedata.normalize("NFKC", ch).lower()
            folded = _simplified().get(folded, folded)
        if len(folded) != 1:
            self.irregular.add(ch)
        self[code] = folded  # a race only stores the same value twice
        return folded


# The CJK blocks whose traditional characters OpenCC folds: Unified Ideographs and Extension A.
CJK_RANGES = ((0x4E00, 0xA000), (0x3400, 0x4DC0))
_OPENCC_LOCK = threading.Lock()


@cache
def _simplified() -> dict[str, str]:
    """Return traditional → simplified, one character to one, by OpenCC's t2s (專 → 专, 發 → 发).

    Character by character, so offsets stay one to one and 著 stays 著 (OpenCC keeps it). Of
    the 3,751 characters it folds, 5 occur in the 20 M characters of the 3,422 simplified laws
    (乾, 噁, 諮, 鱀, 鮡), a handful of times: folded on both sides, they still match.
    """
    import opencc  # only the first fold of a CJK character pays for it

    chars = [chr(code) for start, end in CJK_RANGES for code in range(start, end)]
    with _OPENCC_LOCK:
        # one string, a character a line: OpenCC's phrase rules can't join two characters
        converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):
        raise RuntimeError("OpenCC t2s changed the number of lines it was given")
    return {a: b for a, b in zip(chars, converted) if a != b and len(b) == 1}


_FOLD = _FoldTable()
_SPACE_RUNS = re.compile(r"^ +| +$| {2,}")


def normalize(text: str) -> str:
    """Fold width, case and traditional characters and collapse whitespace, for indexing and matching only.

    >>> normalize("ＰＣＴ　国际申请（專利）")
    'pct 国际申请(专利)'
    """
    return fold(text)[0]


def fold(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """Return the normalized text and, per normalized character, its original start and end.

    The offset lists are None when they are the identity (the common case: nothing changed
    length and no whitespace run was collapsed).
    """
    folded = text.translate(_FOLD)
    if _FOLD.irregular.isdisjoint(text):
        starts = ends = None
    else:
        starts, ends = [], []
        for i, ch in enumerate(text):
            n = len(_FOLD[ord(ch)])
            starts.extend([i] * n)
            ends.extend([i + 1] * n)
    if not _SPACE_RUNS.search(folded):
        return folded, starts, ends
    if starts is None:
        starts = list(range(len(folded)))
        ends = list(range(1, len(folded) + 1))
    pieces, new_starts, new_ends = [], [], []
    prev = 0
    for run in _SPACE_RUNS.finditer(folded):
        a, b = run.span()
        pieces.append(folded[prev:a])
        new_starts += starts[prev:a]
        new_ends += ends[prev:a]
        if a > 0 and b < len(folded):  # inside the text a run becomes one space spanning it
            pieces.append(" ")
            new_starts.append(starts[a])
            new_ends.append(ends[b - 1])
        prev = b
    pieces.append(folded[prev:])
    new_starts += starts[prev:]
    new_ends += ends[prev:]
    return "".join(pieces), new_starts, new_ends


def normalize_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Return ``normalize(text)`` and, per normalized character, its original start and end.

    ``text[starts[i]:ends[i]]`` is what normalized character ``i`` came from; a collapsed
    whitespace run maps to the whole run. Highlighting uses it to mark the text as displayed.

    >>> normalize_with_offsets("ＰＣＴ　 申请")
    ('pct 申请', [0, 1, 2, 3, 5, 6], [1, 2, 3, 5, 6, 7])
    """
    folded, starts, ends = fold(text)
    if starts is None:
        starts, ends = list(range(len(folded))), list(range(1, len(folded) + 1))
    return folded, starts, ends
