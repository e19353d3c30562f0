"""Side-by-side marking of shared and differing wording."""
import html
import re

from markupsafe import Markup

from web.compare import compare, mark


def test_shared_and_differing_runs_are_marked_on_both_sides():
    left, right = compare("加强专利保护", "加强商标保护")
    assert left == Markup('<mark class="same">加强</mark><span class="diff">专利</span><mark class="same">保护</mark>')
    assert right == Markup('<mark class="same">加强</mark><span class="diff">商标</span><mark class="same">保护</mark>')


def test_everything_is_escaped():
    left, right = compare("<script>甲</script>", "<script>乙</script>")
    assert "<script>" not in left and "<script>" not in right
    assert "&lt;script&gt;" in left and "&lt;/script&gt;" in right


def test_single_shared_characters_count_as_different():
    left, _ = compare("专利的保护", "商标的许可")
    assert 'class="same"' not in left


def test_identical_and_empty_texts():
    assert compare("同一条款", "同一条款") == (Markup('<mark class="same">同一条款</mark>'),) * 2
    assert compare("", "") == (Markup(""), Markup(""))
    assert compare("", "新增") == (Markup(""), Markup('<span class="diff">新增</span>'))




SEGMENT = re.compile(r'<(mark|span) class="(same|diff|aside)">(.*?)</\1>', re.S)


def segments(marked: Markup) -> list[tuple[str, int, int]]:
    """Return (kind, start, end) of each marked run, offsets into the text shown."""
    out, pos = [], 0
    for m in SEGMENT.finditer(str(marked)):
        text = html.unescape(m.group(3))
        out.append((m.group(2), pos, pos + len(text)))
        pos += len(text)
    return out


def clause_text(doc, suffix):
    [found] = [c for c in doc.clauses if c.id.endswith("-" + suffix)]
    return found.text


def test_商标品牌_in_both_texts_is_the_same_wording_on_both_sides(seed):
    # Issue 14: 黑龙江 item 31 and 河南 2022 (十五) both say 商标品牌, in sentences ordered differently;
    # counting only wording shared in the same order marked it "different" on the 黑龙江 side.
    heilongjiang, henan = clause_text(seed("heilongjiang"), "p3.s2.i31"), clause_text(seed("henan2022"), "p5.s15")
    for text, marked in zip((heilongjiang, henan), compare(heilongjiang, henan)):
        same = [(s, e) for kind, s, e in segments(marked) if kind == "same"]
        found = [(m.start(), m.end()) for m in re.finditer("商标品牌", text)]
        assert found and all(any(s <= a and b <= e for s, e in same) for a, b in found)


def test_the_marked_html_shows_each_text_whole(seed):
    heilongjiang, henan = clause_text(seed("heilongjiang"), "p3.s2.i31"), clause_text(seed("henan2022"), "p5.s15")
    for text, marked in zip((heilongjiang, henan), compare(heilongjiang, henan)):
        shown = "".join(html.unescape(m.group(3)) for m in SEGMENT.finditer(str(marked)))
        assert shown == text
        assert SEGMENT.sub("", str(marked)) == ""  # nothing outside the marks and spans


def test_mark_escapes_every_piece(seed):
    text = clause_text(seed("sanmenxia"), "p3.s5").replace("品牌经营", "品牌<b>经营</b>", 1)
    start = text.index("<b>")
    marked = mark(text, [(start, start + len("<b>经营"))])
    assert "<b>" not in marked and '<mark class="same">&lt;b&gt;经营</mark>' in marked


def test_who_does_a_task_is_set_aside_not_marked_different(seed):
    from search.wording import task_lists

    text = clause_text(seed("heilongjiang"), "p3.s2.i31")
    [(start, end)] = task_lists(text)
    marked = mark(text, [], task_lists(text))
    assert marked.endswith(f'<span class="aside">{text[start:end]}</span>')
    assert marked.startswith('<span class="diff">') and SEGMENT.sub("", str(marked)) == ""
