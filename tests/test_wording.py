"""Tests for search.wording: phrases shared wherever they stand, a score the same both ways, task lists left out."""
from __future__ import annotations

import pytest

from search.text.normalize import normalize
from search.wording import overlap, shared_phrases, similarity, task_lists

# The 商标品牌 task of 黑龙江 (item 31) and 河南 2022's 商标品牌建设工程: the pair of issue 14.
HEILONGJIANG_BRAND = "p3.s2.i31"
HENAN_BRAND = "p5.s15"


def clause(doc, suffix):
    [found] = [c for c in doc.clauses if c.id.endswith("-" + suffix)]
    return found


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    found, at = [], text.find(phrase)
    while at >= 0:
        found.append((at, at + len(phrase)))
        at = text.find(phrase, at + 1)
    return found


def covered(spans, start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


@pytest.fixture(scope="module")
def brand_pair(seed):
    return clause(seed("heilongjiang"), HEILONGJIANG_BRAND), clause(seed("henan2022"), HENAN_BRAND)


def test_a_phrase_in_both_texts_is_shared_wherever_it_stands(brand_pair):
    heilongjiang, henan = brand_pair
    assert "商标品牌" in heilongjiang.text and "商标品牌" in henan.text
    shared = shared_phrases(heilongjiang.text, henan.text)
    assert any("商标品牌" in p for p in shared.phrases)
    # every occurrence, on both sides, however the sentences around it are ordered
    assert occurrences(heilongjiang.text, "商标品牌") and occurrences(henan.text, "商标品牌")
    assert all(covered(shared.left, *span) for span in occurrences(heilongjiang.text, "商标品牌"))
    assert all(covered(shared.right, *span) for span in occurrences(henan.text, "商标品牌"))


def test_the_score_and_the_phrases_are_the_same_either_way_round(brand_pair):
    heilongjiang, henan = brand_pair
    one, other = shared_phrases(heilongjiang.text, henan.text), shared_phrases(henan.text, heilongjiang.text)
    assert one.similarity == pytest.approx(other.similarity)
    assert set(one.phrases) == set(other.phrases)
    assert (one.left, one.right) == (other.right, other.left)

    def rarer(bigram: str) -> float:  # any weight of a bigram keeps the symmetry
        return 3.0 if "商" in bigram else 1.0

    assert similarity(heilongjiang.text, henan.text, weight=rarer) == \
        pytest.approx(similarity(henan.text, heilongjiang.text, weight=rarer))
    assert overlap(heilongjiang.text, henan.text) == pytest.approx(overlap(henan.text, heilongjiang.text))


def test_every_marked_character_stands_in_wording_both_texts_hold(brand_pair):
    heilongjiang, henan = brand_pair
    shared = shared_phrases(heilongjiang.text, henan.text)
    for text, other, spans in ((heilongjiang.text, henan.text, shared.left), (henan.text, heilongjiang.text, shared.right)):
        folded_other = normalize(other)
        assert spans and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # sorted, apart
        for start, end in spans:
            for p in range(start, end):  # in a pair of characters the other text holds too
                assert any(normalize(text[q:q + 2]) in folded_other for q in (p - 1, p) if start <= q < end - 1), \
                    text[start:end]


def test_a_shared_run_of_function_words_or_punctuation_is_no_phrase(brand_pair):
    heilongjiang, henan = brand_pair
    shared = shared_phrases(heilongjiang.text, henan.text)
    # both texts hold 的 and 、 (and 和), yet none of them is a phrase of its own
    assert "的" in heilongjiang.text and "的" in henan.text
    assert all(len(p) >= 2 and p[0] not in "的和、，,。" and p[-1] not in "的和、，,。" for p in shared.phrases)
    assert not any(heilongjiang.text[s:e] in ("的", "和", "、") for s, e in shared.left)


def test_marks_land_on_the_text_as_written_when_widths_differ(seed):
    # 黑龙江 writes full-width punctuation（，（）), 河南 2022 half-width (,): offsets are the originals'.
    heilongjiang, henan = clause(seed("heilongjiang"), HEILONGJIANG_BRAND), clause(seed("henan2022"), HENAN_BRAND)
    shared = shared_phrases(henan.text, heilongjiang.text)
    assert "，" in heilongjiang.text and "," in henan.text
    assert all(0 <= s < e <= len(heilongjiang.text) for s, e in shared.right)
    assert all(normalize(heilongjiang.text[s:e]) in normalize(henan.text) for s, e in shared.right)


def test_who_does_a_task_is_found_and_can_be_left_out(seed):
    heilongjiang = clause(seed("heilongjiang"), HEILONGJIANG_BRAND)
    [span] = task_lists(heilongjiang.text)
    listed = heilongjiang.text[slice(*span)]
    # the list ingestion read the agencies from (the tags stage of ingest, not this module)
    assert heilongjiang.agencies and all(a.name.removeprefix("省") in listed for a in heilongjiang.agencies)
    henan2009 = seed("henan2009")
    tasks = [c for c in henan2009.clauses if c.agencies and "负责落实" in c.text]
    assert tasks
    for task in tasks:
        lists = " ".join(task.text[s:e] for s, e in task_lists(task.text))
        assert all(a.name.removeprefix("省") in lists for a in task.agencies), task.id


def test_two_tasks_given_to_the_same_agencies_are_not_alike_for_it(seed):
    doc = seed("heilongjiang")
    # items 16 and 17 end with the same list of ten agencies, and say different things
    first, second = clause(doc, "p2.s2.i16"), clause(doc, "p2.s2.i17")
    [a], [b] = task_lists(first.text), task_lists(second.text)
    assert first.text[slice(*a)][:20] == second.text[slice(*b)][:20]
    kept, skipped = (shared_phrases(first.text, second.text, skip_task_lists=flag) for flag in (False, True))
    assert covered(kept.left, a[0] + 1, a[0] + 10)
    assert not any(s < a[1] and a[0] < e for s, e in skipped.left)
    assert skipped.similarity < kept.similarity


def test_identical_texts_score_one_and_empty_ones_nothing(seed):
    text = clause(seed("sanmenxia"), "p3.s4").text
    assert similarity(text, text) == pytest.approx(1.0)
    assert similarity(text, text, skip_task_lists=True) == pytest.approx(1.0)
    assert overlap(text, text) == pytest.approx(1.0)
    empty = shared_phrases("", text)
    assert (empty.phrases, empty.left, empty.right, empty.similarity) == ((), (), (), 0.0)


def test_min_chars_must_be_positive(seed):
    text = clause(seed("sanmenxia"), "p3.s4").text
    with pytest.raises(ValueError, match="min_chars"):
        shared_phrases(text, text, min_chars=0)
