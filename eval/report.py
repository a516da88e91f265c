"""Writes what a run found: report.md for people, report.json for tools, results.jsonl, a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

from eval.metrics import Verdict

HEADLINE = [
    ("retrieval", "hit@1"), ("retrieval", "hit@5"), ("retrieval", "mrr@10"),
    ("evidence", "gold_sentence_recall"), ("evidence", "answer_in_evidence"),
    ("answers", "accuracy"), ("answers", "soft_accuracy"), ("answers", "exact_match"),
    ("answers", "abstention_precision"), ("answers", "abstention_recall"), ("answers", "withheld_right"),
    ("citations", "precision"), ("citations", "recall"),
]


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _headline(metrics: dict) -> list[tuple[str, object]]:
    rows = [(f"{s} {n}", metrics.get(s, {}).get(n)) for s, n in HEADLINE]
    recall = next((k for k in metrics["retrieval"] if k.startswith("evidence_recall")), None)
    if recall:
        rows.insert(3, (f"retrieval {recall}", metrics["retrieval"][recall]))
    return rows


def markdown(name: str, runs: dict[str, dict], failures: list[str] | None) -> str:
    systems = list(runs)
    lines = [f"# newsqa eval: {name}", ""]
    lines += ["| metric | " + " | ".join(systems) + " |", "|---|" + "---|" * len(systems)]
    for i, (label, _) in enumerate(_headline(runs[systems[0]])):
        lines.append(f"| {label} | " + " | ".join(_fmt(_headline(runs[s])[i][1]) for s in systems) + " |")
    for s in systems:
        m = runs[s]
        lines += ["", f"## {s}: latency (ms) and prompt size", "", "| stage | p50 | p95 |", "|---|---|---|"]
        for stage, p in m["latency_ms"].items():
            lines.append(f"| {stage} | {_fmt(p['p50'])} | {_fmt(p['p95'])} |")
        tokens = m["prompt_tokens"]
        lines.append(f"| prompt tokens | {_fmt(tokens.get('p50'))} | {_fmt(tokens.get('p95'))} |")
        lines += ["", f"## {s}: by question type (answerable: right answer; unanswerable: abstained)", "",
                  "| type | questions | right | answered with the gold answer anyway |", "|---|---|---|---|"]
        for kind, row in m["by_type"].items():
            lines.append(
                f"| {kind} | {row['questions']} | {_fmt(row['right'])} | {_fmt(row.get('answered_with_gold'))} |"
            )
    if "injection" in runs[systems[0]]:
        lines += ["", "## Planted instructions kept out of the evidence (rag/injection.py)", "",
                  "| sentences | planted | blocked | ordinary | false positives |", "|---|---|---|---|---|"]
        for name, row in runs[systems[0]]["injection"].items():
            lines.append(f"| {name} | {row['planted']} | {_fmt(row['blocked'])} | {row['ordinary']}"
                         f" | {_fmt(row['false_positive_rate'])} |")
    lines.append(f"\nQuestions: {runs[systems[0]]['questions']}.")
    if replay := runs[systems[0]].get("replay"):
        lines.append(
            f"Replayed the drafts of {replay['from']} (latency is not the model's): {len(replay['changed'])} "
            f"answers differ from the stored ones ({', '.join(replay['changed'][:20]) or 'none'}); "
            f"{len(replay['unreplayable'])} questions reach the model only now (answered with the refusal)."
        )
        if replay.get("other_evidence"):
            lines.append(
                f"{len(replay['other_evidence'])} questions read other sentences than in the stored run: their "
                f"answers are not a replay; ask them with the model: --only {','.join(replay['other_evidence'])}"
            )
    if failures is not None:
        lines.append("Thresholds: " + ("all met." if not failures else "NOT met: " + "; ".join(failures)))
    return "\n".join(lines) + "\n"


def chart(path: Path, runs: dict[str, dict], verdicts: dict[str, list[Verdict]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (bars, hist) = plt.subplots(1, 2, figsize=(13, 4.8))
    labels = [label for label, _ in _headline(next(iter(runs.values())))]
    width = 0.8 / len(runs)
    for i, (system, metrics) in enumerate(runs.items()):
        values = [v or 0 for _, v in _headline(metrics)]
        bars.bar([x + i * width for x in range(len(labels))], values, width, label=system)
        totals = [v.timings["total_ms"] / 1000 for v in verdicts[system] if "total_ms" in v.timings]
        hist.hist(totals, bins=20, alpha=0.6, label=system)
    bars.set_xticks([x + width * (len(runs) - 1) / 2 for x in range(len(labels))], labels, rotation=45, ha="right")
    bars.set_ylim(0, 1)
    bars.set_title("quality")
    bars.legend()
    hist.set_title("time per question (s)")
    hist.set_xlabel("seconds")
    hist.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(out: Path, name: str, runs: dict[str, dict], verdicts: dict[str, list[Verdict]], failures) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.md").write_text(markdown(name, runs, failures))
    report = {"dataset": name, "systems": runs, "threshold_failures": failures}
    (out / "report.json").write_text(json.dumps(report, indent=2))
    with open(out / "results.jsonl", "w") as fh:
        for system, items in verdicts.items():
            for v in items:
                fh.write(json.dumps({"system": system, **v.to_json()}, ensure_ascii=False) + "\n")
    chart(out / "metrics.png", runs, verdicts)
