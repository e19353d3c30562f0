"""Tags: the IP types a clause concerns and the agencies its task list names (ingest's last stage).

The words live in ``search/data/taxonomy.toml`` and ``agencies.toml``; the grammar of task lists is here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..models import Agency
from ..settings import DATA_DIR
from ..text.agencies import (LEVEL, PLACE, WHITESPACE, TagDataError, Vocabulary, canonical_agency, load_vocabulary,
                             read_toml, strip_prefix, string_list, vocabulary)

__all__ = ["ip_types", "agencies", "canonical_agency", "load_taxonomy", "load_vocabulary",
           "TagDataError", "Taxonomy", "IpType", "Vocabulary"]

TAXONOMY_PATH = DATA_DIR / "taxonomy.toml"

# A parenthesis, full- or half-width, with no parenthesis inside: where task lists trail an item.
PAREN = re.compile(r"[（(](?P<inner>[^（）()]+)[）)]")
# "由…负责落实": the nearest 由 before 负责 in one clause of a sentence. 自由 (自由贸易试验区) is
# a word, not the preposition, and 由于/由此 never introduce an agency. 负责人 is a person, and
# "由X负责Y的部门" (laws) hands the task to a department of X that the text does not name.
BY_SENTENCE = re.compile(
    r"(?<!自)由(?![于此])(?P<body>(?:自由|[^。；;，,！!？?：:（）()由])+?)负责"
    r"(?!人)(?![^。；;，,]*?的[^。；;，,的]{0,8}?(?:部门|机构))"
)
BODY_LEAD = re.compile(r"^(?P<list>.+?)牵头$")
BODY_WITH = re.compile(r"^(?P<list>.+?)会同(?P<with>.+)$")
# Segments of a parenthesis are split on commas and semicolons: "省X局牵头，省Y厅配合".
SEGMENT_SPLIT = re.compile(r"[，,；;]")
# "负责部门：A、B" (gov.cn), "牵头单位：A", "配合部门：B" …
LABELLED_SEGMENT = re.compile(r"^(?P<label>牵头|负责|责任|配合|协办|参与)(?:单位|部门)[:：](?P<list>.+)$")
# "A、B按职责分别负责", "A牵头", "B配合" …; the modifier says how, not who.
MODIFIERS = r"按职责分别|按各自职责|按各自分工|按职责|分别|共同"
VERB_SEGMENT = re.compile(
    rf"^由?(?P<list>.+?)(?:{MODIFIERS})?(?P<verb>牵头负责|牵头|配合|协助|参与|负责)(?:落实|实施)?$"
)
TRAILING_MODIFIER = re.compile(rf"(?:{MODIFIERS})$")
ITEM_SPLIT = re.compile(r"[、/]")
# 和/及/与 join two agencies only when both sides are agencies: 人力资源和社会保障厅 is one.
CONJUNCTION = re.compile(r"以及|和|及|与")
ET_CETERA = re.compile(r"等(?:部门|单位|机构)?$")
EXCLUDED = "\0"  # stands in for an excluded phrase's characters; never part of a keyword
VERB_ROLES = {"牵头负责": "lead", "牵头": "lead", "配合": "cooperate", "协助": "cooperate",
              "参与": "cooperate", "负责": "responsible"}
LABEL_ROLES = {"牵头": "lead", "负责": "responsible", "责任": "responsible", "配合": "cooperate",
               "协办": "cooperate", "参与": "cooperate"}


@dataclass(frozen=True)
class IpType:
    """One IP type of the taxonomy with its keywords and the phrases where they don't count."""

    name: str
    keywords: tuple[str, ...]
    exclude: tuple[str, ...]
    keyword_pattern: re.Pattern = field(init=False, repr=False, compare=False)
    exclude_pattern: re.Pattern | None = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # One alternation per list: a clause is scanned once per type, not once per keyword.
        object.__setattr__(self, "keyword_pattern", _alternation(self.keywords))
        object.__setattr__(self, "exclude_pattern", _alternation(self.exclude) if self.exclude else None)

    def mentioned_in(self, normalised: str) -> bool:
        """Say whether a keyword occurs in ``normalised`` text outside every exclusion."""
        if self.exclude_pattern is not None:
            # Blank excluded phrases out so no keyword inside them can match.
            normalised = self.exclude_pattern.sub(lambda m: EXCLUDED * len(m.group()), normalised)
        return self.keyword_pattern.search(normalised) is not None


@dataclass(frozen=True)
class Taxonomy:
    """The IP types in tag order, and the tag of a clause that names none."""

    types: tuple[IpType, ...]
    fallback: str


@dataclass(frozen=True)
class _Assignment:
    """One run of list items sharing a role, found at ``start`` of the text."""

    start: int
    role: str
    items: tuple[str, ...]


def _alternation(phrases: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)))


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (ＰＣＴ → PCT) so keywords are written once.
    return unicodedata.normalize("NFKC", text).casefold()


def load_taxonomy(path: Path = TAXONOMY_PATH) -> Taxonomy:
    """Read and check a taxonomy file (see the header of ``search/data/taxonomy.toml``)."""
    data = read_toml(path)
    fallback = data.get("fallback")
    if not isinstance(fallback, str) or not fallback:
        raise TagDataError(path, "needs a non-empty 'fallback' string")
    types = []
    for entry in data.get("type", []):
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise TagDataError(path, "every [[type]] needs a non-empty 'name'")
        keywords = tuple(_normalise(k) for k in string_list(path, entry.get("keywords"), f"{name}.keywords"))
        exclude = tuple(_normalise(e) for e in string_list(path, entry.get("exclude", []), f"{name}.exclude"))
        if not keywords:
            raise TagDataError(path, f"type {name} has no keywords")
        for phrase in exclude:
            if not any(k in phrase for k in keywords):
                raise TagDataError(path, f"type {name}: exclusion {phrase!r} contains none of its keywords")
        types.append(IpType(name, keywords, exclude))
    names = [t.name for t in types] + [fallback]
    if not types or len(set(names)) != len(names):
        raise TagDataError(path, "needs at least one [[type]], and type names and fallback must be unique")
    return Taxonomy(tuple(types), fallback)


@cache
def _taxonomy() -> Taxonomy:
    return load_taxonomy()


def ip_types(text: str) -> tuple[str, ...]:
    """Return the IP types ``text`` concerns, in taxonomy order; the fallback (综合) when none.

    >>> ip_types("加强植物新品种、生物遗传资源及其相关传统知识、数据库保护")
    ('植物新品种', '传统知识与遗传资源', '数据')
    """
    taxonomy = _taxonomy()
    normalised = _normalise(text)
    found = tuple(t.name for t in taxonomy.types if t.mentioned_in(normalised))
    return found or (taxonomy.fallback,)


def _is_stop(item: str, vocab: Vocabulary) -> bool:
    return item in vocab.stop_names or any(s in item for s in vocab.stop_contains)


def _looks_like_agency(item: str, vocab: Vocabulary) -> bool:
    if any(s in item for s in vocab.never_contains):
        return False
    return item.endswith(vocab.suffixes) or item in vocab.canonical or strip_prefix(item) in vocab.canonical


def _split_conjunction(item: str, vocab: Vocabulary) -> list[str]:
    for m in CONJUNCTION.finditer(item):
        left, right = item[:m.start()], item[m.end():]
        if _looks_like_agency(left, vocab) and _looks_like_agency(right, vocab):
            return [left, *_split_conjunction(right, vocab)]
    return [item]


def _items(raw: str, vocab: Vocabulary) -> tuple[str, ...] | None:
    """Split a list into agency names; None when an item is neither an agency nor a stop word."""
    items = []
    for piece in ITEM_SPLIT.split(WHITESPACE.sub("", raw)):
        for item in _split_conjunction(ET_CETERA.sub("", piece), vocab):
            if not item or _is_stop(item, vocab):
                continue
            if not _looks_like_agency(item, vocab):
                return None
            items.append(item)
    return tuple(items)


def _paren_assignments(text: str, vocab: Vocabulary) -> list[tuple[int, int, list[_Assignment]]]:
    """Find the parentheses that are task lists: (start, end, assignments) each."""
    found = []
    for m in PAREN.finditer(text):
        assignments = []
        for segment in SEGMENT_SPLIT.split(WHITESPACE.sub("", m.group("inner"))):
            labelled, verbed = LABELLED_SEGMENT.match(segment), VERB_SEGMENT.match(segment)
            if labelled:
                role, raw = LABEL_ROLES[labelled.group("label")], labelled.group("list")
            elif verbed:
                role, raw = VERB_ROLES[verbed.group("verb")], verbed.group("list")
            else:
                continue  # 适用范围：…, a deadline: not about who
            items = _items(raw, vocab)
            if items is None:
                assignments = []
                break  # one junk list means this is prose in brackets, not a task list
            assignments.append(_Assignment(m.start(), role, items))
        if any(a.items for a in assignments):
            found.append((m.start(), m.end(), assignments))
    return found


def _sentence_assignments(text: str, vocab: Vocabulary) -> list[_Assignment]:
    """Find the "由 A[牵头][会同 B]负责落实" task lists."""
    found = []
    for m in BY_SENTENCE.finditer(text):
        body = TRAILING_MODIFIER.sub("", WHITESPACE.sub("", m.group("body")))
        lead, joint = BODY_LEAD.match(body), BODY_WITH.match(body)
        if lead:
            parts = [("lead", lead.group("list"))]
        elif joint:
            parts = [("responsible", joint.group("list")), ("cooperate", joint.group("with"))]
        else:
            parts = [("responsible", body)]
        lists = [(role, _items(raw, vocab)) for role, raw in parts]
        if all(items is not None for _, items in lists) and any(items for _, items in lists):
            found += [_Assignment(m.start(), role, items) for role, items in lists]
    return found


def _resolve(item: str, prefix: str, vocab: Vocabulary) -> tuple[str, str]:
    """Return the item's full name and the prefix the list carries on with."""
    own = LEVEL.match(item)
    if own:
        return item, own.group("level")
    if item.startswith(vocab.full_name_starts) or item.endswith(vocab.full_name_ends) or PLACE.match(item):
        return item, prefix
    return prefix + item, prefix


def agencies(text: str, level_prefix: str = "") -> tuple[Agency, ...]:
    """Return the agencies the task lists of ``text`` name, in order, one per (canonical, role).

    ``level_prefix`` (省, 市, 县 …) completes bare names of a list that has no prefix of its own;
    when "" it is taken from the first prefixed list item in ``text``, else names stay bare.

    >>> [a.name for a in agencies("（省知识产权局牵头，省财政厅、人社厅配合）")]
    ['省知识产权局', '省财政厅', '省人社厅']
    """
    if level_prefix and not LEVEL.fullmatch(level_prefix):
        raise ValueError(f"level_prefix must be '' or a level such as 省, 市, 县; got {level_prefix!r}")
    vocab = vocabulary()
    parens = _paren_assignments(text, vocab)
    # A "由…负责" inside a task-list parenthesis is that list, already read.
    sentences = [a for a in _sentence_assignments(text, vocab)
                 if not any(start <= a.start < end for start, end, _ in parens)]
    groups = [(start, assignments) for start, _, assignments in parens]
    groups += [(a.start, [a]) for a in sentences]
    groups.sort(key=lambda g: g[0])
    default = level_prefix or next((LEVEL.match(i).group("level") for _, assignments in groups
                                    for a in assignments for i in a.items if LEVEL.match(i)), "")
    seen, out = set(), []
    for _, assignments in groups:
        prefix = default  # a list's own prefix carries to its later items, never to the next list
        for assignment in assignments:
            for item in assignment.items:
                name, prefix = _resolve(item, prefix, vocab)
                agency = Agency(name=name, canonical=canonical_agency(name), role=assignment.role)
                if (agency.canonical, agency.role) not in seen:
                    seen.add((agency.canonical, agency.role))
                    out.append(agency)
    return tuple(out)
