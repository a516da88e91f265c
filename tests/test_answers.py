"""Answers from the real embedded models over the seed article."""

from rag.articles import read_file
from tests.conftest import SEED


def test_cited_answer_quotes_the_seed_sentence(seeded):
    answer = seeded.ask("How many people were killed in the clashes in Guayaquil?")
    assert answer.answerable and answer.reason is None
    assert "22" in answer.answer
    text = read_file(SEED)[0].text
    quotes = [c.quote for c in answer.citations]
    assert any("22 people were killed" in q for q in quotes), quotes
    for c in answer.citations:
        assert f"[{c.n}]" in answer.answer
        assert text[c.start : c.end] == c.quote
        assert c.verified and c.article_id == "000_5e0d765c48372623" and str(c.published) == "2025-03-07"
    assert answer.usage["prompt_tokens"] > 0
    assert {"retrieve_ms", "prompt_ms", "generate_ms", "total_ms"} <= answer.timings.keys()


def test_question_the_article_cannot_answer_abstains(seeded):
    answer = seeded.ask("What is the population of Guayaquil?")
    assert answer.answerable is False
    assert answer.reason in {"not_in_articles", "unsupported"}
    assert answer.citations == []
    assert "do not say" in answer.answer


def test_answer_about_the_runoff_date(seeded):
    answer = seeded.ask("When is the presidential runoff election?")
    assert answer.answerable and "April 13" in answer.answer
    assert any("April 13" in c.quote for c in answer.citations)


def test_citations_carry_relative_dates_resolved_against_publication(seeded):
    """The seed says "On Thursday" in an article of Friday 2025-03-07: the citation shows 2025-03-06."""
    answer = seeded.ask("How many people were killed in the clashes in Guayaquil?")
    (mention,) = [d for c in answer.citations for d in c.dates if d.text == "On Thursday"]
    assert mention.value == "2025-03-06"
    assert read_file(SEED)[0].text[mention.start : mention.end] == "On Thursday"


def test_the_prompt_asks_the_question_without_the_scene_a_quiz_sets_before_it():
    from rag.generate import build_messages

    scene = "Mara Lind announced she is running for a seat in parliament. Which former president was her grandfather?"
    content = build_messages(scene, [])[-1]["content"]
    assert content.endswith("Question: Which former president was her grandfather?")
    for whole in ("Who will be playing the role of Billy Batson in Shazam!?",  # one question, one "!"
                  "Did 'Rep. Patrick McHenry' or another speaker hold the gavel?",  # an abbreviation
                  "Who won the race? Was it close?"):  # two questions: both asked
        assert f"Question: {whole}" in build_messages(whole, [])[-1]["content"]


def test_real_models_answer_a_quiz_question_without_restating_its_scene_as_cited_fact(embedder, llm, tmp_path):
    """Seen on RealTimeQA: "Jack Schlossberg announced he is running for a House seat in New York City. Which
    former US president was his grandfather?" was refused, though the first evidence sentence named him;
    here the model put the scene before its answer as a fact of sentence [1], which states no such thing."""
    import json

    from rag.articles import load_articles
    from rag.pipeline import Pipeline
    from tests.conftest import make_settings

    articles = tmp_path / "pass.jsonl"
    articles.write_text(json.dumps({
        "id": "pass", "title": "Velmar to sell residence passes", "source": "Courier", "published": "2025-02-26",
        "text": "Velmar plans to offer a gold pass to wealthy foreigners at 5 million euros each, the finance "
                "minister said on Tuesday. The pass would replace the investor visa. Critics said the scheme "
                "favours the rich.",
    }))
    pipeline = Pipeline(make_settings(tmp_path / "data"), embedder=embedder, llm=llm)
    pipeline.ingest(load_articles([articles]))
    answer = pipeline.ask("The finance minister said Velmar will soon sell a gold pass to wealthy foreigners, giving"
                          " them the right to live and work in the country. Around how much will the gold pass cost?")
    assert answer.answerable and "5 million euros" in answer.answer, answer
    assert "live and work" not in answer.answer, answer


def test_real_models_answer_a_question_of_this_week_from_that_weeks_report(embedder, llm, tmp_path):
    """Older reports that match the question's words better took every retrieved place, and the answer
    from them is withheld as out of the asked week: the week's own report is searched for first."""
    from datetime import date

    from rag.pipeline import Pipeline
    from rag.types import Article
    from tests.conftest import make_settings

    ban = "The Japanese city of {} banned smoking on its streets this week, in one of the strictest bans yet."
    cities = ["Kyoto", "Nagoya", "Sapporo", "Kobe", "Sendai", "Fukuoka", "Nara", "Chiba"]
    pipeline = Pipeline(make_settings(tmp_path / "data"), embedder=embedder, llm=llm)
    pipeline.ingest([
        *(Article(id=f"ban-{city}", title=f"{city} bans street smoking", source="Japan Wire",
                  published=date(2015 + i, 5, 4), text=ban.format(city)) for i, city in enumerate(cities)),
        Article(id="osaka", title="Osaka to fine smokers", source="Japan Wire", published=date(2025, 1, 27),
                text="Osaka banned smoking on all its streets on Monday. Smokers will be fined 1,000 yen."),
    ])
    question = "Which Japanese city banned smoking on its streets this week?"
    assert "osaka" not in {p.article_id for p in pipeline.search(question)}  # without the day it is asked
    answer = pipeline.ask(question, asked_on=date(2025, 1, 31))
    assert answer.answerable and "Osaka" in answer.answer, answer
    assert {c.article_id for c in answer.citations} == {"osaka"}
