"""Stage 1 of ingestion: a raw .txt/.md/.html file → decoded text lines plus markup metadata.

No network and no index here; ``clean`` takes ``SourceText.lines`` from this module.
"""
from __future__ import annotations

import hashlib
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, Tag

from search import settings
from search.errors import BinaryFile, EmptyFile, FileTooLarge, UndecodableFile, UnreadableFile, UnsupportedFormat

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
REMOVED_TAGS = (
    "script", "style", "noscript", "template", "iframe", "nav", "header", "footer", "form",
    "button", "select", "input", "textarea", "svg", "canvas", "object", "embed", "video", "audio",
)
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table",
    "tbody", "tfoot", "thead", "tr", "ul",
})
CELL_TAGS = frozenset({"td", "th"})
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


def read_source(path: str | Path) -> SourceText:
    """Read one source file into lines, refusing empty, binary, undecodable or oversized files."""
    file = Path(path)
    fmt = format_for(file)
    try:
        size = file.stat().st_size
        if size > settings.MAX_FILE_BYTES:
            raise FileTooLarge(path, f"{size:,} bytes is over the limit of {settings.MAX_FILE_BYTES:,} bytes")
        data = file.read_bytes()
    except OSError as exc:  # gone since it was listed, no permission, a folder, a device error
        raise UnreadableFile(path, f"the file can't be read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise EmptyFile(path, "the file is empty" if not data else "the file holds only whitespace")
    text, encoding = decode_bytes(data, path)
    if not text.strip():
        raise EmptyFile(path, f"the file holds only whitespace (decoded as {encoding})")
    meta: dict[str, str] = {}
    if fmt == "html":
        page = html_to_source(text)
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


def html_to_source(html: str) -> HtmlText:
    """Extract the article body lines and page metadata from an HTML page or fragment.

    >>> html_to_source('<td id="UCAP-CONTENT"><p>第一条　为了规范专利代理行为</p></td>').lines
    ('第一条\\u3000为了规范专利代理行为',)
    """
    with warnings.catch_warnings():
        # We always pass markup read from a file, never a file name or URL.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    meta = _meta_tags(soup)
    for key, value in _govcn_table(soup).items():
        meta.setdefault(key, value)
    for tag in soup.find_all(REMOVED_TAGS):
        tag.decompose()
    for tag in soup.find_all(_is_hidden):
        tag.decompose()
    root, found_by = _content_root(soup)
    for tag in root.find_all(_is_furniture):
        tag.decompose()
    lines = tuple(line for line in _block_lines(root) if line not in FURNITURE_LINES)
    return HtmlText(lines, meta, found_by)


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    """Collect <meta name> values and the <title> outside <body>; the first of each name wins."""
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta", attrs={"name": True}):
        content = (tag.get("content") or "").strip()
        # Word-exported article HTML pasted into a page carries its own meta tags in <body>.
        if content and tag.find_parent("body") is None:
            name = tag["name"].strip().lower()
            meta.setdefault(META_NAME_KEYS.get(name, name), content)
    for tag in soup.find_all("title"):
        title = tag.get_text().strip()
        if title and tag.find_parent("body") is None:
            meta.setdefault("html_title", title)
            break
    return meta


def _govcn_table(soup: BeautifulSoup) -> dict[str, str]:
    """Read gov.cn's labelled metadata cells and remove their rows so they never reach the body."""
    found: dict[str, str] = {}
    rows = []
    for cell in soup.find_all(CELL_TAGS):
        raw = LABEL_SPACE_RE.sub("", cell.get_text())
        # A colon is required: a body table may have a bare "发文机关" column header.
        key = GOVCN_LABEL_KEYS.get(LABEL_COLON_RE.sub("", raw)) if LABEL_COLON_RE.search(raw) else None
        if key is None:
            continue
        value_cell = cell.find_next_sibling(CELL_TAGS)
        value = HTML_SPACE_RE.sub(" ", value_cell.get_text()).strip() if value_cell else ""
        if value:
            found.setdefault(key, value)
        rows.append(cell.find_parent("tr"))
    for row in rows:
        if row is not None and not row.decomposed:
            row.decompose()
    return found


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


def _content_root(soup: BeautifulSoup) -> tuple[Tag, str]:
    """Return the article container: the first selector match holding Chinese text, else the densest block."""
    for selector in CONTENT_SELECTORS:
        matches = [tag for tag in soup.select(selector) if CJK_RE.search(tag.get_text())]
        if matches:
            return max(matches, key=lambda tag: len(CJK_RE.findall(tag.get_text()))), selector
    return _densest_block(soup), "density"


def _densest_block(soup: BeautifulSoup) -> Tag:
    """Return the element whose body-like text most outweighs its link text and short fragments.

    Body Text Extraction (Finn, Kushmerick & Smyth 2001) on text units: a unit with at least
    MIN_PARAGRAPH_CJK non-link CJK characters counts for its ancestors, link text and short units
    (menus, labels, footers) count against them, and the best-scoring element wins.
    """
    units: dict[int, tuple[Tag, int, int]] = {}  # id(unit) → (unit, own CJK, CJK inside links)
    for node in soup.find_all(string=True):
        if type(node) is not NavigableString:  # comments, doctype, CDATA
            continue
        cjk = len(CJK_RE.findall(node))
        if not cjk:
            continue
        unit = next((p for p in node.parents if p.name in BLOCK_TAGS or p.name in CELL_TAGS), None)
        if unit is None:
            continue
        in_link = node.find_parent("a") is not None
        _, own, linked = units.get(id(unit), (unit, 0, 0))
        units[id(unit)] = (unit, own + (0 if in_link else cjk), linked + (cjk if in_link else 0))
    scores: dict[int, int] = {}
    tags: dict[int, Tag] = {}
    for unit, own, linked in units.values():
        score = own - linked if own >= MIN_PARAGRAPH_CJK else -(own + linked)
        for tag in (unit, *unit.parents):
            if isinstance(tag, BeautifulSoup):
                break
            scores[id(tag)] = scores.get(id(tag), 0) + score
            tags[id(tag)] = tag
    if not scores:
        return soup
    # max() keeps the first of equal scores; find_all order puts outer elements first.
    order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
    best = max(scores, key=lambda key: (scores[key], -order.get(key, 0)))
    return tags[best]


def _block_lines(root: Tag) -> list[str]:
    """Render an element as text lines: a line per block and <br> run, table cells joined by tabs."""
    lines: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        line = CELL_GAP_RE.sub("\t", SPACE_RUN_RE.sub(" ", "".join(parts))).strip(" \t").rstrip()
        parts.clear()
        if line:
            lines.append(line)

    def walk(top: Tag, in_pre: bool) -> None:
        # A stack, not recursion: a broken page may nest elements thousands deep (RecursionError).
        stack = [(iter(top.children), in_pre, False)]  # (children left, inside <pre>, flush when done)
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
                if name == "br":
                    flush()
                elif name in CELL_TAGS:
                    if parts:
                        parts.append("\t")
                    stack.append((iter(child.children), in_pre, False))
                elif name in BLOCK_TAGS:
                    flush()
                    stack.append((iter(child.children), in_pre or name == "pre", True))
                else:
                    stack.append((iter(child.children), in_pre, False))
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
