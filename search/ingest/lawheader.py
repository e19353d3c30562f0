"""The header of a law in the national database's Markdown: `# title`, history lines, `<!-- INFO END -->`.

History lines ("2020年10月17日 …第四次修正") are metadata, not clauses: they give the adoption,
amendment, promulgation and effective dates, the enacting body and sometimes the 国务院令 number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.dates import DateError, parse_date

INFO_END = "<!-- INFO END -->"
TITLE_LINE = re.compile(r"^#\s+(?P<title>.+)$")
HISTORY_LINE = re.compile(r"^(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?P<event>.*)$")
# Enacting bodies named in history events, most specific first.
PEOPLES_CONGRESS = re.compile(
    r"(?P<place>[\u4e00-\u9fff]{0,12}?)(?:第[一二三四五六七八九十百]+届)?(?P<body>全国人民代表大会常务委员会|全国人民代表大会|人民代表大会常务委员会|人民代表大会)"
)
ORDER_NUMBER = re.compile(r"(?:中华人民共和国)?(?P<org>[\u4e00-\u9fff、]{2,40}?)令(?:（第\d+号）|第[\d一二三四五六七八九十百零]+号)")
COURT_MEETING = re.compile(r"(?P<org>最高人民法院|最高人民检察院)(?:审判委员会|检察委员会|第[一二三四五六七八九十]+届检察委员会)")
STATE_COUNCIL_MEETING = re.compile(r"国务院第\d+次常务会议|国务院常务会议")
MINISTRY_MEETING = re.compile(r"(?P<org>[\u4e00-\u9fff]{2,20}?(?:部|总局|局|委员会|署))(?:部务|局务|委务|署务|委员)会议")
LEADING_DATE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*")
ADOPTED = ("通过", "修正", "修订", "修改", "批准", "公布")


@dataclass
class LawHeader:
    """What the header of a database law says about it."""

    title: str = ""
    date: str = ""  # the latest adoption or amendment
    published: str = ""
    effective: str = ""
    issuers: list[str] = field(default_factory=list)
    approved_by: list[str] = field(default_factory=list)  # the body a 批准 line names: not the one that made it
    doc_number: str = ""
    history: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_law_markdown(paragraphs: list[str]) -> bool:
    """Tell whether the paragraphs open like a law from the national database."""
    return INFO_END in paragraphs[:60] and bool(paragraphs) and bool(TITLE_LINE.match(paragraphs[0]))


def split_law_header(paragraphs: list[str]) -> tuple[LawHeader, list[str]]:
    """Read the header up to ``<!-- INFO END -->`` and return it with the body that follows."""
    end = paragraphs.index(INFO_END)
    header = LawHeader()
    titles = [m.group("title").strip() for p in paragraphs[:end] if (m := TITLE_LINE.match(p))]
    header.title = titles[0] if titles else ""
    if len(titles) > 1:  # e.g. 民法典's "# 第一编 总则" subtitle
        header.title = f"{titles[0]}·{titles[1]}"
    for line in paragraphs[:end]:
        if TITLE_LINE.match(line):
            continue
        header.history.append(line)
        _read_event(line, header)
    return header, paragraphs[end + 1:]


def _read_event(line: str, header: LawHeader) -> None:
    m = HISTORY_LINE.match(line)
    if not m:
        header.warnings.append(f"history line without a date: {line[:40]}")
        return
    try:
        iso = parse_date(m.group("date"))
    except DateError as exc:
        header.warnings.append(f"unreadable history date {m.group('date')}: {exc}")
        return
    event = m.group("event")
    if "施行" in event:
        header.effective = max(header.effective, iso)
    if "公布" in event or "发布" in event:
        header.published = max(header.published, iso)
    if any(word in event for word in ADOPTED):
        header.date = max(header.date, iso)
    issuers = _issuers_of(event)
    if "批准的" in event:  # "B批准的…A…《关于修改…的决定》修正": A passed it, B approved it
        approving, _, passing = event.partition("批准的")
        passing = LEADING_DATE.sub("", passing)  # 批准的2011年11月15日青岛市…
        header.approved_by = list(dict.fromkeys([*header.approved_by, *_issuers_of(approving)]))
        issuers = _issuers_of(passing)
        if issuers:
            header.issuers = issuers
    elif issuers and _approval_only(event):
        # A city's regulation is passed by its own congress and approved by the province's: the
        # approving body is metadata of its own, never the issuer.
        header.approved_by = list(dict.fromkeys([*header.approved_by, *issuers]))
    elif issuers:
        header.issuers = issuers  # the latest event's enacting body speaks for the current text
    order = ORDER_NUMBER.search(event)
    if order:  # history runs oldest first: the last order number is the current version's
        header.doc_number = order.group(0).replace("中华人民共和国", "")


def _approval_only(event: str) -> bool:
    """Tell whether a history event approves (批准) a text another body passed, rather than passing it."""
    return "批准" in event and not any(word in event for word in ("通过", "修正", "修订", "修改", "公布"))


def _issuers_of(event: str) -> list[str]:
    court = COURT_MEETING.search(event)
    if court:
        return [court.group("org")]
    congress = PEOPLES_CONGRESS.search(event)
    if congress:
        body = congress.group("body")
        return [body if body.startswith("全国") else congress.group("place") + body]
    order = ORDER_NUMBER.search(event)
    if order:  # joint orders: 国务院、中华人民共和国中央军事委员会令
        return [org.replace("中华人民共和国", "") for org in order.group("org").split("、") if org]
    if STATE_COUNCIL_MEETING.search(event):
        return ["国务院"]
    ministry = MINISTRY_MEETING.search(event)
    return [ministry.group("org")] if ministry else []
