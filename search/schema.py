"""The Whoosh schema: one index document per searchable clause, written by ``search.build``, and what else fixes its contents.

Whoosh pickles this schema (analyzers included) into every index, so a change here means a
``SCHEMA_VERSION`` bump: ``open_index`` then refuses the old index and asks for a rebuild. The
data files that shape what a clause is indexed with are fingerprinted into every index the same way.
"""
from __future__ import annotations

import hashlib

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from search import settings
from search.analysis import jieba, make_analyzer, make_gram_analyzer  # jieba: imported there without its warning
from search.facetspec import FACETS, FacetSpec

# 7: citations and the 文号 a clause cites are searchable; a title weighs what a heading does.
# 8: a generation holds its documents' records and graph (versions, validity, references); a law a
#    higher body approved (批准) is issued by the body that passed it.
SCHEMA_VERSION = 8

# The files of search/data/ that decide what an index holds: the segmenter's dictionary and stop
# words, and the vocabularies ingestion tags and files clauses by. synonyms.toml is read by
# queries only, so editing it needs no rebuild.
INDEX_DATA_FILES = ("userdict.txt", "stopwords.txt", "taxonomy.toml", "agencies.toml", "doctypes.toml",
                    "organs.toml", "regions.tsv")


def data_fingerprints() -> dict[str, str]:
    """Return jieba's version and the sha256 (first 16 hex digits) of each file in INDEX_DATA_FILES."""
    prints = {"jieba": jieba.__version__}
    for name in INDEX_DATA_FILES:
        prints[name] = hashlib.sha256((settings.DATA_DIR / name).read_bytes()).hexdigest()[:16]
    return prints


def _facet(spec: FacetSpec) -> KEYWORD | ID | NUMERIC:
    """Build the index field of a facet of the spec: multi-valued, numeric or one text value."""
    if spec.numeric:
        return NUMERIC(int, stored=True, sortable=True)
    if spec.multi:
        # Comma-separated canonical names, case kept. Count these with FieldFacet(name,
        # allow_overlap=True): without it Whoosh files each clause under one of its values at
        # random (STYLE.md trap 3).
        return KEYWORD(commas=True, stored=True, lowercase=False, scorable=False)
    return ID(stored=True)


SCHEMA = Schema(
    # identity and provenance
    clause_id=ID(stored=True, unique=True),
    doc_id=ID(stored=True),
    source=ID(stored=True),  # path relative to the source folder; incremental builds key on it
    sha256=ID(stored=True),  # of the source file's bytes
    sidecar_sha256=ID(stored=True),  # of its .meta.json sidecar, absent when there is none
    position=NUMERIC(int, stored=True, sortable=True),
    # ranked text: jieba words
    # A title is shared by every clause of its document, so a word only there must not outrank
    # a clause that says it (at 3.0, 驰名商标 ranked a clause matching only by its title first).
    title=TEXT(analyzer=make_analyzer(), stored=True, field_boost=1.0),
    heading=TEXT(analyzer=make_analyzer(), stored=True, field_boost=1.5),
    text=TEXT(analyzer=make_analyzer(), stored=True),  # an article's text includes its 项
    # exact phrases: character bigrams of the normalized heading + text
    grams=TEXT(analyzer=make_gram_analyzer(), phrase=True),
    # shown, not searched
    label=STORED(),
    kind=STORED(),
    path=STORED(),  # JSON list of {"label", "heading"}, outermost first
    paragraphs=STORED(),  # JSON list of the lines that make up ``text``
    agencies_json=STORED(),  # JSON list of {"name", "canonical", "role"}
    # facets and filters: one field per entry of the facet spec
    **{spec.field: _facet(spec) for spec in FACETS},
    date=ID(stored=True, sortable=True),  # ISO dates sort as strings
    published=STORED(),  # ISO date published, when the document says
    effective=STORED(),  # ISO date in force (施行), when the document says
    doc_number=ID(stored=True),  # 文号 as written
    doc_number_norm=ID(),  # normalize_doc_number's form, so every typed variant finds it
    # a law by name and article: 专利法第二十条
    law_names=KEYWORD(commas=True, lowercase=False, scorable=True),  # normalized title and short title
    article=NUMERIC(int),  # the article number of a law article unit
    citation=STORED(),  # how Chinese legal writing cites the unit
    # the unit's citation and its 款' (citation.citation_key), so a pasted citation finds its clause
    citation_keys=KEYWORD(commas=True, lowercase=False, scorable=False),
    cited_doc_numbers=KEYWORD(commas=True, lowercase=False, scorable=False),  # 文号 its text cites, canonical
    paragraph_citations=STORED(),  # JSON list of [citation, text] for each 款 of a multi-paragraph article
)
