"""Is it still in force, and what does it rest on: the collection's graph as the query side reads it.

A build resolves the graph (``search.build.graph``) and saves it beside the generation; this
module answers from it: each document's status on a given day, its versions, how a citation
names the version, and the references that lead to and from a document or an article.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Callable

import cn2an

from . import settings
from .errors import FilterError
from .text.dates import DateError, parse_date
from .text.lawnames import quoted
from .text.references import VERB_LABELS

__all__ = ["STATUSES", "Graph", "Status", "grouped", "parse_day", "today"]

# The statuses a document can have on a day, in the order the facet lists them.
STATUSES = ("现行有效", "尚未生效", "已被修订", "已废止", "已过有效期", "未知")
# The verbs by which a document rests on another: walked upward (county → city → province → national).
RESTS_ON = ("basis", "implements")


@dataclass(frozen=True)
class Status:
    """A document's status on one day, since when, why, and the document that made it so."""

    value: str  # one of STATUSES
    day: str  # the day asked about (ISO)
    since: str = ""  # ISO day the status began, "" when the text does not say
    reason: str = ""  # one Chinese sentence
    by: str = ""  # the doc_id of the document that revised or repealed it

    def to_dict(self) -> dict:
        return asdict(self)


def today() -> str:
    """Return today's ISO day, the day a status is given for when none is asked."""
    return date.today().isoformat()


def parse_day(value: str | None) -> str:
    """Return the ISO day a user typed (2018-06-01, 2018年6月1日); today when empty.

    :raises FilterError: a day that can't be read.
    """
    if value is None or not str(value).strip():
        return today()
    try:
        return parse_date(str(value).strip())
    except DateError:
        raise FilterError(f"日期“{str(value)[:40]}”无法识别：请写成 2018-06-01 或 2018年6月1日",
                          code="bad_as_of") from None


class Graph:
    """The versions, life events and references of every document of one generation.

    ``data`` is what ``search.build.graph.resolve`` returns. A build saves its ``edges`` (the
    references) in a file of their own, which ``edges`` reads on first use: a search needs only
    the statuses. A graph saved before then holds them (``holds_edges``).
    """

    def __init__(self, data: dict, edges: Callable[[], list[dict]] | None = None):
        self.documents: dict[str, dict] = data.get("documents", {})
        self.acts: dict[str, list[str]] = data.get("acts", {})
        self.holds_edges = "edges" in data
        self._read_edges = (lambda: data.get("edges", [])) if self.holds_edges or edges is None else edges
        self.statuses = lru_cache(maxsize=16)(self._statuses)

    @classmethod
    def load(cls, path: Path, references: Callable[[], list[dict]]) -> Graph:
        """Read a generation's graph file; ``references`` gives its references when first needed.

        :raises OSError, ValueError, KeyError: the file can't be read.
        """
        return cls(json.loads(path.read_text(encoding="utf-8")), references)

    @cached_property
    def edges(self) -> list[dict]:
        return self._read_edges()

    @cached_property
    def _links(self) -> tuple[dict[str, list[dict]], dict[str, list[dict]], dict[str, list[dict]]]:
        """The references by the document they come from, the document they lead to, and the clause."""
        out: dict[str, list[dict]] = defaultdict(list)
        into: dict[str, list[dict]] = defaultdict(list)
        into_clause: dict[str, list[dict]] = defaultdict(list)
        for edge in self.edges:
            out[edge["from_doc"]].append(edge)
            if edge["to_doc"]:
                into[edge["to_doc"]].append(edge)
            if edge["to_clause"]:
                into_clause[edge["to_clause"]].append(edge)
        return out, into, into_clause

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self.documents

    # --- validity -------------------------------------------------------------------------

    def status(self, doc_id: str, day: str) -> Status:
        """Return the status of a document on ``day``, from its own words and the documents that follow it.

        Never guessed: 未知 when neither its text nor the collection says when it took effect.
        """
        entry = self.documents.get(doc_id)
        if entry is None:
            return Status("未知", day, reason="这份文件不在本库中")
        made = entry.get("version_date") or entry["date"]
        if made and day < made:
            return Status("尚未生效", day, reason=f"这一版本{made}才制定或修订")
        repeals = sorted((r for r in entry["repealed_by"] if r["date"] and r["date"] <= day), key=lambda r: r["date"])
        if repeals:
            first = repeals[0]
            return Status("已废止", day, since=first["date"], by=first["doc"],
                          reason=f"已被{quoted(self.title(first['doc']))}废止")
        superseded = entry.get("superseded")
        if superseded and superseded["date"] and superseded["date"] <= day:
            newer = self.documents[superseded["by"]]
            label = self.version_label(superseded["by"]) or "后一版本"
            return Status("已被修订", day, since=superseded["date"], by=superseded["by"],
                          reason=f"新版本{label}自{superseded['date']}起施行" if newer["start"]
                          else f"{superseded['date']}修订，新版本为{label}")
        amended = sorted((a for a in entry["amended_by"] if not a.get("applied") and a["date"] and a["date"] <= day),
                         key=lambda a: a["date"])
        if amended:
            first = amended[0]
            return Status("已被修订", day, since=first["date"], by=first["doc"],
                          reason=f"已被{quoted(self.title(first['doc']))}修改，本库所存为修改前的文本")
        undated = [r for r in entry["repealed_by"] if not r["date"]]
        if undated:  # the collection says it was repealed, not when: never 现行有效
            return Status("未知", day, by=undated[0]["doc"],
                          reason=f"已被{quoted(self.title(undated[0]['doc']))}废止，日期不明")
        if entry["expires"] and entry["expires"] < day:
            return Status("已过有效期", day, since=entry["expires"], reason=entry["expires_text"] or
                          f"有效期至{entry['expires']}")
        start = entry["start"]
        if start and day < start:
            return Status("尚未生效", day, since="", reason=entry["effective_text"] or f"自{start}起施行")
        if start:
            return Status("现行有效", day, since=start, reason=entry["effective_text"] or f"自{start}起施行")
        if entry.get("earlier_effective") and made:
            return self._unstated_start(entry, made, day)
        return Status("未知", day, reason="文本未写明施行日期")

    def _unstated_start(self, entry: dict, made: str, day: str) -> Status:
        """The status of a revised text that gives only its first version's 施行 day (settings.UNSTATED_START_DAYS)."""
        said = f"本版本{made}通过或修改，其施行日期文本未写明（所写{entry['earlier_effective']}为最初版本的施行日期）"
        if date.fromisoformat(day) - date.fromisoformat(made) < timedelta(days=settings.UNSTATED_START_DAYS):
            return Status("未知", day, reason=said)
        return Status("现行有效", day, reason=f"{said}；此后本库未收录新的版本或废止它的文件")

    def _statuses(self, day: str) -> dict[str, str]:
        return {doc_id: self.status(doc_id, day).value for doc_id in self.documents}

    # --- versions and citations -----------------------------------------------------------

    def title(self, doc_id: str) -> str:
        entry = self.documents.get(doc_id)
        return entry["title"] if entry else ""

    def version_label(self, doc_id: str) -> str:
        """Return （2023年修订） for a version of an act the collection holds more than one of, else ""."""
        entry = self.documents.get(doc_id)
        return entry["version_label"] if entry else ""

    def versions(self, doc_id: str) -> list[str]:
        """Return the versions of the document's act, oldest first (itself alone when it has none)."""
        entry = self.documents.get(doc_id)
        return list(entry["versions"]) if entry else [doc_id]

    def cite(self, doc_id: str, citation: str) -> str:
        """Name the version in a citation when the collection holds several: 《…》（2023年修订）第十二条."""
        label = self.version_label(doc_id)
        if not label or not citation or label in citation:
            return citation
        end = citation.find("》")
        return citation[:end + 1] + label + citation[end + 1:] if end >= 0 else citation

    # --- references -----------------------------------------------------------------------

    def outgoing(self, doc_id: str) -> list[dict]:
        return self._links[0].get(doc_id, [])

    def incoming(self, doc_id: str) -> list[dict]:
        return self._links[1].get(doc_id, [])

    def citing_clause(self, clause_id: str) -> list[dict]:
        """Return the references that name this clause (an article of a law), from other documents."""
        return self._links[2].get(clause_id, [])

    def walk(self, doc_id: str, upward: bool, depth: int = settings.MAX_WALK_DEPTH) -> list[dict]:
        """Return the documents it rests on, and what they rest on (upward), or those resting on it (downward).

        Breadth first, each document once, at most ``depth`` levels: a cycle of references ends.
        """
        seen, level, out = {doc_id}, [doc_id], []
        for distance in range(1, depth + 1):
            following = []
            for current in level:
                edges = self.outgoing(current) if upward else self.incoming(current)
                for edge in edges:
                    if edge["verb"] not in RESTS_ON:
                        continue
                    other = edge["to_doc"] if upward else edge["from_doc"]
                    if other is None or other in seen:
                        continue
                    seen.add(other)
                    following.append(other)
                    out.append({"doc_id": other, "title": self.title(other), "depth": distance, "via": current,
                                "level": self.documents[other]["level"]})
            if not following:
                break
            level = following
        return out

    def edge_dict(self, edge: dict) -> dict:
        """Return one reference as the API shows it: both ends named, the target as written when we lack it."""
        to_doc = edge["to_doc"]
        return {**edge, "verb_label": VERB_LABELS.get(edge["verb"], edge["verb"]), "held": to_doc is not None,
                "from_title": self.title(edge["from_doc"]),
                "from_version": self.version_label(edge["from_doc"]),
                "to_title": self.title(to_doc) if to_doc else edge["title"],
                "to_label": f"第{cn2an.an2cn(edge['article'])}条" if edge["article"] else "",
                "to_version": self.version_label(to_doc) if to_doc else ""}

    # --- a document's whole picture -------------------------------------------------------

    def relations(self, doc_id: str, day: str) -> dict:
        """Return what the API, the CLI and the page show of a document: status, versions, life events, references.

        :raises KeyError: the graph holds no such document.
        """
        entry = self.documents[doc_id]
        outgoing = [self.edge_dict(e) for e in self.outgoing(doc_id)]
        incoming = [self.edge_dict(e) for e in self.incoming(doc_id)]
        return {
            "doc_id": doc_id, "title": entry["title"], "version_label": entry["version_label"], "as_of": day,
            "status": self.status(doc_id, day).to_dict(),
            "effective": entry["effective"], "effective_text": entry["effective_text"],
            "earlier_effective": entry["earlier_effective"],
            "expires": entry["expires"], "expires_text": entry["expires_text"],
            "approved_by": entry["approved_by"], "events": entry["events"],
            "versions": [{"doc_id": v, "title": self.title(v),
                          "date": self.documents[v].get("version_date") or self.documents[v]["date"],
                          "version_label": self.version_label(v), "status": self.status(v, day).value,
                          "this": v == doc_id} for v in self.versions(doc_id)],
            "previous": entry["previous"], "next": entry["next"],
            "repealed_by": [{**r, "title": self.title(r["doc"])} for r in entry["repealed_by"]],
            "amended_by": [{**a, "title": self.title(a["doc"])} for a in entry["amended_by"]],
            "rests_on": grouped([e for e in outgoing if e["verb"] in RESTS_ON], "to"),
            "cites": grouped([e for e in outgoing if e["verb"] not in RESTS_ON], "to"),
            "cited_by": grouped(incoming, "from"),
            "upward": self.walk(doc_id, upward=True),
            "downward": self.walk(doc_id, upward=False),
        }


def grouped(edges: list[dict], end: str) -> list[dict]:
    """Group references by the document at ``end`` ("to" or "from"), in first-seen order, with their clauses."""
    groups: dict[tuple, dict] = {}
    for edge in edges:
        if end == "to":
            key = (edge["to_doc"] or "", "" if edge["to_doc"] else edge["to_title"] + edge["doc_number"])
        else:
            key = (edge["from_doc"], "")
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "doc_id": edge[f"{end}_doc"], "title": edge[f"{end}_title"], "version_label": edge[f"{end}_version"],
                "doc_number": edge["doc_number"] if end == "to" else "", "held": end == "from" or edge["held"],
                "verbs": [], "clauses": []}
        if edge["verb_label"] not in group["verbs"]:
            group["verbs"].append(edge["verb_label"])
        group["clauses"].append({"from_clause": edge["from_clause"], "from_label": edge["from_label"],
                                 "to_clause": edge["to_clause"], "article": edge["article"],
                                 "to_label": edge["to_label"], "text": edge["text"],
                                 "verb": edge["verb_label"]})
    return list(groups.values())
