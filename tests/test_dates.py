"""News dates: relative expressions resolved against the publication date."""

from datetime import date

import pytest

from rag.dates import resolve
from rag.types import DateMention, Evidence

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
