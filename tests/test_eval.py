"""The eval suite: its gold set, its metrics, its adapters, and the quality gate on the real models."""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from eval import datasets
from eval.metrics import (
    Verdict, aggregate, citation_correct, contains_alias, exact_match, says_insufficient, soft_match,
)
from eval.runner import Reply, ask_newsqa, check_thresholds, run, score
from rag.settings import REPO_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
NEWSQA = str(Path(sys.executable).parent / "newsqa")


def test_gold_set_is_large_varied_and_its_evidence_is_verbatim():
    gold = datasets.load_native()
    types = Counter(c.type for c in gold.cases)
    assert len(gold.cases) >= 70
    assert sum(not c.answerable or c.type == "adversarial" for c in gold.cases) >= 15
    assert types["multi-article"] >= 10 and types["date"] + types["relative-date"] >= 10
    seed_id = "000_5e0d765c48372623"
    over_seed = [c for c in gold.cases if any(e.article_id == seed_id for e in c.evidence) or c.id.startswith("seed")]
    assert len(over_seed) >= 25
    texts = {a.id: a.text for a in gold.articles}
    assert len(texts) >= 7 and all(a.published and (a.source or a.id == seed_id) for a in gold.articles)
    assert len({c.id for c in gold.cases}) == len(gold.cases)
    for case in gold.cases:
        assert case.answerable == bool(case.answers) == bool(case.evidence), case.id
        for e in case.evidence:
            assert e.text in texts[e.article_id], (case.id, e.text)
        if case.type == "multi-article":
            assert len({e.article_id for e in case.evidence}) == 2, case.id
    # asked on one day after the last article, not on the day the eval runs: "would begin in 2027" stays a
    # plan for the near-miss "When did the phase open?" in 2028 too, so the gate does not move with the clock
    last = max(a.published for a in gold.articles)
    assert {c.asked_on for c in gold.cases} == {max(c.asked_on for c in gold.cases)} and last < gold.cases[0].asked_on


def test_answer_matching_is_whole_word_and_number_aware():
    assert contains_alias("Officials raised it to 1850 residents [1].", ["1,850"])
    assert contains_alias("About 120,000 homes.", ["120000"])
    assert not contains_alias("It was 122 people.", ["22"])
    assert not contains_alias("The articles do not say.", ["22"])
    assert exact_match("Guayas [1].", ["Guayas"]) and not exact_match("It is Guayas.", ["Guayas"])
    assert says_insufficient("The context does not provide the population.")


def test_citation_judged_by_gold_evidence_or_by_answer_and_numbers():
    case = datasets.load_native().cases[0]  # 22 killed
    assert citation_correct(case, "22 were killed [1].", 1, case.evidence[0].article_id,
                            "On Thursday, 22 people were killed and three injured in clashes.")
    assert not citation_correct(case, "22 were killed [1].", 1, case.evidence[0].article_id,
                                "Guayaquil is the capital of Guayas.")


def test_aggregate_counts_abstention_both_ways():
    def v(gold, abstained, correct=None):
        return Verdict(id="x", type="t", question="q", gold_answerable=gold, answer="a", abstained=abstained,
                       correct=correct, exact=False, soft=correct, first_hit_rank=None, evidence_recall=None)

    m = aggregate([v(False, True), v(False, False), v(True, True, False), v(True, False, True)], k=5)["answers"]
    assert (m["abstention_precision"], m["abstention_recall"], m["accuracy"]) == (0.5, 0.5, 0.5)


def test_a_right_draft_the_checks_refused_is_counted_as_withheld():
    case = datasets.load_native().cases[0]  # 22 killed

    def reply(draft, abstained):
        return Reply(answer="The articles do not say." if abstained else draft, abstained=abstained,
                     citations=[], timings={}, usage={}, draft=draft)

    withheld = score(case, reply("22 were killed [1].", True), [], 5)
    wrong = score(case, reply("Guayaquil [1].", True), [], 5)
    answered = score(case, reply("22 were killed [1].", False), [], 5)
    assert (withheld.withheld_right, wrong.withheld_right, answered.withheld_right) == (True, False, False)
    assert withheld.to_json()["draft"] == "22 were killed [1]."
    assert aggregate([withheld, wrong, answered], k=5)["answers"]["withheld_right"] == round(1 / 3, 4)


def test_soft_match_accepts_a_paraphrased_phrase_answer_and_rejects_another():
    gold = ["It was vetoed by the governor"]
    assert soft_match("Governor Meyer vetoed the bill [1].", gold)
    assert not soft_match("The legislature passed the bill [1].", gold)
    assert soft_match("Rap and country music [2].", ["Rap and country"])
    assert not soft_match("Jazz.", ["Rap and country"])


def test_thresholds_fail_below_minimum(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text('[answers]\naccuracy = 0.8\n[retrieval]\n"hit@5" = 0.5\n')
    assert check_thresholds({"answers": {"accuracy": 0.7}, "retrieval": {"hit@5": 0.9}}, path) == [
        "answers.accuracy = 0.7 < 0.8"
    ]


def test_rgb_adapter_answers_with_positives_and_abstains_on_negatives(empty_pipeline, llm):
    eval_set = datasets.load_rgb(FIXTURES / "rgb_small.jsonl")
    assert [c.type for c in eval_set.cases] == ["rgb-noise", "rgb-negative"] * 2
    empty_pipeline.__dict__["llm"] = llm
    empty_pipeline.ingest(eval_set.articles)
    verdicts = run(eval_set, lambda case: ask_newsqa(empty_pipeline, case), k=5)
    noise = [v for v in verdicts if v.type == "rgb-noise"]
    negative = [v for v in verdicts if v.type == "rgb-negative"]
    assert all(v.correct for v in noise), [v.answer for v in noise]
    assert all(v.first_hit_rank == 1 for v in noise)
    assert all(v.abstained for v in negative), [v.answer for v in negative]


def test_multihop_adapter_scores_facts_in_chunks_and_null_queries_as_abstentions(empty_pipeline, llm):
    eval_set = datasets.load_multihop(FIXTURES / "multihop")
    assert [c.answerable for c in eval_set.cases] == [True, False]
    assert eval_set.articles[0].published.isoformat() == "2031-05-02"
    empty_pipeline.__dict__["llm"] = llm
    empty_pipeline.ingest(eval_set.articles)
    verdicts = run(eval_set, lambda case: ask_newsqa(empty_pipeline, case), k=5)
    assert verdicts[0].evidence_recall == 1.0 and verdicts[0].first_hit_rank is not None
    assert verdicts[1].abstained


def test_native_eval_meets_the_thresholds(tmp_path):
    """The CI quality gate: `newsqa eval --check` on the whole native gold set with the real models."""
    out = tmp_path / "eval"
    result = subprocess.run(
        [NEWSQA, "eval", "--check", "--out", str(out)], capture_output=True, text=True, timeout=3600,
        cwd=REPO_ROOT, env={**os.environ},
    )
    report = json.loads((out / "report.json").read_text()) if (out / "report.json").exists() else {}
    print(result.stdout[-4000:])
    assert result.returncode == 0, result.stderr[-2000:]
    assert report["threshold_failures"] == []
    assert (out / "report.md").read_text().startswith("# newsqa eval")
    assert (out / "metrics.png").stat().st_size > 10_000
    lines = (out / "results.jsonl").read_text().splitlines()
    assert len(lines) == len(datasets.load_native().cases)
    assert "Planted instructions kept out of the evidence" in (out / "report.md").read_text()


def test_the_injection_filter_is_measured_on_both_labelled_sets(tmp_path):
    from eval import injection

    result = injection.measure()
    assert set(result) == {*injection.SETS, "all"}
    every = result["all"]
    assert every["planted"] >= 50 and every["ordinary"] >= 50
    assert every["blocked"] == round(1 - len(every["missed"]) / every["planted"], 3)
    path = tmp_path / "t.toml"
    path.write_text("[injection]\nblocked = 0.95\nkept_ordinary = 0.95\n")
    assert check_thresholds({"injection": {"all": {"blocked": 0.5, "kept_ordinary": 1.0}}}, path) == [
        "injection.blocked = 0.5 < 0.95"
    ]


def test_an_unanswerable_case_answered_with_its_gold_answer_is_told_apart():
    """RGB's negative snippets sometimes state the answer ("Barty wins the 2021 Wimbledon"): such a reply
    still counts against abstention, and is reported beside it."""
    from eval.datasets import Case

    case = Case(id="rgb-6-negative", question="Who won Wimbledon in 2021?", answers=["Ashleigh Barty"],
                evidence=[], answerable=False, type="rgb-negative")

    def reply(answer, abstained=False):
        return Reply(answer=answer, abstained=abstained, citations=[], timings={}, usage={})

    leaked = score(case, reply("Barty wins the 2021 Wimbledon [2]."), [], 5)
    wrong = score(case, reply("Serena Williams [1]."), [], 5)
    held = score(case, reply("The articles do not say.", abstained=True), [], 5)
    assert (leaked.answered_with_gold, wrong.answered_with_gold, held.answered_with_gold) == (True, False, False)
    row = aggregate([leaked, wrong, held], k=5)["by_type"]["rgb-negative"]
    assert (row["right"], row["answered_with_gold"]) == (round(1 / 3, 4), round(1 / 3, 4))
    no_gold = score(Case(id="n", question="q", answers=[], evidence=[], answerable=False, type="t"), reply("x"), [], 5)
    assert no_gold.answered_with_gold is None


def _eval(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([NEWSQA, "eval", *args], capture_output=True, text=True, timeout=1800, cwd=REPO_ROOT,
                          env={**os.environ, "NEWSQA_LLM_BACKEND": "llama_cpp"})


def _rows(out: Path) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}


def test_a_replay_of_stored_drafts_gives_back_the_run_and_measures_a_changed_draft(tmp_path):
    """`eval --replay`: the model's drafts of an earlier run stand in for the model, so a change to the
    checks is measured without it. Unchanged, every answer comes back; a draft the checks refuse is
    refused and named as a change. A question whose evidence is not what its draft was written from is
    named too, with the flag that asks just those questions again."""
    rgb = ["--format", "rgb", "--dataset", str(FIXTURES / "rgb_small.jsonl")]
    first = _eval(*rgb, "--out", str(tmp_path / "run"))
    assert first.returncode == 0, first.stderr[-2000:]
    stored = _rows(tmp_path / "run")
    assert any(r["draft"] for r in stored.values())

    again = _eval(*rgb, "--replay", str(tmp_path / "run" / "results.jsonl"), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr[-2000:]
    assert {k: r["answer"] for k, r in _rows(tmp_path / "again").items()} == {k: r["answer"] for k, r in stored.items()}
    assert "0 answers differ" in again.stdout
    replay = json.loads((tmp_path / "again" / "report.json").read_text())["systems"]["newsqa"]["replay"]
    assert (replay["changed"], replay["other_evidence"]) == ([], [])
    assert all(r["evidence"] for r in stored.values())

    answered = next(k for k, r in stored.items() if not r["abstained"])
    other = next(k for k in stored if k != answered)
    edited = dict(stored, **{answered: {**stored[answered], "draft": "Chess clubs report rising membership [1]."},
                             other: {**stored[other], "evidence": [["elsewhere", "A sentence the model read then."]]}})
    (tmp_path / "edited.jsonl").write_text("".join(json.dumps(r) + "\n" for r in edited.values()))
    changed = _eval(*rgb, "--replay", str(tmp_path / "edited.jsonl"), "--out", str(tmp_path / "changed"))
    assert changed.returncode == 0, changed.stderr[-2000:]
    replayed = _rows(tmp_path / "changed")
    assert replayed[answered]["abstained"] and replayed[answered]["draft"] == edited[answered]["draft"]
    assert f"1 answers differ from the stored ones ({answered})" in changed.stdout
    assert "1 questions read other sentences than in the stored run" in changed.stdout
    assert changed.stdout.count(f"--only {other}\n") == 1

    just = _eval(*rgb, "--replay", str(tmp_path / "edited.jsonl"), "--only", other, "--out", str(tmp_path / "just"))
    assert just.returncode == 0, just.stderr[-2000:]
    assert list(_rows(tmp_path / "just")) == [other]


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (None, [], "No such file"),
        ("not json\n", [], "not JSON"),
        ('{"id": "rgb-0-noise", "answer": "x"}\n', [], "not a row of an eval's results.jsonl"),
        ('{"id": "other", "answer": "x", "draft": null}\n', [], "4 of 4 questions have no stored answer"),
        ('{"id": "other", "answer": "x", "draft": null}\n', ["--baseline"], "leave out --baseline"),
        ('{"id": "rgb-0-noise", "answer": "x", "draft": null}\n', ["--only", "rgb-9-noise"],
         "--only: no question rgb-9-noise in rgb:rgb_small.jsonl"),
    ],
)
def test_a_results_file_that_cannot_be_replayed_is_one_line_and_exit_2(tmp_path, content, extra, message):
    path = tmp_path / "results.jsonl"
    if content is not None:
        path.write_text(content)
    result = _eval("--format", "rgb", "--dataset", str(FIXTURES / "rgb_small.jsonl"), "--replay", str(path),
                   "--out", str(tmp_path / "out"), *extra)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_a_quiz_date_is_the_day_its_question_is_asked_and_a_bad_one_is_one_line(tmp_path):
    """RealTimeQA writes `asked_on` as 2025/01/01 or 2025-01-10; "this week" in its questions counts from
    it (the run would otherwise count from the day it is run)."""
    row = {"question": "Which film topped the box office this week?", "answers": ["X"], "evidence": [],
           "answerable": True, "type": "rtqa"}
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps({**row, "id": f"q{i}", **day}) for i, day in enumerate(
        [{"asked_on": "2025/01/01"}, {"asked_on": "2025-01-10"}, {}])))
    (tmp_path / "corpus").mkdir()
    cases = datasets.load_native(gold).cases
    assert [str(c.asked_on) for c in cases] == ["2025-01-01", "2025-01-10", "None"]
    gold.write_text(json.dumps({**row, "id": "q9", "asked_on": "last Friday"}))
    result = _eval("--dataset", str(gold), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "q9: asked_on 'last Friday' is not a date" in result.stderr, result.stderr


def test_a_native_set_asks_over_the_folders_given_and_a_wrong_one_is_one_line(tmp_path):
    """`--corpus`: a set of questions over an archive kept outside the project (the held-out batches ask over
    RealTimeQA's pages) is measured without copying the archive next to it."""
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "a.jsonl").write_text(json.dumps({"id": "grocer", "title": "Grocer opens", "published": "2025-05-05",
                                                 "text": "Harlow Foods opened its tenth shop on Monday."}))
    gold = tmp_path / "questions.jsonl"
    gold.write_text(json.dumps({"id": "q1", "question": "How many shops has Harlow Foods?", "answers": ["ten"],
                                "evidence": [], "answerable": True, "type": "fact"}))
    assert [a.id for a in datasets.load(gold, "native", [archive]).articles] == ["grocer"]
    for args, message in [
        (["--dataset", str(gold), "--corpus", str(tmp_path / "missing")], "missing: no such file or folder"),
        (["--format", "rgb", "--dataset", str(FIXTURES / "rgb_small.jsonl"), "--corpus", str(archive)],
         "--corpus is for a native set"),
    ]:
        result = _eval(*args, "--out", str(tmp_path / "out"))
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "out").exists()


def test_the_held_out_batches_are_eval_sets(tmp_path):
    """Questions written before the change each measured (README, sessions 26-29), kept to be asked again:
    each file loads, ids are unique, every question has its asking day and gold only when answerable."""
    batches = sorted((REPO_ROOT / "eval" / "heldout").glob("*.jsonl"))
    assert batches
    for path in batches:
        cases = datasets.load(path, "native", [tmp_path]).cases
        assert cases and len({c.id for c in cases}) == len(cases), path
        assert all(c.asked_on and bool(c.answers) == c.answerable for c in cases), path
