"""Tests for search.analysis: folding, word and character tokens, pickling, phrase exactness."""
import json
import os
import pickle
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import jieba
import pytest
from whoosh import index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser
from whoosh.query import Phrase, Prefix, Term

from search import analysis
from search.analysis import (
    BigramTokenizer,
    JiebaTokenizer,
    load_stopwords,
    make_analyzer,
    make_gram_analyzer,
    normalize,
    phrase_grams,
    segment,
    segmenter,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
SHARED = PROJECT_DIR.parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
LAWS = sorted((SHARED / "corpus" / "ip").glob("*.md"))

# Meaning-bearing words of legal text that must never be stop words.
MEANINGFUL = {"不", "非", "未", "无", "应当", "可以", "不得", "必须", "禁止", "或者", "由"}


def read(path):
    return path.read_text(encoding="utf-8")


def seed_lines():
    """Every non-blank line of the five seeds, as written (full-width and all)."""
    return [line for path in SEEDS for line in read(path).splitlines() if line.strip()]


def tokens(analyzer, text, **kwargs):
    """Copy the reused Token into (text, pos, startchar, endchar) tuples."""
    kwargs = {"positions": True, "chars": True, **kwargs}
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, **kwargs)]


def schema():
    return Schema(
        id=ID(stored=True, unique=True),
        text=TEXT(analyzer=make_analyzer()),
        grams=TEXT(analyzer=make_gram_analyzer(), phrase=True),
    )


def run_python(code, **env):
    """Run code in a fresh interpreter at the project root, warnings as errors."""
    return subprocess.Popen(
        [sys.executable, "-W", "error", "-c", code],
        cwd=PROJECT_DIR,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


# -- normalize ----------------------------------------------------------------------------


def test_width_and_case_fold_both_directions():
    assert normalize("ＰＣＴ") == normalize("PCT") == normalize("pct") == "pct"
    assert normalize("pct") == normalize("ＰＣＴ")
    assert normalize("对ＰＣＴ国际专利申请给予资助，鼓励企事业单位") == (
        "对pct国际专利申请给予资助,鼓励企事业单位"
    )


def test_fold_keeps_cjk_punctuation_and_folds_fullwidth_brackets():
    assert normalize("（一）《专利法》“十四五”。、") == "(一)《专利法》“十四五”。、"
    assert normalize("⽅法") == "方法"  # Kangxi radical U+2F45 from PDF extraction


def test_whitespace_collapsed_and_invisibles_dropped():
    assert normalize("　　各有关部门\r\n要按照\t分工 ") == "各有关部门 要按照 分工"
    assert normalize("专\u200b利\ufeff") == "专利"
    assert normalize("") == normalize(" \u3000\n") == ""


def test_normalize_is_idempotent_on_the_corpus():
    text = "".join(read(path) for path in SEEDS[:2] + LAWS[:3]) + "㈠①℃㎡ǅ…ＡＢＣ　ﾊﾟ"
    once = normalize(text)
    assert normalize(once) == once


# -- the word tokenizer -------------------------------------------------------------------


def test_positions_are_consecutive_word_counts_and_skip_punctuation():
    text = "专利、商标和地理标志，应当依法保护。"
    assert [(w, p) for w, p, _, _ in tokens(JiebaTokenizer(), text)] == [
        ("专利", 0),
        ("商标", 1),
        ("和", 2),
        ("地理标志", 3),
        ("应当", 4),
        ("依法", 5),
        ("保护", 6),
    ]
    # the stop word 和 is dropped and the survivors renumbered
    assert [(w, p) for w, p, _, _ in tokens(make_analyzer(), text)] == [
        ("专利", 0),
        ("商标", 1),
        ("地理标志", 2),
        ("应当", 3),
        ("依法", 4),
        ("保护", 5),
    ]


def test_start_pos_and_start_char_shift_the_numbering():
    plain = tokens(JiebaTokenizer(), "加快建设知识产权强省")
    shifted = tokens(JiebaTokenizer(), "加快建设知识产权强省", start_pos=2, start_char=10)
    assert [(w, p + 2, s + 10, e + 10) for w, p, s, e in plain] == shifted
    assert [p for _, p, _, _ in shifted] == [2, 3, 4]


def test_chars_point_into_the_original_fullwidth_text():
    text = "　　51.对ＰＣＴ国际专利申请给予资助，鼓励企事业单位"
    toks = tokens(JiebaTokenizer(), text)
    assert ("pct", 2, 6, 9) in toks
    for word, _, start, end in toks:
        assert normalize(text[start:end]) == word


def test_chars_survive_length_changing_folds():
    text = "㈠专利\u200b权人  在\r\n先权利"
    toks = tokens(JiebaTokenizer(), text)
    assert normalize(text) == "(一)专利权人 在 先权利"
    by_word = {w: text[s:e] for w, _, s, e in toks}
    assert by_word["一"] == "㈠"  # the whole source character of the expansion
    assert by_word["专利权人"] == "专利\u200b权人"
    assert [w for w, _, _, _ in toks] == ["一", "专利权人", "在", "先", "权利"]


@pytest.mark.parametrize("path", SEEDS[:2] + LAWS[:2], ids=lambda p: p.stem[:12])
def test_chars_map_to_the_original_on_real_documents(path):
    text = read(path)  # whole file: newlines, blank lines, full-width punctuation
    toks = tokens(JiebaTokenizer(), text)
    assert [p for _, p, _, _ in toks] == list(range(len(toks)))
    assert [s for _, _, s, _ in toks] == sorted(s for _, _, s, _ in toks)
    for word, _, start, end in toks:
        assert word in normalize(text[start:end])


def test_tokenizer_keywords_follow_regextokenizer():
    tok = JiebaTokenizer()
    whole = list(tok("ＰＣＴ申请", tokenize=False, positions=True, chars=True, start_pos=3))
    assert [(t.text, t.pos, t.startchar, t.endchar) for t in whole] == [("pct申请", 3, 0, 5)]
    orig = [t.original for t in tok("对ＰＣＴ申请", keeporiginal=True)]
    assert orig == ["对", "ＰＣＴ", "申请"]
    kept = [(t.text, t.stopped) for t in make_analyzer()("专利和商标", removestops=False)]
    assert kept == [("专利", False), ("和", True), ("商标", False)]
    assert {t.mode for t in tok("专利", mode="query")} == {"query"}
    with pytest.raises(TypeError):
        list(tok(b"bytes"))


def test_tokens_match_bare_jieba_default_mode_on_a_law():
    text = normalize(read(LAWS[3]))
    ours = [t.text for t in JiebaTokenizer()(text)]
    jiebas = [w for w in segmenter().cut(text) if any(c.isalnum() for c in w)]
    assert ours == jiebas  # default mode: no overlapping search-mode sub-words


# -- the bigram tokenizer -----------------------------------------------------------------


def test_bigrams_spell_the_normalized_text():
    text = "　　对ＰＣＴ国际专利申请\r\n给予资助，"
    toks = tokens(BigramTokenizer(), text)
    folded = normalize(text)
    assert [w for w, _, _, _ in toks] == [folded[i:i + 2] for i in range(len(folded))]
    assert [p for _, p, _, _ in toks] == list(range(len(folded)))
    assert ("pc", 1, 3, 5) in toks
    assert ("请 ", 9, 11, 14) in toks  # the space token spans \r\n
    assert toks[-1] == (",", 15, 18, 19)  # the last character stands alone


def test_bigram_tokenizer_keywords_and_query_mode():
    shifted = tokens(BigramTokenizer(), "专利", start_pos=5, start_char=7)
    assert shifted == [("专利", 5, 7, 9), ("利", 6, 8, 9)]
    assert [t.original for t in BigramTokenizer()("ＰＣ", keeporiginal=True)] == ["ＰＣ", "Ｃ"]
    assert phrase_grams("专利权") == ["专利", "利权"]  # no lone last character to match
    assert phrase_grams("权") == ["权"]
    assert phrase_grams(" ") == []  # blank: nothing to match


# -- dictionary and stop words ------------------------------------------------------------

USERDICT_LINE = re.compile(r"^(\S+) ([1-9][0-9]*) ([a-z]+)$")


def userdict_words():
    return [line.split()[0] for line in read(analysis.USERDICT_PATH).splitlines()]


def test_userdict_is_jieba_format_without_comments():
    lines = read(analysis.USERDICT_PATH).splitlines()
    assert lines and all(USERDICT_LINE.match(line) for line in lines)
    words = [line.split()[0] for line in lines]
    assert len(words) == len(set(words))
    assert all(normalize(w) == w for w in words)


def test_userdict_never_lowers_jiebas_own_frequency():
    bare = jieba.Tokenizer()
    bare.initialize()
    for line in read(analysis.USERDICT_PATH).splitlines():
        word, freq, _ = line.split()
        assert int(freq) >= bare.FREQ.get(word, 0), word


def test_every_userdict_word_is_cut_whole():
    assert [w for w in userdict_words() if segment(w) != [w]] == []


@pytest.mark.parametrize(
    "sentence, words",
    [  # cut from the seeds
        ("商业秘密、地理标志、遗传资源、传统知识、民间文艺和集成电路布图设计等得到有效保护与应用",
         ["商业秘密", "地理标志", "遗传资源", "传统知识", "民间文艺", "集成电路布图设计"]),
        ("全省知识产权质押融资额达105.5亿元", ["知识产权", "质押融资"]),
        ("大力实施专利导航产业发展项目", ["专利导航"]),
        ("布局127个产业集聚区知识产权维权援助工作站", ["知识产权", "维权援助"]),
        ("将知识产权强省纳入全省经济社会发展规划", ["知识产权强省"]),
        ("拥有一批优良植物新品种", ["植物新品种"]),
        ("由省工业和信息化厅、发展改革委、省政府国资委、财政厅、科技厅", ["工业和信息化厅", "发展改革委"]),
        ("确有证据证明商标局或者商标评审委员会", ["商标局", "商标评审委员会"]),
    ],
)
def test_domain_words_stay_whole_in_context(sentence, words):
    cut = segment(sentence)
    assert [w for w in words if w not in cut] == []


def test_stopwords_are_short_and_keep_legal_meaning():
    stops = load_stopwords()
    assert {"的", "了", "和", "与", "及", "等", "对", "在", "为"} <= stops
    assert stops.isdisjoint(MEANINGFUL)
    assert len(stops) < 40


def test_segment_drops_stop_words_but_not_one_character_words():
    assert segment("专利权人应当依法缴纳专利年费的") == ["专利权人", "应当", "依法", "缴纳", "专利", "年费"]
    # StopFilter's default minsize=2 would drop the one-character 由 and 人
    assert segment("违反本法规定的，由有关部门责令改正") == [
        "违反", "本法", "规定", "由", "有关", "部门", "责令", "改正"
    ]
    assert "人" in segment("商标注册人享有商标专用权")


# -- the segmenter ------------------------------------------------------------------------


def test_segmenter_is_built_once_under_concurrent_first_use(monkeypatch):
    built = []

    class SlowTokenizer:
        def __init__(self):
            built.append(self)

        def initialize(self):
            time.sleep(0.05)

        def load_userdict(self, f):
            assert f.read()

    monkeypatch.setattr(analysis, "_segmenter", None)
    monkeypatch.setattr(analysis.jieba, "Tokenizer", SlowTokenizer)
    got = []
    threads = [threading.Thread(target=lambda: got.append(segmenter())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(built) == 1
    assert all(seg is built[0] for seg in got) and len(got) == 8


def test_two_cold_processes_share_the_jieba_cache_quietly(tmp_path):
    code = "from search.analysis import segment; print(segment('加快建设知识产权强省'))"
    procs = [run_python(code, TMPDIR=str(tmp_path)) for _ in range(2)]
    results = [proc.communicate(timeout=60) + (proc.returncode,) for proc in procs]
    assert results == [("['加快', '建设', '知识产权强省']\n", "", 0)] * 2
    assert (tmp_path / "jieba.cache").is_file()


# -- pickling: the analyzer is part of the on-disk format ---------------------------------


def test_analyzers_and_schema_pickle():
    segment("知识产权")  # the segmenter exists; it must not ride along
    assert vars(JiebaTokenizer()) == {"hmm": True}
    assert vars(BigramTokenizer()) == {}
    for make in (make_analyzer, make_gram_analyzer):
        blob = pickle.dumps(make())
        assert b"search.analysis" in blob
        again = pickle.loads(blob)
        assert again == make()
        assert tokens(again, "地理标志产品") == tokens(make(), "地理标志产品")
    assert pickle.loads(pickle.dumps(schema())) == schema()


def test_index_reopens_in_a_fresh_process(tmp_path):
    ix = index.create_in(tmp_path, schema())
    with ix.writer() as writer:
        writer.add_document(id="a", text="中国(新乡)知识产权保护中心", grams="中国(新乡)知识产权保护中心")
        writer.add_document(id="b", text="ＰＣＴ国际专利申请", grams="ＰＣＴ国际专利申请")
    ix.close()
    code = f"""if True:
        import json
        from whoosh import index
        from whoosh.query import Phrase, Prefix, Term
        from search.analysis import segment
        ix = index.open_dir({str(tmp_path)!r})
        ana = ix.schema["grams"].analyzer
        with ix.searcher() as s:
            def ids(q):
                return sorted(hit["id"] for hit in s.search(q))
            print(json.dumps({{
                "module": type(ana).__module__,
                "phrase": ids(Phrase("grams", [t.text for t in ana("保护中心", mode="query")])),
                "word": ids(Term("text", segment("ＰＣＴ")[0])),
            }}))
    """
    out, err = run_python(code).communicate(timeout=60)
    assert err == ""
    assert json.loads(out) == {"module": "search.analysis", "phrase": ["a"], "word": ["b"]}


# -- exact phrases ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    """The seeds, one document per line, indexed with the word and character fields.

    On disk, not in RamStorage: a RamStorage writer spills to the fixed directory
    $TMPDIR/MAIN.tmp and deletes it when done, which breaks any other process doing the same.
    """
    lines = seed_lines()
    ix = index.create_in(tmp_path_factory.mktemp("seeds"), schema())
    with ix.writer() as writer:
        for i, line in enumerate(lines):
            writer.add_document(id=str(i), text=line, grams=line)
    return ix, {str(i): normalize(line) for i, line in enumerate(lines)}


def sample_phrases(count, texts, rng):
    """Cut ``count`` substrings of 2–8 characters from random lines of ``texts``."""
    phrases = []
    while len(phrases) < count:
        line = rng.choice(texts)
        size = rng.randint(2, 8)
        if len(line) >= size:
            start = rng.randrange(len(line) - size + 1)
            if normalize(line[start : start + size]):  # not all blank
                phrases.append(line[start : start + size])
    return phrases


def exactness_phrases():
    rng = random.Random(4)  # issue 4
    seeds = [normalize(line) for line in seed_lines()]
    laws = [line for path in LAWS for line in read(path).splitlines() if line.strip()]
    fixed = ["专利权质押", "保护中心", "ＰＣＴ国际专利申请", "pct国际", "（一）", "、、", "00"]
    # raw law lines keep their full-width punctuation; the query side must fold it too
    return fixed + sample_phrases(200, seeds, rng) + sample_phrases(200, laws, rng)


def test_known_phrases(seed_index):
    ix, normalized = seed_index
    with ix.searcher() as searcher:
        def hits(phrase):
            return {hit["id"] for hit in searcher.search(Phrase("grams", phrase_grams(phrase)), limit=None)}

        assert hits("专利权质押") == set()
        assert hits("保护中心") == {i for i, text in normalized.items() if "保护中心" in text} != set()
        pct = hits("ＰＣＴ国际专利申请")
        assert pct == hits("pct国际专利申请")
        assert {normalized[i].find("pct国际专利申请") >= 0 for i in pct} == {True}


def test_quoted_phrase_hits_are_exactly_the_substring_matches(seed_index):
    ix, normalized = seed_index
    parser = QueryParser("grams", ix.schema)
    mismatches = []
    with ix.searcher() as searcher:
        for phrase in exactness_phrases():
            wanted = normalize(phrase)
            expected = {i for i, text in normalized.items() if wanted in text}
            grams = phrase_grams(phrase)
            if len(grams) > 1:
                query = Phrase("grams", grams)
            else:  # one term: a bigram, or one character that begins a bigram or ends a text
                query = Term("grams", grams[0]) if len(grams[0]) == 2 else Prefix("grams", grams[0])
            got = {hit["id"] for hit in searcher.search(query, limit=None)}
            if got != expected:
                mismatches.append((phrase, "Phrase", len(got), len(expected)))
            if '"' not in phrase and len(wanted) > 1:  # the query parser's route to the same field
                parsed = parser.parse(f'"{phrase}"')
                got = {hit["id"] for hit in searcher.search(parsed, limit=None)}
                if got != expected:
                    mismatches.append((phrase, str(parsed), len(got), len(expected)))
    assert mismatches == []


def test_word_phrase_reads_through_punctuation(seed_index):
    ix, normalized = seed_index
    with ix.searcher() as searcher:
        query = Phrase("text", ["商业秘密", "地理标志"])  # written 商业秘密、地理标志
        got = {hit["id"] for hit in searcher.search(query, limit=None)}
    assert got and all("商业秘密、地理标志" in normalized[i] for i in got)
