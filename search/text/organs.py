"""The vocabulary of issuing organs and document types, from search/data/organs.toml and doctypes.toml, as patterns.

What ends an organ's name (政府, 办公厅, 知识产权局 …), what follows a place's name in an organ's
(人民政府, 法院 …) and what ends a title (通知, 意见, 规划 …), kept as data; ingestion reads
letterheads, signatures, titles, joint issuers and the places of issuers with these.
"""
from __future__ import annotations

import re
import tomllib
from functools import cache

from ..settings import DATA_DIR

__all__ = ["after_place", "institution", "joint_split", "line_organ", "name_organ", "title_end", "title_organ"]

ORGANS_PATH = DATA_DIR / "organs.toml"
DOCTYPES_PATH = DATA_DIR / "doctypes.toml"


@cache
def _data(path) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


def _ending(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in words) + ")"


@cache
def line_organ() -> re.Pattern:
    """A line that ends like an organ's name (clean.py)."""
    return re.compile(_ending(_data(ORGANS_PATH)["line_endings"]) + "$")


@cache
def name_organ() -> re.Pattern:
    """A name that ends like an organ's (a signature, a title's opening, a site's name)."""
    return re.compile(_ending(_data(ORGANS_PATH)["name_endings"]) + "$")


@cache
def title_organ() -> re.Pattern:
    """Where an organ's name may end inside a title that opens with it."""
    data = _data(ORGANS_PATH)
    return re.compile(_ending(data["title_endings"]) + f"(?=[^{re.escape(data['title_not_followed_by'])}])")


@cache
def joint_split() -> re.Pattern:
    """What separates joint issuers: spaces, 、 and commas, and a 和 before an organ's name."""
    return re.compile(r"[\s\u3000、，,]+|和(?=[\u4e00-\u9fff]{2,}" + _ending(_data(ORGANS_PATH)["joint_endings"]) + "$)")


@cache
def after_place() -> re.Pattern:
    """An organ's word right after a place name (新县人民政府): matched at a position."""
    return re.compile(_ending(_data(ORGANS_PATH)["after_place"]))


@cache
def institution() -> re.Pattern:
    """An institution's word right after a place's short name (河南大学): matched at a position."""
    return re.compile(_ending(_data(ORGANS_PATH)["institutions"]))


@cache
def title_end() -> re.Pattern:
    """A line that ends with a document type, as titles do (doctypes.toml's title_words)."""
    return re.compile(_ending(_data(DOCTYPES_PATH)["title_words"]) + "$")
