"""新旧对照: two versions of one act compared article by article, wording changes marked character by character.

Reads the clauses ``searching.get_document`` returns; the CLI prints ``format_diff``, a page renders ``to_dict()``.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz import fuzz, process

from . import settings
from .errors import NotVersions
from .models import Hit, PathStep
from .searching import SearchIndex, document_metadata, get_document
from .text.lawnames import quoted
from .text.normalize import normalize
from .text.numerals import NUMERAL_RE, NumeralError, to_int

CHANGES = ("same", "changed", "added", "removed")
CHANGE_LABELS = {"same": "未变", "changed": "修改", "added": "新增", "removed": "删除"}

# Two articles standing between the same anchors (see _align) are one article rewritten when their folded
# wording is at least this similar (rapidfuzz ratio, 0–100). Measured on the bundled texts: the weakest true
# pairs of 专利法实施细则 2010 → 2023 score 48 (第二十七条 → 第三十条) and 44 (第七十八条 → 第九十四条, 报酬
# rewritten). Lowered to 30 it pairs unrelated articles (30–39) of two provinces' 专利条例 (河南 2005, 北京 2013).
PAIR_THRESHOLD = 40.0
# Shared runs shorter than this between two changes are coincidences (十 in 二十 → 十九, 的, 、): folded into
# the change so it reads [-二十][+十九] rather than [-二]十[+九].
MIN_SAME_CHARS = 2
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A run of an article's text: the same in both versions, only in the new one, or only in the old one."""

    kind: str  # same, added, removed
    text: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class ArticleChange:
    """One row of the 新旧对照: an article of either version, or a pair of them, and what changed."""

    change: str  # one of CHANGES: same (wording folded equal), changed, added, removed
    renumbered: bool  # a pair whose 条 number differs (later articles shift when one is inserted)
    old_label: str  # 第十二条 …, "" when the article is not in the old version
    new_label: str
    old_clause_id: str | None
    new_clause_id: str | None
    old_text: str  # the article's text; for a clause whose heading stands on its own line, heading + text
    new_text: str
    old_path: tuple[PathStep, ...]  # 编/章/节 the article stands under in each version
    new_path: tuple[PathStep, ...]
    segments: tuple[Segment, ...]  # same + removed rebuild old_text, same + added rebuild new_text
    similarity: float  # 0–1 on the folded text; 1.0 for same, 0.0 for added and removed

    @property
    def path(self) -> tuple[PathStep, ...]:
        """Where the row stands in the table: under the new version's chapter, a removed article under its old one."""
        return self.new_path if self.new_clause_id is not None else self.old_path

    def to_dict(self) -> dict:
        return {
            "change": self.change, "renumbered": self.renumbered,
            "old_label": self.old_label, "new_label": self.new_label,
            "old_clause_id": self.old_clause_id, "new_clause_id": self.new_clause_id,
            "old_text": self.old_text, "new_text": self.new_text,
            "old_path": [s.to_dict() for s in self.old_path], "new_path": [s.to_dict() for s in self.new_path],
            "path": [s.to_dict() for s in self.path],
            "change_label": CHANGE_LABELS[self.change], "segments": [s.to_dict() for s in self.segments],
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True)
class DocumentDiff:
    """Two versions of one act compared: every article, in the new version's order."""

    old_id: str
    new_id: str
    old_title: str
    new_title: str
    old_date: str
    new_date: str
    articles: tuple[ArticleChange, ...]  # new version's order, a removed article where it stood in the old
    counts: dict  # change → number of articles, every change in CHANGES present

    @property
    def renumbered(self) -> int:
        return sum(a.renumbered for a in self.articles)

    def to_dict(self) -> dict:
        return {
            "old_id": self.old_id, "new_id": self.new_id, "old_title": self.old_title, "new_title": self.new_title,
            "old_date": self.old_date, "new_date": self.new_date,
            "articles": [a.to_dict() for a in self.articles],
            "counts": dict(self.counts), "renumbered": self.renumbered,
        }


def diff_versions(index: SearchIndex, old_id: str, new_id: str) -> DocumentDiff:
    """Compare two versions of one act of the index, the older first whichever way they are given.

    :raises DocumentNotFound: either id is not in the index.
    :raises NotVersions: the two are not versions of one act, or one has more than settings.DIFF_MAX_UNITS units.
    """
    old, new = get_document(index, old_id), get_document(index, new_id)
    old_meta, new_meta = document_metadata(index, old_id), document_metadata(index, new_id)
    with index.reading():
        graph = index.graph()
    if new_id not in graph.versions(old_id):
        raise NotVersions(f"{quoted(old_meta['title'])}与{quoted(new_meta['title'])}不是同一法规的两个版本，"
                          f"无法逐条对照")
    for hits, meta in ((old, old_meta), (new, new_meta)):
        if len(hits) > settings.DIFF_MAX_UNITS:
            raise NotVersions(f"{quoted(meta['title'])}有 {len(hits)} 个条款，"
                              f"逐条对照最多 {settings.DIFF_MAX_UNITS} 个")
    # the day of each version's text (a header may stop short of the revision the file is named by)
    old_meta = {**old_meta, "date": graph.documents[old_id]["version_date"] or old_meta["date"]}
    new_meta = {**new_meta, "date": graph.documents[new_id]["version_date"] or new_meta["date"]}
    if old_meta["date"] > new_meta["date"]:
        old, new, old_meta, new_meta = new, old, new_meta, old_meta
    return diff_documents(old, new, old_meta, new_meta)


def diff_documents(old: Sequence[Hit], new: Sequence[Hit], old_meta: dict | None = None,
                   new_meta: dict | None = None) -> DocumentDiff:
    """Compare two versions given as their clauses in reading order (``get_document``'s hits).

    The articles are compared (their 款 and 项 are in their text); a version without any article
    has all its clauses compared instead. ``*_meta`` (``document_metadata``'s dict) give title and date.
    """
    old_units, new_units = _units(old), _units(new)
    old_keys, new_keys = [_key(_wording(h)) for h in old_units], [_key(_wording(h)) for h in new_units]
    rows = []
    for i, j in _align(old_keys, new_keys):
        a = old_units[i] if i is not None else None
        b = new_units[j] if j is not None else None
        if a is not None and b is not None:
            same = old_keys[i] == new_keys[j]
            similarity = 1.0 if same else fuzz.ratio(old_keys[i], new_keys[j]) / 100
            rows.append(_row("same" if same else "changed", a, b, similarity))
        else:
            rows.append(_row("removed" if b is None else "added", a, b, 0.0))
    counts = Counter(r.change for r in rows)
    return DocumentDiff(
        old_id=_first(old, "doc_id"), new_id=_first(new, "doc_id"),
        old_title=(old_meta or {}).get("title") or _first(old, "title"),
        new_title=(new_meta or {}).get("title") or _first(new, "title"),
        old_date=(old_meta or {}).get("date") or _first(old, "date"),
        new_date=(new_meta or {}).get("date") or _first(new, "date"),
        articles=tuple(rows), counts={change: counts[change] for change in CHANGES},
    )


def format_diff(diff: DocumentDiff) -> str:
    """Return the diff as plain text: a summary line, then a block per added, removed or changed article.

    Added wording is marked [+…], removed wording [-…]; articles that only moved are listed on one line.
    """
    lines = [summary(diff)]
    moved = []
    for a in diff.articles:
        if a.change == "same":
            if a.renumbered:
                moved.append(f"{a.old_label}→{a.new_label}")
            continue
        where = " ".join(f"{s.label} {s.heading}".strip() for s in a.path)
        labels = (_arrow(a) if a.change == "changed" else a.old_label or a.new_label) or "（无编号）"
        lines += ["", f"【{CHANGE_LABELS[a.change]}】{labels}" + (f"（{where}）" if where else "")]
        lines.append("".join(s.text if s.kind == "same" else f"[{'+' if s.kind == 'added' else '-'}{s.text}]"
                             for s in a.segments))
    if moved:
        lines += ["", f"仅条号变化（{len(moved)} 条）：" + "、".join(moved)]
    return "\n".join(lines)


def summary(diff: DocumentDiff) -> str:
    """Return the one-line Chinese summary: how many articles were added, removed, changed and kept."""
    c = diff.counts
    title = diff.new_title or diff.old_title
    versions = " → ".join(filter(None, [diff.old_date or diff.old_id, diff.new_date or diff.new_id]))
    return (f"《{title}》{versions}：共 {len(diff.articles)} 条，新增 {c['added']} 条，删除 {c['removed']} 条，"
            f"修改 {c['changed']} 条，未变 {c['same']} 条；条号变化 {diff.renumbered} 条")


def _arrow(a: ArticleChange) -> str:
    return f"{a.old_label}→{a.new_label}" if a.renumbered else a.new_label


def _first(hits: Sequence[Hit], name: str) -> str:
    return getattr(hits[0], name) if hits else ""


def _units(hits: Sequence[Hit]) -> list[Hit]:
    articles = [h for h in hits if h.kind == "article"]
    return articles or list(hits)


def _wording(hit: Hit) -> str:
    """The text compared: a heading on its own line (二、总体要求) is wording too, as the document page shows it."""
    if hit.heading and hit.heading not in hit.text:
        return "\n".join(filter(None, [hit.heading, hit.text]))
    return hit.text


def _key(text: str) -> str:
    """Fold width, case and whitespace away: （以下简称专利法） and (以下简称专利法) are the same wording."""
    return _SPACES.sub("", normalize(text))


def _label_key(label: str) -> str:
    """第十二条 and 第12条 are one number; 第十二条之一 stays apart from 第十二条."""
    def number(m: re.Match) -> str:
        try:
            return str(to_int(m.group()))
        except NumeralError:
            return m.group()

    return NUMERAL_RE.sub(number, _key(label))


def _row(change: str, a: Hit | None, b: Hit | None, similarity: float) -> ArticleChange:
    old_text, new_text = (_wording(a) if a else ""), (_wording(b) if b else "")
    return ArticleChange(
        change=change, renumbered=bool(a and b and _label_key(a.label) != _label_key(b.label)),
        old_label=a.label if a else "", new_label=b.label if b else "",
        old_clause_id=a.clause_id if a else None, new_clause_id=b.clause_id if b else None,
        old_text=old_text, new_text=new_text,
        old_path=a.path if a else (), new_path=b.path if b else (),
        segments=segments(old_text, new_text), similarity=similarity,
    )


def segments(old: str, new: str) -> tuple[Segment, ...]:
    """Mark the wording of ``old`` and ``new`` as same, removed or added, character by character.

    >>> [(s.kind, s.text) for s in segments("专利法第二十条", "专利法第十九条")]
    [('same', '专利法第'), ('removed', '二十'), ('added', '十九'), ('same', '条')]
    """
    if old == new:  # most articles of a revision: nothing to match
        return (Segment("same", old),) if old else ()
    # autojunk would treat the frequent characters of a long article (，的) as junk and miss shared runs.
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    ends = (len(old), len(new))
    # A short run opening or closing both texts splits no change in two: kept.
    blocks = [m for m in matcher.get_matching_blocks() if m.size >= MIN_SAME_CHARS
              or (m.size and ((m.a, m.b) == (0, 0) or (m.a + m.size, m.b + m.size) == ends))]
    out: list[Segment] = []
    i = j = 0
    for a, b, size in [*blocks, (len(old), len(new), 0)]:
        if a > i:
            out.append(Segment("removed", old[i:a]))
        if b > j:
            out.append(Segment("added", new[j:b]))
        if size:
            out.append(Segment("same", old[a:a + size]))
        i, j = a + size, b + size
    return tuple(out)


def _align(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    """Pair the articles of two versions in order: (old index, new index), None on the side an article is missing.

    1. Texts that occur once in each version and are equal there anchor the alignment; of those, the
       longest run in the same order in both is kept (a patience diff), so a renumbered article pairs
       with itself however far the numbers shifted.
    2. Between two anchors, the remaining articles are paired by the order-keeping alignment of
       greatest total similarity, counting only pairs at least PAIR_THRESHOLD similar.
    """
    anchors = _ordered_anchors(old, new)
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    for a, b in [*anchors, (len(old), len(new))]:
        out += _fill(old, new, i, a, j, b)
        if a < len(old):
            out.append((a, b))
        i, j = a + 1, b + 1
    return out


def _ordered_anchors(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    # An empty text (a heading-only unit) or one said twice (（删除）) can't tell where an article went.
    old_count, new_count = Counter(old), Counter(new)
    where_old = {t: i for i, t in enumerate(old) if t and old_count[t] == 1}
    pairs = [(where_old[t], j) for j, t in enumerate(new) if new_count[t] == 1 and t in where_old]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Return the longest subsequence of pairs (ordered by new index) whose old indexes increase too."""
    tails: list[int] = []  # tails[k]: old index ending the best run of length k + 1
    tail_at: list[int] = []  # position in pairs of that run's last pair
    back: list[int] = []
    for n, (i, _) in enumerate(pairs):
        k = bisect.bisect_left(tails, i)
        if k == len(tails):
            tails.append(i)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = i, n
        back.append(tail_at[k - 1] if k else -1)
    run, n = [], tail_at[-1] if tail_at else -1
    while n >= 0:
        run.append(pairs[n])
        n = back[n]
    return run[::-1]


def _fill(old: list[str], new: list[str], i0: int, i1: int, j0: int, j1: int) -> list[tuple[int | None, int | None]]:
    """Align old[i0:i1] with new[j0:j1]; a removed article comes before an added one at the same place."""
    if i0 == i1 or j0 == j1:
        return [(i, None) for i in range(i0, i1)] + [(None, j) for j in range(j0, j1)]
    # One thread: a server answers other requests on the other cores. Only a stretch without a single
    # unchanged article makes the matrix big, and settings.DIFF_MAX_UNITS bounds it.
    scores = process.cdist(old[i0:i1], new[j0:j1], scorer=fuzz.ratio, score_cutoff=PAIR_THRESHOLD, workers=1)
    score = np.where(scores >= PAIR_THRESHOLD, scores, -np.inf)
    n, m = score.shape
    # best[r, c]: greatest total similarity aligning the first r old with the first c new articles.
    # A row is best[r - 1] shifted by one pair, then its running maximum (skipping new articles), so
    # the whole table costs n vectorised steps rather than n·m Python ones.
    best = np.zeros((n + 1, m + 1))
    for r in range(1, n + 1):
        row = best[r - 1].copy()
        row[1:] = np.maximum(row[1:], best[r - 1, :-1] + score[r - 1])
        best[r] = np.maximum.accumulate(row)
    pairs: list[tuple[int, int]] = []
    r, c = n, m
    while r and c:
        if score[r - 1, c - 1] > -np.inf and best[r, c] == best[r - 1, c - 1] + score[r - 1, c - 1]:
            pairs.append((r - 1, c - 1))
            r, c = r - 1, c - 1
        elif best[r, c] == best[r - 1, c]:
            r -= 1
        else:
            c -= 1
    out: list[tuple[int | None, int | None]] = []
    r = c = 0
    for pr, pc in [*pairs[::-1], (n, m)]:
        out += [(i0 + k, None) for k in range(r, pr)] + [(None, j0 + k) for k in range(c, pc)]
        if pr < n:
            out.append((i0 + pr, j0 + pc))
        r, c = pr + 1, pc + 1
    return out
