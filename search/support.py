"""Support measures (issue 14): the clauses that grant something — 资助, 奖励, 补贴, 贴息, 专项资金, 质押融资,
费用减免, 优先 — read for what, how much, to whom and for which IP; the words are data/support.toml.

``read_grant`` reads one clause's text; ``support_measures`` searches the candidates and keeps those that grant.
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TextIO

from . import settings
from .analysis import normalize
from .datafiles import read_data_toml
from .errors import FilterError, QuerySyntaxError
from .models import Hit
from .searching import SearchIndex, search
from .text.amounts import Amount, find_amounts, unread_spans
from .text.markers import starts_with_marker

__all__ = ["EXPORT_FIELDS", "Grant", "Measure", "SORTS", "SupportPage", "export_row", "query_words", "read_grant",
           "support_measures", "write_csv"]

SUPPORT_PATH = settings.DATA_DIR / "support.toml"
SORTS = ("relevance", "amount", "date")
# A sentence ends at these (kept with it: a colon opens a list of items that belong to it).
SENTENCE_RE = re.compile(r"[^。；;！？!?：:\n]+[。；;！？!?：:]?")
# A phrase of a sentence ends at a comma (a goal is often one phrase of it: ……，提升我省国际专利拥有量).
PHRASE_RE = re.compile(r"[^，,]+[，,]?")
# 对 opens the phrase naming who gets a benefit (对……的单位和个人给予奖励); 针对, 相对, 对外 are other words.
TO_RE = re.compile(r"(?<![针面相绝])对(?![外接象于])")


@dataclass(frozen=True)
class _Lexicon:
    """Words → the name they count for, found longest first, each character once."""

    pattern: re.Pattern
    names: dict[str, str]  # normalized word → name

    @classmethod
    def of(cls, entries: Sequence[tuple[str, Sequence[str]]]) -> _Lexicon:
        names = {normalize(word): name for name, words in entries for word in words}
        ordered = sorted(names, key=len, reverse=True)
        return cls(re.compile("|".join(map(re.escape, ordered))), names)

    def find(self, folded: str) -> list[tuple[int, str]]:
        """Return (position, name) of every word in the normalized text ``folded``."""
        return [(m.start(), self.names[m.group(0)]) for m in self.pattern.finditer(folded)]


@dataclass(frozen=True)
class _Vocabulary:
    search_words: tuple[str, ...]
    standalone: _Lexicon  # benefit words that grant with nothing else named
    kinds: _Lexicon
    kind_order: tuple[str, ...]
    beneficiaries: _Lexicon
    beneficiary_order: tuple[str, ...]
    targets: _Lexicon
    target_order: tuple[str, ...]
    broader: dict[str, str]  # target → the broader target it makes redundant
    modal: re.Pattern
    receiving: re.Pattern
    goal_sentence: re.Pattern
    goal_phrase: re.Pattern
    other: re.Pattern
    background: re.Pattern  # a heading over clauses that look back
    masked: re.Pattern  # benefit words that grant nothing, blanked before kinds are read
    clause: re.Pattern  # a clause about something else


@cache
def _vocabulary() -> _Vocabulary:
    data = read_data_toml(SUPPORT_PATH)

    def entries(key: str) -> list[tuple[str, list[str]]]:
        return [(entry["name"], entry["words"]) for entry in data[key]]

    def any_of(patterns: Sequence[str]) -> re.Pattern:
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    not_grant = data["not_grant"]
    return _Vocabulary(
        search_words=tuple(data["search"]["words"]),
        standalone=_Lexicon.of([("standalone", data["standalone"]["words"])]),
        kinds=_Lexicon.of(entries("kind")), kind_order=tuple(e["name"] for e in data["kind"]),
        beneficiaries=_Lexicon.of([*entries("beneficiary"), ("", data["payer"]["not_beneficiary"])]),
        beneficiary_order=tuple(e["name"] for e in data["beneficiary"]),
        targets=_Lexicon.of(entries("ip_target")), target_order=tuple(e["name"] for e in data["ip_target"]),
        broader={e["name"]: e["broader"] for e in data["ip_target"] if e.get("broader")},
        modal=any_of(map(re.escape, data["payer"]["modals"])),
        receiving=any_of(map(re.escape, data["payer"]["receiving"])),
        goal_sentence=any_of(not_grant["goal_sentence"]), goal_phrase=any_of(not_grant["goal_phrase"]),
        other=any_of(not_grant["other"]), background=re.compile(not_grant["background_heading"]),
        masked=any_of(not_grant["masked"]), clause=any_of(not_grant["clause"]),
    )


def query_words() -> tuple[str, ...]:
    """Return the words whose clauses are the candidates (data/support.toml [search])."""
    return _vocabulary().search_words


def kind_words() -> dict[str, tuple[str, ...]]:
    """Return each benefit kind's words, as support.toml writes them."""
    names = _vocabulary().kinds.names
    return {kind: tuple(w for w, k in names.items() if k == kind) for kind in _vocabulary().kind_order}


@dataclass(frozen=True)
class Grant:
    """What a clause's text grants: the kinds of benefit, the amounts, to whom, for which IP."""

    kinds: tuple[str, ...]
    amounts: tuple[Amount, ...]
    beneficiaries: tuple[str, ...]
    ip_targets: tuple[str, ...]
    unread: tuple[str, ...]  # what looks like an amount in a granting sentence but could not be read

    @property
    def readable(self) -> bool:
        return not self.unread


def read_grant(text: str, headings: Sequence[str] = ()) -> Grant | None:
    """Return what ``text`` grants, or None when no sentence of it grants anything.

    A sentence grants when it names a benefit (data/support.toml kinds) and a beneficiary, an
    amount or an IP target (or a benefit that grants alone: 补贴, 贴息, 税收优惠 …), and is no goal,
    preamble, penalty, dispute or condition; its goal phrases (……累计达5000万元) are left out. A sentence
    ending in a colon, once the clause grants, takes the numbered items after it (（一）……提取不低于
    百分之五十的比例). Under a heading that looks back (``headings``: 规划背景) nothing is granted.

    >>> read_grant("涉外授权专利给予发明人每件一次性奖励 1 万元；").beneficiaries
    ('个人',)
    """
    voc = _vocabulary()
    if any(voc.background.search(normalize(h)) for h in headings if h) or voc.clause.search(normalize(text)):
        return None
    amounts = find_amounts(text)
    unread = unread_spans(text, amounts)
    kinds: set[str] = set()
    beneficiaries: set[str] = set()
    targets: set[str] = set()
    kept_amounts: list[Amount] = []
    kept_unread: list[str] = []
    granted = continuing = False
    for sentence in SENTENCE_RE.finditer(text):
        raw = sentence.group(0)
        if continuing and not starts_with_marker(raw.strip()):
            continuing = False
        folded = normalize(raw)
        if voc.goal_sentence.search(folded) or voc.other.search(folded):
            continue
        phrases = [(sentence.start() + m.start(), sentence.start() + m.end()) for m in PHRASE_RE.finditer(raw)]
        phrases = [(a, b) for a, b in phrases if not voc.goal_phrase.search(normalize(text[a:b]))]
        kept = "".join(normalize(text[a:b]) for a, b in phrases)
        unmasked = voc.masked.sub(_blank, kept)  # 获得中国专利奖的, 奖励的方式和数额: no grant of one
        kind_hits = voc.kinds.find(unmasked)
        found_kinds = {name for _, name in kind_hits}
        opens_list = raw.rstrip().endswith(("：", ":"))
        if not found_kinds and not continuing:
            continuing = granted and opens_list  # 没有约定数额的，可以按照下列比例确定：
            continue
        payers = _payer_spans(kept, [at for at, _ in kind_hits])
        # an item of a list that names no benefit says when (单位转让……的，不低于……20%), not to whom
        found_beneficiaries = {name for at, name in voc.beneficiaries.find(kept)
                               if name and not any(a <= at < b for a, b in payers)} if found_kinds else set()
        found_targets = {name for _, name in voc.targets.find(kept)}
        found_amounts = [a for a in amounts if _within(a.span, phrases)]
        found_unread = [text[a:b].strip() for a, b in unread if _within((a, b), phrases)]
        alone = bool(voc.standalone.find(unmasked))  # 采取保险费补贴等措施: grants with nothing else named
        if not (found_beneficiaries or found_targets or found_amounts or found_unread or alone):
            continuing = continuing or (granted and opens_list)
            continue  # a benefit with no one and nothing to give it to: a heading, a policy's name
        granted = True
        kinds |= found_kinds
        beneficiaries |= found_beneficiaries
        targets |= found_targets
        kept_amounts += found_amounts
        kept_unread += found_unread
        if opens_list:
            continuing = True
    if not granted:
        return None
    targets -= {voc.broader[t] for t in targets if t in voc.broader}
    return Grant(kinds=_ordered(kinds, voc.kind_order), amounts=tuple(kept_amounts),
                 beneficiaries=_ordered(beneficiaries, voc.beneficiary_order),
                 ip_targets=_ordered(targets, voc.target_order), unread=tuple(kept_unread))


def _blank(m: re.Match) -> str:
    return "□" * len(m.group(0))  # the same length: positions after it stay where they were


def _payer_spans(folded: str, kind_at: Sequence[int]) -> list[tuple[int, int]]:
    """Return where ``folded`` names who gives a benefit rather than who gets it: the subject of its modal.

    被授予专利权的单位……的，应当……发给发明人奖金: the subject before 应当 gives; 县级以上人民政府对……的单位和个人，
    应当……给予奖励: who gets it follows 对; 单位和个人……可以申请……资助: a receiving verb between the modal and the
    benefit (at one of ``kind_at``), so the subject asks for it. A later phrase with a modal of its own has a
    subject of its own (……奖金，企业可以计入成本，事业单位可以从事业费中列支).
    """
    voc = _vocabulary()
    spans: list[tuple[int, int]] = []
    first, next_phrase = True, 0
    for modal in voc.modal.finditer(folded):
        if modal.start() < next_phrase:
            continue  # one subject a phrase
        head = 0 if first else _phrase_start(folded, modal.start())
        first, next_phrase = False, _phrase_end(folded, modal.end())
        to = TO_RE.search(folded, head, modal.start())
        if to:
            spans.append((head, to.start()))
            continue
        kind = next((k for k in kind_at if k >= modal.end()), None)
        between = folded[modal.end():kind] if kind is not None else ""
        if not (between and voc.receiving.search(between) and not TO_RE.search(between)):
            spans.append((head, modal.start()))
    to = TO_RE.search(folded)
    if first and to:  # no modal: 国有企业事业单位对……发明人……给予奖励和报酬的支出……
        spans.append((0, to.start()))
    return spans


def _phrase_start(folded: str, at: int) -> int:
    return max(folded.rfind(",", 0, at), folded.rfind("，", 0, at)) + 1


def _phrase_end(folded: str, at: int) -> int:
    ends = [i for i in (folded.find(",", at), folded.find("，", at)) if i >= 0]
    return min(ends) + 1 if ends else len(folded)


def _within(span: tuple[int, int], phrases: list[tuple[int, int]]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in phrases)


def _ordered(names: set[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in order if name in names)


@dataclass(frozen=True)
class Measure:
    """One clause that grants a benefit, with its document's place, status and citation."""

    clause_id: str
    doc_id: str
    title: str
    doc_number: str
    label: str
    citation: str
    level: str
    region: tuple[str, ...]
    year: int | None
    date: str
    status: str
    kinds: tuple[str, ...]
    amounts: tuple[Amount, ...]
    beneficiaries: tuple[str, ...]
    ip_targets: tuple[str, ...]
    ip_types: tuple[str, ...]  # the clause's IP types as the search files it (the ip_type facet: 专利, 综合 …)
    text: str  # the clause as written
    readable: bool  # False: an amount-looking number in it could not be read (see ``unread``)
    unread: tuple[str, ...] = ()

    @property
    def largest(self) -> float | None:
        """Return the largest sum of money it names, in yuan (None when it names none)."""
        money = [a.value for a in self.amounts if a.unit == "元"]
        return max(money) if money else None

    def to_dict(self) -> dict:
        return {"clause_id": self.clause_id, "doc_id": self.doc_id, "title": self.title,
                "doc_number": self.doc_number, "label": self.label, "citation": self.citation, "level": self.level,
                "region": list(self.region), "year": self.year, "date": self.date, "status": self.status,
                "kinds": list(self.kinds), "amounts": [a.to_dict() for a in self.amounts],
                "beneficiaries": list(self.beneficiaries), "ip_targets": list(self.ip_targets),
                "ip_types": list(self.ip_types), "text": self.text,
                "readable": self.readable, "unread": list(self.unread)}


@dataclass(frozen=True)
class SupportPage:
    """The support measures that apply to a place (and IP type), sorted, with how many there are."""

    measures: tuple[Measure, ...]
    total: int  # measures found; more than listed when ``limit`` cut the list
    place: tuple[str, ...]  # the place asked about, from the province down
    truncated: bool  # the list is shorter than what was found, or than what the candidates held
    sort: str = "relevance"
    q: str = ""
    ip_type: tuple[str, ...] = ()
    ip_general: bool = False
    as_of: str = ""  # the ISO day every status is given for
    candidates: int = 0  # clauses read: those the search found
    ip_type_options: tuple[str, ...] = ()  # the IP types the candidates carry (the place's, any type)

    def to_dict(self) -> dict:
        return {"measures": [m.to_dict() for m in self.measures], "total": self.total, "place": list(self.place),
                "truncated": self.truncated, "sort": self.sort, "q": self.q, "ip_type": list(self.ip_type),
                "ip_general": self.ip_general, "as_of": self.as_of, "candidates": self.candidates,
                "ip_type_options": list(self.ip_type_options)}


# The columns of an export of measures (/support.csv, ``python -m search support --csv``), in Chinese as the
# interface is, and a measure's row under them; ``link`` is where the clause is read.
EXPORT_FIELDS = ("文件", "文号", "地区", "层级", "年份", "条款", "支持方式", "金额", "对象", "知识产权类型", "效力状态", "引文", "链接")


def export_row(measure: Measure, link: str) -> tuple:
    """Return a measure's cells under EXPORT_FIELDS: each amount as written and as a number, unread ones said."""
    amounts = [f"{a.text}（{a.describe()}）" for a in measure.amounts]
    amounts += [f"{text}（未能识别，以原文为准）" for text in measure.unread]
    return (measure.title, measure.doc_number, "、".join(measure.region) or "全国", measure.level, measure.year or "",
            measure.label, "、".join(measure.kinds), "；".join(amounts), "、".join(measure.beneficiaries),
            "、".join(measure.ip_targets), measure.status, measure.citation, link)


def write_csv(page: SupportPage, out: TextIO, base_url: str = "", cell: Callable[[object], object] | None = None) -> None:
    """Write a page's measures as CSV under the Chinese headers of EXPORT_FIELDS.

    :param base_url: put before each link (/doc/<doc_id>#<clause_id>), the server's address, so a spreadsheet opens it.
    :param cell: applied to every cell, e.g. a guard that keeps a spreadsheet from reading one as a formula.
    """
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    for m in page.measures:
        row = export_row(m, f"{base_url.rstrip('/')}/doc/{m.doc_id}#{m.clause_id}")
        writer.writerow([cell(c) for c in row] if cell else row)


def support_measures(index: SearchIndex, place: str | None = None, ip_type: str | Sequence[str] | None = None,
                     q: str = "", sort: str = "relevance", as_of: str | None = None, ip_general: bool = False,
                     limit: int | None = None) -> SupportPage:
    """Return the clauses that grant a benefit and apply in ``place`` (its own, its province's, national).

    The candidates are the clauses a search finds for the benefit words (data/support.toml [search]),
    with ``q``'s words too and the place and IP type filters; each is kept when :func:`read_grant`
    finds a grant in it. ``sort``: relevance (the search's order), amount (the largest sum first;
    rates only, then no amount, then an amount that could not be read, last), date (newest first).

    :raises FilterError: an unknown sort or place, a bad ``as_of``, a ``limit`` below 1.
    :raises QuerySyntaxError: ``q`` can't be read, or is too long.
    """
    if sort not in SORTS:
        raise FilterError(f"不认识的排序方式“{sort}”：可用 {'、'.join(SORTS)}", code="bad_sort")
    if limit is not None and limit < 1:
        raise FilterError(f"limit 至少为 1，收到的是 {limit}", code="bad_number")
    types = (ip_type,) if isinstance(ip_type, str) else tuple(ip_type or ())
    types = tuple(t.strip() for t in types if t and t.strip())
    hits, first, candidates, cut = _candidates(index, _query(q), {"ip_type": types} if types else {},
                                                "date" if sort == "date" else "relevance", as_of, place, ip_general)
    measures = [m for m in map(_measure, hits) if m is not None]
    if sort == "amount":
        measures.sort(key=_amount_key)
    shown = measures[:limit] if limit else measures
    options = tuple(v.value for v in first.facets.get("ip_type", ()))
    return SupportPage(measures=tuple(shown), total=len(measures), place=first.place,
                       truncated=cut or len(shown) < len(measures), sort=sort, q=q, ip_type=types,
                       ip_general=ip_general, as_of=first.as_of, candidates=candidates, ip_type_options=options)


def _query(q: str) -> str:
    """Return the search of the candidates: ``q``'s words and any benefit word; ``q`` alone when both don't fit."""
    q = (q or "").strip()
    benefits = " OR ".join(query_words())
    if len(q) > settings.MAX_QUERY_CHARS:
        raise QuerySyntaxError(f"检索词有 {len(q)} 个字符，在支持措施中最多 {settings.MAX_QUERY_CHARS} 个",
                               code="query_too_long")
    combined = f"{q} {benefits}".strip()
    # past MAX_QUERY_CHARS the search would read it as a pasted passage; every candidate is read anyway
    return combined if len(combined) <= settings.MAX_QUERY_CHARS else q


def _candidates(index: SearchIndex, query: str, filters: dict, sort: str, as_of: str | None, place: str | None,
                ip_general: bool):
    """Return the hits holding every word of ``query`` (page by page), the first page, their count and
    whether settings.MAX_PAGE pages cut them; the ranked reading's looser hits after them are left out."""
    hits: list[Hit] = []
    page_number, first, wanted, cut = 1, None, 0, False
    while True:
        page = search(index, query, filters=filters, sort=sort, page=page_number, per_page=settings.MAX_PER_PAGE,
                      as_of=as_of, place=place, ip_general=ip_general)
        if first is None:
            first = page
            wanted = page.relaxed.exact_total if page.relaxed else page.total
        hits += page.hits
        if len(hits) >= wanted or len(page.hits) < settings.MAX_PER_PAGE:
            break
        if page_number >= settings.MAX_PAGE:
            cut = True
            break
        page_number += 1
    return hits[:wanted], first, min(wanted, len(hits)), cut


def _measure(hit: Hit) -> Measure | None:
    grant = read_grant(hit.text, headings=(hit.heading, *(step.heading for step in hit.path)))
    if grant is None:
        return None
    return Measure(clause_id=hit.clause_id, doc_id=hit.doc_id, title=hit.title + hit.version_label,
                   doc_number=hit.doc_number, label=hit.label, citation=hit.citation or hit.title, level=hit.level,
                   region=hit.region, year=hit.year, date=hit.date, status=hit.status, kinds=grant.kinds,
                   amounts=grant.amounts, beneficiaries=grant.beneficiaries, ip_targets=grant.ip_targets,
                   ip_types=hit.ip_types, text=hit.text, readable=grant.readable, unread=grant.unread)


def _amount_key(measure: Measure) -> tuple[int, float]:
    """Sort by the largest sum first; rates only next (largest first); no amount; an unreadable one last."""
    if not measure.readable:
        return (3, 0.0)
    if measure.largest is not None:
        return (0, -measure.largest)
    if measure.amounts:
        return (1, -max(a.value for a in measure.amounts))
    return (2, 0.0)
