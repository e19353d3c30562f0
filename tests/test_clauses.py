"""The clause tree: numbering styles, nesting, inline labels, law articles, ids."""
from search.ingest.clauses import build_clauses


def _tree(paragraphs):
    return [(c.kind, c.label, c.number, [s.label for s in c.path]) for c in build_clauses(paragraphs, "d")]


def test_policy_levels_nest_in_gb_order():
    clauses = _tree(["前言。", "一、总体要求", "（一）指导思想。以…为指导。", "1.第一项。", "（1）细目。", "2.第二项。",
                     "(二) 主要目标。", "二、主要任务"])
    assert clauses == [
        ("preamble", "", None, []), ("part", "一、", 1, []), ("section", "（一）", 1, ["一、"]),
        ("item", "1.", 1, ["一、", "（一）"]), ("subitem", "（1）", 1, ["一、", "（一）", "1."]),
        ("item", "2.", 2, ["一、", "（一）"]), ("section", "(二)", 2, ["一、"]), ("part", "二、", 2, []),
    ]


def test_full_width_digits_and_dun_comma():
    clauses = _tree(["１．加强保护。", "２、强化运用。", "10.完善服务。"])
    assert [(k, n) for k, _, n, _ in clauses] == [("item", 1), ("item", 2), ("item", 10)]


def test_dash_bullets_hang_under_the_open_item():
    clauses = _tree(["（二）基本原则", "——坚持改革创新。内容。", "——坚持市场导向。内容。", "（三）发展目标"])
    assert [(k, p) for k, _, _, p in clauses] == [("section", []), ("bullet", ["（二）"]), ("bullet", ["（二）"]), ("section", [])]


def test_inline_labels_after_a_sentence_end_and_after_a_short_heading():
    clauses = build_clauses(["现对任务作如下分工:一、关于战略目标1.必须把知识产权战略放在重要的战略位置。由各省辖市政府负责落实。"
                             "2.知识产权数量和质量大幅度提高。"], "d")
    assert [(c.label, c.heading) for c in clauses] == [
        ("", ""), ("一、", "关于战略目标"), ("1.", "必须把知识产权战略放在重要的战略位置。"), ("2.", "知识产权数量和质量大幅度提高。")]
    assert clauses[2].text == "必须把知识产权战略放在重要的战略位置。由各省辖市政府负责落实。"


def test_cross_references_are_not_items():
    clauses = build_clauses(["第十条 违反本条例第（一）项规定的，依照第二款处理。"], "d")
    assert [c.label for c in clauses] == ["第十条"]


def test_law_articles_paragraphs_and_items():
    clauses = build_clauses(["## 第一章 总则", "第一条 为了保护专利权人的合法权益，制定本法。",
                             "第二条 有下列情形之一的，不授予专利权：", "（一）科学发现；", "（二）智力活动的规则和方法。",
                             "对前款第（二）项所列产品的生产方法，可以依照本法规定授予专利权。", "## 第二章 申请",
                             "第三条 申请专利的，应当提交请求书。"], "law")
    kinds = [(c.kind, c.label, c.paragraph, c.parent_id) for c in clauses]
    assert kinds == [
        ("chapter", "第一章", None, None), ("article", "第一条", None, "law-c1"), ("article", "第二条", None, "law-c1"),
        ("item", "（一）", 1, "law-c1.a2"), ("item", "（二）", 1, "law-c1.a2"), ("chapter", "第二章", None, None),
        ("article", "第三条", None, "law-c2"),
    ]
    assert clauses[2].paragraphs == ("有下列情形之一的，不授予专利权：", "对前款第（二）项所列产品的生产方法，可以依照本法规定授予专利权。")
    assert clauses[0].heading == "总则" and clauses[1].heading == ""


def test_repeated_labels_get_unique_ids():
    clauses = build_clauses(["（十三）人才", "1.培养。", "3.环境。", "3.氛围。", "4.合作。"], "d")
    ids = [c.id for c in clauses]
    assert len(set(ids)) == len(ids)
    assert ids[2:4] == ["d-s13.i3", "d-s13.i3~2"]
