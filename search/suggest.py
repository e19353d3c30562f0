"""Help when little matches: the index's own vocabulary, and for a word it does not know, the near word it does.

"Did you mean": a typed word no clause holds (商表, 职物) is compared with the words of the
same length one character away (RapidFuzz's Levenshtein), and the one its neighbours in the
query confirm (职物 + 发明 → 职务, since 职务发明 stands in the texts) or else the commonest is
offered. A whole token is tried first (驰名商表 → 驰名商标). Read side only: built from an open
reader, once per index generation.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh.reading import IndexReader

from search import settings

__all__ = ["Vocabulary"]

WORD_FIELDS = ("text", "heading", "title")
# segment id → {"size": its documents, "fields": {field: {word: clauses holding it there}}}: a
# segment's words never change once written, so a build reads only its new segments' words
WordParts = dict[str, dict]


@dataclass(frozen=True)
class Vocabulary:
    """The words of an index's text fields by length, each with its document frequency."""

    by_length: dict[int, tuple[tuple[str, int], ...]]  # most frequent first
    frequency: dict[str, int]  # word → how many clauses hold it (in one field at least)
    _containing: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, reader: IndexReader) -> Vocabulary:
        """Read the vocabulary from an index's terms (0.3 s at 100 k clauses: a build saves it, see :meth:`save`)."""
        return cls.of_parts(word_parts(reader))

    @classmethod
    def of_parts(cls, parts: WordParts) -> Vocabulary:
        """Sum each word's clauses over the segments, field by field, and keep its largest field's count."""
        counts: dict[str, int] = defaultdict(int)
        for name in WORD_FIELDS:
            in_field: dict[str, int] = defaultdict(int)
            for part in parts.values():
                for word, df in part["fields"].get(name, {}).items():
                    in_field[word] += df
            for word, df in in_field.items():
                counts[word] = max(counts[word], df)
        return cls.of_counts(counts)

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        """Read a vocabulary :meth:`save` wrote.

        :raises ValueError: the file holds no such vocabulary.
        """
        counts = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(counts, dict) or not all(isinstance(n, int) for n in counts.values()):
            raise ValueError(f"{path.name} is not a vocabulary of word → clause count")
        return cls.of_counts(counts)

    def save(self, path: Path) -> None:
        """Write the words and their clause counts to ``path`` (in a generation not yet live, as a build does)."""
        path.write_text(json.dumps(self.frequency, ensure_ascii=False, sort_keys=True), encoding="utf-8")

    @staticmethod
    def save_parts(path: Path, parts: WordParts) -> None:
        """Write the words of each segment (see WordParts), for the next build to reuse."""
        path.write_text(json.dumps(parts, ensure_ascii=False), encoding="utf-8")

    @staticmethod
    def load_parts(path: Path) -> WordParts:
        """:raises ValueError: the file holds no such parts."""
        parts = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(parts, dict) or not all(isinstance(p, dict) and "fields" in p and "size" in p
                                                  for p in parts.values()):
            raise ValueError(f"{path.name} is not the words of an index's segments")
        return parts

    @classmethod
    def of_counts(cls, counts: dict[str, int]) -> Vocabulary:
        by_length: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for word, df in counts.items():
            by_length[len(word)].append((word, df))
        return cls({n: tuple(sorted(words, key=lambda w: (-w[1], w[0]))) for n, words in by_length.items()},
                   dict(counts))

    def containing(self, word: str) -> tuple[str, ...]:
        """Return the known longer words that hold ``word`` (职务发明 → 职务发明创造 …), most frequent first.

        At most settings.INSIDE_WORDS_MAX of them: past that, the rarest longer words are left out.
        """
        found = self._containing.get(word)
        if found is None:
            longer = [(w, df) for n, words in self.by_length.items() if n > len(word) for w, df in words if word in w]
            longer.sort(key=lambda w: (-w[1], w[0]))
            found = tuple(w for w, _ in longer[:settings.INSIDE_WORDS_MAX])
            if len(self._containing) < settings.INSIDE_WORDS_CACHE:
                self._containing[word] = found
        return found

    def near(self, word: str) -> list[str]:
        """Return the known words one edit away from ``word`` of its length, most frequent first."""
        words = self.by_length.get(len(word), ())
        found = process.extract(word, [w for w, _ in words], scorer=Levenshtein.distance, score_cutoff=1,
                                limit=None)
        return [words[i][0] for _, distance, i in sorted(found, key=lambda f: f[2]) if distance == 1][
            :settings.SUGGEST_CANDIDATES]

    def corrections(self, words: Sequence[str], occurs: Callable[[str], int]) -> dict[str, str]:
        """Return typed word → the known word meant, for each of ``words`` no clause holds.

        ``occurs(text)`` counts the clauses holding ``text``; it decides between candidates by
        the words beside it in the query (职物 before 发明 → 职务, as 职务发明 stands in the
        texts). A word typed alone gets the commonest candidate; one whose neighbours support
        no candidate gets none (枪注 in 被人枪注: 标注 is nearest, but nothing says so). Words
        with no near word, of one character or without a Han character are left alone.
        """
        out: dict[str, str] = {}
        for i, word in enumerate(words):
            if word in self.frequency or len(word) < 2 or not any("\u4e00" <= ch <= "\u9fff" for ch in word):
                continue
            candidates = self.near(word)
            if not candidates:
                continue
            before = words[i - 1] if i else ""
            after = words[i + 1] if i + 1 < len(words) else ""

            def support(candidate: str) -> int:
                return (occurs(before + candidate) if before else 0) + (occurs(candidate + after) if after else 0)

            if not before and not after:
                out[word] = candidates[0]
                continue
            best = max(candidates, key=support)  # ties keep the commoner: candidates are in that order
            if support(best):
                out[word] = best
        return out


def word_parts(reader: IndexReader, known: WordParts | None = None) -> WordParts:
    """Return the words of each segment of ``reader``; those ``known`` has (same id and size) are not read again.

    Segment by segment: a MultiReader merges the segments' terms in Python, 5× slower.
    """
    known = known or {}
    parts: WordParts = {}
    for segment, _ in reader.leaf_readers():
        if not segment.doc_count_all():
            continue  # an index of no clause: Whoosh's EmptyReader
        segment_id = segment.segment().segment_id()
        part = known.get(segment_id)
        if part is None or part["size"] != segment.doc_count_all():
            part = {"size": segment.doc_count_all(),
                    "fields": {name: {term.decode("utf-8"): info.doc_frequency() for term, info in segment.iter_field(name)}
                               for name in WORD_FIELDS if name in segment.indexed_field_names()}}
        parts[segment_id] = part
    return parts
