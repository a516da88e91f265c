"""The FastAPI service: thin routes over the pipeline, with auth, admission control and observability."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from api import web
from api.auth import auth_mode, read_access, write_access
from api.gate import Busy, GenerationGate
from api.limits import BodyLimit, StalledReaderTimeout
from api.observe import Metrics, ObserveMiddleware
from api.schemas import (
    ArticleList,
    ArticleOut,
    ArticlesWritten,
    ArticleWritten,
    AskRequest,
    Error,
    SearchRequest,
    SearchResponse,
)
from api.settings import WebSettings
from api.uploads import read_articles
from rag.pipeline import GeneratorTimeout, GeneratorUnavailable, Pipeline, StorageError, StoreUnavailable
from rag.settings import Settings
from rag.types import Answer

log = logging.getLogger("newsqa")


@dataclass
class Service:
    settings: WebSettings
    pipeline: Pipeline
    metrics: Metrics = field(default_factory=Metrics)
    gate: GenerationGate | None = None
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ready: bool = False
    warmup_error: str | None = None

    def warm_up(self) -> None:
        """Load the index (seeding an empty one), both models and the keyword index, and fill a local
        model's prefix cache: the first question after /readyz pays for none of it."""
        try:
            self.pipeline.ensure_seeded()
            self.pipeline.warm()
            self.ready = True
            log.info(json.dumps({
                "event": "ready", "articles": self.pipeline.counts()[0], "generator": self.pipeline.llm.info,
            }))
        except Exception as exc:  # reported by /readyz; the process stays up to say why
            # Only the kind reaches /readyz: exception texts carry file paths; the log has the whole story.
            self.warmup_error = f"{type(exc).__name__}; see the server log"
            log.exception("warm-up failed")


def service(request: Request) -> Service:
    return request.app.state.service


def ready_pipeline(svc: Service = Depends(service)) -> Pipeline:
    if not svc.ready:
        raise HTTPException(503, "the service is warming up", headers={"Retry-After": "5"})
    return svc.pipeline


def _ask_failure(exc: Exception) -> HTTPException:
    if isinstance(exc, StoreUnavailable):
        return HTTPException(503, f"{exc}; try again shortly", headers={"Retry-After": "5"})
    if isinstance(exc, GeneratorTimeout):
        return HTTPException(504, str(exc))
    if isinstance(exc, GeneratorUnavailable):
        return HTTPException(503, str(exc), headers={"Retry-After": "5"})
    return HTTPException(500, f"generation failed ({type(exc).__name__})")


async def _answer_events(svc: Service, req: AskRequest) -> AsyncIterator[tuple[str, object]]:
    """The pipeline's events, produced by a generation worker once the gate admits it (Busy if it
    cannot); leaving early stops the generation at its next event."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue = asyncio.Queue()
    stop = threading.Event()

    def put(item) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the event loop is gone: nobody is listening
            stop.set()

    def work() -> None:
        if stop.is_set():  # the client left while this waited for a slot
            return
        events = svc.pipeline.events(req.question, req.top_k, req.filters, req.asked_on)
        try:
            for item in events:
                put(item)
                if stop.is_set():
                    break
        except Exception as exc:
            put(("error", exc))
        finally:
            events.close()
            put(None)

    try:
        await svc.gate.run(work)
        while (item := await queue.get()) is not None:
            if item[0] == "answer":
                svc.metrics.generation.observe(item[1].timings.get("generate_ms", 0) / 1000)
            yield item
    finally:
        stop.set()


def _sse(event: str, data) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


router = APIRouter()
BUSY = {503: {"model": Error, "description": "Queue full (Retry-After) or warming up"}}


@router.post(
    "/v1/ask",
    response_model=Answer,
    responses={**BUSY, 504: {"model": Error}, 200: {"content": {"text/event-stream": {}}}},
    dependencies=[Depends(read_access), Depends(ready_pipeline)],
)
async def ask(req: AskRequest, request: Request, svc: Service = Depends(service)):
    """Answer from the articles with verified citations. `"stream": true` (or `Accept: text/event-stream`)
    sends Server-Sent Events: `passages`, then `token`s, then one `answer` (or `error`).

    `token` events (`{"text": ..., "verified": false}`) are the model's unverified draft as it is written,
    for showing progress only: the citation check may drop claims and repair markers. Replace the draft
    with the `answer` event's `answer` and `citations`, which are what the articles support."""
    if svc.gate.full():
        raise HTTPException(503, "too many questions waiting; retry later", headers={"Retry-After": "10"})

    if req.stream or "text/event-stream" in request.headers.get("accept", ""):

        async def body():
            try:
                async for kind, data in _answer_events(svc, req):
                    if kind == "passages":
                        yield _sse("passages", [p.model_dump(mode="json") for p in data])
                    elif kind == "token":
                        yield _sse("token", {"text": data, "verified": False})
                    elif kind == "answer":
                        yield _sse("answer", data.model_dump(mode="json"))
                    else:
                        failure = _ask_failure(data)
                        yield _sse("error", {"status": failure.status_code, "detail": failure.detail})
            except Busy:
                yield _sse("error", {"status": 503, "detail": "too many questions waiting; retry later"})

        return StalledReaderTimeout(
            body(), svc.settings.stream_send_timeout, media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )

    try:
        async for kind, data in _answer_events(svc, req):
            if kind == "answer":
                return data
            if kind == "error":
                raise _ask_failure(data)
    except Busy:
        raise HTTPException(503, "too many questions waiting; retry later", headers={"Retry-After": "10"}) from None
    raise HTTPException(500, "the pipeline produced no answer")


@router.post("/v1/search", response_model=SearchResponse, responses=BUSY, dependencies=[Depends(read_access)])
async def search(req: SearchRequest, pipeline: Pipeline = Depends(ready_pipeline)):
    """Ranked passages with scores; no LLM, never queued behind generations."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    passages = await asyncio.to_thread(pipeline.search, req.query, req.top_k, req.filters)
    return SearchResponse(passages=passages, timings={"retrieve_ms": round((loop.time() - started) * 1000, 1)})


@router.post(
    "/v1/articles",
    response_model=ArticlesWritten,
    status_code=201,
    dependencies=[Depends(write_access)],
    responses={
        200: {"model": ArticlesWritten, "description": "Nothing new: same content, or replaced"},
        401: {"model": Error}, 413: {"model": Error}, 415: {"model": Error}, 422: {"model": Error}, **BUSY,
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                },
            },
        }
    },
)
async def create_article(
    request: Request, response: Response, svc: Service = Depends(service), pipeline: Pipeline = Depends(ready_pipeline)
):
    """Add one article as JSON, or upload a .txt/.md/.jsonl file; the same content again changes nothing."""
    articles = await read_articles(request, svc.settings.max_article_bytes)
    async with svc.write_lock:  # chunk counts read under the lock: a delete could otherwise come in between
        report, chunks = await asyncio.to_thread(pipeline.upload, articles, svc.settings.index_save_delay)
    status = {aid: s for s in ("added", "updated", "unchanged") for aid in getattr(report, s)}
    written = [ArticleWritten(id=a.id, status=status[a.id], chunks=chunks.get(a.id, 0)) for a in articles]
    response.status_code = 201 if report.added else 200
    return ArticlesWritten(articles=written)


@router.get("/v1/articles", response_model=ArticleList, dependencies=[Depends(read_access)])
async def list_articles(
    offset: int = Query(0, ge=0, le=2**62), limit: int = Query(50, ge=1, le=500),
    q: str | None = Query(None, max_length=200, description="Only articles whose title or id contains this."),
    pipeline: Pipeline = Depends(ready_pipeline),
):
    def read() -> ArticleList:
        items, total = pipeline.list_articles(offset, limit, q or None)
        return ArticleList(items=items, total=total, offset=offset, limit=limit)

    return await asyncio.to_thread(read)  # store reads wait for the index lock: never on the event loop


@router.get(
    "/v1/articles/{article_id}", response_model=ArticleOut, responses={404: {"model": Error}},
    dependencies=[Depends(read_access)],
)
async def get_article(article_id: str, pipeline: Pipeline = Depends(ready_pipeline)):
    """Metadata and full text, so a client can highlight a citation's `[start, end)` span."""
    found = await asyncio.to_thread(pipeline.article, article_id)
    if found is None:
        raise HTTPException(404, f"no article {article_id!r}")
    info, article = found
    return ArticleOut(**info.model_dump(), text=article.text)


@router.delete(
    "/v1/articles/{article_id}", status_code=204, responses={404: {"model": Error}, 401: {"model": Error}},
    dependencies=[Depends(write_access)],
)
async def delete_article(
    article_id: str, svc: Service = Depends(service), pipeline: Pipeline = Depends(ready_pipeline)
):
    async with svc.write_lock:
        deleted = await asyncio.to_thread(pipeline.delete, article_id, svc.settings.index_save_delay)
    if not deleted:
        raise HTTPException(404, f"no article {article_id!r}")
    return Response(status_code=204)


@router.get("/healthz")
async def healthz():
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"model": Error}})
async def readyz(svc: Service = Depends(service)):
    if not svc.ready:
        detail = f"warm-up failed: {svc.warmup_error}" if svc.warmup_error else "warming up"
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})
    articles, chunks = await asyncio.to_thread(svc.pipeline.counts)
    return {"status": "ready", "articles": articles, "chunks": chunks, "generator": svc.pipeline.llm.info}


@router.get("/metrics", response_class=Response, dependencies=[Depends(read_access)])
async def metrics(svc: Service = Depends(service)):
    if svc.ready:
        articles, chunks = await asyncio.to_thread(svc.pipeline.counts)
        svc.metrics.articles.set(articles)
        svc.metrics.chunks.set(chunks)
    svc.metrics.waiting.set(svc.gate.waiting)
    svc.metrics.running.set(svc.gate.running)
    return Response(svc.metrics.render(), media_type="text/plain; version=0.0.4")


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """FastAPI's 422 body echoes the input; an unpaired surrogate in it cannot be encoded as UTF-8, so the
    body is written with ASCII escapes (valid JSON, the same content)."""
    body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
    return Response(body, status_code=422, media_type="application/json")


async def _storage_failed(request: Request, exc: StorageError) -> JSONResponse:
    """Disk full or read-only: the write was rolled back, the index is as before; say so plainly."""
    log.error(json.dumps({"event": "write_failed", "detail": str(exc)}))
    return JSONResponse({"detail": f"{exc}; nothing was changed"}, status_code=507)


async def _store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
    """The database is restarting or out of connections: nothing happened, and a retry may work."""
    log.error(json.dumps({"event": "store_unavailable", "detail": str(exc)}))
    return JSONResponse({"detail": f"{exc}; try again shortly"}, status_code=503, headers={"Retry-After": "5"})


def create_app(
    settings: Settings | None = None, pipeline: Pipeline | None = None, host: str | None = None,
    web_settings: WebSettings | None = None,
) -> FastAPI:
    """`settings` configure the pipeline, `web_settings` this service (both default to the environment). `host`: the
    interface it will listen on, when known (a non-loopback one needs a key or an explicit
    NEWSQA_ALLOW_OPEN_WRITES). Raises AuthConfigError for an unsafe key setting, ValueError for a
    concurrency the generator cannot give."""
    web_settings = web_settings or WebSettings()
    mode = auth_mode(web_settings, host)
    pipeline = pipeline or Pipeline(settings or Settings())
    slots = pipeline.generation_slots(web_settings.ask_concurrency)
    svc = Service(settings=web_settings, pipeline=pipeline)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        log.info(json.dumps({"event": "auth", "mode": mode}))
        svc.gate = GenerationGate(slots, web_settings.ask_queue)
        # The server is the data dir's only writer while it runs: a CLI ingest meanwhile gets a clear error.
        with svc.pipeline.writer():
            warm = asyncio.create_task(asyncio.to_thread(svc.warm_up))
            yield
            warm.cancel()  # only the waiting; a warm-up thread still running ends with the process
            svc.gate.close()
            if svc.ready:
                await asyncio.to_thread(svc.pipeline.close)  # writes a pending vector file

    app = FastAPI(
        title="newsqa",
        version="0.1.0",
        summary="Questions over news articles, answered with sentence-level citations.",
        lifespan=lifespan,
    )
    app.state.service = svc
    app.include_router(router)
    app.include_router(web.router)
    app.mount("/static", web.static_files, name="static")
    app.add_exception_handler(StorageError, _storage_failed)
    app.add_exception_handler(StoreUnavailable, _store_unavailable)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_middleware(BodyLimit, max_bytes=web_settings.max_request_bytes, exempt={("POST", "/v1/articles")})
    app.add_middleware(ObserveMiddleware, metrics=svc.metrics)
    if web_settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=web_settings.cors_origins, allow_methods=["*"], allow_headers=["*"]
        )
    return app
