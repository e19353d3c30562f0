"""Ranking beside BM25F: a factor per clause for what the score cannot see (its 效力级别).

The weights are data, ``search/data/ranking.toml``; ``FacetTable`` holds the per-clause factors
of a generation and ``searching`` multiplies the scores by them.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from search.errors import SearchError
from search.settings import DATA_DIR

__all__ = ["RANKING_PATH", "Ranking", "RankingDataError", "ranking"]

RANKING_PATH = DATA_DIR / "ranking.toml"


class RankingDataError(SearchError):
    """search/data/ranking.toml is missing a weight or holds one of the wrong kind."""


@dataclass(frozen=True)
class Ranking:
    authority_order: tuple[str, ...]
    authority_step: float

    def authority_factor(self, authority: str) -> float:
        """Return the score factor of a clause of this 效力级别: 1.0 for the lowest or an unknown one."""
        order = self.authority_order
        above_last = len(order) - 1 - order.index(authority) if authority in order else 0
        return 1.0 + self.authority_step * above_last


@cache
def ranking() -> Ranking:
    """Read and check ranking.toml."""
    with open(RANKING_PATH, "rb") as f:
        data = tomllib.load(f)
    try:
        order, step = data["authority_order"], data["authority_step"]
    except KeyError as exc:
        raise RankingDataError(f"{RANKING_PATH}: no {exc.args[0]!r}") from None
    if not isinstance(step, (int, float)) or not 0 <= step < 1:
        raise RankingDataError(f"{RANKING_PATH}: authority_step must be a number in [0, 1)")
    if not isinstance(order, list) or not all(isinstance(a, str) and a for a in order):
        raise RankingDataError(f"{RANKING_PATH}: authority_order must be a list of 效力级别 names")
    return Ranking(tuple(order), float(step))
