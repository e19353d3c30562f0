"""Everyday words → legal words: the terms a lawyer would also search for a user's words (盗版 → 侵犯著作权 …).

The table is data, ``search/data/everyday.toml`` (its header gives the rules); ``searching`` adds
the terms, weighted below the user's own words, to the ranked reading of a query.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from search.analysis import normalize, segment
from search.errors import SearchError
from search.settings import DATA_DIR

__all__ = ["EVERYDAY_PATH", "EverydayDataError", "Expansion", "expansions", "load_everyday"]

EVERYDAY_PATH = DATA_DIR / "everyday.toml"


class EverydayDataError(SearchError):
    """search/data/everyday.toml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Expansion:
    say: tuple[str, ...]  # normalized
    means: tuple[str, ...]  # normalized


def load_everyday(path: Path = EVERYDAY_PATH) -> tuple[Expansion, ...]:
    """Read and check the table: every entry has non-empty lists of searchable strings."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    entries = data.get("expand")
    if not isinstance(entries, list) or not entries:
        raise EverydayDataError(f"{path}: no [[expand]] entries")
    out = []
    for n, entry in enumerate(entries, start=1):
        lists = [entry.get(key) if isinstance(entry, dict) else None for key in ("say", "means")]
        if not all(isinstance(v, list) and v and all(isinstance(t, str) and t.strip() for t in v) for v in lists):
            raise EverydayDataError(f"{path}: entry {n} needs `say` and `means`, each a list of non-empty strings")
        say, means = (tuple(normalize(t) for t in v) for v in lists)
        unsearchable = [t for t in means if not segment(t)]
        if unsearchable:
            raise EverydayDataError(f"{path}: entry {n}: {unsearchable} hold no searchable word")
        out.append(Expansion(say, means))
    return tuple(out)


@cache
def _table() -> tuple[Expansion, ...]:
    return load_everyday()


def expansions(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Return the legal terms for what ``text`` (a query; ``words`` its jieba words) says, in table order.

    Terms among ``words`` are left out: they are searched already.
    """
    folded = normalize(text)
    found: list[str] = []
    for entry in _table():
        if any((say in folded) if len(say) > 1 else (say in words) for say in entry.say):
            found += entry.means
    return tuple(t for t in dict.fromkeys(found) if t not in words)
