"""The vector index of each store on the same vectors: pgvector HNSW (the PostgreSQL store), FAISS IVF and
exact search (the embedded store). Search latency, recall@10 against exact, build time and loading
throughput, in one run, on a private PostgreSQL from the `pgserver` package.

Vectors are the synthetic corpus of bench/retrieval.py (mixtures of real chunk embeddings); queries are
the gold questions, embedded once.
"""

from __future__ import annotations

import tempfile
import time

import numpy as np

from bench.run import bench_corpus, gold_questions, percentile, synthetic_vectors
from rag import vectors
from rag.chunking import chunk_article
from rag.pgstore import HNSW_EF_SEARCH
from rag.settings import Settings

K = 10


def _pg_search(conn, q: np.ndarray, exact: bool) -> list[int]:
    """As rag/pgstore.py searches: HNSW unfiltered, an exact scan when the index is not to be used."""
    order = "(embedding <#> %s) + 0" if exact else "embedding <#> %s"  # "+ 0": no index can serve it
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"SET LOCAL hnsw.ef_search = {HNSW_EF_SEARCH}")
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
    row: dict = {"chunks": n, "queries": len(queries), "repeats": repeats, "ef_search": HNSW_EF_SEARCH}
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
                times: dict[str, list[float]] = {"pg_hnsw": [], "pg_exact": [], "faiss_flat": [], "faiss_ivf": []}
                found: dict[str, list[list[int]]] = {key: [] for key in times}
                flat, ivf = vectors.build(vecs, ids, "flat"), vectors.build(vecs, ids, "ivf")
                for rep in range(repeats):
                    for q in queries:
                        for key, search in (
                            ("pg_hnsw", lambda: _pg_search(conn, q, exact=False)),
                            ("pg_exact", lambda: _pg_search(conn, q, exact=True)),
                            ("faiss_flat", lambda: [i for i, _ in vectors.search(flat, q, K, None, 1)]),
                            ("faiss_ivf", lambda: [i for i, _ in vectors.search(ivf, q, K, None, settings.ivf_nprobe)]),
                        ):
                            t = time.perf_counter()
                            hits = search()
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
