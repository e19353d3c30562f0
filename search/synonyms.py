"""Query-time synonyms: a query word → the words a clause may write instead.

The groups are data in ``search/data/synonyms.toml`` (its header explains the two relations
and the 2018 agency reform); the index never holds synonyms, so editing them needs no rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from search.analysis import normalize
from search.datafiles import read_data_toml
from search.errors import SynonymDataError
from search.text.agencies import canonical_agency
from search.settings import DATA_DIR

__all__ = ["Synonyms", "expand", "expand_agency", "load_synonyms", "SYNONYMS_PATH"]

SYNONYMS_PATH = DATA_DIR / "synonyms.toml"


@dataclass(frozen=True)
class Synonyms:
    """Equivalence classes (term → its group, in file order) and one-way widenings."""

    groups: dict[str, tuple[str, ...]]
    widens: dict[str, tuple[str, ...]]

    def expand(self, word: str) -> tuple[str, ...]:
        """Return word, its equivalents, then what any of them widens to (with equivalents)."""
        word = normalize(word)
        out = [word, *self.groups.get(word, ())]
        for term in list(out):
            for target in self.widens.get(term, ()):
                out += [target, *self.groups.get(target, ())]
        return tuple(dict.fromkeys(out))  # first occurrence wins: word first


def _terms(path: Path, value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise SynonymDataError(path, f"{where} must be a non-empty list of non-empty strings")
    terms = tuple(normalize(v) for v in value)
    if len(set(terms)) != len(terms):
        raise SynonymDataError(path, f"{where} lists a term twice: {list(terms)}")
    return terms


def load_synonyms(path: Path = SYNONYMS_PATH) -> Synonyms:
    """Read and check a synonym file (see the header of ``search/data/synonyms.toml``)."""
    data = read_data_toml(path, SynonymDataError)
    unknown = set(data) - {"equivalent", "widens"}
    if unknown:
        raise SynonymDataError(path, f"unknown tables {sorted(unknown)}; expected [[equivalent]] and [[widens]]")
    groups: dict[str, tuple[str, ...]] = {}
    for n, entry in enumerate(data.get("equivalent", []), start=1):
        terms = _terms(path, entry.get("terms"), f"equivalent #{n} terms")
        if len(terms) < 2:
            raise SynonymDataError(path, f"equivalent #{n} needs at least two terms")
        for term in terms:
            if term in groups:
                raise SynonymDataError(path, f"{term!r} is in two [[equivalent]] groups")
            groups[term] = tuple(t for t in terms if t != term)
    widens: dict[str, tuple[str, ...]] = {}
    for n, entry in enumerate(data.get("widens", []), start=1):
        source = entry.get("from")
        if not isinstance(source, str) or not source.strip():
            raise SynonymDataError(path, f"widens #{n} needs a non-empty 'from' string")
        source = normalize(source)
        if source in widens:
            raise SynonymDataError(path, f"{source!r} is the 'from' of two [[widens]]; merge them")
        targets = _terms(path, entry.get("to"), f"widens #{n} to")
        if source in targets:
            raise SynonymDataError(path, f"widens #{n}: {source!r} widens to itself")
        widens[source] = targets
    return Synonyms(groups, widens)


@cache
def _synonyms() -> Synonyms:
    return load_synonyms()


def expand(word: str) -> tuple[str, ...]:
    """Return the normalized word first, then every term a clause may write for it.

    >>> expand("版权")
    ('版权', '著作权')
    """
    return _synonyms().expand(word)


def expand_agency(canonical: str) -> tuple[str, ...]:
    """Return the agency facet values a filter on ``canonical`` should include, it first.

    Names are folded with :func:`search.text.agencies.canonical_agency`, so the result holds
    facet values: 工商行政管理局 → ('工商行政管理局', '市场监督管理局').
    """
    start = canonical_agency(canonical)
    return tuple(dict.fromkeys(canonical_agency(term) for term in expand(start)))
