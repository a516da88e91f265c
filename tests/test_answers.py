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
