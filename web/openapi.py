"""The OpenAPI 3.0 document of the JSON API, served at ``/api/openapi.json``.

Written as data built from the same names the code uses (facets, sorts, limits, the id patterns,
the record fields of ``search.models``), so a renamed facet or a new limit changes the document too.
Every object lists all its keys as required and allows no others: the schema is the contract
``tests/test_openapi.py`` holds the app to.
"""
from __future__ import annotations

from search import settings
from search.agencydir import directory
from search.comparing import LEAD_ROLES
from search.diff import CHANGES
from search.ledger import LEDGER_FIELDS, ROLE_LABELS as LEDGER_ROLE_LABELS
from search.support import SORTS as SUPPORT_SORTS
from search.facetspec import SEARCH_FACETS as FACETS
from search.models import ROLES
from search.searching import SORTS
from search.text.references import VERBS
from search.validity import STATUSES

from . import agencies, views
from .errors import HTTP_ERRORS
from .security import FORM_TYPES, MAX_FORM_BYTES, MAX_QUERY_STRING_BYTES

JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, description: str = "") -> dict:
    out = {"type": "object", "required": list(properties), "properties": properties, "additionalProperties": False}
    if description:
        out["description"] = description
    return out


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


STRING = {"type": "string"}
STRINGS = _array(STRING)
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}
YEAR = {"type": "integer", "nullable": True}

# The codes of the library's QuerySyntaxError and FilterError, then the web layer's own (web/errors.py).
ERROR_CODES = ("bad_query", "query_too_long", "unbalanced_quote", "empty_phrase", "bad_exclusion", "bad_doc_number",
               "bad_article", "bad_or", "bad_filter", "bad_sort", "bad_number", "bad_year", "bad_flag",
               "bad_status", "bad_as_of", "not_versions", "bad_place", "empty_text", "text_too_long",
               "clause_not_found", "document_not_found", "agency_not_found", "index_unavailable",
               *(code for code, _message in HTTP_ERRORS.values()))

HIT_PROPERTIES = {
    "clause_id": STRING, "doc_id": STRING, "title": STRING, "issuer": STRINGS, "doc_number": STRING,
    "date": {"type": "string", "description": "ISO date, or empty"}, "year": YEAR, "level": STRING,
    "region": STRINGS, "label": STRING, "path": _array(_ref("PathStep")), "heading": STRING, "text": STRING,
    "highlight": {"type": "string", "description": "the text as HTML: escaped, query matches in <mark>"},
    "ip_types": STRINGS, "agencies": _array(_ref("Agency")), "citation": STRING, "score": {"type": "number"},
    "kind": STRING, "others_in_doc": COUNT,
    "status": {"type": "string", "enum": ["", *STATUSES], "description": "the document's status on the day asked"},
    "version_label": {"type": "string", "description": "（2023年修订） when the collection holds several versions"},
}
NULLABLE_STRING = _nullable(STRING)
EDGE_PROPERTIES = {
    "from_doc": STRING, "from_clause": STRING, "from_label": STRING, "from_title": STRING, "from_version": STRING,
    "verb": {"type": "string", "enum": list(VERBS)}, "verb_label": STRING,
    "to_doc": {**NULLABLE_STRING, "description": "null: a document the collection does not hold"},
    "to_clause": {**NULLABLE_STRING, "description": "the article named, when we hold it"},
    "to_title": STRING, "to_version": STRING, "to_label": {"type": "string", "description": "第十二条, the article named"},
    "title": {"type": "string", "description": "as the text writes it"},
    "doc_number": STRING, "article": _nullable(INTEGER), "text": STRING, "held": BOOLEAN,
}
GROUP = _object({
    "doc_id": {**NULLABLE_STRING, "description": "null: a document the collection does not hold, named as written"},
    "title": STRING, "version_label": STRING, "doc_number": STRING, "held": BOOLEAN, "verbs": STRINGS,
    "clauses": _array(_object({"from_clause": STRING, "from_label": STRING, "to_clause": NULLABLE_STRING,
                               "article": _nullable(INTEGER), "to_label": STRING, "text": STRING, "verb": STRING})),
}, "The references between this document and one other, with the clauses that make them.")
WALK = _array(_object({"doc_id": STRING, "title": STRING, "depth": {"type": "integer", "minimum": 1},
                       "via": STRING, "level": STRING}))

DIRECTORY_ENTRY = {
    "canonical": STRING, "family": STRING, "levels": _array({"type": "string", "enum": list(directory().levels)}),
    "aliases": STRINGS, "since": YEAR, "until": YEAR, "successors": STRINGS, "former": STRINGS, "under": STRINGS,
    "current": BOOLEAN, "note": STRING, "source": STRING,
}
RELATION = {"type": "string", "enum": list(agencies.RELATIONS)}
ROLE_COUNTS = _object({role: COUNT for role in agencies.COUNT_LABELS},
                      "Clauses by the role counted: each clause once, 牵头 before 负责 before 配合; other: none of them.")

SCHEMAS = {
    "Error": _object({
        "error": {"type": "string", "description": "what is wrong and how to put it right, in Chinese"},
        "code": {"type": "string", "pattern": "^[a-z][a-z_]*$",
                 "description": "the kind of error, in stable English for programs: " + ", ".join(ERROR_CODES)},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
    }, "Every error: a message, its code and the HTTP status."),
    "PathStep": _object({"label": STRING, "heading": STRING}),
    "Agency": _object({"name": STRING, "canonical": STRING, "role": {"type": "string", "enum": list(ROLES)}}),
    "FacetValue": _object({"value": STRING, "count": COUNT}),
    "Hit": _object(HIT_PROPERTIES, "One clause, with its document's metadata and citation."),
    "SearchPage": _object({
        "query": STRING, "total": COUNT,
        "page": {"type": "integer", "minimum": 1, "maximum": settings.MAX_PAGE},
        "per_page": {"type": "integer", "minimum": 1, "maximum": settings.MAX_PER_PAGE},
        "hits": _array(_ref("Hit")),
        "facets": _object({f.name: _array(_ref("FacetValue")) for f in FACETS},
                          "Counts over the whole result set, each facet with the other facets' filters applied."),
        "filters": {"type": "object", "additionalProperties": STRINGS,
                    "description": "the filters applied, by facet name"},
        "sort": {"type": "string", "enum": list(SORTS)}, "one_per_doc": BOOLEAN,
        "as_of": {"type": "string", "description": "the ISO day every status is given for"},
        "place": {**STRINGS, "description": "the place asked about, from the province down (empty: none)"},
        "relaxed": _nullable(_object({
            "exact_total": {**COUNT, "description": "the first this many hits of the whole list hold every word"},
            "words": {**STRINGS, "description": "the words the later hits are ranked by, each optional"},
            "dropped": {**STRINGS, "description": "question and function words left out (吗, 什么, 怎么办 …)"},
            "expanded": {**STRINGS, "description": "legal terms searched for everyday words (盗版 → 侵犯著作权); "
                                                   "none with legal_terms=0"},
            "passage": {**BOOLEAN, "description": "a long text read as \"clauses like this\": words are its key words"},
        }, "Set when hits that don't hold every word follow those that do.")),
        "little": _nullable(_object({
            "word_counts": _array(_object({"word": STRING, "count": COUNT})),
            "did_you_mean": _array(_object({"typed": STRING, "suggestion": STRING})),
            "suggested_query": {"type": "string", "description": "the query with the suggestions in; empty when none"},
        }, f"Set when fewer than {settings.LOOSE_BELOW} clauses hold every word: how many hold each word alone "
           "(over the whole collection), and near words the index knows for words no clause holds.")),
    }),
    "DocumentMetadata": _object({
        "title": STRING, "doc_number": STRING, "issuer": STRINGS, "level": STRING, "region": STRINGS,
        "date": STRING, "year": YEAR, "published": STRING, "effective": STRING, "doc_type": STRING,
        "authority": STRING, "source": STRING, "citation": STRING, "approved_by": STRINGS, "expires": STRING,
        "version_label": STRING,
    }, "What a document says about itself, and how it is cited as a whole."),
    "DocumentPage": _object({
        "doc_id": STRING, "query": STRING,
        "metadata": _ref("DocumentMetadata"),
        "relations": _ref("Relations"),
        "toc": _array(_object({"clause_id": STRING, "label": STRING, "heading": STRING, "depth": COUNT})),
        "clauses": _array(_ref("ClausePage")),
    }),
    "ClausePage": _object({**HIT_PROPERTIES, "cited_by": _array(_ref("Reference"))},
                          "A clause, with the references of other documents that name it (for a law article)."),
    "Reference": _object(EDGE_PROPERTIES, "One reference a clause makes to a document, or to an article of one."),
    "Relations": _object({
        "doc_id": STRING, "title": STRING, "version_label": STRING, "as_of": STRING,
        "status": _object({"value": {"type": "string", "enum": list(STATUSES)}, "day": STRING, "since": STRING,
                           "reason": STRING, "by": STRING}),
        "effective": STRING, "effective_text": STRING, "expires": STRING, "expires_text": STRING,
        "earlier_effective": {"type": "string", "description": "the 施行 day the text gives when it is its first "
                                                               "version's: this version's is not written"},
        "approved_by": STRINGS,
        "events": _array(_object({"date": STRING, "kind": STRING, "text": STRING})),
        "versions": _array(_object({"doc_id": STRING, "title": STRING, "date": STRING, "version_label": STRING,
                                    "status": {"type": "string", "enum": list(STATUSES)}, "this": BOOLEAN})),
        "previous": NULLABLE_STRING, "next": NULLABLE_STRING,
        "repealed_by": _array(_object({"doc": STRING, "date": STRING, "title": STRING})),
        "amended_by": _array(_object({"doc": STRING, "date": STRING, "applied": BOOLEAN, "title": STRING})),
        "rests_on": _array(GROUP), "cites": _array(GROUP), "cited_by": _array(GROUP),
        "upward": WALK, "downward": WALK,
    }, "A document's status on a day, its versions and history, what it rests on (依据) and what cites it."),
    "DiffPage": _object({
        "old_id": STRING, "new_id": STRING, "old_title": STRING, "new_title": STRING, "old_date": STRING,
        "new_date": STRING, "counts": {"type": "object", "additionalProperties": COUNT,
                                       "description": "articles per change: same, changed, added, removed"},
        "renumbered": COUNT, "old_meta": _ref("DocumentMetadata"), "new_meta": _ref("DocumentMetadata"),
        "articles": _array(_object({
            "change": {"type": "string", "enum": list(CHANGES)}, "change_label": STRING, "renumbered": BOOLEAN,
            "old_label": STRING, "new_label": STRING, "old_clause_id": NULLABLE_STRING,
            "new_clause_id": NULLABLE_STRING, "old_text": STRING, "new_text": STRING,
            "old_path": _array(_ref("PathStep")), "new_path": _array(_ref("PathStep")), "path": _array(_ref("PathStep")),
            "segments": _array(_object({"kind": {"type": "string", "enum": ["same", "added", "removed"]},
                                        "text": STRING})),
            "similarity": {"type": "number", "minimum": 0, "maximum": 1},
        })),
    }, "Two versions of an act, article by article: the wording changed marked, same + removed rebuilding the old."),
    "SimilarPage": _object({"clause": _ref("Hit"), "similar": _array(_ref("SimilarHit")),
                            "other_versions": _array(_ref("SimilarHit"))}),
    "SimilarHit": _object({**HIT_PROPERTIES, "wording": {
        "type": "number", "minimum": 0, "maximum": 1,
        "description": "the share of wording the two clauses hold in common, the same from either side "
                       "(score is BM25's, relative to the clause's own)"}}),
    "AgencyDirectory": _object({
        "entries": COUNT, "in_index": {**COUNT, "description": "entries with clauses in the index"},
        "families": _array(_object({
            "family": STRING, "clauses": COUNT,
            "entries": _array(_object({**DIRECTORY_ENTRY, "level_label": STRING,
                                       "clauses": {**COUNT, "description": "clauses filed under this name"},
                                       "page_clauses": {**COUNT, "description": "clauses its page lists, the "
                                                                               "names it includes counted"}})),
        })),
        "unlisted": {**_array(_ref("FacetValue")), "description": "agency facet values the directory lacks"},
    }, "The agency directory (search/data/agency_directory.toml) by family, with clause counts from the index."),
    "AgencyPage": _object({
        "agency": {"type": "string", "description": "the name as asked"}, "canonical": STRING,
        "entry": _nullable(_object(DIRECTORY_ENTRY, "The agency's directory entry; null when it has none.")),
        "includes": _array(_object({"name": STRING, "relation": RELATION, "clauses": COUNT},
                                   "A name the page includes (expand_agency), with its clauses on the page.")),
        "filters": {"type": "object", "properties": {"region": STRINGS, "level": STRINGS},
                    "additionalProperties": False},
        "options": _object({key: _array(_object({"value": STRING, "count": COUNT, "selected": BOOLEAN}))
                            for key in agencies.PLACE_PARAMETERS}),
        "total": COUNT, "all_total": {**COUNT, "description": "the clauses without the region and level filters"},
        "listed": COUNT, "truncated": BOOLEAN, "roles": ROLE_COUNTS,
        "by_year": _array(_object({"year": YEAR, "count": COUNT})),
        "related": _array(_object({"canonical": STRING, "level_label": STRING, "relation": RELATION,
                                   "clauses": COUNT}, "Another directory entry: successor, former name, family.")),
        "documents": _array(_object({
            "doc_id": STRING, "title": STRING, "version_label": STRING, "doc_number": STRING, "issuer": STRINGS,
            "date": STRING, "year": YEAR, "level": STRING, "region": STRINGS, "count": COUNT, "roles": ROLE_COUNTS,
            "clauses": _array(_object({
                **HIT_PROPERTIES,
                "role": {"type": "string", "enum": list(agencies.COUNT_LABELS), "description": "the role counted"},
                "roles": {**_array(_ref("Agency")), "description": "the roles of the names the page includes"},
                "agency_roles": _array(_object({"canonical": STRING, "names": STRINGS,
                                                "roles": _array({"type": "string", "enum": list(ROLES)}),
                                                "included": BOOLEAN})),
            }, "A hit with the role counted for the agency and every agency's own roles.")),
        })),
    }, "Every clause giving an agency a task, by document, newest first."),
    "Health": _object({"status": {"type": "string", "enum": ["ok"]},
                       "generation": {"type": "string", "nullable": True}, "clauses": COUNT}),
}


def _error(description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": _ref("Error")}}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {JSON: {"schema": _ref(schema)}}}


UNAVAILABLE = _error("the index is missing, being built for the first time, damaged, or needs a rebuild")
TOO_LONG = _error(f"the query string is longer than {MAX_QUERY_STRING_BYTES} bytes")
BODY_TOO_LARGE = _error(f"the form is larger than {MAX_FORM_BYTES} bytes")
NOT_A_FORM = _error(f"a body that is not a form ({', '.join(FORM_TYPES)})")


def _query(name: str, schema: dict, description: str, explode: bool = False) -> dict:
    out = {"name": name, "in": "query", "required": False, "schema": schema, "description": description}
    if explode:
        out.update(style="form", explode=True)
    return out


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


DOC_ID = {"type": "string", "pattern": views.DOC_ID.pattern}
CLAUSE_ID = {"type": "string", "pattern": views.CLAUSE_ID.pattern}

AS_OF = _query("as_of", {"type": "string"}, "give every status as on this day (2018-06-01); default today")

SEARCH_PARAMETERS = [
    _query("q", {"type": "string", "maxLength": settings.MAX_PASSAGE_CHARS},
           "words (all must match), \"exact phrases\", -excluded, a OR b, a 文号 or 专利法第二十条, a question; "
           f"empty browses all; over {settings.MAX_QUERY_CHARS} characters, a passage whose similar clauses are "
           "searched (POST it: it won't fit in a URL)"),
    *[_query(f.name, _array(STRING), f"{f.label}: repeat for OR within the field"
             + ("; 2014 or 2010-2016" if f.name == "year" else ""), explode=True) for f in FACETS],
    _query("sort", {"type": "string", "enum": list(SORTS)}, "relevance (default) or date, newest first"),
    _query("page", {"type": "integer"}, f"1-based; clamped to 1–{settings.MAX_PAGE}"),
    _query("per_page", {"type": "integer"},
           f"default {settings.DEFAULT_PER_PAGE}; clamped to 1–{settings.MAX_PER_PAGE}"),
    _query("one_per_doc", BOOLEAN, "only the best clause of each document"),
    _query("legal_terms", BOOLEAN, "also search the legal terms of everyday words (盗版 → 侵犯著作权); default true"),
    _query("place", {"type": "string", "maxLength": 40},
           "what applies in a place (三门峡, 罗山县): its documents, those of every level above it, national ones"),
    _query("ip_general", BOOLEAN, "let ip_type take the clauses on IP as a whole (综合) too; default false"),
    AS_OF,
]


def _form(parameters: list) -> dict:
    """Return a request body holding ``parameters`` as the fields of a form."""
    properties = {p["name"]: {**p["schema"], "description": p["description"]} for p in parameters}
    encoding = {p["name"]: {"style": "form", "explode": True} for p in parameters if p.get("explode")}
    return {"required": False, "content": {FORM_TYPES[0]: {"schema": {"type": "object", "properties": properties},
                                                            "encoding": encoding}}}


def _get(summary: str, parameters: list, responses: dict) -> dict:
    return {"get": {"summary": summary, "parameters": parameters,
                    "responses": {**responses, "414": TOO_LONG, "503": UNAVAILABLE}}}


SCHEMAS.update({
    "Deadline": _object({
        "text": {"type": "string", "description": "as the clause writes it: 到2025年, 2016年底前, 每年, 持续推进"},
        "year": {**YEAR, "description": "the year it falls due; null for a repeated or ongoing task, "
                                        "or a 年底前 of an undated document"},
        "recurring": {**BOOLEAN, "description": "repeated or ongoing (每年, 定期, 持续推进, 长期) rather than due once"},
    }, "A time limit a task clause states."),
    "LedgerAgency": _object({"name": STRING, "canonical": STRING, "role": {"type": "string", "enum": list(ROLES)},
                             "role_label": {"type": "string", "enum": list(LEDGER_ROLE_LABELS.values())}},
                            "An agency the task names, with its role (lead 牵头, cooperate 配合, responsible 负责)."),
    "LedgerRow": _object({
        "clause_id": STRING, "doc_id": STRING, "title": STRING, "doc_number": STRING, "issuer": STRINGS,
        "region": STRINGS, "level": STRING, "year": YEAR, "date": STRING, "label": STRING,
        "where": {"type": "string", "description": "the labels of the clause and its ancestors, outermost first: 三、13.(2)"},
        "path": _array(_ref("PathStep")),
        "task": {"type": "string", "description": "the clause's heading, or its first sentence"}, "text": STRING,
        "agencies": _array(_ref("LedgerAgency")),
        **{role: {**STRINGS, "description": f"the names of the agencies given the role {label}, in the clause's order"}
           for role, label in LEDGER_ROLE_LABELS.items()},
        "ip_types": STRINGS, "deadlines": _array(_ref("Deadline")), "citation": STRING,
        "status": {"type": "string", "enum": ["", *STATUSES], "description": "the document's status on the day asked"},
        "exact": {**BOOLEAN, "description": "holds every word of the query; false: found by the search's ranked reading"},
        "permalink": {"type": "string", "description": "/clause/<clause_id>"},
    }, "One task: a clause that gives agencies work."),
    "LedgerPage": _object({
        "query": STRING,
        "filters": {"type": "object", "additionalProperties": STRINGS, "description": "the filters applied, by facet name"},
        "as_of": {"type": "string", "description": "the ISO day every status is given for"},
        "place": {**STRINGS, "description": "the place asked about, from the province down (empty: none)"},
        "ip_general": BOOLEAN,
        "total": {**COUNT, "description": "tasks in the whole result set"},
        "listed": {**COUNT, "description": "rows listed: at most the app's EXPORT_MAX_ROWS"},
        "truncated": BOOLEAN,
        "clauses": {**COUNT, "description": "clauses the search matched, tasks or not"},
        "exact_total": {**COUNT, "description": "the first this many rows hold every word of the query"},
        "documents": {**COUNT, "description": "documents of the rows listed"},
        "roles": _object({role: COUNT for role in ROLES}, "How many agencies the rows listed give each role."),
        "fields": _array(_object({"name": {"type": "string", "enum": list(LEDGER_FIELDS)},
                                  "label": {"type": "string", "enum": list(LEDGER_FIELDS.values())}})),
        "facets": _object({f.name: _array(_ref("FacetValue")) for f in FACETS},
                          "Task counts over the whole result set, each facet with the other facets' filters applied."),
        "rows": _array(_ref("LedgerRow")),
    }, "Every task of a search: the clauses giving agencies work, newest document first, in reading order."),
})
# The search's parameters that a ledger reads: no sort, pages, one-per-document or legal_terms.
LEDGER_PARAMETERS = [p for p in SEARCH_PARAMETERS
                     if p["name"] not in ("sort", "page", "per_page", "one_per_doc", "legal_terms")]
LEDGER_PATH = _get("Every task a search finds: the clauses giving agencies work, with each agency's role and time limit",
                   LEDGER_PARAMETERS, {"200": _ok("LedgerPage", "the tasks and their counts"),
                                       "400": _error("a query, filter, place or as_of day that can't be read")})


SCHEMAS.update({
    "Amount": _object({
        "text": {"type": "string", "description": "as written, with the bound words next to it: 最低不少于二千元, 1 万元, 百分之六十"},
        "value": {"type": "number", "description": "in yuan for money (0.5 万元 → 5000), in percent for a rate"},
        "unit": {"type": "string", "enum": ["元", "%"]},
        "per": {"type": "string", "description": "what it is counted per: 件, 项, 个, 家, 年 …; empty when nothing"},
        "cap": {**BOOLEAN, "description": "at most this much: 最高, 不超过, 以内, 以下, 上限"},
        "floor": {**BOOLEAN, "description": "at least this much: 最低, 不少于, 不低于, 以上"},
        "span": {**_array(COUNT), "minItems": 2, "maxItems": 2, "description": "[start, end) of text in the clause's text"},
    }, "A sum of money or a rate a clause grants."),
    "Measure": _object({
        "clause_id": STRING, "doc_id": STRING, "title": STRING, "doc_number": STRING, "label": STRING,
        "citation": STRING, "level": STRING, "region": STRINGS, "year": YEAR,
        "date": {"type": "string", "description": "ISO date, or empty"},
        "status": {"type": "string", "enum": ["", *STATUSES], "description": "the document's status on the day asked"},
        "kinds": {**STRINGS, "description": "资助, 奖励, 补贴, 补助, 贴息, 专项资金, 质押融资, 费用减免, 优先 (data/support.toml)"},
        "amounts": _array(_ref("Amount")),
        "beneficiaries": {**STRINGS, "description": "who qualifies: 企业, 中小企业, 高校, 科研院所, 个人, 权利人, 申请人, "
                                                    "服务机构, 项目, 单位"},
        "ip_targets": {**STRINGS, "description": "for which IP, as the clause names it: 发明专利, PCT, 驰名商标, 地理标志 …"},
        "ip_types": {**STRINGS, "description": "the clause's ip_type facet values"},
        "text": {"type": "string", "description": "the clause as written"},
        "readable": {**BOOLEAN, "description": "false: an amount-looking number in it could not be read (see unread)"},
        "unread": {**STRINGS, "description": "what looks like an amount but could not be read, as written"},
    }, "A clause that grants a benefit: what, how much, to whom, for which IP, with its place and status."),
    "SupportPage": _object({
        "measures": _array(_ref("Measure")),
        "total": {**COUNT, "description": "measures found; more than listed when limit cut the list"},
        "place": {**STRINGS, "description": "the place asked about, from the province down (empty: none)"},
        "truncated": BOOLEAN, "sort": {"type": "string", "enum": list(SUPPORT_SORTS)}, "q": STRING,
        "ip_type": STRINGS, "ip_general": BOOLEAN,
        "as_of": {"type": "string", "description": "the ISO day every status is given for"},
        "candidates": {**COUNT, "description": "clauses the search found and read"},
        "ip_type_options": {**STRINGS, "description": "the IP types the candidates carry, for a form's choices"},
    }, "The support measures that apply in a place: its own, its province's and the national ones."),
})
SUPPORT_PARAMETERS = [
    _query("place", {"type": "string", "maxLength": 40},
           "what applies in a place (三门峡, 罗山县): its documents, those of every level above it, national ones"),
    _query("ip_type", _array(STRING), "知识产权类型 (ip_type facet values): repeat for OR", explode=True),
    _query("ip_general", BOOLEAN, "let ip_type take the clauses on IP as a whole (综合) too; default false"),
    _query("q", {"type": "string", "maxLength": settings.MAX_QUERY_CHARS},
           "only measures whose clause holds these words too"),
    _query("sort", {"type": "string", "enum": list(SUPPORT_SORTS)},
           "relevance (default); amount: the largest sum first, then rates, no amount, an unreadable one; "
           "date: newest first"),
    _query("limit", {"type": "integer", "minimum": 1}, "list at most this many (capped at the export limit)"),
    AS_OF,
]
SUPPORT_PATH = _get("Support measures (资助, 奖励, 补贴, 贴息, 质押融资 …) that apply in a place, with their amounts",
                    SUPPORT_PARAMETERS, {
                        "200": _ok("SupportPage", "the measures, sorted"),
                        "400": _error("an unknown place or sort, an ip_general that is no flag, a limit that is no "
                                      "whole number, a query or as_of day that can't be read"),
                    })


SEARCH_RESPONSES = {
    "200": _ok("SearchPage", "one page of hits and the facet counts of the whole result set"),
    "400": _error("a query or filter that can't be read, an unknown sort, a page that is no number, "
                  f"a text over {settings.MAX_PASSAGE_CHARS} characters"),
}


SPAN = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 2, "maxItems": 2,
        "description": "[start, end) offsets into the text, as written"}
SCHEMAS.update({
    "CompareMatch": _object({
        **HIT_PROPERTIES,
        "similarity": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "the share of both texts standing in wording both hold, rarer wording weighing "
                                      "more, who does the task left out; the same either way round (score says it too)"},
        "phrases": {**STRINGS, "description": "the phrases both texts hold, normalized, in the compared text's order"},
        "key_phrases": {**STRINGS, "description": "the rarest of them, heaviest first (at most 8)"},
        "marks": {**_array(SPAN), "description": "where the shared wording stands in this clause's text"},
        "origin_marks": {**_array(SPAN), "description": "… and in the text compared"},
        "leads": {**_array(_ref("Agency")), "description": "who leads the task, else who is responsible"},
        "lead_role": {"type": "string", "enum": ["", *LEAD_ROLES], "description": "empty when it names no one"},
    }, "A task of another document, the wording it shares with the text compared, and who leads it."),
    "ComparePage": _object({
        "clause": {**_nullable(_object(HIT_PROPERTIES)), "description": "the clause compared; null for a pasted text"},
        "text": STRING, "words": {**STRINGS, "description": "the key words that found the candidates"},
        "total": COUNT, "weighed": {**COUNT, "description": "candidate clauses whose wording was compared"},
        "tasks_only": BOOLEAN,
        "places": _array(_object({"name": {"type": "string", "description": "河南省三门峡市; 全国 for national documents"},
                                  "region": STRINGS, "matches": _array(_ref("CompareMatch"))})),
    }, "How the tasks of other documents word what a clause (or a pasted paragraph) says, by place."),
})
COMPARE_LIMIT = _query("limit", {"type": "integer"},
                       f"default {settings.SIMILAR_DEFAULT}; clamped to 1–{settings.SIMILAR_MAX}")
TASKS_ONLY = _query("tasks_only", BOOLEAN, "only tasks that name who does them; default false: policy measures too")
PASTED = [_query("text", {"type": "string", "minLength": 1, "maxLength": settings.MAX_PASSAGE_CHARS},
                 "the paragraph to compare"), COMPARE_LIMIT, TASKS_ONLY]


def _search() -> dict:
    """Return /api/search: a GET of the search page's parameters, or a POST of them as a form."""
    out = _get("Search clauses (the parameters of the search page /)", SEARCH_PARAMETERS, SEARCH_RESPONSES)
    out["post"] = {
        "summary": "Search clauses with the parameters as a form: for a passage too long for a URL",
        "requestBody": _form(SEARCH_PARAMETERS),
        "responses": {**SEARCH_RESPONSES, "413": BODY_TOO_LARGE, "415": NOT_A_FORM, "503": UNAVAILABLE},
    }
    return out


def document() -> dict:
    """Return the OpenAPI document of the JSON API."""
    q_marks = _query("q", {"type": "string", "maxLength": settings.MAX_QUERY_CHARS}, "mark this query's words")
    return {
        "openapi": "3.0.3",
        "info": {"title": "知识产权政策检索 · IP policy search API", "version": "1",
                 "description": "Clause-level search over Chinese IP laws and policies. Every response is JSON; "
                                "every error is {\"error\": message in Chinese, \"code\": stable English code, "
                                "\"status\": HTTP status}."},
        "paths": {
            "/api/search": _search(),
            "/api/doc/{doc_id}": _get("A whole document: metadata, relations, table of contents, every clause",
                                      [_path("doc_id", DOC_ID, "10 hexadecimal characters"), q_marks, AS_OF], {
                "200": _ok("DocumentPage", "the document"),
                "400": _error("a ?q= or as_of that can't be read"),
                "404": _error("no such document"),
            }),
            "/api/doc/{doc_id}/relations": _get(
                "A document's status, versions, history, what it rests on and what cites it",
                [_path("doc_id", DOC_ID, "10 hexadecimal characters"), AS_OF], {
                    "200": _ok("Relations", "the document's relations"),
                    "400": _error("an as_of day that can't be read"),
                    "404": _error("no such document"),
                }),
            "/api/doc/{old_id}/diff/{new_id}": _get(
                "Two versions of an act compared article by article (新旧对照)",
                [_path("old_id", DOC_ID, "the older version"), _path("new_id", DOC_ID, "the newer version")], {
                    "200": _ok("DiffPage", "the articles added, removed, renumbered and changed"),
                    "400": _error("the two are not versions of one act, or too long to compare"),
                    "404": _error("no such document"),
                }),
            "/api/clause/{clause_id}": _get("One clause", [_path("clause_id", CLAUSE_ID, "e.g. 2797ba83d9-p2.s8")], {
                "200": _ok("ClausePage", "the clause"),
                "404": _error("no such clause"),
            }),
            "/api/clause/{clause_id}/compare": _get(
                "How other places' documents word a clause's task, by place, with who leads each",
                [_path("clause_id", CLAUSE_ID, "e.g. 759e9eb900-p3.s2.i30"), COMPARE_LIMIT, TASKS_ONLY], {
                    "200": _ok("ComparePage", "the clause and the tasks worded like it"),
                    "400": _error("a limit that is no whole number, a tasks_only that is not 1 or 0"),
                    "404": _error("no such clause")}),
            "/api/compare": {"post": {
                "summary": "How the collection's tasks word a pasted paragraph (a form)",
                "requestBody": {**_form(PASTED), "required": True},
                "responses": {"200": _ok("ComparePage", "the tasks worded like the paragraph"),
                              "400": _error(f"an empty text (empty_text), one over {settings.MAX_PASSAGE_CHARS} "
                                            f"characters (text_too_long), a bad limit or tasks_only"),
                              "413": BODY_TOO_LARGE, "415": NOT_A_FORM, "503": UNAVAILABLE}}},
            "/api/clause/{clause_id}/similar": _get(
                "A clause and the most similar clauses of other documents",
                [_path("clause_id", CLAUSE_ID, "e.g. 2797ba83d9-p2.s8"),
                 _query("limit", {"type": "integer"}, f"default {settings.SIMILAR_DEFAULT}; clamped to 1–{settings.SIMILAR_MAX}")], {
                    "200": _ok("SimilarPage", "the clause and its similar clauses"),
                    "400": _error("a limit that is no whole number"),
                    "404": _error("no such clause"),
                }),
            "/api/ledger": LEDGER_PATH,
            "/api/support": SUPPORT_PATH,
            "/api/agencies": _get("The agency directory by family, each agency with its clauses in the index", [], {
                "200": _ok("AgencyDirectory", "the directory"),
            }),
            "/api/agency/{name}": _get(
                "Every clause giving an agency a task, by document, with its counts",
                [_path("name", {"type": "string", "minLength": 1}, "e.g. 知识产权局, 市场监管局, 省发改委"),
                 _query("region", _array(STRING), "only documents of this region (河南省): repeat for OR", explode=True),
                 _query("level", _array({"type": "string", "enum": list(directory().levels)}),
                        "only documents of this level: repeat for OR", explode=True)], {
                    "200": _ok("AgencyPage", "the agency's clauses"),
                    "400": _error("a level other than 国家、省、市、县, or too many values"),
                    "404": _error("no clause gives the agency a task; the message names the nearest agencies that have tasks"),
                }),
            "/healthz": _get("Whether the index opens and reads undamaged, and which generation is served", [], {
                "200": _ok("Health", "the index is served"),
            }),
        },
        "components": {"schemas": SCHEMAS},
    }
