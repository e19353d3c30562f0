"""Text analysis for the index: width/case folding, jieba word tokens, character bigrams.

Sits between the clause records and ``schema.py``. Whoosh pickles every analyzer into the
index, so the import path ``search.analysis`` and the class names below are part of the
on-disk format: never move or rename them without a schema version bump and a rebuild.
The tokenizers hold only picklable config; the jieba segmenter lives in this module,
built once per process by :func:`segmenter`.

Two fields, two analyzers:

* ``text`` — :func:`make_analyzer`, jieba words, for ranking. jieba runs in its DEFAULT
  mode (non-overlapping words, never ``mode="search"``). Positions count emitted words:
  whitespace and pure-punctuation tokens are skipped and take no position, stop words are
  removed and the survivors renumbered (``StopFilter(renumber=True)``), and the query side
  gets the same numbering from the same analyzer. A word phrase on this field therefore
  reads through punctuation and stop words; it is a recall aid, not the exact match.
* ``grams`` — :func:`make_gram_analyzer`, overlapping character bigrams of :func:`normalize`'d
  text (punctuation and the collapsed space included; the last character also stands alone),
  one position per character. A quoted phrase is the ``Phrase`` of its bigrams
  (:func:`phrase_grams`: ``"保护中心"`` → 保护 护中 中心), and it matches a clause exactly when
  ``normalize(phrase) in normalize(clause)`` however jieba would cut either: consecutive
  bigrams at consecutive positions spell the substring, nothing is dropped, so no match can
  bridge a gap nor miss one. A two-character phrase is one term; a one-character phrase is
  the prefix of the terms (every character starts a bigram or ends the text). Bigrams
  rather than single characters because their posting lists are far shorter: a phrase's
  rarest bigram bounds the positions Whoosh has to compare (法律责任: 21 → 7 ms at 10 k
  clauses). Whoosh's QueryParser reads ``"…"`` on this field the same way (query mode drops
  the lone last character), for phrases of two characters or more.

Offsets: :func:`normalize` folds character by character (NFKC, then lowercase; whitespace
becomes one space; invisible format and control characters are dropped), so every
normalized character knows the original character it came from. ``startchar``/``endchar``
always index the ORIGINAL string, also when folding changed its length (``㈠`` → ``(一)``),
so highlights land on the text as displayed.

Data files (``search/data/``; changing either means rebuilding the index, see
:func:`search.schema.data_fingerprints`):

* ``userdict.txt`` — jieba's user-dictionary format, one ``word freq tag`` per line, read
  with jieba's own ``load_userdict``. That loader has no comment syntax (a line
  ``# note`` silently becomes the word ``#`` with the POS tag ``note``), so the file has no
  header and is documented here instead. Words are written already normalized (lowercase,
  half-width). A new word gets 50 (or 3× the frequency at which jieba starts to keep it
  whole, if higher); a word jieba already knows keeps jieba's frequency, never a lower one,
  because ``add_word`` overwrites it (商标局 is raised to 500 so that 证明商标 does not
  split 证明/商标局). Tags: ``nz`` term of art, ``nt`` agency. Entries are kept only when
  bare jieba 0.42.1 cuts the word apart somewhere in the seeds or laws, except for the
  core domain terms (质押融资, 专利导航 …), which stay listed so they never depend on jieba's
  dictionary. Compounds like 商标注册人 are left out: adding them split 驰名商标注册人
  into 驰名/商标注册人.
* ``stopwords.txt`` — one word per line; ``#`` starts a comment line. Deliberately short:
  negation and modality (不, 非, 未, 应当, 可以, 不得, 或者 …) carry meaning in legal text.
"""
from __future__ import annotations

import functools
import logging
import threading
import warnings

from whoosh.analysis import LowercaseFilter, StopFilter, Token, Tokenizer

from search.settings import DATA_DIR
from search.text.normalize import fold, normalize

# setuptools >= 80 warns on `import pkg_resources`, which jieba 0.42.1 does at import time
# (jieba/_compat.py); with warnings as errors that would make jieba unimportable.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
    import jieba

USERDICT_PATH = DATA_DIR / "userdict.txt"
STOPWORDS_PATH = DATA_DIR / "stopwords.txt"

__all__ = [
    "BigramTokenizer",
    "JiebaTokenizer",
    "load_stopwords",
    "make_analyzer",
    "make_gram_analyzer",
    "phrase_grams",
    "normalize",
    "segment",
    "segmenter",
]


# -- data ---------------------------------------------------------------------------------


def load_stopwords() -> frozenset[str]:
    """Read ``stopwords.txt`` (normalized; ``#`` lines are comments)."""
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(
        normalize(line) for line in lines if line.strip() and not line.lstrip().startswith("#")
    )


# -- the segmenter ------------------------------------------------------------------------

_segmenter: jieba.Tokenizer | None = None
_segmenter_lock = threading.Lock()


def segmenter() -> jieba.Tokenizer:
    """Return this process's jieba segmenter, building it (and loading the dictionaries) once.

    The first call takes about a second. jieba caches its prefix dictionary in the temp
    directory, writing it to a temporary file renamed into place, so processes starting
    together do not read each other's half-written cache.
    """
    global _segmenter
    if _segmenter is None:
        with _segmenter_lock:
            if _segmenter is None:
                jieba.setLogLevel(logging.WARNING)  # "Building prefix dict …" goes to stderr
                seg = jieba.Tokenizer()
                seg.initialize()
                # Opened here so it is closed: load_userdict(path) leaves the file open.
                with USERDICT_PATH.open("rb") as f:
                    seg.load_userdict(f)
                _segmenter = seg
    return _segmenter


# -- tokenizers ---------------------------------------------------------------------------


def _is_word(token: str) -> bool:
    """Tell whether a jieba token has a letter or digit (else it is space or punctuation)."""
    return any(ch.isalnum() for ch in token)


def _cut(text: str, hmm: bool):
    """Return jieba's default-mode words of ``text``; short texts are remembered.

    Every clause of a document carries its title, so a build segments the same title once per
    clause; remembering short texts (titles, headings, queries) saves that work.
    """
    if len(text) <= CUT_CACHE_MAX_CHARS:
        return _cut_cached(text, hmm)
    return segmenter().cut(text, HMM=hmm)


@functools.lru_cache(maxsize=4096)
def _cut_cached(text: str, hmm: bool) -> tuple[str, ...]:
    return tuple(segmenter().cut(text, HMM=hmm))


CUT_CACHE_MAX_CHARS = 120  # titles and headings; clause bodies are segmented as they come


class JiebaTokenizer(Tokenizer):
    """Cut normalized text into jieba words (default mode) with word-count positions.

    Holds only ``hmm`` (jieba's unknown-word model flag), so it pickles; the segmenter
    comes from :func:`segmenter`.

    >>> [t.text for t in JiebaTokenizer()("ＰＣＴ国际申请与地理标志")]
    ['pct', '国际', '申请', '与', '地理标志']
    """

    def __init__(self, hmm: bool = True):
        self.hmm = hmm

    def __eq__(self, other):
        return other.__class__ is self.__class__ and other.hmm == self.hmm

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        """Yield one reused Token per word; the keywords are those of ``RegexTokenizer``.

        :param start_pos: position of the first word (2 numbers the words 2, 3, 4, …).
        :param start_char: offset added to ``startchar``/``endchar``, which index ``value``
            as given, before normalization.
        """
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a str")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(t, value, positions, chars, keeporiginal, start_pos, start_char)
            return
        text, starts, ends = fold(value)
        pos = start_pos
        b = 0
        # cut() in its default mode, with the offsets tokenize() would add, minus its overhead
        for word in _cut(text, self.hmm):
            a, b = b, b + len(word)
            if not (word.isalnum() or _is_word(word)):  # isalnum: the fast path for words
                continue
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            pos += 1
            if chars or keeporiginal:
                sc, ec = (a, b) if starts is None else (starts[a], ends[b - 1])
                if chars:
                    t.startchar = start_char + sc
                    t.endchar = start_char + ec
                if keeporiginal:
                    t.original = value[sc:ec]
            yield t


class BigramTokenizer(Tokenizer):
    """Yield the overlapping character bigrams of the normalized text, position = start character.

    Stateless. Indexing also yields the last character alone, so that every character
    begins a term; ``mode="query"`` leaves it out (a phrase's bigrams must match anywhere,
    not only at the end). See the module docstring.

    >>> [t.text for t in BigramTokenizer()("保护（中心）")]
    ['保护', '护(', '(中', '中心', '心)', ')']
    """

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        """Yield one reused Token per bigram; keywords as ``RegexTokenizer``."""
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a str")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            yield _whole(t, value, positions, chars, keeporiginal, start_pos, start_char)
            return
        text, starts, ends = fold(value)
        count = len(text) - 1 if mode == "query" and len(text) > 1 else len(text)
        for i in range(count):
            t.text = text[i:i + 2]
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = start_pos + i
            if chars or keeporiginal:
                last = min(i + 1, len(text) - 1)
                sc, ec = (i, last + 1) if starts is None else (starts[i], ends[last])
                if chars:
                    t.startchar = start_char + sc
                    t.endchar = start_char + ec
                if keeporiginal:
                    t.original = value[sc:ec]
            yield t


def _whole(t, value, positions, chars, keeporiginal, start_pos, start_char):
    """Fill ``t`` as the single token of an untokenized value (``tokenize=False``)."""
    t.text = normalize(value)
    t.boost = 1.0
    t.stopped = False
    if keeporiginal:
        t.original = value
    if positions:
        t.pos = start_pos
    if chars:
        t.startchar = start_char
        t.endchar = start_char + len(value)
    return t


# -- analyzers ----------------------------------------------------------------------------


def make_analyzer():
    """Build the word analyzer of the ``text`` field.

    ``minsize=1`` because StopFilter's default of 2 would drop every one-character word
    (法, 条, 权 …).
    """
    return JiebaTokenizer() | LowercaseFilter() | StopFilter(stoplist=load_stopwords(), minsize=1)


def make_gram_analyzer():
    """Build the bigram analyzer of the ``grams`` field (answers quoted phrases)."""
    return BigramTokenizer()


def phrase_grams(phrase: str) -> list[str]:
    """Return the ``grams`` terms a phrase's text must show at consecutive positions.

    One term for a one-character phrase: match it as a prefix (see the module docstring).

    >>> phrase_grams("ＰＣＴ申请"), phrase_grams("权")
    (['pc', 'ct', 't申', '申请'], ['权'])
    """
    return [t.text for t in BigramTokenizer()(phrase, mode="query")]


@functools.cache
def _query_analyzer():
    return make_analyzer()


def segment(text: str) -> list[str]:
    """Cut query text into the words the ``text`` field holds (normalized, no stop words).

    >>> segment("专利权质押融资的ＰＣＴ申请")
    ['专利权', '质押融资', 'pct', '申请']
    """
    return [t.text for t in _query_analyzer()(text, mode="query")]


def subwords(word: str) -> list[str]:
    """Return the shorter dictionary words that tile ``word`` left to right, or [] when none do.

    jieba may cut the same characters differently in context (知识产权保护中心 → 知识产权/保护/中心),
    so a query word is also looked for as the phrase of its pieces (保护中心 → 保护 中心).

    >>> subwords("保护中心")
    ['保护', '中心']
    """
    freq = segmenter().FREQ
    pieces = sorted({word[i:j] for i in range(len(word)) for j in range(i + 2, len(word) + 1)
                     if j - i < len(word) and freq.get(word[i:j])}, key=len, reverse=True)
    tiling, at = [], 0
    while at < len(word):
        piece = next((p for p in pieces if word.startswith(p, at)), word[at])
        tiling.append(piece)
        at += len(piece)
    return tiling if len(tiling) > 1 and any(len(p) > 1 for p in tiling) else []
