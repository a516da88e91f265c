"""Sentence-aware chunking that keeps exact character spans, so citations can quote the article verbatim.

llama-index's SentenceSplitter yields chunk texts but not the sentence boundaries inside them, which a
sentence-level citation needs; so sentences come from the Punkt model that llama-index ships, and chunks
are windows of whole sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from rag.types import Article, Chunk, Span

_PARAGRAPH = re.compile(r"\n\s*\n")
# Sentence ends that the English Punkt model does not know: CJK full stops need no following space.
_CJK_END = re.compile(r"(?<=[\u3002\uff01\uff1f])")
# Punkt strips only straight double quotes off a word's start, so in "“Mr. Abbott" it does not see the
# abbreviation "Mr." and ends the sentence inside the quote. The splitter reads curly quotes as straight
# double ones (a right single quote stays an apostrophe: "It’s"): one character for one, so its spans still
# index the original text.
_STRAIGHT_QUOTES = str.maketrans("\u201c\u201d\u201e\u2018\u201a\u2019", "\"\"\"\"\"'")
# A "sentence" longer than this (an unpunctuated list, a table flattened to text) is cut at spaces, so one
# sentence can never fill the model's context: evidence stays within its token budget.
MAX_SENTENCE_CHARS = 600


# Titles that stand before a name in news prose and that the English Punkt model does not know: without
# them "Lt. Gov. Dan Patrick told ..." ends a sentence at "Gov.", and the evidence loses its subject.
_TITLES = ("gov", "capt", "sgt", "cmdr", "supt", "atty", "cpl", "dept", "sens")
# A quote or bracket around a word, which says nothing about whether the word is an abbreviation.
_WRAPPING = "\"'()[]"
# An answer's citation marker, which is no word of its sentence ("at 9 p.m. ET [4].").
_CITED = re.compile(r"\s*\[\d+(?:\s*,\s*\d+)*\]")


@cache
def _punkt():
    from llama_index.core.utils import globals_helper
    from nltk.tokenize import PunktTokenizer

    globals_helper.wait_for_nltk_check()  # puts llama-index's bundled nltk data on nltk's path
    tokenizer = PunktTokenizer("english")
    tokenizer._params.abbrev_types.update(_TITLES)  # nltk has no public setter for them
    return tokenizer


def sentence_spans(text: str) -> list[Span]:
    """Sentences never cross a paragraph break; spans exclude surrounding whitespace."""
    spans: list[Span] = []
    para_start = 0
    for sep in [*_PARAGRAPH.finditer(text), None]:
        para_end = sep.start() if sep else len(text)
        para = text[para_start:para_end]
        plain = para.translate(_STRAIGHT_QUOTES)
        for s, e in _joined(plain, _punkt().span_tokenize(plain)):
            for ps, pe in _pieces(para, s, e):
                spans.append(Span(start=para_start + ps, end=para_start + pe))
        if sep:
            para_start = sep.end()
    return [sp for sp in spans if text[sp.start : sp.end].strip()]


def _joined(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Give back to a sentence what Punkt cut off after an abbreviation it knows.

    Before a word that ends in a quote, Punkt ends the sentence at an abbreviation: "before Dec. 20.\""
    became "before Dec." and "20.\"", "was Dr. Smith.\"" lost its name. A piece that is one word, or that
    goes on in lower case, after a known abbreviation is the rest of that sentence; a capital after it
    ("on Main St. It opened") still starts one, and so does an opening quote or bracket.
    """
    out: list[tuple[int, int]] = []
    abbreviations = _punkt()._params.abbrev_types
    for s, e in spans:
        piece = text[s:e]
        if out and piece[0] not in _WRAPPING and (len(_CITED.sub("", piece).split()) == 1 or piece[0].islower()):
            last = text[out[-1][0] : out[-1][1]].split()[-1].strip(_WRAPPING)
            if last.endswith(".") and last[:-1].lower() in abbreviations:
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one Punkt sentence at CJK sentence ends, then cut what is still too long at white space
    (or anywhere, for text without spaces)."""
    bounds = [start, *(start + m.start() for m in _CJK_END.finditer(text[start:end]) if start + m.start() < end), end]
    out = []
    for s, e in zip(bounds, bounds[1:]):
        while s < e and text[s].isspace():
            s += 1
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s + 1, s + MAX_SENTENCE_CHARS)
            cut = cut if cut > s else s + MAX_SENTENCE_CHARS
            out.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        if s < e:
            out.append((s, e))
    return out


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
