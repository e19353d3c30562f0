"""Stage 1 of ingestion: a raw .txt/.md/.html file → decoded text lines plus markup metadata.

No network and no index here; ``clean`` takes ``SourceText.lines`` from this module.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import charset_normalizer
from bs4 import BeautifulSoup, CData, MarkupResemblesLocatorWarning, NavigableString, Tag
from bs4.exceptions import ParserRejectedMarkup

from search import settings
from search.errors import BadMarkup, BinaryFile, EmptyFile, FileTooLarge, UndecodableFile, UnsupportedFormat

from .sources import read_checked

FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}

# Decoding. Share of non-ASCII characters that must be common GB2312 characters (punctuation
# rows A1–A3, hanzi rows B0–F7) before GB18030-decoded bytes count as Chinese. Real seed and
# law text scores ≥ 0.87 even on 200-character slices; Big5 read as GBK scores about 0.15.
GB_COMMON_SHARE = 0.8
# charset-normalizer's names for the GB family; when it offers candidates and none is one of
# these (EUC-KR, Big5, Shift-JIS bytes are often valid GBK), the GB18030 reading is refused.
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312"})
# Bytes that plain text never holds (NUL is checked on its own); \t \n \f \r and ESC are allowed.
CONTROL_BYTES = frozenset(set(range(0x01, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}) | {0x7F}
UTF16_BOMS = {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
UTF8_BOM = b"\xef\xbb\xbf"

# HTML body. Tried in order before the density fallback; each names the body container of
# a CMS family: gov.cn's UCAP, nfra.gov.cn's Angular page, TRS WCM editors, Word exports.
CONTENT_SELECTORS = (
    "#UCAP-CONTENT",
    "#wenzhang-content",
    ".pages_content",
    ".TRS_Editor",
    ".Custom_UnionStyle",
    "#zoom",
    "#Zoom",
    ".article-content",
    "#content",
    "article",
)
REMOVED_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "nav", "header", "footer", "form",
    "button", "select", "input", "textarea", "svg", "canvas", "object", "embed", "video", "audio",
})
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul",
})
CELL_TAGS = frozenset({"td", "th"})
UNIT_TAGS = BLOCK_TAGS | CELL_TAGS  # the elements whose text the density fallback weighs
ROW_TAGS = frozenset({"tr"})
LINK_TAGS = frozenset({"a"})
BODY_TAGS = frozenset({"body"})
# The strings get_text() reads in an ordinary element (not comments, doctypes or scripts).
TEXT_TYPES = frozenset({NavigableString, CData})
# Page widgets that sit inside article containers; matched as text of a whole line.
FURNITURE_LINES = frozenset({"扫一扫在手机打开当前页", "【打印本页】", "【关闭窗口】"})
# A text unit with fewer CJK characters than this is a label, menu item or caption; the
# density fallback counts it against the block holding it (body paragraphs are longer).
MIN_PARAGRAPH_CJK = 10

# <meta name> values renamed to the project's keys; other names are kept lowercased.
META_NAME_KEYS = {"articletitle": "title", "pubdate": "published", "contentsource": "source_org"}
# gov.cn's 索引号/发文机关/… table; labels are compared with whitespace and colon removed.
GOVCN_LABEL_KEYS = {
    "索引号": "index_number",
    "主题分类": "subject",
    "发文机关": "issuer",
    "成文日期": "date",
    "标题": "title",
    "发文字号": "doc_number",
    "发布日期": "published",
    "主题词": "subject_words",
}
# The longest label with its colon; a cell with more text than this is not a label.
GOVCN_LABEL_CHARS = max(map(len, GOVCN_LABEL_KEYS)) + 1

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
LABEL_SPACE_RE = re.compile(r"\s+")
LABEL_COLON_RE = re.compile(r"[:：]$")
CELL_GAP_RE = re.compile(r" *\t[ \t]*")
SPACE_RUN_RE = re.compile(r" {2,}")
# Class/id words of navigation, footers, share/print widgets and copyright notices, as on
# nfra.gov.cn ("nav-list", "share-component", "banquanmianze") and gov.cn ("qr_container");
# the word must start at a boundary so "canvas" is not "nav" and "pages-dateprint" stays.
FURNITURE_NAME_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|menu|foot|share|bdshare|breadcrumb|crumb|sidebar|toolbar|qr|erweima"
    r"|fenxiang|weizhi|login|search|copyright|banquan|mianze|print|dayin)",
    re.IGNORECASE,
)
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HIDDEN_CLASSES = frozenset({"ng-hide", "hidden"})
# html.parser's own test for a start tag (its starttagopen): counting these before parsing
# bounds the elements the tree can hold, comments and scripts counted as if they were markup.
START_TAG_RE = re.compile(r"<[a-zA-Z]")
# How html.parser ends a comment (``--`` then ``>``, spaces allowed), and the start of a tag or
# declaration (after the last ``>`` of a page it can only be one cut off).
COMMENT_CLOSE_RE = re.compile(r"--\s*>")
EMPTY_COMMENTS = ("<!--->", "<!-->")  # longest first
UNFINISHED_TAG_RE = re.compile(r"<[a-zA-Z/!?]")
# The forms of CONTENT_SELECTORS that _selectors_matching compares: #id, .class, a tag name.
SIMPLE_SELECTOR_RE = re.compile(r"[#.]?[A-Za-z][\w-]*")

# CONTENT_SELECTORS by what they compare, so that one walk of the page tests them all
# (select() walks the page once per selector).
_unsupported = [selector for selector in CONTENT_SELECTORS if not SIMPLE_SELECTOR_RE.fullmatch(selector)]
if _unsupported:
    raise ValueError(f"CONTENT_SELECTORS may hold only #id, .class and tag names, not {_unsupported}")
SELECTORS_BY_ID = {selector[1:]: selector for selector in CONTENT_SELECTORS if selector[0] == "#"}
SELECTORS_BY_CLASS = {selector[1:]: selector for selector in CONTENT_SELECTORS if selector[0] == "."}
SELECTORS_BY_TAG = {selector: selector for selector in CONTENT_SELECTORS if selector[0] not in "#."}


@dataclass(frozen=True)
class SourceText:
    """A source file decoded to lines, with the metadata its markup carried."""

    path: str  # as given
    format: str  # "text" | "markdown" | "html"
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16-le", "utf-16-be"
    lines: tuple[str, ...]  # original wording; line ends unified, trailing whitespace stripped
    meta: dict[str, str]  # from <meta name> and gov.cn's metadata table; {} for text/markdown
    sha256: str  # of the raw bytes


@dataclass(frozen=True)
class HtmlText:
    """The article body of an HTML page as lines, its metadata and how the body was found."""

    lines: tuple[str, ...]  # one per block (p, div, li, tr, br run …); table cells joined by \t
    meta: dict[str, str]
    found_by: str  # the CONTENT_SELECTORS entry that matched, or "density"


def read_source(path: str | Path, data: bytes | None = None) -> SourceText:
    """Read one source file into lines, refusing empty, binary, undecodable or oversized files.

    ``data``: the file's bytes when the caller has read them already (with read_checked).
    """
    file = Path(path)
    fmt = format_for(file)
    if data is None:
        data = read_checked(file)  # a regular file within the size budget, or an IngestError
    if not data.strip():
        raise EmptyFile(path, "the file is empty" if not data else "the file holds only whitespace")
    text, encoding = decode_bytes(data, path)
    if not text.strip():
        raise EmptyFile(path, f"the file holds only whitespace (decoded as {encoding})")
    meta: dict[str, str] = {}
    if fmt == "html":
        _refuse_many_elements(path, text)
        try:
            page = html_to_source(text)
        except ParserRejectedMarkup as exc:  # html.parser gives up on a section with no keyword: <![ ]>
            raise BadMarkup(path, f"the HTML can't be parsed: {exc}") from exc
        if not page.lines:
            raise EmptyFile(path, "the HTML page has no text outside markup, scripts and page furniture")
        lines, meta = page.lines, page.meta
    else:
        lines = split_lines(text)
    return SourceText(str(path), fmt, encoding, lines, meta, hashlib.sha256(data).hexdigest())


def format_for(path: Path) -> str:
    """Return the format named by the file's suffix, or raise UnsupportedFormat."""
    fmt = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if fmt is None:
        supported = ", ".join(FORMAT_BY_SUFFIX)
        raise UnsupportedFormat(path, f"suffix {path.suffix or '(none)'!r} is not supported; use one of {supported}")
    return fmt


def split_lines(text: str) -> tuple[str, ...]:
    """Split text on \\n, \\r\\n or \\r and strip each line's trailing whitespace."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not start another
    return tuple(line.rstrip() for line in lines)


def decode_bytes(data: bytes, path: str | Path) -> tuple[str, str]:
    """Decode UTF-8 (BOM or not), BOM-marked UTF-16 or credible GB18030; return (text, encoding).

    :raises BinaryFile: NUL bytes or many control bytes near the start.
    :raises UndecodableFile: neither valid UTF-8 nor GB18030 that reads as Chinese.
    """
    bom = data[:2]
    if bom in UTF16_BOMS:
        encoding = UTF16_BOMS[bom]
        text = _strict_decode(data[2:], encoding, path, "it starts with a UTF-16 byte-order mark but")
        _refuse_binary(path, [ord(ch) for ch in text[: settings.BINARY_SNIFF_BYTES // 2]])
        return text, encoding
    _refuse_binary(path, data[: settings.BINARY_SNIFF_BYTES])
    if data.startswith(UTF8_BOM):
        return _strict_decode(data[3:], "utf-8", path, "it starts with a UTF-8 byte-order mark but"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_problem = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise UndecodableFile(path, f"{utf8_problem} and not GB18030 (bad byte at offset {exc.start})") from None
    share = gb_common_share(text)
    guesses = [match.encoding for match in charset_normalizer.from_bytes(data)]
    if share < GB_COMMON_SHARE:
        raise UndecodableFile(
            path,
            f"{utf8_problem}, and read as GB18030 only {share:.0%} of its non-ASCII characters are "
            f"common Chinese ones (charset-normalizer suggests {', '.join(guesses) or 'nothing'})",
        )
    if guesses and not GB_FAMILY.intersection(guesses):
        raise UndecodableFile(
            path, f"{utf8_problem}, and charset-normalizer reads it as {', '.join(guesses)}, not GB18030"
        )
    return text, "gb18030"


def gb_common_share(text: str) -> float:
    """Return the share of non-ASCII characters that are GB2312 punctuation or hanzi (1.0 if none)."""
    counts = Counter(ch for ch in text if ord(ch) > 0x7F)
    total = sum(counts.values())
    if not total:
        return 1.0
    common = 0
    for ch, n in counts.items():
        try:
            lead = ch.encode("gb2312")[0]
        except UnicodeEncodeError:
            continue
        if 0xA1 <= lead <= 0xA3 or 0xB0 <= lead <= 0xF7:
            common += n
    return common / total


def _strict_decode(data: bytes, encoding: str, path: str | Path, claim: str) -> str:
    """Decode strictly, turning a failure into UndecodableFile that says what the file claimed."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UndecodableFile(path, f"{claim} is not valid {encoding} (offset {exc.start})") from None


def _refuse_binary(path: str | Path, sample: bytes | list[int]) -> None:
    """Raise BinaryFile when the sample (byte or code-point values) holds NUL or many control codes."""
    if not len(sample):
        return
    if 0 in sample:
        raise BinaryFile(path, "it contains NUL bytes near the start; is it an image, archive or UTF-16 without BOM?")
    controls = sum(1 for value in sample if value in CONTROL_BYTES)
    if controls / len(sample) > settings.BINARY_CONTROL_RATIO:
        raise BinaryFile(path, f"{controls} of its first {len(sample)} bytes are control codes")


def _refuse_many_elements(path: str | Path, html: str) -> None:
    """Raise FileTooLarge, before parsing, when the page has more start tags than MAX_HTML_ELEMENTS."""
    if html.count("<") <= settings.MAX_HTML_ELEMENTS:  # every tag has one; counted at C speed
        return
    count = sum(1 for _ in START_TAG_RE.finditer(html))
    if count > settings.MAX_HTML_ELEMENTS:
        raise FileTooLarge(
            path, f"the HTML page has {count:,} start tags, over the limit of {settings.MAX_HTML_ELEMENTS:,} elements"
        )


def _without_unfinished_end(html: str) -> str:
    """Close or drop, in one linear pass, what Python 3.11's html.parser would search the rest of the page for.

    html.parser searches the rest of the page again from every ``<`` it can't finish, which
    is quadratic: ``<!--x>`` 40,000 times took 10 s, ``<![CDATA[x>`` 40,000 times 2.3 s
    (CPython fixed the first in 3.13.4, CVE-2025-6069). Done as HTML5 does instead: a comment
    left open runs to the end of the file; ``<![…`` outside SVG and MathML is a bogus comment
    that ends at its first ``>`` (Word's ``<![if !supportLists]>`` already does); a tag cut off
    before its ``>`` at the end of the file is dropped.
    """
    pieces: list[str] = []
    start = pos = 0
    while (opened := html.find("<!", pos)) >= 0:
        if html.startswith("<!--", opened):
            empty = next((e for e in EMPTY_COMMENTS if html.startswith(e, opened)), None)
            if empty:  # <!--> and <!---> are whole comments in HTML5, text to html.parser
                pieces += [html[start:opened], "<!-- -->"]
                start = pos = opened + len(empty)
                continue
            closed = COMMENT_CLOSE_RE.search(html, opened + 4)
            if closed is None:
                html = html[:opened]
                break
            pos = closed.end()
        elif html.startswith("<![", opened):
            closed = html.find(">", opened + 3)
            if closed < 0:
                html = html[:opened]
                break
            if html[closed - 1] != "]":  # not closed the way html.parser expects: make it a comment
                pieces += [html[start:opened], "<!-- -->"]
                start = closed + 1
            pos = closed + 1
        else:
            pos = opened + 2
    pieces.append(html[start:])
    html = "".join(pieces)
    last_close = html.rfind(">") + 1
    cut = UNFINISHED_TAG_RE.search(html, last_close)
    return html[:cut.start()] if cut else html


def html_to_source(html: str) -> HtmlText:
    """Extract the article body lines and page metadata from an HTML page or fragment.

    Each step reads the parse tree through a _FlatTree, one walk of it, so the work is linear
    in the page however deep its unclosed elements nest.

    >>> html_to_source('<td id="UCAP-CONTENT"><p>第一条　为了规范专利代理行为</p></td>').lines
    ('第一条\\u3000为了规范专利代理行为',)
    """
    with warnings.catch_warnings():
        # We always pass markup read from a file, never a file name or URL.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(_without_unfinished_end(html), "html.parser")
    whole = _FlatTree(soup)
    meta = _meta_tags(whole)
    table, rows = _govcn_table(whole)
    for key, value in table.items():
        meta.setdefault(key, value)

    # Left out of the later walks rather than decomposed: decompose() finds the element among
    # its parent's children by a scan, and a page may hold thousands of siblings.
    def dropped(tag: Tag) -> bool:
        return tag.name in REMOVED_TAGS or id(tag) in rows or _is_hidden(tag)

    kept = _FlatTree(soup, skip=dropped)
    root, found_by = _content_root(kept, soup)
    body = _block_lines(root, skip=lambda tag: not kept.holds(tag) or _is_furniture(tag))
    lines = tuple(line for line in body if line not in FURNITURE_LINES)
    return HtmlText(lines, meta, found_by)


class _FlatTree:
    """The elements and strings under one node in document order, read in one walk.

    bs4 answers get_text(), find_parent() and select() by walking the element's subtree or
    its ancestors (and each walk of descendants first steps down to the last one), so asking
    them of every element costs the page's size times its depth: 38 s for 10,000 unclosed
    ``<div><p><table><tr><td>``. Here each element's parent and the run of strings it holds
    are noted once; the steps then read lists instead of walking the tree.
    """

    def __init__(self, top: Tag, skip: Callable[[Tag], bool] | None = None):
        self.tags: list[Tag] = []  # document order: an element comes before its descendants
        self.parent: list[int] = []  # index in tags of each element's parent, -1 for top
        self.first: list[int] = []  # element i holds strings[first[i]:last[i]]
        self.last: list[int] = []
        self.strings: list[NavigableString] = []  # all of them: comments and scripts too
        self.holder: list[int] = []  # index in tags of each string's parent, -1 for top
        self._kept: dict[tuple, tuple[str, list[int]]] = {}
        self._index: dict[int, int] | None = None
        stack = [(iter(top.contents), -1)]  # not recursion: unclosed tags nest thousands deep
        while stack:
            children, parent = stack[-1]
            for child in children:
                if not isinstance(child, Tag):
                    self.strings.append(child)
                    self.holder.append(parent)
                elif skip is None or not skip(child):
                    self.tags.append(child)
                    self.parent.append(parent)
                    self.first.append(len(self.strings))
                    self.last.append(len(self.strings))
                    stack.append((iter(child.contents), len(self.tags) - 1))
                    break
            else:
                stack.pop()
                if parent >= 0:
                    self.last[parent] = len(self.strings)

    def index(self, tag: Tag) -> int:
        """Return the element's index in tags."""
        return self._indexes()[id(tag)]

    def holds(self, tag: Tag) -> bool:
        """Tell whether the walk kept the element (it was not skipped, nor inside a skipped one)."""
        return id(tag) in self._indexes()

    def _indexes(self) -> dict[int, int]:
        # Keyed by id(): a Tag's own hash renders its whole subtree to a string.
        if self._index is None:
            self._index = {id(tag): i for i, tag in enumerate(self.tags)}
        return self._index

    def nearest(self, names: frozenset[str]) -> list[int]:
        """Return, for each element, the index of its closest ancestor named one of names, or -1."""
        found: list[int] = []
        for parent in self.parent:
            found.append(-1 if parent < 0 else parent if self.tags[parent].name in names else found[parent])
        return found

    def text(self, i: int, keep: Callable[[str], str]) -> str:
        """Return ``keep(tags[i].get_text())`` in the time of the result's length.

        ``keep`` must keep or drop each character on its own (a filter, not a rewrite), so that
        it can be applied string by string once and every element's result is a slice.
        """
        joined, offsets = self._joined(i, keep)
        return joined[offsets[self.first[i]]:offsets[self.last[i]]]

    def text_length(self, i: int, keep: Callable[[str], str]) -> int:
        """Return ``len(keep(tags[i].get_text()))`` in constant time."""
        _, offsets = self._joined(i, keep)
        return offsets[self.last[i]] - offsets[self.first[i]]

    def _joined(self, i: int, keep: Callable[[str], str]) -> tuple[str, list[int]]:
        # get_text() reads only the element's own string types: NavigableString and CData, or
        # inside <script>, <style>, <template>, <rt> and <rp> the one bs4 made for that tag.
        types = frozenset(self.tags[i].interesting_string_types or TEXT_TYPES)
        if (keep, types) not in self._kept:
            pieces = [keep(string) if type(string) in types else "" for string in self.strings]
            self._kept[keep, types] = ("".join(pieces), [0, *accumulate(map(len, pieces))])
        return self._kept[keep, types]


def _without_space(text: str) -> str:
    return LABEL_SPACE_RE.sub("", text)


def _cjk_only(text: str) -> str:
    return "".join(CJK_RE.findall(text))


def _meta_tags(page: _FlatTree) -> dict[str, str]:
    """Collect <meta name> values and the <title> outside <body>; the first of each name wins."""
    meta: dict[str, str] = {}
    body = page.nearest(BODY_TAGS)
    for i, tag in enumerate(page.tags):
        # Word-exported article HTML pasted into a page carries its own meta tags in <body>.
        if tag.name == "meta" and tag.get("name") is not None and body[i] < 0:
            content = (tag.get("content") or "").strip()
            if content:
                name = tag["name"].strip().lower()
                meta.setdefault(META_NAME_KEYS.get(name, name), content)
    for i, tag in enumerate(page.tags):
        if tag.name == "title" and body[i] < 0 and page.text_length(i, _without_space):
            meta.setdefault("html_title", tag.get_text().strip())
            break
    return meta


def _govcn_table(page: _FlatTree) -> tuple[dict[str, str], set[int]]:
    """Read gov.cn's labelled metadata cells; return them and the ids of their rows, kept out of the body."""
    found: dict[str, str] = {}
    rows: set[int] = set()
    row_of = page.nearest(ROW_TAGS)
    for i, cell in enumerate(page.tags):
        # A cell longer than any label is not read at all: a cell left open holds the rest of the page.
        if cell.name not in CELL_TAGS or page.text_length(i, _without_space) > GOVCN_LABEL_CHARS:
            continue
        raw = page.text(i, _without_space)
        # A colon is required: a body table may have a bare "发文机关" column header.
        key = GOVCN_LABEL_KEYS.get(LABEL_COLON_RE.sub("", raw)) if LABEL_COLON_RE.search(raw) else None
        if key is None:
            continue
        # The first non-empty value wins. A blank one is seen from its length, so get_text(), a
        # walk of the value cell and all it holds, runs at most once per label.
        if key not in found:
            siblings = (tag for tag in cell.next_siblings if isinstance(tag, Tag) and tag.name in CELL_TAGS)
            value_cell = next(siblings, None)
            if value_cell is not None and page.text_length(page.index(value_cell), _without_space):
                found[key] = HTML_SPACE_RE.sub(" ", value_cell.get_text()).strip()
        if row_of[i] >= 0:
            rows.add(id(page.tags[row_of[i]]))
    return found, rows


def _is_hidden(tag: Tag) -> bool:
    """Tell whether the element is hidden from readers (ng-hide, hidden, display:none)."""
    return (
        tag.has_attr("hidden")
        or bool(HIDDEN_CLASSES.intersection(tag.get("class") or ()))
        or bool(HIDDEN_STYLE_RE.search(tag.get("style") or ""))
    )


def _is_furniture(tag: Tag) -> bool:
    """Tell whether the element's id or class names navigation, footer or share widgets."""
    names = " ".join([tag.get("id") or "", *(tag.get("class") or ())])
    return bool(FURNITURE_NAME_RE.search(names))


def _content_root(page: _FlatTree, soup: BeautifulSoup) -> tuple[Tag, str]:
    """Return the article container: the first selector match holding Chinese text, else the densest block."""
    best: dict[str, tuple[int, int]] = {}  # selector → (CJK characters, index) of its richest match
    for i, tag in enumerate(page.tags):
        for selector in _selectors_matching(tag):
            cjk = page.text_length(i, _cjk_only)
            if cjk > best.get(selector, (0, -1))[0]:  # on a tie the first match stays, as with max()
                best[selector] = (cjk, i)
    for selector in CONTENT_SELECTORS:
        if selector in best:
            return page.tags[best[selector][1]], selector
    return _densest_block(page, soup), "density"


def _selectors_matching(tag: Tag) -> list[str]:
    """Return the CONTENT_SELECTORS the element matches, compared as soupsieve does (case-sensitive)."""
    found = []
    ident = tag.get("id")
    if isinstance(ident, str) and ident in SELECTORS_BY_ID:
        found.append(SELECTORS_BY_ID[ident])
    classes = tag.get("class") or ()
    for name in HTML_SPACE_RE.split(classes) if isinstance(classes, str) else classes:
        if name in SELECTORS_BY_CLASS:
            found.append(SELECTORS_BY_CLASS[name])
    if tag.name in SELECTORS_BY_TAG:
        found.append(SELECTORS_BY_TAG[tag.name])
    return found


def _densest_block(page: _FlatTree, soup: BeautifulSoup) -> Tag:
    """Return the element whose body-like text most outweighs its link text and short fragments.

    Body Text Extraction (Finn, Kushmerick & Smyth 2001) on text units: a unit with at least
    MIN_PARAGRAPH_CJK non-link CJK characters counts for its ancestors, link text and short units
    (menus, labels, footers) count against them, and the best-scoring element wins.
    """
    unit_of = page.nearest(UNIT_TAGS)
    link_of = page.nearest(LINK_TAGS)
    own = [0] * len(page.tags)  # CJK characters of each unit outside links, and inside them
    linked = [0] * len(page.tags)
    for node, holder in zip(page.strings, page.holder):
        if type(node) is not NavigableString or holder < 0:  # comments, doctype, CDATA; bare text
            continue
        unit = holder if page.tags[holder].name in UNIT_TAGS else unit_of[holder]
        cjk = len(CJK_RE.findall(node))
        if unit < 0 or not cjk:
            continue
        if page.tags[holder].name in LINK_TAGS or link_of[holder] >= 0:
            linked[unit] += cjk
        else:
            own[unit] += cjk
    # An element scores the sum over the units it holds (None: it holds none). Going backwards
    # through document order, every element is complete before it adds its total to its parent's.
    scores: list[int | None] = [
        (mine - links if mine >= MIN_PARAGRAPH_CJK else -(mine + links)) if mine or links else None
        for mine, links in zip(own, linked)
    ]
    for i in range(len(page.tags) - 1, -1, -1):
        parent = page.parent[i]
        if scores[i] is not None and parent >= 0:
            scores[parent] = (scores[parent] or 0) + scores[i]
    scored = [i for i, score in enumerate(scores) if score is not None]
    if not scored:
        return soup
    # Of equal scores the first in document order wins, an outer element before the ones it holds.
    return page.tags[max(scored, key=lambda i: (scores[i], -i))]


def _block_lines(root: Tag, skip: Callable[[Tag], bool]) -> list[str]:
    """Render an element as text lines: a line per block and <br> run, table cells joined by tabs.

    Elements for which ``skip`` is true are left out with all they hold.
    """
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        if not parts:  # nested blocks end one after another with nothing between them
            return
        line = CELL_GAP_RE.sub("\t", SPACE_RUN_RE.sub(" ", "".join(parts))).strip(" \t").rstrip()
        parts.clear()
        if line:
            lines.append(line)

    def walk(top: Tag, in_pre: bool) -> None:
        # A stack, not recursion: a broken page may nest elements thousands deep (RecursionError).
        stack = [(iter(top.contents), in_pre, False)]  # (children left, inside <pre>, flush when done)
        while stack:
            children, in_pre, flush_after = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if flush_after:
                    flush()
                continue
            if isinstance(child, Tag):
                name = child.name
                if skip(child):
                    continue
                if name == "br":
                    flush()
                elif name in CELL_TAGS:
                    if parts:
                        parts.append("\t")
                    stack.append((iter(child.contents), in_pre, False))
                elif name in BLOCK_TAGS:
                    flush()
                    stack.append((iter(child.contents), in_pre or name == "pre", True))
                else:
                    stack.append((iter(child.contents), in_pre, False))
            elif type(child) is NavigableString:
                if in_pre:
                    first, *rest = child.split("\n")
                    parts.append(first)
                    for piece in rest:
                        flush()
                        parts.append(piece)
                else:
                    parts.append(HTML_SPACE_RE.sub(" ", child))

    walk(root, root.name == "pre")
    flush()
    return lines
