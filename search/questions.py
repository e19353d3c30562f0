"""How a query typed as a question is read: which of its words say what it asks, and whether to rank loosely.

The question and function words (什么, 怎么办, 吗 …) are data, ``search/data/question_words.txt``;
``searching`` ranks a question's other words, every one optional, after its exact hits.
"""
from __future__ import annotations

from functools import cache

from search.analysis import normalize
from search.settings import DATA_DIR

__all__ = ["QUESTION_WORDS_PATH", "content_words", "is_question", "question_words"]

QUESTION_WORDS_PATH = DATA_DIR / "question_words.txt"
# A query that ends with one of these, or holds a question word, is a question.
QUESTION_MARKS = ("?", "？", "吗", "呢")


@cache
def question_words() -> frozenset[str]:
    """Return the question and function words, normalized."""
    lines = QUESTION_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(normalize(line.strip()) for line in lines if line.strip() and not line.lstrip().startswith("#"))


def content_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Return the words of a query that say what it asks: all but the question and function words."""
    asking = question_words()
    return tuple(w for w in words if w not in asking)


def is_question(text: str, words: tuple[str, ...]) -> bool:
    """Tell whether a query reads as a question or a sentence rather than search words."""
    stripped = text.strip()
    return stripped.endswith(QUESTION_MARKS) or len(content_words(words)) < len(words)
