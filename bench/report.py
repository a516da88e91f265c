"""results.json, results.md (the table the README shows) and results.png from one bench run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def markdown(r: dict) -> str:
    """The sections of the stages that ran, in the README's order."""
    m = r["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, Python {m['python']};"
        f" run {r['started']}{' (--quick)' if r['plan']['repeats'] < 5 else ''}.",
    ]
    for stage, section in SECTIONS.items():
        if stage in r:
            lines += ["", *section(r[stage])]
    return "\n".join(lines) + "\n"


def _generator(rows: list[dict]) -> list[str]:
    lines = [
        "**Generator builds** (llama.cpp in llama-cpp-python, the packaged Q4_K_M model, 2 threads; a streamed"
        " completion of a ~170-token prompt, 32 greedy tokens, in a child process; prefill = prompt tokens / time to"
        " the first token; medians):",
        "",
        "| build | outcome | prefill tok/s | decode tok/s | vs chosen (prefill / decode) | compiled features |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row['prefill_vs_chosen']}x / {row['decode_vs_chosen']}x" if "prefill_vs_chosen" in row else "–"
        lines.append(
            f"| {row['build']} | {row['outcome']} | {row['prefill_tps'] or '–'} | {row['decode_tps'] or '–'}"
            f" | {ratio} | {' '.join(row['features']) or '–'} |"
        )
    return lines


def _isolation(rows: list[dict]) -> list[str]:
    lines = [
        "**The generator's process** (seed questions after warm-up; time to first token = retrieval, evidence and"
        " prompt evaluation; medians; ratio to the in-process model of the same run):",
        "",
        "| generator | asks | first token p50 ms | total p50 ms | first token / total vs in-process |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['backend']} | {row['asks']} | {row['ttft_p50_ms']} | {row['total_p50_ms']}"
            f" | {row['ttft_ratio']}x / {row['total_ratio']}x |"
        )
    return lines


def _postgres(r: dict) -> list[str]:
    lines = [
        f"**Vector search by store** ({r['chunks']:,} synthetic chunks, {r['queries']} gold questions x {r['repeats']},"
        f" top 10; PostgreSQL loaded by COPY at {r['pg_load_rows_per_s']:,} rows/s,"
        f" HNSW built in {r['hnsw_build_s']} s,"
        f" m 16, ef_construction 64; newsqa searches at ef_search {r['ef_search']}):",
        "",
        "| index | p50 ms | p95 ms | recall@10 vs exact |",
        "|---|---|---|---|",
    ]
    names = {
        **{f"pg_hnsw_ef{ef}": f"pgvector HNSW, ef_search {ef}" for ef in r["ef_sweep"]},
        "pg_exact": "PostgreSQL exact scan (a filtered search)", "faiss_flat": "FAISS exact", "faiss_ivf": "FAISS IVF",
    }
    for key, name in names.items():
        lines.append(f"| {name} | {r[f'{key}_p50_ms']} | {r[f'{key}_p95_ms']} | {r[f'{key}_recall_at_10']} |")
    return lines


def _ingest(ing: dict) -> list[str]:
    stores = {"embedded": "the embedded store", "postgres": "PostgreSQL"}
    into = "; ".join(
        f"into {label} {ing[f'{name}_ingest_chunks_per_s']} chunks/s (**{ing[f'{name}_ratio_to_raw']}x of raw**)"
        for name, label in stores.items() if f"{name}_ingest_chunks_per_s" in ing
    )
    return [
        "**Ingest** ({chunks} chunks of {articles} articles, batch {batch_size}): raw `SentenceTransformer.encode`"
        " {raw_encode_chunks_per_s} chunks/s; newsqa ".format(**ing) + into + ". Embedding backend `{backend}`:"
        " {backend_encode_chunks_per_s} chunks/s in bulk; one query {query_embed_p50_ms_backend} ms vs"
        " {query_embed_p50_ms_torch} ms on torch (**{query_embed_speedup}x**).".format(**ing)
    ]


def _retrieval(ret: dict) -> list[str]:
    lines = [
        f"**Retrieval** (query embedding + vector search + BM25 + RRF fusion; {ret['queries']} gold questions"
        f" x {ret['repeats']}; depth {ret['depth']}):",
        "",
        "| chunks | exact p50 / p95 ms | IVF p50 / p95 ms | vector search exact / IVF ms | IVF recall@10 |"
        " embed / BM25 ms | build exact / IVF / BM25 s | memory exact / IVF / BM25 MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in ret["rows"]:
        lines.append(
            "| {chunks:,} | {flat_total_p50_ms} / {flat_total_p95_ms} | {ivf_total_p50_ms} / {ivf_total_p95_ms}"
            " | {flat_search_p50_ms} / {ivf_search_p50_ms} ({ivf_speedup_vs_flat}x) | {ivf_recall_at_10}"
            " | {embed_p50_ms} / {bm25_p50_ms} ({bm25_backend}) | {flat_build_s} / {ivf_build_s} / {bm25_build_s}"
            " | {flat_index_mb} / {ivf_index_mb} / {bm25_mb} |".format(**row)
        )
    return lines


def _warm_start(warm: dict) -> list[str]:
    return [
        f"**Warm start** (`newsqa serve` to /readyz 200, a restart): {warm['chunks']:,}-chunk index"
        f" {warm['large_index']['ready_s']} s vs seed-only index {warm['seed_index']['ready_s']} s"
        f" (**{warm['ready_ratio_to_seed_index']}x**); the first start on that index, which builds the keyword"
        f" index and keeps it, {warm['large_index_first_start']['ready_s']} s; first search after ready"
        f" {warm['large_index']['first_search_ms']} ms; server RSS {warm['large_index']['rss_mb']} MB."
    ]


def _end_to_end(e2e: dict) -> list[str]:
    lines = [
        "**End to end** (`/v1/ask` over HTTP vs llama-index's CitationQueryEngine in-process, same models,"
        " medians after one warm-up question):",
        "",
        "| corpus | system | first token s | total s | prompt tokens | decode tokens/s |",
        "|---|---|---|---|---|---|",
    ]
    for corpus, e in e2e.items():
        a, b = e["newsqa"], e["citation_query_engine"]
        lines += [
            f"| {corpus} ({e['articles']} articles, {e['questions']} q) | newsqa | {a['ttft_s']} | {a['total_s']}"
            f" | {a['prompt_tokens']} | {a.get('decode_tokens_per_s', '–')} |",
            f"| | CitationQueryEngine | {b['ttft_s']} | {b['total_s']} | {b['prompt_tokens']} | – |",
            f"| | ratio | {e['ttft_ratio']} | **{e['total_ratio']}** | {e['prompt_tokens_ratio']} | |",
        ]
    return lines


def _hangups(h: dict) -> list[str]:
    return [
        f"**Search beside hung-up asks** ({h['clients']} clients start streamed asks and leave after the"
        f" `passages` event, {h['seconds']} s): `/v1/search` p50 / p95 {h['with_leavers']['p50_ms']} /"
        f" {h['with_leavers']['p95_ms']} ms vs {h['alone']['p50_ms']} / {h['alone']['p95_ms']} ms alone"
        f" (**{h['p50_ratio']}x / {h['p95_ratio']}x**)."
    ]


def _upload(u: dict) -> list[str]:
    return [
        f"**Health checks during an upload** ({u['articles']:,} articles, {u['bytes'] / 1e6:.1f} MB JSONL, one"
        f" request, {u['upload_s']} s, status {u['status']}): `/healthz` p50 / p99 / max {u['healthz_p50_ms']} /"
        f" {u['healthz_p99_ms']} / {u['healthz_max_ms']} ms over {u['healthz_checks']} checks."
    ]


SECTIONS = {
    "generator": _generator, "isolation": _isolation, "ingest": _ingest, "postgres": _postgres,
    "retrieval": _retrieval, "warm_start": _warm_start,
    "end_to_end": _end_to_end, "hangups": _hangups, "upload": _upload,
}


def chart(r: dict, path: Path) -> None:
    if "retrieval" not in r or "end_to_end" not in r:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = r["retrieval"]["rows"]
    sizes = [row["chunks"] for row in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for kind, label in (("flat", "exact"), ("ivf", "IVF")):
        left.plot(sizes, [row[f"{kind}_total_p50_ms"] for row in rows], marker="o", label=f"{label} p50")
        left.plot(sizes, [row[f"{kind}_total_p95_ms"] for row in rows], marker="x", ls="--", label=f"{label} p95")
    left.set(xscale="log", xlabel="chunks", ylabel="ms per query", title="Retrieval latency")
    left.legend()
    e2e = r["end_to_end"]
    labels, newsqa, baseline = list(e2e), [e["newsqa"]["total_s"] for e in e2e.values()], [
        e["citation_query_engine"]["total_s"] for e in e2e.values()
    ]
    x = np.arange(len(labels))
    right.bar(x - 0.2, newsqa, 0.4, label="newsqa")
    right.bar(x + 0.2, baseline, 0.4, label="CitationQueryEngine")
    right.set_xticks(x, labels)
    right.set(ylabel="seconds per question (median)", title="/v1/ask total")
    right.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write(results: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    (out / "results.md").write_text(markdown(results))
    chart(results, out / "results.png")
