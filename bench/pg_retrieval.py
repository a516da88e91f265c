"""The vector index of each store on the same vectors: pgvector HNSW (the PostgreSQL store), FAISS IVF and
exact search (the embedded store). Search latency, recall@10 against exact, build time and loading
throughput, in one run, on a private PostgreSQL from the `pgserver` package.

Vectors are the synthetic corpus of bench/retrieval.py (mixtures of real chunk embeddings); queries are
the gold questions, embedded once. HNSW is searched at several ef_search values (the configured one
among them) on the one index built, so the recall/latency trade-off is in the table.
"""

from __future__ import annotations

import tempfile
import time

import numpy as np

from bench.run import bench_corpus, gold_questions, percentile, synthetic_vectors
from rag import vectors
from rag.chunking import chunk_article
from rag.settings import Settings

K = 10
EF_SEARCH = (40, 100, 400)  # pgvector's default, a common choice, newsqa's default


def _pg_search(conn, q: np.ndarray, ef_search: int | None) -> list[int]:
    """As rag/pgstore.py searches: HNSW unfiltered, an exact scan (ef_search None) when the index is not
    to be used."""
    order = "(embedding <#> %s) + 0" if ef_search is None else "embedding <#> %s"  # "+ 0": no index serves it
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"SET LOCAL hnsw.ef_search = {ef_search or 40}")
        cur.execute(f"SELECT id FROM v ORDER BY {order} LIMIT %s", (q, K))
        return [r[0] for r in cur.fetchall()]


def measure(embedder, n: int, repeats: int) -> dict:
    import pgserver
    import psycopg
    from pgvector.psycopg import register_vector

    settings = Settings()
    base = embedder.encode([c.text for a in bench_corpus() for c in chunk_article(a, settings.chunk_max_chars)])
    queries = embedder.encode(gold_questions())
    vecs, ids = synthetic_vectors(base, n), np.arange(n, dtype=np.int64)
    efs = sorted({*EF_SEARCH, settings.pg_ef_search})
    row: dict = {"chunks": n, "queries": len(queries), "repeats": repeats, "ef_search": settings.pg_ef_search,
                 "ef_sweep": efs}
    with tempfile.TemporaryDirectory(prefix="newsqa-pg-") as tmp:
        server = pgserver.get_server(tmp, cleanup_mode="stop")
        try:
            with psycopg.connect(server.get_uri(), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                register_vector(conn)
                conn.execute(f"CREATE TABLE v (id bigint PRIMARY KEY, embedding vector({vecs.shape[1]}))")
                started = time.perf_counter()
                with conn.cursor() as cur, cur.copy("COPY v (id, embedding) FROM STDIN WITH (FORMAT BINARY)") as copy:
                    copy.set_types(["int8", "vector"])
                    for i, v in zip(ids.tolist(), vecs, strict=True):
                        copy.write_row((i, v))
                row["pg_load_rows_per_s"] = round(n / (time.perf_counter() - started))
                started = time.perf_counter()
                conn.execute("CREATE INDEX ON v USING hnsw (embedding vector_ip_ops)")
                row["hnsw_build_s"] = round(time.perf_counter() - started, 1)
                flat, ivf = vectors.build(vecs, ids, "flat"), vectors.build(vecs, ids, "ivf")
                searches = {
                    **{f"pg_hnsw_ef{ef}": (lambda q, ef=ef: _pg_search(conn, q, ef)) for ef in efs},
                    "pg_exact": lambda q: _pg_search(conn, q, None),
                    "faiss_flat": lambda q: [i for i, _ in vectors.search(flat, q, K, None, 1)],
                    "faiss_ivf": lambda q: [i for i, _ in vectors.search(ivf, q, K, None, settings.ivf_nprobe)],
                }
                times: dict[str, list[float]] = {key: [] for key in searches}
                found: dict[str, list[list[int]]] = {key: [] for key in searches}
                for rep in range(repeats):
                    for q in queries:
                        for key, search in searches.items():
                            t = time.perf_counter()
                            hits = search(q)
                            times[key].append(time.perf_counter() - t)
                            if rep == 0:
                                found[key].append(hits)
        finally:
            server.cleanup()
    for key, values in times.items():
        row[f"{key}_p50_ms"] = round(percentile(values, 0.5) * 1000, 2)
        row[f"{key}_p95_ms"] = round(percentile(values, 0.95) * 1000, 2)
        row[f"{key}_recall_at_10"] = round(float(np.mean([
            len(set(got) & set(exact)) / K for got, exact in zip(found[key], found["faiss_flat"], strict=True)
        ])), 3)
    return row
