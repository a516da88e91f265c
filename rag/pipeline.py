"""The whole pipeline behind one object: ingest articles, search them, answer questions with citations.

Models load lazily and once, so commands that only validate input or read the store stay quick.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from rag.articles import load_articles
from rag.chunking import chunk_article
from rag.conflicts import reconcile
from rag.dates import anchor_relative_dates, asked_window, earliest_reported
from rag.cite import (
    answers_the_question, dated_elsewhere, is_refusal, listed_in_another_year, names_another_doer, shown_before,
    swaps_a_name, told_as_ahead, verify, yes_against_a_denial,
)
from rag.embed import Embedder
from rag.evidence import select_evidence
from rag.generate import (
    LLM, REFUSAL, GeneratorTimeout, GeneratorUnavailable, backend, build_messages, load_llm,
)
from rag.index import ArticleIndex, StorageError, StoreError, StoreUnavailable, salvage_articles, writer_lock
from rag.retrieve import Retriever
from rag.settings import Settings
from rag.store import ArticleStore, exclusive_writer, open_store
from rag.questions import (
    is_yes_no, misses_the_ask, named_sources, names_another_holder, same_story, unmet_constraints, won_a_part,
)
from rag.types import Answer, Article, ArticleInfo, Citation, Evidence, Filters, Passage

__all__ = [
    "EMPTY_INDEX", "NO_EVIDENCE", "GeneratorTimeout", "GeneratorUnavailable", "IngestReport", "Pipeline",
    "StorageError", "StoreUnavailable",
]

INGEST_BATCH = 256  # chunks embedded together across articles
SERVED_CONCURRENCY = 4  # answers a served generator writes at once unless told: a small GPU server's slots
NO_EVIDENCE = "Nothing in the articles matches this question."
EMPTY_INDEX = "No articles have been ingested yet."


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    chunks: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
            f" ({self.chunks} chunks embedded)"
        )


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None, llm: LLM | None = None):
        self.settings = settings
        if embedder is not None:
            self.__dict__["embedder"] = embedder
        if llm is not None:
            self.__dict__["llm"] = llm

    @cached_property
    def embedder(self) -> Embedder:
        return Embedder(self.settings.embed_model_path, self.settings.embed_batch_size, self.settings.embed_backend)

    @cached_property
    def llm(self) -> LLM:
        return load_llm(self.settings)

    @cached_property
    def index(self) -> ArticleStore:
        return open_store(self.settings, self.embedder.dim, self.embedder.name)

    def _open_index(self, directory: Path) -> ArticleIndex:
        s = self.settings
        return ArticleIndex(directory, self.embedder.dim, self.embedder.name, s.approx_from, s.ivf_nprobe)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever.for_mode(self.index, self.embedder, self.settings.retrieval)

    def generation_slots(self, requested: int | None) -> int:
        """How many answers may be written at once. An embedded model has one context, so a second answer
        would only wait behind the first while holding a slot: asking for more is a configuration error.
        A served generator takes what its server can run in parallel, which only the operator knows."""
        fixed = backend(self.settings).concurrency
        if fixed is not None and requested is not None and requested != fixed:
            raise ValueError(
                f"NEWSQA_ASK_CONCURRENCY={requested}: the {self.settings.llm_backend} generator writes {fixed} "
                "answer at a time; more at once need a served one (NEWSQA_LLM_BACKEND=openai)"
            )
        return fixed or requested or SERVED_CONCURRENCY

    # -- ingest ------------------------------------------------------------------------------
    def ingest(
        self, articles: Iterable[Article], progress: Callable[[Article], None] | None = None, save: bool = True,
        atomic: bool = False,
    ) -> IngestReport:
        """Embed changed articles in shared batches (short articles would otherwise make batches of one).
        Each batch is one transaction, or with atomic=True the whole input is (an upload: all or nothing,
        so an error can truthfully say nothing was stored). save=False leaves the FAISS file to a later
        (coalesced) save."""
        with exclusive_writer(self.settings):
            return self._ingest(articles, progress, save, atomic)

    def _ingest(self, articles, progress, save, atomic) -> IngestReport:
        report = IngestReport()
        pending: list[tuple[Article, list]] = []
        staged: list[tuple[Article, list, object]] = []

        def write(items) -> None:
            for (article, chunks, _), status in zip(items, self.index.upsert_many(items, save=False), strict=True):
                getattr(report, status).append(article.id)
                report.chunks += len(chunks)
                if progress:
                    progress(article)

        def flush() -> None:
            texts = [self._embed_text(a, c.text) for a, chunks in pending for c in chunks]
            vectors, at, items = self.embedder.encode(texts), 0, []
            for article, chunks in pending:
                items.append((article, chunks, vectors[at : at + len(chunks)]))
                at += len(chunks)
            staged.extend(items) if atomic else write(items)
            pending.clear()

        try:
            for article in articles:
                if self.index.content_hash(article.id) == article.content_hash:
                    report.unchanged.append(article.id)
                    if progress:
                        progress(article)
                    continue
                chunks = chunk_article(article, self.settings.chunk_max_chars, self.settings.chunk_overlap_sentences)
                pending.append((article, chunks))
                if sum(len(c) for _, c in pending) >= INGEST_BATCH:
                    flush()
            flush()
            write(staged)
        finally:
            if save:
                self.index.save()
        return report

    def ingest_paths(self, paths: Iterable[Path], progress=None) -> IngestReport:
        return self.ingest(load_articles(paths), progress)

    def ensure_seeded(self) -> IngestReport | None:
        """An empty index gets the seed articles, so a fresh install can answer at once."""
        if self.index.count_articles() == 0 and self.settings.seeds_dir.is_dir():
            return self.ingest_paths([self.settings.seeds_dir])
        return None

    def warm(self) -> None:
        """Load both models and the keyword index, and fill a local model's prefix cache. Every way in
        (serve, ask, eval) warms the same way: llama.cpp's numbers differ a little with how the cached
        prefix was computed, and a borderline answer with them, so an eval measures what serve answers."""
        self.search("warm-up", 1)
        self.llm.warm()

    def reindex(self) -> tuple[IngestReport, int, Path]:
        """Rebuild the index from the stored article texts (re-chunked, re-embedded) beside the old one,
        then swap it in; the old folder is kept. Returns the report, rows lost to damage, the old folder."""
        if self.settings.database_url:
            raise StoreError("reindex rebuilds the embedded store in the data dir; unset NEWSQA_DATABASE_URL")
        with writer_lock(self.settings.data_dir):
            return self._reindex()

    def _reindex(self) -> tuple[IngestReport, int, Path]:
        live = self.settings.index_dir
        articles, lost = salvage_articles(live / "articles.sqlite")
        fresh = live.with_name("index.new")
        shutil.rmtree(fresh, ignore_errors=True)
        self.__dict__.pop("retriever", None)
        if "index" in self.__dict__:
            self.__dict__.pop("index").close()
        self.__dict__["index"] = self._open_index(fresh)
        report = self.ingest(articles)
        self.__dict__.pop("index").close()
        old = live.with_name(f"index.old-{time.strftime('%Y%m%d-%H%M%S')}")
        live.rename(old)
        fresh.rename(live)
        return report, lost, old

    # -- articles ----------------------------------------------------------------------------
    # What the HTTP service does with articles goes through these, never through the store itself.
    def writer(self) -> AbstractContextManager:
        """Hold the store's writer lock (the data dir's, for the embedded store): a second process writing
        meanwhile gets a clear StorageError."""
        return exclusive_writer(self.settings)

    def upload(self, articles: list[Article], save_delay: float) -> tuple[IngestReport, dict[str, int]]:
        """One transaction for the whole upload: a failure on its last line leaves nothing of it stored.
        The vector file is written later, once for writes that come close together. Returns the report
        and each article's chunk count."""
        report = self.ingest(articles, None, save=False, atomic=True)
        self.index.save_later(save_delay)
        return report, self.index.chunk_counts([a.id for a in articles])

    def delete(self, article_id: str, save_delay: float) -> bool:
        deleted = self.index.delete(article_id, save=False)
        self.index.save_later(save_delay)
        return deleted

    def article(self, article_id: str) -> tuple[ArticleInfo, Article] | None:
        info, article = self.index.info(article_id), self.index.get(article_id)
        return (info, article) if info is not None and article is not None else None

    def list_articles(self, offset: int, limit: int, q: str | None = None) -> tuple[list[ArticleInfo], int]:
        return self.index.list(offset, limit, q)

    def counts(self) -> tuple[int, int]:
        """Articles and chunks stored."""
        return self.index.count_articles(), self.index.count_chunks()

    def close(self) -> None:
        """Write a pending vector file, release the store and stop the generator (those that were opened)."""
        if "index" in self.__dict__:
            self.index.close()
        if "llm" in self.__dict__:
            self.llm.close()

    def migrate(self, target: ArticleStore, progress: Callable[[int], None] | None = None) -> int:
        """Copy this embedded store into another (PostgreSQL), vectors and all: nothing is embedded again.
        Articles already there unchanged are skipped, so an interrupted copy can be run again."""
        copied = 0
        with writer_lock(self.settings.data_dir):
            source = self._open_index(self.settings.index_dir)
            try:
                for items in source.export():
                    copied += sum(status != "unchanged" for status in target.upsert_many(items))
                    if progress:
                        progress(copied)
            finally:
                source.close()
        return copied

    @staticmethod
    def _embed_text(article: Article, text: str) -> str:
        return f"{article.title}\n{text}" if article.title else text

    # -- questions ---------------------------------------------------------------------------
    def search(
        self, query: str, top_k: int | None = None, filters: Filters | None = None, asked_on: date | None = None
    ) -> list[Passage]:
        """Retrieve; a question that dates its subject explicitly only looks at articles published since and
        at undated ones (a page without a date may be of any year); one that sets its period from the day it
        is asked (`asked_on`: "Which city banned smoking this week?") only at articles dated in that period,
        as the answer's check will ask: an undated page is not known to be of that week, and where the
        week's reports were few an undated one on another storm took their places. Both fall back to all
        articles when they find none."""
        k = top_k or self.settings.top_k
        narrowed = self._narrowed_by_date(query, filters, asked_on)
        if narrowed is not None and (found := self.retriever.retrieve(query, k, narrowed)):
            return found
        return self.retriever.retrieve(query, k, filters)

    def _narrowed_by_date(self, query: str, filters: Filters | None, asked_on: date | None) -> Filters | None:
        if not self.settings.date_narrowing:
            return None
        own_period = filters and (filters.published_from or filters.published_to)
        window = None if own_period else self._asked_period(query, asked_on)
        if window:
            return (filters or Filters()).model_copy(update={"published_from": window[0], "published_to": window[1]})
        since = earliest_reported(query)
        if since is None or (filters and filters.published_from and filters.published_from >= since):
            return None
        return (filters or Filters()).model_copy(update={"published_from": since, "undated": True})

    def _evidence(
        self, question: str, passages: list[Passage], top_k: int | None, filters: Filters | None, outlets: list[str]
    ) -> tuple[list[Passage], list[Evidence]]:
        """The sentences the model reads. A question naming two or more stored outlets gets evidence from
        each of them (a search per outlet), so a comparison sees both sides, unless the filters already
        choose the outlets; otherwise the best sentences of the retrieved passages."""
        limit = self.settings.evidence_sentences
        outlets = [] if filters and filters.sources else outlets
        if len(outlets) < 2:
            return passages, select_evidence(question, passages, self.embedder, limit)
        per_outlet = max(2, -(-limit // len(outlets)))
        gathered, evidence = list(passages), []
        for outlet in outlets[:3]:
            found = self.retriever.retrieve(question, top_k or self.settings.top_k,
                                            (filters or Filters()).model_copy(update={"sources": [outlet]}))
            seen = {p.chunk_id for p in gathered}
            gathered += [p for p in found if p.chunk_id not in seen]
            evidence += select_evidence(question, found, self.embedder, per_outlet)
        return gathered, [e.model_copy(update={"n": i}) for i, e in enumerate(evidence, 1)]

    def _asked_period(self, question: str, asked_on: date | None) -> tuple[date, date] | None:
        """The period the question sets from the day it is asked ("this week", `asked_window`), which
        retrieval searches and the answer's check holds the cited articles to. None when it names outlets:
        it asks what they wrote, and its "last week's game" is their words, counted from their dates."""
        window = asked_window(question, asked_on) if asked_on else None
        return window if window and not named_sources(question, self.index.sources()) else None

    def _outside_asked_period(self, question: str, citations: list[Citation], asked_on: date) -> bool:
        """The question sets its period from the day it is asked and every dated cited article lies outside
        it: last year's winner is no answer to who won this year. Undated articles cannot be told apart, so
        they pass."""
        window = self._asked_period(question, asked_on)
        if window is None:
            return False
        dated = [c.published for c in citations if c.published]
        return bool(dated) and not any(window[0] <= d <= window[1] for d in dated)

    @staticmethod
    def _off_target(
        question: str, citations: list[Citation], passages: list[Passage], evidence: list[Evidence], outlets: list[str]
    ) -> bool:
        """The evidence is about something next to what was asked. A year of the question must be in a
        cited passage or the shown sentence right before the cited one (`shown_before`), or be its
        article's year, or a date either resolves to: a small model answers a
        question about 2019 from a sentence about 2023, and the citation check passes it because the
        answer's own words are there. A month it names as a period must be there too, or be the month
        of a date it or that sentence before it resolves to ("Last month, southern China was hit by floods"
        before "More than 177,000 people were forced to relocate"). A name of the question must be in what
        was shown of the cited articles, or of articles about the same story (they share a name with a cited
        one): asked about Quito, passages about Guayaquil answer nothing, even when another shown article
        mentions Quito.
        A yes/no question, often a comparison of outlets whose sides may be cited from one sentence each, keeps
        the looser rule: the name anywhere in what was shown. An outlet's name counts as shown for the
        outlets the question names and those of the story's articles, not for any shown article: the
        "Greenhollow Gazette" of an article about the library does not make a petition in Harwick one to
        keep the Greenhollow library open. And the cited sentences must state
        what was asked (`misses_the_ask`): asked who won, one that only names a player of the event, or
        says the vote is ahead, does not; asked how many passengers, a sum of euros does not."""
        if misses_the_ask(question, " ".join(c.quote for c in citations)):
            return True
        cited, known, before = [], set(), shown_before(evidence)
        for c in citations:
            around = [p.text for p in passages
                      if p.article_id == c.article_id and p.start <= c.start and c.end <= p.end]
            prior = before.get(c.n)
            cited += [prior.quote if prior else "", *(around[:1] or [c.quote]), c.title or ""]
            known |= {str(c.published.year)} if c.published else set()
            known |= {d.value for d in [*c.dates, *(prior.dates if prior else [])]}
        shown_by_article: dict[str, str] = {}
        for p in passages:
            shown_by_article[p.article_id] = f"{shown_by_article.get(p.article_id, p.title or '')} {p.text}"
        if not is_yes_no(question):
            keep = same_story(shown_by_article, {c.article_id for c in citations})
            shown_by_article = {key: text for key, text in shown_by_article.items() if key in keep}
        sources = {p.source for p in passages if p.source and (p.article_id in shown_by_article or p.source in outlets)}
        shown = " ".join([*shown_by_article.values(), *sources])
        published = [c.published for c in citations if c.published]
        return bool(unmet_constraints(question, " ".join(cited), known, shown, published))

    def ask(
        self, question: str, top_k: int | None = None, filters: Filters | None = None, asked_on: date | None = None
    ) -> Answer:
        *_, (_, answer) = self.events(question, top_k, filters, asked_on)
        return answer

    def events(
        self, question: str, top_k: int | None = None, filters: Filters | None = None, asked_on: date | None = None
    ) -> Iterator[tuple[str, object]]:
        """('passages', list[Passage]), then ('token', str) as the model writes, then ('answer', Answer).
        `asked_on` (default today) is the day "this week" or "this year" of the question is counted from."""
        question = " ".join(question.split())
        if not question:
            raise ValueError("the question is empty")
        asked_on = asked_on or date.today()
        started = time.perf_counter()
        timings: dict[str, float] = {}
        model = {"backend": self.settings.llm_backend, "embedder": self.embedder.name}

        t = time.perf_counter()
        passages = self.search(question, top_k, filters, asked_on)
        timings["retrieve_ms"] = _ms(t)
        yield "passages", passages
        evidence: list[Evidence] = []

        def finish(**fields) -> tuple[str, Answer]:
            timings["total_ms"] = _ms(started)
            return "answer", Answer(
                question=question, passages=passages, evidence=evidence, timings=timings, model=model, **fields
            )

        if not passages:
            if self.index.count_articles() == 0:
                yield finish(answer=EMPTY_INDEX, answerable=False, reason="empty_index")
            else:  # the filters matched nothing
                yield finish(answer=NO_EVIDENCE, answerable=False, reason="no_evidence")
            return
        t = time.perf_counter()
        outlets = named_sources(question, self.index.sources())
        passages, evidence = self._evidence(question, passages, top_k, filters, outlets)
        timings["select_ms"] = _ms(t)
        if not evidence or max(e.score for e in evidence) < self.settings.min_evidence_score:
            yield finish(answer=NO_EVIDENCE, answerable=False, reason="no_evidence")
            return

        llm = self.llm
        model["llm"] = llm.name
        t = time.perf_counter()
        pieces: list[str] = []
        for piece in llm.stream(build_messages(question, evidence), self.settings.llm_max_tokens):
            if not pieces:
                timings["prompt_ms"] = _ms(t)
            pieces.append(piece)
            yield "token", piece
        timings["generate_ms"] = _ms(t)
        usage = {"prompt_tokens": llm.prompt_tokens or 0, "completion_tokens": len(pieces)}
        raw = "".join(pieces).strip()

        t = time.perf_counter()
        checked = verify(raw, evidence, question) if not is_refusal(raw) else None
        timings["cite_ms"] = _ms(t)
        stated = " ".join(c.quote for c in checked.citations) if checked else ""
        if checked is None:
            yield finish(answer=REFUSAL, answerable=False, reason="not_in_articles", usage=usage, draft=raw)
        elif (
            not checked.citations
            or not answers_the_question(question, checked.text, stated)
            or told_as_ahead(question, checked.text, stated, asked_on,
                             min((c.published for c in checked.citations if c.published), default=None))
            or dated_elsewhere(question, checked.text)
            or listed_in_another_year(question, checked.text, stated)
            or swaps_a_name(checked.text, stated, question)
            or yes_against_a_denial(question, checked.text, stated)
            or names_another_holder(question, checked.text, stated)
            or names_another_doer(question, checked.text, stated)
            or won_a_part(question, checked.text, stated)
            or self._outside_asked_period(question, checked.citations, asked_on)
        ):
            yield finish(answer=REFUSAL, answerable=False, reason="unsupported", usage=usage, draft=raw)
        elif self._off_target(question, checked.citations, passages, evidence, outlets):
            yield finish(answer=REFUSAL, answerable=False, reason="unsupported", usage=usage, draft=raw)
        else:
            settled, disputed = reconcile(question, checked, evidence)
            dated = anchor_relative_dates(settled.text, [(d.text, d.value) for c in settled.citations for d in c.dates])
            yield finish(
                answer=dated, answerable=not disputed, reason="conflicting" if disputed else None,
                citations=settled.citations, usage=usage, draft=raw,
            )
