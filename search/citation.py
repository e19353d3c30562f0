"""Citations: a clause → how Chinese legal writing cites it, e.g. 《中华人民共和国专利法》第二十条第一款.

Rules, in order:

1. The title in book-title marks; a 《》 inside the title becomes 〈〉 (GB/T 15834).
2. Policy documents (authority 规范性文件, or unknown) add their 文号 in full-width
   parentheses: 《…意见》（三政〔2014〕61号）, the 文号 canonical (〔〕 brackets). Laws,
   regulations, rules and judicial interpretations are cited by name only.
3. The position, from the clause's label, numerals as written:

   * law structure — 第X编, 第X分编, 第X章, 第X节, 第X条: the label itself;
   * an article's 款 — ``paragraph`` given and the article has more than one: 第二十条第一款;
   * inside an article — a 项 after its article and, when the article has more than one
     款, the 款 it belongs to: 第二十五条第一款第（一）项 (第二项 when numbered 二、); a 目
     after its 项: 第（三）项第1目;
   * policy numbering — 一、 → 第一部分, （四） → 第（四）项, 1. → 第1点, （1） → 第（1）目;
   * a bullet (——), a circled point (①: no citation term exists for it) or an unnumbered
     heading → its nearest numbered ancestor; the preamble → the title alone.

4. Numbering that restarts (河南 2022 numbers 1.–4. under each of （九）…（十三）;
   黑龙江 restarts （一） under each part; a code restarts 第一章 under each 编): the
   clause is prefixed with its nearest numbered ancestors until no other clause of its kind
   shares the prefix and number: 第（九）项第1点, 第三部分第（一）项. A number the source
   itself repeats under one parent (two 3. under （十三）) stays ambiguous, as written.
   Items and 目 inside an article always carry their article, so they never need this.

``cite_all(document)`` cites every clause, ``cite_paragraphs(document)`` every 款 of an article
of several; both read the whole document, which rule 4 and a 项's article need.

``cite_gbt7714(meta, clause_label)`` writes the same document (and clause) as a reference-list entry
of GB/T 7714-2015 (信息与文献 参考文献著录规则), for a paper's bibliography:

    国务院. 专利代理条例: 国务院令第706号[A/OL]. (2018-11-06)[2026-12-02]. https://…/doc/ebbff7c41f.
    国务院. 专利代理条例: 国务院令第706号[A/OL]. 2018: 第一条(2018-11-06)[2026-12-02]. https://…/clause/….

* the standard's order of the elements of an electronic resource: 主要责任者. 题名: 其他题名信息[文献类型标识/
  载体标识]. 出版年: 引文页码(更新或修改日期)[引用日期]. 获取和访问路径. — 出版地 and 出版者 left
  out, as the standard's own entries of online official reports leave them (the issuer is both);
* 主要责任者: the issuing organs, ", " between them, the first three and ", 等" when there are more;
* 题名 as written, without 《》; the 文号 as 其他题名信息 after ": ", in its canonical form (〔〕 brackets,
  国令 → 国务院令 as the order itself reads), so two copies of one document give one entry;
* [A/OL]: the standard has no type of its own for laws and official documents (公文); A (档案) is the
  type of the record an organ issues and the one legal writing uses for them; /OL since what is
  cited is our online copy, whose permalink is the 获取和访问路径. Without a URL: [A], and no
  引用日期 (which the standard asks of electronic resources only);
* (更新或修改日期): the day the text was written or adopted (成文日期, 通过日期; a revision's own day),
  which names the version cited; a hit carries it as a document does, so a clause's entry and its
  document's agree;
* a clause's position (第二十条第一款, 第（四）项) is the 引文页码, after the 出版年: the locator the
  standard gives a part of a resource;
* punctuation as the standard prints it: half-width ". ", ": ", ", ".
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import cn2an

from search.errors import CitationError
from search.text.docnumber import DocNumberError, normalize_doc_number
from search.text.markers import match_marker
from search.text.normalize import normalize
from search.text.numerals import FULLWIDTH_DIGITS
from search.models import Clause, Document, Metadata

__all__ = ["citation_key", "cite_all", "cite_document", "cite_gbt7714", "cite_paragraphs"]

# Authorities whose documents are cited with their 文号 ("" when ingest could not tell).
CITED_WITH_DOC_NUMBER = ("规范性文件", "")
LAW_STRUCTURE_STYLES = ("part", "subpart", "chapter", "section", "article")
# Kinds cited through their nearest numbered ancestor.
UNCITED_KINDS = ("bullet", "point", "heading")
INSIDE_ARTICLE = ("item", "subitem", "point")
TITLE_MARKS = str.maketrans("《》", "〈〉")
# GB/T 7714-2015 names up to three responsible bodies; past that the first three and 等.
GBT_MAX_RESPONSIBLE = 3
GBT_TYPE = "A"  # 档案: the record an organ issues (see the module docstring)
GBT_ONLINE = "OL"


@dataclass(frozen=True)
class _Context:
    """What citing a clause needs to know about the rest of its document."""

    by_id: dict[str, Clause]
    depths: dict[str, int]  # clause id → how many numbered ancestors qualify it


def _context(clauses: Sequence[Clause]) -> _Context:
    by_id = {c.id: c for c in clauses}
    return _Context(by_id, _qualifier_depths(clauses, by_id))


def cite_all(document: Document) -> dict[str, str]:
    """Return every clause's citation by clause id.

    :raises CitationError: the document has no title, or a clause's parent or a label is not
        one the document's clauses can cite (a Document assembled by hand).
    """
    ctx = _context(document.clauses)
    return {c.id: _cite(document.metadata, c, None, ctx) for c in document.clauses}


def cite_paragraphs(document: Document) -> dict[str, list[str]]:
    """Return, for every article of several 款, the citation of each 款 (第二十条第一款, …)."""
    ctx = _context(document.clauses)
    return {c.id: [_cite(document.metadata, c, k, ctx) for k in range(1, len(c.paragraphs) + 1)]
            for c in document.clauses if c.kind == "article" and len(c.paragraphs) > 1}


def citation_key(citation: str) -> str:
    """Return the form a citation is looked up by, however it was pasted: folded, no spaces or commas.

    >>> citation_key("《中华人民共和国专利法》 第六条")
    '《中华人民共和国专利法》第六条'
    """
    return "".join(normalize(citation).replace(",", "").split())


def cite_document(title: str, doc_number: str = "", authority: str = "") -> str:
    """Cite a document as a whole (rules 1 and 2); "" when it has no title.

    >>> cite_document("三门峡市人民政府关于加快实施知识产权战略的意见", "三政[2014]61号", "规范性文件")
    '《三门峡市人民政府关于加快实施知识产权战略的意见》（三政〔2014〕61号）'
    """
    if not title.strip():
        return ""
    head = f"《{title.strip().translate(TITLE_MARKS)}》"
    if authority in CITED_WITH_DOC_NUMBER and doc_number.strip():
        head += f"（{_doc_number(doc_number)}）"
    return head


def cite_gbt7714(meta: Mapping, clause_label: str = "", url: str = "", cited: str = "") -> str:
    """Cite a document, or a clause of it, as a GB/T 7714-2015 reference entry (see the module docstring).

    ``meta`` holds the document's ``title``, ``issuer`` (a list), ``doc_number``, ``date`` and
    ``year`` (``document_metadata``'s dict, a hit's dict); ``clause_label`` is
    the clause's position as cited (第二十条第一款), "" for the whole document; ``url`` its
    permalink; ``cited`` the 引用日期 (ISO), today when "". Returns "" when there is no title.

    >>> cite_gbt7714({"title": "三门峡市人民政府关于加快实施知识产权战略的意见", "issuer": ["三门峡市人民政府"],
    ...               "doc_number": "三政[2014]61号", "date": "2014-11-30", "year": 2014}, "第（四）项",
    ...              "https://example.org/clause/f65f7c8919-p3.s4", "2026-12-02")
    '三门峡市人民政府. 三门峡市人民政府关于加快实施知识产权战略的意见: 三政〔2014〕61号[A/OL]. 2014: 第（四）项(2014-11-30)[2026-12-02]. https://example.org/clause/f65f7c8919-p3.s4.'
    """
    title = str(meta.get("title") or "").strip()
    if not title:
        return ""
    issuers = [i.strip() for i in meta.get("issuer") or () if i and i.strip()]
    head = ", ".join(issuers[:GBT_MAX_RESPONSIBLE]) + (", 等" if len(issuers) > GBT_MAX_RESPONSIBLE else "")
    doc_number = str(meta.get("doc_number") or "").strip()
    entry = (f"{head}. " if head else "") + title + (f": {_doc_number(doc_number)}" if doc_number else "")
    entry += f"[{GBT_TYPE}/{GBT_ONLINE}]" if url else f"[{GBT_TYPE}]"
    day = str(meta.get("date") or "").strip()
    year = day[:4] or str(meta.get("year") or "")
    position = "".join(clause_label.split())
    where = f"{year}: {position}" if year and position else position or ("" if url and day else year)
    if not url:  # print form: 出版年: 引文页码
        return entry + (f". {where}." if where else ".")
    when = f"({day})" if day else ""
    return entry + f". {where}{when}[{cited or date.today().isoformat()}]. {url}."


def _cite(meta: Metadata, clause: Clause, paragraph: int | None, ctx: _Context) -> str:
    if not meta.title.strip():
        raise CitationError(f"document {clause.doc_id} has no title, so clause {clause.id} can't be cited")
    head = cite_document(meta.title, meta.doc_number, meta.authority)
    target = _citable(clause, ctx)
    if target is None:
        return head
    if target.kind in INSIDE_ARTICLE and _article(target, ctx) is not None:
        return head + _inside_article(target, ctx)
    qualifier = "".join(_term(a) for a in reversed(_ancestors(target, ctx)[: ctx.depths.get(target.id, 0)]))
    return head + qualifier + _term(target) + _paragraph(target, paragraph)


def _doc_number(written: str) -> str:
    try:
        return normalize_doc_number(written)
    except DocNumberError:
        # A sidecar may give a 文号 in a form the pattern doesn't know: cite it as written.
        return written.strip()


def _citable(clause: Clause, ctx: _Context) -> Clause | None:
    """Return the clause itself, or for a bullet its nearest numbered ancestor; None: title only."""
    node: Clause | None = clause
    while node is not None and (node.kind in UNCITED_KINDS or node.kind == "preamble" or not node.label):
        if node.kind == "preamble" or node.parent_id is None:
            return None
        if node.parent_id not in ctx.by_id:
            raise CitationError(f"clause {clause.id} is cited through its parent {node.parent_id}, "
                                "which is not among the document's clauses")
        node = ctx.by_id[node.parent_id]
    return node


def _ancestors(clause: Clause, ctx: _Context) -> list[Clause]:
    """Return the numbered ancestors present in ``ctx``, nearest first."""
    out = []
    parent = ctx.by_id.get(clause.parent_id) if clause.parent_id else None
    while parent is not None:
        if parent.kind not in UNCITED_KINDS and parent.number is not None:
            out.append(parent)
        parent = ctx.by_id.get(parent.parent_id) if parent.parent_id else None
    return out


def _article(clause: Clause, ctx: _Context) -> Clause | None:
    """Return the article a 项/目 sits in, or None when it is not inside an article."""
    article_labels = [step.label for step in clause.path if _style(step.label) == "article"]
    if not article_labels:
        return None
    article = next((a for a in _ancestors(clause, ctx) if a.kind == "article"), None)
    if article is None:
        raise CitationError(f"clause {clause.id} sits in {article_labels[-1]}, which is not among the "
                            "document's clauses")
    return article


def _inside_article(clause: Clause, ctx: _Context) -> str:
    """Cite a 项 or 目: 第二十条第二款第（三）项, 第二十五条第（一）项第1目."""
    chain = [clause]
    while chain[-1].kind != "item":
        chain.append(ctx.by_id[chain[-1].parent_id])
    item = chain[-1]
    article = _article(clause, ctx)
    text = _term(article)
    if item.paragraph is not None and (item.paragraph > 1 or len(article.paragraphs) > 1):
        text += f"第{_chinese(item.paragraph)}款"
    return text + "".join(_inside_term(c) for c in reversed(chain))


def _inside_term(clause: Clause) -> str:
    """Cite a 项 or 目 by its kind, whatever numbering the drafter used: （一）/一、 → 第（一）项/第一项."""
    marker = match_marker(clause.label)
    if marker is None:
        raise CitationError(f"clause {clause.id}: label {clause.label!r} is no numbering this module knows")
    number = marker.number_text.translate(FULLWIDTH_DIGITS)
    if marker.style in ("cn_paren", "num_paren"):
        number = f"（{number}）"
    return f"第{number}{'项' if clause.kind == 'item' else '目'}"


def _paragraph(clause: Clause, paragraph: int | None) -> str:
    if paragraph is None:
        return ""
    return f"第{_chinese(paragraph)}款" if len(clause.paragraphs) > 1 else ""


def _style(label: str) -> str | None:
    marker = match_marker(label)
    return marker.style if marker else None


def _term(clause: Clause) -> str:
    """Cite one numbered clause outside an article by its label: 第二十条, 第（四）项, 第1点 …"""
    marker = match_marker(clause.label)
    if marker is None:
        raise CitationError(f"clause {clause.id}: label {clause.label!r} is no numbering this module knows")
    number = marker.number_text.translate(FULLWIDTH_DIGITS)
    if marker.style in LAW_STRUCTURE_STYLES:
        return "".join(clause.label.split())
    if marker.style == "cn_dun":
        return f"第{number}部分"
    if marker.style == "cn_paren":
        return f"第（{number}）项"
    if marker.style == "num_dot":
        return f"第{number}点"
    if marker.style == "num_paren":
        return f"第（{number}）目"
    raise CitationError(f"clause {clause.id}: a {marker.style} label ({clause.label}) has no citation term")


def _chinese(n: int) -> str:
    """Write a 款 number as legal text does: 1 → 一, 12 → 十二, 105 → 一百零五 (a scraped table can make 100 款)."""
    return cn2an.an2cn(n)


def _qualifier_depths(clauses: Sequence[Clause], by_id: dict[str, Clause]) -> dict[str, int]:
    """Map each clause whose (kind, number) repeats to how many ancestors make it unique."""
    ctx = _Context(by_id, {})
    groups: dict[tuple[str, int], list[Clause]] = defaultdict(list)
    for c in clauses:
        if c.number is None or c.kind in UNCITED_KINDS or (c.kind in INSIDE_ARTICLE and _in_article(c)):
            continue
        groups[(c.kind, c.number)].append(c)
    depths: dict[str, int] = {}
    for group in groups.values():
        if len(group) < 2:
            continue
        chains = {c.id: [(a.kind, a.number) for a in _ancestors(c, ctx)] for c in group}
        for c in group:
            mine, depth = chains[c.id], 0
            # A rival under the very same ancestors (the source repeats a number) can't be told
            # apart at any depth: ignore it rather than prefix every ancestor in vain.
            rivals = [chains[o.id] for o in group if o is not c and chains[o.id] != mine]
            while depth < len(mine) and any(r[:depth] == mine[:depth] for r in rivals):
                depth += 1
            if depth:
                depths[c.id] = depth
    return depths


def _in_article(clause: Clause) -> bool:
    return any(_style(step.label) == "article" for step in clause.path)
