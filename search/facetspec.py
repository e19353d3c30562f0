"""The facet spec: one entry per facet, from which the schema, the index documents, the facet tables, the CLI's filter options, the OpenAPI document and the web labels are made.

Plain data on the standard library alone, so the schema and the CLI read it without loading numpy (``facets.py``,
which re-exports ``FACETS``, holds the numpy tables counted from it). Adding a facet is one entry here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .datafiles import read_data_toml

ORDERS = ("count", "value-desc")
# "metadata.<attribute>" or "clauses.<attribute>[.<attribute>]"
# "graph.<attribute>": computed at query time from the collection's graph (a status depends on the day)
_SOURCE = re.compile(r"^(?:metadata\.\w+|clauses\.\w+(?:\.\w+)?|graph\.\w+)$")


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its filter name, index field, Chinese label, value kind, where its values come from, and their order.

    ``source`` says what an index unit's values are: ``metadata.<attr>`` the document's ``Metadata``
    attribute; ``clauses.<attr>`` the ``Clause`` attribute of every clause in the unit, first occurrences
    in order, and ``clauses.<attr>.<item>`` that attribute of each of them (an agency's canonical name).
    ``order`` is how counts are listed: ``count`` most first, ties by value; ``value-desc`` by value,
    highest first (years, newest first).
    """

    name: str  # the filter's name in URLs, the API, ``search(filters=…)`` and ``SearchPage.facets``
    field: str  # the index field
    label: str  # as the web shows it
    source: str
    multi: bool = False  # several values per clause, comma-joined in a KEYWORD field
    numeric: bool = False  # an integer field, counted from its full-precision terms
    order: str = "count"

    def __post_init__(self) -> None:
        if self.order not in ORDERS:
            raise ValueError(f"facet {self.name!r}: order {self.order!r} is not one of {', '.join(ORDERS)}")
        if self.multi and self.numeric:
            raise ValueError(f"facet {self.name!r}: a numeric facet has one value per clause")
        if not _SOURCE.match(self.source):
            raise ValueError(f"facet {self.name!r}: source {self.source!r} is not metadata.<attr>, clauses.<attr> "
                             f"or graph.<attr>")
        if self.source.startswith("clauses.") and not self.multi:
            raise ValueError(f"facet {self.name!r}: values gathered over clauses need a multi-valued field")

    @property
    def computed(self) -> bool:
        """Tell whether the facet is computed when searching (from the graph) rather than stored in the index."""
        return self.source.startswith("graph.")

    @property
    def option(self) -> str:
        """Return the command-line option: ``--ip-type`` for ``ip_type``."""
        return "--" + self.name.replace("_", "-")


# The facets stored in the index (one field each).
FACETS: tuple[FacetSpec, ...] = (
    FacetSpec("issuer", "issuer", "发文机关", "metadata.issuer", multi=True),
    FacetSpec("level", "level", "层级", "metadata.level"),
    FacetSpec("region", "region", "地区", "metadata.region", multi=True),
    FacetSpec("year", "year", "年份", "metadata.year", numeric=True, order="value-desc"),
    FacetSpec("ip_type", "ip_type", "知识产权类型", "clauses.ip_types", multi=True),
    FacetSpec("agency", "agency", "责任部门", "clauses.agencies.canonical", multi=True),  # canonical names
    FacetSpec("doc_type", "doc_type", "文种", "metadata.doc_type"),
    FacetSpec("authority", "authority", "效力级别", "metadata.authority"),
)
# Facets of no index field: a document's validity status on the day a search asks about.
STATUS_FACET = FacetSpec("status", "status", "效力状态", "graph.status")
# What a search filters and counts by: the index's facets and the computed ones.
SEARCH_FACETS: tuple[FacetSpec, ...] = (*FACETS, STATUS_FACET)
FACET_BY_NAME: dict[str, FacetSpec] = {f.name: f for f in SEARCH_FACETS}


FACET_VALUES_PATH = Path(__file__).resolve().parent / "data" / "facet_values.toml"


@cache
def _facet_values() -> dict:
    return read_data_toml(FACET_VALUES_PATH)


def value_label(facet: str, value: str) -> str:
    """Return how a facet value is shown: 综合 → 知识产权总体（综合）; most values as they are."""
    return _facet_values().get(facet, {}).get("labels", {}).get(value, value)


def general_ip_type() -> str:
    """Return the IP type of clauses on IP as a whole (综合), which ``ip_general`` adds to an ip_type filter."""
    return _facet_values()["ip_type"]["general"]
