"""The fixed query set: ``bench/queries.txt`` lines → (query, filters), and the query as each baseline runs it.

Both baselines start from the project's own ``parse_query`` and synonym expansion, so they ask
for what ``search.searching`` asks for:

* a word matches a jieba word of title, heading or text, or the phrase of its dictionary pieces
  there (``analysis.subwords``; with older library code: its characters in a row on ``chars``);
* a quoted phrase matches the characters in a row; a 文号 matches the normalized 文号;
  ``专利法第二十条`` matches that law's article 20; ``-word`` excludes; ``a OR b`` widens.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from search import analysis
from search.analysis import normalize, segment
from search.query import ParsedQuery, parse_query
from search.synonyms import expand


@dataclass(frozen=True)
class BenchQuery:
    line: str  # as written in queries.txt
    q: str
    filters: dict[str, list[str]]


def read_queries(path: Path) -> list[BenchQuery]:
    """Read ``q | name=v1,v2 name=v`` lines; blank lines and ``#`` lines are skipped."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        q, _, spec = line.partition(" | ")
        filters: dict[str, list[str]] = {}
        for item in spec.split():
            name, sep, values = item.partition("=")
            if not sep or not values:
                raise ValueError(f"{path}: bad filter {item!r} in line {line!r} (write name=value)")
            filters[name] = values.split(",")
        out.append(BenchQuery(line=line, q=q.strip(), filters=filters))
    return out


def chars(text: str) -> list[str]:
    """Return FTS5's one-character tokens of ``text``: its normalized characters but spaces."""
    return [c for c in normalize(text) if c.strip()]


# -- SQLite FTS5 --------------------------------------------------------------------------


def _fts_string(tokens: list[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


# How ``searching._word_query`` matches a word besides its jieba term: the library changed this
# (a phrase of the word's dictionary pieces since ``analysis.subwords``; before, its characters).
SUBWORDS = getattr(analysis, "subwords", None)


def _fts_word(word: str) -> str:
    alternatives = []
    for form in expand(word):
        alternatives.append("{title heading text} : " + _fts_string([form]))
        if SUBWORDS is not None:
            pieces = SUBWORDS(form)
            if pieces:
                alternatives.append("{title heading text} : " + _fts_string(pieces))
        elif chars(form):
            alternatives.append("chars : " + _fts_string(chars(form)))
    return "(" + " OR ".join(alternatives) + ")"


def _fts_phrase(text: str) -> str | None:
    tokens = chars(text)
    return "chars : " + _fts_string(tokens) if tokens else None


def fts_match(parsed: ParsedQuery) -> tuple[str | None, list[str], list]:
    """Return the FTS5 MATCH expression (None: no text part), and SQL conditions on table ``c``."""
    parts = [_fts_word(w) for w in parsed.required]
    for group in parsed.any_of:
        alternatives = []
        for alternative in group:
            pieces = segment(alternative) or [alternative]
            alternatives.append("(" + " AND ".join(_fts_word(p) for p in pieces) + ")")
        parts.append("(" + " OR ".join(alternatives) + ")")
    parts += [p for p in map(_fts_phrase, parsed.phrases) if p]
    conditions: list[str] = []
    params: list = []
    if parsed.doc_numbers:
        conditions.append(f"c.doc_number_norm IN ({','.join('?' * len(parsed.doc_numbers))})")
        params += list(parsed.doc_numbers)
    if parsed.article is not None and parsed.law_name:
        conditions.append("c.article = ? AND c.rowid IN (SELECT cid FROM law WHERE name = ?)")
        params += [parsed.article, parsed.law_name]
    # As searching does: an excluded word is excluded wherever its characters stand.
    negatives = [p for p in map(_fts_phrase, (*parsed.excluded, *parsed.excluded_phrases)) if p]
    match = " AND ".join(parts) if parts else None
    if negatives:
        if match is None:  # FTS5's NOT is binary; a negation alone goes to SQL
            conditions.append("c.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(" OR ".join(negatives))
        else:
            match = f"({match}) NOT ({' OR '.join(negatives)})"
    # A bare law name (专利法 实施) only boosts that law's clauses in ours: no condition here.
    return match, conditions, params


# -- brute-force scan ---------------------------------------------------------------------


def scan_predicate(parsed: ParsedQuery):
    """Return ``f(text, title_words, unit) -> bool``: ``text`` is the normalized heading + text.

    A word matches a title word or a substring of the text: grep's answer, which finds a little
    more than jieba words do (hit totals may differ from ours and FTS5; the run lists them).
    """
    required = [[normalize(f) for f in expand(w)] for w in parsed.required]
    groups = [[[[normalize(f) for f in expand(p)] for p in (segment(a) or [a])] for a in group]
              for group in parsed.any_of]
    phrases = [normalize(p) for p in parsed.phrases]
    excluded = [[normalize(f) for f in expand(w)] for w in parsed.excluded]
    excluded_phrases = [normalize(p) for p in parsed.excluded_phrases]
    doc_numbers = set(parsed.doc_numbers)
    article = parsed.article if parsed.law_name else None
    law = parsed.law_name

    def has(forms, text, words):
        return any(f in text or f in words for f in forms)

    def matches(text: str, words: frozenset, unit: dict) -> bool:
        if doc_numbers and unit["doc_number_norm"] not in doc_numbers:
            return False
        if article is not None and (unit["article"] != article or law not in unit["law_names"]):
            return False
        if not all(has(forms, text, words) for forms in required):
            return False
        if not all(p in text for p in phrases):
            return False
        for group in groups:
            if not any(all(has(forms, text, words) for forms in alt) for alt in group):
                return False
        return not (any(has(forms, text, words) for forms in excluded) or any(p in text for p in excluded_phrases))

    return matches


def parse(q: str) -> ParsedQuery:
    return parse_query(q)


# -- tantivy --------------------------------------------------------------------------------


def tantivy_query(parsed: ParsedQuery, schema):
    """Return the tantivy query of what ``fts_match`` asks of FTS5: the same words, phrases, 文号 and articles."""
    import tantivy

    Q, must, should, must_not = tantivy.Query, tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot

    def any_of(queries):
        return queries[0] if len(queries) == 1 else Q.boolean_query([(should, q) for q in queries])

    def word(text: str):
        alternatives = []
        for form in expand(text):
            pieces = SUBWORDS(form) if SUBWORDS is not None else None
            for field in ("title", "heading", "text"):
                alternatives.append(Q.term_query(schema, field, form))
                if pieces:
                    alternatives.append(Q.phrase_query(schema, field, pieces))
        return any_of(alternatives)

    def phrase(text: str):
        tokens = chars(text)
        if not tokens:
            return None
        return Q.term_query(schema, "chars", tokens[0]) if len(tokens) == 1 else Q.phrase_query(schema, "chars", tokens)

    parts = [word(w) for w in parsed.required]
    for group in parsed.any_of:
        alternatives = []
        for alternative in group:
            pieces = [word(p) for p in (segment(alternative) or [alternative])]
            alternatives.append(pieces[0] if len(pieces) == 1 else Q.boolean_query([(must, p) for p in pieces]))
        parts.append(any_of(alternatives))
    parts += [p for p in map(phrase, parsed.phrases) if p is not None]
    if parsed.doc_numbers:
        parts.append(any_of([Q.term_query(schema, "doc_number_norm", n) for n in parsed.doc_numbers]))
    if parsed.article is not None and parsed.law_name:
        parts += [Q.term_query(schema, "article", parsed.article), Q.term_query(schema, "law", parsed.law_name)]
    negatives = [p for p in map(phrase, (*parsed.excluded, *parsed.excluded_phrases)) if p is not None]
    if not parts and not negatives:
        return None  # browse: every clause
    clauses = [(must, p) for p in parts] or [(must, Q.all_query())]
    return Q.boolean_query(clauses + [(must_not, n) for n in negatives])
