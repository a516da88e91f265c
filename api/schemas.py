"""Request and response bodies of the HTTP API (the pipeline's own records are reused where they fit)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rag.types import ArticleInfo, Filters, Passage, storable

MAX_QUESTION_CHARS = 2000

QUESTION = "How many people were killed in the clashes in Guayaquil?"


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return storable(value)


class AskRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"question": QUESTION, "top_k": 5}]},
    )

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: int | None = Field(None, ge=1, le=50)
    filters: Filters | None = None
    asked_on: date | None = Field(
        None, description='The day the question is asked, default today: "this week" and "this year" in the '
        "question count from it (an article outside that period does not answer it)."
    )
    stream: bool = False

    _not_blank = field_validator("question")(_not_blank)


class SearchRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"query": "clashes in Guayaquil", "top_k": 3}]}
    )

    query: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)
    top_k: int | None = Field(None, ge=1, le=50)
    filters: Filters | None = None

    _not_blank = field_validator("query")(_not_blank)


class SearchResponse(BaseModel):
    passages: list[Passage]
    timings: dict[str, float]


class ArticleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "id": "port-reopens",
                    "title": "Port reopens",
                    "published": "2025-03-08",
                    "source": "Example Wire",
                    "text": "The port of Guayaquil reopened on Saturday.",
                }
            ]
        },
    )

    id: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    text: str


class ArticleWritten(BaseModel):
    id: str
    status: str = Field(description="added, updated or unchanged")
    chunks: int


class ArticlesWritten(BaseModel):
    """One entry per article in the upload (a .jsonl file may hold several)."""

    articles: list[ArticleWritten]


class ArticleList(BaseModel):
    items: list[ArticleInfo]
    total: int
    offset: int
    limit: int


class ArticleOut(ArticleInfo):
    text: str


class Error(BaseModel):
    detail: str
