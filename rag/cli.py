"""`newsqa`: ingest articles, ask questions, serve the API, run the eval suite."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rag.articles import ArticleError, load_articles
from rag.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _pipeline(settings: Settings):
    from rag.pipeline import Pipeline

    return Pipeline(settings)


@app.command()
def setup() -> None:
    """Build the embedded model file (checked by sha256) and ingest the seed articles."""
    from rag.model_file import ModelFileError, ensure_model_file

    settings = Settings()
    try:
        typer.echo(f"model: {ensure_model_file(settings.cache_dir)}")
    except ModelFileError as exc:
        raise fail(str(exc), 1) from None
    report = _pipeline(settings).ensure_seeded()
    typer.echo(f"seeds: {report.summary() if report else 'index already has articles'}")


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")]) -> None:
    """Add or update articles (.txt, .md, .jsonl); unchanged ones are skipped."""
    try:
        articles = load_articles(paths)
    except ArticleError as exc:
        raise fail(str(exc)) from None
    pipeline = _pipeline(Settings())
    with typer.progressbar(length=len(articles), label="ingesting", file=None) as bar:
        report = pipeline.ingest(articles, progress=lambda _: bar.update(1))
    typer.echo(report.summary())


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the ingested articles.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole answer as JSON.")] = False,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=50, help="Passages to retrieve.")] = None,
) -> None:
    """Answer from the articles, citing the sentences that say so (seeds are ingested into an empty index)."""
    if not question.strip():
        raise fail("the question is empty")
    pipeline = _pipeline(Settings())
    pipeline.ensure_seeded()
    answer = pipeline.ask(question, top_k)
    if as_json:
        typer.echo(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    typer.echo(answer.answer)
    for c in answer.citations:
        typer.echo(f"  [{c.n}] {c.article_id} ({c.published or 'undated'}) chars {c.start}-{c.end}: {c.quote}")
    if not answer.answerable:
        typer.echo(f"  (not answerable: {answer.reason})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Run the HTTP API (docs at /docs); seeds an empty index and warms the models before /readyz is 200."""
    import logging

    import uvicorn

    from api.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    uvicorn.run(create_app(Settings()), host=host, port=port, access_log=False, log_level="info")


def main() -> None:
    app()
