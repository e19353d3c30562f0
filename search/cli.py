"""Command line: ``python -m search inspect|build …``, thin wrappers over the library.

Each command parses its arguments, calls one library function and prints; library errors become
click errors with a hint, never a traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import settings
from .errors import IndexStateError, IngestError
from .indexer import build_index
from .ingest import ingest


@click.group()
def cli() -> None:
    """Search Chinese IP laws and policies clause by clause."""


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON record instead of the readable view.")
def inspect(file: Path, as_json: bool) -> None:
    """Show what ingestion reads from FILE: metadata, clause tree with tags, warnings."""
    try:
        doc = ingest(file)
    except IngestError as exc:
        raise click.ClickException(f"{exc} [{exc.reason}]") from exc
    if as_json:
        data = doc.to_dict()
        click.echo(json.dumps({"metadata": data["metadata"], "clauses": data["clauses"],
                               "warnings": data["warnings"]}, ensure_ascii=False, indent=2))
        return
    _print_document(doc)


def _print_document(doc) -> None:
    meta = doc.metadata.to_dict()
    click.secho(meta["title"] or "(no title)", bold=True)
    for key, value in meta.items():
        if key == "title":
            continue
        if isinstance(value, list):
            value = " ".join(value)
        click.echo(f"  {key:<11} {value if value not in (None, '') else '—'}")
    click.echo(f"\n{len(doc.clauses)} clause(s):")
    for clause in doc.clauses:
        indent = "  " * (len(clause.path) + 1)
        head = clause.heading or clause.text[:40].replace("\n", " ")
        click.echo(f"{indent}{clause.label or '〔前言〕'} {head}  [{clause.kind} {clause.id}]")
        tags = list(clause.ip_types)
        tags += [f"{a.name}({a.role})" for a in clause.agencies]
        if tags:
            click.echo(f"{indent}  · {' '.join(tags)}")
    if doc.warnings:
        click.echo("\nwarnings:")
        for warning in doc.warnings:
            click.echo(f"  - {warning}")


@cli.command()
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path),
              default=settings.DEFAULT_SOURCE_DIR, show_default=True, help="Folder of raw documents.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              default=settings.DEFAULT_INDEX_DIR, show_default=True, help="Where the index lives.")
@click.option("--rebuild", is_flag=True,
              help="Ignore the existing index and read every document again (after a schema change).")
def build(source_dir: Path, index_dir: Path, rebuild: bool) -> None:
    """Index the documents under --source, re-reading only new and changed files."""
    from tqdm import tqdm

    with tqdm(unit="file", desc="index", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            report = build_index(source_dir, index_dir, progress=progress, rebuild=rebuild)
        except IndexStateError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(report.ingest.summary())
    click.echo(report.summary())


def main() -> None:
    cli(prog_name="python -m search")
