"""Tests for search.highlight: escaping, marks on normalized matches, merging and cutting."""
from __future__ import annotations

import html
import re

import pytest

from search.highlight import highlight


def clause_text(doc, suffix):
    [clause] = [c for c in doc.clauses if c.id.endswith("-" + suffix)]
    return clause.text


def unmarked(snippet: str) -> str:
    """Return the text a snippet shows: marks and ellipses removed, entities decoded."""
    return html.unescape(snippet.replace("<mark>", "").replace("</mark>", "").strip("…"))


def test_script_in_a_document_is_escaped(seed):
    # The one synthetic twist: a real sentence of 黑龙江 item 51 with a tag spliced in.
    text = clause_text(seed("heilongjiang"), "p5.s1.i51")
    malicious = text.replace("国际专利申请", "国际<script>alert('x')</script>专利申请", 1)
    snippet = highlight(malicious, ["pct"], max_chars=400)
    assert "<script>" not in snippet
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in snippet
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0


def test_full_width_text_matches_a_half_width_lowercase_query(seed):
    text = clause_text(seed("heilongjiang"), "p5.s1.i51")
    assert text.startswith("对ＰＣＴ国际专利申请")
    snippet = highlight(text, ["pct"], max_chars=20)
    assert snippet == "对<mark>ＰＣＴ</mark>国际专利申请给予资助，鼓励企事业…"


def test_phrase_is_marked_whole(seed):
    text = clause_text(seed("sanmenxia"), "p3.s4")
    snippet = highlight(text, [], ["知识产权质押融资平台"], max_chars=60)
    assert "<mark>知识产权质押融资平台</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_overlapping_and_touching_words_share_one_mark(seed):
    text = clause_text(seed("sanmenxia"), "p3.s4")
    snippet = highlight(text, ["知识产权", "产权质押", "融资"], max_chars=40)
    assert "<mark>知识产权质押融资</mark>" in snippet
    assert "</mark><mark>" not in snippet


def test_snippet_is_cut_around_the_match_and_shows_original_text(seed):
    text = clause_text(seed("sanmenxia"), "p3.s4")
    snippet = highlight(text, ["知识产权联盟"], max_chars=50)
    assert "<mark>知识产权联盟</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    shown = unmarked(snippet)
    assert shown in text and len(shown) == 50


def test_window_prefers_more_distinct_terms(seed):
    text = clause_text(seed("sanmenxia"), "p3.s4")
    # 知识产权 first occurs at the start; 商标权 and 版权 only near the end, next to it.
    snippet = highlight(text, ["知识产权", "商标权", "版权"], max_chars=40)
    assert "<mark>商标权</mark>" in snippet and "<mark>版权</mark>" in snippet


def test_short_text_is_shown_whole():
    text = "第二十条　申请专利和行使专利权应当遵循诚实信用原则。"
    assert highlight(text, ["专利权"]) == "第二十条　申请专利和行使<mark>专利权</mark>应当遵循诚实信用原则。"


def test_no_match_gives_the_start_escaped(seed):
    text = clause_text(seed("sanmenxia"), "p3.s4")
    snippet = highlight("<b>" + text, ["不存在的词"], max_chars=30)
    assert snippet == html.escape(("<b>" + text)[:30]) + "…"


def test_blank_and_duplicate_terms_are_ignored():
    assert highlight("专利权人", ["", "专利", "专利"]) == "<mark>专利</mark>权人"


def test_a_mark_is_never_cut_at_the_window_end():
    text = "甲" * 30 + "专利" + "乙" * 9 + "商标" + "丙" * 30
    snippet = highlight(text, ["专利", "商标"], max_chars=20)
    assert snippet.count("<mark>") == snippet.count("</mark>")
    assert "<mark>商</mark>" not in snippet


def test_max_chars_must_be_positive():
    with pytest.raises(ValueError):
        highlight("专利", ["专利"], max_chars=0)


