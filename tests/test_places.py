"""Tests for search.text.places and its gazetteer search/data/regions.tsv."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from search import settings
from search.errors import SearchError
from search.text.places import GazetteerError, RegionError, _gazetteer, level_of, region_of

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SEEDS = SHARED / "seeds"
LAWS = SHARED / "corpus" / "ip"
REGIONS = settings.DATA_DIR / "regions.tsv"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("三门峡市人民政府", ("河南省", "三门峡市")),
        ("罗山县人民政府", ("河南省", "信阳市", "罗山县")),
        ("河南省知识产权局", ("河南省",)),
        ("黑龙江省人民政府办公厅", ("黑龙江省",)),
        ("国务院", ()),
        ("北京市专利保护和促进条例", ("北京市",)),
        ("上海市浦东新区建立高水平知识产权保护制度若干规定", ("上海市", "浦东新区")),
        ("郑州市专利促进和保护条例", ("河南省", "郑州市")),
        ("广东省知识产权保护条例", ("广东省",)),
        ("河南省人民政府办公厅关于印发实施河南省知识产权战略纲要任务分工的通知", ("河南省",)),
        ("三门峡市人民政府 关于加快实施知识产权战略的意见", ("河南省", "三门峡市")),
        ("中共河南省委办公厅", ("河南省",)),
        ("河南省信阳市罗山县人民政府", ("河南省", "信阳市", "罗山县")),
        ("北京市朝阳区人民政府", ("北京市", "朝阳区")),
        ("济源市人民政府", ("河南省", "济源市")),  # a county-level city under the province
        ("内蒙古自治区人民政府", ("内蒙古自治区",)),
        ("中华人民共和国专利法", ()),
        ("最高人民法院 最高人民检察院关于办理侵犯知识产权刑事案件具体应用法律若干问题的解释（三）", ()),
        ("全国人民代表大会常务委员会", ()),
        ("各市（地）、县（市）人民政府（行署），省政府各直属单位：", ()),
        ("省知识产权局", ()),
        ("", ()),
    ],
)
def test_region_of(name, expected):
    assert region_of(name) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Short forms: a province's or city's opens a chain before any word …
        ("河南", ("河南省",)),  # not 青海's 河南蒙古族自治县: the higher level wins
        ("北京知识产权法院", ("北京市",)),
        ("杭州西湖文化景观保护管理条例", ("浙江省", "杭州市")),
        ("深圳经济特区数据条例", ("广东省", "深圳市")),
        ("北京市场监督管理局", ("北京市",)),  # 北京 + 市场监督管理局
        # … but not before an institution,
        ("吉林大学知识产权管理办法", ()),
        # … and a county's only before an organ.
        ("罗山人民政府", ("河南省", "信阳市", "罗山县")),
        ("太湖流域管理条例", ()),  # 太湖县 is in 安徽
        ("泰山风景名胜区保护管理条例", ()),
        # Two-character county names need an organ after them too.
        ("新县人民政府", ("河南省", "信阳市", "新县")),
        ("新县城建设规划", ()),
        ("和平区域合作", ()),
        # After a province only full names continue: the province enacts, 开封 is the subject.
        ("河南省开封城墙保护条例", ("河南省",)),
    ],
)
def test_region_of_short_forms_and_words(name, expected):
    assert region_of(name) == expected


@pytest.mark.parametrize(
    ("name", "found", "resolved"),
    [
        ("鼓楼区人民政府", ("鼓楼区",), ()),  # 南京, 徐州, 福州 and 开封 each have one
        ("江苏省鼓楼区人民政府", ("江苏省", "鼓楼区"), ("江苏省",)),  # still 南京 or 徐州
        ("河南省鼓楼区人民政府", ("河南省", "鼓楼区"), ("河南省", "开封市", "鼓楼区")),
        ("开封市鼓楼区人民政府", ("开封市", "鼓楼区"), ("河南省", "开封市", "鼓楼区")),
        ("朝阳区人民政府", ("朝阳区",), ()),  # 北京 or 长春
        ("城区人民政府", ("城区",), ()),
        ("吉林市人民政府", ("吉林市",), ("吉林省", "吉林市")),
    ],
)
def test_ambiguous_names_resolve_only_as_far_as_certain(name, found, resolved):
    assert region_of(name) == resolved


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("河南省人民政府办公厅关于印发实施河南省知识产权战略纲要任务分工的通知", ("河南省",)),
        ("罗山县人民政府文件", ("河南省", "信阳市", "罗山县")),  # the omitted levels filled in
        ("\n\n三门峡市人民政府文件", ("河南省", "三门峡市")),
        ("《黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见》", ("黑龙江省",)),
        ("上海市浦东新区建立高水平知识产权保护制度若干规定", ("上海市", "浦东新区")),
        ("国务院关于支持自由贸易试验区深化改革创新若干措施的通知", ()),
        ("济源示范区知识产权管理部门", ()),  # newer than the gazetteer's 济源市
    ],
)
def test_the_place_that_begins_a_title_or_letterhead(text, expected):
    assert region_of(text) == expected


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000_66ce048e690a739c.txt", ("河南省",)),
        ("001_7f4fbdf0e3c78fda.txt", ("河南省",)),
        ("002_d612a12ae481ae56.txt", ("河南省", "三门峡市")),
        ("003_06b732dbd06fe955.txt", ("河南省", "信阳市", "罗山县")),
        ("004_77ef637a5b3fa8c7.txt", ()),  # opens with its addressees, 各市（地）…
    ],
)
def test_region_of_seed_openings(seed, expected):
    opening = (SEEDS / seed).read_text(encoding="utf-8").strip().splitlines()[0]
    assert region_of(opening) == expected


def test_region_of_every_law_title():
    local = {
        "上海市专利保护条例": ("上海市",),
        "上海市浦东新区建立高水平知识产权保护制度若干规定": ("上海市", "浦东新区"),
        "北京市专利保护和促进条例": ("北京市",),
        "北京市反不正当竞争条例": ("北京市",),
        "广东省知识产权保护条例": ("广东省",),
        "河南省专利保护条例": ("河南省",),
        "浙江省专利条例": ("浙江省",),
        "郑州市专利促进和保护条例": ("河南省", "郑州市"),
    }
    paths = sorted(LAWS.glob("*.md"))
    titles = [p.read_text(encoding="utf-8").splitlines()[0].removeprefix("# ") for p in paths]
    assert len(titles) == 50
    assert {t: region_of(t) for t in titles} == {t: local.get(t, ()) for t in titles}


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ((), "国家"),
        (("河南省",), "省"),
        (("河南省", "三门峡市"), "市"),
        (("河南省", "信阳市", "罗山县"), "县"),
        (("北京市",), "省"),  # a 直辖市 alone is provincial
        (("上海市", "浦东新区"), "县"),  # and its districts county-level
        (("河南省", "济源市"), "县"),  # levels follow the adcode, not the tuple's length
        (("罗山县",), "县"),
        (("鼓楼区",), "县"),  # ambiguous place, one level
        (("香港特别行政区",), "省"),
    ],
)
def test_level_of(region, expected):
    assert level_of(region) == expected


@pytest.mark.parametrize("region", [("火星市",), ("河南省", "朝阳区"), ("三门峡",)])
def test_level_of_rejects_unknown_regions(region):
    with pytest.raises(RegionError):
        level_of(region)


def test_region_error_is_a_value_error_of_the_package():
    with pytest.raises(ValueError) as info:
        level_of(("河南省", "朝阳区"))
    assert isinstance(info.value, SearchError)
    assert str(info.value) == "河南省/朝阳区 is not a region of the gazetteer"


def test_regions_file_states_source_licence_and_generator():
    lines = REGIONS.read_text(encoding="utf-8").splitlines()
    comments = "\n".join(line for line in lines if line.startswith("#"))
    assert lines[0].startswith("# ")
    assert "cpca 0.5.5" in comments and "adcodes.csv" in comments
    assert "MIT License" in comments and "Copyright (c) 2018 QinYuan Du" in comments
    assert "scripts/make_regions.py" in comments
    assert "# adcode\tname\tparent_adcode\tlevel" in lines


def test_regions_file_rows():
    lines = REGIONS.read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    by_code = {row[0]: row for row in rows}
    assert len(by_code) == len(rows) == 3219
    assert {row[3] for row in rows} == {"省", "市", "县"}
    assert not {"市辖区", "县", "省直辖县级行政区划"} & {row[1] for row in rows}
    assert all(row[2] == "" if row[3] == "省" else row[2] in by_code for row in rows)
    assert by_code["411521000000"] == ["411521000000", "罗山县", "411500000000", "县"]
    assert by_code["310115000000"] == ["310115000000", "浦东新区", "310000000000", "县"]
    assert by_code["419001000000"] == ["419001000000", "济源市", "410000000000", "县"]


def test_malformed_gazetteer_is_an_error(tmp_path):
    bad = tmp_path / "regions.tsv"
    bad.write_text("# header\n410000000000\t河南省\t省\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"regions.tsv:2: expected"):
        _gazetteer(bad)
    with pytest.raises(GazetteerError, match="cannot read"):
        _gazetteer(tmp_path / "missing.tsv")


def load_make_regions():
    spec = importlib.util.spec_from_file_location("make_regions", PROJECT / "scripts" / "make_regions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_regions_drops_placeholders_and_reparents():
    make_regions = load_make_regions()
    csv_text = (
        "adcode,name,longitude,latitude\n"
        "110000000000,北京市,0,0\n110100000000,市辖区,0,0\n110105000000,朝阳区,0,0\n"
        "410000000000,河南省,0,0\n411500000000,信阳市,0,0\n411501000000,市辖区,0,0\n"
        "411521000000,罗山县,0,0\n419000000000,省直辖县级行政区划,0,0\n419001000000,济源市,0,0\n"
    )
    assert make_regions.build_rows(csv_text) == [
        ("110000000000", "北京市", "", "省"),
        ("110105000000", "朝阳区", "110000000000", "县"),
        ("410000000000", "河南省", "", "省"),
        ("411500000000", "信阳市", "410000000000", "市"),
        ("411521000000", "罗山县", "411500000000", "县"),
        ("419001000000", "济源市", "410000000000", "县"),
    ]
    with pytest.raises(make_regions.RegionTableError):
        make_regions.build_rows("adcode,name,longitude,latitude\n411521000000,罗山县,0,0\n")
