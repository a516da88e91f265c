"""The typed records that pass between pipeline stages (and out through the API)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator


class Article(BaseModel):
    id: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None

    @property
    def content_hash(self) -> str:
        """Re-ingesting is a no-op exactly when this is unchanged."""
        meta = "\x1f".join(str(v or "") for v in (self.title, self.published, self.source, self.url))
        return hashlib.sha256(f"{meta}\x1e{self.text}".encode()).hexdigest()


class Span(BaseModel):
    """A `[start, end)` character range of an article's text."""

    start: int
    end: int


class Chunk(BaseModel):
    article_id: str
    seq: int
    start: int
    end: int
    sentences: list[Span]
    text: str


class ArticleInfo(BaseModel):
    """An article's metadata without its text."""

    id: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    chars: int = 0
    chunks: int = 0
    content_hash: str = ""


MAX_FILTER_VALUES = 1000


def storable(value: str) -> str:
    """Text that can be stored, hashed, tokenized and logged: no NUL, no unpaired surrogate (JSON's
    "\\ud800" decodes to one, and UTF-8 cannot encode it). Raises ValueError with the reason."""
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains an unpaired surrogate (invalid Unicode)") from None
    return value


class Filters(BaseModel):
    """Restricts retrieval to matching articles; empty fields do not restrict."""

    model_config = {"extra": "forbid"}

    # Bounded: each id is a bound parameter of the store's query, and SQLite refuses more than 32,766.
    article_ids: list[str] | None = Field(None, max_length=MAX_FILTER_VALUES)
    sources: list[str] | None = Field(None, max_length=MAX_FILTER_VALUES)
    published_from: date | None = None
    published_to: date | None = None
    # With a period, also articles without a date: a question that dates its subject ("in 1989") cannot
    # tell when an undated page was written, and must not lose it.
    undated: bool = False

    @field_validator("article_ids", "sources")
    @classmethod
    def _storable(cls, values: list[str] | None) -> list[str] | None:
        return [storable(v) for v in values] if values else values

    def is_empty(self) -> bool:
        return not (self.article_ids or self.sources or self.published_from or self.published_to)


class Passage(BaseModel):
    """A retrieved chunk with its article's metadata and its similarity to the question."""

    chunk_id: int
    article_id: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    start: int
    end: int
    text: str
    score: float = Field(description="Reciprocal-rank fusion score (hybrid), cosine (dense) or BM25 score.")
    sentences: list[Span] = Field(default_factory=list, exclude=True)


class DateMention(BaseModel):
    """A relative date in a quote ("on Thursday") resolved against the article's publication date."""

    text: str
    start: int
    end: int
    value: str = Field(description="ISO date, YYYY-MM for a month, YYYY for a year, or 'week of <date>'")


class Evidence(BaseModel):
    """One numbered sentence shown to the model; `[n]` in the answer points here."""

    n: int
    article_id: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    quote: str
    start: int
    end: int
    score: float
    dates: list[DateMention] = Field(default_factory=list)

    @property
    def annotated(self) -> str:
        """The quote with each resolved date after its expression: 'On Thursday (2025-03-06), ...'."""
        parts, last = [], 0
        for d in self.dates:
            end = d.end - self.start
            parts += [self.quote[last:end], f" ({d.value})"]
            last = end
        return "".join(parts) + self.quote[last:]


class Citation(Evidence):
    verified: bool = False


AbstainReason = Literal["no_evidence", "not_in_articles", "unsupported", "conflicting", "empty_index"]


class Answer(BaseModel):
    question: str
    answer: str
    answerable: bool
    reason: AbstainReason | None = None
    citations: list[Citation] = Field(default_factory=list)
    draft: str | None = Field(
        None, description="UNVERIFIED: the model's own words before the citation check removed unsupported "
        "claims and repaired markers. Show `answer`, never this.",
    )
    passages: list[Passage] = Field(default_factory=list)
    evidence: list[Evidence] = Field(
        default_factory=list, description="The numbered sentences the model read."
    )
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds per stage.")
    usage: dict[str, int] = Field(default_factory=dict, description="Prompt and completion tokens.")
    model: dict[str, str | int | None] = Field(default_factory=dict)
