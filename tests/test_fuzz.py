"""Fuzzing: hypothesis drives the query parser, search and the ingestion of mutated real documents.

Only the named errors may escape (QuerySyntaxError/FilterError from queries, IngestError subclasses
from ingestion) and every call finishes within a bound of CPU time. The runs are derandomized and keep no
example database, so CI sees the same examples every time.
"""
from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import cn2an
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.analysis import segmenter
from search.errors import FilterError, IngestError, QuerySyntaxError, TooSlow
from search.build.units import index_documents
from search.ingest import ingest
from search.ingest.budget import cpu_budget
from search.query import ParsedQuery, parse_query
from search.searching import search
from search.settings import INGEST_CPU_SECONDS

from conftest import RAW_DOCS, SEED_FILES

pytestmark = pytest.mark.slow  # thousands of hypothesis examples

FUZZ = dict(database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# Bounds in CPU seconds of this process (time.process_time), never the clock: other work on a
# shared machine does not count against them. A query is parsed in milliseconds; a second means
# something went quadratic.
PARSE_CPU_SECONDS = 1.0
SEARCH_CPU_SECONDS = 5.0
# Documents get the build's own budget (settings.INGEST_CPU_SECONDS, enforced by cpu_budget): a
# mutated seed or law ingests in a tenth of a second, 10,000 clauses or 2 MB in 1–3 s; anything
# quadratic would take minutes (the cubic inline-label bug: 28 s for 4,000 characters).



@pytest.fixture(scope="module", autouse=True)
def loaded_dictionary():
    """Load jieba's dictionary (about a second, once) before any call is timed."""
    segmenter()


# -- queries ------------------------------------------------------------------------------

QUERY_PIECES = [
    '"', "“", "”", "「", "」", "『", "』", "'", "-", "－", " -", "--", "OR", "ＯＲ", "or", " OR ", "AND", "NOT",
    "(", ")", "（", "）", "[", "]", "〔", "〕", "【", "】", "［", "］", "{", "}", "*", "?", "~", "^", ":", "\\", "/",
    "第", "条", "款", "项", "第二十条", "第一百二十三条", "第〇条", "第十万条", "第二款", "第（一）项", "专利法",
    "专利法第二十条", "中华人民共和国著作权法实施条例第三条第二款", "解释（二）", "三政", "〔2014〕", "[2014]",
    "2014", "61号", "号", "国发", "专利", "商标", "质押融资", "知识产权局", "的", "title:", "text:",
    " ", "　", "\t", "\n", "\r", "\x00", "\x1b", "\x7f", "\u200b", "\ufeff", "\u202e", "\ud800", "\udcff",
    "𠀀", "😀", "ｑ", "Ａ",
]
PIECE = st.sampled_from(QUERY_PIECES)
QUERY = st.one_of(
    st.text(max_size=40),  # any code points, control characters included
    st.lists(st.one_of(PIECE, st.text(max_size=3)), max_size=16).map("".join),
    st.builds(lambda piece, n: piece * n, PIECE, st.integers(1, 150)),  # long ones pass MAX_QUERY_CHARS
)
FACET_NAMES = ["issuer", "level", "region", "year", "ip_type", "agency", "doc_type", "authority", "bogus"]


@settings(max_examples=1000, deadline=None, **FUZZ)
@given(q=QUERY)
def test_parse_query_raises_only_query_syntax_error(q):
    started = time.process_time()
    try:
        parsed = parse_query(q)
    except QuerySyntaxError as exc:
        assert str(exc)
    else:
        assert isinstance(parsed, ParsedQuery)
        json.dumps(parsed.to_dict())
    assert time.process_time() - started < PARSE_CPU_SECONDS


@settings(max_examples=300, deadline=None, **FUZZ)
@given(q=QUERY, facet=st.sampled_from(FACET_NAMES), value=QUERY, sort=st.sampled_from(["relevance", "date", "bogus"]),
       page=st.integers(-5, 10**6), per_page=st.integers(-5, 10**4), one_per_doc=st.booleans())
def test_search_raises_only_query_and_filter_errors(searchable, q, facet, value, sort, page, per_page, one_per_doc):
    started = time.process_time()
    try:
        result = search(searchable, q, filters={facet: [value]}, sort=sort, page=page, per_page=per_page,
                        one_per_doc=one_per_doc)
    except (QuerySyntaxError, FilterError) as exc:
        assert str(exc)
    else:
        json.dumps(result.to_dict())
    assert time.process_time() - started < SEARCH_CPU_SECONDS


# -- ingestion of mutated real documents --------------------------------------------------

REAL = [*SEED_FILES.values(), "gov.cn_content_5341736_专利代理条例.fragment.html",
        "特殊标志管理条例(1996-07-13).md", "专利代理条例(2018-11-06).md"]
ENCODINGS = ["gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig", "shift_jis"]
SIDECAR_KEYS = ["title", "doc_number", "issuer", "level", "region", "date", "published", "effective", "year",
                "doc_type", "authority", "source"]
JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


def _mutation(draw, data: bytes) -> bytes:
    how = draw(st.sampled_from(["truncate", "reencode", "mojibake", "splice", "overwrite", "random"]))
    if how == "truncate":  # usually mid UTF-8 sequence
        return data[:draw(st.integers(0, len(data)))]
    if how == "reencode":
        text = data.decode("utf-8", errors="replace")
        return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if how == "mojibake":  # UTF-8 read as Latin-1 (or cp1252) and saved again as UTF-8
        return data.decode(draw(st.sampled_from(["latin-1", "cp1252"])), errors="replace").encode("utf-8")
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=512)) + data[at:]
    if how == "overwrite":
        junk = draw(st.binary(min_size=1, max_size=64))
        at = draw(st.integers(0, len(data)))
        return data[:at] + junk + data[at + len(junk):]
    return draw(st.binary(max_size=4096))


@st.composite
def mutated_documents(draw):
    """A real document with one to three mutations, its suffix, and maybe a mutated sidecar."""
    name = draw(st.sampled_from(REAL))
    data = (RAW_DOCS / name).read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        data = _mutation(draw, data)
    suffix = draw(st.sampled_from([Path(name).suffix, ".txt", ".md", ".html"]))
    sidecar = draw(st.one_of(
        st.none(),
        st.binary(max_size=200),
        st.dictionaries(st.sampled_from(SIDECAR_KEYS), JSON, max_size=4).map(lambda d: json.dumps(d).encode()),
        JSON.map(lambda v: json.dumps(v).encode()),
    ))
    return data, suffix, sidecar


def ingest_within_bound(path: Path, root: Path):
    """Ingest ``path`` and index its clauses as a build does; only IngestError may escape, never too-slow."""
    try:
        with cpu_budget(path, INGEST_CPU_SECONDS):
            doc = ingest(path, root=root)
            list(index_documents(doc))  # what a build does next with it
    except TooSlow as exc:
        pytest.fail(f"{path.name}: {exc.message}")
    except IngestError as exc:
        assert exc.reason and exc.message
        doc = None
    else:
        json.dumps(doc.to_dict())
    return doc


@settings(max_examples=200, deadline=None, **FUZZ)
@given(document=mutated_documents())
def test_ingesting_mutated_documents_raises_only_ingest_errors(document):
    data, suffix, sidecar = document
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / f"doc{suffix}"
        path.write_bytes(data)
        if sidecar is not None:
            (root / "doc.meta.json").write_bytes(sidecar)
        ingest_within_bound(path, root)


# -- huge and deeply numbered documents ---------------------------------------------------

LABELS = [lambda n: f"{cn2an.an2cn(n)}、", lambda n: f"（{cn2an.an2cn(n)}）", lambda n: f"{n}.", lambda n: f"（{n}）",
          lambda n: "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"[(n - 1) % 20]]
TITLE = "关于加强知识产权保护工作的实施意见"


def _nested(lines: int) -> str:
    """一、（一）1.（1）① one inside the other, over and over: every line one level deeper than the last."""
    body = [LABELS[i % 5](i // 5 + 1) + f"第{i + 1}项任务：加强专利保护，由省知识产权局负责。" for i in range(lines)]
    return "\n".join([TITLE, *body])


def _seed_as_one_line(size: int) -> str:
    text = (RAW_DOCS / SEED_FILES["henan2022"]).read_text(encoding="utf-8").replace("\n", "")
    return (text * (size // len(text.encode()) + 1))[: size // 3]


# name → (file name, its text, how many clauses it must yield at least: None when it may be refused)
HUGE = {
    "nesting to depth 200": ("deep.txt", lambda: _nested(200), 200),
    "10,000 numbered items": ("wide.txt", lambda: _nested(10_000), 8_000),
    "10,000 articles with items": ("law.md", lambda: "\n".join(
        ["# 中华人民共和国专利法"] + [f"第{cn2an.an2cn(i)}条　专利权人应当缴纳年费。\n（一）按期缴纳；\n（二）逾期缴纳。"
                                     for i in range(1, 10_001)]), 10_000),
    "one 2 MB line of a real document": ("line.txt", lambda: _seed_as_one_line(2_000_000), None),
    "one 2 MB line in HTML": ("line.html", lambda: f"<html><body><p>{_seed_as_one_line(2_000_000)}</p></body></html>",
                              None),
    "200 KB of labels in one line": ("labels.txt", lambda: "一、（一）1.（1）①" * 8_000, None),
    # Nested past Python's recursion limit (the HTML walker used to raise RecursionError).
    "HTML nested 5,000 deep": ("nested.html", lambda: "<div><span>" * 2_500 + f"<p>一、{TITLE}。</p>" + "</span></div>" * 2_500,
                               1),
}


@pytest.mark.parametrize("case", HUGE, ids=list(HUGE))
def test_huge_and_deeply_numbered_documents_ingest_within_the_budget(case, tmp_path):
    name, make, min_clauses = HUGE[case]
    path = tmp_path / name
    path.write_text(make(), encoding="utf-8")
    doc = ingest_within_bound(path, tmp_path)
    if min_clauses is not None:
        assert doc is not None and len(doc.clauses) >= min_clauses
