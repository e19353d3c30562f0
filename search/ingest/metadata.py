"""Document metadata: title, 文号, issuer, level, region, dates, type and authority.

Reads, in increasing precedence, what the text implies (letterhead, title line, signature, the
law header), what the page's markup says (<meta> tags, gov.cn's table) and the sidecar
``NAME.meta.json``. Header lines that became metadata are taken out of the body.
"""
from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path

from .. import settings
from ..errors import BadSidecar
from ..models import Metadata
from .authority import authority, doc_type
from .clean import Cleaned
from ..text.dates import DateError, find_dates, parse_date
from ..text.docnumber import find_doc_number
from .lawheader import is_law_markdown, split_law_header
from ..text.markers import starts_with_marker
from ..text.organs import joint_split, name_organ, title_organ
from ..text.places import LEVELS, NATIONAL, level_of, region_of
from .read import SourceText
from .sources import read_sidecar_bytes, sidecar_of

SENTENCE_PUNCT = re.compile(r"[。；：:！？!?]")
ABOUT = re.compile(r"[\s\u3000]*关于")
LETTERHEAD = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,{settings.MAX_ORGAN_CHARS}}}(?:文件|令|公报)$")
SIGNATURE_SENTENCE_ENDS = frozenset("。！？；")  # a signature glued into running text starts after one
# A law's first article: the 文号 of a judicial interpretation is printed before it.
ARTICLE_LINE = re.compile(r"^[\s\u3000]*第[\d一二三四五六七八九十百零]+条")
ORDER_NUMBER_LINE = re.compile(r"^第[\d一二三四五六七八九十百零]+号$")
PUBLISHED_LINE = re.compile(
    r"^(?:发布)?(?:时间|日期)[:：][\s\u3000]*(?P<date>[\d\-./年月日\s]+?)(?:[\s\u3000]+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"[\s\u3000]*(?:来源[:：].*)?$"
)
PUBLISHED_INLINE = re.compile(r"(?:发布日期|发布时间)[:：][\s\u3000]*(?P<date>\d{4}[-./]\d{1,2}[-./]\d{1,2})")
ORGAN = name_organ()  # the organ vocabulary is data: search/data/organs.toml
OWN_EFFECTIVE = re.compile(r"本(?:法|条例|规定|办法|细则|解释|决定)自(?P<date>[^，。；]{6,16}?日)起施行")
EFFECTIVE = re.compile(r"自(?P<date>[^，。；]{6,16}?日)起施行")
NATIONAL_ISSUERS = re.compile(r"^(?:国务院|全国人民代表大会|最高人民法院|最高人民检察院|中共中央|国家|中华人民共和国|中央)")
JOINT_SPLIT = joint_split()
NOT_IN_ORGAN = re.compile(r"[《》“”对的]")
TITLE_ORGAN = title_organ()
# A national-database file name ends in the date of its latest promulgation or revision: 专利法实施细则(2010-01-09)
FILE_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)$")
HEADER_ZONE = 12  # paragraphs searched for title, 文号 and letterhead before the first clause
# What a sidecar may say, beyond its type: the levels, and no character that would break a line.
LEVELS_KNOWN = (NATIONAL, *LEVELS)
# Cc: control characters (line breaks included); Zl, Zp: U+2028, U+2029; Cs: a lone surrogate
# (JSON's "\ud800"), which no UTF-8 file or index can hold.
LINE_BREAKING_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})


@dataclass
class Header:
    """Metadata of one document and the body left after header lines were taken out."""

    metadata: Metadata
    body: list[str]
    warnings: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def read_metadata(source: SourceText, cleaned: Cleaned, relpath: str) -> Header:
    """Work out a document's metadata from its text, markup and sidecar."""
    found: dict = {}
    warnings: list[str] = []
    extra: dict = {k: v for k, v in cleaned.furniture.items()}
    body = list(cleaned.paragraphs)
    if is_law_markdown(body):
        law, body = split_law_header(body)
        found.update(title=law.title, date=law.date, published=law.published, effective=law.effective,
                     issuer=_title_issuers(law.title) or tuple(law.issuers), doc_number=law.doc_number,
                     approved_by=tuple(law.approved_by))
        if not law.doc_number:
            body = _doc_number_from_body(body, found)
        if not law.history:
            _effective_from_text(body, found, warnings)
        extra["history"] = law.history
        file_date = FILE_DATE.search(Path(relpath).stem)
        if file_date:  # the database names each file by the date of its latest text
            try:
                extra["file_date"] = parse_date(file_date.group(1))
            except DateError:
                warnings.append(f"unreadable date in the file name: {file_date.group(1)}")
        warnings += law.warnings
    else:
        body = _policy_header(body, found, extra, warnings)
    _merge(found, _from_markup(source.meta, warnings))
    _merge(found, _read_sidecar(Path(source.path)))
    title = _squash(found.get("title", ""))
    body = [p for p in body if _squash(p) != title]  # a title the page repeats
    metadata = _complete(found, extra, relpath, source.sha256, warnings)
    return Header(metadata=metadata, body=body, warnings=warnings, extra=extra)


def _merge(found: dict, override: dict) -> None:
    found.update({k: v for k, v in override.items() if v not in ("", (), None, [])})


def _squash(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _policy_header(body: list[str], found: dict, extra: dict, warnings: list[str]) -> list[str]:
    """Take title, 文号, letterhead, publication line and signatures out of a policy's body."""
    out: list[str] = []
    signatures: list[tuple[str, str]] = []  # (organ, iso date)
    zone_end = next((i for i, p in enumerate(body) if starts_with_marker(p)), len(body))
    zone_end = min(zone_end, HEADER_ZONE)
    for i, para in enumerate(body):
        in_zone = i < zone_end
        if in_zone and not found.get("title"):
            para = _take_title(para, found)
            if not para:
                continue
        para = _take_inline_published(para, found)
        if in_zone and LETTERHEAD.match(para):
            extra.setdefault("letterhead", []).append(para)
            continue
        if in_zone and _is_doc_number_line(para):
            found.setdefault("doc_number", find_doc_number(para) or para)
            continue
        if in_zone and ORDER_NUMBER_LINE.match(para):
            extra.setdefault("letterhead", []).append(para)
            continue
        published = PUBLISHED_LINE.match(para)
        if in_zone and published:
            _set_date(found, "published", published.group("date"), warnings)
            continue
        date_only = _date_only(para)
        if date_only:
            organ = out.pop() if out and _is_organ_line(out[-1]) else ""
            signatures.append((organ, date_only))
            continue
        para, inline = _take_inline_signature(para)
        if inline:
            signatures.append(inline)
        if para:
            out.append(para)
        effective = EFFECTIVE.search(para) if in_zone else None
        if effective:
            _set_date(found, "effective", effective.group("date"), warnings)
    if signatures:
        organ, iso = next(((o, d) for o, d in signatures if o), signatures[0])
        found.setdefault("date", iso)
        if organ:
            found.setdefault("signer", organ)
        extra["signatures"] = [f"{o} {d}".strip() for o, d in signatures]
    return out


def _title_issuers(title: str) -> tuple[str, ...]:
    """Return the issuers a "X关于…" title names (joint ones split), or ()."""
    if "关于" not in title:
        return ()
    names = tuple(n for n in JOINT_SPLIT.split(title.split("关于", 1)[0]) if n)
    return names if names and all(ORGAN.search(n) for n in names) else ()


def _title_organ(title: str) -> str:
    """Return the organ a title without 关于 opens with (国家金融监督管理总局浙江监管局行政处罚…), or ""."""
    if "关于" in title:
        return ""
    best = ""
    for m in TITLE_ORGAN.finditer(title[: settings.MAX_ORGAN_CHARS]):
        prefix = title[: m.end()]
        # An organ's name holds no 《》 and no 对/的 (公安部对部分刀具…), and it is a state organ:
        # national (国家…, 中国…) or under a place (上海市人民代表大会常务委员会), not a subject
        # such as 仲裁委员会 in 仲裁委员会仲裁收费办法.
        if NOT_IN_ORGAN.search(prefix) or not (NATIONAL_ISSUERS.match(prefix) or region_of(prefix)):
            continue
        best = prefix
    return best


def _effective_from_text(body: list[str], found: dict, warnings: list[str]) -> None:
    """Read "本条例自…起施行" when a law's header has no history to say when it took effect."""
    for para in reversed(body):
        m = OWN_EFFECTIVE.search(para)
        if m:
            _set_date(found, "effective", m.group("date"), warnings)
            return


def _take_title(para: str, found: dict) -> str:
    """Return what is left of ``para`` once a title at its start is taken into ``found``."""
    head = re.split(r"(?=发布日期|发布时间|时间[:：]|来源[:：])", para, maxsplit=1)
    candidate = head[0].strip()
    if (len(candidate) <= settings.MAX_TITLE_CHARS and not SENTENCE_PUNCT.search(candidate)
            and not LETTERHEAD.match(candidate) and not starts_with_marker(candidate)
            and ("关于" in candidate or doc_type(candidate)) and not _is_doc_number_line(candidate)):
        found["title"] = ABOUT.sub("关于", candidate, count=1)
        return para[len(head[0]):].strip()
    return para


def _take_inline_published(para: str, found: dict) -> str:
    m = PUBLISHED_INLINE.search(para)
    if not m:
        return para
    found.setdefault("published", m.group("date"))
    return (para[: m.start()] + para[m.end():]).strip()


def _take_inline_signature(para: str) -> tuple[str, tuple[str, str] | None]:
    """Cut an "organ + date" signature that a scrape glued into running text."""
    # Sentence ends found once, not searched for again before every date: a paragraph that is a
    # list of thousands of dates would otherwise cost its length once per date.
    ends = [i for i, ch in enumerate(para) if ch in SIGNATURE_SENTENCE_ENDS]
    for match in find_dates(para):
        start = ends[bisect_left(ends, match.start) - 1] + 1 if ends and ends[0] < match.start else 0
        if 0 < match.start - start <= settings.MAX_ORGAN_CHARS:
            organ = para[start:match.start]
            if _is_organ_line(organ):
                return (para[:start] + para[match.end:]).strip(), (organ, match.iso)
    return para, None


def _date_only(para: str) -> str:
    dates = find_dates(para)
    if len(dates) != 1:
        return ""
    rest = (para[: dates[0].start] + para[dates[0].end:]).strip().strip("\u3000")
    return dates[0].iso if rest in ("", "印发", "发布") else ""


def _is_organ_line(text: str) -> bool:
    return len(text) <= settings.MAX_ORGAN_CHARS and not SENTENCE_PUNCT.search(text) and bool(ORGAN.search(text.strip()))


def _doc_number_from_body(body: list[str], found: dict) -> list[str]:
    """Take a 文号 printed on a line of its own before a law's first article (法释〔2022〕13号 under a
    judicial interpretation's letterhead) into the metadata; return the body without that line."""
    for i, para in enumerate(body[:settings.LAW_DOC_NUMBER_LINES]):
        if ARTICLE_LINE.match(para):
            break
        if _is_doc_number_line(para):
            found["doc_number"] = find_doc_number(para)
            return body[:i] + body[i + 1:]
    return body


def _is_doc_number_line(text: str) -> bool:
    number = find_doc_number(text)
    return bool(number) and len(_squash(text)) <= len(_squash(number)) + 2


def _set_date(found: dict, key: str, text: str, warnings: list[str]) -> None:
    if found.get(key):
        return  # the first date read for a field wins
    try:
        found[key] = parse_date(text)
    except DateError:
        warnings.append(f"unreadable {key} date: {text}")


def _from_markup(meta: dict, warnings: list[str]) -> dict:
    """Map the page's <meta> tags and gov.cn table onto metadata fields."""
    out: dict = {}
    for key in ("title", "doc_number"):
        if meta.get(key):
            out[key] = meta[key].strip()
    for key in ("date", "published"):
        if meta.get(key):
            dates = find_dates(meta[key])  # PubDate carries a time: "2024-07-12 17:33"
            _set_date(out, key, dates[0].text if dates else meta[key], warnings)
    if meta.get("issuer"):
        out["issuer"] = tuple(i for i in JOINT_SPLIT.split(meta["issuer"]) if i)
    for key, field_name in (("source_org", "source_org"), ("sitename", "site_name")):
        if meta.get(key):
            out[field_name] = meta[key]
    return out


def _read_sidecar(path: Path) -> dict:
    """Return the metadata a document's sidecar gives, each value checked for its field's type.

    :raises BadSidecar: naming the sidecar, the field and what it should hold.
    """
    sidecar = sidecar_of(path)
    if not os.path.lexists(sidecar):
        return {}
    try:
        # utf-8-sig: Windows Notepad saves UTF-8 with a byte-order mark
        data = json.loads(read_sidecar_bytes(sidecar).decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:  # not UTF-8 or JSON; a number of 5,000 digits; nesting 60,000 deep
        raise BadSidecar(sidecar, f"not valid UTF-8 JSON: {type(exc).__name__}: {str(exc)[:200]}") from exc
    if not isinstance(data, dict):
        raise BadSidecar(sidecar, "must hold a JSON object of metadata fields")
    known = {f.name for f in fields(Metadata)} - {"sha256", "source"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise BadSidecar(sidecar, f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    out = {}
    for key, value in data.items():
        if value is None:  # null: the field is left to what the text says
            continue
        try:
            out[key] = SIDECAR_FIELDS.get(key, _sidecar_text)(value)
        except ValueError as exc:
            raise BadSidecar(sidecar, f"{key}: {exc}") from exc
    return out


def _sidecar_text(value) -> str:
    """Check a sidecar value that is one line of text (title, 文号, type, authority)."""
    if not isinstance(value, str):
        raise ValueError(f"must be text (a JSON string), not {_json_type(value)} {_shown(value)}")
    value = value.strip()
    if len(value) > settings.MAX_SIDECAR_TEXT_CHARS:
        raise ValueError(f"is {len(value)} characters long; at most {settings.MAX_SIDECAR_TEXT_CHARS} are allowed")
    if any(unicodedata.category(ch) in LINE_BREAKING_CATEGORIES for ch in value):
        raise ValueError("holds a line break, a control character or half of a surrogate pair; write it on one line")
    return value


def _sidecar_names(value) -> tuple[str, ...]:
    """Check a sidecar value that is one name or a list of names (issuers, places)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise ValueError(f"must be a name or a non-empty list of names, not {_json_type(value)} {_shown(value)}")
    out = []
    for name in names:
        name = _sidecar_text(name)
        if not name:
            raise ValueError("holds an empty name")
        if "," in name:  # the facet fields' separator: one name would become two
            raise ValueError(f"{name!r} holds a comma; give each name as its own list item, "
                             f"e.g. [\"国务院\", \"商务部\"]")
        out.append(name)
    return tuple(out)


def _sidecar_level(value) -> str:
    level = _sidecar_text(value)
    if level not in LEVELS_KNOWN:
        raise ValueError(f"{level!r} is not a level; use one of {', '.join(LEVELS_KNOWN)}")
    return level


def _sidecar_date(value) -> str:
    try:
        return parse_date(_sidecar_text(value))
    except DateError as exc:
        raise ValueError(str(exc)) from exc


def _sidecar_year(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number such as 2021, not {_json_type(value)} {_shown(value)}")
    if not settings.MIN_YEAR <= value <= settings.MAX_YEAR:
        raise ValueError(f"{value} is not a year between {settings.MIN_YEAR} and {settings.MAX_YEAR}")
    return value


SIDECAR_FIELDS = {"issuer": _sidecar_names, "region": _sidecar_names, "level": _sidecar_level,
                  "approved_by": _sidecar_names, "expires": _sidecar_date,
                  "date": _sidecar_date, "published": _sidecar_date, "effective": _sidecar_date,
                  "year": _sidecar_year}  # every other field is one line of text


def _json_type(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:40] + "…"


def _complete(found: dict, extra: dict, relpath: str, sha256: str, warnings: list[str]) -> Metadata:
    """Infer what the text implies: issuer from the title, region and level from the issuer, …"""
    title = found.get("title", "")
    issuer = tuple(found.get("issuer") or ())
    if not issuer:
        prefix = title.split("关于", 1)[0] if "关于" in title else ""
        if prefix and prefix != title:
            issuer = tuple(i for i in JOINT_SPLIT.split(prefix) if i)
        elif found.get("signer"):
            issuer = (found["signer"],)
        elif _title_organ(title):
            issuer = (_title_organ(title),)
        elif found.get("site_name") and ORGAN.search(found["site_name"]):
            issuer = (found["site_name"],)
    if found.get("source_org"):
        extra["source_org"] = found["source_org"]
    region = tuple(found.get("region") or ()) or _region(issuer, title)
    level = found.get("level") or level_of(region)
    date = found.get("date") or _first(extra.get("印发日期"), warnings) or found.get("published", "")
    year = found.get("year") or (int(date[:4]) if date else None)
    dtype = found.get("doc_type") or doc_type(title)
    doc_number = found.get("doc_number", "")
    metadata = Metadata(
        title=title, doc_number=doc_number, issuer=issuer, level=level, region=region, date=date,
        published=found.get("published", ""), effective=found.get("effective", ""), year=year,
        approved_by=tuple(found.get("approved_by") or ()), expires=found.get("expires", ""),
        doc_type=dtype, authority=found.get("authority") or authority(issuer, level, dtype, doc_number),
        source=relpath, sha256=sha256,
    )
    for name in ("title", "issuer", "date"):
        if not getattr(metadata, name):
            warnings.append(f"no {name} found: add it to a {settings.SIDECAR_SUFFIX} sidecar")
    return metadata


def _region(issuer: tuple[str, ...], title: str) -> tuple[str, ...]:
    """Return the most specific place the issuer and title agree on.

    A city's regulation is adopted by the provincial 人大常委会 (郑州市专利促进和保护条例 by
    河南省's), so the title may name a finer place than the issuer; both must share a province.
    """
    places = [region_of(name) for name in (*issuer[:1], title) if name and not NATIONAL_ISSUERS.match(name)]
    best: tuple[str, ...] = ()
    for place in places:
        if place[: len(best)] == best and len(place) > len(best):
            best = place
    return best


def _first(values: list[str] | None, warnings: list[str]) -> str:
    for value in values or []:
        try:
            return parse_date(value)
        except DateError:
            warnings.append(f"unreadable date: {value}")
    return ""
