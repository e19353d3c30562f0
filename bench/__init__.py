"""Benchmark of the clause index against bare jieba, a brute-force scan and SQLite FTS5 (issue 6).

Not part of the test suite: ``python -m bench.run`` prints figures and never fails on a time.
"""
