"""Reports that disagree: a figure revised by a later article, or two sources at odds on the same day.

Runs on a verified answer. A claim's figure conflicts with another evidence sentence from another article
that is about the same thing (it holds a good share of the claim's words and answers the question about as
well as the cited sentence) but states none of the claim's figures. A later report settles it: the answer
gives the newest figure and cites the earlier one as differing. Reports of the same day cannot be settled:
the answer abstains as `conflicting`, citing both.

Figures are what the sentences write. A relative date's resolution ("on Monday" -> 2025-09-01) is the
date of that report's own event, not a figure: read as one, "opened on Monday" rivalled "will begin in
2027", and the month and day of "(2025-10-06)" rivalled "left at 7 a.m.", so answers told readers that
reports differed when they did not. And a rival names what the question names: asked about Ecuador's
runoff, a sentence on Velmora's runoff, with another date, is another story, not a disagreement.

Who holds a role is settled the same way: asked who is Rite Aid's CEO now, a later report that titles
another name "Rite Aid CEO" is the answer of its day, and the older one is cited as what it said then.
"""

from __future__ import annotations

import re

from rag.chunking import sentence_spans
from rag.cite import MARKER, Checked, content_words, numbers_in
from rag.dates import RESOLVED_DATE
from rag.generate import unbracket
from rag.questions import YEAR, names_all, titled_now
from rag.types import Citation, Evidence

SAME_WORDS = 0.4  # share of the claim's content words the other sentence must hold
SAME_QUESTION = 0.5  # its similarity to the question, at least, and not far below the cited sentence's


def _claims(text: str) -> list[tuple[str, list[int]]]:
    found = []
    for span in sentence_spans(text):
        sentence = text[span.start : span.end]
        cited = [int(n) for m in MARKER.finditer(sentence) for n in m.group(1).split(",")]
        found.append((MARKER.sub("", sentence).strip(), cited))
    return found


def _kind(number: str) -> str:
    """Years are compared with years only: "in 2027" is no rival to "300 megawatts"."""
    return "year" if re.fullmatch(r"(19|20)\d\d", number) else "figure"


_COUNTED = re.compile(r"\d[\d,.]*\s+(?:[a-z]+-)?([a-z]+)(?:\s+per\s+((?:[\d,.]+\s+)?[a-z]+))?")


def _units(text: str, figures: set[str] | None = None) -> set[str]:
    """What the text counts: the content word right after each number ("1,200 residents"), with the rate's
    base when it has one ("54.5 births per 1,000 women" and "2.03 births per woman" are two measures).
    Given `figures`, only after those: the "1989 Loma Prieta earthquake" a claim repeats from the question
    counts no "loma"."""
    found = set()
    for m in _COUNTED.finditer(text.lower()):
        if figures is not None and not numbers_in(m.group(0).split()[0]) & figures:
            continue
        unit = next(iter(content_words(m.group(1))), "")
        if unit:
            found.add(f"{unit} per {' '.join(m.group(2).split())}" if m.group(2) else unit)
    return found


def _disagrees(question: str, claim: str, figures: set[str], cited: Evidence, other: Evidence) -> bool:
    if other.article_id == cited.article_id or not (other.published and cited.published):
        return False
    if not names_all(question, f"{other.title or ''} {other.source or ''} {other.quote}"):
        return False
    kinds = {_kind(f) for f in figures}
    stated = {n for n in numbers_in(other.quote) if _kind(n) in kinds}
    if not stated or figures & stated:
        return False
    counted = _units(claim, figures)
    if counted and not counted & _units(other.quote):
        return False  # another quantity ("40 pumps" is no rival to "1,200 residents")
    words = content_words(claim)
    if not words or len(words & content_words(other.quote)) / len(words) < SAME_WORDS:
        return False
    return other.score >= max(SAME_QUESTION, cited.score - 0.25)


def conflicts(question: str, checked: Checked, evidence: list[Evidence]) -> list[tuple[Evidence, Evidence]]:
    """(cited, other) pairs where another article states a different figure for a claim's fact."""
    by_n = {ev.n: ev for ev in evidence}
    pairs = []
    for claim, cited_ns in _claims(checked.text):
        figures = numbers_in(RESOLVED_DATE.sub("", claim)) - numbers_in(question)
        if not figures:
            continue
        for n in cited_ns:
            for other in evidence:
                if other.n not in cited_ns and _disagrees(question, claim, figures, by_n[n], other):
                    pairs.append((by_n[n], other))
    return pairs


def _newer_holder(question: str, checked: Checked, evidence: list[Evidence]) -> list[tuple[Evidence, Evidence]]:
    """Asked who holds a role now, an answer from an older report gives way to a later report that titles
    another name with the role in the asked body: "Rite Aid appointed ... a new CEO ..., Jeff Stein" (2023)
    against "Rite Aid CEO Matt Schroeder" (2025). A later report's sentence that tells of an earlier year
    ("In 1963, Alabama Gov. George Wallace ...") is history, not the later day's holder."""
    cited = [ev for ev in evidence if any(c.n == ev.n for c in checked.citations) and ev.published]
    if not cited:
        return []
    latest = max(cited, key=lambda ev: ev.published)
    articles = {ev.article_id for ev in cited}
    said = {word.lower() for word in re.findall(r"[\w-]+", checked.text)}
    later = [
        ev for ev in evidence
        if ev.published and ev.published > latest.published and ev.article_id not in articles
        and not any(int(year) < ev.published.year for year in YEAR.findall(ev.quote))
        and any(name.split()[-1].lower() not in said for name in titled_now(question, ev.quote))
    ]
    return [(latest, max(later, key=lambda ev: ev.published))] if later else []


def _quoted(ev: Evidence) -> str:
    """The sentence in quotes and its marker; its final full stop gives way to the one after the marker.
    Brackets inside the quote become parentheses, so a "[9]" in the article never reads as a citation."""
    return f'"{unbracket(ev.quote.rstrip().removesuffix("."))}" [{ev.n}]'


def _cite(ev: Evidence) -> Citation:
    return Citation(**ev.model_dump(), verified=True)


def reconcile(question: str, checked: Checked, evidence: list[Evidence]) -> tuple[Checked, bool]:
    """The answer with disagreements stated and cited; True when they cannot be settled by date."""
    pairs = conflicts(question, checked, evidence) or _newer_holder(question, checked, evidence)
    if not pairs:
        return checked, False
    cited, other = pairs[0]
    if cited.published == other.published:
        text = (
            f"The articles disagree: {cited.source or cited.article_id} reports {_quoted(cited)},"
            f" while {other.source or other.article_id} reports {_quoted(other)}."
        )
        return Checked(text=text, citations=[_cite(cited), _cite(other)]), True
    newer, older = (other, cited) if other.published > cited.published else (cited, other)
    if newer is cited:  # the answer has the newest figure already; say what the earlier report gave
        text = f"{checked.text} An earlier report ({older.published}) differed: {_quoted(older)}."
        return Checked(text=text, citations=[*checked.citations, _cite(older)]), False
    text = (
        f"The latest report ({newer.published}) says: {_quoted(newer)}."
        f" An earlier report ({older.published}) said: {_quoted(older)}."
    )
    return Checked(text=text, citations=[_cite(newer), _cite(older)]), False
