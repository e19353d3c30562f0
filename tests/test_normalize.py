"""The one normalizer (search.text.normalize): folded text for matching, offsets back to the original for display."""
from __future__ import annotations

import pytest

from search.text.normalize import normalize, normalize_with_offsets

from conftest import SEEDS


@pytest.mark.parametrize("text", ["ＰＣＴ　 国际\n申请 ", "\u200b㈠专利\ufeff", "  前后空白  "])
def test_normalize_with_offsets_map_back_to_the_original(text):
    norm, starts, ends = normalize_with_offsets(text)
    assert norm == normalize(text)
    assert len(starts) == len(ends) == len(norm)
    for i, ch in enumerate(norm):
        assert ch == " " or ch in normalize(text[starts[i]:ends[i]])




def test_offsets_of_every_seed_line_point_at_what_each_character_came_from():
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            norm, starts, ends = normalize_with_offsets(line)
            assert norm == normalize(line)
            assert all(ch == " " or ch in normalize(line[a:b]) for ch, a, b in zip(norm, starts, ends))
