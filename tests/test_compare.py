"""Side-by-side marking of shared and differing wording."""
from markupsafe import Markup

from web.compare import compare


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


