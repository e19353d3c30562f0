"""Time limits a task clause states (到2025年, 2016年底前, 每年, 持续推进) → text, year and whether it recurs.

Read by the task ledger (``search/ledger.py``) from a clause's own words. The dated and repeated
forms are grammar, here; the words of ongoing tasks, the wording that only looks like a time limit
(定期存款) and the five-year plans are vocabulary, in ``search/data/deadlines.toml``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..settings import DATA_DIR
from .agencies import TagDataError, read_toml, string_list
from .numerals import FULLWIDTH_DIGITS, NumeralError, to_int

__all__ = ["DEADLINES_PATH", "Deadline", "DeadlineVocabulary", "compile_deadlines", "deadlines", "load_deadline_words"]

DEADLINES_PATH = DATA_DIR / "deadlines.toml"

# A year is four digits, Arabic or Chinese (2016年, 二〇二〇年); no numeral may run into it (12016年).
_YEAR = r"(?<![0-9〇○零一二三四五六七八九十])(?P<year>[0-9]{4}|[〇○零一二三四五六七八九]{4})年"
_MONTH = r"(?:[0-9]{1,2}|十[一二]?|[一二三四五六七八九])月份?"
_DAY = r"(?:[0-9]{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])日"
# What ends a period: its end (底, 末, 上半年), then "by" (前, 以前, 内); 前后 ("about") is no limit.
_PART = r"(?:年底|年末|底|末|上半年|下半年)"
_BY = r"(?:前(?!后)|以前|之前|内|止)"
# 到2025年, 截至2018年6月底, 在2015年以前, 2016年底前, 二〇二〇年前. A year alone (2009年全省…)
# or a day something starts (2019年3月1日起施行) is no limit: a dated phrase needs 到/至/截至 before
# it or an end after it (checked in ``deadlines``). 在 and 于 are kept in the text, never enough.
# A day things change on (持续到2009年10月1日以后, 自…起) or that qualifies (以前的专利) is a condition: the
# phrase is taken whole (atomic), so refusing what follows never leaves a shorter match behind.
_DATED = (rf"(?:(?P<by>到|至|截至|截止到|截止)|(?P<at>在|于))?"
          rf"(?>{_YEAR}(?:{_MONTH}(?:{_DAY})?)?(?P<edge>{_PART}?{_BY}?))(?![的以之]?后|起|的)")
# 每年, 每季度, 每两年, 每个月, 每年3月底前: a repeated task, its day in the period kept in the text.
_EVERY = (r"(?P<every>每(?:[一两二三四五六七八九十0-9]{1,2})?个?(?:年度?|季度|季|半年|月|周|旬)"
          rf"(?:{_MONTH}(?:{_DAY})?)?{_PART}?{_BY}?)")
# 今年底前, 明年上半年, 本年度内: resolved with the document's year; 当年年底前 ("by the end of that
# year") has a year only the event knows. 今年 or 当年 alone (今年以来, 当年的年费) is no limit.
_RELATIVE = rf"(?P<rel>今年|本年度?|明年|当年)(?P<rel_edge>{_PART}?{_BY}?)"
_RELATIVE_YEARS = {"今年": 0, "本年": 0, "本年度": 0, "明年": 1, "当年": None}
# 年底前, 年内 with no year: this year. A numeral or 每 before it makes it a span (三年内) or a repeat.
_BARE = r"(?<![0-9〇○零一二两三四五六七八九十百几多每当本今明年])(?P<bare>年底前|年底以前|年底|年内)"
# A standalone word stands between punctuation (or at either end of the text), as a table cell does;
# never between 、, which lists adverbs (稳定、持续、创新推进).
_CELL_BEFORE = r"(?<![^\s（(，,：:；;])"
_CELL_AFTER = r"(?=[\s）)，,。；;]|$)"


@dataclass(frozen=True)
class DeadlineVocabulary:
    """The words of deadlines.toml: ongoing wording, standalone cell words, look-alikes, five-year plans."""

    ongoing: tuple[str, ...]
    standalone: tuple[str, ...]
    not_deadlines: tuple[str, ...]
    plans: dict[str, int]


@dataclass(frozen=True)
class Deadline:
    """A time limit as a clause writes it: 2016年底前 → year 2016; 每年 → recurring, no year."""

    text: str  # as written (full-width digits and all)
    year: int | None  # the year it falls due; None for an ongoing or repeated task, or 年底前 of an undated text
    recurring: bool  # repeated or ongoing (每年, 定期, 持续推进, 长期) rather than due once
    start: int  # offset of ``text`` in the text searched

    def to_dict(self) -> dict:
        return {"text": self.text, "year": self.year, "recurring": self.recurring}


def load_deadline_words(path: Path = DEADLINES_PATH) -> DeadlineVocabulary:
    """Read and check a deadline vocabulary (see the header of ``search/data/deadlines.toml``).

    :raises TagDataError: the file is missing, not TOML, or a list or plan is malformed.
    """
    data = read_toml(path)
    plans = data.get("plans", {})
    if not isinstance(plans, dict) or not all(isinstance(k, str) and k and isinstance(v, int) and 1000 <= v <= 9999
                                              for k, v in plans.items()):
        raise TagDataError(path, "plans must map a plan's name (十四五) to its last year (2025)")
    return DeadlineVocabulary(
        ongoing=string_list(path, data.get("ongoing"), "ongoing"),
        standalone=string_list(path, data.get("standalone"), "standalone"),
        not_deadlines=string_list(path, data.get("not_deadlines", []), "not_deadlines"),
        plans=dict(plans),
    )


def _words(words) -> str:
    """Return an alternation of ``words``, longest first so 长期坚持 wins over 长期."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def compile_deadlines(words: DeadlineVocabulary) -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """Return the pattern of every deadline form, and that of the look-alikes (None when there are none).

    The repeated forms come first, so 每年年底前 is one repeated phrase, not 年底前 of this year.
    """
    plan = (rf"(?P<plan_by>到)?[“\"]?(?P<plan>{_words(words.plans)})[”\"]?(?:期间|期末|末|时期){_BY}?"
            if words.plans else None)
    forms = [_EVERY, _DATED, plan, _RELATIVE, _BARE, rf"(?P<ongoing>{_words(words.ongoing)})",
             rf"{_CELL_BEFORE}(?P<cell>{_words(words.standalone)}){_CELL_AFTER}"]
    pattern = re.compile("|".join(f"(?:{form})" for form in forms if form))
    look_alikes = re.compile(_words(words.not_deadlines)) if words.not_deadlines else None
    return pattern, look_alikes


WORDS = load_deadline_words()
DEADLINE_RE, LOOK_ALIKE_RE = compile_deadlines(WORDS)


def deadlines(text: str, year: int | None = None) -> tuple[Deadline, ...]:
    """Return the time limits ``text`` states, in reading order, each phrase once.

    :param year: the document's year, for 今年底前, 明年, 年内 (their year stays None without it); a
        dated phrase before it is a condition or a look back, not a time limit, and is left out.

    >>> [d.to_dict() for d in deadlines("到2025年，建成知识产权强省；力争每年审定新品种100个左右。")]
    [{'text': '到2025年', 'year': 2025, 'recurring': False}, {'text': '每年', 'year': None, 'recurring': True}]
    """
    folded = text.translate(FULLWIDTH_DIGITS)  # one for one: offsets stay those of ``text``
    taken = [m.span() for m in LOOK_ALIKE_RE.finditer(folded)] if LOOK_ALIKE_RE else []
    found: dict[str, Deadline] = {}
    for match in DEADLINE_RE.finditer(folded):
        start, end = match.span()
        if any(start < b and a < end for a, b in taken):
            continue  # inside 定期存款, 可持续 …
        due = _due(match, year, WORDS.plans)
        if due is None:
            continue
        written = text[start:end]
        found.setdefault(written, Deadline(written, due[0], due[1], start))
    return tuple(found.values())


def _due(match: re.Match[str], year: int | None, plans: dict[str, int]) -> tuple[int | None, bool] | None:
    """Return (year, recurring) of a match, or None when the match is no time limit."""
    groups = match.groupdict()
    if groups["year"] is not None:
        if not (groups["by"] or groups["edge"]):
            return None
        try:
            due = to_int(groups["year"])
        except NumeralError:  # 〇〇〇〇年: digits, no year
            return None
        return None if _before(due, year) else (due, False)
    if groups.get("plan"):
        due = plans[groups["plan"]]
        return None if _before(due, year) else (due, False)
    if groups["rel"]:
        if not groups["rel_edge"]:
            return None
        offset = _RELATIVE_YEARS[groups["rel"]]
        return (year + offset if year is not None and offset is not None else None), False
    if groups["bare"]:
        return year, False
    return None, True  # every, ongoing, cell


def _before(due: int, year: int | None) -> bool:
    """Tell whether a year lies before the document's: a condition or a look back (在2009年10月1日前
    申请的专利, 是“十二五”末的2.4倍), never the time limit of a task the document sets."""
    return year is not None and due < year
