"""The clause tree: cleaned body paragraphs → numbered clauses with ids, labels, headings and paths.

Laws (any document numbered in 第X条) nest 编/分编/章/节/条 by fixed rank; an article's plain
paragraphs are its 款 and its （一） items are its children (项). Policies nest by the order in which
numbering styles first appear (一、 → （一） → 1. → （1） …), which is how drafters use them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import settings
from ..models import Clause, PathStep
from ..text.markers import CIRCLED, CROSS_REFERENCE_BEFORE, LAW_RANKS, Marker, match_marker
from ..text.numerals import to_int

# Inline numbering (a scrape that lost its line breaks) is only trusted after a sentence end.
INLINE_BOUNDARY = re.compile(r"[。；：:;！？!?]$")
INLINE_CANDIDATE = re.compile(
    r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[（(]\d{1,2}[）)]|\d{1,2}[.．、](?!\d)|[①-⑳])"
)
HEADING_END = re.compile(r"[。；！？!?;]")
# Every label of a long line used to be judged against all the text before it (cubic: 4,000
# characters of 一、一、… took 28 s). Labels are short: one and the character after it fit in
# LABEL_WINDOW, so only that much is read at each; a label opening a heading counts only
# when at most MAX_HEADING_CHARS follow it.
LABEL_WINDOW = 64
MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*)$")

POLICY_KINDS = {"cn_dun": "part", "cn_paren": "section", "num_dot": "item", "num_paren": "subitem",
                "circled": "point", "dash": "bullet"}
# GB/T 9704 (公文格式) orders the levels 一、 → （一） → 1. → （1）; scrapes that lose the order
# (the 2009 Henan page) still nest right when the rank is fixed rather than learnt from the page.
POLICY_RANKS = {"heading": 0, "cn_dun": 1, "cn_paren": 2, "num_dot": 3, "num_paren": 4, "circled": 5, "dash": 6}
INSIDE_ARTICLE_KINDS = ("item", "subitem", "point", "point")
KIND_KEYS = {"preamble": "0", "part": "p", "subpart": "q", "chapter": "c", "section": "s", "article": "a",
             "item": "i", "subitem": "j", "point": "k", "bullet": "b", "heading": "h"}


@dataclass
class _Node:
    """A clause being built; frozen into a Clause once the tree is complete."""

    style: str
    kind: str
    label: str
    number: int | None
    paragraphs: list[str]
    parent: "_Node | None"
    position: int
    heading_line: str = ""  # a title-only first line (一、指导思想), kept out of the text
    paragraph: int | None = None
    children: list["_Node"] = field(default_factory=list)


@dataclass
class _Segment:
    marker: Marker | None
    style: str  # marker style, "heading" for an unnumbered Markdown heading, "" for plain text
    text: str  # text after the label
    depth: int = 0  # Markdown heading depth


def build_clauses(paragraphs: list[str], doc_id: str) -> list[Clause]:
    """Split cleaned body paragraphs into the document's clause tree, in reading order."""
    segments = [seg for p in paragraphs for seg in _segments(p)]
    is_law = any(seg.style == "article" for seg in segments)
    nodes = _build_law(segments) if is_law else _build_policy(segments)
    return _freeze(nodes, doc_id, is_law)


def _segments(paragraph: str) -> list[_Segment]:
    """Cut a paragraph at its leading label and at labels that follow a sentence end inline."""
    heading = MARKDOWN_HEADING.match(paragraph)
    if heading:
        text = heading.group("text").strip()
        marker = match_marker(text)
        if marker:
            return [_Segment(marker, marker.style, text[marker.end:].strip())]
        return [_Segment(None, "heading", text, depth=len(heading.group("hashes")))]
    cuts = [0] + _inline_cuts(paragraph)
    pieces = [paragraph[a:b] for a, b in zip(cuts, cuts[1:] + [len(paragraph)])]
    out = []
    for piece in pieces:
        marker = match_marker(piece)
        if marker:
            out.append(_Segment(marker, marker.style, piece[marker.end:].strip()))
        else:
            out.append(_Segment(None, "", piece.strip()))
    return out


def _inline_cuts(paragraph: str) -> list[int]:
    """Return where labels inside ``paragraph`` (not at its start) begin a segment, in one pass."""
    cuts = []
    last = None  # start of the last label opening the paragraph or following a sentence end
    for m in INLINE_CANDIDATE.finditer(paragraph):
        start = m.start()
        stop = _text_end_before(paragraph, start)  # len(paragraph[:start].rstrip())
        if start > 0 and _inline_cut_ok(paragraph, start, stop, last):
            cuts.append(start)
        if start == 0 or INLINE_BOUNDARY.search(paragraph[stop - 1:stop]):
            last = start
    return cuts


def _text_end_before(paragraph: str, start: int) -> int:
    """Return where the text before ``start`` ends once trailing whitespace is dropped."""
    while start > 0 and paragraph[start - 1].isspace():
        start -= 1
    return start


def _inline_cut_ok(paragraph: str, start: int, stop: int, last: int | None) -> bool:
    """Tell whether the label at ``start`` (text before it ends at ``stop``) begins a segment."""
    marker = match_marker(paragraph[start:start + LABEL_WINDOW])
    before_end = paragraph[stop - 1:stop]  # the two patterns below only test the last character
    if marker is None or marker.style == "dash" or CROSS_REFERENCE_BEFORE.search(before_end):
        return False
    if INLINE_BOUNDARY.search(before_end):
        return True
    # "一、关于战略目标1.必须…": a deeper label straight after a short unpunctuated heading.
    if last is None or stop - last > LABEL_WINDOW + settings.MAX_HEADING_CHARS:
        return False
    previous = match_marker(paragraph[last:stop])
    between = paragraph[last + previous.end:stop] if previous else ""
    return (previous is not None and previous.style != marker.style
            and len(between) <= settings.MAX_HEADING_CHARS and not re.search(r"[，,。；：:、]", between))


def _number(marker: Marker) -> int | None:
    if marker.style == "dash":
        return None
    if marker.style == "circled":
        return CIRCLED.index(marker.number_text) + 1
    return to_int(marker.number_text)


def _new_node(seg: _Segment, kind: str, parent: _Node | None, position: int) -> _Node:
    marker = seg.marker
    node = _Node(style=seg.style, kind=kind, label=marker.label if marker else "",
                 number=_number(marker) if marker else None, paragraphs=[], parent=parent,
                 position=position)
    if seg.style == "heading" or (seg.text and _is_title_line(seg.text) and kind not in ("article", "item", "subitem")):
        node.heading_line = seg.text
    elif seg.text:
        node.paragraphs.append(seg.text)
    if parent is not None:
        parent.children.append(node)
    return node


def _is_title_line(text: str) -> bool:
    return len(text) <= settings.MAX_HEADING_CHARS and not HEADING_END.search(text)


def _build_policy(segments: list[_Segment]) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[_Node] = []
    for seg in segments:
        if not seg.style:
            if stack:
                stack[-1].paragraphs.append(seg.text)
            else:
                nodes.append(_preamble(nodes, seg.text))
            continue
        rank = _policy_rank(seg.style)
        while stack and _policy_rank(stack[-1].style) >= rank:
            stack.pop()
        kind = POLICY_KINDS.get(seg.style, seg.style)
        node = _new_node(seg, kind, stack[-1] if stack else None, len(nodes))
        nodes.append(node)
        stack.append(node)
    return nodes


def _policy_rank(style: str) -> int:
    # A dash bullet hangs under whatever numbered item is open; a second bullet is its sibling.
    return POLICY_RANKS.get(style, len(POLICY_RANKS))


def _build_law(segments: list[_Segment]) -> list[_Node]:
    nodes: list[_Node] = []
    stack: list[_Node] = []  # structure nodes (编 … 条), outermost first
    inner: list[_Node] = []  # 项/目 under the current article
    for seg in segments:
        rank = _law_rank(seg)
        if rank is not None:
            while stack and _law_rank_of(stack[-1]) >= rank:
                stack.pop()
            inner = []
            kind = "heading" if seg.style == "heading" else seg.style
            node = _new_node(seg, kind, stack[-1] if stack else None, len(nodes))
            nodes.append(node)
            stack.append(node)
            continue
        article = stack[-1] if stack and stack[-1].kind == "article" else None
        if not seg.style:
            if article is not None:
                article.paragraphs.append(seg.text)  # a new 款
                inner = []
            elif stack:
                stack[-1].paragraphs.append(seg.text)
            else:
                nodes.append(_preamble(nodes, seg.text))
            continue
        if article is None:
            # Numbered items outside any article (a preamble list, 附件): nest like a policy.
            parent = stack[-1] if stack else None
            node = _new_node(seg, POLICY_KINDS.get(seg.style, seg.style), parent, len(nodes))
            nodes.append(node)
            continue
        styles = [n.style for n in inner]
        if seg.style in styles:
            del inner[styles.index(seg.style):]
        kind = INSIDE_ARTICLE_KINDS[min(len(inner), len(INSIDE_ARTICLE_KINDS) - 1)]
        node = _new_node(seg, kind, inner[-1] if inner else article, len(nodes))
        node.paragraph = max(len(article.paragraphs), 1)
        nodes.append(node)
        inner.append(node)
    return nodes


def _law_rank(seg: _Segment) -> float | None:
    if seg.style in LAW_RANKS:
        return LAW_RANKS[seg.style]
    if seg.style == "heading":
        # "## 附则" without a number: the depth of its hashes places it (## is a chapter).
        return min(LAW_RANKS["chapter"] + seg.depth - 2, LAW_RANKS["section"]) + 0.5
    return None


def _law_rank_of(node: _Node) -> float:
    if node.kind == "heading":
        return LAW_RANKS["chapter"] + 0.5
    return LAW_RANKS.get(node.kind, len(LAW_RANKS))


def _preamble(nodes: list[_Node], text: str) -> _Node:
    if nodes and nodes[-1].kind == "preamble":
        nodes[-1].paragraphs.append(text)
        return nodes.pop()
    return _Node(style="", kind="preamble", label="", number=None, paragraphs=[text], parent=None,
                 position=len(nodes))


def _freeze(nodes: list[_Node], doc_id: str, is_law: bool) -> list[Clause]:
    ids: dict[int, str] = {}
    used: set[str] = set()
    clauses = []
    for node in nodes:
        base = _id_path(node)
        clause_id, n = f"{doc_id}-{base}", 1
        while clause_id in used:  # labels repeat by mistake (two "3." in one list)
            n += 1
            clause_id = f"{doc_id}-{base}~{n}"
        used.add(clause_id)
        ids[id(node)] = clause_id
        clauses.append(Clause(
            id=clause_id, doc_id=doc_id, label=node.label, kind=node.kind, number=node.number,
            heading=_heading(node, is_law), paragraphs=tuple(node.paragraphs), path=_path(node, is_law),
            position=node.position, parent_id=ids.get(id(node.parent)) if node.parent else None,
            paragraph=node.paragraph, heading_line=bool(node.heading_line),
        ))
    return clauses


def _id_path(node: _Node) -> str:
    keys = []
    while node is not None:
        if node.kind == "bullet" or node.number is None:
            siblings = node.parent.children if node.parent else []
            same = [s for s in siblings if s.kind == node.kind]
            index = same.index(node) + 1 if node in same else node.position
        else:
            index = node.number
        keys.append("0" if node.kind == "preamble" else f"{KIND_KEYS.get(node.kind, 'x')}{index}")
        node = node.parent
    return ".".join(reversed(keys))


def _heading(node: _Node, is_law: bool) -> str:
    if node.heading_line:
        return node.heading_line
    if is_law and node.kind in ("article", "item", "subitem", "point", "preamble"):
        return ""
    if not node.paragraphs or node.kind == "preamble":
        return ""
    first = HEADING_END.search(node.paragraphs[0])
    if first and first.end() <= settings.MAX_CLAUSE_HEADING_CHARS:
        return node.paragraphs[0][: first.end()]
    return ""


def _path(node: _Node, is_law: bool) -> tuple[PathStep, ...]:
    steps = []
    parent = node.parent
    while parent is not None:
        steps.append(PathStep(label=parent.label, heading=_heading(parent, is_law)))
        parent = parent.parent
    return tuple(reversed(steps))


def reading_order(clauses: list[Clause] | tuple[Clause, ...]) -> list[tuple[Clause, str]]:
    """Return (clause, piece) pairs in the order the document reads.

    A law article's 款 and 项 interleave: the 项 of 第二款 come after 第二款 and before 第三款.
    Elsewhere a clause's own text precedes its children.
    """
    children: dict[str | None, list[Clause]] = {}
    for clause in sorted(clauses, key=lambda c: c.position):
        children.setdefault(clause.parent_id, []).append(clause)
    out: list[tuple[Clause, str]] = []

    def walk(clause: Clause) -> None:
        head = clause.label + (clause.heading if clause.heading_line else "")
        kids = children.get(clause.id, [])
        if head:
            out.append((clause, head))
        for number, paragraph in enumerate(clause.paragraphs, start=1):
            out.append((clause, paragraph))
            for kid in kids:
                if kid.paragraph == number:
                    walk(kid)
        for kid in kids:
            if kid.paragraph is None or kid.paragraph > len(clause.paragraphs):
                walk(kid)

    for root in children.get(None, []):
        walk(root)
    return out
