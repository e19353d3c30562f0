"""Command line: ``python -m search inspect|build|serve|query|similar|show|relations|diff …``, thin wrappers over the library.

Each command parses its arguments, calls one library function and prints; library errors become
click errors with a hint, never a traceback.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from . import settings
from .errors import (ClauseNotFound, DocumentNotFound, FilterError, IndexCorrupt, IndexStateError, IngestError,
                     NotVersions, QuerySyntaxError, SchemaMismatch)
from .build import build_index
from .facetspec import SEARCH_FACETS
from .ingest import ingest
from .ingest.budget import cpu_budget


@click.group()
def cli() -> None:
    """Search Chinese IP laws and policies clause by clause."""


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the JSON record instead of the readable view.")
def inspect(file: Path, as_json: bool) -> None:
    """Show what ingestion reads from FILE: metadata, clause tree with tags, warnings."""
    try:
        with cpu_budget(file, settings.INGEST_CPU_SECONDS):  # as a build reads it
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
@click.option("--procs", type=click.IntRange(min=1), default=None,
              help=f"Worker processes reading files [default: one per core from "
                   f"{settings.PARALLEL_BUILD_MIN_FILES} files to read, else none].")
def build(source_dir: Path, index_dir: Path, rebuild: bool, procs: int | None) -> None:
    """Index the documents under --source, re-reading only new and changed files."""
    try:
        _build(source_dir, index_dir, rebuild, procs)
    except IndexStateError as exc:
        raise click.ClickException(str(exc)) from exc


def _build(source_dir: Path, index_dir: Path, rebuild: bool, procs: int | None = None) -> None:
    from tqdm import tqdm

    with tqdm(unit="file", desc="index", file=sys.stderr, disable=None) as bar:
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = build_index(source_dir, index_dir, progress=progress, rebuild=rebuild, procs=procs)
    click.echo(report.ingest.summary())
    click.echo(report.summary())


@cli.command()
@click.option("--source", "source_dir", type=click.Path(file_okay=False, path_type=Path),
              default=settings.DEFAULT_SOURCE_DIR, show_default=True, help="Folder of raw documents.")
@click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
              default=settings.DEFAULT_INDEX_DIR, show_default=True, help="Where the index lives.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=5000, show_default=True, help="Port to listen on.")
def serve(source_dir: Path, index_dir: Path, host: str, port: int) -> None:
    """Bring the index up to date with --source, then serve the web app on it."""
    index_dir = index_dir.resolve()
    try:
        _build(source_dir, index_dir, rebuild=False)
    except (SchemaMismatch, IndexCorrupt) as exc:  # the index is derived data: serving rebuilds it
        click.echo(f"{exc}\nrebuilding it from {source_dir}", err=True)
        _build(source_dir, index_dir, rebuild=True)
    except IndexStateError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"serving {index_dir} on http://{host}:{port}/  (Ctrl-C stops)")
    # The web layer runs in its own process: the library never imports Flask.
    os.chdir(settings.PROJECT_DIR)
    os.execv(sys.executable, [sys.executable, "-m", "web", "--index", str(index_dir), "--host", host,
                              "--port", str(port)])


def _index_option(fn):
    return click.option("--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
                        default=settings.DEFAULT_INDEX_DIR, show_default=True, help="Where the index lives.")(fn)


def _open(index_dir: Path):
    from .searching import SearchIndex

    try:
        return SearchIndex(index_dir)
    except IndexStateError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def _answering(index_dir: Path, *refused: type[Exception]) -> Iterator:
    """Open the index for one command; a library error of the kinds ``refused`` becomes its message, never a traceback."""
    index = _open(index_dir)
    try:
        yield index
    except refused as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        index.close()


def _place_options(fn):
    """Add --place and --ip-general, which the search, the ledger and the support finder read alike."""
    fn = click.option("--ip-general", is_flag=True,
                      help="Let --ip-type take the clauses on IP as a whole (综合) too.")(fn)
    return click.option("--place", default=None, metavar="PLACE",
                        help="What applies in PLACE (三门峡, 罗山县): its documents, its province's and "
                             "the national ones.")(fn)


def _as_of_option(fn):
    return click.option("--as-of", "as_of", metavar="DAY", default=None,
                        help="Give every status as on DAY (2018-06-01) [default: today].")(fn)


def _filter_options(fn):
    """Add one repeatable option per facet of the spec, in spec order: --issuer, --ip-type, …"""
    helps = {"year": "A year (2014) or a range (2010-2016).",  # the syntax searching._years reads
             "status": "现行有效, 尚未生效, 已被修订, 已废止, 已过有效期 or 未知, on the --as-of day."}  # STATUSES
    for facet in reversed(SEARCH_FACETS):
        name = facet.name
        fn = click.option(facet.option, name, multiple=True, metavar="VALUE",
                          help=helps.get(name, f"Only clauses whose {name.replace('_', ' ')} is VALUE (repeat for OR)."))(fn)
    return fn


@cli.command()
@click.argument("q", required=False, default="")
@_filter_options
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True,
              help="Best match first, or newest document first.")
@click.option("--page", type=int, default=1, show_default=True, help="Which page of results.")
@click.option("--per-page", type=int, default=settings.DEFAULT_PER_PAGE, show_default=True,
              help=f"Hits per page (at most {settings.MAX_PER_PAGE}).")
@click.option("--one-per-doc", is_flag=True, help="Show each document's best clause once.")
@click.option("--no-legal-terms", is_flag=True,
              help="Don't also search the legal terms for everyday words (盗版 → 侵犯著作权).")
@_place_options
@_as_of_option
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON the web API serves.")
def query(q: str, sort: str, page: int, per_page: int, one_per_doc: bool, no_legal_terms: bool, place: str | None,
          ip_general: bool, as_of: str | None, index_dir: Path, as_json: bool, **filters) -> None:
    """Search clauses for Q: words, a question as typed, "exact phrase", -exclude, a OR b, 文号,
    专利法第二十条, a pasted citation, or a passage (up to 2,000 characters) to find clauses like it."""
    from .searching import search

    with _answering(index_dir, QuerySyntaxError, FilterError) as index:
        result = search(index, q, filters={k: v for k, v in filters.items() if v}, sort=sort, page=page,
                        per_page=per_page, one_per_doc=one_per_doc, legal_terms=not no_legal_terms, as_of=as_of,
                        place=place, ip_general=ip_general)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.secho(f"{result.total} clause(s) for {q or '(everything)'} — page {result.page}"
                f" — 效力状态截至 {result.as_of}", bold=True)
    if result.place:
        click.echo(f"适用于{result.place[-1]}：{'、'.join(reversed(result.place))}和国家的文件")
    _print_little(result.little)
    first = (result.page - 1) * result.per_page + 1
    for number, hit in enumerate(result.hits, start=first):
        # the line goes above the first hit of the ranked reading, or atop a page of only such hits
        if result.relaxed and number == max(result.relaxed.exact_total + 1, first):
            _print_relaxed(result.relaxed)
        _print_hit(number, hit)
    for name, values in result.facets.items():
        if values:
            shown = "  ".join(f"{v.value} {v.count}" for v in values[:8])
            click.echo(f"{click.style(name, fg='cyan')}: {shown}")


@cli.command()
@click.argument("q", required=False, default="")
@_filter_options
@_place_options
@click.option("--limit", type=click.IntRange(min=1), default=None, help="List at most this many tasks [default: all].")
@_as_of_option
@_index_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with the ledger's Chinese headers (文件, 文号, … 链接).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON /api/ledger serves.")
def ledger(q: str, place: str | None, ip_general: bool, limit: int | None, as_of: str | None, index_dir: Path,
           as_csv: bool, as_json: bool, **filters) -> None:
    """List every task the search for Q finds (clauses giving agencies work): each agency with its role
    (牵头/配合/负责), the time limit the clause states, its citation and permalink."""
    from .ledger import ROLE_LABELS, ledger as task_ledger, write_csv

    if as_csv and as_json:
        raise click.UsageError("--csv and --json: choose one")
    with _answering(index_dir, QuerySyntaxError, FilterError) as index:
        result = task_ledger(index, q, filters={k: v for k, v in filters.items() if v}, as_of=as_of, limit=limit,
                             place=place, ip_general=ip_general)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if as_csv:
        write_csv(result, sys.stdout)  # no server: permalinks stay /clause/<id>
        return
    click.secho(f"{result.total} task(s) in {len({r.doc_id for r in result.rows})} document(s) for "
                f"{q or '(everything)'} — 效力状态截至 {result.as_of}", bold=True)
    doc_id = None
    for row in result.rows:
        if row.doc_id != doc_id:
            doc_id = row.doc_id
            click.secho(f"\n《{row.title}》{row.doc_number}", bold=True)
        who = "、".join(f"{a.name}（{ROLE_LABELS[a.role]}）" for role in ROLE_LABELS for a in row.agencies
                       if a.role == role)
        due = "；".join(d.text for d in row.deadlines) or "未写明"
        click.echo(f"  {row.where or '正文'} {row.task}")
        click.secho(f"     {who}  · 完成时限：{due}  · {row.clause_id}", fg="green")
    if result.truncated:
        click.secho(f"\n只列出前 {len(result.rows)} 项（共 {result.total} 项）", fg="yellow")


def _print_relaxed(relaxed) -> None:
    """Say, above the first hit of the ranked reading, how the query was widened."""
    if relaxed.passage:
        click.secho(f"\n— 按这段文字的要点查找相似条款：{'、'.join(relaxed.words)}", fg="magenta")
        return
    line = f"\n— 以下条款不要求包含全部词语，按 {'、'.join(relaxed.words)} 的相关度排列"
    if relaxed.dropped:
        line += f"；已忽略：{'、'.join(relaxed.dropped)}"
    click.secho(line, fg="magenta")
    if relaxed.expanded:
        click.secho(f"  也检索了：{'、'.join(relaxed.expanded)}（--no-legal-terms 不检索）", fg="magenta")


def _print_little(little) -> None:
    """Say how many clauses hold each word, and the near words of words no clause holds."""
    if little is None:
        return
    if little.word_counts:
        click.echo("各词命中：" + " · ".join(f"{word} {count}" for word, count in little.word_counts))
    if little.suggested_query:
        click.secho(f"您是不是要找：{little.suggested_query}", fg="cyan")


def _terminal(html_snippet: str) -> str:
    """Turn a highlight's <mark> into terminal bold yellow and undo its HTML escaping."""
    import html

    parts = html_snippet.replace("</mark>", "<mark>").split("<mark>")
    return "".join(click.style(html.unescape(p), fg="yellow", bold=True) if i % 2 else html.unescape(p)
                   for i, p in enumerate(parts))


def _print_hit(number: int, hit) -> None:
    status = f"  〔{hit.status}〕" if hit.status else ""
    click.echo(f"\n{number}. " + click.style(hit.citation or hit.title, bold=True) + status)
    where = " › ".join(f"{s.label}{s.heading}" for s in hit.path)
    meta = " · ".join(filter(None, [" ".join(hit.issuer), hit.doc_number, hit.date, where]))
    click.secho(f"   {meta}", dim=True)
    click.echo("   " + _terminal(hit.highlight).replace("\n", " "))
    tags = list(hit.ip_types) + [f"{a.canonical}({a.role})" for a in hit.agencies]
    if tags:
        click.secho("   " + " ".join(tags), fg="green")
    click.secho(f"   {hit.clause_id}  score {hit.score:.2f}"
                + (f"  +{hit.others_in_doc} more in this document" if hit.others_in_doc else ""), dim=True)


@cli.command()
@click.argument("clause_id")
@click.option("--limit", type=int, default=10, show_default=True, help="How many similar clauses.")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def similar(clause_id: str, limit: int, index_dir: Path, as_json: bool) -> None:
    """List clauses of other documents that say what CLAUSE_ID says."""
    from .searching import similar as find_similar

    with _answering(index_dir, ClauseNotFound) as index:
        origin, hits, versions = find_similar(index, clause_id, limit=limit)
    if as_json:
        click.echo(json.dumps({"clause": origin.to_dict(), "similar": [h.to_dict() for h in hits],
                               "other_versions": [h.to_dict() for h in versions]}, ensure_ascii=False, indent=2))
        return
    click.secho(origin.citation, bold=True)
    click.echo("   " + origin.text.replace("\n", " ")[:200])
    if versions:
        click.secho("\n同一法规的其他版本：", fg="cyan")
        for number, hit in enumerate(versions, start=1):
            _print_hit(number, hit)
        click.secho("\n其他文件的相似条款：", fg="cyan")
    for number, hit in enumerate(hits, start=1):
        _print_hit(number, hit)


@cli.command()
@click.argument("clause_id")
@click.option("--limit", type=int, default=settings.SIMILAR_DEFAULT, show_default=True,
              help=f"How many matches, at most {settings.SIMILAR_MAX}.")
@click.option("--tasks-only", is_flag=True, help="Only tasks that name who does them (not every policy measure).")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON /api/clause/CLAUSE_ID/compare serves.")
def compare(clause_id: str, limit: int, tasks_only: bool, index_dir: Path, as_json: bool) -> None:
    """Show how other places' documents word the task of CLAUSE_ID, by place, with who leads each."""
    from .comparing import compare_tasks

    with _answering(index_dir, ClauseNotFound, FilterError) as index:
        comparison = compare_tasks(index, clause_id, limit=limit, tasks_only=tasks_only)
    if as_json:
        click.echo(json.dumps(comparison.to_dict(), ensure_ascii=False, indent=2))
        return
    origin = comparison.clause
    click.secho(origin.citation or origin.title, bold=True)
    click.echo("   " + origin.text.replace("\n", " ")[:200])
    click.secho(f"{comparison.total} 条表述相近的任务（比较了 {comparison.weighed} 条）", dim=True)
    roles = {"lead": "牵头", "responsible": "负责"}
    for place in comparison.places:
        click.secho(f"\n{place.name}：", fg="cyan")
        for m in place.matches:
            hit = m.hit
            click.echo(f"  {m.shared.similarity:.0%}  " + click.style(hit.citation or hit.title, bold=True))
            who = "、".join(a.name for a in m.leads)
            click.secho(f"     {roles[m.lead_role]}：{who}" if who else "     未写明牵头或负责单位", fg="green")
            if m.key_phrases:
                click.echo("     共有表述：" + "、".join(m.key_phrases))
            click.secho(f"     {hit.clause_id}", dim=True)


@cli.command()
@click.argument("item_id")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show(item_id: str, index_dir: Path, as_json: bool) -> None:
    """Show a document (by doc id) or one clause (by clause id) from the index."""
    from .searching import get_clause, get_document

    index = _open(index_dir)
    try:
        try:
            hits = (get_clause(index, item_id),)
        except ClauseNotFound:
            hits = get_document(index, item_id)
    except DocumentNotFound as exc:
        raise click.ClickException(f"{item_id!r} is neither a clause id nor a document id in the index") from exc
    finally:
        index.close()
    if as_json:
        data = [h.to_dict() for h in hits]
        click.echo(json.dumps(data[0] if len(data) == 1 and data[0]["clause_id"] == item_id else data,
                              ensure_ascii=False, indent=2))
        return
    click.secho(hits[0].title, bold=True)
    for hit in hits:
        indent = "  " * (len(hit.path) + 1)
        click.echo(f"{indent}{click.style(hit.label, bold=True)}{hit.heading if hit.heading not in hit.text else ''}"
                   f" {hit.text}")
        click.secho(f"{indent}  {hit.citation}  [{hit.clause_id}]", dim=True)


@cli.command()
@click.argument("doc_id")
@_as_of_option
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON /api/doc/DOC_ID/relations serves.")
def relations(doc_id: str, as_of: str | None, index_dir: Path, as_json: bool) -> None:
    """Show DOC_ID's status, versions and history, what it rests on (依据) and what cites it (被引用)."""
    from .searching import relations as find_relations

    with _answering(index_dir, DocumentNotFound, FilterError) as index:
        data = find_relations(index, doc_id, as_of=as_of)
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    status = data["status"]
    click.secho(f"《{data['title']}》{data['version_label']}", bold=True)
    click.echo(f"  {status['value']}（截至 {data['as_of']}）：{status['reason']}")
    if data["approved_by"]:
        click.echo(f"  批准机关：{'、'.join(data['approved_by'])}")
    for event in data["events"]:
        click.echo(f"  {event['date']}  {event['text']}")
    if len(data["versions"]) > 1:
        click.secho("版本：", fg="cyan")
        for v in data["versions"]:
            mark = "▶" if v["this"] else " "
            click.echo(f" {mark} {v['date']} {v['version_label']} {v['status']}  [{v['doc_id']}]")
    for key, label in (("rests_on", "依据"), ("cites", "引用"), ("cited_by", "被引用")):
        if data[key]:
            click.secho(f"{label}：", fg="cyan")
            for group in data[key]:
                held = f"  [{group['doc_id']}]" if group["doc_id"] else "  （本库未收录）"
                name = f"《{group['title']}》" if group["title"] else group["doc_number"]
                extra = f"（{group['doc_number']}）" if group["title"] and group["doc_number"] else ""
                labels = "、".join(dict.fromkeys(c["from_label"] or "正文" for c in group["clauses"]))
                click.echo(f"  {'/'.join(group['verbs'])} {name}{extra}{held}" + (f"  ← {labels}" if labels else ""))
    for key, label in (("upward", "向上追溯"), ("downward", "向下追溯")):
        if data[key]:
            click.secho(f"{label}：", fg="cyan")
            for walk in data[key]:
                click.echo(f"  {'  ' * (walk['depth'] - 1)}{walk['title']}（{walk['level'] or '—'}）  [{walk['doc_id']}]")


@cli.command()
@click.argument("old_id")
@click.argument("new_id")
@_index_option
@click.option("--json", "as_json", is_flag=True, help="Print the JSON /api/doc/OLD_ID/diff/NEW_ID serves.")
def diff(old_id: str, new_id: str, index_dir: Path, as_json: bool) -> None:
    """Compare two versions of an act article by article (新旧对照): added, removed, renumbered, changed."""
    from .diff import diff_versions, format_diff

    with _answering(index_dir, DocumentNotFound, NotVersions) as index:
        result = diff_versions(index, old_id, new_id)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if as_json else format_diff(result))


@cli.command()
@click.argument("q", required=False, default="")
@click.option("--ip-type", "ip_type", multiple=True, metavar="VALUE",
              help="Only clauses of this IP type (专利, 商标 …; repeat for OR).")
@_place_options
@click.option("--sort", type=click.Choice(["relevance", "amount", "date"]), default="relevance", show_default=True,
              help="Best match first, the largest sum first, or the newest document first.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="List at most this many measures.")
@_as_of_option
@_index_option
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV with the columns of /support.csv.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON /api/support serves.")
def support(q: str, place: str | None, ip_type: tuple[str, ...], ip_general: bool, sort: str, limit: int | None,
            as_of: str | None, index_dir: Path, as_csv: bool, as_json: bool) -> None:
    """List the clauses that grant support (资助, 奖励, 补贴, 贴息, 专项资金, 质押融资, 费用减免, 优先), those
    holding Q's words too when given: the kind, the amounts, who qualifies, for which IP, with place, status and citation."""
    from .support import support_measures, write_csv

    if as_csv and as_json:
        raise click.UsageError("--csv and --json: choose one")
    with _answering(index_dir, QuerySyntaxError, FilterError) as index:
        page = support_measures(index, place=place, ip_type=ip_type, q=q, sort=sort, as_of=as_of,
                                ip_general=ip_general, limit=limit)
    if as_json:
        click.echo(json.dumps(page.to_dict(), ensure_ascii=False, indent=2))
        return
    if as_csv:
        write_csv(page, sys.stdout)  # no server: links stay /doc/<doc_id>#<clause_id>
        return
    where = f"适用于{page.place[-1]}：{'、'.join(reversed(page.place))}和国家的文件" if page.place else "全部地区"
    click.secho(f"{page.total} 条支持措施（{page.candidates} 条候选条款）— {where} — 效力状态截至 {page.as_of}", bold=True)
    for number, m in enumerate(page.measures, start=1):
        status = f"  〔{m.status}〕" if m.status else ""
        click.echo(f"\n{number}. " + click.style(m.citation, bold=True) + status)
        click.secho(f"   {m.level or '—'} · {m.region[-1] if m.region else '全国'} · {'、'.join(m.kinds)}", dim=True)
        for a in m.amounts:
            click.echo(f"   {a.text}  ＝ {a.describe()}")
        for text in m.unread:
            click.secho(f"   {text}  （未能识别，以原文为准）", fg="red")
        facts = [f"对象：{'、'.join(m.beneficiaries)}" if m.beneficiaries else "",
                 f"知识产权：{'、'.join(m.ip_targets)}" if m.ip_targets else ""]
        if any(facts):
            click.secho("   " + "  ".join(filter(None, facts)), fg="green")
        click.secho(f"   {m.clause_id}", dim=True)
    if page.truncated:
        click.echo(f"\n（只列出 {len(page.measures)} 条，共 {page.total} 条）")


def main() -> None:
    cli(prog_name="python -m search")
