"""Dense vs BM25 vs hybrid retrieval on an eval set, without the LLM (seconds, not minutes).

    python -m eval.compare_retrieval [--format rgb --dataset ../shared/datasets/rgb/en_fact.jsonl]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eval import datasets
from eval.metrics import aggregate
from eval.runner import RANK_DEPTH, Reply, score
from rag.pipeline import Pipeline
from rag.retrieve import Retriever
from rag.settings import Settings


def compare(eval_set: datasets.EvalSet, pipeline: Pipeline) -> dict[str, dict]:
    pipeline.ingest(eval_set.articles)
    k = pipeline.settings.top_k
    results = {}
    for mode in ("dense", "bm25", "hybrid"):
        retriever = Retriever.for_mode(pipeline.index, pipeline.embedder, mode)
        verdicts = []
        for case in eval_set.cases:
            if not case.evidence:
                continue
            ranked = [(p.article_id, p.text) for p in retriever.retrieve(case.question, RANK_DEPTH, case.filters)]
            verdicts.append(score(case, Reply("", True, [], {}, {}), ranked, k))
        results[mode] = aggregate(verdicts, k)["retrieval"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path)
    parser.add_argument("--format", default="native", choices=["native", "rgb", "multihop"])
    parser.add_argument("--out", type=Path, default=Path("eval/out"))
    args = parser.parse_args()
    eval_set = datasets.load(args.dataset, args.format)
    results = compare(eval_set, Pipeline(Settings(data_dir=args.out / "index")))
    names = list(next(iter(results.values())))
    lines = [f"# retrieval modes: {eval_set.name}", "", "| mode | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    lines += [f"| {mode} | " + " | ".join(f"{m[n]:.3f}" for n in names) + " |" for mode, m in results.items()]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"retrieval_modes_{args.format}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
