"""References a text makes to other documents: 《titles》, 文号 and law articles (专利法第六条), each
with the verb that governs it (依据, 贯彻落实, 废止, 修改 or plain 引用); pure text, no I/O.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass

from search.text.docnumber import DOC_NUMBER_RE, DocNumberError, normalize_doc_number
from search.text.lawnames import NOT_A_LAW_NAME, PRC, law_name
from search.text.numerals import NUMERAL_CHARS, NumeralError, to_int

__all__ = ["VERBS", "VERB_LABELS", "Reference", "find_references"]

VERBS = ("basis", "implements", "repeals", "amends", "cites")
VERB_LABELS = {"basis": "依据", "implements": "贯彻落实", "repeals": "废止", "amends": "修改", "cites": "引用"}

MAX_TITLE_CHARS = 200  # the longest title in the 3,422 laws is 102 characters; a longer 《 is unbalanced
MAX_NAME_RUN = 24  # Han characters looked at before 第X条 for a bare law name
MAX_BARE_NAME = 16  # a bare law name longer than this (中华人民共和国 aside) is running text
MAX_UNLED_NAME = 8  # … and longer than this when no word before it shows where it starts,
# unless it opens with a place: 郑州市专利促进和保护条例第五条
PLACE_START = re.compile(r"^[\u4e00-\u9fff]{1,7}?(?:省|市|自治区|自治州|县)")
MAX_LOOKBACK = 200  # characters of a clause searched for a verb before a reference
MAX_LOOKAHEAD = 80  # … and after it

# 《title》 or 〈title〉 on one line; a 〈〉 inside 《》 stays part of the outer title.
TITLE_RE = re.compile(rf"《(?P<t1>[^《》\n]{{1,{MAX_TITLE_CHARS}}})》|〈(?P<t2>[^〈〉《》\n]{{1,{MAX_TITLE_CHARS}}})〉")
_GAP = r"[ \t\u3000\xa0]*"
ARTICLE = rf"第{_GAP}(?P<article>{NUMERAL_CHARS}{{1,8}}){_GAP}条(?:{_GAP}第{NUMERAL_CHARS}{{1,4}}[款项])*"
# After a title: a bracket (its 文号, or 2008年修正), (以下简称专利法), then an article, each optional.
AFTER_TITLE = re.compile(
    rf"{_GAP}(?P<bracket>[（(]{_GAP}(?P<inside>[^（()）\n]{{1,60}}?){_GAP}[）)])?"
    rf"(?:{_GAP}[（(](?:以下简称|下称|简称)[^（()）\n]{{1,20}}[）)])?{_GAP}(?P<cited>{ARTICLE})?"
)
# A bare law name's last word followed by an article: 专利法第六条, 解释（二）第三条.
LAW_FORM_ARTICLE = re.compile(
    rf"(?:法典|法|条例|规定|办法|细则|解释)(?:[（(][一二三四五六七八九十]{{1,3}}[）)])?{_GAP}{ARTICLE}"
)
HAN = re.compile(r"[\u4e00-\u9fff]")
# Words after which a bare law name starts: "违反专利法第六条" gives 专利法. The last one before
# the name wins, as long as what follows it is still a name ("专利法实施细则" keeps its 实施).
# Single characters only where no law name holds them (有 after 国 is 国有资产法's, 为 after 行 a 行为).
NAME_LEAD = re.compile(
    r"依照|依据|根据|按照|参照|比照|遵照|遵守|违反|违背|触犯|适用|属于|符合|构成|认定与|认定为|认定|误认为|"
    r"是指|视为|对于|基于|实施|执行|履行|行使|贯彻|落实|考虑|结合|超过|超出|达到|高于|低于|计算|计入|确定|"
    r"界定|指定|包括|涉及|落入|受理|审理|审查|提起|使用|采取|提交|提供|缴纳|支付|收到|请求|主张|承担|不受|"
    r"享有|具备|满足|不服|援引|引用|规定|修改前|修改后|修正前|修正后|现行|以及|或者|并且|有无|且无|"
    r"的|了|即|是|在|除|依|按|据|以|(?<!行)为|犯(?!罪)|(?<!自)由|(?<!国)有|[条款项](?:以及|或者|和|及|与|或|、)"
)
# A self reference at the end of the run (违反本条例, 依照本细则, 专利法第三十一条和本细则).
SELF_TAIL = re.compile(r"(?:本|该|此|上述|前述)[\u4e00-\u9fff]{0,4}$")
# Not a law's name: a self or anaphoric reference (本法, 该条例, 前述规定) or a vague one (有关规定).
SELF_NAME = re.compile(r"^(?:本|该|其|此|前|上述|下列|同|原|若干|有关|相关|相应|以上|以下)")
SPACES = re.compile(r"[\s\u3000\xa0]+")
# One character that, opening a run with no lead word, is a preposition or verb and not part of
# the name: 将刑法第X条修改为, 为刑法第X条规定的, 就刑法第X条.
UNLED_PREFIX = re.compile(r"^(?:将|就|为|把|被|向|从|凡|若|如|因|于|至|与|及|和|或|者|对(?!外))")

FILL = "\x00"  # stands in for a reference's text while verbs are looked up around it
CLAUSE_END = re.compile(r"[。；;！？!?\n，,：:“”「」]")
FILLS = re.compile(f"{FILL}+")
PRECEDING_VERB = re.compile(
    r"(?P<basis>根据|依据|依照|按照)|(?P<implements>贯彻落实|贯彻|落实)|(?P<adjacent_implements>实施)"
    r"|(?P<amends>修改|修正|修订)|(?P<repeals>废止)"
)
ADJACENT = re.compile(r"^[ \t\u3000\xa0]*了?[ \t\u3000\xa0]*$")
# Between 根据/贯彻 and a reference, a word like these takes the reference as its own object.
BLOCKERS = re.compile(r"违反|违背|适用|参照|属于|符合|构成|认定|视为|不受|实施|规定的")
TRAILING_VERB = re.compile(r"(?P<repeals>废止)|(?P<amends>修改|修正|修订)")
# A decision that amends or repeals, or an order, is the instrument, never the object, of a 修正
# after it: "…会议《关于修改〈中华人民共和国专利法〉的决定》第四次修正", "国务院令第651号修订".
INSTRUMENT_TITLE = re.compile(r"关于(?:修改|修订|修正|废止)|修正案")
TRAILING_GAP = re.compile(
    rf"^(?:[\s\u3000、和及与或以]{{0,3}}{FILL})*"
    r"(?:等(?:[一二三四五六七八九十百0-9]{1,4}[件部个项])?(?:[\u4e00-\u9fff]{0,8}?(?:法律|法规|规章|文件|解释))?)?"
    rf"(?:自[^{FILL}，。；]{{2,20}}?起)?"
    r"(?:同时|予以|一并|即行|相应地?|作出?|如下|进行|均|也|应当|一律)*$"
)
JOINERS = re.compile(r"^[\s\u3000、，,]*(?:和|及|以及|与|或|或者)?[\s\u3000、，,]*$")
# A 文号 starts where its organ does; a verb glued before it (贯彻豫政〔2013〕60号) is not part of it.
LEADING_VERB = re.compile(r"^(?:贯彻落实|贯彻|落实|实施|执行|废止|修改|修正)")


@dataclass(frozen=True)
class Reference:
    """One reference a text makes to another document."""

    verb: str  # one of VERBS
    title: str  # inside 《》/〈〉 without the brackets, or the bare law name (专利法); "" for a lone 文号
    doc_number: str  # the 文号 as written (豫政〔2013〕60号), "" when none
    article: int | None  # 专利法第六条 → 6; 《专利法》第六条第二款 → 6; else None
    text: str  # the span as written, for display

    def to_dict(self) -> dict:
        """Return the reference as a plain dict, with the verb's Chinese label beside it."""
        return {**asdict(self), "verb_label": VERB_LABELS[self.verb]}

    def document_key(self) -> tuple[str, str]:
        """Return what names the document referred to, whatever the verb or article.

        《中华人民共和国专利法》 and 专利法第六条 share one key; so do 三政[2014]61号 and 三政〔2014〕61号.
        """
        if self.title:
            return ("title", law_name(SPACES.sub("", self.title)))
        try:
            return ("number", normalize_doc_number(self.doc_number))
        except DocNumberError:
            return ("number", self.doc_number)


@dataclass
class _Span:
    start: int
    end: int
    title: str
    doc_number: str
    article: int | None


def find_references(text: str) -> tuple[Reference, ...]:
    """Return the references text makes, in order of appearance, each (verb, document, article) once.

    The verb is looked up in the reference's clause: its sentence (split on 。；！？ and line
    ends), cut further at ，：and quotation marks, so a quoted replacement text is a scope of its
    own. Tried in this order:

    1. 废止/修改/修正/修订 after it, with only filler words between (原《X》同时废止, 对《X》等十八件
       司法解释作如下修改, 将《X》第三条修改为), unless a reference follows the verb directly (that
       one is its object) or the reference is itself an amending decision or an order, which is
       the instrument of a 修正 after it (…会议《关于修改〈…专利法〉的决定》第四次修正).
    2. The nearest verb before it: 根据/依据/依照/按照 (basis) and 贯彻/落实 (implements) anywhere
       earlier in the clause unless a word such as 违反, 适用 or 属于 stands between; 修改/修正/
       修订/废止 and 实施 only right before it (关于修改《X》的决定, 为实施《X》), since elsewhere
       they are nouns (申请的修改不符合专利法第三十三条); 实施 never before a law article, where it
       means committing the act the article describes (实施刑法第二百一十七条所列行为).
    3. The verb of the reference before it when only 、，和及以及与或 separate them (根据《A》，《B》).
    4. Otherwise the reference is only cited.

    >>> [(r.verb, r.title, r.article) for r in find_references("违反专利法第十一条规定的")]
    [('cites', '专利法', 11)]
    """
    spans = _spans(text)
    if not spans:
        return ()
    masked = _masked(text, spans)
    ends = [m.start() for m in CLAUSE_END.finditer(masked)]
    found: dict[tuple, Reference] = {}
    previous: tuple[_Span, str] | None = None
    for span in spans:
        verb = _verb(masked, span, ends, previous)
        previous = (span, verb)
        ref = Reference(verb, span.title, span.doc_number, span.article, text[span.start:span.end].strip())
        found.setdefault((verb, ref.document_key(), ref.article), ref)
    return tuple(found.values())


def _spans(text: str) -> list[_Span]:
    """Find titles (with the 文号 and article after them), lone 文号 and bare law articles."""
    spans: list[_Span] = []
    for m in TITLE_RE.finditer(text):
        after = AFTER_TITLE.match(text, m.end())
        number = _bracketed_number(after.group("inside") or "")
        end = after.end("bracket") if number else m.end()
        article = _article(after.group("article")) if after.group("cited") else None
        if article is not None:
            end = after.end("cited")
        spans.append(_Span(m.start(), end, m.group("t1") or m.group("t2"), number, article))
    taken = _Taken(spans)
    for m in DOC_NUMBER_RE.finditer(text):
        start = m.start() + len(lead.group()) if (lead := LEADING_VERB.match(m.group())) else m.start()
        if not taken.overlaps(start, m.end()):
            spans.append(_Span(start, m.end(), "", text[start:m.end()].strip(), None))
    taken = _Taken(spans)
    # Names the text itself shows where they start, 《中华人民共和国刑法》 or 依照刑法第X条: a run
    # with no lead word (将刑法第X条) ending in one of them is cut to it.
    known = {law_name(s.title) for s in spans if s.title}
    unled: list[_Span] = []
    for m in LAW_FORM_ARTICLE.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        found = _bare_name_start(text, m.start())
        if found is None:
            continue
        name_start, led = found
        form = text[m.start():m.start("article")].split("第")[0].strip()  # 法, 解释（二）
        span = _Span(name_start, m.end(), (text[name_start:m.start()] + form).strip(), "", _article(m.group("article")))
        spans.append(span)
        if led:
            known.add(law_name(span.title))
        else:
            unled.append(span)
    for span in unled:
        _cut_unled(span, known)
    spans = [s for s in spans if s.title or s.doc_number]
    spans.sort(key=lambda s: s.start)
    return spans


class _Taken:
    """The character ranges already claimed by references, for overlap tests by bisection."""

    def __init__(self, spans: list[_Span]):
        ordered = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in ordered]
        self.ends = [s.end for s in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        if i >= 0 and self.ends[i] > start:
            return True
        j = bisect_left(self.starts, start)
        return j < len(self.starts) and self.starts[j] < end


def _bracketed_number(inside: str) -> str:
    """Return the 文号 a bracket after a title holds (三政〔2014〕61号, 国办发〔2018〕126号，以下简称…), or ""."""
    inside = inside.strip()
    m = DOC_NUMBER_RE.match(inside)
    if m and (m.end() == len(inside) or inside[m.end()] in "，,；;、"):
        return m.group()
    return ""


def _article(numeral: str) -> int | None:
    try:
        return to_int(numeral)
    except NumeralError:
        return None


def _bare_name_start(text: str, form_start: int) -> tuple[int, bool] | None:
    """Return where the law name ending at the form word (法, 条例 …) at form_start begins, and
    whether a lead word or 中华人民共和国 shows that start.

    Conservative: the name starts after the last lead word (违反, 依照 …) that leaves a name, or
    at 中华人民共和国, or where the run of Han characters begins (unled: see _cut_unled); a self
    reference (本法), a form word alone (规定) and a run with no visible start are no name at all.
    """
    form_end = form_start + 1
    while form_end < len(text) and HAN.match(text[form_end]) and text[form_end] != "第":
        form_end += 1
    start = form_start
    while start > 0 and form_start - start < MAX_NAME_RUN and HAN.match(text[start - 1]):
        start -= 1
    bounded = start == 0 or not HAN.match(text[start - 1])
    run = text[start:form_end]
    if SELF_TAIL.search(run):
        return None
    candidates = [m.end() for m in NAME_LEAD.finditer(run, 0, form_start - start)]
    prc = run.rfind(PRC, 0, form_start - start)
    for cut in reversed(candidates):
        if prc >= cut:
            return start + prc, True
        if _is_name(run[cut:]):
            return start + cut, True
    if prc >= 0:
        return start + prc, True
    return (start, False) if bounded and _is_name(run) else None


def _cut_unled(span: _Span, known: set[str]) -> None:
    """Shorten a name no lead word bounds to a name the text knows, or past a preposition; a long
    one that stays unbounded is dropped (its title emptied)."""
    name = span.title
    for i in range(1, len(name) - 1):
        if law_name(name[i:]) in known:
            span.start += i
            span.title = name[i:]
            return
    prefix = UNLED_PREFIX.match(name)
    if prefix and _is_name(name[prefix.end():]):
        span.start += prefix.end()
        span.title = name[prefix.end():]
    elif len(name) > MAX_UNLED_NAME and not PLACE_START.match(name):
        span.title = ""


def _is_name(name: str) -> bool:
    bare = name[len(PRC):] if name.startswith(PRC) else name
    return (1 < len(bare) <= MAX_BARE_NAME and not SELF_NAME.match(bare)
            and not NOT_A_LAW_NAME.search(bare))


def _masked(text: str, spans: list[_Span]) -> str:
    parts, last = [], 0
    for span in spans:
        if span.start < last:  # overlapping spans cannot occur, but never rewrite text twice
            continue
        parts += [text[last:span.start], FILL * (span.end - span.start)]
        last = span.end
    parts.append(text[last:])
    return "".join(parts)


def _verb(masked: str, span: _Span, ends: list[int], previous: tuple[_Span, str] | None) -> str:
    i = bisect_left(ends, span.start)
    clause_start = ends[i - 1] + 1 if i else 0
    i = bisect_left(ends, span.end)
    clause_end = ends[i] if i < len(ends) else len(masked)
    # 1. 废止/修改 after the reference
    instrument = INSTRUMENT_TITLE.search(span.title) or "令" in span.doc_number
    after_end = span.end if instrument else min(clause_end, span.end + MAX_LOOKAHEAD)
    for m in TRAILING_VERB.finditer(masked, span.end, after_end):
        # runs of FILL collapse to one, so the pattern has one way to read a run of references
        if masked[m.end():m.end() + 1] == FILL or not TRAILING_GAP.match(FILLS.sub(FILL, masked[span.end:m.start()])):
            continue
        return m.lastgroup
    # 2. the nearest verb before it
    before_start = max(clause_start, span.start - MAX_LOOKBACK)
    for m in reversed(list(PRECEDING_VERB.finditer(masked, before_start, span.start))):
        gap = FILLS.sub("", masked[m.end():span.start])
        if m.lastgroup in ("basis", "implements"):
            if BLOCKERS.search(gap):
                break
            return m.lastgroup
        if not ADJACENT.match(gap) or FILL in masked[m.end():span.start]:
            continue
        if m.lastgroup != "adjacent_implements":
            return m.lastgroup
        if span.article is None:  # 实施刑法第二百一十七条所列行为 commits the act, it implements nothing
            return "implements"
    # 3. the verb of the reference just before it in a run
    if previous and previous[0].end <= span.start and JOINERS.match(masked[previous[0].end:span.start]):
        return previous[1]
    return "cites"
