"""Document type and 效力级别 from title, issuer, level and 文号, by the rules in data/doctypes.toml."""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache

from .. import settings

TRAILING_BRACKET = re.compile(r"[（(][^（()）]*[)）]$")


@lru_cache(maxsize=1)
def _rules() -> dict:
    with open(settings.DATA_DIR / "doctypes.toml", "rb") as f:
        data = tomllib.load(f)
    data["types"] = sorted(data["types"], key=len, reverse=True)
    return data


def doc_type(title: str) -> str:
    """Return the document type a title ends with (通知, 意见, 条例, 法 …), or ""."""
    stem = title.strip()
    while TRAILING_BRACKET.search(stem):
        stem = TRAILING_BRACKET.sub("", stem).strip()
    for word in _rules()["types"]:
        if stem.endswith(word):
            return word
    return ""


def authority(issuers: tuple[str, ...], level: str, dtype: str, doc_number: str) -> str:
    """Return the 效力级别 the first matching rule in doctypes.toml gives."""
    for rule in _rules()["authority"]:
        if "issuer" in rule and not any(re.search(rule["issuer"], i) for i in issuers):
            continue
        if "types" in rule and dtype not in rule["types"]:
            continue
        if "level" in rule and level not in rule["level"]:
            continue
        if "doc_number" in rule and not re.search(rule["doc_number"], doc_number or ""):
            continue
        return rule["authority"]
    return ""
