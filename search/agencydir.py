"""The agency directory: each agency's levels, family, aliases and 2018-reform history (data/agency_directory.toml).

Pure data and look-ups for the query side: the web's /agencies list and agency pages read it; the
index never does, so editing the file needs no rebuild.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from .datafiles import read_data_toml
from .errors import DataFileError
from .settings import DATA_DIR
from .text.agencies import WHITESPACE, canonical_agency

__all__ = ["DIRECTORY_PATH", "Directory", "DirectoryDataError", "Entry", "directory", "entries", "load_directory",
           "lookup"]

DIRECTORY_PATH = DATA_DIR / "agency_directory.toml"
ENTRY_KEYS = {"family", "levels", "aliases", "since", "until", "successors", "under", "note", "source"}


class DirectoryDataError(DataFileError):
    """The directory file is missing, not TOML, or inconsistent; the message names the file and the entry."""


@dataclass(frozen=True)
class Entry:
    """One agency of the directory, under the name clauses are filed by (the agency facet's value)."""

    canonical: str
    family: str  # 财政 for 财政部, 财政厅 and 财政局
    levels: tuple[str, ...]  # of 国家 / 省 / 市 / 县, in that order
    aliases: tuple[str, ...] = ()  # 发改委 for 发展改革委
    since: int | None = None  # the year it was set up, when the directory knows it
    until: int | None = None  # the year it was abolished; None while it exists
    successors: tuple[str, ...] = ()  # where its duties went (工商行政管理局 → 市场监督管理局)
    former: tuple[str, ...] = ()  # the entries whose successor it is (read from theirs)
    under: tuple[str, ...] = ()  # who manages it while it stays an organ of its own
    note: str = ""
    source: str = ""  # the reform plan(s) since / until / successors / under come from

    @property
    def current(self) -> bool:
        return self.until is None

    def to_dict(self) -> dict:
        return {"canonical": self.canonical, "family": self.family, "levels": list(self.levels),
                "aliases": list(self.aliases), "since": self.since, "until": self.until,
                "successors": list(self.successors), "former": list(self.former), "under": list(self.under),
                "current": self.current, "note": self.note, "source": self.source}


@dataclass(frozen=True)
class Directory:
    """Every entry in file order, the level order, and what a look-up needs."""

    levels: tuple[str, ...]
    by_name: dict[str, Entry]  # canonical → entry, in file order
    endings: tuple[str, ...]  # organ endings, longest first: 委员会 … 局
    fuzzy_limit: int = 5
    fuzzy_min_score: int = 60
    _aliases: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # alias → canonical

    def entries(self) -> tuple[Entry, ...]:
        """Return every entry, in the file's order."""
        return tuple(self.by_name.values())

    def families(self) -> list[tuple[str, tuple[Entry, ...]]]:
        """Return each family with its entries: families in file order, entries from 国家 down, current first."""
        grouped: dict[str, list[Entry]] = {}
        for entry in self.by_name.values():
            grouped.setdefault(entry.family, []).append(entry)
        return [(family, tuple(sorted(members, key=self._level_key))) for family, members in grouped.items()]

    def get(self, canonical: str) -> Entry | None:
        return self.by_name.get(canonical)

    def find(self, name: str) -> Entry | None:
        """Return the entry a name means: its canonical name or an alias, with or without a place before it.

        >>> directory().find("河南省发改委").canonical
        '发展改革委'
        """
        name = WHITESPACE.sub("", name)
        for candidate in (name, canonical_agency(name)):
            canonical = candidate if candidate in self.by_name else self._aliases.get(candidate)
            if canonical:
                return self.by_name[canonical]
        return None

    def lookup(self, name: str) -> list[Entry]:
        """Return the entries a name may mean, the nearest first.

        A name with an entry gives that entry, then where its duties went (down the chain of
        reforms), then the rest of its family, nearest level first: 财政局 → 财政局, 财政厅, 财政部.
        A name without one gives the family its stem names (财政委 → the 财政 family), else the
        entries whose names resemble it most; [] when nothing does.
        """
        entry = self.find(name)
        if entry:
            chain = self.successors_of(entry)
            family = [e for e in self.by_name.values() if e.family == entry.family and e is not entry]
            family.sort(key=lambda e: (self._distance(entry, e), not e.current, self._level_key(e)))
            return list(dict.fromkeys([entry, *chain, *family]))
        stem = self._stem(canonical_agency(WHITESPACE.sub("", name)))
        if stem:
            family = [e for e in self.by_name.values() if e.family == stem or self._stem(e.canonical) == stem]
            if family:
                return sorted(family, key=lambda e: (not e.current, self._level_key(e)))
        return self._resembling(name)

    def level_label(self, entry: Entry) -> str:
        """Return where an entry exists, as the pages say it: 省, 市、县, 国家（至2018年）."""
        levels = "、".join(entry.levels)
        return f"{levels}，至{entry.until}年" if entry.until else levels

    # -- helpers ---------------------------------------------------------------------------------

    def _level_key(self, entry: Entry) -> tuple[int, bool]:
        return min(self.levels.index(level) for level in entry.levels), not entry.current

    def _distance(self, a: Entry, b: Entry) -> int:
        """How many levels apart two entries are at their nearest (财政局 and 财政厅: 1)."""
        return min(abs(self.levels.index(x) - self.levels.index(y)) for x in a.levels for y in b.levels)

    def successors_of(self, entry: Entry) -> list[Entry]:
        """Return where an entry's duties went, down the chain of reforms: 卫生厅 → 卫生计生委, 卫生健康委."""
        out, todo = [], list(entry.successors)
        while todo:  # breadth first: 卫生厅 → 卫生计生委 → 卫生健康委
            successor = self.by_name[todo.pop(0)]
            if successor is not entry and successor not in out:
                out.append(successor)
                todo += successor.successors
        return out

    def _stem(self, name: str) -> str:
        ending = next((e for e in self.endings if name.endswith(e) and len(name) > len(e)), "")
        return name[:len(name) - len(ending)] if ending else name

    def _resembling(self, name: str) -> list[Entry]:
        choices = {n: canonical for canonical, entry in self.by_name.items() for n in (canonical, *entry.aliases)}
        found = process.extract(WHITESPACE.sub("", name), list(choices), scorer=fuzz.ratio,
                                score_cutoff=self.fuzzy_min_score, limit=self.fuzzy_limit * 3)
        return list(dict.fromkeys(self.by_name[choices[match]] for match, _score, _i in found))[:self.fuzzy_limit]


def _strings(path: Path, value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DirectoryDataError(path, f"{where} must be a list of non-empty strings")
    return tuple(value)


def _year(path: Path, value: object, where: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 1949 <= value <= 2100:
        raise DirectoryDataError(path, f"{where} must be a year such as 2018")
    return value


def _entry(path: Path, name: str, data: object, levels: tuple[str, ...]) -> Entry:
    where = f"agency.{name}"
    if not isinstance(data, dict):
        raise DirectoryDataError(path, f"{where} must be a table")
    unknown = set(data) - ENTRY_KEYS
    if unknown:
        raise DirectoryDataError(path, f"{where}: unknown keys {sorted(unknown)}; expected {sorted(ENTRY_KEYS)}")
    family = data.get("family")
    if not isinstance(family, str) or not family.strip():
        raise DirectoryDataError(path, f"{where} needs a family")
    own_levels = _strings(path, data.get("levels"), f"{where}.levels")
    if not own_levels or any(level not in levels for level in own_levels):
        raise DirectoryDataError(path, f"{where}.levels must be some of {list(levels)}")
    for key in ("note", "source"):
        if not isinstance(data.get(key, ""), str):
            raise DirectoryDataError(path, f"{where}.{key} must be a string")
    entry = Entry(canonical=name, family=family, levels=tuple(sorted(own_levels, key=levels.index)),
                  aliases=_strings(path, data.get("aliases", []), f"{where}.aliases"),
                  since=_year(path, data.get("since"), f"{where}.since"),
                  until=_year(path, data.get("until"), f"{where}.until"),
                  successors=_strings(path, data.get("successors", []), f"{where}.successors"),
                  under=_strings(path, data.get("under", []), f"{where}.under"),
                  note=data.get("note", ""), source=data.get("source", ""))
    if entry.successors and not entry.until:
        raise DirectoryDataError(path, f"{where}: successors need the year it was abolished (until)")
    if entry.until and not (entry.successors or entry.note):
        raise DirectoryDataError(path, f"{where}: an abolished agency needs its successors, or a note saying why none")
    if (entry.since or entry.until or entry.successors or entry.under) and not entry.source:
        raise DirectoryDataError(path, f"{where}: since, until, successors and under need a source")
    return entry


def load_directory(path: Path = DIRECTORY_PATH) -> Directory:
    """Read and check an agency directory (see the header of ``search/data/agency_directory.toml``)."""
    data = read_data_toml(path, DirectoryDataError)
    levels = _strings(path, data.get("levels"), "levels")
    settings = data.get("lookup", {})
    endings = _strings(path, settings.get("endings"), "lookup.endings")
    raw = data.get("agency")
    if not isinstance(raw, dict) or not raw:
        raise DirectoryDataError(path, "needs [agency.NAME] tables")
    by_name = {name: _entry(path, name, value, levels) for name, value in raw.items()}
    aliases: dict[str, str] = {}
    former: dict[str, list[str]] = {}
    for entry in by_name.values():
        for alias in entry.aliases:
            if alias in by_name or aliases.get(alias, entry.canonical) != entry.canonical:
                raise DirectoryDataError(path, f"alias {alias!r} of {entry.canonical!r} names another entry too")
            aliases[alias] = entry.canonical
        for other in (*entry.successors, *entry.under):
            if other not in by_name or other == entry.canonical:
                raise DirectoryDataError(path, f"agency.{entry.canonical}: {other!r} is not another entry")
        for successor in entry.successors:
            former.setdefault(successor, []).append(entry.canonical)
    by_name = {name: replace(entry, former=tuple(former.get(name, ()))) for name, entry in by_name.items()}
    return Directory(levels=levels, by_name=by_name, endings=tuple(sorted(endings, key=len, reverse=True)),
                     fuzzy_limit=int(settings.get("fuzzy_limit", 5)),
                     fuzzy_min_score=int(settings.get("fuzzy_min_score", 60)), _aliases=aliases)


@cache
def directory() -> Directory:
    return load_directory()


def lookup(name: str) -> list[Entry]:
    """Return the directory entries a name may mean, the nearest first (see :meth:`Directory.lookup`).

    >>> [e.canonical for e in lookup("财政局")]
    ['财政局', '财政厅', '财政部']
    """
    return directory().lookup(name)


def entries() -> tuple[Entry, ...]:
    """Return every entry of the directory, in its file's order."""
    return directory().entries()
