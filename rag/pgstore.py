"""The article store in PostgreSQL: articles, chunks, their vectors (pgvector, HNSW over inner product) and
their words (full-text search, `tsvector` + GIN) in one database that several API processes share.

Every acknowledged write is a committed transaction, so a second process sees it at its next query: no
file to save, no snapshot to swap. Filters (ids, outlets, dates) go into the SQL of both rankings. An
HNSW scan filters after it walks the graph, so a filtered search (a few outlets, a date range) ranks the
admitted chunks exactly instead: such sets are small, and an approximate walk could return none of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from rag.embed import Embedder
from rag.index import IndexMismatch, StorageError, StoreUnavailable
from rag.types import Article, ArticleInfo, Chunk, Filters, Passage, Span


SCHEMA = """
CREATE EXTENSION IF NOT EXISTS vector;
CREATE TABLE IF NOT EXISTS newsqa_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS newsqa_articles (
    id text PRIMARY KEY, title text, published date, source text, url text, text text NOT NULL,
    content_hash text NOT NULL
);
CREATE TABLE IF NOT EXISTS newsqa_chunks (
    id bigserial PRIMARY KEY,
    article_id text NOT NULL REFERENCES newsqa_articles(id) ON DELETE CASCADE,
    seq int NOT NULL, start int NOT NULL, "end" int NOT NULL, sentences jsonb NOT NULL,
    embedding vector({dim}) NOT NULL, words tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS newsqa_chunks_article ON newsqa_chunks (article_id);
CREATE INDEX IF NOT EXISTS newsqa_chunks_embedding ON newsqa_chunks USING hnsw (embedding vector_ip_ops);
CREATE INDEX IF NOT EXISTS newsqa_chunks_words ON newsqa_chunks USING gin (words);
CREATE INDEX IF NOT EXISTS newsqa_articles_source ON newsqa_articles (source);
CREATE INDEX IF NOT EXISTS newsqa_articles_published ON newsqa_articles (published);
"""
POOL_WAIT = 5.0  # seconds a request waits for a pooled connection before it is told the database is unavailable
# psycopg_pool retries a failed connect with doubling delays for 5 minutes by default; a database back
# after a restart would then wait out a long delay. Short chains: a new request starts a fresh one.
RECONNECT_WITHIN = 2.0


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _where(f: Filters | None) -> tuple[str, list]:
    """The filters as SQL over `a` (articles); empty when they admit everything."""
    if f is None or f.is_empty():
        return "", []
    clauses, params = [], []
    if f.article_ids:
        clauses.append("a.id = ANY(%s)")
        params.append(list(f.article_ids))
    if f.sources:
        clauses.append("a.source = ANY(%s)")
        params.append(list(f.sources))
    period = []
    if f.published_from:
        period.append("a.published >= %s")
        params.append(f.published_from)
    if f.published_to:
        period.append("a.published <= %s")
        params.append(f.published_to)
    if period:
        clauses.append(f"({' AND '.join(period)} OR a.published IS NULL)" if f.undated else " AND ".join(period))
    return " AND ".join(clauses), params


class PgDenseRanker:
    def __init__(self, store: PgStore, embedder: Embedder):
        self.store, self.embedder = store, embedder

    def rank(self, query: str, depth: int, filters: Filters | None) -> list[tuple[int, float]]:
        return self.store.vector_search(self.embedder.encode([query])[0], depth, filters)


class PgKeywordRanker:
    def __init__(self, store: PgStore):
        self.store = store

    def rank(self, query: str, depth: int, filters: Filters | None) -> list[tuple[int, float]]:
        return self.store.text_search(query, depth, filters)


class PgStore:
    """Connections come from a bounded pool: every API replica holds at most `pool_size` of them however
    many request threads it runs (PostgreSQL's own limit is 100 by default, shared by all replicas), and
    a connection the server dropped (a restart, a failover) is replaced when it is next taken, not
    reported to a reader."""

    def __init__(self, url: str, dim: int, embedder_name: str, ef_search: int, pool_size: int = 8):
        import psycopg
        from pgvector.psycopg import register_vector
        from psycopg_pool import ConnectionPool

        self.url, self.dim, self.ef_search = url, dim, int(ef_search)
        self._sources: tuple[int, list[str]] | None = None
        want = json.dumps({"embedder": embedder_name, "dim": dim})
        try:  # the schema first, on a connection of its own: the pool's connections need the vector type
            with psycopg.connect(url, autocommit=True, application_name="newsqa") as conn, \
                    conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(7061)")  # two processes creating the schema at once
                cur.execute(SCHEMA.format(dim=int(dim)))
                cur.execute(
                    "INSERT INTO newsqa_meta VALUES ('model', %s), ('generation', '0') ON CONFLICT DO NOTHING",
                    (want,),
                )
                cur.execute("SELECT value FROM newsqa_meta WHERE key = 'model'")
                have = cur.fetchone()[0]
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"cannot reach the database: {_first_line(exc)}") from None
        if have != want:
            raise IndexMismatch(f"the database was filled with {have}, not {want}: use another database")
        self._pool = ConnectionPool(
            url, min_size=1, max_size=pool_size, kwargs={"autocommit": True, "application_name": "newsqa"},
            configure=register_vector, check=ConnectionPool.check_connection, timeout=POOL_WAIT,
            reconnect_timeout=RECONNECT_WITHIN, open=True, name="newsqa",
        )

    @contextmanager
    def _tx(self) -> Iterator:
        """One transaction on a pooled connection (autocommit: every use is an explicit transaction); a
        failure rolls it back and says why in one line."""
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with self._pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
                yield cur
        except psycopg.errors.DiskFull as exc:
            raise StorageError(f"cannot write the database: {_first_line(exc)}") from None
        except PoolTimeout:  # an OperationalError too: first, for the plainer message
            raise StoreUnavailable(
                f"cannot reach the database: no connection within {POOL_WAIT:.0f} s (down, or all in use)"
            ) from None
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(f"cannot reach the database: {_first_line(exc)}") from None

    def _read(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        with self._tx() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    # -- writes ------------------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return int(self._read("SELECT value FROM newsqa_meta WHERE key = 'generation'")[0][0])

    def upsert_many(self, items: list[tuple[Article, list[Chunk], np.ndarray]], save: bool = True) -> list[str]:
        if any(len(chunks) != len(vectors) for _, chunks, vectors in items):
            raise ValueError("one vector per chunk")
        statuses = []
        with self._tx() as cur:
            for article, chunks, vectors in items:
                # Two processes writing the same article id wait for each other here, not on a unique key.
                cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (article.id,))
                cur.execute("SELECT content_hash FROM newsqa_articles WHERE id = %s", (article.id,))
                row = cur.fetchone()
                if row and row[0] == article.content_hash:
                    statuses.append("unchanged")
                    continue
                cur.execute("DELETE FROM newsqa_articles WHERE id = %s", (article.id,))
                cur.execute(
                    "INSERT INTO newsqa_articles VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (article.id, article.title, article.published, article.source, article.url, article.text,
                     article.content_hash),
                )
                cur.executemany(
                    'INSERT INTO newsqa_chunks (article_id, seq, start, "end", sentences, embedding, words)'
                    " VALUES (%s, %s, %s, %s, %s, %s, to_tsvector('english', %s))",
                    [
                        (article.id, c.seq, c.start, c.end, json.dumps([[s.start, s.end] for s in c.sentences]),
                         np.asarray(v, dtype=np.float32), c.text)
                        for c, v in zip(chunks, vectors, strict=True)
                    ],
                )
                statuses.append("updated" if row else "added")
            if any(s != "unchanged" for s in statuses):
                self._bump(cur)
        return statuses

    def delete(self, article_id: str, save: bool = True) -> bool:
        with self._tx() as cur:
            cur.execute("DELETE FROM newsqa_articles WHERE id = %s", (article_id,))
            if cur.rowcount == 0:
                return False
            self._bump(cur)
        return True

    @staticmethod
    def _bump(cur) -> None:
        cur.execute("UPDATE newsqa_meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")

    def save(self) -> None:
        """Every write is committed already."""

    def save_later(self, delay: float) -> None:
        """Every write is committed already."""

    # -- rankings ----------------------------------------------------------------------------
    def dense_ranker(self, embedder: Embedder) -> PgDenseRanker:
        return PgDenseRanker(self, embedder)

    def keyword_ranker(self) -> PgKeywordRanker:
        return PgKeywordRanker(self)

    def vector_search(self, query: np.ndarray, k: int, filters: Filters | None) -> list[tuple[int, float]]:
        where, params = _where(filters)
        vec = np.asarray(query, dtype=np.float32)
        # "+ 0" makes the order one no index can serve: the admitted chunks are ranked exactly (a planner
        # setting such as enable_indexscan = off was measured not to hold with a bound LIMIT).
        order = "(c.embedding <#> %s) + 0" if where else "c.embedding <#> %s"
        with self._tx() as cur:
            cur.execute(f"SET LOCAL hnsw.ef_search = {min(1000, max(self.ef_search, int(k)))}")
            cur.execute(
                "SELECT c.id, -(c.embedding <#> %s) FROM newsqa_chunks c"
                + (f" JOIN newsqa_articles a ON a.id = c.article_id WHERE {where}" if where else "")
                + f" ORDER BY {order} LIMIT %s",
                [vec, *params, vec, k],
            )
            return [(int(i), float(s)) for i, s in cur.fetchall()]

    def text_search(self, query: str, k: int, filters: Filters | None) -> list[tuple[int, float]]:
        """Any of the query's words (a question is not a conjunction of its words), ranked by ts_rank."""
        where, params = _where(filters)
        rows = self._read(
            "WITH q AS (SELECT to_tsquery('english', replace(plainto_tsquery('english', %s)::text, ' & ', ' | '))"
            " AS q) SELECT c.id, ts_rank(c.words, q.q) AS r FROM q, newsqa_chunks c"
            " JOIN newsqa_articles a ON a.id = c.article_id WHERE c.words @@ q.q"
            + (f" AND {where}" if where else "") + " ORDER BY r DESC, c.id LIMIT %s",
            [query, *params, k],
        )
        return [(int(i), float(s)) for i, s in rows]

    # -- reads -------------------------------------------------------------------------------
    def content_hash(self, article_id: str) -> str | None:
        rows = self._read("SELECT content_hash FROM newsqa_articles WHERE id = %s", (article_id,))
        return rows[0][0] if rows else None

    def count_chunks(self) -> int:
        return self._read("SELECT COUNT(*) FROM newsqa_chunks")[0][0]

    def count_articles(self) -> int:
        return self._read("SELECT COUNT(*) FROM newsqa_articles")[0][0]

    def sources(self) -> list[str]:
        generation = self.generation
        if self._sources is None or self._sources[0] != generation:
            rows = self._read("SELECT DISTINCT source FROM newsqa_articles WHERE source IS NOT NULL")
            self._sources = (generation, [r[0] for r in rows])
        return self._sources[1]

    def passages(self, found: list[tuple[int, float]]) -> list[Passage]:
        if not found:
            return []
        rows = self._read(
            'SELECT c.id, c.article_id, c.start, c."end", c.sentences, a.title, a.published, a.source,'
            ' substr(a.text, c.start + 1, c."end" - c.start)'
            " FROM newsqa_chunks c JOIN newsqa_articles a ON a.id = c.article_id WHERE c.id = ANY(%s)",
            ([i for i, _ in found],),
        )
        by_id = {r[0]: r for r in rows}
        passages = []
        for chunk_id, score in found:
            if chunk_id not in by_id:
                continue
            cid, aid, start, end, sentences, title, published, source, text = by_id[chunk_id]
            passages.append(Passage(
                chunk_id=cid, article_id=aid, title=title, published=published, source=source, start=start,
                end=end, text=text, score=score, sentences=[Span(start=s, end=e) for s, e in sentences],
            ))
        return passages

    def get(self, article_id: str) -> Article | None:
        rows = self._read(
            "SELECT id, title, published, source, url, text FROM newsqa_articles WHERE id = %s", (article_id,)
        )
        if not rows:
            return None
        r = rows[0]
        return Article(id=r[0], title=r[1], published=r[2], source=r[3], url=r[4], text=r[5])

    def chunk_counts(self, article_ids: list[str]) -> dict[str, int]:
        rows = self._read(
            "SELECT article_id, COUNT(*) FROM newsqa_chunks WHERE article_id = ANY(%s) GROUP BY article_id",
            (list(article_ids),),
        )
        return dict(rows)

    def list(self, offset: int = 0, limit: int = 50, q: str | None = None) -> tuple[list[ArticleInfo], int]:
        where, params = "", []
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where, params = "WHERE a.title ILIKE %s OR a.id ILIKE %s ", [like, like]
        total = self._read(f"SELECT COUNT(*) FROM newsqa_articles a {where}", params)[0][0]
        return self._infos(f"{where}ORDER BY a.id LIMIT %s OFFSET %s", [*params, limit, offset]), total

    def info(self, article_id: str) -> ArticleInfo | None:
        found = self._infos("WHERE a.id = %s", [article_id])
        return found[0] if found else None

    def _infos(self, tail: str, params: list) -> list[ArticleInfo]:
        rows = self._read(
            "SELECT a.id, a.title, a.published, a.source, a.url, LENGTH(a.text), a.content_hash,"
            " (SELECT COUNT(*) FROM newsqa_chunks c WHERE c.article_id = a.id) FROM newsqa_articles a " + tail,
            params,
        )
        return [
            ArticleInfo(id=r[0], title=r[1], published=r[2], source=r[3], url=r[4], chars=r[5], content_hash=r[6],
                        chunks=r[7])
            for r in rows
        ]

    def close(self) -> None:
        self._pool.close()
