"""Sentence-aware chunking that keeps exact character spans, so citations can quote the article verbatim.

llama-index's SentenceSplitter yields chunk texts but not the sentence boundaries inside them, which a
sentence-level citation needs; so sentences come from the Punkt model that llama-index ships, and chunks
are windows of whole sentences.
"""

from __future__ import annotations

import re
from functools import cache

from rag.types import Article, Chunk, Span

_PARAGRAPH = re.compile(r"\n\s*\n")


@cache
def _punkt():
    from llama_index.core.utils import globals_helper
    from nltk.tokenize import PunktTokenizer

    globals_helper.wait_for_nltk_check()  # puts llama-index's bundled nltk data on nltk's path
    return PunktTokenizer("english")


def sentence_spans(text: str) -> list[Span]:
    """Sentences never cross a paragraph break; spans exclude surrounding whitespace."""
    spans: list[Span] = []
    para_start = 0
    for sep in [*_PARAGRAPH.finditer(text), None]:
        para_end = sep.start() if sep else len(text)
        para = text[para_start:para_end]
        for s, e in _punkt().span_tokenize(para):
            spans.append(Span(start=para_start + s, end=para_start + e))
        if sep:
            para_start = sep.end()
    return [sp for sp in spans if text[sp.start : sp.end].strip()]


def chunk_article(article: Article, max_chars: int = 900, overlap_sentences: int = 1) -> list[Chunk]:
    """Windows of consecutive sentences up to `max_chars`, each starting with the previous one's tail."""
    sentences = sentence_spans(article.text)
    chunks: list[Chunk] = []
    i = 0
    while i < len(sentences):
        j = i + 1
        while j < len(sentences) and sentences[j].end - sentences[i].start <= max_chars:
            j += 1
        window = sentences[i:j]
        start, end = window[0].start, window[-1].end
        chunks.append(
            Chunk(
                article_id=article.id,
                seq=len(chunks),
                start=start,
                end=end,
                sentences=window,
                text=article.text[start:end],
            )
        )
        if j >= len(sentences):
            break
        i = max(j - overlap_sentences, i + 1)
    return chunks
