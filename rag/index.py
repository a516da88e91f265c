"""The article store and vector index on disk.

SQLite holds articles, chunks and their vectors, and is the source of truth: its transactions are atomic.
The FAISS index is derived from it and saved as `vectors-<generation>.faiss` (temp file, fsync, rename),
after an ingest or a few seconds after the service's last write. At load, a FAISS file of an older
generation (a crash before it was saved) is caught up with the store: the chunks it lacks are added from
their stored vectors and the ones deleted since are removed. An unreadable file is rebuilt from scratch.
When the corpus outgrows its index type (exact vs IVF, see rag/vectors.py) a new index is built in the
background while searches go on, then swapped in.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path

import faiss
import numpy as np

from rag import vectors as vector_index
from rag.generations import BackgroundRebuild, publish
from rag.types import Article, ArticleInfo, Chunk, Filters, Passage, Span

log = logging.getLogger("newsqa.index")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, published TEXT, source TEXT, url TEXT,
    text TEXT NOT NULL, content_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sentences TEXT NOT NULL, vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
"""


class StoreError(RuntimeError):
    """The index on disk cannot be used or written; the message says what to do."""


class IndexMismatch(StoreError):
    """The index on disk was built with another embedding model or dimension."""


class IndexCorrupt(StoreError):
    """The article store itself is damaged (the FAISS file never is: it is rebuilt from the store)."""


class StorageError(StoreError):
    """A write failed (disk full, read-only, I/O error); the committed index is unchanged."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now (restarting, failing over, out of connections): nothing
    was read or written, and the same request can simply be tried again."""


class DataDirBusy(StoreError):
    """Another process writes this data dir (a running `newsqa serve`, or another ingest)."""


_writers: dict[Path, list] = {}  # data dir -> [lock file, depth]: the locks this process holds
_writers_guard = threading.Lock()


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[None]:
    """One writing process per data dir. Two would each keep their own vector index and keyword snapshot
    and overwrite each other's files, silently losing acknowledged writes. The lock is an flock on
    `<data dir>/writer.lock`, released by the kernel if the process dies; within one process it is
    re-entrant (a server holds it for its life and its ingests take it again)."""
    key = Path(data_dir).resolve()
    with _writers_guard:
        held = _writers.get(key)
        if held is None:
            import fcntl

            key.mkdir(parents=True, exist_ok=True)
            handle = open(key / "writer.lock", "a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise DataDirBusy(
                    f"the data dir {data_dir} is in use by another newsqa process (a running `newsqa serve`?): "
                    "stop it, or add and delete articles through its API"
                ) from None
            held = _writers[key] = [handle, 0]
        held[1] += 1
    try:
        yield
    finally:
        with _writers_guard:
            held[1] -= 1
            if held[1] == 0:
                del _writers[key]
                held[0].close()


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__


class ArticleIndex:
    """Articles, their chunks and vectors; one writer at a time, searches in between."""

    def __init__(
        self, directory: Path, dim: int, embedder_name: str, approx_from: int = 50_000, nprobe: int = 32
    ):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dim, self.approx_from, self.nprobe = dim, approx_from, nprobe
        self._lock = threading.RLock()
        self._retraining = BackgroundRebuild("faiss-retrain", self._retrain)
        self._saver: threading.Timer | None = None
        self._saved_generation = -1
        self._allowed: tuple[tuple[int, str], list[int]] | None = None
        self._keyword_ranker = None
        self.db_path = self.dir / "articles.sqlite"
        try:
            self._db = sqlite3.connect(self.db_path, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(SCHEMA)
            self._check_model(embedder_name)
            self._faiss = self._load_faiss()
        except sqlite3.DatabaseError as exc:
            raise IndexCorrupt(
                f"the article store {self.db_path} is damaged ({exc}): run `newsqa reindex` to rebuild the"
                " index from the articles it still holds, or move the data dir away and ingest again"
            ) from None
        self._retrain_if_outgrown()

    # -- bookkeeping -------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def _check_model(self, embedder_name: str) -> None:
        want = json.dumps({"embedder": embedder_name, "dim": self.dim})
        have = self._meta("model")
        if have is None:
            with self._db:
                self._db.execute("INSERT INTO meta VALUES ('model', ?), ('generation', '0')", (want,))
        elif have != want:
            raise IndexMismatch(f"index at {self.dir} was built with {have}, not {want}: use another data dir")

    @property
    def generation(self) -> int:
        return int(self._meta("generation") or 0)

    def _faiss_path(self, generation: int) -> Path:
        return self.dir / f"vectors-{generation}.faiss"

    def _load_faiss(self) -> faiss.Index:
        """The newest FAISS file caught up with the store; a full rebuild only when none is readable."""
        index = None
        files = sorted(self.dir.glob("vectors-*.faiss"), key=lambda f: int(f.stem.split("-")[1]), reverse=True)
        if files:
            try:
                index = faiss.read_index(str(files[0]))
            except RuntimeError as exc:
                log.warning("unreadable %s (%s); rebuilding it from the article store", files[0].name, exc)
        if index is None or index.d != self.dim:
            index = self._build_from_store(self._db)
        elif not (files[0] == self._faiss_path(self.generation) and index.ntotal == self.count_chunks()):
            self._catch_up(index, self._db)
        else:
            self._saved_generation = self.generation
            return index
        try:
            self._save_faiss(index)
        except StorageError as exc:  # still usable from memory; the next load catches up again
            log.warning("%s", exc)
        return index

    def _stored_vectors(self, db: sqlite3.Connection, ids: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of all stored chunks, or of the given chunk ids."""
        if ids is None:
            rows = db.execute("SELECT id, vector FROM chunks ORDER BY id").fetchall()
        else:
            rows = []
            for at in range(0, len(ids), 900):
                part = [int(i) for i in ids[at : at + 900]]
                rows += db.execute(
                    f"SELECT id, vector FROM chunks WHERE id IN ({','.join('?' * len(part))})", part
                ).fetchall()
        found = np.array([r[0] for r in rows], dtype=np.int64)
        vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), self.dim)
        return found, vecs

    def _build_from_store(self, db: sqlite3.Connection) -> faiss.Index:
        ids, vecs = self._stored_vectors(db)
        return vector_index.build(vecs, ids, vector_index.kind_for(len(ids), self.approx_from))

    def _catch_up(self, index: faiss.Index, db: sqlite3.Connection) -> None:
        """Make `index` hold exactly the stored chunks, touching only the difference."""
        stored = np.array([r[0] for r in db.execute("SELECT id FROM chunks")], dtype=np.int64)
        held = vector_index.ids_in(index)
        gone = np.setdiff1d(held, stored)
        if len(gone):
            index.remove_ids(gone)
        missing = np.setdiff1d(stored, held)
        if len(missing):
            ids, vecs = self._stored_vectors(db, missing)
            index.add_with_ids(vecs, ids)
        if len(gone) or len(missing):
            log.info("vector index caught up with the store: %d added, %d removed", len(missing), len(gone))

    # -- index type by corpus size, rebuilt in the background -------------------------------
    def _outgrown(self) -> bool:
        """Exact search past `approx_from` chunks, IVF below half of it (a margin against flapping), or IVF
        lists trained for a corpus a quarter of the size."""
        n = self._faiss.ntotal
        if vector_index.kind_of(self._faiss) == "flat":
            return n >= self.approx_from
        return n < self.approx_from // 2 or vector_index.lists_for(n) > 2 * self._faiss.nlist

    def _retrain_if_outgrown(self) -> None:
        if not self._retraining.running() and self._outgrown():
            self._retraining.start()

    def _retrain(self) -> None:
        """Build the right index from a snapshot on a second connection; swap it in, caught up."""
        try:
            with closing(sqlite3.connect(self.db_path)) as db:
                db.execute("BEGIN")  # one consistent snapshot while writers go on
                index = self._build_from_store(db)
                db.rollback()
            with self._lock:
                self._catch_up(index, self._db)
                self._faiss = index
                self._save_faiss(index)
            log.info("vector index is now %s over %d chunks", vector_index.kind_of(index), index.ntotal)
        except Exception:
            log.exception("background rebuild of the vector index failed; the old one keeps serving")

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        self._retraining.wait(timeout)

    @property
    def kind(self) -> str:
        return vector_index.kind_of(self._faiss)

    def _save_faiss(self, index: faiss.Index) -> None:
        gen = self.generation
        try:
            publish(self._faiss_path(gen), lambda tmp: faiss.write_index(index, str(tmp)), "vectors-*.faiss*")
            self._saved_generation = gen
        except (OSError, RuntimeError) as exc:
            raise StorageError(f"cannot write the vector file in {self.dir}: {_reason(exc)}") from None

    # -- writes ------------------------------------------------------------------------------
    def upsert(self, article: Article, chunks: list[Chunk], vectors: np.ndarray, save: bool = True) -> str:
        """Store or replace one article; returns 'added', 'updated' or 'unchanged'."""
        (status,) = self.upsert_many([(article, chunks, vectors)], save=save)
        return status

    def upsert_many(self, items: list[tuple[Article, list[Chunk], np.ndarray]], save: bool = True) -> list[str]:
        """Store or replace articles with their chunks in one transaction: all of them or none.

        With save=False the FAISS file is written by a later `save()`; until then a crash only costs a
        rebuild from SQLite at the next load.
        """
        if any(len(chunks) != len(vectors) for _, chunks, vectors in items):
            raise ValueError("one vector per chunk")
        statuses, removed, added = [], [], {}
        with self._lock:
            with self._writing():
                for article, chunks, vectors in items:
                    row = self._db.execute("SELECT content_hash FROM articles WHERE id=?", (article.id,)).fetchone()
                    if row and row[0] == article.content_hash:
                        statuses.append("unchanged")
                        continue
                    for old in self._delete_rows(article.id):
                        if added.pop(old, None) is None:  # not one inserted earlier in this batch
                            removed.append(old)
                    self._insert(article, chunks, vectors, added)
                    statuses.append("updated" if row else "added")
                if added or removed:
                    self._bump_generation()
            self._remove_vectors(removed)
            if added:
                self._faiss.add_with_ids(np.stack(list(added.values())), np.array(list(added), dtype=np.int64))
            if save and (added or removed):
                self.save()
            self._retrain_if_outgrown()
            return statuses

    def _insert(self, article: Article, chunks: list[Chunk], vectors: np.ndarray, added: dict) -> None:
        self._db.execute(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?)",
            (
                article.id, article.title, article.published and article.published.isoformat(),
                article.source, article.url, article.text, article.content_hash,
            ),
        )
        for chunk, vec in zip(chunks, np.asarray(vectors, dtype=np.float32), strict=True):
            chunk_id = self._db.execute(
                'INSERT INTO chunks (article_id, seq, start, "end", sentences, vector) VALUES (?,?,?,?,?,?)',
                (
                    article.id, chunk.seq, chunk.start, chunk.end,
                    json.dumps([[s.start, s.end] for s in chunk.sentences]), vec.tobytes(),
                ),
            ).lastrowid
            added[chunk_id] = vec

    def delete(self, article_id: str, save: bool = True) -> bool:
        with self._lock:
            with self._writing():
                if not self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone():
                    return False
                old = self._delete_rows(article_id)
                self._bump_generation()
            self._remove_vectors(old)
            if save:
                self.save()
            return True

    def save(self) -> None:
        """Write the FAISS file for the current generation, unless it is written already."""
        with self._lock:
            if self._saved_generation != self.generation:
                self._save_faiss(self._faiss)

    def save_later(self, delay: float) -> None:
        """Coalesce the FAISS writes of a burst of small writes; the store itself is durable already."""
        with self._lock:
            if self._saver is None or not self._saver.is_alive():
                self._saver = threading.Timer(delay, self._save_quietly)
                self._saver.daemon = True
                self._saver.start()

    def _save_quietly(self) -> None:
        try:
            self.save()
        except StorageError as exc:  # the next load catches up from the store
            log.warning("%s", exc)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One SQLite transaction; a failed write rolls back and says why in one line."""
        try:
            with self._db:
                yield
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot write the article store {self.db_path}: {exc}") from None

    def _remove_vectors(self, ids: list[int]) -> None:
        if ids:
            self._faiss.remove_ids(np.array(ids, dtype=np.int64))

    def _delete_rows(self, article_id: str) -> list[int]:
        old = [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE article_id=?", (article_id,))]
        self._db.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
        self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        return old

    def _bump_generation(self) -> None:
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")

    # -- reads -------------------------------------------------------------------------------
    def _read(self, sql: str, params: Iterable = ()) -> list[tuple]:
        """One connection serves every thread, so reads take the lock too (they are short)."""
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    def content_hash(self, article_id: str) -> str | None:
        rows = self._read("SELECT content_hash FROM articles WHERE id=?", (article_id,))
        return rows[0][0] if rows else None

    def count_chunks(self) -> int:
        return self._read("SELECT COUNT(*) FROM chunks")[0][0]

    def count_articles(self) -> int:
        return self._read("SELECT COUNT(*) FROM articles")[0][0]

    def sources(self) -> list[str]:
        """The distinct outlets stored, read once per generation (questions name them)."""
        generation = self.generation
        cached = getattr(self, "_sources", None)
        if cached is None or cached[0] != generation:
            rows = self._read("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL")
            cached = self._sources = (generation, [r[0] for r in rows])
        return cached[1]

    def search(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list[Passage]:
        """Top-k chunks by inner product; filters select the allowed chunk ids inside the FAISS search."""
        with self._lock:
            return self.passages(self.search_ids(query, k, self.allowed_chunk_ids(filters)))

    def search_ids(self, query: np.ndarray, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        if allowed == []:
            return []
        allowed_ids = None if allowed is None else np.array(allowed, dtype=np.int64)
        with self._lock:
            return vector_index.search(self._faiss, query, k, allowed_ids, self.nprobe)

    def chunk_texts(self) -> tuple[int, list[int], list[str]]:
        """(generation, chunk ids, chunk texts) in one consistent read, for the keyword index."""
        with self._lock:
            rows = self._read(
                'SELECT c.id, substr(a.text, c.start + 1, c."end" - c.start)'
                " FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.id"
            )
            return self.generation, [r[0] for r in rows], [r[1] for r in rows]

    def allowed_chunk_ids(self, filters: Filters | None) -> list[int] | None:
        """The chunk ids the filters admit; None when they admit everything. The last answer is kept for
        its generation: both rankings of a hybrid search ask for the same filters."""
        if filters is None or filters.is_empty():
            return None
        key = (self.generation, filters.model_dump_json())
        cached = self._allowed
        if cached is None or cached[0] != key:
            cached = self._allowed = (key, self._chunk_ids(filters))
        return cached[1]

    # -- rankings over this store (rag/retrieve.py) -------------------------------------------
    def dense_ranker(self, embedder):
        from rag.retrieve import EmbeddedDenseRanker

        return EmbeddedDenseRanker(self, embedder)

    def keyword_ranker(self):
        """One BM25 index per store, however many retrievers rank with it."""
        from rag.retrieve import EmbeddedKeywordRanker

        if self._keyword_ranker is None:
            self._keyword_ranker = EmbeddedKeywordRanker(self)
        return self._keyword_ranker

    def _chunk_ids(self, f: Filters) -> list[int]:
        where, params = [], []
        for column, values in (("a.id", f.article_ids), ("a.source", f.sources)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params += values
        period = []
        if f.published_from:
            period.append("a.published >= ?")
            params.append(f.published_from.isoformat())
        if f.published_to:
            period.append("a.published <= ?")
            params.append(f.published_to.isoformat())
        if period:
            where.append(f"({' AND '.join(period)} OR a.published IS NULL)" if f.undated else " AND ".join(period))
        sql = "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id WHERE " + " AND ".join(where)
        return [r[0] for r in self._read(sql, params)]

    def passages(self, found: list[tuple[int, float]]) -> list[Passage]:
        """Chunks found by a search, as stored now: one whose article was replaced or deleted since the
        search ran (the keyword index is a snapshot; writes do not wait for readers) is left out.
        SQLite cuts each chunk's span out of its article (substr counts characters, as Python slices do),
        so fifty hits in one 5 MB article cost fifty spans, not fifty copies of the article."""
        if not found:
            return []
        marks = ",".join("?" * len(found))
        rows = self._read(
            'SELECT c.id, c.article_id, c.start, c."end", c.sentences, a.title, a.published, a.source,'
            ' substr(a.text, c.start + 1, c."end" - c.start)'
            f" FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
            [i for i, _ in found],
        )
        by_id = {r[0]: r for r in rows}
        passages = []
        for chunk_id, score in found:
            if chunk_id not in by_id:
                continue
            cid, aid, start, end, sents, title, published, source, text = by_id[chunk_id]
            passages.append(
                Passage(
                    chunk_id=cid, article_id=aid, title=title,
                    published=date.fromisoformat(published) if published else None,
                    source=source, start=start, end=end, text=text, score=score,
                    sentences=[Span(start=s, end=e) for s, e in json.loads(sents)],
                )
            )
        return passages

    def export(self, batch: int = 256) -> Iterator[list[tuple[Article, list[Chunk], np.ndarray]]]:
        """Every article with its stored chunks and vectors, a batch at a time: what another store needs
        to hold the same index without embedding anything again."""
        ids = [r[0] for r in self._read("SELECT id FROM articles ORDER BY id")]
        for at in range(0, len(ids), batch):
            items = []
            for article_id in ids[at : at + batch]:
                article = self.get(article_id)
                if article is None:  # deleted meanwhile
                    continue
                rows = self._read(
                    'SELECT seq, start, "end", sentences, vector FROM chunks WHERE article_id=? ORDER BY seq',
                    (article_id,),
                )
                chunks = [
                    Chunk(article_id=article_id, seq=seq, start=start, end=end, text=article.text[start:end],
                          sentences=[Span(start=a, end=b) for a, b in json.loads(sents)])
                    for seq, start, end, sents, _ in rows
                ]
                vectors = np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float32).reshape(len(rows), self.dim)
                items.append((article, chunks, vectors))
            yield items

    def get(self, article_id: str) -> Article | None:
        rows = self._read("SELECT id, title, published, source, url, text FROM articles WHERE id=?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        return Article(id=row[0], title=row[1], published=row[2], source=row[3], url=row[4], text=row[5])

    def chunk_counts(self, article_ids: list[str]) -> dict[str, int]:
        """Stored chunks per article, in one query per thousand ids (an upload reports them all)."""
        counts: dict[str, int] = {}
        for at in range(0, len(article_ids), 1000):
            part = article_ids[at : at + 1000]
            marks = ",".join("?" * len(part))
            sql = f"SELECT article_id, COUNT(*) FROM chunks WHERE article_id IN ({marks}) GROUP BY article_id"
            counts.update(self._read(sql, part))
        return counts

    def list(self, offset: int = 0, limit: int = 50, q: str | None = None) -> tuple[list[ArticleInfo], int]:
        """A page of articles by id and how many match; `q` matches title or id, case-insensitively."""
        where, params = "", ()
        if q:
            like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            where, params = "WHERE a.title LIKE ? ESCAPE '\\' OR a.id LIKE ? ESCAPE '\\' ", (like, like)
        total = self._read(f"SELECT COUNT(*) FROM articles a {where}", params)[0][0]
        return self._infos(f"{where}ORDER BY a.id LIMIT ? OFFSET ?", (*params, limit, offset)), total

    def info(self, article_id: str) -> ArticleInfo | None:
        found = self._infos("WHERE a.id = ?", (article_id,))
        return found[0] if found else None

    def _infos(self, tail: str, params: tuple) -> list[ArticleInfo]:
        rows = self._read(
            "SELECT a.id, a.title, a.published, a.source, a.url, LENGTH(a.text), a.content_hash,"
            " (SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id) FROM articles a " + tail,
            params,
        )
        return [
            ArticleInfo(
                id=r[0], title=r[1], published=r[2], source=r[3], url=r[4], chars=r[5],
                content_hash=r[6], chunks=r[7],
            )
            for r in rows
        ]

    def close(self) -> None:
        """Finish a background rebuild and a pending save, then close the store."""
        self.wait_for_rebuild()
        if self._saver is not None:
            self._saver.cancel()
        self._save_quietly()
        with self._lock:
            self._db.close()


def salvage_articles(db_path: Path) -> tuple[list[Article], int]:
    """Every article row still readable in a (possibly damaged) store, and how many rows were not."""
    try:
        db = sqlite3.connect(db_path)
        rowids = [r[0] for r in db.execute("SELECT rowid FROM articles ORDER BY rowid")]
    except sqlite3.DatabaseError as exc:
        raise IndexCorrupt(
            f"nothing can be read from {db_path} ({exc}): move the data dir away and ingest your articles again"
        ) from None
    articles, lost = [], 0
    with closing(db):
        for rowid in rowids:
            try:
                row = db.execute(
                    "SELECT id, title, published, source, url, text FROM articles WHERE rowid=?", (rowid,)
                ).fetchone()
                articles.append(
                    Article(id=row[0], title=row[1], published=row[2], source=row[3], url=row[4], text=row[5])
                )
            except (sqlite3.DatabaseError, ValueError):
                lost += 1
    return articles, lost
