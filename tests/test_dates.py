"""News dates: relative expressions resolved against the publication date."""

from datetime import date, timedelta

import pytest

from rag.dates import anchor_relative_dates, asked_window, earliest_reported, resolve
from rag.types import Article, DateMention, Evidence, Filters

FRIDAY = date(2025, 3, 7)


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("On Thursday, 22 people were killed.", FRIDAY, [("On Thursday", "2025-03-06")]),
        ("Noboa on Friday announced an amnesty.", FRIDAY, [("on Friday", "2025-03-07")]),
        ("He spoke last Friday.", FRIDAY, [("last Friday", "2025-02-28")]),
        ("Talks are scheduled for next Tuesday.", date(2025, 2, 20), [("next Tuesday", "2025-02-25")]),
        ("Last month, the council rejected it.", date(2025, 6, 12), [("Last month", "2025-05")]),
        ("The boys went missing in December.", FRIDAY, [("in December", "2024-12")]),
        ("Exports rose in January.", FRIDAY, [("in January", "2025-01")]),
        ("The runoff is on April 13.", FRIDAY, [("April 13", "2025-04-13")]),
        ("Sales fell yesterday.", FRIDAY, [("yesterday", "2025-03-06")]),
        ("It was the worst year this year.", FRIDAY, [("this year", "2025")]),
        ("The vote on May 5, 2024 was close.", FRIDAY, []),
        # AP style abbreviates a month before a day
        ("On Aug. 15, the District sued.", date(2025, 8, 18), [("Aug. 15", "2025-08-15")]),
        ("The post office will begin on Dec. 1, but", date(2022, 11, 7), [("Dec. 1", "2022-12-01")]),
        ("The law took effect Sept. 5.", date(2025, 9, 9), [("Sept. 5", "2025-09-05")]),
        ("The quake struck on Oct. 17, 1989.", FRIDAY, []),
        # a weekday with its date is that date, not the last such weekday before publication
        ("The awards are set for Sunday, Sept. 26, honoring", date(2021, 9, 22), [("Sept. 26", "2021-09-26")]),
        # a bare month told as still to come is the next one: seen as "in July (2024-07)" in June 2025
        ("The council would reconsider it at its next meeting in July.", date(2025, 6, 14), [("in July", "2025-07")]),
        ("The hospital will close its ward in January, the board said.", date(2025, 11, 12),
         [("in January", "2026-01")]),
        ("The ward closed in January.", date(2025, 11, 12), [("in January", "2025-01")]),
        ("It rejected the plan in March, and will meet again.", date(2025, 6, 12), [("in March", "2025-03")]),
    ],
)
def test_relative_dates_resolve_against_publication(sentence, published, expected):
    assert [(r.text, r.value) for r in resolve(sentence, published)] == expected


def test_undated_articles_resolve_nothing():
    assert resolve("On Thursday it rained.", None) == []


def test_evidence_shows_resolved_dates_after_their_expressions():
    ev = Evidence(
        n=1, article_id="a", quote="On Thursday, 22 people were killed.", start=100, end=135, score=0.5,
        dates=[DateMention(text="On Thursday", start=100, end=111, value="2025-03-06")],
    )
    assert ev.annotated == "On Thursday (2025-03-06), 22 people were killed."


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many visitors came in June 2025?", date(2025, 6, 1)),
        ("What happened on March 6, 2025 in Guayaquil?", date(2025, 3, 6)),
        ("What was reported on 2024-11-02?", date(2024, 11, 2)),
        ("How many died in the quake of Oct. 17, 1989?", date(1989, 10, 17)),
        ("What was the homicide rate in 2023?", date(2023, 1, 1)),
        ("What happened on Thursday?", None),
        ("How many of the 2023 homicides were solved?", None),
    ],
)
def test_explicitly_dated_questions_give_the_earliest_possible_report(question, expected):
    assert earliest_reported(question) == expected


def test_a_dated_question_searches_articles_published_since(empty_pipeline):
    festival = "The harbour festival drew {} visitors, organisers said."
    empty_pipeline.ingest([
        Article(id="fest-2024", published=date(2024, 6, 3), text=festival.format("10,000")),
        Article(id="fest-2025", published=date(2025, 6, 2), text=festival.format("12,500")),
    ])
    june_2025 = empty_pipeline.search("How many visitors did the harbour festival draw in June 2025?", 2)
    assert [p.article_id for p in june_2025] == ["fest-2025"]
    june_2024 = empty_pipeline.search("How many visitors did the harbour festival draw in June 2024?", 2)
    assert {p.article_id for p in june_2024} == {"fest-2024", "fest-2025"}  # a lower bound only
    found = empty_pipeline.search("harbour festival visitors in 2030", 5)
    assert {p.article_id for p in found} == {"fest-2024", "fest-2025"}
    # a page without a date may be of any year: it is searched too
    empty_pipeline.ingest([Article(id="fest-undated", text=festival.format("11,000"))])
    june_2025 = empty_pipeline.search("How many visitors did the harbour festival draw in June 2025?", 3)
    assert {p.article_id for p in june_2025} == {"fest-2025", "fest-undated"}


def test_a_question_of_this_week_searches_the_articles_of_that_week(empty_pipeline):
    """Seen on RealTimeQA: "Which hockey team won the Stanley Cup Final this week?" retrieved five passages of
    earlier seasons' pages, which the answer's check then rejects as out of the week, and never the page of
    that week. The week's reports are searched first; older ones are what the answer could not use."""
    ban = "{} banned smoking on its streets, officials said, in one of the strictest public smoking bans yet."
    older = [Article(id=f"ban-{year}", published=date(year, 5, 4), source="Japan Wire", text=ban.format(city))
             for year, city in [(2019, "Kyoto"), (2020, "Nagoya"), (2021, "Sapporo"), (2022, "Kobe")]]
    empty_pipeline.ingest([*older, Article(id="ban-2025", published=date(2025, 1, 27),
                                           text="Osaka will fine people who smoke outdoors from Monday."),
                           Article(id="undated", text=ban.format("Nara"))])  # not known to be of that week
    question = "Which Japanese city banned public smoking on its streets this week?"
    that_week = empty_pipeline.search(question, 2, asked_on=date(2025, 1, 31))
    assert [p.article_id for p in that_week] == ["ban-2025"]
    assert "ban-2025" not in {p.article_id for p in empty_pipeline.search(question, 2)}  # not asked on a day
    # a week with no report falls back to all; the user's own period and a question naming an outlet (its
    # words, not the asker's week) are kept as they are
    assert len(empty_pipeline.search(question, 2, asked_on=date(2024, 1, 31))) == 2
    chosen = Filters(published_from=date(2019, 1, 1), published_to=date(2020, 12, 31))
    chosen_years = empty_pipeline.search(question, 2, chosen, date(2025, 1, 31))
    assert {p.article_id for p in chosen_years} == {"ban-2019", "ban-2020"}
    named = "Which Japanese city does Japan Wire say banned public smoking on its streets this week?"
    assert "ban-2025" not in {p.article_id for p in empty_pipeline.search(named, 2, asked_on=date(2025, 1, 31))}


ASKED = date(2025, 4, 24)


@pytest.mark.parametrize(
    ("question", "first", "last"),
    [
        ("Which film topped the box office this week?", date(2025, 4, 14), date(2025, 5, 4)),
        ("Why did Ohtani miss last week's game?", date(2025, 4, 7), date(2025, 5, 11)),
        ("Which movie topped the box office last weekend?", date(2025, 4, 7), date(2025, 5, 11)),
        ("A lander touched down days ago. What was its name?", date(2025, 4, 14), date(2025, 5, 4)),
        ("Today, which party won in Greenland?", date(2025, 4, 20), date(2025, 4, 28)),
        ("Which singer hosts the Tony Awards this year?", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_a_period_counted_from_the_asking_day_sets_when_its_report_is_published(question, first, last):
    assert asked_window(question, ASKED) == (first, last)


@pytest.mark.parametrize(
    "question",
    [
        "Does the article from Business Today discuss the cuisine of Italy?",  # an outlet, not the day
        "How many babies were born in the US in 2024?",
        "Which singer recently won a Grammy?",  # no period a report can be held to
    ],
)
def test_no_period_without_words_counted_from_the_asking_day(question):
    assert asked_window(question, ASKED) is None


def test_an_asking_day_at_the_calendar_s_ends_gives_a_period_within_it():
    """`asked_on` comes from users: the first and last days a date can hold must not overflow."""
    assert asked_window("Who won this week?", date.min) == (date.min, date.min + timedelta(days=10))
    assert asked_window("Who won this week?", date.max) == (date.max - timedelta(days=10), date.max)


def test_an_answer_gets_the_date_its_cited_sentence_resolves_unless_it_gives_the_year():
    mentions = [("Aug. 15", "2025-08-15")]
    assert anchor_relative_dates("It sued on Aug. 15 [1].", mentions) == "It sued on Aug. 15 (2025-08-15) [1]."
    assert anchor_relative_dates("It sued on Aug. 15, 2025 [1].", mentions) == "It sued on Aug. 15, 2025 [1]."
    assert (anchor_relative_dates("It ended on Thursday.", [("on Thursday", "2025-03-06")])
            == "It ended on Thursday (2025-03-06).")
