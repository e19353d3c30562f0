"""Faults, for real: kill -9 during builds, two builds at once, damaged and missing indexes, a full
disk and a read-only index folder. Each gives a named error whose message says what to run, in the
library, the CLI and the web app, and the index that was live stays live.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from markupsafe import escape

from search.cli import cli
from search.errors import IndexCorrupt, IndexMissing, IndexWriteError, SchemaMismatch
from search.build import build_index
from search.store import CURRENT_NAME, GENERATION_RE, META_NAME, live_generation, open_index
from search.searching import SearchIndex, search

from conftest import PROJECT, RAW_DOCS, SEED_FILES

SIDECAR = "004_77ef637a5b3fa8c7.meta.json"
LAW = "特殊标志管理条例(1996-07-13).md"  # small: a build that re-reads only it takes about a second
SOURCES = [*SEED_FILES.values(), SIDECAR, LAW]
QUERY = "专利"  # every generation of the test corpus has hits for it
# A real sentence (植物新品种保护条例) appended to the law so a build has work to do.
APPENDED = "\n因审查需要，申请人应当根据审批机关的要求提供必要的资料和该植物新品种的繁殖材料。"
KILL_TRIALS = 20
FINISH_AFTER = (6, 13)  # kill trials followed by a build that must complete (and one after the last)


def copy_sources(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in SOURCES:
        shutil.copy(RAW_DOCS / name, dest / name)
    return dest


def run_build(src: Path, index: Path, *extra: str, launcher: list[str] | None = None,
              timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m search build`` in its own process, as a user would."""
    command = [*(launcher or [sys.executable, "-m", "search"]), "build", "--source", str(src), "--index", str(index),
               *extra]
    return subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout)


def start_build(src: Path, index: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "search", "build", "--source", str(src), "--index", str(index),
                             *extra], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def answers(index: Path) -> str:
    """Open the index, run a real query and return the generation that answered."""
    opened = SearchIndex(index)
    try:
        assert search(opened, QUERY).total > 0
        return opened.generation.name
    finally:
        opened.close()


def generations(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if GENERATION_RE.fullmatch(p.name))


def snapshot(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file of a generation, to show it was left untouched."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def assert_clean_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The test corpus and its index, built once; tests change copies of them."""
    root = tmp_path_factory.mktemp("faults")
    src = copy_sources(root / "src")
    build_index(src, root / "index")
    return src, root / "index"


@pytest.fixture
def workspace(built, tmp_path):
    src, index = built
    shutil.copytree(src, tmp_path / "src")
    shutil.copytree(index, tmp_path / "index")
    return tmp_path / "src", tmp_path / "index"


# -- kill -9 ------------------------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_at_random_moments_never_breaks_the_index(tmp_path):
    src, index = copy_sources(tmp_path / "src"), tmp_path / "index"
    build_index(src, index)
    law = src / LAW
    started = time.monotonic()
    law.write_text(law.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")
    assert run_build(src, index).returncode == 0
    duration = time.monotonic() - started  # one incremental build, interpreter start included

    rng = random.Random(6)
    killed_mid_write = 0
    for trial in range(KILL_TRIALS):
        before = live_generation(index).name
        law.write_text(law.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")
        build = start_build(src, index)
        if trial % 2:
            time.sleep(rng.uniform(0.0, duration))
        else:
            # Every other trial waits for the new generation's folder, whatever the machine's load,
            # so kills land while a generation is written however long the build takes.
            _wait_for_new_generation(index, before, build)
            time.sleep(rng.uniform(0.0, 0.02))
        build.send_signal(signal.SIGKILL)
        build.communicate(timeout=60)
        now = live_generation(index).name
        assert now >= before, f"trial {trial}: the live generation went back from {before} to {now}"
        killed_mid_write += any(g > now for g in generations(index))  # a half-written generation
        assert answers(index) == now, f"trial {trial}"
        if trial in FINISH_AFTER or trial == KILL_TRIALS - 1:
            finished = run_build(src, index)
            assert finished.returncode == 0, f"trial {trial}: {finished.stderr}"
            live = live_generation(index).name
            assert not [g for g in generations(index) if g > live], "a killed build's generation was left"
            assert len(generations(index)) <= 2  # the live one and the one live before it
            assert answers(index) == live
    # The seeded delays span the whole build, so some kills land while a generation is written.
    assert killed_mid_write >= 1
    with open_index(index).searcher() as searcher:
        assert searcher.document(source=LAW)["sha256"] == hashlib.sha256(law.read_bytes()).hexdigest()


def _wait_for_new_generation(index: Path, live: str, build: subprocess.Popen, seconds: float = 60) -> None:
    """Return once a generation newer than ``live`` exists under ``index`` (or the build ended)."""
    deadline = time.monotonic() + seconds
    while build.poll() is None and time.monotonic() < deadline:
        if any(g > live for g in generations(index)):
            return
        time.sleep(0.002)


def _children(pid: int) -> set[int]:
    """Return the pids of the processes whose parent is ``pid``."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # it ended meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_kill_9_of_a_parallel_build_takes_its_workers_with_it(tmp_path):
    src, index = copy_sources(tmp_path / "src"), tmp_path / "index"
    build = start_build(src, index, "--procs", "2")
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
        workers |= _children(build.pid)  # the pool's workers, once forked
        time.sleep(0.01)
    assert len(workers) >= 2, "the build finished before its workers could be seen"
    build.send_signal(signal.SIGKILL)
    build.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "workers outlived the killed build"
    finished = run_build(src, index, "--procs", "2")  # the lock went with them
    assert finished.returncode == 0, finished.stderr
    assert not list(live_generation(index).glob("part-*"))
    assert answers(index) == live_generation(index).name


# -- two builds at once -------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_at_once_one_stops_with_the_lock_message(tmp_path):
    src, index = copy_sources(tmp_path / "src"), tmp_path / "index"
    builds = [start_build(src, index, "--rebuild") for _ in range(2)]
    results = [(b.wait(timeout=120), *b.communicate()) for b in builds]
    assert sorted(code for code, _, _ in results) == [0, 1], results
    _, _, stderr = next(r for r in results if r[0] == 1)
    assert re.search(r"another build is running \(pid \d+\) on .*wait for it to finish", stderr), stderr
    assert "Traceback" not in stderr
    assert generations(index) == ["gen-000001"]
    assert answers(index) == "gen-000001"


# -- damaged, missing and old indexes -----------------------------------------------------


def _segment(generation: Path, suffix: str = "") -> Path:
    """Return the largest file of a segment (with ``suffix``: of that kind, e.g. .trm for its terms)."""
    files = [p for p in generation.glob(f"MAIN_*{suffix}") if not p.name.endswith("WRITELOCK")]
    return max(files, key=lambda p: p.stat().st_size)


def _truncate_segment(index: Path, suffix: str = "") -> None:
    seg = _segment(live_generation(index), suffix)
    with open(seg, "r+b") as f:
        f.truncate(seg.stat().st_size // 2)


def _overwrite_segment_middle(index: Path) -> None:
    seg = _segment(live_generation(index))
    with open(seg, "r+b") as f:
        f.seek(seg.stat().st_size // 3)
        f.write(random.Random(1).randbytes(4096))


def _truncate_toc(index: Path) -> None:
    toc = next(live_generation(index).glob("*.toc"))
    toc.write_bytes(toc.read_bytes()[:100])


def _delete_segment(index: Path) -> None:
    _segment(live_generation(index)).unlink()


def _truncate_segment_under_matching_checksums(index: Path) -> None:
    """A file written bad, so its checksum matches: Whoosh's own failure must be caught."""
    _truncate_segment(index, ".trm")  # the terms, which Whoosh reads on opening
    meta_path = live_generation(index) / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["files"] = {name: hashlib.sha256((meta_path.parent / name).read_bytes()).hexdigest() for name in meta["files"]}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _drop_checksums(index: Path) -> None:
    meta_path = live_generation(index) / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    del meta["files"]
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _garbage_current(index: Path) -> None:
    (index / CURRENT_NAME).write_bytes(b"\xff\xfe\x00\x9c garbage \x80" * 3)


def _old_schema(index: Path) -> None:
    meta_path = live_generation(index) / META_NAME
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "schema_version": 0}), encoding="utf-8")


def _garbage_meta(index: Path) -> None:
    (live_generation(index) / META_NAME).write_bytes(b"\x00\x13garbage{")


def _missing(index: Path) -> None:
    shutil.rmtree(index)


DAMAGED = r"the index at .* is damaged \(.*\); rebuild it with `python -m search build --rebuild --index .*`"
BROKEN = {
    "truncated segment": (_truncate_segment, IndexCorrupt, DAMAGED),
    "overwritten segment": (_overwrite_segment_middle, IndexCorrupt, DAMAGED),
    "truncated toc": (_truncate_toc, IndexCorrupt, DAMAGED),
    "deleted segment": (_delete_segment, IndexCorrupt, r"MAIN_\S+ is missing\); rebuild it with `python -m search build --rebuild"),
    "truncated segment, checksums match": (_truncate_segment_under_matching_checksums, IndexCorrupt,
                                           r"is damaged \((EOFError|error|OSError|UnpicklingError).*\); rebuild it with"),
    "no checksums": (_drop_checksums, IndexCorrupt, r"meta\.json has no table of its files' checksums\); rebuild it with"),
    "garbage CURRENT": (_garbage_current, IndexCorrupt, r"CURRENT names '.*', which is not a generation folder there\); "
                                                        r"rebuild it with `python -m search build --rebuild"),
    "damaged meta.json": (_garbage_meta, IndexCorrupt, r"is damaged \(meta\.json can't be read: .*\); rebuild it with "
                                                       r"`python -m search build --rebuild"),
    "older schema": (_old_schema, SchemaMismatch, r"schema v0; .*rebuild with `python -m search build --rebuild --index"),
    "missing index": (_missing, IndexMissing, r"no index at .*; run `python -m search build --index .*`"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_index_says_what_to_run_in_library_cli_and_web(case, workspace):
    from web import create_app
    from web.index import close_index

    src, index = workspace
    damage, error, pattern = BROKEN[case]
    damage(index)

    with pytest.raises(error, match=pattern) as raised:
        SearchIndex(index)
    message = str(raised.value)

    query = CliRunner().invoke(cli, ["query", QUERY, "--index", str(index)])
    assert query.exit_code == 1 and message in query.stderr and "Traceback" not in query.output

    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    try:
        client = app.test_client()
        api = client.get("/api/search", query_string={"q": QUERY})
        # the page's Chinese message carries the library's, with the command to run
        assert api.status_code == 503 and message in api.get_json()["error"]
        assert api.get_json()["code"] == "index_unavailable"
        page = client.get("/", query_string={"q": QUERY})
        body = page.get_data(as_text=True)
        assert page.status_code == 503 and str(escape(message)) in body and "Traceback" not in body
    finally:
        close_index(app)

    # The way out is the command the message names; run it (its `python -m search` part in-process).
    command = shlex.split(re.search(r"`python -m search (.*?)`", message).group(1))
    if error is not IndexMissing:  # without --rebuild, a build refuses the index as it is
        refused = CliRunner().invoke(cli, [a for a in command if a != "--rebuild"] + ["--source", str(src)])
        assert refused.exit_code == 1 and "Traceback" not in refused.output
        assert "--rebuild" in refused.stderr
    fixed = CliRunner().invoke(cli, command + ["--source", str(src)])
    assert fixed.exit_code == 0, fixed.output
    answers(index)


# -- a full disk --------------------------------------------------------------------------

# Writes past 128 KB fail with EFBIG, as on a full disk; SIGXFSZ would kill the process instead.
FILE_SIZE_LIMITED = [sys.executable, "-c",
                     "import resource, runpy, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
                     "resource.setrlimit(resource.RLIMIT_FSIZE, (128 * 1024, 128 * 1024)); "
                     "runpy.run_module('search', run_name='__main__', alter_sys=True)"]


def _assert_failed_write_left_the_live_generation(index: Path, live: Path, before: dict[str, str]) -> None:
    assert live_generation(index) == live and snapshot(live) == before
    assert generations(index) == [live.name]  # the half-written generation is gone
    assert not (index / (CURRENT_NAME + ".tmp")).exists()
    assert answers(index) == live.name


@pytest.mark.slow
@pytest.mark.parametrize("procs", ["1", "2"], ids=["in-process", "two workers"])
def test_a_build_that_cannot_write_its_files_fails_clearly_and_keeps_the_live_index(workspace, procs):
    src, index = workspace
    live = live_generation(index)
    before = snapshot(live)
    for changed in (src / LAW, src / SEED_FILES["luoshan"]):  # two files: one for each worker
        changed.write_text(changed.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")

    failed = run_build(src, index, "--procs", procs, launcher=FILE_SIZE_LIMITED)
    assert_clean_failure(failed, f"could not write the index at {index}: [Errno 27] File too large",
                         "free some disk space", "the live index, if any, is unchanged")
    _assert_failed_write_left_the_live_generation(index, live, before)

    assert run_build(src, index).returncode == 0  # with room to write, the same build goes through
    assert live_generation(index) != live and answers(index)


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MB filesystem (tmpfs), so a build can fill it; skipped where mounting is not allowed."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()}); "
                    "the file-size-limit test covers a failing write")
    yield disk
    subprocess.run(["umount", "--lazy", str(disk)], check=True)


def test_a_full_disk_fails_the_build_clearly_and_keeps_the_live_index(built, small_disk):
    src = shutil.copytree(built[0], small_disk.parent / "src")
    index = small_disk / "index"
    build_index(src, index)
    live = live_generation(index)
    before = snapshot(live)
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * (free - 64 * 1024))  # leave less than a copy of the generation needs
    law = src / LAW
    law.write_text(law.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")

    with pytest.raises(IndexWriteError, match=r"could not write the index at .*No space left on device.*"
                                              r"free some disk space"):
        build_index(src, index)
    _assert_failed_write_left_the_live_generation(index, live, before)

    filler.unlink()
    assert build_index(src, index).written and answers(index)


# -- a read-only index folder -------------------------------------------------------------


@pytest.fixture
def read_only(workspace):
    """The workspace's index made unwritable, even for root (chattr +i), and writable again after."""
    src, index = workspace
    paths = [index, *index.rglob("*")]
    if os.geteuid() != 0:  # permissions are enough for anyone but root
        for path in paths:
            path.chmod(path.stat().st_mode & ~0o222)
        try:
            yield src, index
        finally:
            for path in paths:
                path.chmod(path.stat().st_mode | 0o200)
        return
    frozen = subprocess.run(["chattr", "-R", "+i", str(index)], capture_output=True, text=True)
    if frozen.returncode != 0:
        pytest.skip(f"chattr +i is not available here: {frozen.stderr.strip()}")
    try:
        yield src, index
    finally:
        subprocess.run(["chattr", "-R", "-i", str(index)], check=True)


def test_a_read_only_index_cannot_be_built_but_still_serves(read_only):
    from web import create_app
    from web.index import close_index

    src, index = read_only
    live = live_generation(index)
    law = src / LAW
    law.write_text(law.read_text(encoding="utf-8") + APPENDED, encoding="utf-8")

    with pytest.raises(IndexWriteError, match=rf"could not write the index at {re.escape(str(index))}: "
                                              r"\[Errno (1|13)\] .*make .* writable for this user"):
        build_index(src, index)
    result = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)])
    assert result.exit_code == 1 and "could not write the index at" in result.stderr
    assert "Traceback" not in result.output

    assert live_generation(index) == live and answers(index) == live.name  # searching never writes
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    try:
        response = app.test_client().get("/api/search", query_string={"q": QUERY})
        assert response.status_code == 200 and response.get_json()["total"] > 0
    finally:
        close_index(app)



# -- damage to the live index while it is served ------------------------------------------

LUOSHAN_DOC = "2797ba83d9"  # a document of the test corpus (罗山县, one of the seeds)
SERVED = [f"/api/search?q={QUERY}", f"/?q={QUERY}", f"/doc/{LUOSHAN_DOC}", f"/export.csv?q={QUERY}", "/healthz"]


def _truncate(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _flip_in_place(path: Path) -> None:
    """Invert 4 KB in the middle of ``path``: same size, same inode, only its mtime tells."""
    with open(path, "r+b") as f:
        f.seek(path.stat().st_size // 3)
        chunk = f.read(4096)
        f.seek(path.stat().st_size // 3)
        f.write(bytes(b ^ 0xFF for b in chunk))


LIVE_DAMAGE = {
    "truncated _stored.col": lambda generation: _truncate(_segment(generation, "._stored.col")),
    "truncated .trm": lambda generation: _truncate(_segment(generation, ".trm")),
    "bytes flipped in _stored.col": lambda generation: _flip_in_place(_segment(generation, "._stored.col")),
    "bytes flipped in .pst": lambda generation: _flip_in_place(_segment(generation, ".pst")),
}


@pytest.fixture
def served(workspace):
    """The app serving the workspace's index, after one good answer to each of SERVED (so it is open)."""
    from web import create_app
    from web.index import close_index

    src, index = workspace
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    client = app.test_client()
    for url in SERVED:
        assert client.get(url).status_code == 200, url
    yield src, index, client
    close_index(app)


def _assert_all_damaged(client, pattern: str = DAMAGED) -> str:
    """Request every SERVED page; each must be a 503 carrying the one damaged message. Return it."""
    api = client.get(SERVED[0])
    assert api.status_code == 503, api.get_data(as_text=True)[:300]
    message = api.get_json()["error"]
    assert re.search(pattern, message) and api.get_json() == {"error": message, "code": "index_unavailable",
                                                               "status": 503}
    for url in SERVED[1:]:
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert response.status_code == 503, (url, body[:300])
        assert "Traceback" not in body
        if response.is_json:
            assert response.get_json() == {"error": message, "code": "index_unavailable", "status": 503}, url
        else:
            assert str(escape(message)) in body, url
    return message


def _rebuild_as_told(message: str, src: Path) -> None:
    command = shlex.split(re.search(r"`python -m search (.*?)`", message).group(1))
    assert "--rebuild" in command
    fixed = CliRunner().invoke(cli, command + ["--source", str(src)])
    assert fixed.exit_code == 0, fixed.output


@pytest.mark.parametrize("case", LIVE_DAMAGE, ids=list(LIVE_DAMAGE))
def test_damage_to_the_served_index_is_503_until_it_is_rebuilt(case, served):
    src, index, client = served
    damaged = live_generation(index)
    LIVE_DAMAGE[case](damaged)

    message = _assert_all_damaged(client)
    assert str(damaged) in message and "was changed or truncated after the build wrote it" in message
    assert _assert_all_damaged(client) == message  # still, and the same: no request slips through

    _rebuild_as_told(message, src)
    assert live_generation(index) != damaged
    for url in SERVED:  # the same server, not restarted
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").get_json()["generation"] == live_generation(index).name


def test_damage_that_keeps_the_files_identity_is_503_when_read(served):
    """A change the per-request check can't see (its mtime put back): reading it is damage, not a 500."""
    src, index, client = served
    stored = _segment(live_generation(index), "._stored.col")
    before = stored.stat()
    _flip_in_place(stored)
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))

    export = client.get("/export.csv")  # every clause's stored fields
    assert export.status_code == 503 and "Traceback" not in export.get_data(as_text=True)
    # The failed index is reopened, which checks every file: now the checksum names the file.
    message = _assert_all_damaged(client, DAMAGED)
    assert f"{stored.name} was changed or truncated" in message
    _rebuild_as_told(message, src)
    assert client.get("/export.csv").status_code == 200


def test_a_damaged_file_put_back_is_served_again_without_a_restart(served):
    src, index, client = served
    postings = _segment(live_generation(index), ".pst")
    original, before = postings.read_bytes(), postings.stat()
    expected = client.get(SERVED[0]).get_json()
    _flip_in_place(postings)
    _assert_all_damaged(client)

    postings.write_bytes(original)  # the same bytes, in place, and its mtime: `cp -p` of a backup
    os.utime(postings, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert client.get(SERVED[0]).get_json() == expected
    assert client.get("/healthz").status_code == 200


def test_an_unchanged_index_is_not_hashed_per_request_and_a_touched_file_once(served, monkeypatch):
    import search.searching

    src, index, client = served
    hashed: list[list[str]] = []
    verify = search.searching.verify_files
    monkeypatch.setattr(search.searching, "verify_files",
                        lambda generation, meta, index_dir: (hashed.append(sorted(meta["files"])),
                                                             verify(generation, meta, index_dir)))
    for url in SERVED:
        assert client.get(url).status_code == 200
    assert hashed == []  # one stat per file, no reading

    terms = _segment(live_generation(index), ".trm")
    os.utime(terms, ns=(terms.stat().st_atime_ns, terms.stat().st_mtime_ns + 1_000_000_000))  # touched
    for url in SERVED:
        assert client.get(url).status_code == 200
    assert hashed == [[terms.name]]  # the one file whose identity changed, hashed once


def test_an_index_damaged_at_rest_is_read_once_not_on_every_request(workspace, monkeypatch):
    import search.store
    from web import create_app
    from web.index import close_index

    src, index = workspace
    _truncate_segment(index)
    opened: list[str] = []
    verify = search.store.verify_files
    monkeypatch.setattr(search.store, "verify_files",
                        lambda generation, meta, index_dir: (opened.append(generation.name),
                                                             verify(generation, meta, index_dir)))
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    try:
        client = app.test_client()
        answers = [client.get("/api/search", query_string={"q": QUERY}) for _ in range(4)]
        assert {a.status_code for a in answers} == {503} and len({a.get_json()["error"] for a in answers}) == 1
        assert len(opened) == 1  # the damage is remembered while the files stay as they are
        assert run_build(src, index, "--rebuild").returncode == 0
        assert client.get("/api/search", query_string={"q": QUERY}).status_code == 200
    finally:
        close_index(app)


def test_a_bug_outside_the_index_reads_is_a_500_not_damage(workspace, monkeypatch):
    import search.searching
    from web import create_app
    from web.index import close_index

    _, index = workspace

    def broken(*args, **kwargs):
        raise KeyError("snippet")

    monkeypatch.setattr(search.searching, "highlight", broken)
    app = create_app({"TESTING": True, "INDEX_DIR": str(index)})
    try:
        answer = app.test_client().get("/api/search", query_string={"q": QUERY})
        assert answer.status_code == 500 and "damaged" not in answer.get_json()["error"]  # no rebuild advised
    finally:
        close_index(app)


def test_opening_reads_only_the_files_not_as_the_build_left_them(built, tmp_path, monkeypatch):
    """The build records each file's identity as it hashed it: a server opening the index rereads none of them."""
    import search.store

    src, index = built
    hashed: list[str] = []
    digest = search.store.sha256_of
    monkeypatch.setattr(search.store, "sha256_of", lambda path: (hashed.append(Path(path).name), digest(path))[1])
    SearchIndex(index).close()
    assert hashed == []  # as built: no file read for its checksum

    copy = tmp_path / "copy"  # a copy (another machine's replica, a restore) has other identities: all hashed
    shutil.copytree(index, copy)
    SearchIndex(copy).close()
    files = json.loads((live_generation(copy) / "meta.json").read_text(encoding="utf-8"))["files"]
    assert sorted(hashed) == sorted(files)
    from web.replicas import copy_generation

    hashed.clear()
    replica = copy_generation(index, tmp_path / "replica")  # checks the copy once and records what it is
    assert sorted(hashed) == sorted(files)
    hashed.clear()
    SearchIndex(replica).close()
    assert hashed == [], "a replica's workers open it without reading it whole"

    own = tmp_path / "own"  # an index of its own, built here, to damage
    build_index(src, own)
    hashed.clear()
    terms = _segment(live_generation(own), ".trm")
    _flip_in_place(terms)  # damage that changes the file's identity (its mtime) is found at open
    with pytest.raises(IndexCorrupt, match=f"{terms.name} was changed or truncated"):
        SearchIndex(own)
    assert hashed == [terms.name], "only the file whose identity changed is read"
    hashed.clear()
    with pytest.raises(IndexCorrupt):
        SearchIndex(own, verify_all=True)
    assert terms.name in hashed and len(hashed) > 1  # every file checked, in order, up to the damaged one
