"""Record types passed between the layers: raw file → Document → Clause → index → hits.

Every stage takes and returns these frozen dataclasses, never tuples or loose dicts;
``to_dict()`` gives the JSON shape the CLI and the web API print.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # their own modules hold them; a type hint needs no import at run time
    from .ingest.lifecycle import Lifecycle
    from .text.references import Reference


@dataclass(frozen=True)
class Agency:
    """An agency named in a clause, with its role in the task."""

    name: str  # as written, with an inherited level prefix resolved: 省统计局
    canonical: str  # the facet value: 发展改革委 for 发改委
    role: str  # one of ROLES

    def to_dict(self) -> dict:
        return asdict(self)


ROLES = ("lead", "cooperate", "responsible")
ROLE_LABELS = {"lead": "牵头", "cooperate": "配合", "responsible": "负责"}  # how a page and a CSV name each role


@dataclass(frozen=True)
class PathStep:
    """One ancestor of a clause: its label and heading."""

    label: str
    heading: str

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Clause:
    """One numbered item of a document's clause tree (for laws: 编/章/节/条/项)."""

    id: str  # stable: same file, same id on every build
    doc_id: str
    label: str  # as written, trimmed: "（四）", "第二十条", "" for the preamble
    kind: str  # preamble, part, chapter, section, article, item, subitem, point, bullet …
    number: int | None  # the label's number (第二十条 → 20), None for preamble and bullets
    heading: str  # short first sentence or title line, "" when there is none
    paragraphs: tuple[str, ...]  # the clause's own text (children excluded), label removed;
    # for a law article these are its 款, in order
    path: tuple[PathStep, ...]  # ancestors, outermost first
    position: int  # order in the document, 0-based
    parent_id: str | None = None
    paragraph: int | None = None  # for a 项 inside an article: which 款 (1-based) it belongs to
    heading_line: bool = False  # the heading stood on its own line (一、指导思想) and is not in text
    ip_types: tuple[str, ...] = ()
    agencies: tuple[Agency, ...] = ()
    references: tuple[Reference, ...] = ()  # the documents its own text cites, with the verb that cites them

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def original(self) -> str:
        """The clause as the document wrote it: label, title line and text."""
        if self.heading_line:
            return "\n".join(filter(None, [self.label + self.heading, self.text]))
        return self.label + self.text

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "number": self.number,
            "heading": self.heading,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "path": [step.to_dict() for step in self.path],
            "position": self.position,
            "parent_id": self.parent_id,
            "paragraph": self.paragraph,
            "heading_line": self.heading_line,
            "ip_types": list(self.ip_types),
            "agencies": [a.to_dict() for a in self.agencies],
            "references": [r.to_dict() for r in self.references],
        }


@dataclass(frozen=True)
class Metadata:
    """What a document says about itself (or its sidecar says for it)."""

    title: str = ""
    doc_number: str = ""  # 文号 as written: 三政〔2014〕61号
    issuer: tuple[str, ...] = ()  # 发文机关, several when joint: the body that made it
    approved_by: tuple[str, ...] = ()  # the body that approved it (批准), e.g. a province's congress for a city's law
    level: str = ""  # 国家 / 省 / 市 / 县
    region: tuple[str, ...] = ()  # province, city, county; () for national documents
    date: str = ""  # ISO date written or adopted (成文日期 / 通过日期)
    published: str = ""  # ISO date published
    effective: str = ""  # ISO date in force (施行)
    expires: str = ""  # ISO date its stated term of validity (有效期) ends
    year: int | None = None
    doc_type: str = ""  # 通知 / 意见 / 规划 / 方案 / 办法 / 条例 / 规定 / 解释 / 法 …
    authority: str = ""  # 效力级别: 法律 / 行政法规 / 司法解释 / 部门规章 / 地方性法规 / 地方政府规章 / 规范性文件
    source: str = ""  # file path relative to the source root
    sha256: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d["issuer"] = list(self.issuer)
        d["region"] = list(self.region)
        d["approved_by"] = list(self.approved_by)
        return d


@dataclass(frozen=True)
class Document:
    """A cleaned source file: metadata, cleaned body, clause tree and what ingestion noticed."""

    id: str
    metadata: Metadata
    body: tuple[str, ...]  # cleaned body paragraphs, in order, title and page furniture removed
    clauses: tuple[Clause, ...]
    warnings: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)  # furniture read as metadata: 主办, 抄送, 印发 …
    lifecycle: Lifecycle | None = None  # what it says of its own dates, what it repeals and amends

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "metadata": self.metadata.to_dict(),
            "clauses": [c.to_dict() for c in self.clauses],
            "warnings": list(self.warnings),
            "extra": dict(self.extra),
            "lifecycle": self.lifecycle.to_dict() if self.lifecycle else None,
        }


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet and how many matching clauses carry it."""

    value: str
    count: int

    def to_dict(self) -> dict:
        return {"value": self.value, "count": self.count}


@dataclass(frozen=True)
class Hit:
    """One matching clause as the search API returns it."""

    clause_id: str
    doc_id: str
    title: str
    issuer: tuple[str, ...]
    doc_number: str
    date: str
    year: int | None
    level: str
    region: tuple[str, ...]
    label: str
    path: tuple[PathStep, ...]
    heading: str
    text: str
    highlight: str
    ip_types: tuple[str, ...]
    agencies: tuple[Agency, ...]
    citation: str
    score: float
    kind: str = ""
    others_in_doc: int = 0  # with one hit per document: how many more clauses of it match
    status: str = ""  # the document's validity status on the day searched (search.validity.STATUSES)
    version_label: str = ""  # （2023年修订） when the collection holds several versions of its act

    def to_dict(self) -> dict:
        d = {
            "clause_id": self.clause_id, "doc_id": self.doc_id, "title": self.title,
            "issuer": list(self.issuer), "doc_number": self.doc_number, "date": self.date,
            "year": self.year, "level": self.level, "region": list(self.region), "label": self.label,
            "path": [s.to_dict() for s in self.path], "heading": self.heading, "text": self.text,
            "highlight": self.highlight, "ip_types": list(self.ip_types),
            "agencies": [a.to_dict() for a in self.agencies], "citation": self.citation,
            "score": round(self.score, 4), "kind": self.kind,
        }
        d["others_in_doc"] = self.others_in_doc
        d["status"] = self.status
        d["version_label"] = self.version_label
        return d


@dataclass(frozen=True)
class Relaxed:
    """How a search widened a question: its first ``exact_total`` hits hold every word, the rest some."""

    exact_total: int
    words: tuple[str, ...]  # the words ranked, each optional (with their synonyms)
    dropped: tuple[str, ...]  # question and function words left out of the ranked reading
    expanded: tuple[str, ...] = ()  # legal terms searched too, for everyday words (盗版 → 侵犯著作权)
    passage: bool = False  # a long text read as "clauses like this": ``words`` are its key words

    def to_dict(self) -> dict:
        return {"exact_total": self.exact_total, "words": list(self.words), "dropped": list(self.dropped),
                "expanded": list(self.expanded), "passage": self.passage}


@dataclass(frozen=True)
class LittleMatched:
    """Help when few clauses hold every word: each word's own count and the near words of unknown ones."""

    word_counts: tuple[tuple[str, int], ...]  # typed token → clauses holding it
    did_you_mean: tuple[tuple[str, str], ...]  # typed word no clause holds → the near word the index knows
    suggested_query: str  # the query with those words replaced; "" when there is none

    def to_dict(self) -> dict:
        return {"word_counts": [{"word": w, "count": n} for w, n in self.word_counts],
                "did_you_mean": [{"typed": t, "suggestion": s} for t, s in self.did_you_mean],
                "suggested_query": self.suggested_query}


@dataclass(frozen=True)
class SearchPage:
    """One page of results with the facet counts of the whole result set."""

    query: str
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    facets: dict  # facet name → tuple[FacetValue, ...]
    filters: dict = field(default_factory=dict)  # facet name → selected values
    sort: str = "relevance"
    one_per_doc: bool = False
    relaxed: Relaxed | None = None  # set when ranked hits of a looser reading follow the exact ones
    little: LittleMatched | None = None  # set when few clauses hold every word
    as_of: str = ""  # the ISO day every status is given for
    place: tuple[str, ...] = ()  # the place asked about, from the province down; its hits apply there

    def to_dict(self) -> dict:
        return {
            "query": self.query, "total": self.total, "page": self.page, "per_page": self.per_page,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {name: [v.to_dict() for v in values] for name, values in self.facets.items()},
            "filters": {name: list(values) for name, values in self.filters.items()},
            "sort": self.sort, "one_per_doc": self.one_per_doc,
            "relaxed": self.relaxed.to_dict() if self.relaxed else None,
            "little": self.little.to_dict() if self.little else None,
            "as_of": self.as_of, "place": list(self.place),
        }
