"""文号 (document numbers) such as 三政〔2014〕61号 or 国务院令第306号: found in headers, and
normalized so that every typed variant of one number compares equal on the search side.
"""
from __future__ import annotations

import re

from search.errors import SearchError
from search.text.numerals import FULLWIDTH_DIGITS, NUMERAL_CHARS, to_int

_OPEN = r"[〔\[［【（(〖]"
_CLOSE = r"[〕\]］】）)〗]"
_DIGIT = r"[0-9０-９]"
_GAP = r"[ \t\u3000\xa0]*"
_SPACE = r"[ \t\u3000\xa0]+"
# One character of an issuing organ or 机关代字 (国办发, 三政, 信政文, 国知发管字 …). Function
# words never occur in one, so they stop a name from swallowing the text before it:
# "按照豫政〔2013〕60号" gives 豫政〔2013〕60号, "修订后的国务院令第706号" gives 国务院令第706号.
_NAME_CHAR = r"(?:(?![的及与或了在是按据依照为于将由以号令年月日第])[\u4e00-\u9fff])"
_ORGAN = rf"(?:中华人民共和国)?(?:{_NAME_CHAR}{{0,12}}?(?:国务院|主席|部|局|署|委员会|委|银行|院|政府)|国)"

# 代字〔YYYY〕N号 with any of the brackets people type, or with the brackets lost and the
# year set off by spaces (三政 2014 61号). Not accepted: 三政2014年61号 and 三政201461号,
# which read like running text or have no visible year boundary.
BRACKETED = (
    rf"(?P<code>{_NAME_CHAR}{{1,8}}){_GAP}"
    rf"(?:{_OPEN}{_GAP}(?P<year>{_DIGIT}{{4}}){_GAP}{_CLOSE}|{_SPACE}(?P<spaced_year>{_DIGIT}{{4}}){_SPACE})"
    rf"{_GAP}(?P<number>{_DIGIT}{{1,5}}){_GAP}号"
)
# Orders: 国务院令第306号, 中华人民共和国国务院令 第706号, 国令第706号, 主席令第八号, and joint
# ones (中华人民共和国国务院、中华人民共和国中央军事委员会令第418号).
ORDER = (
    rf"(?P<organ>{_ORGAN}(?:、{_ORGAN})*){_GAP}令{_GAP}第{_GAP}"
    rf"(?P<order>{NUMERAL_CHARS}{{1,6}}){_GAP}号"
)
# Orders first: 令第…号 holds no bracket, so the two never compete for the same text.
DOC_NUMBER_RE = re.compile(rf"{ORDER}|{BRACKETED}")

PRC = "中华人民共和国"
# gov.cn writes the State Council's orders as 国令第N号 in its 发文字号 field; the order itself
# reads 中华人民共和国国务院令第N号. Both name one document, so they normalize to one form.
ORDER_ALIASES = {"国令": "国务院令"}
SPACES = re.compile(r"[ \t\u3000\xa0]+")


class DocNumberError(SearchError, ValueError):
    """The string is not one 文号."""


def find_doc_number(text: str) -> str | None:
    """Return the first 文号 in text as written (spaces around it trimmed), or None."""
    match = DOC_NUMBER_RE.search(text)
    return match.group().strip() if match else None


def doc_numbers_in(text: str) -> tuple[str, ...]:
    """Return the canonical form of every 文号 cited in text, in order, each once."""
    found = []
    for match in DOC_NUMBER_RE.finditer(text):
        try:
            found.append(normalize_doc_number(match.group()))
        except DocNumberError:  # a match the canonical form can't read (a numeral out of range)
            continue
    return tuple(dict.fromkeys(found))


def normalize_doc_number(s: str) -> str:
    """Return the canonical form of one 文号: "三政[２０１４] 61号" → "三政〔2014〕61号".

    Brackets become 〔〕, digits half-width, spaces and leading zeros go; an order loses its
    中华人民共和国 and its number is written in Arabic digits (主席令第八号 → 主席令第8号).

    :raises DocNumberError: when s (trimmed) is not exactly one 文号.
    """
    match = DOC_NUMBER_RE.fullmatch(s.strip())
    if match is None:
        raise DocNumberError(f"not a 文号: {s!r}")
    if match.group("order"):
        organ = SPACES.sub("", match.group("organ")).replace(PRC, "")
        organ = ORDER_ALIASES.get(organ + "令", organ + "令")
        return f"{organ}第{to_int(match.group('order'))}号"
    year = (match.group("year") or match.group("spaced_year")).translate(FULLWIDTH_DIGITS)
    number = int(match.group("number").translate(FULLWIDTH_DIGITS))
    return f"{match.group('code')}〔{year}〕{number}号"
