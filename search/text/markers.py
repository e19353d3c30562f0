"""The numbering grammar of Chinese legal and policy text: which line starts a numbered item.

Shared by cleaning (a numbered line is never the tail of a broken line) and the clause tree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN = r"[一二三四五六七八九十百千零〇○两]"
_DIGITS = r"[0-9０-９]"

# (style, compiled pattern). Order matters: 分编 before 编, 条 tested like the rest.
# Each pattern matches at the start of a paragraph; group "num" holds the number as written.
MARKER_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("subpart", re.compile(rf"^第(?P<num>{_CN}+)分编(?:[\s\u3000]+|$)")),
    ("part", re.compile(rf"^第(?P<num>{_CN}+)编(?:[\s\u3000]+|$)")),
    ("chapter", re.compile(rf"^第(?P<num>{_CN}+)章(?:[\s\u3000]+|$)")),
    ("section", re.compile(rf"^第(?P<num>{_CN}+)节(?:[\s\u3000]+|$)")),
    ("article", re.compile(rf"^第(?P<num>{_CN}+)条(?:[\s\u3000]*)(?=\S|$)")),
    ("cn_dun", re.compile(rf"^(?P<num>{_CN}+)、[\s\u3000]*")),
    ("cn_paren", re.compile(rf"^[（(][\s\u3000]*(?P<num>{_CN}+)[\s\u3000]*[）)][\s\u3000、．.]*")),
    ("num_paren", re.compile(rf"^[（(][\s\u3000]*(?P<num>{_DIGITS}+)[\s\u3000]*[）)][\s\u3000、．.]*")),
    ("num_dot", re.compile(rf"^(?P<num>{_DIGITS}{{1,3}})[.、．](?!{_DIGITS})[\s\u3000]*")),
    ("circled", re.compile(r"^(?P<num>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])[\s\u3000]*")),
    ("dash", re.compile(r"^(?P<num>——|－－|--)(?=\S)")),
)

# Law structure ranks: a heading of rank r closes every open item of rank >= r.
LAW_RANKS = {"part": 0, "subpart": 1, "chapter": 2, "section": 3, "article": 4}

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# A bracketed number that follows 第 or precedes 项/款/目 is a cross-reference (第（一）项), not an item.
CROSS_REFERENCE_BEFORE = re.compile(r"第$")
CROSS_REFERENCE_AFTER = re.compile(r"^[项款目]")
CROSS_REFERENCE_STYLES = ("cn_paren", "num_paren")


@dataclass(frozen=True)
class Marker:
    """A numbering label found at the start of a paragraph."""

    style: str
    label: str  # as written, trailing spaces removed: "（四）", "第二十条", "1."
    number_text: str  # the number as written: "四", "20", "①", "——"
    end: int  # where the text after the label starts


def match_marker(text: str) -> Marker | None:
    """Return the numbering label at the start of ``text``, if any."""
    for style, pattern in MARKER_PATTERNS:
        m = pattern.match(text)
        if m:
            if style in CROSS_REFERENCE_STYLES and CROSS_REFERENCE_AFTER.match(text[m.end():]):
                continue
            label = m.group(0).strip().strip("\u3000")
            return Marker(style=style, label=label, number_text=m.group("num"), end=m.end())
    return None


def starts_with_marker(text: str) -> bool:
    """Tell whether ``text`` opens with a numbering label."""
    return match_marker(text) is not None
