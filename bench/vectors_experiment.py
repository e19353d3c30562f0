"""Do terms related by the corpus itself add recall? Word vectors (gensim word2vec) trained on the 3,422 laws
of the scale corpus, their nearest words added to the ranked reading of bench/relevance.tsv's questions.

    .venv/bin/pip install gensim==4.4.0 && .venv/bin/python bench/vectors_experiment.py

Measured 2026-12-02: they lower recall@10 (0.918 → 0.836–0.877) and MRR@10 (0.675 → 0.608–0.648), so the
project does not use them and gensim is no dependency of it. Needs the index of raw_docs/ in index/.
"""
import sys, tarfile, time
from pathlib import Path
PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from gensim.models import Word2Vec
from search.analysis import segment
from search import searching
from search.questions import content_words
from bench import relevance as R

t = time.time()
sentences = []
with tarfile.open(PROJECT.parent / "shared" / "corpus" / "scale" / "laws.tar.gz") as tf:
    for m in tf.getmembers():
        if m.isfile():
            for line in tf.extractfile(m).read().decode("utf-8", "ignore").splitlines():
                if len(line) > 10:
                    sentences.append(segment(line))
print("segmented", len(sentences), time.time() - t, flush=True)
model = Word2Vec(sentences, vector_size=100, window=5, min_count=5, workers=2, epochs=5, seed=1)
print("trained", len(model.wv), time.time() - t, flush=True)

qs = R.read_questions(R.DEFAULT_TSV)
ix = searching.SearchIndex(PROJECT / "index")
real = searching.expansions

def score():
    ranks = [R.first_rank(R.ask_ours(ix, q.question).citations, q.gold) for q in qs]
    n = len(ranks)
    return sum(1 for r in ranks if r) / n, sum(1 / r for r in ranks if r) / n

print("everyday only: R@10 %.3f MRR %.3f" % score())
for topn, floor in ((3, 0.6), (5, 0.5), (3, 0.7)):
    def with_vectors(text, words, topn=topn, floor=floor):
        extra = []
        for w in content_words(tuple(words)):
            if w in model.wv:
                extra += [s for s, sim in model.wv.most_similar(w, topn=topn) if sim >= floor and s not in words]
        return tuple(dict.fromkeys((*real(text, words), *extra)))
    searching.expansions = with_vectors
    print(f"everyday + vectors top{topn} sim>={floor}: R@10 %.3f MRR %.3f" % score(), flush=True)
searching.expansions = real
