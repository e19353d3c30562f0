"""Limits, thresholds and default paths, in one place so the logic holds no magic numbers."""
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_SOURCE_DIR = PROJECT_DIR / "raw_docs"
DEFAULT_INDEX_DIR = PROJECT_DIR / "index"

# Reading. Our largest real law is ~330 KB; a file past this is refused with FileTooLarge
# rather than slowing every build (the issue asks for a clear message on tens of MB).
MAX_FILE_BYTES = 8 * 1024 * 1024
# An HTML page with more start tags than this is refused with FileTooLarge before it is parsed:
# reading is linear in the elements, but each costs about 17 µs and 1 KB (100,000 nested open
# cells: 1.7 s, 100 MB). The largest real page, nfra.gov.cn's 374 KB penalty table, has 2,185.
MAX_HTML_ELEMENTS = 100_000
# A file whose first block has more NUL or control bytes than this share is binary.
BINARY_SNIFF_BYTES = 8192
BINARY_CONTROL_RATIO = 0.05

SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
# A sidecar holds a few metadata fields (the bundled one is 150 bytes); past this it is refused.
MAX_SIDECAR_BYTES = 64 * 1024
# A sidecar's text value (a title, a 文号) is one line of at most this many characters.
MAX_SIDECAR_TEXT_CHARS = 500
# Years a document may carry: four digits, as the year filter reads them (2014, 2010-2016).
MIN_YEAR = 1000
MAX_YEAR = 9999

# A build gives up on a file whose reading and indexing take more CPU time than this (skipped as
# too-slow): the slowest of the 3,422 real laws of the scale corpus (300 KB) takes 0.12 s, a 450 KB
# page of nested open table cells 1.7 s (2026-12-01, 2 cores).
INGEST_CPU_SECONDS = 10.0

# Cleaning: a repeated sentence shorter than this, standing alone between new sentences,
# is taken as legitimate wording (e.g. "由省科技厅、知识产权局负责落实。") and kept.
MIN_REPEAT_SENTENCE_CHARS = 40
# A numbered line with no sentence-end inside and at most this many characters is a heading,
# never the first half of a broken line.
MAX_HEADING_CHARS = 40
# A line shorter than this, ending without punctuation, is a line of its own (a name, a table cell);
# the shortest real wrapped line in the seeds is 17 characters (《黑龙江省人民政府关于新形势下加快).
MIN_WRAPPED_LINE_CHARS = 16
# A clause's first sentence becomes its heading when it is at most this long.
MAX_CLAUSE_HEADING_CHARS = 40
# An organ's name at the start of a title is at most this long (国家金融监督管理总局浙江监管局: 15).
MAX_ORGAN_CHARS = 30
# A law's 文号 on a line of its own (法释〔2022〕13号) is looked for in this many paragraphs
# after its header, before its first article.
LAW_DOC_NUMBER_LINES = 8
# A short line ending with a document type (通知, 意见, 规划 …) is a title, not a broken line.
MAX_TITLE_CHARS = 80
# Sentence-level deduplication only runs on a document whose repeated sentences make up at least
# this share of its text: the 2009 Henan scrape repeats 23 %, no law of the 3,422 in the scale
# corpus repeats more than 14 % (measured over every file).
REPEAT_SHARE_FOR_DEDUP = 0.18

# Indexing. Whoosh's writer buffers this many MB of postings before spilling a run to disk;
# STYLE.md found its default of 128 slower at 100 k clauses than 256–512.
WRITER_LIMIT_MB = 256
# A build with at least this many files to read runs one worker process per core (parts.py);
# below it, forking costs more than it saves (raw_docs/, 57 files, is read in-process).
PARALLEL_BUILD_MIN_FILES = 200
BUILD_PROCS = None  # workers of a parallel build; None: the cores this process may use

# Querying. A query longer than this (as typed) is refused with QuerySyntaxError: real
# queries are a few words, a 文号 or a law name plus 第X条; 200 is ~4 lines of a clause.
MAX_QUERY_CHARS = 200
# A longer query is a pasted passage, read as "find clauses like this text", up to this length.
MAX_PASSAGE_CHARS = 2000
# Below this many exact hits a search of several words adds the ranked reading (every word
# optional) after them; a question always gets it.
LOOSE_BELOW = 10
# Highlighting: snippet length in original characters, and the share of it shown before the
# first match (so the reader sees what leads up to the match).
SNIPPET_CHARS = 120
SNIPPET_LEAD_SHARE = 0.25

# Result pages: page sizes and depths a request may ask for are clamped to these.
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_PAGE = 1000
# Article and paragraph numbers a query may name (第X条第Y款): the longest code, 民法典, has
# 1,260 articles; past this a number is refused, as the index stores article numbers in 32 bits.
MAX_ARTICLE_NUMBER = 9999
# A law's name in the query (专利法) multiplies the score of that law's clauses by about this.
LAW_NAME_BOOST = 20.0
# A typed word found only inside a longer word (职务发明 in 职务发明创造) scores this share of
# a match of the word itself.
INSIDE_WORD_BOOST = 0.5
# A word is looked for inside at most this many longer words of the index (the commonest), and
# the longer words of this many typed words are remembered per index generation.
INSIDE_WORDS_MAX = 64
INSIDE_WORDS_CACHE = 10_000
# A word is looked for inside longer words and across two (民事诉讼 in 民事/诉讼法) only while it
# stands in at most this many clauses itself: past that, the search costs more than it finds.
INSIDE_MAX_CLAUSES = 500
# The ranked reading of a question adds its best this many clauses after the exact hits (filters
# apply after), ranking by its rarest this many words and as many legal terms.
LOOSE_LIMIT = 500
LOOSE_WORDS_MAX = 8
# … matching them in these fields: every field is one more pass over a word's postings, in Python.
LOOSE_FIELDS = ("text",)
# A filter takes at most this many values of one facet (a form could send thousands).
MAX_FILTER_VALUES = 20
# The document bearing a typed 文号 scores this many times a clause that only cites it.
DOC_NUMBER_BOOST = 10.0
# A legal term searched for an everyday word (everyday.toml) weighs this share of a user's word.
EVERYDAY_BOOST = 0.4
# In the ranked reading, a quoted phrase (some clause holds) weighs this many times a word.
PHRASE_BOOST = 2.0
# "Did you mean": how many near words of a typed word no clause holds are weighed (search/suggest.py).
SUGGEST_CANDIDATES = 8
# A word searched in place of a typed word no clause holds weighs this share of a user's word.
CORRECTION_BOOST = 0.8
# A document of the place a query names (郑州) gains this much score; of a place above it, half.
PLACE_BOOST = 8.0
# The array query path (search/postings.py) keeps the postings of the terms it read last, up to
# this many megabytes per serving process (at 100 k clauses a question reads 1–5 MB of postings).
POSTINGS_CACHE_MB = 128
# Similar clauses: how many of a clause's most distinctive words make the comparison query,
# and how many similar clauses are listed by default and at most.
SIMILAR_KEY_TERMS = 20
SIMILAR_DEFAULT = 10
SIMILAR_MAX = 50

# Validity (search.validity). A revised text whose words give only its first version's 施行 day
# does not say when it took effect: for this many days after the revision its status is 未知;
# after them 现行有效 (PRC revisions come into force within months of adoption: 专利法 2020-10-17 →
# 2021-06-01, 细则 2023-12-11 → 2024-01-20), the reason naming what was assumed.
UNSTATED_START_DAYS = 366
# How many levels a walk up or down the 依据 graph goes; a cycle of references ends where it began.
MAX_WALK_DEPTH = 6
# The articles (or units) a 新旧对照 compares, per version: beyond it the pairing's matrix grows too large.
DIFF_MAX_UNITS = 1500
