"""The article store and vector index on disk.

SQLite holds articles, chunks and their vectors, and is the source of truth: its transactions are atomic.
The FAISS index is derived from it and saved as `vectors-<generation>.faiss` (temp file, fsync, rename)
after each committed change. At load, a FAISS file for an older generation (a crash between the two
writes) is ignored and the index is rebuilt from the stored vectors, so the pair is never half-written.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path

import faiss
import numpy as np

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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__


class ArticleIndex:
    """Articles, their chunks and vectors; one writer at a time, searches in between."""

    def __init__(self, directory: Path, dim: int, embedder_name: str):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.dim = dim
        self._lock = threading.RLock()
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
        path = self._faiss_path(self.generation)
        if path.exists():
            try:
                index = faiss.read_index(str(path))
            except RuntimeError as exc:
                log.warning("unreadable %s (%s); rebuilding it from the article store", path.name, exc)
            else:
                if index.d == self.dim and index.ntotal == self.count_chunks():
                    return index
        index = self._rebuild()
        try:
            self._save_faiss(index)
        except StorageError as exc:  # still usable from memory; the next load rebuilds again
            log.warning("%s", exc)
        return index

    def _rebuild(self) -> faiss.Index:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))
        rows = self._db.execute("SELECT id, vector FROM chunks ORDER BY id").fetchall()
        if rows:
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), self.dim)
            index.add_with_ids(vecs, ids)
        return index

    def _save_faiss(self, index: faiss.Index) -> None:
        gen = self.generation
        final = self._faiss_path(gen)
        tmp = final.with_suffix(".faiss.tmp")
        try:
            faiss.write_index(index, str(tmp))
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            _fsync_dir(self.dir)
        except (OSError, RuntimeError) as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(f"cannot write the vector file in {self.dir}: {_reason(exc)}") from None
        for old in self.dir.glob("vectors-*.faiss*"):
            if old != final:
                old.unlink(missing_ok=True)

    # -- writes ------------------------------------------------------------------------------
    def upsert(self, article: Article, chunks: list[Chunk], vectors: np.ndarray, save: bool = True) -> str:
        """Store or replace an article with its chunks; returns 'added', 'updated' or 'unchanged'.

        With save=False the FAISS file is written by a later `save()`; until then a crash only costs a
        rebuild from SQLite at the next load.
        """
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        with self._lock:
            row = self._db.execute("SELECT content_hash FROM articles WHERE id=?", (article.id,)).fetchone()
            if row and row[0] == article.content_hash:
                return "unchanged"
            with self._writing():
                old = self._delete_rows(article.id)
                self._db.execute(
                    "INSERT INTO articles VALUES (?,?,?,?,?,?,?)",
                    (
                        article.id, article.title, article.published and article.published.isoformat(),
                        article.source, article.url, article.text, article.content_hash,
                    ),
                )
                ids = [
                    self._db.execute(
                        'INSERT INTO chunks (article_id, seq, start, "end", sentences, vector)'
                        " VALUES (?,?,?,?,?,?)",
                        (
                            article.id, chunk.seq, chunk.start, chunk.end,
                            json.dumps([[s.start, s.end] for s in chunk.sentences]),
                            np.asarray(vec, dtype=np.float32).tobytes(),
                        ),
                    ).lastrowid
                    for chunk, vec in zip(chunks, vectors, strict=True)
                ]
                self._bump_generation()
            self._remove_vectors(old)
            if ids:
                self._faiss.add_with_ids(np.asarray(vectors, dtype=np.float32), np.array(ids, dtype=np.int64))
            if save:
                self.save()
            return "updated" if row else "added"

    def delete(self, article_id: str) -> bool:
        with self._lock:
            with self._writing():
                if not self._db.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone():
                    return False
                old = self._delete_rows(article_id)
                self._bump_generation()
            self._remove_vectors(old)
            self.save()
            return True

    def save(self) -> None:
        with self._lock:
            self._save_faiss(self._faiss)

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

    def search(self, query: np.ndarray, k: int, filters: Filters | None = None) -> list[Passage]:
        """Top-k chunks by inner product; filters select the allowed chunk ids inside the FAISS search."""
        with self._lock:
            return self.passages(self.search_ids(query, k, self.allowed_chunk_ids(filters)))

    def search_ids(self, query: np.ndarray, k: int, allowed: list[int] | None) -> list[tuple[int, float]]:
        with self._lock:
            index = self._faiss
            if index.ntotal == 0 or allowed == []:
                return []
            params = None
            if allowed is not None:
                params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(np.array(allowed, dtype=np.int64)))
            query = np.asarray(query, dtype=np.float32).reshape(1, -1)
            scores, ids = index.search(query, min(k, index.ntotal), params=params)
            return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def chunk_texts(self) -> tuple[int, list[int], list[str]]:
        """(generation, chunk ids, chunk texts) in one consistent read, for the keyword index."""
        with self._lock:
            rows = self._read(
                'SELECT c.id, substr(a.text, c.start + 1, c."end" - c.start)'
                " FROM chunks c JOIN articles a ON a.id = c.article_id ORDER BY c.id"
            )
            return self.generation, [r[0] for r in rows], [r[1] for r in rows]

    def allowed_chunk_ids(self, filters: Filters | None) -> list[int] | None:
        """The chunk ids the filters admit; None when they admit everything."""
        if filters is None or filters.is_empty():
            return None
        return self._chunk_ids(filters)

    def _chunk_ids(self, f: Filters) -> list[int]:
        where, params = [], []
        for column, values in (("a.id", f.article_ids), ("a.source", f.sources)):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                params += values
        if f.published_from:
            where.append("a.published >= ?")
            params.append(f.published_from.isoformat())
        if f.published_to:
            where.append("a.published <= ?")
            params.append(f.published_to.isoformat())
        sql = "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id WHERE " + " AND ".join(where)
        return [r[0] for r in self._read(sql, params)]

    def passages(self, found: list[tuple[int, float]]) -> list[Passage]:
        if not found:
            return []
        marks = ",".join("?" * len(found))
        rows = self._read(
            'SELECT c.id, c.article_id, c.start, c."end", c.sentences, a.title, a.published, a.source, a.text'
            f" FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
            [i for i, _ in found],
        )
        by_id = {r[0]: r for r in rows}
        passages = []
        for chunk_id, score in found:
            cid, aid, start, end, sents, title, published, source, text = by_id[chunk_id]
            passages.append(
                Passage(
                    chunk_id=cid, article_id=aid, title=title,
                    published=date.fromisoformat(published) if published else None,
                    source=source, start=start, end=end, text=text[start:end], score=score,
                    sentences=[Span(start=s, end=e) for s, e in json.loads(sents)],
                )
            )
        return passages

    def get(self, article_id: str) -> Article | None:
        rows = self._read("SELECT id, title, published, source, url, text FROM articles WHERE id=?", (article_id,))
        if not rows:
            return None
        row = rows[0]
        return Article(id=row[0], title=row[1], published=row[2], source=row[3], url=row[4], text=row[5])

    def list(self, offset: int = 0, limit: int = 50) -> list[ArticleInfo]:
        return self._infos("ORDER BY a.id LIMIT ? OFFSET ?", (limit, offset))

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
