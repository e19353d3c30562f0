"""The collection's graph, resolved from every document's record: version chains, repeals, amendments and references.

``resolve(records)`` is a pure function of the records (``records.py``): a build calls it once
for the whole collection, because adding one document can change what another one's
references lead to. The query side reads what it returns (``search.validity``), never this module.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..text.lawnames import act_key, quoted

__all__ = ["GRAPH_VERSION", "resolve", "version_label"]

GRAPH_VERSION = 1
# History events that make a new version of an act's text, with the word its label uses.
REVISING = {"修订": "修订", "修正": "修正", "修改": "修正"}


def resolve(records: Iterable[dict]) -> dict:
    """Return the graph of ``records``: per document its versions and life events, and every reference as an edge.

    A reference resolves by 文号 first, then by title (the version in force on the citing
    document's date), down to the article where it names one; one that resolves to nothing we
    hold stays an edge to an outside document, named as written. A reference to the citing
    document itself is dropped, and so is a repeal or an amendment naming another version of
    its own act: the version chain already says how those versions follow each other.
    """
    docs = {r["doc_id"]: r for r in sorted(records, key=lambda r: r["doc_id"])}
    acts = _acts(docs)
    by_number: dict[str, list[str]] = defaultdict(list)
    for doc_id, r in docs.items():
        if r.get("doc_number_norm"):
            by_number[r["doc_number_norm"]].append(doc_id)
    groups = {act: _version_groups(versions, docs) for act, versions in acts.items()}
    out = {doc_id: _entry(r, groups.get(r.get("act", ""), [[doc_id]])) for doc_id, r in docs.items()}
    for act_groups in groups.values():
        for older, newer in zip(act_groups, act_groups[1:]):
            first = docs[newer[0]]
            for doc_id in older:  # every copy of the older text gives way to the newer, from its day in force
                out[doc_id]["superseded"] = {"by": newer[0], "date": _start(first) or _day(first)}
    edges, seen = [], set()
    for doc_id, r in docs.items():
        for ref in r["references"]:
            target = _target(ref, r, docs, acts, by_number)
            if target == doc_id:
                continue
            if target is not None and ref["verb"] in ("repeals", "amends") and _same_act(docs[target], r):
                continue
            edge = {"from_doc": doc_id, "from_clause": ref["clause"], "from_label": ref.get("label", ""),
                    "verb": ref["verb"], "to_doc": target,
                    "to_clause": _article_of(docs.get(target), ref.get("article")),
                    "title": ref.get("title", ""), "doc_number": ref.get("doc_number", ""),
                    "article": ref.get("article"), "text": ref.get("text", "")}
            key = (doc_id, edge["from_clause"], edge["verb"], target or edge["title"] + edge["doc_number"],
                   edge["article"])
            if key not in seen:  # a clause naming one document twice (by title and by 文号) cites it once
                seen.add(key)
                edges.append(edge)
        for kind, effect in (("repeals", "repealed_by"), ("amends", "amended_by")):
            for ref in r.get(kind, ()):
                target = _target(ref, r, docs, acts, by_number)
                if target is None or target == doc_id or _same_act(docs[target], r):
                    continue
                when = out[doc_id]["start"] or r["date"]
                effect_entry = {"doc": doc_id, "date": when}
                if kind == "amends":
                    # The text we hold may already be the amended one (the database keeps the
                    # current wording): then the amendment is history, not a reason it is out of date.
                    effect_entry["applied"] = bool(_day(docs[target])) and _day(docs[target]) >= r["date"]
                if effect_entry not in out[target][effect]:
                    out[target][effect].append(effect_entry)
    for entry in out.values():
        _start_amended(entry, out)
    return {"version": GRAPH_VERSION, "documents": out, "acts": {k: v for k, v in acts.items() if len(v) > 1},
            "edges": edges}


def version_label(record: dict) -> str:
    """Return how a citation names this version of its act: （2023年修订）.

    The year is the version's own; the word is its last revising event's when that event is of
    the same year, else 版: a header that stops at a 2002 revision does not say what 2010 did.
    """
    day = _day(record)
    if not day:
        return ""
    year = day[:4]
    for event in reversed(record.get("events", [])):
        word = next((REVISING[w] for w in REVISING if w in event.get("kind", "")), "")
        if word and event.get("date", "")[:4] == year:
            return f"（{int(year)}年{word}）"
    return f"（{int(year)}年版）"


def _start_amended(entry: dict, out: dict[str, dict]) -> None:
    """Start an amended text when the amendment it holds took effect, if that is later than its own start.

    The database keeps a judicial interpretation in its amended wording, which is in force from the
    amending decision's day (2021-01-01 for the eighteen of 2020), whatever its first text said.
    """
    applied = sorted((a for a in entry["amended_by"] if a.get("applied") and a["date"]), key=lambda a: a["date"])
    if applied and applied[-1]["date"] > (entry["start"] or ""):
        last = applied[-1]
        entry["start"] = last["date"]
        entry["effective_text"] = f"经{quoted(out[last['doc']]['title'])}修改，自{last['date']}起施行"


def _day(record: dict) -> str:
    """Return the day of a version's text: its latest adoption or revision."""
    return record.get("version_date") or record.get("date") or ""


def _same_version(a: dict, b: dict) -> bool:
    """Tell whether two documents of one act are one version held twice (two compilations of one text)."""
    return _day(a) == _day(b) or (bool(_start(a)) and _start(a) == _start(b))


def _same_act(a: dict, b: dict) -> bool:
    return bool(a.get("act")) and a.get("act") == b.get("act")


def _version_groups(versions: list[str], docs: dict[str, dict]) -> list[list[str]]:
    """Split an act's documents, oldest first, into its versions: each the copies of one text."""
    groups: list[list[str]] = []
    for doc_id in versions:
        if groups and _same_version(docs[groups[-1][0]], docs[doc_id]):
            groups[-1].append(doc_id)
        else:
            groups.append([doc_id])
    return groups


def _acts(docs: dict[str, dict]) -> dict[str, list[str]]:
    """Group the documents into acts by title key, each act's versions oldest first."""
    acts: dict[str, list[str]] = defaultdict(list)
    for doc_id, r in docs.items():
        if r.get("act"):
            acts[r["act"]].append(doc_id)
    return {key: sorted(ids, key=lambda d: (_day(docs[d]), d)) for key, ids in acts.items()}


def _start(record: dict) -> str:
    """Return the day this version took effect, when the text says; "" when it does not.

    An amended law often still says 本细则自2001年7月1日起施行, the day its first version did: an
    effective day before the version's own day belongs to an earlier text and says nothing of
    when this one took effect (``search.validity`` says so in the status it gives).
    """
    effective, date = record.get("effective", ""), _day(record)
    if effective and date and effective < date:
        return ""
    return effective


def _entry(record: dict, groups: list[list[str]]) -> dict:
    """Return a document's entry of the graph, before what other documents do to it is added."""
    versions = [doc_id for group in groups for doc_id in group]
    several = len(groups) > 1  # copies of one text are not versions
    position = next(k for k, group in enumerate(groups) if record["doc_id"] in group)
    effective = record.get("effective", "")
    return {
        "title": record["title"], "act": record.get("act", ""), "doc_number": record.get("doc_number", ""),
        "date": record.get("date", ""), "version_date": _day(record), "start": _start(record),
        # the day the text gives is an earlier version's: this version's is not written
        "earlier_effective": effective if effective and not _start(record) else "",
        "effective": record.get("effective", ""),
        "effective_text": record.get("effective_text", ""), "expires": record.get("expires", ""),
        "expires_text": record.get("expires_text", ""), "events": record.get("events", []),
        "approved_by": record.get("approved_by", []), "authority": record.get("authority", ""),
        "level": record.get("level", ""), "region": record.get("region", []), "issuer": record.get("issuer", []),
        "versions": versions,
        "previous": groups[position - 1][0] if position > 0 else None,
        "next": groups[position + 1][0] if position + 1 < len(groups) else None,
        "version_label": version_label(record) if several else "",
        "superseded": None, "repealed_by": [], "amended_by": [],
    }


def _target(ref: dict, citing: dict, docs: dict[str, dict], acts: dict[str, list[str]],
            by_number: dict[str, list[str]]) -> str | None:
    """Return the document a reference names, or None when the collection does not hold it."""
    number = ref.get("doc_number_norm")
    if number and by_number.get(number):
        return by_number[number][0]
    name = ref.get("title") or ref.get("law") or ""
    versions = acts.get(act_key(name)) if name else None
    if not versions:
        return None
    day = citing.get("date") or ""
    in_force = [d for d in versions if not day or (_start(docs[d]) or _day(docs[d])) <= day]
    return in_force[-1] if in_force else versions[0]


def _article_of(record: dict | None, article: int | None) -> str | None:
    """Return the index unit of article ``article`` of a document, when we hold both."""
    if record is None or article is None:
        return None
    return record["articles"].get(str(article))
