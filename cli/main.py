"""`newsqa`: ingest articles, ask questions, serve the API, run the eval suite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from rag.articles import ArticleError, load_articles
from rag.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _settings(kind: type = Settings, **values):
    """The settings from NEWSQA_* variables; a bad value is one line naming the variable, exit 2."""
    from pydantic import ValidationError

    try:
        return kind(**values)
    except ValidationError as exc:
        bad = "; ".join(f"NEWSQA_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise fail(f"bad setting: {bad}") from None


def _pipeline(settings: Settings):
    from rag.pipeline import Pipeline

    return Pipeline(settings)


@contextmanager
def _store_errors() -> Iterator[None]:
    """A damaged, mismatched or unwritable index is one line and exit 1, never a traceback."""
    from rag.index import StoreError

    try:
        yield
    except StoreError as exc:
        raise fail(str(exc), 1) from None


@app.command()
def setup() -> None:
    """Build the embedded model file (checked by sha256), prove that the generator runs on this CPU by
    generating in a child process, and ingest the seed articles."""
    from rag import llama_build
    from rag.model_file import ModelFileError, ensure_model_file

    settings = _settings()
    try:
        model = ensure_model_file(settings.cache_dir)
    except ModelFileError as exc:
        raise fail(str(exc), 1) from None
    typer.echo(f"model: {model}")
    if settings.llm_backend != "openai":
        result = llama_build.probe(settings.llm_model_path or model)
        if not result.ok:
            build = llama_build.chosen_build()
            raise fail(llama_build.failure_line(result.detail, build, llama_build.cpu_flags()), 1)
        typer.echo(
            f"generator: runs on this CPU (prefill {result.prefill_tps:.0f} tok/s, decode {result.decode_tps:.1f}"
            f" tok/s; llama.cpp built with {' '.join(result.features)})"
        )
    with _store_errors():
        report = _pipeline(settings).ensure_seeded()
    typer.echo(f"seeds: {report.summary() if report else 'index already has articles'}")


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="Article files or folders.")]) -> None:
    """Add or update articles (.txt, .md, .jsonl); unchanged ones are skipped."""
    try:
        articles = load_articles(paths)
    except ArticleError as exc:
        raise fail(str(exc)) from None
    pipeline = _pipeline(_settings())
    with _store_errors(), typer.progressbar(length=len(articles), label="ingesting", file=None) as bar:
        report = pipeline.ingest(articles, progress=lambda _: bar.update(1))
    typer.echo(report.summary())


@app.command()
def reindex() -> None:
    """Rebuild the index from the article texts it stores (after damage, or new chunk settings)."""
    with _store_errors():
        report, lost, old = _pipeline(_settings()).reindex()
    typer.echo(f"reindexed {len(report.added)} articles ({report.chunks} chunks); previous index kept in {old}")
    if lost:
        typer.echo(f"warning: {lost} damaged article rows could not be read; ingest them again", err=True)


@app.command()
def migrate(
    to: Annotated[str, typer.Option("--to", help="postgresql://user:password@host:port/database")],
) -> None:
    """Copy the embedded store of the data dir into PostgreSQL (pgvector), vectors and all: nothing is
    embedded again. Then serve with NEWSQA_DATABASE_URL set to the same URL."""
    from pydantic import SecretStr

    from rag.store import open_store

    settings = _settings()
    if settings.database_url:
        raise fail("migrate reads the embedded store: unset NEWSQA_DATABASE_URL and pass the target with --to")
    if not (settings.index_dir / "articles.sqlite").is_file():
        raise fail(f"no embedded store in {settings.data_dir} to migrate")
    with _store_errors():
        pipeline = _pipeline(settings)
        target = open_store(settings.model_copy(update={"database_url": SecretStr(to)}),
                            pipeline.embedder.dim, pipeline.embedder.name)
        try:
            copied = pipeline.migrate(target)
            total = target.count_articles()
        finally:
            target.close()
    typer.echo(f"migrated {copied} articles; the database holds {total}")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the ingested articles.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole answer as JSON.")] = False,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=50, help="Passages to retrieve.")] = None,
    asked_on: Annotated[str | None, typer.Option(
        "--asked-on", help='The day the question is asked (YYYY-MM-DD, default today): "this week" counts from it.'
    )] = None,
) -> None:
    """Answer from the articles, citing the sentences that say so (seeds are ingested into an empty index)."""
    if not question.strip():
        raise fail("the question is empty")
    try:
        day = date.fromisoformat(asked_on) if asked_on else None
    except ValueError:
        raise fail(f"--asked-on {asked_on!r} is not a date (YYYY-MM-DD)") from None
    pipeline = _pipeline(_settings())
    with _store_errors():
        pipeline.ensure_seeded()
        pipeline.warm()
        answer = pipeline.ask(question, top_k, asked_on=day)
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
    from api.auth import AuthConfigError
    from api.settings import WebSettings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    from rag.store import exclusive_writer

    settings, web = _settings(), _settings(WebSettings)
    try:
        app = create_app(settings, host=host, web_settings=web)
    except (AuthConfigError, ValueError) as exc:  # an unsafe key, a concurrency the generator cannot give
        raise fail(str(exc)) from None
    with _store_errors(), exclusive_writer(settings):  # a second server or an ingest on it: one line
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")


@app.command("eval")
def run_eval(
    dataset: Annotated[Path | None, typer.Option(help="Gold set file or folder; default: eval/gold.jsonl.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="native, rgb or multihop.")] = "native",
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N questions.")] = None,
    only: Annotated[str | None, typer.Option(
        help="Only these questions (ids, comma-separated): those a replay says read other sentences.")] = None,
    out: Annotated[Path, typer.Option(help="Where report.md/json, results.jsonl and metrics.png go.")] = Path(
        "eval/out"
    ),
    corpus: Annotated[list[Path] | None, typer.Option(
        help="For a native set: a folder of articles it asks over (repeatable); default: seeds/ and the "
        "set's corpus/ folder.")] = None,
    baseline: Annotated[bool, typer.Option(help="Also run llama-index's CitationQueryEngine.")] = False,
    check: Annotated[bool, typer.Option(help="Exit 1 when a metric is below eval/thresholds.toml.")] = False,
    replay: Annotated[Path | None, typer.Option(
        help="A results.jsonl of an earlier run of the same set: each question's stored draft stands in for "
        "the model, so a change to the checks is measured exactly, in minutes.")] = None,
) -> None:
    """Measure retrieval, answers, abstention and citations on a gold set, with the real models."""
    from eval import datasets, report, runner
    from eval.metrics import aggregate
    from eval.replay import ReplayError, StoredDrafts, asker, changed, check_covers, load_drafts
    from rag.pipeline import Pipeline

    if fmt not in ("native", "rgb", "multihop"):
        raise fail(f"unknown format {fmt!r}: use native, rgb or multihop")
    for path in [dataset, *(corpus or [])]:
        if path is not None and not path.exists():
            raise fail(f"{path}: no such file or folder")
    if replay is not None and baseline:
        raise fail("--replay replays newsqa's drafts; the baseline needs the model: leave out --baseline")
    try:
        eval_set = datasets.load(dataset, fmt, corpus)
    except (ArticleError, ValueError, KeyError) as exc:
        raise fail(f"cannot read the dataset: {exc}") from None
    if only is not None:
        wanted = [i for i in (part.strip() for part in only.split(",")) if i]
        unknown = sorted(set(wanted) - {c.id for c in eval_set.cases})
        if not wanted or unknown:
            raise fail(f"--only: no question {unknown[0] if unknown else '(none given)'} in {eval_set.name}")
        eval_set.cases = [c for c in eval_set.cases if c.id in wanted]
    drafts = None
    if replay is not None:
        try:
            stored = load_drafts(replay)
            check_covers(stored, eval_set.cases[:limit], replay)
        except ReplayError as exc:
            raise fail(f"cannot replay: {exc}") from None
        drafts = StoredDrafts(stored)
    # The eval has its own index, beside its report, so it never touches the service's data.
    settings = _settings(data_dir=out / "index")
    pipeline = Pipeline(settings, llm=drafts)
    typer.echo(f"{eval_set.name}: {len(eval_set.cases[:limit])} questions, {len(eval_set.articles)} articles")
    typer.echo(pipeline.ingest(eval_set.articles).summary())
    pipeline.warm()

    systems = {"newsqa": asker(pipeline, drafts) if drafts else lambda case: runner.ask_newsqa(pipeline, case)}
    if baseline:
        from eval.baseline import CitationBaseline

        systems["llama-index CitationQueryEngine"] = CitationBaseline(eval_set, settings).ask
    runs, verdicts = {}, {}
    for name, ask_fn in systems.items():
        with typer.progressbar(length=len(eval_set.cases[:limit]), label=name, file=None) as bar:
            verdicts[name] = runner.run(eval_set, ask_fn, settings.top_k, limit, lambda _: bar.update(1))
        runs[name] = aggregate(verdicts[name], settings.top_k)
    if drafts is not None:
        runs["newsqa"]["replay"] = {"from": str(replay), "changed": changed(stored, verdicts["newsqa"]),
                                    "unreplayable": drafts.unreplayable, "other_evidence": drafts.other_evidence}
    if fmt == "native" and dataset is None:
        from eval import injection

        runs["newsqa"]["injection"] = injection.measure()
    failures = runner.check_thresholds(runs["newsqa"]) if check else None
    report.write(out, eval_set.name, runs, verdicts, failures)
    typer.echo(report.markdown(eval_set.name, runs, failures))
    typer.echo(f"written to {out}/")
    if failures:
        raise fail("quality below thresholds: " + "; ".join(failures), 1)


@app.command()
def bench(
    quick: Annotated[bool, typer.Option(help="Smaller sizes and fewer repeats: the same table in minutes.")] = False,
    out: Annotated[Path, typer.Option(help="Where results.json, results.md and results.png go.")] = Path(
        "bench/results"
    ),
    only: Annotated[
        list[str] | None, typer.Option(help="Run only these stages (repeatable): generator, isolation, ingest, "
                                            "postgres, retrieval, warm_start, end_to_end, hangups, upload.")
    ] = None,
    backend: Annotated[
        list[str] | None, typer.Option(help="Stores to measure (repeatable): embedded, postgres; default both.")
    ] = None,
) -> None:
    """Measure the generator's build, ingest, retrieval at scale (exact vs IVF), warm start and /v1/ask
    against their references."""
    from bench import report
    from bench.run import BACKENDS, FULL, QUICK, STAGES, run

    if unknown := set(only or ()) - set(STAGES):
        raise fail(f"unknown stage {sorted(unknown)[0]!r}: use {', '.join(STAGES)}")
    if unknown := set(backend or ()) - set(BACKENDS):
        raise fail(f"unknown backend {sorted(unknown)[0]!r}: use {', '.join(BACKENDS)}")
    plan = QUICK if quick else FULL
    results = run(plan, out, lambda stage: typer.echo(f"bench: {stage}", err=True), tuple(only or STAGES),
                  tuple(backend or BACKENDS))
    typer.echo(report.markdown(results))
    typer.echo(f"written to {out}/")


@app.command()
def soak(
    seconds: Annotated[float, typer.Option(min=1, help="How long the clients run.")] = 60,
    clients: Annotated[int, typer.Option(min=1, help="Concurrent clients.")] = 8,
    out: Annotated[Path, typer.Option(help="Where soak.json and soak.md go.")] = Path("bench/results"),
) -> None:
    """Load a fresh `newsqa serve` with clients mixing ask, search, writes and reads; exit 1 on a lost write
    or a server error (503 backpressure is expected)."""
    import tempfile

    from bench.soak import run_soak, write

    with tempfile.TemporaryDirectory(prefix="newsqa-soak-") as tmp:
        report = run_soak(Path(tmp) / "data", seconds, clients)
    write(report, out)
    typer.echo(report.markdown())
    if report.problems or report.server_errors:
        raise fail(f"{len(report.problems)} lost or stale writes, server errors {report.server_errors}", 1)


def main() -> None:
    app()
