"""Robustness on documents the rules were not written for: the 3,422 laws of the scale corpus."""
import re
import tarfile

import pytest

from search.build.workers import FileJob, read_file
from search.ingest import IngestReport
from search.ingest.sources import Skipped, scan_sources

from conftest import SHARED

pytestmark = pytest.mark.slow  # all 3,422 laws of the scale corpus

ARCHIVE = SHARED / "corpus" / "scale" / "laws.tar.gz"
ARTICLE_PARAGRAPH = re.compile(r"^第[一二三四五六七八九十百零千]+条", re.M)


@pytest.fixture(scope="module")
def scale_dir(tmp_path_factory):
    """The archive unpacked into a temporary folder (read in place, never copied into the repo)."""
    target = tmp_path_factory.mktemp("scale")
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(target, filter="data")
    return target


def _read_as_a_build_does(folder) -> IngestReport:
    """Read every file of ``folder`` as a build reads it (in-process), without writing an index."""
    scan = scan_sources(folder, hash_only=())  # a first build: nothing to compare with
    report = IngestReport(skipped=list(scan.skipped))
    for source in scan.sources:
        read, _ = read_file(folder, FileJob(source.rel, source.sidecar_sha256, source.size, identity=source.identity))
        if isinstance(read, Skipped):
            report.skipped.append(read)
        else:
            report.documents.append(read.document)
    return report


def test_every_law_ingests_with_exactly_its_articles(scale_dir):
    report = _read_as_a_build_does(scale_dir)
    # Two files of the corpus are a header with no text at all (重庆市实施《国家赔偿法》办法 …):
    # they are reported, and nothing else is skipped.
    for path, reason, _ in report.skipped:
        body = (scale_dir / path).read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        assert reason == "no-structure" and not body.strip(), path
    assert len(report.skipped) <= 5
    assert len(report.documents) + len(report.skipped) == 3422
    mismatches = []
    for doc in report.documents:
        text = (scale_dir / doc.metadata.source).read_text(encoding="utf-8").split("<!-- INFO END -->", 1)[-1]
        expected = len(ARTICLE_PARAGRAPH.findall(text))
        got = sum(1 for c in doc.clauses if c.kind == "article")
        if got != expected:
            mismatches.append((doc.metadata.source, expected, got))
    assert mismatches == []
    assert all(doc.metadata.title for doc in report.documents)
