"""Retrieval latency (query embedding + vector search + BM25 + fusion) on synthetic corpora, exact vs IVF.

Vectors are mixtures of real chunk embeddings plus noise (clustered like a real corpus, not uniform noise),
texts are spliced from real chunk texts; queries are the gold set's questions, embedded each time.
"""

from __future__ import annotations

import gc
import time

import faiss
import numpy as np

from bench.run import bench_corpus, gold_questions, percentile, synthetic_vectors
from rag import vectors
from rag.chunking import chunk_article
from rag.retrieve import CANDIDATES, bm25_index, bm25_search, fuse, keyword_backend
from rag.settings import Settings

K = 10


def _synthetic_texts(base: list[str], n: int, seed: int = 1) -> list[str]:
    rng = np.random.default_rng(seed)
    words = [t.split() for t in base]
    a, b = rng.integers(0, len(base), n), rng.integers(0, len(base), n)
    return [" ".join(words[i][:30] + words[j][-15:]) for i, j in zip(a, b, strict=True)]


def _rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def measure(embedder, sizes: tuple[int, ...], repeats: int) -> dict:
    settings = Settings()
    base_texts = [c.text for a in bench_corpus() for c in chunk_article(a, settings.chunk_max_chars)]
    base = embedder.encode(base_texts)
    questions = gold_questions()
    depth = settings.top_k * CANDIDATES
    rows = []
    for n in sizes:
        vecs, ids = synthetic_vectors(base, n), np.arange(n, dtype=np.int64)
        texts = _synthetic_texts(base_texts, n)
        row = {"chunks": n, "lists": vectors.lists_for(n), "nprobe": settings.ivf_nprobe}
        for kind in ("flat", "ivf"):
            started = time.perf_counter()
            row[kind] = vectors.build(vecs, ids, kind)
            row[f"{kind}_build_s"] = round(time.perf_counter() - started, 2)
            row[f"{kind}_index_mb"] = round(faiss.serialize_index(row[kind]).nbytes / 2**20, 1)
        started = time.perf_counter()
        row["bm25_backend"] = keyword_backend(n, settings.approx_from)
        bm25 = bm25_index(texts, row["bm25_backend"])
        bm25_search(bm25, ids, questions[0], depth, None)  # numba compiles on first use, once per process
        row["bm25_build_s"] = round(time.perf_counter() - started, 2)
        row["bm25_mb"] = round(sum(a.nbytes for a in bm25.scores.values() if hasattr(a, "nbytes")) / 2**20, 1)

        parts: dict[str, list[float]] = {"embed": [], "flat": [], "ivf": [], "bm25": [], "fuse": []}
        recalls = []
        for _ in range(repeats):
            for q in questions:
                t = time.perf_counter()
                qv = embedder.encode([q])[0]
                parts["embed"].append(time.perf_counter() - t)
                found = {}
                for kind in ("flat", "ivf"):
                    t = time.perf_counter()
                    found[kind] = vectors.search(row[kind], qv, depth, None, settings.ivf_nprobe)
                    parts[kind].append(time.perf_counter() - t)
                t = time.perf_counter()
                keyword = bm25_search(bm25, ids, q, depth, None)
                parts["bm25"].append(time.perf_counter() - t)
                t = time.perf_counter()
                fuse([found["ivf"], keyword], settings.top_k)
                parts["fuse"].append(time.perf_counter() - t)
                exact = {i for i, _ in found["flat"][:K]}
                recalls.append(len(exact & {i for i, _ in found["ivf"][:K]}) / K)
        row.pop("flat"), row.pop("ivf")
        del bm25, vecs, texts
        gc.collect()
        for kind in ("flat", "ivf"):
            total = [
                e + s + b + f
                for e, s, b, f in zip(parts["embed"], parts[kind], parts["bm25"], parts["fuse"], strict=True)
            ]
            row[f"{kind}_total_p50_ms"] = round(percentile(total, 0.5) * 1000, 2)
            row[f"{kind}_total_p95_ms"] = round(percentile(total, 0.95) * 1000, 2)
            row[f"{kind}_search_p50_ms"] = round(percentile(parts[kind], 0.5) * 1000, 2)
        for part in ("embed", "bm25", "fuse"):
            row[f"{part}_p50_ms"] = round(percentile(parts[part], 0.5) * 1000, 2)
        row["ivf_recall_at_10"] = round(float(np.mean(recalls)), 3)
        row["ivf_speedup_vs_flat"] = round(row["flat_search_p50_ms"] / max(row["ivf_search_p50_ms"], 1e-6), 1)
        row["process_rss_mb"] = round(_rss_mb(), 0)
        rows.append(row)
    return {"queries": len(questions), "repeats": repeats, "top_k": settings.top_k, "depth": depth, "rows": rows}
