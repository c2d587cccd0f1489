"""``cloudops kb``: ingest files into the knowledge base and query it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from knowledge.knowledge_base import KnowledgeBase

__all__ = ["kb_app"]

kb_app = typer.Typer(help="Knowledge base: ingest runbooks and search them.", no_args_is_help=True)


def _base() -> KnowledgeBase:
    """The configured knowledge base (imported here: its retrievers are slow to import)."""
    from knowledge.default_base import knowledge_base_from_env

    return knowledge_base_from_env()


@kb_app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A file or folder to add to the knowledge base.")],
) -> None:
    """Copy PATH into the knowledge folder and index it."""
    kb = _base()
    try:
        sources = kb.ingest(path)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    for source in sources:
        typer.echo(f"ingested {source}")


@kb_app.command()
def query(
    text: Annotated[str, typer.Argument(help="What to search for.")],
    top: Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="Results to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search the knowledge base (it is refreshed first: only changed files are re-indexed)."""
    kb = _base()
    kb.refresh()
    hits = kb.search(text, top)
    if as_json:
        results = [
            {"title": h.title, "source": h.source, "text": h.text, "score": h.score} for h in hits
        ]
        typer.echo(json.dumps({"results": results}, ensure_ascii=False))
        return
    if not hits:
        typer.echo("no results")
    for n, hit in enumerate(hits, start=1):
        typer.echo(f"[{n}] {hit.title_path} ({hit.source}) score={hit.score:.3f}")
        typer.echo("    " + hit.text.replace("\n", "\n    ")[:400])


@kb_app.command()
def refresh() -> None:
    """Re-index changed files and report what changed."""
    report = _base().refresh()
    typer.echo(
        f"added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}, "
        f"unchanged {report.unchanged}, chunks {report.chunks}"
    )
    for source, error in report.errors.items():
        typer.echo(f"error: {source}: {error}", err=True)


@kb_app.command()
def sources() -> None:
    """List the indexed files."""
    kb = _base()
    kb.refresh()
    for source in kb.list_sources():
        typer.echo(source)
