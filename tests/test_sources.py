"""Source entries: every entry of a source folder is either indexed or named with its reason, and none stops a build."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from search.build import build_index
from search.store import open_index

from conftest import PROJECT, RAW_DOCS, SEED_FILES

LUOSHAN = SEED_FILES["luoshan"]
HEILONGJIANG = SEED_FILES["heilongjiang"]
HEILONGJIANG_SIDECAR = HEILONGJIANG.replace(".txt", ".meta.json")
LAW = "特殊标志管理条例(1996-07-13).md"


@pytest.fixture
def src(tmp_path):
    """A source folder holding two seeds (one with its sidecar) and a law, copied from raw_docs/."""
    folder = tmp_path / "src"
    folder.mkdir()
    for name in (LUOSHAN, HEILONGJIANG, HEILONGJIANG_SIDECAR, LAW):
        shutil.copy(RAW_DOCS / name, folder / name)
    return folder


def indexed_sources(index_dir) -> dict[str, int]:
    """Map each source file in the index to its number of index documents."""
    counts: dict[str, int] = {}
    with open_index(index_dir).searcher() as searcher:
        for fields in searcher.all_stored_fields():
            counts[fields["source"]] = counts.get(fields["source"], 0) + 1
    return counts


def skipped(report) -> dict[str, str]:
    return {rel: reason for rel, reason, _ in report.ingest.skipped}


def test_links_and_odd_entries_are_each_named_and_the_rest_indexed(src, tmp_path):
    (src / "passwd.txt").symlink_to("/etc/passwd")
    (src / "zero.txt").symlink_to("/dev/zero")
    (src / "copy-of-luoshan.txt").symlink_to(LUOSHAN)
    (src / "gone.txt").symlink_to("nowhere.txt")
    (src / "loop-a.txt").symlink_to("loop-b.txt")
    (src / "loop-b.txt").symlink_to("loop-a.txt")
    os.mkfifo(src / "pipe.txt")
    (src / "laws").symlink_to(src)
    (src / ".notes.txt").write_bytes((RAW_DOCS / LUOSHAN).read_bytes())
    (src / "old.meta.json").write_text('{"title": "已删除文件的标题"}', encoding="utf-8")
    report = build_index(src, tmp_path / "index")
    assert skipped(report) == {
        "passwd.txt": "outside-source", "zero.txt": "outside-source", "copy-of-luoshan.txt": "duplicate",
        "gone.txt": "broken-link", "loop-a.txt": "broken-link", "loop-b.txt": "broken-link",
        "pipe.txt": "not-a-file", "laws": "linked-folder", ".notes.txt": "hidden", "old.meta.json": "orphan-sidecar"}
    assert sorted(report.added) == sorted([LUOSHAN, HEILONGJIANG, LAW])
    counts = indexed_sources(tmp_path / "index")
    assert set(counts) == {LUOSHAN, HEILONGJIANG, LAW}  # the linked copy is not a second document
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    for name in (LUOSHAN, HEILONGJIANG, HEILONGJIANG_SIDECAR, LAW):
        shutil.copy(src / name, fresh / name)
    build_index(fresh, tmp_path / "fresh-index")
    assert counts == indexed_sources(tmp_path / "fresh-index")


def test_the_build_summary_names_every_entry_it_did_not_index(src, tmp_path):
    (src / "passwd.txt").symlink_to("/etc/passwd")
    os.mkfifo(src / "pipe.txt")
    run = subprocess.run([sys.executable, "-m", "search", "build", "--source", str(src), "--index",
                          str(tmp_path / "index")], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "skipped 2" in run.stdout
    assert "skipped passwd.txt: [outside-source]" in run.stdout
    assert "skipped pipe.txt: [not-a-file] it is a named pipe (FIFO)" in run.stdout
    assert "3 added" in run.stdout and "Traceback" not in run.stderr


def test_a_link_inside_the_folder_goes_when_it_goes(src, tmp_path):
    index = tmp_path / "index"
    (src / "alias.md").symlink_to(LAW)
    build_index(src, index)
    (src / "alias.md").unlink()
    (src / "renamed.md").symlink_to(LAW)
    report = build_index(src, index)
    assert skipped(report) == {"renamed.md": "duplicate"}
    assert set(indexed_sources(index)) == {LUOSHAN, HEILONGJIANG, LAW}


def test_a_link_to_a_file_listed_under_no_other_name_is_read_under_its_own(src, tmp_path):
    (src / "archive").mkdir()
    (src / ".drafts").mkdir()
    shutil.move(src / LAW, src / ".drafts" / LAW)
    (src / "archive" / "law.md").symlink_to(src / ".drafts" / LAW)
    report = build_index(src, tmp_path / "index")
    assert skipped(report) == {".drafts": "hidden"}
    assert "archive/law.md" in indexed_sources(tmp_path / "index")


def test_a_file_that_turns_into_a_pipe_is_removed_not_waited_for(src, tmp_path):
    index = tmp_path / "index"
    build_index(src, index)
    (src / LUOSHAN).unlink()
    os.mkfifo(src / LUOSHAN)  # opening it to read would block forever
    report = build_index(src, index)
    assert report.removed == [LUOSHAN] and skipped(report) == {LUOSHAN: "not-a-file"}
    assert LUOSHAN not in indexed_sources(index)


def test_a_sidecar_that_leads_outside_the_folder_keeps_its_document_out(src, tmp_path):
    outside = tmp_path / "outside.meta.json"
    outside.write_text('{"title": "黑龙江省人民政府关于新形势下加快知识产权强省建设的实施意见"}', encoding="utf-8")
    (src / HEILONGJIANG_SIDECAR).unlink()
    (src / HEILONGJIANG_SIDECAR).symlink_to(outside)
    report = build_index(src, tmp_path / "index")
    assert skipped(report) == {HEILONGJIANG: "bad-sidecar"}
    assert "outside the source folder" in report.ingest.skipped[0][2]


def _unprivileged(command: list[str]) -> list[str]:
    """Run ``command`` without root's power to read any file, so file modes bite as they do for a user."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root's read override"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


def test_unreadable_files_sidecars_and_folders_are_skipped_not_fatal(src, tmp_path):
    (src / "locked").mkdir()
    shutil.copy(RAW_DOCS / SEED_FILES["sanmenxia"], src / "locked" / "sanmenxia.txt")
    (src / "locked").chmod(0)
    (src / LAW).chmod(0)
    (src / HEILONGJIANG_SIDECAR).chmod(0)
    try:
        run = subprocess.run(_unprivileged([sys.executable, "-m", "search", "build", "--source", str(src), "--index",
                                            str(tmp_path / "index")]),
                             cwd=PROJECT, capture_output=True, text=True, timeout=300)
    finally:
        (src / "locked").chmod(0o755)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert f"skipped {LAW}: [unreadable] the file can't be read: Permission denied" in run.stdout
    assert "skipped locked: [unreadable] the folder can't be read: Permission denied" in run.stdout
    assert f"skipped {HEILONGJIANG}: [bad-sidecar]" in run.stdout and "Permission denied" in run.stdout
    assert "1 added" in run.stdout  # luoshan
    assert set(indexed_sources(tmp_path / "index")) == {LUOSHAN}


@pytest.mark.parametrize("sidecar", ['{"year": 99999999999}', '{"year": "二〇二一"}', '{"issuer": ["国务院,商务部"]}',
                                     '{"issuer": 42}', '{"title": 123}', '{"title": ["a","b"]}', '{"level": {"a": 1}}'])
def test_a_sidecar_value_of_the_wrong_type_skips_its_document_not_the_build(src, tmp_path, sidecar):
    (src / HEILONGJIANG_SIDECAR).write_text(sidecar, encoding="utf-8")
    report = build_index(src, tmp_path / "index")
    assert skipped(report) == {HEILONGJIANG: "bad-sidecar"}
    field = next(iter(json.loads(sidecar)))
    assert report.ingest.skipped[0][2].startswith(f"{field}: ")
    assert sorted(report.added) == sorted([LUOSHAN, LAW])


@pytest.mark.parametrize("sidecar,says", [
    (b"[" * 60_000, "RecursionError"),  # nested past Python's recursion limit
    (b'{"year": ' + b"9" * 5_000 + b"}", "ValueError"),  # past Python's 4,300-digit int limit
    ('{"title": "\\ud800"}'.encode(), "half of a surrogate pair"),  # no UTF-8 file or index can hold it
    ('{"title": "第一行\\u2028第二行"}'.encode(), "line break"),
])
def test_a_sidecar_no_parser_expects_is_a_bad_sidecar_not_a_crash(src, tmp_path, sidecar, says):
    (src / HEILONGJIANG_SIDECAR).write_bytes(sidecar)
    report = build_index(src, tmp_path / "index")
    assert skipped(report) == {HEILONGJIANG: "bad-sidecar"} and says in report.ingest.skipped[0][2]
    assert sorted(report.added) == sorted([LUOSHAN, LAW])


def test_a_sidecar_saved_with_a_byte_order_mark_is_read(src, tmp_path):
    text = (src / HEILONGJIANG_SIDECAR).read_text(encoding="utf-8")
    (src / HEILONGJIANG_SIDECAR).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # as Notepad saves it
    report = build_index(src, tmp_path / "index")
    assert not report.ingest.skipped and HEILONGJIANG in report.added


def test_a_name_that_is_not_utf8_and_a_thousand_nested_folders_are_entries_like_any(src, tmp_path):
    os.rename(src / LAW, os.path.join(os.fsencode(src), b"\xff" + LAW.encode("utf-8")))
    deep = src
    for _ in range(1_200):  # past Python's recursion limit, one level at a time
        deep = deep / "d"
        deep.mkdir()
    shutil.copy(RAW_DOCS / SEED_FILES["sanmenxia"], deep / "sanmenxia.txt")
    try:
        report = build_index(src, tmp_path / "index")
    finally:  # shutil.rmtree (pytest's clean-up of tmp_path) recurses and can't remove the chain
        (deep / "sanmenxia.txt").unlink()
        while deep != src:
            deep.rmdir()
            deep = deep.parent
    assert skipped(report) == {"\ufffd" + LAW: "bad-name"}
    assert "d/" * 1_200 + "sanmenxia.txt" in report.added


def test_a_file_swapped_for_a_link_after_the_scan_is_not_read(src, tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_bytes((RAW_DOCS / SEED_FILES["sanmenxia"]).read_bytes())

    def swap(done, total):  # runs after the scan has checked every entry, before the first read
        if done == 0:
            (src / LUOSHAN).unlink()
            (src / LUOSHAN).symlink_to(outside)

    report = build_index(src, tmp_path / "index", progress=swap)
    assert skipped(report) == {LUOSHAN: "changed"}
    assert LUOSHAN not in indexed_sources(tmp_path / "index")


def _count_reads(monkeypatch) -> dict[str, int]:
    """Count the whole-file reads of each source file, by name, in this process (sidecars, small, aside)."""
    from search.build import workers
    from search.ingest import sources

    reads: dict[str, int] = {}
    real = sources.read_checked

    def counting(path, *args, **kwargs):
        name = os.path.basename(path)
        if not name.endswith(".meta.json"):
            reads[name] = reads.get(name, 0) + 1
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sources, "read_checked", counting)
    monkeypatch.setattr(workers, "read_checked", counting)
    return reads


def test_a_first_build_reads_each_file_once_and_the_next_only_what_it_compares(src, tmp_path, monkeypatch):
    reads = _count_reads(monkeypatch)
    build_index(src, tmp_path / "index", procs=1)
    assert reads == {LUOSHAN: 1, HEILONGJIANG: 1, LAW: 1}
    reads.clear()
    with open(src / LAW, "a", encoding="utf-8") as f:
        f.write("\n第四十二条 本条例自发布之日起施行。\n")
    report = build_index(src, tmp_path / "index", procs=1)
    assert report.updated == [LAW]
    # the unchanged files are read for their hash only; the edited one once more, to ingest it
    assert reads == {LUOSHAN: 1, HEILONGJIANG: 1, LAW: 2}


def test_a_new_file_edited_while_the_build_runs_is_indexed_as_it_was_read(src, tmp_path):
    law = src / LAW
    original = law.read_bytes()

    def edit(done, total):  # after the scan, before the first read: the same file (inode), new bytes
        if done == 0:
            with open(law, "ab") as f:
                f.write("\n第四十二条 本条例自发布之日起施行。\n".encode("utf-8"))

    report = build_index(src, tmp_path / "index", procs=1, progress=edit)
    assert LAW in report.added and law.read_bytes() != original
    # the index holds the bytes it read, so the next build finds nothing changed
    assert build_index(src, tmp_path / "index", procs=1).written is False


def test_a_bug_in_ingestion_skips_its_file_with_the_error_and_the_build_goes_on(src, tmp_path, monkeypatch):
    from search.ingest import tags

    real = tags.ip_types

    def broken(text):
        if "特殊标志" in text:
            raise IndexError("string index out of range")
        return real(text)

    monkeypatch.setattr(tags, "ip_types", broken)
    report = build_index(src, tmp_path / "index", procs=1)
    assert skipped(report) == {LAW: "ingest-bug"}
    assert "IndexError: string index out of range" in report.ingest.skipped[0][2]
    assert sorted(report.added) == sorted([LUOSHAN, HEILONGJIANG])
