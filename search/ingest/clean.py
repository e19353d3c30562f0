"""Cleaning: raw lines → body paragraphs, keeping the original wording for display.

Drops blank lines, attachment file names and page furniture (主办/督办/抄送/印发 blocks, which
become metadata), rejoins lines broken in the middle of a sentence and drops what a scrape repeated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import settings
from ..text.organs import line_organ, title_end
from ..text.markers import starts_with_marker

# A line that closes a sentence or a bracketed remark cannot be the first half of a broken line.
TERMINAL_END = re.compile(r"(?:[。；！？：:;!?）)】」』]|[。；！？!?][”’])$")
# Sentence ends used for deduplication; closing quotes and brackets stay with their sentence.
SENTENCE = re.compile(r"[^。！？；!?;]*[。！？；!?;]+[”’）」』)]*\s*|[^。！？；!?;]+$")
SENTENCE_END_INSIDE = re.compile(r"[。！？；!?;]")
# Title lines end with the document's type; they are never joined to the body that follows.
TITLE_END = title_end()  # doctypes.toml's title_words
LINE_ORGAN = line_organ()  # organs.toml's line_endings
DATE_LINE = re.compile(
    r"^[\s\u3000]*(?:\d{4}|[一二三四五六七八九〇○零]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
    r"\s*[\d一二三四五六七八九十]{1,3}\s*日[\s\u3000]*(?:印发|发布|通过)?[\s\u3000]*$"
)
# A law's history lines open with a full date and a space: "2020年10月17日 第十三届…修正".
EVENT_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日[\s\u3000]")
HISTORY_START = re.compile(r"^\d{4}年")
# 文号 lines such as 三政〔2014〕61号 stand alone in a letterhead.
DOC_NUMBER_LINE = re.compile(r"^\S{1,12}[〔\[［(（【]\d{4}[〕\]］)）】]\s*\d+\s*号$")
# Attachments saved with the page: a bare file name.
ATTACHMENT_LINE = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|zip|rar|ofd|txt|jpe?g|png)$", re.IGNORECASE)
# Page furniture: once one of these opens a line, the rest of the page is the document's colophon.
FURNITURE_KEYS = ("主办", "督办", "抄送", "主送", "印发", "联系人", "联系电话", "信息公开选项", "公开方式")
FURNITURE_LINE = re.compile(rf"^(?P<key>{'|'.join(FURNITURE_KEYS)})[\s\u3000]*[：:]\s*(?P<value>.*)$")
PRINTED_LINE = re.compile(r"^(?P<date>.+日)[\s\u3000]*印发$")
STANDALONE_FURNITURE = re.compile(r"^[（(]此件(?:公开发布|主动公开|不予公开)[）)]$|^扫一扫在手机打开当前页$")
# Whitespace plus the invisible characters pages leave behind (zero-width space, BOM).
INVISIBLE = " \t\r\n\u3000\u00a0\u200b\u200c\u200d\u2060\ufeff"
# A wrapped line is long, or visibly stops mid-phrase; a short unpunctuated line is a table cell or
# a name in a list ("天津市" / "天津市经济技术开发区人民法院") unless a title goes on with 关于.
OPEN_END = re.compile(r"[，,、（(《“‘]$")
TITLE_CONTINUES = re.compile(r"^关于")
# Markdown structure and HTML comments are never part of a broken line.
STRUCTURAL_LINE = re.compile(r"^(?:#|<!--|\|)")


@dataclass
class Cleaned:
    """Body paragraphs after cleaning, with what cleaning took out and why."""

    paragraphs: list[str]
    furniture: dict[str, list[str]] = field(default_factory=dict)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, text)
    joined: int = 0


def clean(lines: list[str] | tuple[str, ...]) -> Cleaned:
    """Turn raw lines into clean body paragraphs, recording everything removed."""
    result = Cleaned(paragraphs=[])
    kept = _drop_blank_and_attachments(lines, result)
    kept = _take_furniture(kept, result)
    kept = _join_broken_lines(kept, result)
    result.paragraphs = _drop_repeats(kept, result)
    return result


def _drop_blank_and_attachments(lines, result: Cleaned) -> list[str]:
    kept = []
    for raw in lines:
        line = raw.strip(INVISIBLE).strip()
        if not line:
            continue
        if ATTACHMENT_LINE.search(line) and not SENTENCE_END_INSIDE.search(line):
            result.dropped.append(("attachment", line))
            continue
        if STANDALONE_FURNITURE.match(line):
            result.dropped.append(("furniture", line))
            continue
        kept.append(line)
    return kept


def _take_furniture(lines: list[str], result: Cleaned) -> list[str]:
    """Move the trailing colophon (主办/抄送/…/印发) into ``result.furniture``."""
    start = next((i for i, line in enumerate(lines) if FURNITURE_LINE.match(line)), None)
    printed = next((i for i, line in enumerate(lines) if PRINTED_LINE.match(line)), None)
    if printed is not None:
        # The printing office stands on the line above "…日印发".
        first = printed - 1 if printed > 0 and _looks_like_organ(lines[printed - 1]) else printed
        start = first if start is None else min(start, first)
    if start is None:
        return lines
    key = None
    for line in lines[start:]:
        m = FURNITURE_LINE.match(line)
        p = PRINTED_LINE.match(line)
        if m:
            key = m.group("key")
            result.furniture.setdefault(key, []).append(m.group("value").strip())
        elif p:
            result.furniture.setdefault("印发日期", []).append(p.group("date").strip())
        elif key is not None and key == "抄送" and not _looks_like_organ(line):
            result.furniture[key].append(line)  # 抄送 lists run over several lines
        else:
            result.furniture.setdefault("印发机关", []).append(line)
    return lines[:start]


def _looks_like_organ(line: str) -> bool:
    return len(line) <= settings.MAX_ORGAN_CHARS and not SENTENCE_END_INSIDE.search(line) and bool(LINE_ORGAN.search(line))


def _join_broken_lines(lines: list[str], result: Cleaned) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and _is_broken(out[-1], line):
            out[-1] = out[-1] + line
            result.joined += 1
        else:
            out.append(line)
    return out


def _is_broken(first: str, second: str) -> bool:
    """Tell whether ``second`` continues a sentence that ``first`` left unfinished."""
    if TERMINAL_END.search(first) or STRUCTURAL_LINE.match(first) or STRUCTURAL_LINE.match(second):
        return False
    if starts_with_marker(second) or DATE_LINE.match(second) or DATE_LINE.match(first) or EVENT_LINE.match(second):
        return False
    if DOC_NUMBER_LINE.match(first) or DOC_NUMBER_LINE.match(second):
        return False
    if TITLE_END.search(first) and len(first) <= settings.MAX_TITLE_CHARS:
        return False
    if starts_with_marker(first) and len(first) <= settings.MAX_HEADING_CHARS and not SENTENCE_END_INSIDE.search(first):
        return False  # a numbered heading such as 一、指导思想
    if HISTORY_START.match(first):  # a law's history entry may wrap, even after "2014年9月26"
        return not HISTORY_START.match(second)
    return len(first) >= settings.MIN_WRAPPED_LINE_CHARS or bool(OPEN_END.search(first) or TITLE_CONTINUES.match(second))


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences that concatenate back to it exactly."""
    return [s for s in SENTENCE.findall(paragraph) if s]


def _sentence_key(sentence: str) -> str:
    return re.sub(r"[\s\u3000]+", "", sentence)


def _drop_repeats(paragraphs: list[str], result: Cleaned) -> list[str]:
    """Drop sentences a scrape repeated, when the page repeats itself heavily.

    Laws repeat sentences legitimately (up to ~14 % of their text in the national database,
    e.g. 刑法's "单位犯前款罪的…"), so a sentence is only dropped as a scrape repeat in a document
    whose repeated share passes settings.REPEAT_SHARE_FOR_DEDUP. Even there a short repeated sentence
    standing alone is kept: "由省科技厅、知识产权局负责落实。" legitimately closes several items.
    Identical adjacent paragraphs (of a sentence's length or more) are a double paste in any
    document and are always dropped.
    """
    paragraphs = _drop_adjacent_duplicates(paragraphs, result)
    sentences = [split_sentences(p) for p in paragraphs]
    flat = [s for group in sentences for s in group]
    seen: set[str] = set()
    repeated: list[bool] = []
    for s in flat:
        key = _sentence_key(s)
        repeated.append(bool(key) and key in seen)
        seen.add(key)
    total = sum(len(_sentence_key(s)) for s in flat) or 1
    share = sum(len(_sentence_key(s)) for s, r in zip(flat, repeated) if r) / total
    if share < settings.REPEAT_SHARE_FOR_DEDUP:
        return paragraphs
    drop = [
        r and (
            len(_sentence_key(s)) >= settings.MIN_REPEAT_SENTENCE_CHARS
            or starts_with_marker(s.strip())
            or (i > 0 and repeated[i - 1])
            or (i + 1 < len(flat) and repeated[i + 1])
        )
        for i, (s, r) in enumerate(zip(flat, repeated))
    ]
    out, i = [], 0
    for group in sentences:
        kept = []
        for s in group:
            if drop[i]:
                result.dropped.append(("repeated", s.strip()))
            else:
                kept.append(s)
            i += 1
        text = "".join(kept).strip()
        if text:
            out.append(text)
    return out


def _drop_adjacent_duplicates(paragraphs: list[str], result: Cleaned) -> list[str]:
    out: list[str] = []
    for p in paragraphs:
        # Short lines ("续表" between two halves of a table) repeat legitimately.
        if out and _sentence_key(out[-1]) == _sentence_key(p) and len(p) >= settings.MIN_REPEAT_SENTENCE_CHARS:
            result.dropped.append(("repeated", p))
            continue
        out.append(p)
    return out
