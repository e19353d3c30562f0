"""The search page's presentation: what search.html shows beside the search's own JSON.

``search_context`` runs the search once (``views.run_search``) and builds, from its dict, the
links the page needs: facet toggles, chips, the year chart, sort, mode and page links, the line
above the first hit that does not hold every word, the legal-terms switch, word counts and "did
you mean". Every link carries the whole state in its URL, except a passage too long for one.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from search import settings
from search.errors import QuerySyntaxError
from search.query import parse_query
from search.synonyms import expand_agency
from search.facetspec import SEARCH_FACETS as FACETS, general_ip_type, value_label
from search.searching import SORTS, YEAR_FILTER

from .views import FACET_LABELS, SearchArgs, parse_search_args, run_search

SORT_LABELS = {"relevance": "相关度", "date": "日期"}
# A facet shows this many values before the rest fold under "更多".
FACET_SHOWN = 8
# Pagination shows this many page numbers either side of the current page.
PAGE_WINDOW = 3
# A passage's heading quotes this many of its characters.
PASSAGE_PREVIEW_CHARS = 40


def search_context(args: Mapping) -> dict:
    """Return what search.html renders: the search's JSON as ``result`` plus links built from it."""
    a = parse_search_args(args)
    result = run_search(a).to_dict()
    links = _link_state(a, result)
    last_page = min(max(math.ceil(result["total"] / a.per_page), 1), settings.MAX_PAGE)
    return {
        "args": a, "result": result, "facets": _facets(links, result), "chips": _chips(links),
        "clear_url": links.link(filters={}, page=1),
        "years": _year_chart(links, result), "pages": _pagination(links, last_page),
        "sorts": [{"value": s, "label": SORT_LABELS[s], "selected": s == a.sort, "url": links.link(sort=s, page=1)}
                  for s in SORTS],
        "modes": [{"label": "每个条款", "selected": not a.one_per_doc, "url": links.link(one_per_doc=False, page=1)},
                  {"label": "每个文件最佳条款", "selected": a.one_per_doc, "url": links.link(one_per_doc=True, page=1)}],
        "passage": _passage(a), "relaxed": _relaxed_note(links, result), "little": _little_help(links, result),
        "legal_terms": _legal_terms(links, result),
        "suggestions": _suggestions(links) if result["total"] == 0 and a.filters else [],
        # A passage too long for a URL: its links search its key words, and app.js POSTs the passage instead.
        "link_q": links.q, "post_links": links.q != a.q,
        "json_url": a.url("api.search") if a.fits_url() else None, "api_url": links.url("api.search"),
        "csv_url": links.url("pages.export_csv", page=1, per_page=settings.DEFAULT_PER_PAGE),
        "export_json_url": links.url("pages.export_json", page=1, per_page=settings.DEFAULT_PER_PAGE),
        "hidden": [(k, v) for k, v in a.pairs() if k not in ("q", "page")],
        "as_of_hidden": [(k, v) for k, v in links.pairs() if k not in ("as_of", "page")],
        "place_hidden": [(k, v) for k, v in links.pairs() if k not in ("place", "ip_general", "page")],
        "general_label": value_label("ip_type", general_ip_type()),
    }


def _link_state(a: SearchArgs, result: dict) -> SearchArgs:
    """Return the state the page's links carry: the search itself, or for a passage too long for a
    URL the same search of the passage's key words (what a browser without app.js gets)."""
    if a.fits_url():
        return a
    return replace(a, q=_key_words_query((result["relaxed"] or {}).get("words", [])))


def _key_words_query(words: list[str]) -> str:
    """Return as many of a passage's key words as make a query that reads (two 第X条 don't) and fits the limit."""
    query = ""
    for word in words:
        longer = f"{query} {word}".strip()
        if len(longer) > settings.MAX_QUERY_CHARS:
            break
        try:
            parse_query(longer)
        except QuerySyntaxError:  # a word the query language reads as syntax here: the link leaves it out
            continue
        query = longer
    return query


def _passage(a: SearchArgs) -> dict | None:
    """Return how the heading quotes a pasted passage (a query read as "clauses like this text")."""
    if len(a.q) <= settings.MAX_QUERY_CHARS:
        return None
    return {"chars": len(a.q), "preview": a.q[:PASSAGE_PREVIEW_CHARS]}


def _facets(a: SearchArgs, result: dict) -> list[dict]:
    """Return each facet in the shape of Datasette's: name, label, results (value, count, selected, toggle_url)."""
    out = []
    for f in FACETS:
        name = f.name
        counted = {v["value"]: v["count"] for v in result["facets"].get(name, [])}
        selected = a.filters.get(name, ())
        for value in selected:  # a chosen value that no clause carries (or a year range) still needs its ✕
            counted.setdefault(value, _chosen_count(name, value, counted))
        results = [{"value": value, "label": value_label(name, value), "count": count, **_toggle(a, name, value)}
                   for value, count in counted.items()]
        out.append({"name": name, "label": f.label, "results": results[:FACET_SHOWN],
                    "more": results[FACET_SHOWN:], "selected": bool(selected)})
    return out


def _toggle(a: SearchArgs, name: str, value: str) -> dict:
    """Return whether a facet value is chosen and the link that switches it.

    A year inside a chosen range (2016-2022) is chosen through it; its link narrows the filter to
    that year, since adding the year to the range would change nothing.
    """
    chosen = a.filters.get(name, ())
    within = name == "year" and value not in chosen and any(value in year_span(v) for v in chosen)
    url = a.link(filters={**a.filters, name: (value,)}, page=1) if within else a.toggled(name, value).link()
    return {"selected": value in chosen or within, "within": within, "toggle_url": url}


def _chosen_count(name: str, value: str, counted: dict[str, int]) -> int:
    """Return the count of a chosen value the facet does not list: a year range holds its years' clauses."""
    if name != "year":
        return 0
    span = year_span(value)
    return sum(count for year, count in counted.items() if year in span)


def year_span(value: str) -> set[str]:
    """Return the years of a year filter the search has accepted: 2014, or 2010-2016 (each year)."""
    m = YEAR_FILTER.match(value)
    start, end = int(m.group("start")), int(m.group("end") or m.group("start"))
    return {str(y) for y in range(start, end + 1)}


def _chips(a: SearchArgs) -> list[dict]:
    chips = [{"name": f.name, "label": f.label, "value": value_label(f.name, value),
              "includes": _agency_names(value) if f.name == "agency" else [],
              "remove_url": a.toggled(f.name, value).link()}
             for f in FACETS for value in a.filters.get(f.name, ())]
    if a.place:
        chips.append({"name": "place", "label": "适用地点", "value": a.place, "remove_url": a.link(place="", page=1)})
    if a.ip_general:
        chips.append({"name": "ip_general", "label": "知识产权类型", "value": value_label("ip_type", general_ip_type()),
                      "remove_url": a.link(ip_general=False, page=1)})
    return chips


def _agency_names(value: str) -> list[str]:
    """Return the names an agency filter searches besides the one typed (市场监管局: 工商行政管理局 …)."""
    return [name for name in expand_agency(value) if name != value]


def _year_chart(a: SearchArgs, result: dict) -> list[dict]:
    """Return the bars of the hits-per-year chart, oldest first, widths as a share of the tallest."""
    years = sorted(result["facets"].get("year", []), key=lambda v: v["value"])
    top = max((v["count"] for v in years), default=0)
    # Widths in steps of 5 % (CSS classes w-0 … w-100): no inline style, so a strict CSP can stay strict.
    return [{"year": v["value"], "count": v["count"], "width": max(5, 5 * round(20 * v["count"] / top)) if top else 0,
             **_toggle(a, "year", v["value"])} for v in years]


def _pagination(a: SearchArgs, last: int) -> dict:
    numbers = range(max(1, a.page - PAGE_WINDOW), min(last, a.page + PAGE_WINDOW) + 1)
    return {
        "current": a.page, "last": last,
        "prev": a.link(page=a.page - 1) if a.page > 1 else None,
        "next": a.link(page=a.page + 1) if a.page < last else None,
        "numbers": [{"number": n, "url": a.link(page=n), "current": n == a.page} for n in numbers],
    }


def _relaxed_note(a: SearchArgs, result: dict) -> dict | None:
    """Return the line shown above the first hit that does not hold every word, when this page has one.

    ``split`` is how many of the page's hits come before it (the exact hits are the first
    ``exact_total`` of the whole list, across pages).
    """
    relaxed = result["relaxed"]
    if not relaxed:
        return None
    start = (result["page"] - 1) * result["per_page"]
    split = min(max(relaxed["exact_total"] - start, 0), len(result["hits"]))
    if split == len(result["hits"]):
        return None
    expanded = relaxed["expanded"]
    return {"split": split, "count": result["total"] - relaxed["exact_total"], "exact_total": relaxed["exact_total"],
            "words": [w for w in relaxed["words"] if w not in expanded], "dropped": relaxed["dropped"],
            "expanded": expanded, "passage": relaxed["passage"]}


def _legal_terms(a: SearchArgs, result: dict) -> dict | None:
    """Return the switch for the legal terms searched for everyday words: shown when some were, or when it is off."""
    relaxed = result["relaxed"] or {}
    if relaxed.get("passage") or not a.q or not (relaxed.get("expanded") or not a.legal_terms):
        return None
    return {"on": a.legal_terms, "expanded": relaxed.get("expanded", []),
            "url": a.link(legal_terms=not a.legal_terms, page=1)}


def _little_help(a: SearchArgs, result: dict) -> dict | None:
    """Return the help for a search few clauses match: each word's own count (when there are several
    words) as a link searching it alone, and the query with the near words of unknown ones."""
    little = result["little"]
    if not little:
        return None
    counts = little["word_counts"] if len(little["word_counts"]) > 1 else []
    # The counts are over the whole collection, so the links searching a word alone drop the filters.
    words = [{"word": c["word"], "count": c["count"], "url": a.link(q=c["word"], filters={}, page=1)} for c in counts]
    suggested = little["suggested_query"]
    suggestion = {"query": suggested, "url": a.link(q=suggested, page=1)} if suggested else None
    if not words and not suggestion:
        return None
    return {"words": words, "suggestion": suggestion, "did_you_mean": little["did_you_mean"],
            "filtered": bool(a.filters)}


def _suggestions(a: SearchArgs) -> list[dict]:
    """For an empty result: each active filter, with how many clauses dropping it would bring back."""
    out = []
    for name in a.filters:
        wider = a.without(name)
        total = run_search(replace(wider, per_page=1)).total
        out.append({"name": name, "label": FACET_LABELS[name], "chosen": list(a.filters[name]), "total": total,
                    "url": wider.link()})
    return sorted(out, key=lambda s: -s["total"])
