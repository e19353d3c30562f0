"""A document's own statements about when it lives (history events, effective and expiry dates,
what it repeals or amends), read from its text for the ingest stage and never guessed.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Sequence

from ..text.dates import DateError, find_dates, parse_date
from ..text.lawnames import law_name
from ..text.numerals import NUMERAL_CHARS, NumeralError, to_int
from ..text.references import TITLE_RE, Reference, find_references
from .lawheader import PEOPLES_CONGRESS

__all__ = ["Event", "Lifecycle", "read_lifecycle"]

# The word that names a history event; the last one outside 《》 wins ("…批准的《…决定》修正" is a
# 修正, "…会议通过修订" a 修订).
KIND_RE = re.compile(r"通过|修正|修订|修改|批准|公布|施行|发布|印发|废止|颁布")
SEGMENT_TAIL = re.compile(r"(?:根据|[、，,；;\s\u3000])+$")
_GAP = r"[ \t\u3000\xa0]*"
# The document speaking of itself: 本法, 本条例, 本实施细则, 本通知 …
OWN = (
    r"本(?:实施)?(?:法典|法|条例|规定|办法|细则|解释|决定|意见|通知|方案|规划|规则|措施|批复|公告|通告|"
    r"纲要|目录|标准|准则|制度|指引|指南|计划|规范)"
)
WHEN = r"[^，,。；;]{2,20}?"
# 自2021年3月1日起施行, and 自2021年3月1日起至2023年2月28日止施行 (a term in the same breath)
EFFECTIVE_CLAUSE = (
    rf"自{_GAP}(?P<when>{WHEN}){_GAP}起{_GAP}(?:(?:至|到){_GAP}{WHEN}日{_GAP}止?{_GAP})?(?:施行|实施|执行|生效)"
)
OWN_EFFECTIVE = re.compile(rf"{OWN}(?:的)?{_GAP}[，,]?{_GAP}{EFFECTIVE_CLAUSE}")
EFFECTIVE = re.compile(EFFECTIVE_CLAUSE)
# 自公布之日起: the day it was published; 自印发之日起: the day it was issued (its 成文日期).
ON_PUBLICATION = re.compile(r"^(?:公布|颁布|公告)之日$")
ON_ISSUE = re.compile(r"^(?:印发|发布|签发|下发)之日$")
OWN_SUBJECT = rf"{OWN}(?:的)?{_GAP}(?:自{WHEN}起(?:施行|实施|执行|生效)[，,]{_GAP})?"
EXPIRY = re.compile(
    rf"{OWN_SUBJECT}有效期(?:为|是)?{_GAP}(?:(?P<years>{NUMERAL_CHARS}{{1,3}}){_GAP}年"
    rf"|(?:至|到){_GAP}(?P<until>{WHEN}日)"
    rf"|自{_GAP}{WHEN}日{_GAP}起{_GAP}(?:至|到){_GAP}(?P<span_to>{WHEN}日))"
)
OWN_RANGE = re.compile(
    rf"{OWN}{_GAP}自{_GAP}{WHEN}日{_GAP}起{_GAP}(?:施行|实施|执行)?{_GAP}(?:至|到){_GAP}(?P<to>{WHEN}日)"
)
SENTENCE = re.compile(r"[^。；;\n]+[。；;]?")
ARTICLE_LABEL = re.compile(r"^[\s\u3000]*第[零〇一二三四五六七八九十百千0-9]+条[\s\u3000]*")
# A quotation within a paragraph (“十四五”, or a replacement text), and an unclosed one's tail.
INLINE_QUOTE = re.compile(r"“[^“”\n]{0,2000}”|“[^“”\n]*$")
TRAILING_PUNCT = re.compile(r"^[。；;，,、）)\s\u3000]*$")
AMENDING_TITLE = re.compile(r"(?:修改|修订|修正)[^。]*决定$|修正案")


@dataclass(frozen=True)
class Event:
    """One dated event of a law's history: adopted, amended, approved, published, in force …"""

    date: str  # ISO yyyy-mm-dd
    kind: str  # 通过 / 修正 / 修订 / 修改 / 批准 / 公布 / 施行 / 发布 / 印发 / 废止 / 颁布: the word in the line
    text: str  # the line as written (its own part when one line holds two dated events)


@dataclass(frozen=True)
class Lifecycle:
    """What a document says about its own life; "" and () where it says nothing."""

    events: tuple[Event, ...]  # from a law's history lines, oldest first
    effective: str  # ISO date in force, "" when the text does not say
    effective_text: str  # the sentence or history line that says it, "" when none
    expires: str  # ISO date it stops, "" when not stated
    expires_text: str
    repeals: tuple[Reference, ...]  # documents it says it repeals (…同时废止)
    amends: tuple[Reference, ...]  # documents a 决定 to amend amends
    approved_by: tuple[str, ...]  # bodies a history line says 批准 it (河南省人民代表大会常务委员会)

    def to_dict(self) -> dict:
        """Return the lifecycle as plain dicts and lists, references through their own to_dict."""
        return {
            "events": [{"date": e.date, "kind": e.kind, "text": e.text} for e in self.events],
            "effective": self.effective, "effective_text": self.effective_text,
            "expires": self.expires, "expires_text": self.expires_text,
            "repeals": [r.to_dict() for r in self.repeals], "amends": [r.to_dict() for r in self.amends],
            "approved_by": list(self.approved_by),
        }


def read_lifecycle(title: str, history: Sequence[str], body: Sequence[str], date: str = "",
                   published: str = "") -> Lifecycle:
    """Read a document's own statements about its life.

    Effective date, first that applies: the latest history line "…施行" (the database's line for
    the version at hand, whereas an amended law keeps its original commencement article); else
    the last sentence in which the document itself (本法, 本规定, 本通知 … or its own 《title》)
    says 自…起施行, 公布/颁布 of that day read as ``published`` (else ``date``), 印发/发布 as
    ``date`` (else ``published``). Expiry: 有效期X年 counts X years from the effective date (else
    ``date``) and ends the day before the anniversary, the reading of 自2020年1月1日起施行，有效期
    5年 as 有效期至2024年12月31日; 有效期至/到 a day and 自…起至…止 give the day written. Only
    sentences outside quotation marks count: the replacement text a 决定 quotes never speaks for it.

    :param title: the document's title, which tells a 决定 to amend and names the document itself.
    :param history: a law's header lines before ``<!-- INFO END -->`` (2009年7月31日 …批准).
    :param body: the body paragraphs after the header.
    :param date: ISO date written or adopted; ``published``: ISO date published.
    """
    events, approved = _read_history(history)
    own_text = _unquoted(body)
    sentences = [s for para in own_text for s in _sentences(para)]
    in_force = [e for e in events if e.kind == "施行"]
    if in_force:
        effective, effective_text = in_force[-1].date, in_force[-1].text
    else:
        effective, effective_text = _own_effective(title, sentences, events, date, published)
    expires, expires_text = _expiry(sentences, effective or date)
    text = "\n".join(own_text)
    repeals = _distinct(r for r in find_references(text) if r.verb == "repeals")
    amends: tuple[Reference, ...] = ()
    if AMENDING_TITLE.search(title):
        amends = _distinct(r for source in (title, text) for r in find_references(source) if r.verb == "amends")
    return Lifecycle(tuple(events), effective, effective_text, expires, expires_text, repeals, amends,
                     tuple(dict.fromkeys(approved)))


def _read_history(history: Sequence[str]) -> tuple[list[Event], list[str]]:
    """Return the dated events of the history lines, oldest first, and the bodies that 批准 them."""
    events: list[tuple[Event, int, int]] = []
    approved: list[str] = []
    for line_no, line in enumerate(history):
        dates = find_dates(line)
        segments = []
        for i, found in enumerate(dates):  # "…第一次修正根据2010年7月30日…第二次修正": two events
            end = dates[i + 1].start if i + 1 < len(dates) else len(line)
            segments.append((found.iso, SEGMENT_TAIL.sub("", line[found.start:end].strip())))
        kind = ""
        for part, (iso, segment) in reversed(list(enumerate(segments))):
            masked = TITLE_RE.sub(lambda m: "□" * len(m.group()), segment)
            kinds = list(KIND_RE.finditer(masked))
            # "A会议、B会议通过": a part without a word of its own shares the one after it
            kind = kinds[-1].group() if kinds else kind
            if kind:
                events.append((Event(iso, kind, segment), line_no, part))
            approval = masked.rfind("批准")
            if approval >= 0:
                bodies = list(PEOPLES_CONGRESS.finditer(masked, 0, approval))
                if bodies:
                    m = bodies[-1]
                    body = m.group("body")
                    approved.append(body if body.startswith("全国") else m.group("place") + body)
    # oldest first; events of one day keep the order they are written in
    ordered = sorted(events, key=lambda item: (item[0].date, item[1], item[2]))
    return [event for event, _, _ in ordered], approved


def _unquoted(body: Sequence[str]) -> list[str]:
    """Return the paragraphs outside quotation: not the replacement text a 决定 quotes.

    A quote that opens a paragraph and does not close in it runs on until a paragraph closes it;
    one that closes early (“十四五”时期，…) was only a quoted term.
    """
    out: list[str] = []
    in_quote = False
    for para in body:
        text = para.strip()
        if in_quote:
            continuing = text[1:] if text.startswith("“") else text
            if continuing.count("”") > continuing.count("“"):
                in_quote = False
            continue
        if text.startswith("“"):
            close = _closing_quote(text)
            if close is None:
                in_quote = True
                continue
            if TRAILING_PUNCT.match(text[close + 1:]):
                continue  # the whole paragraph is a quotation
        out.append(para)
    return out


def _closing_quote(text: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth -= 1
            if depth == 0:
                return i
    return None


def _sentences(para: str) -> list[str]:
    """Split a paragraph into sentences, quotations taken out, article labels (第一条) dropped."""
    text = INLINE_QUOTE.sub("", para)
    return [ARTICLE_LABEL.sub("", m.group()).strip() for m in SENTENCE.finditer(text) if m.group().strip()]


def _own_effective(title: str, sentences: list[str], events: list[Event], date: str,
                   published: str) -> tuple[str, str]:
    """Return the date and sentence of the last 自…起施行 the document says of itself."""
    own_title = law_name(title) if title else ""
    for sentence in reversed(sentences):
        m = OWN_EFFECTIVE.search(sentence)
        if m is None and own_title:
            # "现将修订后的《专利代理条例》公布，自2019年3月1日起施行": the title as subject
            m = EFFECTIVE.search(sentence)
            titled = m and any(law_name(t.group("t1") or t.group("t2")) == own_title
                               for t in TITLE_RE.finditer(sentence, 0, m.start()))
            m = m if titled else None
        if m:
            return _when(m.group("when"), events, date, published), sentence
    return "", ""


def _when(when: str, events: list[Event], date: str, published: str) -> str:
    """Return the ISO day a 自…起 names: a date as written, or the day of publication or issue."""
    when = re.sub(r"[\s\u3000]+", "", when)
    try:
        return parse_date(when)
    except DateError:
        pass
    announced = [e.date for e in events if e.kind in ("公布", "颁布", "发布", "印发")]
    if ON_PUBLICATION.match(when):
        return published or (announced[-1] if announced else "") or date
    if ON_ISSUE.match(when):
        return date or published or (announced[-1] if announced else "")
    return ""  # 自批准之日起, 自…届满之日起: a day the text does not give


def _expiry(sentences: list[str], start: str) -> tuple[str, str]:
    """Return the day the document says it stops having effect, and the sentence; the last one wins."""
    for sentence in reversed(sentences):
        m = EXPIRY.search(sentence)
        if m and m.group("years"):
            return _years_after(start, m.group("years")), sentence
        day = (m.group("until") or m.group("span_to")) if m else None
        if day is None and (r := OWN_RANGE.search(sentence)):
            day = r.group("to")
        if day is not None:
            try:
                return parse_date(re.sub(r"[\s\u3000]+", "", day)), sentence
            except DateError:
                return "", sentence
    return "", ""


def _years_after(start: str, years: str) -> str:
    """Return the last day of a term of ``years`` from ``start``: 2020-01-01 + 5 → 2024-12-31."""
    try:
        count = to_int(years)
        first = datetime.date.fromisoformat(start)
    except (NumeralError, ValueError):
        return ""  # no start date to count from, or a numeral beyond reading
    if first.year + count > datetime.MAXYEAR:
        return ""
    try:
        anniversary = first.replace(year=first.year + count)
    except ValueError:  # 29 February in a year without one: the term ends on 28 February
        anniversary = datetime.date(first.year + count, 3, 1)
    return (anniversary - datetime.timedelta(days=1)).isoformat()


def _distinct(refs) -> tuple[Reference, ...]:
    """Return the references, each document once (its first mention), whatever article it names."""
    found: dict[tuple[str, str], Reference] = {}
    for ref in refs:
        found.setdefault(ref.document_key(), ref)
    return tuple(found.values())
