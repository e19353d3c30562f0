"""The command line: build's summaries and errors, inspect's JSON contract, help on every command."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from search.cli import cli
from search.build import build_lock

from conftest import RAW_DOCS, SEED_FILES

LAW = "特殊标志管理条例(1996-07-13).md"
METADATA_KEYS = {"title", "doc_number", "issuer", "level", "region", "date", "published", "effective",
                 "year", "doc_type", "authority", "source", "sha256"}
CLAUSE_KEYS = {"id", "label", "kind", "heading", "text", "path", "ip_types", "agencies"}


@pytest.fixture
def src(tmp_path):
    """A source folder with one seed, one law and one empty file."""
    folder = tmp_path / "src"
    folder.mkdir()
    for name in (SEED_FILES["luoshan"], LAW):
        shutil.copy(RAW_DOCS / name, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    return folder


def test_build_prints_what_was_read_skipped_and_indexed(src, tmp_path):
    index = tmp_path / "index"
    result = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)],
                                catch_exceptions=False)
    assert result.exit_code == 0  # a skipped file is reported, not a failure
    lines = result.stdout.splitlines()
    assert lines[0].startswith("read 2 document(s),") and lines[0].endswith("skipped 1")
    assert lines[1].startswith("  skipped empty.txt: [empty]")
    assert lines[2] == f"index {index} (gen-000001, built from scratch)"
    assert lines[3] == "  documents: 2 added, 0 updated, 0 removed, 0 unchanged"
    assert lines[4].endswith("in index from 2 document(s)")

    again = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)])
    assert again.exit_code == 0
    assert f"index {index} (gen-000001, unchanged: nothing written)" in again.stdout
    assert "  documents: 0 added, 0 updated, 0 removed, 2 unchanged" in again.stdout

    rebuilt = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index), "--rebuild"])
    assert rebuilt.exit_code == 0
    assert f"index {index} (gen-000002, built from scratch)" in rebuilt.stdout


def test_build_errors_are_messages_with_a_hint(src, tmp_path):
    missing = CliRunner().invoke(cli, ["build", "--source", str(tmp_path / "nowhere"),
                                       "--index", str(tmp_path / "index")])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    assert "Traceback" not in missing.output
    with build_lock(tmp_path / "index"):
        locked = CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(tmp_path / "index")])
    assert locked.exit_code == 1 and "another build is running (pid" in locked.stderr


def test_inspect_json_keeps_its_contract():
    result = CliRunner().invoke(cli, ["inspect", "--json", str(RAW_DOCS / SEED_FILES["heilongjiang"])],
                                catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"metadata", "clauses", "warnings"}
    assert METADATA_KEYS <= set(data["metadata"])
    assert isinstance(data["warnings"], list)
    assert data["clauses"] and all(CLAUSE_KEYS <= set(clause) for clause in data["clauses"])
    agencies = [a for clause in data["clauses"] for a in clause["agencies"]]
    assert agencies and all(set(a) == {"name", "canonical", "role"} for a in agencies)
    paths = [step for clause in data["clauses"] for step in clause["path"]]
    assert paths and all(set(step) == {"label", "heading"} for step in paths)


def test_every_command_has_help():
    assert cli.help
    for name, command in cli.commands.items():
        assert command.help, f"{name} is missing its help"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.name} is missing its help"


def test_an_article_number_past_any_law_is_a_message_not_a_traceback(src, tmp_path):
    index = tmp_path / "index"
    CliRunner().invoke(cli, ["build", "--source", str(src), "--index", str(index)], catch_exceptions=False)
    result = CliRunner().invoke(cli, ["query", "专利法第2147483648条", "--index", str(index)])
    assert result.exit_code == 1
    assert "没有法律有第 2147483648 条" in result.output and "Traceback" not in result.output
