"""The query language: a typed query string → :class:`ParsedQuery`, the searcher's input.

Pure: no Whoosh objects; ``searching`` turns a ParsedQuery into Whoosh queries.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, replace

from search import settings
from search.analysis import normalize, segment
from search.citation import citation_key
from search.errors import QuerySyntaxError
from search.text.docnumber import DOC_NUMBER_RE, DocNumberError, normalize_doc_number
from search.text.lawnames import BARE_LAW_NAME, LAW_NAME, NOT_A_LAW_NAME, law_name
from search.text.numerals import NUMERAL_CHARS, NumeralError, to_int

__all__ = ["ParsedQuery", "parse_query"]

# Opening quote → its closing quote. Straight quotes close themselves; Chinese quotes pair.
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
CLOSING_QUOTES = frozenset("”」』")
OR = "OR"  # upper case only (after NFKC, so ＯＲ too): a lowercase "or" is a search word
NEGATION = "-"

# 文号 typed without brackets and with the year glued to the 代字: 三政2014 61号. The forms
# docnumber.DOC_NUMBER_RE reads (any bracket, or 三政 2014 61号) come first. Not read:
# 三政201461号 (no year boundary) and 三政2014年61号 (reads as running text). Anchored at a
# token start so the 代字 can't swallow a word before it.
GLUED_YEAR_DOC_NUMBER = re.compile(r"(?<!\S)(?P<code>[\u4e00-\u9fff]{1,8})(?P<year>[0-9]{4}) +(?P<number>[0-9]{1,5}) *号")
# A pasted citation: 《title》, maybe its 文号 in brackets, maybe a position (第六条第二款, 第（四）项).
CITATION = re.compile(r"《[^《》]+》(?:\([^()]*\))?(?:第\S*)?")
ARTICLE_REFERENCE = re.compile(
    rf"(?<!\S)《?(?P<name>{LAW_NAME})》? *第 *(?P<article>{NUMERAL_CHARS}+) *条"
    rf"(?: *第 *(?P<paragraph>{NUMERAL_CHARS}+) *款)?"
)


@dataclass(frozen=True)
class ParsedQuery:
    """What a query asks for; every string is normalized (:func:`search.analysis.normalize`).

    * ``required`` — words every hit contains (jieba words, stop words removed).
    * ``tokens`` — the typed tokens those words come from, normalized: a hit holds all the
      words of a token, or the token's characters in a row (inside a longer word).
    * ``excluded`` — no hit contains any of these words.
    * ``any_of`` — each group: a hit contains at least one alternative. An alternative is
      the normalized text of one typed token; it may be several words, which must all match
      (``segment(alternative)``).
    * ``phrases`` / ``excluded_phrases`` — exact normalized strings (the ``grams`` field).
    * ``doc_numbers`` — canonical 文号 (三政〔2014〕61号); a hit belongs to ANY of them.
    * ``citation`` — the lookup form (:func:`search.citation.citation_key`) of a query that
      is one pasted citation; its clause ranks first.
    * ``law_name`` — a law's short name, 中华人民共和国 dropped (专利法): boost the title
      equal to it or to 中华人民共和国 + it. With ``article`` (and maybe ``paragraph``) the
      query points at that article.
    """

    text: str
    required: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    phrases: tuple[str, ...] = ()
    excluded_phrases: tuple[str, ...] = ()
    doc_numbers: tuple[str, ...] = ()
    citation: str | None = None
    law_name: str | None = None
    article: int | None = None
    paragraph: int | None = None

    @property
    def is_empty(self) -> bool:
        """Tell whether the query asks for nothing positive (blank, or only stop words)."""
        return not (self.required or self.any_of or self.phrases or self.doc_numbers or self.article)

    def to_dict(self) -> dict:
        d = asdict(self)
        for key, value in d.items():
            if isinstance(value, tuple):
                d[key] = [list(v) if isinstance(v, tuple) else v for v in value]
        return d


@dataclass(frozen=True)
class _Item:
    """One operand or operator of the query, in typed order."""

    kind: str  # word, phrase, doc_number, article, or
    text: str  # normalized word or phrase, canonical 文号, or the law name
    negated: bool = False
    article: int | None = None
    paragraph: int | None = None


def parse_query(q: str) -> ParsedQuery:
    """Parse a typed query into a :class:`ParsedQuery`.

    Syntax, after width folding (ＯＲ is OR): words separated by spaces, all required;
    ``-word`` excludes (``-专利质押``, several words, excludes that phrase); ``A OR B``
    (upper case) needs one of them; ``"…"``, ``“…”``, ``「…」``, ``『…』`` quote an exact
    phrase, ``-"…"`` excludes one; a 文号 (any brackets, none with spaces: 三政 2014 61号,
    三政2014 61号) and ``XX法第N条[第M款]`` (also 条例/规定/办法/细则/解释) are read as such.

    >>> parse_query("专利 OR 商标 质押 -驰名商标").any_of
    (('专利', '商标'),)

    :raises QuerySyntaxError: (messages in Chinese, as the interface speaks) the query is
        longer than ``settings.MAX_QUERY_CHARS`` (``search`` reads such a text as a passage
        instead); a quote is unbalanced or empty; a ``-`` stands alone, is doubled, excludes only stop
        words or a 文号; ``OR`` starts or ends the query, follows OR, or touches anything
        but a word; two articles are named.
    """
    if len(q) > settings.MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"查询有 {len(q)} 个字符，检索式最多 {settings.MAX_QUERY_CHARS} 个：请输入几个词或一个加引号的短语",
            code="query_too_long")
    # Width folded, case kept: ＯＲ becomes the operator OR, while "or" stays a word.
    folded = unicodedata.normalize("NFKC", q)
    items = _items(folded)
    parsed = _assemble(q, _groups(items))
    if CITATION.fullmatch(folded.strip()):
        parsed = replace(parsed, citation=citation_key(folded))
    return parsed


def _items(folded: str) -> list[_Item]:
    """Cut the folded query into quoted phrases and the items of the text between them."""
    items: list[_Item] = []
    buf: list[str] = []
    i = 0
    while i < len(folded):
        ch = folded[i]
        if ch in CLOSING_QUOTES:
            raise QuerySyntaxError(f"第 {i + 1} 个字符处的右引号 {ch} 前面没有左引号", code="unbalanced_quote")
        if ch not in QUOTES:
            buf.append(ch)
            i += 1
            continue
        close = folded.find(QUOTES[ch], i + 1)
        if close < 0:
            raise QuerySyntaxError(f"第 {i + 1} 个字符处的引号 {ch} 没有闭合：请在短语后加上 {QUOTES[ch]}",
                                   code="unbalanced_quote")
        text = "".join(buf)
        negated = text.endswith(NEGATION) and (len(text) == 1 or text[-2].isspace())
        items += _text_items(text[:-1] if negated else text)
        buf = []
        phrase = normalize(folded[i + 1:close])
        if not phrase:
            raise QuerySyntaxError(f"第 {i + 1} 个字符处的引号里没有内容：请在引号中写上短语，或去掉引号",
                                   code="empty_phrase")
        items.append(_Item("phrase", phrase, negated=negated))
        i = close + 1
    items += _text_items("".join(buf))
    return items


def _text_items(text: str) -> list[_Item]:
    """Read 文号 and article references out of unquoted text, then its words and ORs."""
    items: list[_Item] = []
    for piece in _references(text):
        if isinstance(piece, _Item):
            items.append(piece)
            continue
        for token in piece.split():
            if token == OR:
                items.append(_Item("or", OR))
            elif token.startswith(NEGATION):
                word = token[len(NEGATION):]
                if not word:
                    raise QuerySyntaxError("“-”后面没有词：请把它紧贴在要排除的词或引号前（-商标、-\"驰名商标\"）",
                                           code="bad_exclusion")
                if word.startswith(NEGATION):
                    raise QuerySyntaxError(f"“{token}”有多个“-”：只写一个，紧贴在要排除的词前", code="bad_exclusion")
                items.append(_Item("word", word, negated=True))
            else:
                items.append(_Item("word", token))
    return items


def _references(text: str) -> list[str | _Item]:
    """Split text into plain stretches and the 文号/article references typed in it."""
    found: list[tuple[int, int, _Item]] = []
    for m in DOC_NUMBER_RE.finditer(text):
        found.append((m.start(), m.end(), _Item("doc_number", _doc_number(m.group()))))
    for m in GLUED_YEAR_DOC_NUMBER.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b, _ in found):
            typed = f"{m.group('code')}〔{m.group('year')}〕{m.group('number')}号"
            found.append((m.start(), m.end(), _Item("doc_number", _doc_number(typed))))
    for m in ARTICLE_REFERENCE.finditer(text):
        if NOT_A_LAW_NAME.search(m.group("name")) or any(a < m.end() and m.start() < b for a, b, _ in found):
            continue
        paragraph = m.group("paragraph")
        found.append((m.start(), m.end(), _Item(
            "article", law_name(m.group("name")), article=_number(m.group("article"), m.group()),
            paragraph=_number(paragraph, m.group()) if paragraph else None,
        )))
    pieces: list[str | _Item] = []
    prev = 0
    for start, end, item in sorted(found, key=lambda f: f[0]):
        before = text[prev:start]
        if before.endswith(NEGATION) and (len(before) == 1 or before[-2].isspace()):
            raise QuerySyntaxError(f"“{text[start:end]}”不能排除：文号和条文引用只能用来缩小检索范围",
                                   code="bad_exclusion")
        pieces += [before, item]
        prev = end
    pieces.append(text[prev:])
    return pieces


def _doc_number(typed: str) -> str:
    try:
        return normalize_doc_number(typed)
    except DocNumberError as exc:  # the patterns above only match what it accepts
        raise QuerySyntaxError(f"“{typed}”像是文号，但无法识别", code="bad_doc_number") from exc


def _number(numeral: str, reference: str) -> int:
    try:
        number = to_int(numeral)
    except NumeralError as exc:
        raise QuerySyntaxError(f"“{reference}”中的“{numeral}”不是数字（写作第二十条或第20条）",
                               code="bad_article") from exc
    if not 1 <= number <= settings.MAX_ARTICLE_NUMBER:
        raise QuerySyntaxError(f"“{reference}”：没有法律有第 {number} 条或第 {number} 款，"
                               f"条款序号在 1 到 {settings.MAX_ARTICLE_NUMBER} 之间", code="bad_article")
    return number


def _groups(items: list[_Item]) -> list[list[_Item]]:
    """Join the operands around each OR into one group; every other operand stands alone."""
    groups: list[list[_Item]] = []
    pending_or = False
    for item in items:
        if item.kind == "or":
            if not groups:
                raise QuerySyntaxError("检索式以 OR 开头：OR 要写在两个词之间（专利 OR 商标）", code="bad_or")
            if pending_or:
                raise QuerySyntaxError("OR 连续出现：两个词之间只写一个 OR（专利 OR 商标）", code="bad_or")
            pending_or = True
        elif pending_or:
            groups[-1].append(item)
            pending_or = False
        else:
            groups.append([item])
    if pending_or:
        raise QuerySyntaxError("检索式以 OR 结尾：OR 要写在两个词之间（专利 OR 商标）", code="bad_or")
    return groups


def _assemble(text: str, groups: list[list[_Item]]) -> ParsedQuery:
    """Sort the operands into the fields of a ParsedQuery."""
    required: list[str] = []
    tokens: list[str] = []
    excluded: list[str] = []
    any_of: list[tuple[str, ...]] = []
    phrases: list[str] = []
    excluded_phrases: list[str] = []
    doc_numbers: list[str] = []
    articles: list[_Item] = []
    law_names: list[str] = []
    for group in groups:
        if len(group) > 1:
            if all(item.kind == "doc_number" for item in group):
                doc_numbers += [item.text for item in group]  # doc_numbers are alternatives anyway
            else:
                any_of.append(_alternatives(group))
            continue
        item = group[0]
        if item.kind == "doc_number":
            doc_numbers.append(item.text)
        elif item.kind == "article":
            articles.append(item)
        elif item.kind == "phrase":
            (excluded_phrases if item.negated else phrases).append(item.text)
        elif item.negated:
            words = segment(item.text)
            if not words:
                raise QuerySyntaxError(f"“-{item.text}”排除不了什么：其中没有可检索的词", code="bad_exclusion")
            # -专利质押 means "not 专利质押", not "neither 专利 nor 质押": a phrase.
            if len(words) == 1:
                excluded.append(words[0])
            else:
                excluded_phrases.append(normalize(item.text))
        else:
            words = segment(item.text)
            required += words
            if words:
                tokens.append(normalize(item.text))
            if BARE_LAW_NAME.fullmatch(item.text) and not NOT_A_LAW_NAME.search(item.text):
                law_names.append(law_name(item.text))
    if len(articles) > 1:
        raise QuerySyntaxError("检索式引用了多个条文：一次只查一个“第X条”", code="bad_article")
    article = articles[0] if articles else None
    return ParsedQuery(
        text=text,
        required=_unique(required),
        tokens=_unique(tokens),
        excluded=_unique(excluded),
        any_of=tuple(dict.fromkeys(any_of)),
        phrases=_unique(phrases),
        excluded_phrases=_unique(excluded_phrases),
        doc_numbers=_unique(doc_numbers),
        law_name=article.text if article else (law_names[0] if law_names else None),
        article=article.article if article else None,
        paragraph=article.paragraph if article else None,
    )


def _alternatives(group: list[_Item]) -> tuple[str, ...]:
    for item in group:
        if item.kind != "word" or item.negated:
            what = {"word": "要排除的词", "phrase": "加引号的短语", "doc_number": "文号",
                    "article": "条文引用"}[item.kind]
            raise QuerySyntaxError(f"OR 只能连接词语，“{item.text}”是{what}：请写成“专利 OR 商标”，"
                                   "把短语、排除词和文号写在 OR 之外", code="bad_or")
    alternatives = []
    for item in group:
        if not segment(item.text):
            raise QuerySyntaxError(f"OR 的选项“{item.text}”中没有可检索的词（只有虚词或标点）", code="bad_or")
        alternatives.append(normalize(item.text))
    return _unique(alternatives)


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
