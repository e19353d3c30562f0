"""Law names: how a query names a law (专利法, 著作权法实施条例, 解释（二）) and the short name a title is filed under."""
from __future__ import annotations

import re

from search.text.normalize import normalize

__all__ = ["BARE_LAW_NAME", "LAW_NAME", "NOT_A_LAW_NAME", "PRC", "act_key", "law_name", "quoted"]

# A law's name as typed: Han characters ending in a law form, with an optional （一） as the
# numbered judicial interpretations have. NFKC has already made the brackets half-width.
LAW_NAME = r"[\u4e00-\u9fff]+?(?:法典|法|条例|规定|办法|细则|解释)(?:\([一二三四五六七八九十]{1,3}\))?"
BARE_LAW_NAME = re.compile(LAW_NAME)
# Typed words shaped like a law's name that name none: the bare form words (规定, 办法) and
# words whose 法 means "method" or "the law" in general (治疗方法, 依法, 行政执法). A bare
# law-name hint only boosts a title equal to it, so a miss costs little.
NOT_A_LAW_NAME = re.compile(
    r"^(?:规定|办法|细则|解释|条例|有关规定|相关规定|本规定|本办法|本法|本条例)$"
    r"|(?:方法|做法|依法|违法|合法|非法|执法|司法|立法|说法|看法|想法|用法|算法|手法|语法|书法)$"
)
PRC = "中华人民共和国"


def law_name(typed: str) -> str:
    """Return the name a law is searched by: normalized, 中华人民共和国 dropped (专利法).

    The build files every title under this name and queries look laws up by it, so the two agree.

    >>> law_name("中华人民共和国专利法")
    '专利法'
    """
    name = normalize(typed)
    return name[len(PRC):] if name.startswith(PRC) and len(name) > len(PRC) else name


# What two spellings of one act's title differ by: spaces and the 、 between joint issuers
# (最高人民法院 最高人民检察院 / 最高人民法院、最高人民检察院), and the brackets round a law named in it.
_ACT_NOISE = re.compile(r"[\s、《》〈〉<>“”\"·]")


def act_key(title: str) -> str:
    """Return the key every version of one act is filed under: its title folded, 中华人民共和国 dropped.

    专利法实施细则 of 2010 and of 2023 share one key; a numbered interpretation keeps its number,
    so （二） and （三） are acts of their own.

    >>> act_key("中华人民共和国专利法实施细则") == act_key("专利法实施细则")
    True
    """
    return _ACT_NOISE.sub("", normalize(title)).replace(PRC, "")


def quoted(title: str) -> str:
    """Return a title in 《》, a 《》 inside it turned to 〈〉 as a title writes a title within it.

    >>> quoted("最高人民法院关于修改《最高人民法院关于审理专利纠纷案件适用法律问题的若干规定》的决定")[:20]
    '《最高人民法院关于修改〈最高人民法院关于审理'
    """
    return "《" + title.replace("《", "〈").replace("》", "〉") + "》"
