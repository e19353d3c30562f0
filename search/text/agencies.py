"""Agency names: the vocabulary of search/data/agencies.toml, and the canonical name an agency is faceted and looked up by.

Ingestion tags clauses with these names (``ingest/tags.py``); queries and the agency pages fold
what people type (省发改委, 市场监管局) to the same canonical names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..datafiles import read_data_toml
from ..errors import DataFileError
from ..settings import DATA_DIR

__all__ = ["AGENCIES_PATH", "LEVEL", "PLACE", "TagDataError", "Vocabulary", "canonical_agency", "load_vocabulary",
           "read_toml", "string_list", "strip_prefix", "vocabulary"]

AGENCIES_PATH = DATA_DIR / "agencies.toml"
WHITESPACE = re.compile(r"\s+")
# A level prefix. 市场 (市场监管局) and 省辖市 (各省辖市政府) are words, not 市 or 省.
LEVEL = re.compile(r"^(?P<level>自治区|省(?!辖)|市(?!场)|州|县|区)")
# After a level: the 委 of 省委组织部 (not 委员会) and the 政府 of 省政府国资委, when more follows.
PARTY_OR_GOVERNMENT = re.compile(r"^(?:委(?!员会)|人民政府|政府)(?=..)")
# A place name ending in a level: 河南省, 三门峡市, 罗山县, 工业园区.
PLACE = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:自治区|省|市(?!场)|县|区)")


class TagDataError(DataFileError):
    """A tag data file is missing, not TOML, or inconsistent; the message names the file."""


@dataclass(frozen=True)
class Vocabulary:
    """What makes a list item an agency, which items are junk, and alias → canonical name."""

    suffixes: tuple[str, ...]
    never_contains: tuple[str, ...]
    full_name_starts: tuple[str, ...]
    full_name_ends: tuple[str, ...]
    stop_names: frozenset[str]
    stop_contains: tuple[str, ...]
    canonical: dict[str, str]


def read_toml(path: Path) -> dict:
    """Return a tag data file's table; TagDataError if it can't be read."""
    return read_data_toml(path, TagDataError)


def string_list(path: Path, value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise TagDataError(path, f"{where} must be a list of non-empty strings")
    return tuple(value)


def load_vocabulary(path: Path = AGENCIES_PATH) -> Vocabulary:
    """Read and check an agency vocabulary (see the header of ``search/data/agencies.toml``)."""
    data = read_toml(path)
    names, stop = data.get("names", {}), data.get("stop", {})
    canonical: dict[str, str] = {}
    for name, aliases in data.get("canonical", {}).items():
        for alias in (name, *string_list(path, aliases, f"canonical.{name}")):
            if canonical.get(alias, name) != name:
                raise TagDataError(path, f"{alias!r} is listed under both {canonical[alias]!r} and {name!r}")
            canonical[alias] = name
    return Vocabulary(
        suffixes=string_list(path, names.get("suffixes"), "names.suffixes"),
        never_contains=string_list(path, names.get("never_contains", []), "names.never_contains"),
        full_name_starts=string_list(path, names.get("full_name_starts", []), "names.full_name_starts"),
        full_name_ends=string_list(path, names.get("full_name_ends", []), "names.full_name_ends"),
        stop_names=frozenset(string_list(path, stop.get("names", []), "stop.names")),
        stop_contains=string_list(path, stop.get("contains", []), "stop.contains"),
        canonical=canonical,
    )


@cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def strip_prefix(name: str) -> str:
    """Drop a leading level (省) or place (河南省), then a 委 or 政府 that follows it."""
    prefix = LEVEL.match(name) or PLACE.match(name)
    if not prefix:
        return name
    rest = name[prefix.end():]
    organ = PARTY_OR_GOVERNMENT.match(rest)
    rest = rest[organ.end():] if organ else rest
    # "省委" or "省" alone: nothing would be left to name the agency by.
    return rest if len(rest) > 1 else name


def canonical_agency(name: str) -> str:
    """Return the facet value of an agency name: prefix dropped, alias resolved.

    >>> canonical_agency("省发改委")
    '发展改革委'
    """
    name = WHITESPACE.sub("", name)
    canonical = vocabulary().canonical
    if name in canonical:
        return canonical[name]
    bare = strip_prefix(name)
    return canonical.get(bare, bare)



